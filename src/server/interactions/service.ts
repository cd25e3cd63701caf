import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type {
  Interaction,
  MeetingDetails,
  NoteCreate,
  NoteListQuery,
  NoteUpdate,
  Participant,
} from "../../shared/interactions";
import { recordAudit } from "../audit";
import type { DB, InteractionRow } from "../db/tables";
import { idTaken, notFound, versionConflict } from "../errors";
import { decodeCursor, likePattern, pageOf } from "../http/cursor";
import type { Caller } from "../auth/caller";
import { type Scope, iso } from "../scope";
import { currentContactId } from "../duplicates/merge";
import { emitEvent } from "../webhooks/outbox";

/** Who reads an interaction: its organisation scopes the queries, and the user decides what of it they see. */
type Viewer = Pick<Caller, "orgId" | "userId">;

/** What an interaction is linked to beyond its row: further deals, companies linked, its participants' companies. */
export interface InteractionLinks {
  /** Deals linked beyond the primary one (interactions.deal_id), earliest linked first. */
  deals: string[];
  /** Companies linked (interaction_links), earliest first. */
  companies: string[];
  /** The companies of the contacts taking part, as the contacts are now. */
  contactCompanies: string[];
}

export const NO_LINKS: InteractionLinks = { deals: [], companies: [], contactCompanies: [] };

/**
 * Interactions with their participants, loggers and links, in two queries for the whole set, as `viewer` may see
 * them: an email's Rapport key only to its owner (the sender, whose logs join by it); to anyone else it is null, as
 * a key read off an interaction is what a takeover by key would start from. The participants come with their
 * contacts' companies; the loggers and the links are one statement (a union of the two), so an interaction's
 * links cost no statement of their own on any read.
 */
export async function hydrateInteractions(
  db: Kysely<DB>,
  viewer: Viewer,
  rows: InteractionRow[],
): Promise<Interaction[]> {
  if (rows.length === 0) return [];
  const { orgId } = viewer;
  const ids = rows.map((r) => r.id);
  const [participants, loggersAndLinks] = await Promise.all([
    db
      .selectFrom("interaction_participants as p")
      .leftJoin("contacts as c", (join) => join.onRef("c.id", "=", "p.contact_id").on("c.org_id", "=", orgId))
      .select(["p.interaction_id", "p.address", "p.name", "p.contact_id", "p.role", "c.company_id"])
      .where("p.org_id", "=", orgId)
      .where("p.interaction_id", "in", ids)
      .orderBy("p.interaction_id")
      .orderBy("p.position")
      .execute(),
    sql<{
      interaction_id: string;
      user_id: string | null;
      deal_id: string | null;
      company_id: string | null;
    }>`
      select interaction_id, user_id, null::uuid as deal_id, null::uuid as company_id, logged_at as at, null::uuid as id
        from interaction_loggers where org_id = ${orgId} and interaction_id = any(${ids}::uuid[])
      union all
      select interaction_id, null, deal_id, company_id, created_at, id
        from interaction_links where org_id = ${orgId} and interaction_id = any(${ids}::uuid[])
      order by at, id`.execute(db),
  ]);
  const participantsOf = new Map<string, Participant[]>();
  const linksOf = new Map<string, InteractionLinks>();
  const linksFor = (id: string) => {
    let links = linksOf.get(id);
    if (!links) linksOf.set(id, (links = { deals: [], companies: [], contactCompanies: [] }));
    return links;
  };
  for (const p of participants) {
    const list = participantsOf.get(p.interaction_id) ?? [];
    list.push({ address: p.address, name: p.name, contactId: p.contact_id, role: p.role });
    participantsOf.set(p.interaction_id, list);
    if (p.company_id) linksFor(p.interaction_id).contactCompanies.push(p.company_id);
  }
  const loggersOf = new Map<string, string[]>();
  for (const l of loggersAndLinks.rows) {
    if (l.user_id !== null)
      loggersOf.set(l.interaction_id, [...(loggersOf.get(l.interaction_id) ?? []), l.user_id]);
    else if (l.deal_id !== null) linksFor(l.interaction_id).deals.push(l.deal_id);
    else if (l.company_id !== null) linksFor(l.interaction_id).companies.push(l.company_id);
  }
  return rows.map((row) =>
    toInteraction(
      row,
      participantsOf.get(row.id) ?? [],
      loggersOf.get(row.id) ?? [],
      viewer,
      linksOf.get(row.id) ?? NO_LINKS,
    ),
  );
}

/** The deals (primary first) and companies (linked first, then its people's) an interaction answers with. */
function linkedRecords(primary: string | null, links: InteractionLinks) {
  const dealIds = [...new Set([...(primary ? [primary] : []), ...links.deals])];
  const linked = new Set(links.companies);
  const companies: Interaction["companies"] = [...linked].map((id) => ({ id, via: "link" as const }));
  for (const id of new Set(links.contactCompanies))
    if (!linked.has(id)) companies.push({ id, via: "contact" as const });
  return { dealIds, companies };
}

