import type { z } from "zod";
import { Contact, type ContactUpdate } from "../../../shared/contacts";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { Section } from "../../components/Section";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, customField, listField, textField } from "../../lists/record-fields";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { CONTACTS_PATH } from "../paths";

export const LIFECYCLE_STAGES = [
  { value: "lead", label: "Lead" },
  { value: "prospect", label: "Prospect" },
  { value: "customer", label: "Customer" },
  { value: "former", label: "Former customer" },
];

/** One contact's fields and custom fields, to edit. */
export function ContactRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("contact", "contacts", id, () => api("getContact", { params: { id } }));
  const definitions = useCustomFieldDefinitions(api, "contact");
  const users = useUserOptions();
  const fields: FieldSpec<Contact>[] = [
    textField("displayName", "Name", (c) => c.displayName, { required: true }),
    textField("firstName", "First name", (c) => c.firstName),
    textField("lastName", "Last name", (c) => c.lastName),
    textField("title", "Job title", (c) => c.title),
    listField("emails", "Email addresses", (c) => c.emails, "The first is the primary one"),
    listField("phones", "Phones", (c) => c.phones),
    choiceField("lifecycleStage", "Lifecycle stage", LIFECYCLE_STAGES, (c) => c.lifecycleStage, {
      required: true,
    }),
    listField("tags", "Tags", (c) => c.tags),
    choiceField("ownerId", "Owner", users.options, (c) => c.ownerId),
    ...definitions.map((d) => customField<Contact>(d)),
  ];
  return (
    <RecordLoad record={record} noun="contact">
      {(contact) => (
        <RecordLayout listPath={CONTACTS_PATH} listLabel="All contacts" title={contact.displayName}>
          <Section title="Details">
            <RecordEditor
              label={`Edit ${contact.displayName}`}
              record={contact}
              fields={fields}
              // The form sends the contract's field names; the server checks the values.
              save={(body) =>
                api("updateContact", { params: { id }, body: body as z.input<typeof ContactUpdate> })
              }
              parseCurrent={(value) => Contact.safeParse(value).data ?? null}
              onRecord={saved}
            />
          </Section>
        </RecordLayout>
      )}
    </RecordLoad>
  );
}
