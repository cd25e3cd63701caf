import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Option,
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
import { type FormEvent, useEffect, useState } from "react";
import type { Pipeline, Stage, StageKind } from "../../../shared/pipelines";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { KIND_WORDS, TOUCHES, probabilityOf, useLatestVersion } from "./pipeline-changes";
import { StageKindDropdown } from "./StageKindDropdown";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { pipelinesMessages } from "./pipelines-messages";
import { Dropdown } from "../../components/choice-inputs";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  narrow: { width: "7em" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
});

/** A pipeline's stages in order: admins rename, reweigh, reorder, add and remove them; members read them. */
export function StagesTable({ pipeline, admin }: { pipeline: Pipeline; admin: boolean }) {
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const version = useLatestVersion(pipeline.id);
  const reorder = useChange(
    (stageIds: string[]) =>
      api("reorderStages", { params: { id: pipeline.id }, body: { stageIds, version: version() } }),
    TOUCHES,
  );
  const move = (index: number, by: -1 | 1) => {
    const ids = pipeline.stages.map((s) => s.id);
    const [moved] = ids.splice(index, 1);
    if (moved) ids.splice(index + by, 0, moved);
    reorder.mutate(ids);
  };
  return (
    <>
      <Table size="small">
        <caption>{translate(t.stagesCaption, { name: pipeline.name })}</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.stage}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.probability}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.kind}</TableHeaderCell>
            {admin && <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {pipeline.stages.map((stage, index) =>
            admin ? (
              <StageRow
                key={stage.id}
                pipeline={pipeline}
                stage={stage}
                first={index === 0}
                last={index === pipeline.stages.length - 1}
                onMove={(by) => move(index, by)}
                moving={reorder.isPending}
              />
            ) : (
              <TableRow key={stage.id}>
                <TableCell>{stage.name}</TableCell>
                <TableCell>{stage.probability} %</TableCell>
                <TableCell>{t[KIND_WORDS[stage.kind]]}</TableCell>
              </TableRow>
            ),
          )}
        </TableBody>
      </Table>
      <ChangeStatus change={reorder} what={t.stagesNotReordered} done={t.stagesReordered} />
      {admin && <AddStage pipeline={pipeline} />}
    </>
  );
}

