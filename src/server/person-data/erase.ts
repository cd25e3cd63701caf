import { type Kysely, sql } from "kysely";
import type { ContactErased } from "../../shared/person-data";
import { recordAudit } from "../audit";
import { lockAddresses } from "../db/address-lock";
import type { DB } from "../db/tables";
import type { Database } from "../db/database";
import { AppError, notFound } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { rememberErasedAddresses } from "./erased-addresses";
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
 * - their address leaves the joins in segments' histories of changes (theirs, and those of the contacts merged
 *   into them, which the merge left under the merged-away ids): a marketing platform reads those from any
 *   cursor, 0 too. Their leaves keep it, and so does their stored membership, which the next read of a segment
 *   turns into one more leave: that is how the platform learns which address to drop;
 * - the audit events about the contact, its tasks, its leads and those interactions are rewritten the same way;
 * - one audit event says that the contact was erased, by whom and when, with counts, never what was erased.
 *
 * Other records are left as they are, also where their text looks like the person: a company, a deal or a task
 * named "Acme Corp" is not the sender whose mail said "Acme Corp", and a colleague's note about someone else is
 * that note's. Kept on purpose too: a blocklist entry holding their address (it is how the organisation honours
 * "never log me again"), and internet message ids of emails others still share (the key that keeps a re-logged
 * email one). Left behind: a keyed digest of each of their addresses (erased-addresses.ts), which keeps the
 * calendar capture from recording them on a meeting again.
 */
export async function eraseContact(
  scope: Scope,
  contactId: string,
  slice = DEFAULT_ERASURE_SLICE,
): Promise<ContactErased> {
  // The admin's check and the first slice, which writes the erasure's row, commit together: an erasure that began
  // was asked by an admin, and from then on it is finished whoever carries it on.
  const first = await scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "erases a person");
    return eraseSlice(tx, scope.caller, contactId, slice, null);
  });
  return finishErasure(scope.db, scope.caller.orgId, contactId, slice, first);
}

/** Interactions an erasure takes per transaction, by default (RAPPORT_ERASURE_SLICE). */
export const DEFAULT_ERASURE_SLICE = 100;

/**
 * Where the last slice stopped in the person's linked participant entries, oldest first: the next slice reads on
 * from there through the index rather than past the entries the slices before deleted, which stay in the index
 * until a vacuum. Oldest first too because the contact's last interaction (0026's trigger, at every slice) is read
 * from the newest end of the same index: deleting from that end, each slice read past all the deleted entries
 * before it, and the erasure grew with the square of the person's interactions.
 */
type Cursor = { at: Date; interactionId: string } | null;
type Slice = { kind: "more"; after: Cursor } | { kind: "gone" } | { kind: "done"; result: ContactErased };

/**
 * Runs the slices after the first until the erasure is done. Between two slices nothing is held: on the
 * embedded store the one connection goes to the requests that queued meanwhile (the pool lends it in turn).
 */
async function finishErasure(
  db: Kysely<DB>,
  orgId: string,
  contactId: string,
  slice: number,
  first: Slice,
): Promise<ContactErased> {
  let step = first;
  while (step.kind === "more") {
    // A turn of the event loop first: the embedded store answers without any I/O, so without it the next slice
    // would follow at once, and a request that arrived meanwhile (its socket read, its token checked) would not
    // reach the pool's queue before the erasure's end.
    await new Promise((resolve) => setImmediate(resolve));
    const { after } = step;
    step = await db.transaction().execute((tx) => eraseSlice(tx, { orgId }, contactId, slice, after));
  }
  if (step.kind === "gone") throw notFound("The contact");
  return step.result;
}

/**
 * Carries on every erasure a server stopped in the middle of (killed, the store cut off), on every organisation:
 * a server runs this when it starts. Two servers doing it at once take turns on each person (the contact's lock),
 * and the one that finds the contact gone stops.
 */
