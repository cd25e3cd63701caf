import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type { Contact, ContactCreate, ContactListQuery, ContactUpdate } from "../../shared/contacts";
import type { EmailAddressForms } from "../../shared/email-address";
import { deleteOwnedRecord, recordAudit } from "../audit";
import { checkCustomFields } from "../custom-fields/service";
import { lockAddresses } from "../db/address-lock";
import type { ContactRow, DB } from "../db/tables";
import { notFound, versionConflict } from "../errors";
import { NameCursor, byName, decodeCursor, likePattern, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { emitEvent } from "../webhooks/outbox";

type ContactWithEmails = ContactRow & { emails: string[] };

export const toContact = (row: ContactWithEmails): Contact => ({
  id: row.id,
  displayName: row.display_name,
  firstName: row.first_name,
  lastName: row.last_name,
  title: row.title,
  emails: row.emails,
  phones: row.phones,
  companyId: row.company_id,
  lifecycleStage: row.lifecycle_stage,
  tags: row.tags,
  ownerId: row.owner_id,
  source: row.source,
  customFields: row.custom_fields,
  language: row.language,
  birthday:
    row.birthday_day !== null && row.birthday_month !== null
      ? { day: row.birthday_day, month: row.birthday_month, year: row.birthday_year }
      : null,
  noAutomatedMail: row.no_automated_mail,
  noMarketing: row.no_marketing,
  country: row.country,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

/** Contacts of one organisation, each with its addresses as they were written (primary first). */
export function selectContacts(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("contacts as c")
    .selectAll("c")
    .select(
      sql<
        string[]
      >`array(select coalesce(e.address_as_written, e.address) from contact_emails e where e.contact_id = c.id order by e.position)`.as(
        "emails",
      ),
    )
    .where("c.org_id", "=", orgId);
}

/** The contact list's search: name or job title in any case, or part of an address in either of its forms. */
function matchesContactSearch(q: string) {
  const pattern = likePattern(q);
  const addressPattern = pattern.normalize("NFC").toLowerCase();
  return (eb: ExpressionBuilder<DB & { c: DB["contacts"] }, "c">) =>
    eb.or([
      eb("c.display_name", "ilike", pattern),
      eb("c.title", "ilike", pattern),
      eb.exists(
        eb
          .selectFrom("contact_emails as e")
          .select(sql`1`.as("one"))
          .whereRef("e.contact_id", "=", "c.id")
          .where((inner) =>
            inner.or([
              inner("e.address", "like", addressPattern),
              inner("e.address_as_written", "like", addressPattern),
            ]),
          ),
      ),
    ]);
}

/** The contact list's filters, for the list and its exports (whose queries select differently): all must match. */
export function matchesContactFilters(query: Omit<ContactListQuery, "cursor" | "limit">) {
  return (eb: ExpressionBuilder<DB & { c: DB["contacts"] }, "c">) =>
    eb.and([
      ...(query.q ? [matchesContactSearch(query.q)(eb)] : []),
      ...(query.ownerId ? [eb("c.owner_id", "=", query.ownerId)] : []),
      ...(query.lifecycleStage ? [eb("c.lifecycle_stage", "=", query.lifecycleStage)] : []),
      ...(query.tag ? [sql<boolean>`c.tags @> array[${query.tag}]::text[]`] : []),
    ]);
}

export async function listContacts(scope: Scope, query: ContactListQuery) {
  const name = byName("c.display_name", "c.id");
  const after = decodeCursor(query.cursor, NameCursor);
  let select = selectContacts(scope.db, scope.caller.orgId)
    .select(name.key.as("sort_key"))
    .where(matchesContactFilters(query));
  if (after) select = select.where(name.after(after));
  const rows = await select
    .orderBy(name.key)
    .orderBy("c.id")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toContact, (r) => [r.sort_key, r.id]);
}

export async function getContact(scope: Scope, id: string): Promise<Contact> {
  const row = await selectContacts(scope.db, scope.caller.orgId).where("c.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("The contact");
  return toContact(row);
}

function phonesOf(input: { phone?: string | null; phones?: string[] }): string[] | undefined {
  if (input.phones === undefined && input.phone === undefined) return undefined;
  const phones = [...(input.phone ? [input.phone] : []), ...(input.phones ?? [])];
  return [...new Set(phones)];
}

/**
 * Sets a contact's addresses (keyed canonically, kept as written; two spellings of one address are one, the first
 * kept), and links emails already logged with those addresses to the contact.
 */
async function setEmails(
  tx: Kysely<DB>,
  orgId: string,
  contactId: string,
  emails: EmailAddressForms[],
): Promise<void> {
  const byAddress = new Map<string, string>();
  for (const { address, written } of emails) if (!byAddress.has(address)) byAddress.set(address, written);
  const unique = [...byAddress.keys()];
  await lockAddresses(tx, orgId, unique);
  await tx
    .deleteFrom("contact_emails")
    .where("org_id", "=", orgId)
    .where("contact_id", "=", contactId)
    .execute();
  if (unique.length === 0) return;
  await tx
    .insertInto("contact_emails")
    .values(
      [...byAddress].map(([address, written], position) => ({
        org_id: orgId,
        contact_id: contactId,
        address,
        address_as_written: written === address ? null : written,
        position,
      })),
    )
    .execute();
  await tx
    .updateTable("interaction_participants")
    .set({ contact_id: contactId })
    .where("org_id", "=", orgId)
    .where("contact_id", "is", null)
    .where("address", "in", unique)
    .execute();
}

export async function createContact(scope: Scope, input: ContactCreate): Promise<Contact> {
  return scope.db.transaction().execute(async (tx) => {
    const customFields = await checkCustomFields(tx, scope.caller.orgId, "contact", input.customFields ?? {});
    const row = await tx
      .insertInto("contacts")
      .values({
        org_id: scope.caller.orgId,
        display_name: input.displayName,
        first_name: input.firstName ?? null,
        last_name: input.lastName ?? null,
        title: input.title ?? null,
        phones: phonesOf(input) ?? [],
        company_id: input.companyId ?? null,
        lifecycle_stage: input.lifecycleStage,
        tags: input.tags ?? [],
        owner_id: input.ownerId === undefined ? scope.caller.userId : input.ownerId,
        source: input.source,
        custom_fields: JSON.stringify(customFields),
        language: input.language ?? null,
        birthday_day: input.birthday?.day ?? null,
        birthday_month: input.birthday?.month ?? null,
        birthday_year: input.birthday?.year ?? null,
        no_automated_mail: input.noAutomatedMail ?? false,
        no_marketing: input.noMarketing ?? false,
        country: input.country ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await setEmails(tx, scope.caller.orgId, row.id, input.emails ?? []);
    await recordAudit(tx, scope.caller, "contact.created", { type: "contact", id: row.id });
    const contact = await getContact({ ...scope, db: tx }, row.id);
    await emitEvent(tx, scope.caller.orgId, "contact.created", contact);
    return contact;
  });
}

export async function updateContact(
  scope: Scope,
  id: string,
  version: number,
  input: ContactUpdate,
): Promise<Contact> {
  return scope.db.transaction().execute(async (tx) => {
    const customFields =
      input.customFields === undefined
        ? undefined
        : await checkCustomFields(tx, scope.caller.orgId, "contact", input.customFields);
    const row = await tx
      .updateTable("contacts")
      .set({
        display_name: input.displayName,
        first_name: input.firstName,
        last_name: input.lastName,
        title: input.title,
        phones: phonesOf(input),
        company_id: input.companyId,
        lifecycle_stage: input.lifecycleStage,
        tags: input.tags,
        owner_id: input.ownerId,
        custom_fields: customFields === undefined ? undefined : JSON.stringify(customFields),
        language: input.language,
        ...(input.birthday === undefined
          ? {}
          : {
              birthday_day: input.birthday?.day ?? null,
              birthday_month: input.birthday?.month ?? null,
              birthday_year: input.birthday?.year ?? null,
            }),
        no_automated_mail: input.noAutomatedMail,
        no_marketing: input.noMarketing,
        country: input.country,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    const txScope = { ...scope, db: tx };
    if (!row) throw versionConflict(await getContact(txScope, id));
    if (input.emails !== undefined) await setEmails(tx, scope.caller.orgId, id, input.emails);
    await recordAudit(
      tx,
      scope.caller,
      "contact.updated",
      { type: "contact", id },
      { fields: Object.keys(input) },
    );
    const contact = await getContact(txScope, id);
    await emitEvent(tx, scope.caller.orgId, "contact.updated", contact);
    return contact;
  });
}

export function deleteContact(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return deleteOwnedRecord(scope.db, scope.caller, "contacts", "contact", id);
}
