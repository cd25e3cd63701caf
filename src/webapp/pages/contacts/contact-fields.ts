import type { Contact } from "../../../shared/contacts";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useLinkedNames } from "../../lists/linked-records";
import { useUserOptions } from "../../lists/options";
import {
  type FieldSpec,
  choiceField,
  customField,
  linkField,
  listField,
  textField,
} from "../../lists/record-fields";
import { useWebApp } from "../../services";

export const LIFECYCLE_STAGES = [
  { value: "lead", label: "Lead" },
  { value: "prospect", label: "Prospect" },
  { value: "customer", label: "Customer" },
  { value: "former", label: "Former customer" },
];

/** A contact's fields and the organisation's contact custom fields, as its page and the new contact's form show them. */
export function useContactFields(): FieldSpec<Contact>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "contact");
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  return [
    textField("displayName", "Name", (c) => c.displayName, { required: true }),
    textField("firstName", "First name", (c) => c.firstName),
    textField("lastName", "Last name", (c) => c.lastName),
    textField("title", "Job title", (c) => c.title),
    linkField("companyId", "Company", { kind: "company" }, (c) => c.companyId, nameOf),
    listField("emails", "Email addresses", (c) => c.emails, "The first is the primary one"),
    listField("phones", "Phones", (c) => c.phones),
    choiceField("lifecycleStage", "Lifecycle stage", LIFECYCLE_STAGES, (c) => c.lifecycleStage, {
      required: true,
    }),
    listField("tags", "Tags", (c) => c.tags),
    choiceField("ownerId", "Owner", users.options, (c) => c.ownerId),
    ...definitions.map((d) => customField<Contact>(d)),
  ];
}
