import type { Company } from "../../../shared/companies";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, customField, textField } from "../../lists/record-fields";
import { useWebApp } from "../../services";
import { useMessages } from "../../i18n/language";
import { companyMessages } from "./company-messages";

/** A company's fields and the organisation's company custom fields, as its page and the new company's form show them. */
export function useCompanyFields(): FieldSpec<Company>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "company");
  const users = useUserOptions();
  const t = useMessages(companyMessages);
  return [
    textField("name", t.name, (c) => c.name, { required: true }),
    textField("domain", t.domain, (c) => c.domain, { hint: t.domainHint }),
    textField("phone", t.phone, (c) => c.phone),
    textField("website", t.website, (c) => c.website),
    textField("address", t.address, (c) => c.address, { input: "textarea" }),
    choiceField("ownerId", t.owner, users.options, (c) => c.ownerId),
    ...definitions.map((d) => customField<Company>(d)),
  ];
}
