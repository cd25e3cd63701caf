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

/**
 * A deal's fields and the organisation's deal custom fields, as its page and the new deal's form show them. The
 * stage is not among them: a deal moves through `moveDealToStage`, which keeps the history.
 */
export function useDealFields(): FieldSpec<DealWithStage>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "deal");
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  const baseCurrency = useCurrencies().data?.baseCurrency ?? null;
  return [
    textField("name", "Name", (d) => d.name, { required: true }),
    numberField("amount", "Amount", (d) => d.amount),
    currencyField("currency", "Currency", (d) => d.currency, baseCurrency),
    textField("expectedCloseDate", "Expected close", (d) => d.expectedCloseDate, { input: "date" }),
    linkField("companyId", "Company", { kind: "company" }, (d) => d.companyId, nameOf),
    linkField("contactIds", "Contacts", { kind: "contact", multiple: true }, (d) => d.contactIds, nameOf),
    choiceField("ownerId", "Owner", users.options, (d) => d.ownerId),
    ...definitions.map((d) => customField<DealWithStage>(d)),
  ];
}