export async function resumeErasures(
  database: Database,
  slice = DEFAULT_ERASURE_SLICE,
): Promise<{ resumed: number; erased: ContactErased[] }> {
  const pending = await database.db.selectFrom("erasures").select(["org_id", "contact_id"]).execute();
  const erased: ContactErased[] = [];
  for (const job of pending) {
    const db = database.forOrganization(job.org_id);
    try {
      const next = await db
        .transaction()
        .execute((tx) => eraseSlice(tx, { orgId: job.org_id }, job.contact_id, slice, null));
      erased.push(await finishErasure(db, job.org_id, job.contact_id, slice, next));
    } catch (error) {
      // Erased meanwhile by another server or a request of the admin: nothing is left to do.
      if (!(error instanceof AppError && error.status === 404)) throw error;
    }
  }
  return { resumed: pending.length, erased };
}

interface Mentioned {
  names: (string | null)[];
  addresses: string[];
  phones: string[];
}

const NO_COUNTS = {
  interactionsDeleted: 0,
  interactionsScrubbed: 0,
  tasksDeleted: 0,
  leadsDeleted: 0,
  ratingsDeleted: 0,
  recordsScrubbed: 0,
  auditEventsScrubbed: 0,
};
type Counts = typeof NO_COUNTS;

/**
 * One transaction of an erasure: at most `slice` of the person's interactions, and, when none are left after
 * them, the rest (tasks, leads, ratings, segment joins, the contact, the audit trail) and the erasure's own row.
 * Each slice takes the person's address locks and the contact's row lock first, as the whole erasure did: a log
 * of their email waits for the slice in progress, and an email logged between two slices is found by a later one
 * (the contact is still there to link it to, and the last slice looks again under the same locks).
 *
 * `requester` is the admin asking (the first slice writes the erasure's row with them), or, carrying on, only
 * the organisation. A contact that is gone (another request finished the erasure) ends it: the row goes too.
 */
