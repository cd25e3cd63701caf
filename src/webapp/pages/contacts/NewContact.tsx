import type { z } from "zod";
import { ContactCreate } from "../../../shared/contacts";
import { NewRecordPage } from "../../lists/NewRecordPage";
import { RecordCreator } from "../../lists/RecordCreator";
import { useWebApp } from "../../services";
import { CONTACTS_PATH } from "../paths";
import { useContactFields } from "./contact-fields";
import { useMessages } from "../../i18n/language";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { contactMessages } from "./contact-messages";

/** A new contact's form (/app/contacts/new): a lead owned by the user unless they choose otherwise. */
export function NewContact() {
  const { api } = useWebApp();
  const fields = useContactFields();
  const t = useMessages(contactMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <NewRecordPage title={t.newContact} listPath={CONTACTS_PATH} listLabel={kinds.contactAll}>
      {(me) => (
        <RecordCreator
          label={t.newContact}
          noun="contact"
          fields={fields}
          initial={{ lifecycleStage: "lead", ownerId: me.user.id }}
          schema={ContactCreate}
          // The form sends the contract's field names; the schema and then the server check the values.
          create={(body) => api("createContact", { body: body as z.input<typeof ContactCreate> })}
          kind="contact"
          list="contacts"
          listPath={CONTACTS_PATH}
        />
      )}
    </NewRecordPage>
  );
}
