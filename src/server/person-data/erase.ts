import { type Kysely, sql } from "kysely";
import type { ContactErased } from "../../shared/person-data";
import { recordAudit } from "../audit";
import { lockAddresses } from "../db/address-lock";
import type { DB } from "../db/tables";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { type Mentions, mentionsOf, scrubJson } from "./mentions";

/*
 * Erasure (GDPR article 17), an admin's act: the organisation's data protection officer decides, a rep asks
 * them. In one transaction:
 *
 * - the contact goes, with its addresses, its deal links and its tasks;
 * - an interaction no other contact took part in (the emails with them alone, the notes, calls, meetings and
 *   visits about them) goes whole: without them it is no one's record;
 * - an interaction other contacts took part in stays theirs: the person's participant rows go, and so does its
 *   stored excerpt, which can quote them in ways no search finds (a reply quoting their words); its subject is
 *   scrubbed below like any text;
 * - every other text of the organisation that names them (a name of two words or more) or gives one of their
 *   addresses is rewritten with "[erased]": subjects and excerpts of other interactions, task titles and notes,
 *   deal and company names, other contacts' names and titles, participants' display names, custom field values,
 *   and the details of audit events;
 * - one audit event says that the contact was erased, by whom and when, with counts, never what was erased.
 *
 * Kept on purpose: a blocklist entry holding their address (it is how the organisation honours "never log me
 * again"), and internet message ids of emails others still share (the key that keeps a re-logged email one).
 */
export async function eraseContact(scope: Scope, contactId: string): Promise<ContactErased> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId } = scope.caller;
    await requireAdmin(tx, scope.caller, "erases a person");
    const addressesOf = () =>
      tx
        .selectFrom("contact_emails")
        .select(["address", "address_as_written"])
        .where("org_id", "=", orgId)
        .where("contact_id", "=", contactId)
        .execute();
    // The addresses' locks first, as logging an email takes them before it links its participants (which needs
    // the contact's row): taken the other way round, an erasure and a log could each wait for the other.
    await lockAddresses(
      tx,
      orgId,
      (await addressesOf()).map((e) => e.address),
    );
    const contact = await tx
      .selectFrom("contacts")
      .select(["display_name", "first_name", "last_name"])
      .where("org_id", "=", orgId)
      .where("id", "=", contactId)
      .forUpdate()
      .executeTakeFirst();
    if (!contact) throw notFound("The contact");
    const own = await addressesOf();
    // Names and addresses the emails carried: an address the contact no longer has, "Berg, Anna" from a header.
    const linked = await tx
      .selectFrom("interaction_participants")
      .select(["address", "name"])
      .distinct()
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .execute();
    // Both spellings of each: texts quote an address as it was written (jorg@müller.example), keys are canonical.
    const addresses = [
      ...new Set([
        ...own.flatMap((e) => (e.address_as_written ? [e.address, e.address_as_written] : [e.address])),
        ...linked.flatMap((p) => (p.address ? [p.address] : [])),
      ]),
    ];
    const fullName = [contact.first_name, contact.last_name].filter(Boolean).join(" ");
    const mentions = mentionsOf([contact.display_name, fullName, ...linked.map((p) => p.name)], addresses);

    const involved = await tx
      .selectFrom("interactions as i")
      .select("i.id")
      .select(
        sql<boolean>`exists (
          select 1 from interaction_participants o
          where o.interaction_id = i.id and o.contact_id is not null and o.contact_id <> ${contactId}
            and not coalesce(o.address = any(${addresses}::text[]), false))`.as("shared"),
      )
      .where("i.org_id", "=", orgId)
      .where(
        sql<boolean>`exists (
          select 1 from interaction_participants p
          where p.interaction_id = i.id and (p.contact_id = ${contactId} or p.address = any(${addresses}::text[])))`,
      )
      .execute();
    const deleted = involved.filter((i) => !i.shared).map((i) => i.id);
    const kept = involved.filter((i) => i.shared).map((i) => i.id);
    if (deleted.length)
      await tx
        .deleteFrom("interactions")
        .where("org_id", "=", orgId)
        .where(sql<boolean>`id = any(${deleted}::uuid[])`)
        .execute();
    if (kept.length) {
      await tx
        .deleteFrom("interaction_participants")
        .where("org_id", "=", orgId)
        .where(sql<boolean>`interaction_id = any(${kept}::uuid[])`)
        .where((eb) =>
          eb.or([eb("contact_id", "=", contactId), sql<boolean>`address = any(${addresses}::text[])`]),
        )
        .execute();
      await tx
        .updateTable("interactions")
        .set({ body: null, version: sql`version + 1`, updated_at: sql`now()` })
        .where("org_id", "=", orgId)
        .where(sql<boolean>`id = any(${kept}::uuid[])`)
        .execute();
    }
    const tasks = await tx
      .deleteFrom("tasks")
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .returning("id")
      .execute();
    // Its addresses and deal links go with it (on delete cascade).
    await tx.deleteFrom("contacts").where("org_id", "=", orgId).where("id", "=", contactId).execute();

    const scrubbed = mentions ? await scrubMentions(tx, orgId, mentions) : { records: 0, auditEvents: 0 };
    const result: ContactErased = {
      id: contactId,
      erased: true,
      interactionsDeleted: deleted.length,
      interactionsScrubbed: kept.length,
      tasksDeleted: tasks.length,
      recordsScrubbed: scrubbed.records,
      auditEventsScrubbed: scrubbed.auditEvents,
    };
    const { id: _id, erased: _erased, ...counts } = result;
    await recordAudit(tx, scope.caller, "contact.erased", { type: "contact", id: contactId }, counts);
    return result;
  });
}

