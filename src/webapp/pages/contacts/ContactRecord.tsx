import type { z } from "zod";
import { Contact, type ContactUpdate } from "../../../shared/contacts";
import { Section } from "../../components/Section";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { CONTACTS_PATH } from "../paths";
import { RatingScores } from "../ratings/RatingScores";
import { InteractionTimeline } from "../relationships/InteractionTimeline";
import { RelationshipGlance } from "../relationships/RelationshipGlance";
import { useContactFields } from "./contact-fields";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { listMessages } from "../../lists/list-messages";
import { recordKindMessages } from "../../lists/record-kind-messages";

/** One contact's fields and custom fields, to edit, and their survey scores. */
export function ContactRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("contact", "contacts", id, () => api("getContact", { params: { id } }));
  const fields = useContactFields();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <RecordLoad record={record} noun="contact">
      {(contact) => (
        <RecordLayout listPath={CONTACTS_PATH} listLabel={kinds.contactAll} title={contact.displayName}>
          <Section title={t.details}>
            <RecordEditor
              label={translate(t.editRecord, { name: contact.displayName })}
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
          <RatingScores of={{ kind: "contact", id }} />
          <RelationshipGlance of={{ kind: "contact", id }} />
          <InteractionTimeline of={{ kind: "contact", id }} />
        </RecordLayout>
      )}
    </RecordLoad>
  );
}
