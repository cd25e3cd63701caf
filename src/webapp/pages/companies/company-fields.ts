import type { Company } from "../../../shared/companies";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, customField, textField } from "../../lists/record-fields";
import { useWebApp } from "../../services";

/** A company's fields and the organisation's company custom fields, as its page and the new company's form show them. */
export function useCompanyFields(): FieldSpec<Company>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "company");
  const users = useUserOptions();
  return [
    textField("name", "Name", (c) => c.name, { required: true }),
    textField("domain", "Domain", (c) => c.domain, { hint: "Matches senders' addresses to the company" }),
    textField("phone", "Phone", (c) => c.phone),
    textField("website", "Website", (c) => c.website),
    textField("address", "Address", (c) => c.address, { input: "textarea" }),
    choiceField("ownerId", "Owner", users.options, (c) => c.ownerId),
    ...definitions.map((d) => customField<Company>(d)),
  ];
}
