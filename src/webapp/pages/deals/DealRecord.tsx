import type { z } from "zod";
import { Field, Select, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { ApiError } from "../../../client/problems";
import { DealWithStage, type DealUpdate } from "../../../shared/deals";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { usePipelines } from "../../hooks";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { DEALS_PATH } from "../paths";
import { useDealFields } from "./deal-fields";

const useStyles = makeStyles({
  stage: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  notice: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** One deal: its stage, to move it on, and its fields and custom fields, to edit. */
export function DealRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("deal", "deals", id, () => api("getDeal", { params: { id } }));
  const fields = useDealFields();
  return (
    <RecordLoad record={record} noun="deal">
      {(deal) => (
        <RecordLayout listPath={DEALS_PATH} listLabel="All deals" title={deal.name}>
          <Section title="Stage">
            <StageMove deal={deal} onMoved={saved} />
          </Section>
          <Section title="Details">
            <RecordEditor
              label={`Edit ${deal.name}`}
              record={deal}
              fields={fields}
              // The form sends the contract's field names; the server checks the values.
              save={(body) => api("updateDeal", { params: { id }, body: body as z.input<typeof DealUpdate> })}
              parseCurrent={(value) => DealWithStage.safeParse(value).data ?? null}
              onRecord={saved}
            />
          </Section>
        </RecordLayout>
      )}
    </RecordLoad>
  );
}

/** Moves the deal to another stage of its pipeline, with the version read; a colleague's move is said so. */
function StageMove({ deal, onMoved }: { deal: DealWithStage; onMoved(deal: DealWithStage): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const pipeline = usePipelines().data?.pipelines.find((p) => p.id === deal.pipelineId);
  const move = useMutation({
    mutationFn: (stageId: string) =>
      api("moveDealToStage", {
        params: { id: deal.id },
        body: { stageId, version: deal.version, source: "web" },
      }),
    retry: false,
    onSuccess: onMoved,
    onError: (error) => {
      if (!(error instanceof ApiError) || error.code !== "version_conflict") return;
      const current = DealWithStage.safeParse(error.problem?.current);
      if (current.success) onMoved(current.data);
    },
  });
  const conflict = move.error instanceof ApiError && move.error.code === "version_conflict";
  return (
    <>
      <div className={styles.stage}>
        <Field label={`Stage of ${pipeline?.name ?? "its pipeline"}`}>
          <Select
            value={deal.stageId}
            disabled={move.isPending}
            onChange={(_, d) => d.value !== deal.stageId && move.mutate(d.value)}
          >
            {(pipeline?.stages ?? [deal.stage]).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.probability} %)
              </option>
            ))}
          </Select>
        </Field>
        <span role="status" aria-live="polite">
          {move.isPending && <Spinner size="extra-tiny" label="Moving…" />}
          {move.isSuccess && <Text>Moved to {deal.stage.name}.</Text>}
        </span>
      </div>
      {conflict && (
        <Text className={styles.notice} role="alert">
          A colleague changed this deal meanwhile: it is in {deal.stage.name} now. Pick a stage again to move
          it.
        </Text>
      )}
      {move.isError && !conflict && (
        <ProblemMessage
          error={move.error}
          onRetry={() => move.variables && move.mutate(move.variables)}
          what="The deal was not moved"
        />
      )}
    </>
  );
}
