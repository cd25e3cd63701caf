import { Caption1, Dropdown, Option, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DealWithStage } from "../../../shared/deals";
import { ApiError } from "../../../client/problems";
import { usePipelines } from "../hooks/usePipelines";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  notice: { color: tokens.colorPaletteDarkOrangeForeground1 },
  dropdown: { minWidth: "140px" },
});

/** A deal's stage as a dropdown of its pipeline's stages: choosing one moves the deal at once. */
export function DealStage({ deal }: { deal: DealWithStage }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const pipelines = usePipelines();
  const [movedMeanwhile, setMovedMeanwhile] = useState<string | null>(null);

  const move = useMutation({
    mutationFn: (stageId: string) =>
      api("moveDealToStage", {
        params: { id: deal.id },
        body: { stageId, version: deal.version, source: "pane" },
      }),
    onMutate: () => setMovedMeanwhile(null),
    onError: (error) => {
      // Someone moved it first: say where it is now, never overwrite their move.
      if (error instanceof ApiError && error.code === "version_conflict") {
        const current = DealWithStage.safeParse(error.problem?.current);
        if (current.success) setMovedMeanwhile(current.data.stage.name);
      }
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ["deal", deal.id] });
      void queryClient.invalidateQueries({ queryKey: ["dashboard"], refetchType: "none" });
      return queryClient.invalidateQueries({ queryKey: ["lookup"] });
    },
  });

  const stages = pipelines.data?.pipelines.find((p) => p.id === deal.pipelineId)?.stages ?? [deal.stage];
  const pendingStage = move.isPending ? stages.find((s) => s.id === move.variables) : undefined;
  return (
    <div>
      <Dropdown
        className={styles.dropdown}
        size="small"
        aria-label={t("stageOf", { deal: deal.name })}
        value={pendingStage?.name ?? deal.stage.name}
        selectedOptions={[pendingStage?.id ?? deal.stageId]}
        disabled={move.isPending}
        onOptionSelect={(_, data) => {
          if (data.optionValue && data.optionValue !== deal.stageId) move.mutate(data.optionValue);
        }}
      >
        {stages.map((stage) => (
          <Option key={stage.id} value={stage.id}>
            {stage.name}
          </Option>
        ))}
      </Dropdown>
      {movedMeanwhile && (
        <Caption1 className={styles.notice}>{t("dealMovedMeanwhile", { stage: movedMeanwhile })}</Caption1>
      )}
      {move.isError && !movedMeanwhile && (
        <ErrorMessage error={move.error} onRetry={() => move.mutate(move.variables)} />
      )}
    </div>
  );
}
