import type { z } from "zod";
import { Field, Select, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
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
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { listMessages } from "../../lists/list-messages";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { dealMessages } from "./deal-messages";
import { DealLinesSection } from "./DealLinesEditor";
import { DealQuotesSection } from "../quotes/DealQuotesSection";
import { InteractionTimeline } from "../relationships/InteractionTimeline";
import { formatNumber } from "../../format";

const useStyles = makeStyles({
  stage: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  notice: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** One deal: its stage, to move it on, and its fields and custom fields, to edit. */
export function DealRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("deal", "deals", id, () => api("getDeal", { params: { id } }));
  // The same query as the lines' section: while the deal has lines, they set its amount and currency.
  const lines = useQuery({
    queryKey: ["dealLines", id],
    queryFn: () => api("getDealLines", { params: { id } }),
  });
  const fields = useDealFields({ fromLines: (lines.data?.lines.length ?? 0) > 0 });
  const t = useMessages(dealMessages);
  const lists = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <RecordLoad record={record} noun="deal">
      {(deal) => (
        <RecordLayout listPath={DEALS_PATH} listLabel={kinds.dealAll} title={deal.name}>
          <Section title={t.stage}>
            <StageMove deal={deal} onMoved={saved} />
          </Section>
          <DealLinesSection deal={deal} />
          <DealQuotesSection deal={deal} />
          <InteractionTimeline of={{ kind: "deal", id }} />
          <Section title={lists.details}>
            <RecordEditor
              label={translate(lists.editRecord, { name: deal.name })}
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
  const t = useMessages(dealMessages);
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
        <Field label={pipeline ? translate(t.stageOf, { pipeline: pipeline.name }) : t.stageOfItsPipeline}>
          <Select
            value={deal.stageId}
            disabled={move.isPending}
            onChange={(_, d) => d.value !== deal.stageId && move.mutate(d.value)}
          >
            {(pipeline?.stages ?? [deal.stage]).map((s) => (
              <option key={s.id} value={s.id}>
                {translate(t.stageWithProbability, {
                  stage: s.name,
                  probability: formatNumber(s.probability, 0),
                })}
              </option>
            ))}
          </Select>
        </Field>
        <span role="status" aria-live="polite">
          {move.isPending && <Spinner size="extra-tiny" label={t.moving} />}
          {move.isSuccess && <Text>{translate(t.movedTo, { stage: deal.stage.name })}</Text>}
        </span>
      </div>
      {conflict && (
        <Text className={styles.notice} role="alert">
          {translate(t.movedMeanwhile, { stage: deal.stage.name })}
        </Text>
      )}
      {move.isError && !conflict && (
        <ProblemMessage
          error={move.error}
          onRetry={() => move.variables && move.mutate(move.variables)}
          what={t.notMoved}
        />
      )}
    </>
  );
}