async function eraseSlice(
  tx: Kysely<DB>,
  requester: Scope["caller"] | { orgId: string },
  contactId: string,
  slice: number,
  after: Cursor,
): Promise<Slice> {
  const { orgId } = requester;
  const own = await tx
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
    own.map((e) => e.address),
  );
  const contact = await tx
    .selectFrom("contacts")
    .select(["display_name", "first_name", "last_name", "phones"])
    .where("org_id", "=", orgId)
    .where("id", "=", contactId)
    .forUpdate()
    .executeTakeFirst();
  if (!contact) {
    await tx.deleteFrom("erasures").where("org_id", "=", orgId).where("contact_id", "=", contactId).execute();
    return { kind: "gone" };
  }
  const job = await tx
    .selectFrom("erasures")
    .select(["requested_by", "mentions", "counts"])
    .where("org_id", "=", orgId)
    .where("contact_id", "=", contactId)
    .executeTakeFirst();
  // Both spellings of each address: texts quote an address as it was written (jorg@müller.example), keys are
  // canonical. An address given to the contact since the erasure began is theirs too.
  const ownAddresses = own.flatMap((e) =>
    e.address_as_written ? [e.address, e.address_as_written] : [e.address],
  );
  let mentioned: Mentioned;
  if (job) mentioned = job.mentions as unknown as Mentioned;
  else {
    // Names and addresses their emails carried: an address the contact no longer has, "Berg, Anna" from a
    // header. Read once, before any of those emails goes: later slices scrub what earlier ones deleted.
    const linked = await tx
      .selectFrom("interaction_participants")
      .select(["address", "name"])
      .distinct()
      .where("org_id", "=", orgId)
      .where("contact_id", "=", contactId)
      .execute();
    const fullName = [contact.first_name, contact.last_name].filter(Boolean).join(" ");
    mentioned = {
      names: [...new Set([contact.display_name, fullName, ...linked.map((p) => p.name)])],
      addresses: linked.flatMap((p) => (p.address ? [p.address] : [])),
      phones: contact.phones,
    };
  }
  const requestedBy = job?.requested_by ?? ("userId" in requester ? requester.userId : null);
  if (requestedBy === null) return { kind: "gone" };
  const counts: Counts = job ? { ...NO_COUNTS, ...(job.counts as Partial<Counts>) } : { ...NO_COUNTS };
  let addresses = [...new Set([...ownAddresses, ...mentioned.addresses])];

  // Their interactions, at most a slice of them, each found through an index (interaction_participants_contact,
  // interaction_participants_address): the rest of the organisation is not theirs. An interaction taken here
  // leaves with their entries on it, so the next slice finds the next ones. Their participant entries: linked
  // to them, or unlinked with an address that was theirs (mail logged before they were a contact); an entry
  // linked to another contact is that contact's, whatever its address.
  const linkedPage = await sql<{ interaction_id: string; occurred_at: Date }>`
    select interaction_id, occurred_at from interaction_participants
    where org_id = ${orgId} and contact_id = ${contactId}
      ${after ? sql`and (occurred_at, interaction_id) > (${after.at}, ${after.interactionId})` : sql``}
    order by occurred_at, interaction_id
    limit ${slice}`.execute(tx);
  const unlinkedPage = await sql<{ interaction_id: string }>`
    select interaction_id from interaction_participants
    where org_id = ${orgId} and contact_id is null and address = any(${addresses}::text[])
    limit ${slice}`.execute(tx);
  const last = linkedPage.rows.at(-1);
  const cursor: Cursor = last ? { at: last.occurred_at, interactionId: last.interaction_id } : after;
  const involvedIds = [...new Set([...linkedPage.rows, ...unlinkedPage.rows].map((r) => r.interaction_id))];
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
    where i.org_id = ${orgId} and i.id = any(${involvedIds}::uuid[])`.execute(tx);
  if (job && involved.rows.length) {
    // An email logged with them after the erasure began may carry a name or an address not seen at its start.
    // By the interactions' index, and theirs picked here: through the contact's index it would read past every
    // entry the slices before deleted.
    const carried = (
      await tx
        .selectFrom("interaction_participants")
        .select(["address", "name", "contact_id"])
        .where("org_id", "=", orgId)
        .where(
          "interaction_id",
          "in",
          involved.rows.map((i) => i.id),
        )
        .execute()
    ).filter((p) => p.contact_id === contactId);
    const names = new Set(mentioned.names);
    const known = new Set(mentioned.addresses);
    const fresh = carried.filter((p) => !names.has(p.name) || (p.address !== null && !known.has(p.address)));
    if (fresh.length) {
      mentioned = {
        ...mentioned,
        names: [...new Set([...mentioned.names, ...fresh.map((p) => p.name)])],
        addresses: [
          ...new Set([...mentioned.addresses, ...fresh.flatMap((p) => (p.address ? [p.address] : []))]),
        ],
      };
      addresses = [...new Set([...ownAddresses, ...mentioned.addresses])];
    }
  }
  const mentions = mentionsOf(mentioned.names, addresses, mentioned.phones);
  const theirs = sql<boolean>`(contact_id = ${contactId}
    or (contact_id is null and address = any(${addresses}::text[])))`;
  const deleted = involved.rows.filter((i) => !i.shared).map((i) => i.id);
  const kept = involved.rows.filter((i) => i.shared);
  if (deleted.length)
    await tx
      .deleteFrom("interactions")
      .where("org_id", "=", orgId)
      .where(sql<boolean>`id = any(${deleted}::uuid[])`)
      .execute();
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
    counts.recordsScrubbed += kept.filter((i, n) => subjects[n] !== i.subject).length;
    // A meeting they organised keeps no trace of them: not their address as its organiser, not their name in
    // its place ("Anna's office").
    const locations = kept.map((i) =>
      i.meeting_location !== null && mentions ? mentions.scrub(i.meeting_location) : i.meeting_location,
    );
    await sql`
      update interactions i set body = null, subject = k.subject, meeting_location = k.location,
        meeting_organizer = case when i.meeting_organizer = any(${addresses}::text[]) then null
          else i.meeting_organizer end,
        -- Their meeting's link is theirs too (a personal meeting room names them): gone with them as organiser.
        meeting_online_url = case when i.meeting_organizer = any(${addresses}::text[]) then null
          else i.meeting_online_url end,
        version = i.version + 1, updated_at = now()
      from unnest(${keptIds}::uuid[], ${subjects}::text[], ${locations}::text[]) as k(id, subject, location)
      where i.org_id = ${orgId} and i.id = k.id`.execute(tx);
  }
  counts.interactionsDeleted += deleted.length;
  counts.interactionsScrubbed += kept.length;
  if (mentions && involved.rows.length)
    counts.auditEventsScrubbed += await scrubAuditEvents(tx, orgId, mentions, {
      interaction: involved.rows.map((i) => i.id),
    });

  // A full page may have more behind it. Past the last page, one look from the start (once per erasure, unless
  // it finds some): mail logged with them since the erasure began sorts anywhere.
  let more: Cursor | false = false;
  if (linkedPage.rows.length === slice || unlinkedPage.rows.length === slice) more = cursor;
  else if (after !== null) {
    const { rows } = await sql<{ any: boolean }>`
      select exists (
        select 1 from interaction_participants where org_id = ${orgId} and contact_id = ${contactId}
      ) as any`.execute(tx);
    if (rows[0]?.any) more = null;
  }
  if (more !== false) {
    const values = { mentions: JSON.stringify(mentioned), counts: JSON.stringify(counts) };
    if (job)
      await tx
        .updateTable("erasures")
        .set({ ...values, slices: sql`slices + 1`, updated_at: sql`now()` })
        .where("org_id", "=", orgId)
        .where("contact_id", "=", contactId)
        .execute();
    else
      await tx
        .insertInto("erasures")
        .values({ org_id: orgId, contact_id: contactId, requested_by: requestedBy, slices: 1, ...values })
        .execute();
    return { kind: "more", after: more };
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
  // at the next read) tells it to drop it, so the leaves keep theirs. The contacts merged into them are them too:
  // a merge moves no segment rows (membership is evaluated on read), so a merged-away contact's joins still name
  // it and carry the address it joined with, which the merge gave to this contact. Its stored membership turns
  // into its leave at the next read, as this contact's does.
  const mergedAway = await tx
    .selectFrom("contact_merges")
    .select("merged_id")
    .where("org_id", "=", orgId)
    .where("kept_id", "=", contactId)
    .execute();
  await tx
    .updateTable("segment_changes")
    .set({ email: null })
    .where("org_id", "=", orgId)
    .where("contact_id", "in", [contactId, ...mergedAway.map((m) => m.merged_id)])
    .where("kind", "=", "joined")
    .where("email", "is not", null)
    .execute();
  // What Rapport captures by itself must not bring them back (the calendar reads the same month again every day):
  // their addresses, as digests, stay behind to keep them out. In this slice, with the contact's deletion.
  await rememberErasedAddresses(tx, orgId, addresses);
  // Its addresses and deal links go with it (on delete cascade).
  await tx.deleteFrom("contacts").where("org_id", "=", orgId).where("id", "=", contactId).execute();

  if (mentions)
    counts.auditEventsScrubbed += await scrubAuditEvents(tx, orgId, mentions, {
      contact: [contactId],
      task: tasks.map((t) => t.id),
      lead: leads.map((l) => l.id),
    });
  counts.tasksDeleted = tasks.length;
  counts.leadsDeleted = leads.length;
  counts.ratingsDeleted = ratings.length;
  await tx.deleteFrom("erasures").where("org_id", "=", orgId).where("contact_id", "=", contactId).execute();
  // The admin who asked is the actor, whichever request or server finished it.
  const actor = { orgId, userId: requestedBy, email: null };
  await recordAudit(tx, actor, "contact.erased", { type: "contact", id: contactId }, counts);
  await emitEvent(tx, orgId, "contact.erased", { id: contactId });
  return { kind: "done", result: { id: contactId, erased: true, ...counts } };
}

/**
 * Rewrites the details of the audit events about the person's records (a snapshot of the contact, say), keeping
 * their shape; the events about other records are those records' history and stay as they are.
 */
async function scrubAuditEvents(
  tx: Kysely<DB>,
  orgId: string,
  mentions: Mentions,
  about: Partial<Record<"contact" | "task" | "interaction" | "lead", string[]>>,
): Promise<number> {
  const entities = Object.entries(about)
    .filter(([, ids]) => ids.length > 0)
    .map(([type, ids]) => sql<boolean>`(entity_type = ${type} and entity_id = any(${ids}::uuid[]))`);
  if (entities.length === 0) return 0;
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
