import type { z } from "zod";
import { DealCreate, type DealWithStage } from "../../../shared/deals";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useCurrencies, usePipelines } from "../../hooks";
import { NewRecordPage } from "../../lists/NewRecordPage";
import { RecordCreator } from "../../lists/RecordCreator";
import { useStageOptions } from "../../lists/options";
import { choiceField } from "../../lists/record-fields";
import { useWebApp } from "../../services";
import { DEALS_PATH } from "../paths";
import { useDealFields } from "./deal-fields";
import { useMessages } from "../../i18n/language";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { dealMessages } from "./deal-messages";

/**
 * A new deal's form (/app/deals/new): in the default pipeline's first open stage and the organisation's base
 * currency, owned by the user, unless they choose otherwise. It waits for the pipelines and the currencies so
 * that the stage and the currency shown are the ones sent.
 */
export function NewDeal() {
  const { api } = useWebApp();
  const pipelines = usePipelines();
  const currencies = useCurrencies();
  const { stageOptions } = useStageOptions(undefined);
  const fields = useDealFields();
  const t = useMessages(dealMessages);
  const kinds = useMessages(recordKindMessages);
  const all = pipelines.data?.pipelines ?? [];
  const first = (all.find((p) => p.isDefault) ?? all[0])?.stages.find((s) => s.kind === "open");
  const stage = choiceField<DealWithStage>("stageId", t.stage, stageOptions, (d) => d.stageId, {
    required: true,
  });
  return (
    <NewRecordPage title={t.newDeal} listPath={DEALS_PATH} listLabel={kinds.dealAll}>
      {(me) =>
        pipelines.data && currencies.data ? (
          <RecordCreator
            label={t.newDeal}
            noun="deal"
            fields={[...fields.slice(0, 1), stage, ...fields.slice(1)]}
            initial={{
              ownerId: me.user.id,
              stageId: first?.id ?? "",
              currency: currencies.data.baseCurrency,
            }}
            schema={DealCreate}
            // The form sends the contract's field names; the schema and then the server check the values.
            create={(body) => api("createDeal", { body: body as z.input<typeof DealCreate> })}
            kind="deal"
            list="deals"
            listPath={DEALS_PATH}
          />
        ) : pipelines.isError ? (
          <ProblemMessage
            error={pipelines.error}
            onRetry={() => void pipelines.refetch()}
            what={t.pipelinesNotLoaded}
          />
        ) : currencies.isError ? (
          <ProblemMessage
            error={currencies.error}
            onRetry={() => void currencies.refetch()}
            what={t.currenciesNotLoaded}
          />
        ) : (
          <Loading label={t.loadingPipelines} />
        )
      }
    </NewRecordPage>
  );
}
