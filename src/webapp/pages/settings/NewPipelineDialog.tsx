import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { ArrowDownRegular } from "@fluentui/react-icons/svg/arrow-down";
import { ArrowUpRegular } from "@fluentui/react-icons/svg/arrow-up";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { type FormEvent, useRef, useState } from "react";
import { DEFAULT_PIPELINE, type Pipeline, PipelineCreate, type StageKind } from "../../../shared/pipelines";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useWebApp } from "../../services";
import { useChange } from "./change";
import { TOUCHES, probabilityOf } from "./pipeline-changes";
import { StageKindDropdown } from "./StageKindDropdown";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { type PipelinesWord, pipelinesMessages } from "./pipelines-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  narrow: { width: "7em" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS },
  surface: { maxWidth: "52em" },
});

interface DraftStage {
  /** Keeps a row's inputs with it as rows move. */
  key: number;
  name: string;
  probability: string;
  kind: StageKind;
}

/** The default stages a new pipeline starts from, named in the admin's language (only a suggestion to edit). */
const SUGGESTED: Record<(typeof DEFAULT_PIPELINE.stages)[number]["name"], PipelinesWord> = {
  Prospecting: "suggestedProspecting",
  Qualification: "suggestedQualification",
  Proposal: "suggestedProposal",
  Negotiation: "suggestedNegotiation",
  Won: "suggestedWon",
  Lost: "suggestedLost",
};

/**
 * A new pipeline with its stages, starting from the default ones. The contract's own schema says what is
 * missing (an open, a won and a lost stage) before anything is sent; the server's word is shown if it refuses.
 */
export function NewPipelineDialog({
  onClose,
  onCreated,
}: {
  onClose(): void;
  onCreated(pipeline: Pipeline): void;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const nextKey = useRef(DEFAULT_PIPELINE.stages.length);
  const [name, setName] = useState("");
  const [stages, setStages] = useState<DraftStage[]>(() =>
    DEFAULT_PIPELINE.stages.map((s, key) => ({
      ...s,
      name: t[SUGGESTED[s.name]],
      key,
      probability: String(s.probability),
    })),
  );
  const [isDefault, setIsDefault] = useState(false);
  const create = useChange((body: PipelineCreate) => api("createPipeline", { body }), TOUCHES);

  const draft = PipelineCreate.safeParse({
    name,
    isDefault,
    stages: stages.map((s) => ({ name: s.name, probability: probabilityOf(s.probability), kind: s.kind })),
  });
  // Names and probabilities are marked on their own rows; what concerns the stages as a whole is said once.
  const stagesIssue = draft.success
    ? undefined
    : draft.error.issues.find((i) => i.path.length === 1 && i.path[0] === "stages");
  const stagesProblem =
    stagesIssue === undefined
      ? null
      : stagesIssue.code === "too_small"
        ? t.tooFewStages
        : stagesIssue.code === "too_big"
          ? t.tooManyStages
          : t.stageKindsNeeded;

  const change = (key: number, patch: Partial<DraftStage>) =>
    setStages((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    setStages((all) => {
      const next = [...all];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + by, 0, moved);
      return next;
    });
  const addStage = () =>
    setStages((all) => {
      // A new stage is worked on before deals are won or lost: after the last open one.
      const lastOpen = all.map((s) => s.kind).lastIndexOf("open");
      const next = [...all];
      next.splice(lastOpen + 1, 0, { key: nextKey.current++, name: "", probability: "50", kind: "open" });
      return next;
    });
  const send = () => {
    if (!draft.success || create.isPending) return;
    create.mutate(draft.data, {
      onSuccess: onCreated,
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={styles.surface}>
        <form onSubmit={submit} aria-label={t.newPipeline}>
          <DialogBody>
            <DialogTitle>{t.newPipeline}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label={t.name} required>
                <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={100} />
              </Field>
              <Table size="small">
                <caption>{t.newStagesCaption}</caption>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell scope="col">{t.stage}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.probability}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.kind}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {stages.map((stage, index) => {
                    const n = index + 1;
                    return (
                      <TableRow key={stage.key}>
                        <TableCell>
                          <Field validationMessage={stage.name.trim() ? undefined : t.nameNeeded}>
                            <Input
                              aria-label={translate(t.newStageName, { n })}
                              value={stage.name}
                              maxLength={100}
                              onChange={(_, d) => change(stage.key, { name: d.value })}
                            />
                          </Field>
                        </TableCell>
                        <TableCell>
                          <Field
                            validationMessage={
                              probabilityOf(stage.probability) === null ? t.probabilityRange : undefined
                            }
                          >
                            <Input
                              className={styles.narrow}
                              aria-label={translate(t.newStageProbability, { n })}
                              type="number"
                              min={0}
                              max={100}
                              value={stage.probability}
                              contentAfter="%"
                              onChange={(_, d) => change(stage.key, { probability: d.value })}
                            />
                          </Field>
                        </TableCell>
                        <TableCell>
                          <StageKindDropdown
                            label={translate(t.newStageKind, { n })}
                            kind={stage.kind}
                            onKind={(kind) => change(stage.key, { kind })}
                          />
                        </TableCell>
                        <TableCell>
                          <div className={styles.actions}>
                            <Button
                              icon={<ArrowUpRegular />}
                              aria-label={translate(t.moveNewStageUp, { n })}
                              disabled={index === 0}
                              onClick={() => move(index, -1)}
                            />
                            <Button
                              icon={<ArrowDownRegular />}
                              aria-label={translate(t.moveNewStageDown, { n })}
                              disabled={index === stages.length - 1}
                              onClick={() => move(index, 1)}
                            />
                            <Button
                              icon={<DeleteRegular />}
                              aria-label={translate(t.removeNewStage, { n })}
                              onClick={() => setStages((all) => all.filter((s) => s.key !== stage.key))}
                            />
                          </div>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
              <div>
                <Button icon={<AddRegular />} onClick={addStage} disabled={stages.length >= 30}>
                  {t.addAStage}
                </Button>
              </div>
              {stagesProblem && <Text role="alert">{stagesProblem}</Text>}
              <Checkbox
                label={t.makeItDefault}
                checked={isDefault}
                onChange={(_, d) => setIsDefault(d.checked === true)}
              />
              {create.isError && <ProblemMessage error={create.error} what={t.notCreated} onRetry={send} />}
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose} disabled={create.isPending}>
                {t.cancel}
              </Button>
              <Button
                type="submit"
                appearance="primary"
                disabled={!draft.success}
                disabledFocusable={create.isPending}
              >
                {create.isPending ? t.creating : t.createPipeline}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
