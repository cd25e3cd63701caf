import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Option,
  OptionGroup,
  Text,
} from "@fluentui/react-components";
import { useState } from "react";
import type { z } from "zod";
import type { Pipeline, PipelineDeleted } from "../../../shared/pipelines";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useWebApp } from "../../services";
import { useChange } from "./change";
import { TOUCHES } from "./pipeline-changes";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { pipelinesMessages } from "./pipelines-messages";
import { Dropdown } from "../../components/choice-inputs";

export interface PipelineRemoval {
  name: string;
  result: z.output<typeof PipelineDeleted>;
  /** Where its deals went, as "Pipeline: Stage". */
  movedTo: string | null;
}

/** Where a stage stands in the list of targets: its pipeline's name with its own. */
const targetName = (pipeline: Pipeline, stageId: string) =>
  `${pipeline.name}: ${pipeline.stages.find((s) => s.id === stageId)?.name ?? ""}`;

/** Deals do best in a stage still being worked: the first open stage of the default pipeline, else of any. */
function suggestedTarget(others: Pipeline[]): string {
  const byDefault = [...others].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  for (const p of byDefault) {
    const open = p.stages.find((s) => s.kind === "open");
    if (open) return open.id;
  }
  return others[0]?.stages[0]?.id ?? "";
}

/**
 * Removing a pipeline: the server moves its deals to a stage of another pipeline (recorded in each deal's
 * history) and refuses the default pipeline, which new deals start in; its words are shown as they come.
 */
export function DeletePipelineDialog({
  pipeline,
  others,
  onClose,
  onDeleted,
}: {
  pipeline: Pipeline;
  others: Pipeline[];
  onClose(): void;
  onDeleted(removal: PipelineRemoval): void;
}) {
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const [target, setTarget] = useState(() => suggestedTarget(others));
  const targetPipeline = others.find((p) => p.stages.some((s) => s.id === target));
  const movedTo = targetPipeline ? targetName(targetPipeline, target) : null;
  const remove = useChange(async () => {
    const result = await api("deletePipeline", {
      params: { id: pipeline.id },
      query: target ? { moveDealsTo: target } : {},
    });
    // Said here, by the page: once the list is read again this dialog is gone with the pipeline.
    onDeleted({ name: pipeline.name, result, movedTo });
    return result;
  }, TOUCHES);
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{translate(t.deletePipelineTitle, { name: pipeline.name })}</DialogTitle>
          <DialogContent>
            <Text block>{translate(t.deletePipelineText, { count: pipeline.stages.length })}</Text>
            {others.length > 0 ? (
              <Field label={t.moveDealsTo}>
                <Dropdown
                  value={movedTo ?? ""}
                  selectedOptions={target ? [target] : []}
                  onOptionSelect={(_, d) => setTarget(d.optionValue ?? "")}
                >
                  {others.map((p) => (
                    <OptionGroup key={p.id} label={p.name}>
                      {p.stages.map((s) => (
                        <Option key={s.id} value={s.id} text={targetName(p, s.id)}>
                          {s.name}
                        </Option>
                      ))}
                    </OptionGroup>
                  ))}
                </Dropdown>
              </Field>
            ) : (
              <Text block>{t.noOtherPipeline}</Text>
            )}
            {remove.isError && (
              <ProblemMessage
                error={remove.error}
                onRetry={() => remove.mutate(undefined)}
                what={t.notDeleted}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} disabled={remove.isPending}>
              {t.cancel}
            </Button>
            <Button
              appearance="primary"
              disabledFocusable={remove.isPending}
              onClick={() => remove.mutate(undefined)}
            >
              {remove.isPending ? t.deleting : t.deletePipeline}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
