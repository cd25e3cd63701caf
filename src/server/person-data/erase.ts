import { type Kysely, sql } from "kysely";
import type { ContactErased } from "../../shared/person-data";
import { recordAudit } from "../audit";
import { lockAddresses } from "../db/address-lock";
import type { DB } from "../db/tables";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { type Mentions, mentionsOf, scrubJson } from "./mentions";
import { emitEvent } from "../webhooks/outbox";

/*
 * Erasure (GDPR article 17), an admin's act: the organisation's data protection officer decides, a rep asks
 * them. It removes the person's identifiers (addresses, phones, and their name where it refers to them) from
 * what is about them, and nothing that belongs to another record. In one transaction:
 *
 * - the contact goes, with its addresses, phones, custom fields, its deal links and its tasks (a task linked to
 *   them is about them);
 * - an interaction no other contact took part in (the emails with them alone, the notes, calls, meetings and
 *   visits about them) goes whole: without them it is no one's record;
 * - an interaction other contacts took part in stays theirs: the person's participant entries go (their address
 *   and the name their mail carried), and so does its stored excerpt, which can quote them in ways no search
 *   finds (a reply quoting their words); its subject is rewritten where it names them or gives their address;
 * - the leads of their web form submissions go (what they sent, the page, the consent they gave), and so do their
 *   answers to survey links (scores and comments);
 * - their address leaves the joins in segments' histories of changes: a marketing platform reads those from any
 *   cursor, 0 too. Their leaves keep it, and so does their stored membership, which the next read of a segment
 *   turns into one more leave: that is how the platform learns which address to drop;
 * - the audit events about the contact, its tasks, its leads and those interactions are rewritten the same way;
 * - one audit event says that the contact was erased, by whom and when, with counts, never what was erased.
 *
 * Other records are left as they are, also where their text looks like the person: a company, a deal or a task
 * named "Acme Corp" is not the sender whose mail said "Acme Corp", and a colleague's note about someone else is
 * that note's. Kept on purpose too: a blocklist entry holding their address (it is how the organisation honours
 * "never log me again"), and internet message ids of emails others still share (the key that keeps a re-logged
 * email one).
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
      .select(["display_name", "first_name", "last_name", "phones"])
      .where("org_id", "=", orgId)
      .where("id", "=", contactId)
      .forUpdate()
      .executeTakeFirst();
    if (!contact) throw notFound("The contact");
    const own = await addressesOf();
    // Names and addresses their emails carried: an address the contact no longer has, "Berg, Anna" from a header.
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
    const mentions = mentionsOf(
      [contact.display_name, fullName, ...linked.map((p) => p.name)],
      addresses,
      contact.phones,
    );

    // Their participant entries: linked to them, or unlinked with an address that was theirs (mail logged before
    // they were a contact). An entry linked to another contact is that contact's, whatever its address.
    const theirs = sql<boolean>`(contact_id = ${contactId}
      or (contact_id is null and address = any(${addresses}::text[])))`;
    // Only their interactions are read, each found through an index: the rest of the organisation is not theirs.
    const involved = await sql<{
      id: string;
      subject: string | null;
      meeting_location: string | null;
      shared: boolean;
    }>`
      select i.id, i.subject, i.meeting_location, exists (
          select 1 from interaction_participants o
          where o.interaction_id = i.id and o.contact_id is not null and o.contact_id <> ${contactId}
        ) as shared
      from interactions i
      where i.org_id = ${orgId} and i.id in (
        select interaction_id from interaction_participants where org_id = ${orgId} and contact_id = ${contactId}
        union
        select interaction_id from interaction_participants
        where org_id = ${orgId} and contact_id is null and address = any(${addresses}::text[]))`.execute(tx);
    const deleted = involved.rows.filter((i) => !i.shared).map((i) => i.id);
    const kept = involved.rows.filter((i) => i.shared);
    if (deleted.length)
      await tx
        .deleteFrom("interactions")
        .where("org_id", "=", orgId)
        .where(sql<boolean>`id = any(${deleted}::uuid[])`)
        .execute();
    let subjectsRewritten = 0;
    if (kept.length) {
      const keptIds = kept.map((i) => i.id);
      await tx
        .deleteFrom("interaction_participants")
        .where("org_id", "=", orgId)
        .where(sql<boolean>`interaction_id = any(${keptIds}::uuid[])`)
        .where(theirs)
        .execute();
      const subjects = kept.map((i) =>
        i.subject !== null && mentions ? mentions.scrub(i.subject) : i.subject,
      );
      subjectsRewritten = kept.filter((i, n) => subjects[n] !== i.subject).length;
      // A meeting they organised keeps no trace of them: not their address as its organiser, not their name in
      // its place ("Anna's office").
      const locations = kept.map((i) =>
        i.meeting_location !== null && mentions ? mentions.scrub(i.meeting_location) : i.meeting_location,
      );
      await sql`
        update interactions i set body = null, subject = k.subject, meeting_location = k.location,
          meeting_organizer = case when i.meeting_organizer = any(${addresses}::text[]) then null
            else i.meeting_organizer end,
          version = i.version + 1, updated_at = now()
        from unnest(${keptIds}::uuid[], ${subjects}::text[], ${locations}::text[]) as k(id, subject, location)
        where i.org_id = ${orgId} and i.id = k.id`.execute(tx);
    }
    const tasks = await tx
      .deleteFrom("tasks")
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .returning("id")
      .execute();
    // What they sent through web forms: linked to them, or (the contact deleted since) sent with an address of
    // theirs. The lead is their submission and nothing else's, so it goes whole.
    const leads = await tx
      .deleteFrom("leads")
      .where("org_id", "=", orgId)
      .where((eb) =>
        eb.or([
          eb("contact_id", "=", contactId),
          eb.and([
            eb("contact_id", "is", null),
            sql<boolean>`lower(submitted->>'contact.email') = any(${addresses}::text[])`,
          ]),
        ]),
      )
      .returning("id")
      .execute();
    // Their survey answers: theirs alone (the contact's deletion would cascade to them; counted here).
    const ratings = await tx
      .deleteFrom("ratings")
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .returning("id")
      .execute();
    // A join in a segment's history tells a platform to add the address; a leave (made from the stored membership
    // at the next read) tells it to drop it, so the leaves keep theirs.
    await tx
      .updateTable("segment_changes")
      .set({ email: null })
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .where("kind", "=", "joined")
      .where("email", "is not", null)
      .execute();
    // Its addresses and deal links go with it (on delete cascade).
    await tx.deleteFrom("contacts").where("org_id", "=", orgId).where("id", "=", contactId).execute();

    const auditEventsScrubbed = mentions
      ? await scrubAuditEvents(tx, orgId, mentions, {
          contact: [contactId],
          task: tasks.map((t) => t.id),
          interaction: involved.rows.map((i) => i.id),
          lead: leads.map((l) => l.id),
        })
      : 0;
    const result: ContactErased = {
      id: contactId,
      erased: true,
      interactionsDeleted: deleted.length,
      interactionsScrubbed: kept.length,
      tasksDeleted: tasks.length,
      leadsDeleted: leads.length,
      ratingsDeleted: ratings.length,
      recordsScrubbed: subjectsRewritten,
      auditEventsScrubbed,
    };
    const { id: _id, erased: _erased, ...counts } = result;
    await recordAudit(tx, scope.caller, "contact.erased", { type: "contact", id: contactId }, counts);
    await emitEvent(tx, orgId, "contact.erased", { id: contactId });
    return result;
  });
}

/**
 * Rewrites the details of the audit events about the person's records (a snapshot of the contact, say), keeping
 * their shape; the events about other records are those records' history and stay as they are.
 */
async function scrubAuditEvents(
  tx: Kysely<DB>,
  orgId: string,
  mentions: Mentions,
  about: Record<"contact" | "task" | "interaction" | "lead", string[]>,
): Promise<number> {
  const entities = Object.entries(about)
    .filter(([, ids]) => ids.length > 0)
    .map(([type, ids]) => sql<boolean>`(entity_type = ${type} and entity_id = any(${ids}::uuid[]))`);
  const rows = await sql<{ id: string; details: unknown }>`
    select id, details from audit_events
    where org_id = ${orgId} and (${sql.join(entities, sql` or `)})`.execute(tx);
  let scrubbed = 0;
  for (const row of rows.rows) {
    const before = JSON.stringify(row.details);
    const after = JSON.stringify(scrubJson(row.details, mentions));
    if (after === before) continue;
    await sql`update audit_events set details = ${after}::jsonb where org_id = ${orgId} and id = ${row.id}`.execute(
      tx,
    );
    scrubbed++;
  }
  return scrubbed;
}