function StageRow({
  pipeline,
  stage,
  first,
  last,
  onMove,
  moving,
}: {
  pipeline: Pipeline;
  stage: Stage;
  first: boolean;
  last: boolean;
  onMove(by: -1 | 1): void;
  moving: boolean;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const version = useLatestVersion(pipeline.id);
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState(String(stage.probability));
  const [kind, setKind] = useState<StageKind>(stage.kind);
  const [deleting, setDeleting] = useState(false);
  // What the server holds now (after this save, or a colleague's) is what the inputs start from again.
  useEffect(() => {
    setName(stage.name);
    setProbability(String(stage.probability));
    setKind(stage.kind);
  }, [stage.name, stage.probability, stage.kind]);
  const probabilityValue = probabilityOf(probability);
  const changed = name.trim() !== stage.name || probabilityValue !== stage.probability || kind !== stage.kind;
  const save = useChange(
    () =>
      api("updateStage", {
        params: { id: pipeline.id, stageId: stage.id },
        body: {
          ...(name.trim() !== stage.name ? { name: name.trim() } : {}),
          ...(probabilityValue !== null && probabilityValue !== stage.probability
            ? { probability: probabilityValue }
            : {}),
          ...(kind !== stage.kind ? { kind } : {}),
          version: version(),
        },
      }),
    TOUCHES,
  );
  return (
    <TableRow>
      <TableCell>
        <Input
          aria-label={translate(t.stageName, { name: stage.name })}
          value={name}
          onChange={(_, d) => setName(d.value)}
        />
      </TableCell>
      <TableCell>
        <Field validationMessage={probabilityValue === null ? t.probabilityRange : undefined}>
          <Input
            className={styles.narrow}
            aria-label={translate(t.stageProbability, { name: stage.name })}
            type="number"
            min={0}
            max={100}
            value={probability}
            onChange={(_, d) => setProbability(d.value)}
            contentAfter="%"
          />
        </Field>
      </TableCell>
      <TableCell>
        <StageKindDropdown
          label={translate(t.stageKind, { name: stage.name })}
          kind={kind}
          onKind={setKind}
        />
      </TableCell>
      <TableCell>
        <div className={styles.actions}>
          <Button
            appearance="primary"
            disabled={!changed || !name.trim() || probabilityValue === null || save.isPending}
            onClick={() => save.mutate(undefined)}
          >
            {translate(t.saveStage, { name: stage.name })}
          </Button>
          <Button
            icon={<ArrowUpRegular />}
            aria-label={translate(t.moveStageUp, { name: stage.name })}
            disabled={first || moving}
            onClick={() => onMove(-1)}
          />
          <Button
            icon={<ArrowDownRegular />}
            aria-label={translate(t.moveStageDown, { name: stage.name })}
            disabled={last || moving}
            onClick={() => onMove(1)}
          />
          <Button
            icon={<DeleteRegular />}
            aria-label={translate(t.deleteStageButton, { name: stage.name })}
            onClick={() => setDeleting(true)}
          />
        </div>
        <ChangeStatus change={save} what={translate(t.stageNotSaved, { name: stage.name })} />
        {deleting && <DeleteStage pipeline={pipeline} stage={stage} onClose={() => setDeleting(false)} />}
      </TableCell>
    </TableRow>
  );
}

/** Removing a stage asks where its deals go: another stage of the same pipeline. */
function DeleteStage({ pipeline, stage, onClose }: { pipeline: Pipeline; stage: Stage; onClose(): void }) {
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const others = pipeline.stages.filter((s) => s.id !== stage.id);
  const [target, setTarget] = useState(others.find((s) => s.kind === stage.kind)?.id ?? others[0]?.id ?? "");
  const remove = useChange(
    () =>
      api("deleteStage", { params: { id: pipeline.id, stageId: stage.id }, query: { moveDealsTo: target } }),
    TOUCHES,
  );
  const targetName = others.find((s) => s.id === target)?.name ?? "";
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{translate(t.deleteStageTitle, { name: stage.name })}</DialogTitle>
          <DialogContent>
            <Field label={t.moveDealsTo} hint={t.movesRecorded}>
              <Dropdown
                value={targetName}
                selectedOptions={[target]}
                onOptionSelect={(_, d) => setTarget(d.optionValue ?? "")}
              >
                {others.map((s) => (
                  <Option key={s.id} value={s.id}>
                    {s.name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            {remove.isSuccess && (
              <Text role="status">
                {translate(remove.data.movedDeals === 1 ? t.stageDeletedOne : t.stageDeletedOther, {
                  count: remove.data.movedDeals,
                  target: targetName,
                })}
              </Text>
            )}
            {remove.isError && (
              <ProblemMessage
                error={remove.error}
                onRetry={() => remove.mutate(undefined)}
                what={t.stageNotDeleted}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>{remove.isSuccess ? t.close : t.cancel}</Button>
            {!remove.isSuccess && (
              <Button
                appearance="primary"
                disabled={!target || remove.isPending}
                onClick={() => remove.mutate(undefined)}
              >
                {remove.isPending ? t.deleting : t.deleteAndMove}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function AddStage({ pipeline }: { pipeline: Pipeline }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const version = useLatestVersion(pipeline.id);
  const [name, setName] = useState("");
  const [probability, setProbability] = useState("50");
  const [kind, setKind] = useState<StageKind>("open");
  const add = useChange(
    (stage: { name: string; probability: number; kind: StageKind; position: number }) =>
      api("addStage", { params: { id: pipeline.id }, body: { ...stage, version: version() } }),
    TOUCHES,
  );
  const value = probabilityOf(probability);
  // A new open stage goes after the last open one, before won and lost.
  const position =
    kind === "open" ? pipeline.stages.filter((s) => s.kind === "open").length : pipeline.stages.length;
  return (
    <form
      className={styles.row}
      aria-label={translate(t.addStageForm, { name: pipeline.name })}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (value === null) return;
        add.mutate(
          { name: name.trim(), probability: value, kind, position },
          { onSuccess: () => setName("") },
        );
      }}
    >
      <Field label={t.newStage}>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={t.probabilityPercent}>
        <Input
          className={styles.narrow}
          type="number"
          min={0}
          max={100}
          value={probability}
          onChange={(_, d) => setProbability(d.value)}
        />
      </Field>
      <Field label={t.kind}>
        <StageKindDropdown kind={kind} onKind={setKind} />
      </Field>
      <Button type="submit" icon={<AddRegular />} disabled={!name.trim() || value === null || add.isPending}>
        {t.addStage}
      </Button>
      <ChangeStatus change={add} what={t.stageNotAdded} done={t.stageAdded} />
    </form>
  );
}