/** The free text of the organisation's records, by table: where a person can be named or quoted. */
const TEXT_COLUMNS: { table: keyof DB; columns: string[]; versioned: boolean }[] = [
  { table: "interactions", columns: ["subject", "body"], versioned: true },
  { table: "interaction_participants", columns: ["name"], versioned: false },
  { table: "tasks", columns: ["title", "notes"], versioned: true },
  { table: "deals", columns: ["name"], versioned: true },
  { table: "companies", columns: ["name", "address"], versioned: true },
  { table: "contacts", columns: ["display_name", "title"], versioned: true },
];
const JSON_COLUMNS: { table: keyof DB; column: string; versioned: boolean }[] = [
  { table: "contacts", column: "custom_fields", versioned: true },
  { table: "companies", column: "custom_fields", versioned: true },
  { table: "deals", column: "custom_fields", versioned: true },
  { table: "audit_events", column: "details", versioned: false },
];

/**
 * Rewrites every mention in the organisation's free text. The store narrows the rows (ILIKE on the name's words
 * and the addresses, a superset), the mention's own pattern (whole words, any case) decides and rewrites; a
 * rewritten record gets a new version, so an editor holding the old one is told it changed.
 */
async function scrubMentions(
  tx: Kysely<DB>,
  orgId: string,
  mentions: Mentions,
): Promise<{ records: number; auditEvents: number }> {
  const patterns = mentions.patterns;
  let records = 0;
  let auditEvents = 0;
  const bump = (versioned: boolean) => (versioned ? sql`, version = version + 1, updated_at = now()` : sql``);
  for (const { table, columns, versioned } of TEXT_COLUMNS) {
    const refs = columns.map((c) => sql.ref(c));
    const rows = await sql<Record<string, string | null> & { id: string }>`
      select id, ${sql.join(refs)} from ${sql.table(table)}
      where org_id = ${orgId} and (${sql.join(
        refs.map((r) => sql`${r} ilike any(${patterns}::text[])`),
        sql` or `,
      )})`.execute(tx);
    for (const row of rows.rows) {
      const changed = columns.flatMap((c) => {
        const text = row[c];
        return typeof text === "string" && mentions.finds(text) ? [{ c, text }] : [];
      });
      if (changed.length === 0) continue;
      const sets = changed.map(({ c, text }) => sql`${sql.ref(c)} = ${mentions.scrub(text)}`);
      await sql`update ${sql.table(table)} set ${sql.join(sets)}${bump(versioned)}
        where org_id = ${orgId} and id = ${row.id}`.execute(tx);
      records++;
    }
  }
  for (const { table, column, versioned } of JSON_COLUMNS) {
    const rows = await sql<{ id: string; value: unknown }>`
      select id, ${sql.ref(column)} as value from ${sql.table(table)}
      where org_id = ${orgId} and ${sql.ref(column)}::text ilike any(${patterns}::text[])`.execute(tx);
    for (const row of rows.rows) {
      const before = JSON.stringify(row.value);
      const after = JSON.stringify(scrubJson(row.value, mentions));
      if (after === before) continue;
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${after}::jsonb${bump(versioned)}
        where org_id = ${orgId} and id = ${row.id}`.execute(tx);
      if (table === "audit_events") auditEvents++;
      else records++;
    }
  }
  return { records, auditEvents };
}