/**
 * One interaction as `viewer` sees it, from its row, its participants (in order), its loggers (first first) and
 * its links.
 */
export function toInteraction(
  row: InteractionRow,
  participants: Participant[],
  loggedBy: string[],
  viewer: Viewer,
  links: InteractionLinks,
): Interaction {
  return {
    id: row.id,
    kind: row.kind,
    direction: row.direction,
    occurredAt: iso(row.occurred_at),
    subject: row.subject,
    body: row.body,
    outcome: row.outcome as Interaction["outcome"],
    internetMessageId: row.internet_message_id,
    rapportKey: row.rapport_key_owner === viewer.userId ? row.rapport_key : null,
    conversationId: row.conversation_id,
    source: row.source,
    dealId: row.deal_id,
    ...linkedRecords(row.deal_id, links),
    loggedBy,
    participants,
    meeting: meetingOf(row),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** A meeting's details off its row; null for anything else (and for a meeting noted by hand without them). */
export function meetingOf(row: InteractionRow): MeetingDetails | null {
  return row.kind === "meeting" ? meetingColumnsOf(row) : null;
}

/** The meeting columns of a row, whatever its kind now (a meeting a rep edited into a call keeps them). */
export function meetingColumnsOf(row: InteractionRow): MeetingDetails | null {
  if (row.meeting_ends_at === null) return null;
  return {
    startsAt: iso(row.occurred_at),
    endsAt: iso(row.meeting_ends_at),
    location: row.meeting_location,
    onlineUrl: row.meeting_online_url,
    iCalUId: row.meeting_ical_uid,
    cancelled: row.meeting_cancelled ?? false,
    outcome: row.meeting_outcome,
  };
}

/**
 * An interaction's participants (in order), loggers (first first) and links, as JSON columns beside the row of
 * `interactions i`: what hydrateInteractions reads in two statements, inside the one that reads the rows.
 */
export function interactionDetailsJson(orgId: string) {
  return sql<{ participants_json: Participant[]; loggers_json: string[]; links_json: InteractionLinks }>`
    coalesce((
      select json_agg(json_build_object('address', p.address, 'name', p.name, 'contactId', p.contact_id,
        'role', p.role) order by p.position)
      from interaction_participants p where p.org_id = ${orgId} and p.interaction_id = i.id
    ), '[]') as participants_json,
    coalesce((
      select json_agg(l.user_id order by l.logged_at)
      from interaction_loggers l where l.org_id = ${orgId} and l.interaction_id = i.id
    ), '[]') as loggers_json,
    json_build_object(
      'deals', coalesce((
        select json_agg(k.deal_id order by k.created_at, k.id) from interaction_links k
        where k.org_id = ${orgId} and k.interaction_id = i.id and k.deal_id is not null
      ), '[]'),
      'companies', coalesce((
        select json_agg(k.company_id order by k.created_at, k.id) from interaction_links k
        where k.org_id = ${orgId} and k.interaction_id = i.id and k.company_id is not null
      ), '[]'),
      'contactCompanies', coalesce((
        select json_agg(pc.company_id order by p.position) from interaction_participants p
        join contacts pc on pc.id = p.contact_id and pc.org_id = ${orgId}
        where p.org_id = ${orgId} and p.interaction_id = i.id and pc.company_id is not null
      ), '[]')
    ) as links_json`;
}

/** One interaction, with its participants, loggers and links, in one statement. */
export async function getInteraction(
  db: Kysely<DB>,
  viewer: Viewer,
  id: string,
  kinds: "email" | "notes" | "any",
): Promise<Interaction> {
  const { orgId } = viewer;
  const kind =
    kinds === "email" ? sql`and i.kind = 'email'` : kinds === "notes" ? sql`and i.kind <> 'email'` : sql``;
  const { rows } = await sql<
    InteractionRow & {
      participants_json: Participant[];
      loggers_json: string[];
      links_json: InteractionLinks;
    }
  >`
    select i.*, ${interactionDetailsJson(orgId)}
    from interactions i where i.org_id = ${orgId} and i.id = ${id} ${kind}`.execute(db);
  const found = rows[0];
  if (!found)
    throw notFound(kinds === "email" ? "The email" : kinds === "notes" ? "The note" : "The interaction");
  const { participants_json, loggers_json, links_json, ...row } = found;
  return toInteraction(row, participants_json, loggers_json, viewer, links_json);
}

/** The notes, calls, meetings and visits the list's filters match: the list pages them, the export takes all. */
export function matchingNotes(scope: Scope, query: Omit<NoteListQuery, "cursor" | "limit">) {
  const { orgId } = scope.caller;
  let select = scope.db
    .selectFrom("interactions as i")
    .selectAll("i")
    .where("i.org_id", "=", orgId)
    .where("i.kind", "!=", "email");
  if (query.kind) select = select.where("i.kind", "=", query.kind);
  if (query.dealId) select = select.where("i.deal_id", "=", query.dealId);
  if (query.contactId) {
    const contactId = query.contactId;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom("interaction_participants as p")
          .select(sql`1`.as("one"))
          .whereRef("p.interaction_id", "=", "i.id")
          .where("p.contact_id", "=", contactId),
      ),
    );
  }
  if (query.q) {
    const pattern = likePattern(query.q);
    select = select.where((eb) => eb.or([eb("i.body", "ilike", pattern), eb("i.subject", "ilike", pattern)]));
  }
  return select;
}

