import type { DealWithStage } from "../../../shared/deals";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useLinkedNames } from "../../lists/linked-records";
import { useCurrencies } from "../../hooks";
import { useUserOptions } from "../../lists/options";
import {
  type FieldSpec,
  choiceField,
  currencyField,
  customField,
  linkField,
  numberField,
  textField,
} from "../../lists/record-fields";
import { useWebApp } from "../../services";
import { useMessages } from "../../i18n/language";
import { dealMessages } from "./deal-messages";

/**
 * A deal's fields and the organisation's deal custom fields, as its page and the new deal's form show them. The
 * stage is not among them: a deal moves through `moveDealToStage`, which keeps the history. While the deal has
 * lines, its amount and currency are theirs: shown locked, with a hint saying where to change them.
 */
export function useDealFields({
  fromLines = false,
}: { fromLines?: boolean } = {}): FieldSpec<DealWithStage>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "deal");
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  const baseCurrency = useCurrencies().data?.baseCurrency ?? null;
  const t = useMessages(dealMessages);
  return [
    textField("name", t.name, (d) => d.name, { required: true }),
    lockedByLines(
      numberField("amount", t.amount, (d) => d.amount),
      fromLines,
      t.amountFromLines,
    ),
    lockedByLines(
      currencyField("currency", t.currency, (d) => d.currency, baseCurrency),
      fromLines,
      t.currencyFromLines,
    ),
    textField("expectedCloseDate", t.expectedClose, (d) => d.expectedCloseDate, { input: "date" }),
    linkField("companyId", t.company, { kind: "company" }, (d) => d.companyId, nameOf),
    linkField("contactIds", t.contacts, { kind: "contact", multiple: true }, (d) => d.contactIds, nameOf),
    choiceField("ownerId", t.owner, users.options, (d) => d.ownerId),
    ...definitions.map((d) => customField<DealWithStage>(d)),
  ];
}

const lockedByLines = <R>(field: FieldSpec<R>, locked: boolean, hint: string): FieldSpec<R> =>
  locked ? { ...field, readOnly: true, hint } : field;