export async function listNotes(scope: Scope, query: NoteListQuery) {
  const after = decodeCursor(query.cursor, z.tuple([z.iso.datetime(), z.uuid()]));
  let select = matchingNotes(scope, query);
  if (after)
    select = select.where(
      sql<boolean>`(i.occurred_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`,
    );
  const rows = await select
    .orderBy("i.occurred_at", "desc")
    .orderBy("i.id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(
    rows,
    query.limit,
    (r) => r,
    (r) => [iso(r.occurred_at), r.id],
  );
  return {
    items: await hydrateInteractions(scope.db, scope.caller, page.items),
    nextCursor: page.nextCursor,
  };
}

async function noteExists(db: Kysely<DB>, orgId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("interactions")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where("kind", "!=", "email")
    .executeTakeFirst();
  return row !== undefined;
}

export async function createNote(scope: Scope, input: NoteCreate): Promise<Interaction> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    if (input.id && (await noteExists(tx, orgId, input.id)))
      return getInteraction(tx, scope.caller, input.id, "notes");
    const contact = await tx
      .selectFrom("contacts as c")
      .select(["c.id", "c.display_name"])
      .select(
        sql<
          string | null
        >`(select e.address from contact_emails e where e.contact_id = c.id order by e.position limit 1)`.as(
          "address",
        ),
      )
      .where("c.org_id", "=", orgId)
      // A contact merged away since the rep wrote the note (an outbox replay) gives it to the kept contact.
      .where("c.id", "=", await currentContactId(tx, orgId, input.contactId))
      .executeTakeFirst();
    if (!contact) throw notFound("The contact");
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
    const row = await tx
      .insertInto("interactions")
      .values({
        id: input.id,
        org_id: orgId,
        kind: input.kind,
        direction: input.direction ?? null,
        occurred_at: occurredAt,
        subject: input.subject ?? null,
        body: input.body,
        outcome: input.outcome ?? null,
        source: "manual",
        deal_id: input.dealId ?? null,
        logged_by: userId,
      })
      // A twin of this create that committed meanwhile, or an id another organisation holds: told apart below.
      // No conflict target: the twin can collide on the (org_id, id) key as well as on the primary key, and a
      // target of `id` alone let that second collision through as a unique violation (a 500 for a retry).
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) {
      if (input.id && (await noteExists(tx, orgId, input.id)))
        return getInteraction(tx, scope.caller, input.id, "notes");
      throw idTaken();
    }
    await tx
      .insertInto("interaction_participants")
      .values({
        org_id: orgId,
        interaction_id: row.id,
        contact_id: contact.id,
        address: contact.address,
        name: contact.display_name,
        role: "with",
        position: 0,
        occurred_at: occurredAt,
      })
      .execute();
    await tx
      .insertInto("interaction_loggers")
      .values({ org_id: orgId, interaction_id: row.id, user_id: userId })
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      `${input.kind}.created`,
      { type: "interaction", id: row.id },
      { contactId: contact.id },
    );
    const note = await getInteraction(tx, scope.caller, row.id, "notes");
    await emitEvent(tx, orgId, "interaction.logged", note);
    return note;
  });
}

export async function updateNote(
  scope: Scope,
  id: string,
  version: number,
  input: NoteUpdate,
): Promise<Interaction> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId } = scope.caller;
    const row = await tx
      .updateTable("interactions")
      .set({
        kind: input.kind,
        body: input.body,
        subject: input.subject,
        outcome: input.outcome,
        occurred_at: input.occurredAt,
        deal_id: input.dealId,
        direction: input.direction,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .where("kind", "!=", "email")
      .where("version", "=", version)
      .returning(["id", "occurred_at"])
      .executeTakeFirst();
    if (!row) throw versionConflict(await getInteraction(tx, scope.caller, id, "notes"));
    if (input.occurredAt) {
      await tx
        .updateTable("interaction_participants")
        .set({ occurred_at: row.occurred_at })
        .where("org_id", "=", orgId)
        .where("interaction_id", "=", id)
        .execute();
    }
    await recordAudit(
      tx,
      scope.caller,
      "note.updated",
      { type: "interaction", id },
      { fields: Object.keys(input) },
    );
    return getInteraction(tx, scope.caller, id, "notes");
  });
}

export async function deleteNote(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom("interactions")
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("kind", "!=", "email")
      .returning("kind")
      .executeTakeFirst();
    if (!row) throw notFound("The note");
    await recordAudit(tx, scope.caller, `${row.kind}.deleted`, { type: "interaction", id });
    return { id, deleted: true as const };
  });
}
