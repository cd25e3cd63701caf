import { type RawBuilder, sql } from "kysely";
import { z } from "zod";
import {
  COOLING_FACTOR,
  COOLING_MIN_ACTIVE_DAYS,
  COOLING_MIN_SILENCE_DAYS,
  type GlanceInteraction,
  type InteractionPage,
  type RecordTimelineQuery,
  type RelationshipGlance,
  TIMELINE_PEOPLE_MAX,
  type TimelinePeople,
} from "../../shared/interactions";
import type { InteractionRow } from "../db/tables";
import { notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { hydrateInteractions } from "./service";

const TimelineCursor = z.tuple([z.iso.datetime(), z.uuid()]);

type Record = { type: "company" | "deal"; id: string };

/**
 * The ids of a record's interactions: a company's people's (as its contacts are now) and those linked to it; a
 * deal's primary ones and those linked to it. Each branch reads its own index.
 */
function interactionsOf(orgId: string, record: Record): RawBuilder<unknown> {
  if (record.type === "company")
    return sql`
      select p.interaction_id from contacts c
        join interaction_participants p on p.contact_id = c.id
        where c.org_id = ${orgId} and c.company_id = ${record.id}
      union
      select k.interaction_id from interaction_links k where k.org_id = ${orgId} and k.company_id = ${record.id}`;
  return sql`
    select i.id from interactions i where i.org_id = ${orgId} and i.deal_id = ${record.id}
    union
    select k.interaction_id from interaction_links k where k.org_id = ${orgId} and k.deal_id = ${record.id}`;
}

/**
 * A company's or a deal's interactions, newest first, in stable keyset pages, narrowed to a kind or to a person
 * taking part. One statement for the page, and the record is looked for only when the page is empty (an unknown
 * record and one without interactions both answer an empty page otherwise).
 */
export async function recordTimeline(
  scope: Scope,
  record: Record,
  query: RecordTimelineQuery,
): Promise<InteractionPage> {
  const { orgId } = scope.caller;
  const after = decodeCursor(query.cursor, TimelineCursor);
  const rows = await sql<InteractionRow>`
    select i.* from interactions i
    where i.org_id = ${orgId} and i.id in (${interactionsOf(orgId, record)})
      ${query.kind ? sql`and i.kind = ${query.kind}` : sql``}
      ${
        query.contactId
          ? sql`and exists (select 1 from interaction_participants p
              where p.org_id = ${orgId} and p.interaction_id = i.id and p.contact_id = ${query.contactId})`
          : sql``
      }
      ${after ? sql`and (i.occurred_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
    order by i.occurred_at desc, i.id desc
    limit ${query.limit + 1}`.execute(scope.db);
  if (rows.rows.length === 0) await mustExist(scope, record);
  const more = rows.rows.length > query.limit;
  const page = more ? rows.rows.slice(0, query.limit) : rows.rows;
  const last = page.at(-1);
  return {
    items: await hydrateInteractions(scope.db, scope.caller, page),
    nextCursor: more && last ? encodeCursor([iso(last.occurred_at), last.id]) : null,
  };
}

/**
 * Everyone who took part in a record's interactions (the contacts its timeline's person filter can match), by name,
 * in one statement; the record is looked for only when there is nobody.
 */
export async function recordTimelinePeople(scope: Scope, record: Record): Promise<TimelinePeople> {
  const { orgId } = scope.caller;
  const rows = await sql<{ id: string; display_name: string }>`
    select c.id, c.display_name from contacts c
    where c.org_id = ${orgId} and c.id in (
      select p.contact_id from interaction_participants p
      where p.org_id = ${orgId} and p.contact_id is not null and p.interaction_id in (${interactionsOf(orgId, record)}))
    order by c.display_name, c.id
    limit ${TIMELINE_PEOPLE_MAX + 1}`.execute(scope.db);
  if (rows.rows.length === 0) await mustExist(scope, record);
  return {
    items: rows.rows.slice(0, TIMELINE_PEOPLE_MAX).map((r) => ({ id: r.id, displayName: r.display_name })),
    more: rows.rows.length > TIMELINE_PEOPLE_MAX,
  };
}

async function mustExist(scope: Scope, record: Record): Promise<void> {
  const found = await scope.db
    .selectFrom(record.type === "company" ? "companies" : "deals")
    .select("id")
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", record.id)
    .executeTakeFirst();
  if (!found) throw notFound(record.type === "company" ? "The company" : "The deal");
}

interface GlanceRow {
  found: boolean;
  last30: number;
  last90: number;
  active_days: number;
  median_gap: number | null;
  days_since: number | null;
  last_contact: GlanceJson | null;
  last_reply: GlanceJson | null;
}

interface GlanceJson {
  id: string;
  at: string;
  kind: GlanceInteraction["kind"];
  direction: GlanceInteraction["direction"];
  subject: string | null;
  user_id: string | null;
  user_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
}

/**
 * A contact's or a company's relationship at a glance, in one statement: the last interaction and the last one
 * from them, the counts of the last 30 and 90 days, and the rhythm (docs/api.md, "Relationship at a glance"):
 * the distinct UTC days with an interaction in the year up to the last one, the median gap between them, and the
 * whole days since. A contact's interactions are read through interaction_participants_contact from the year
 * before its last_interaction_at (migration 0026) on: the rows before it count for nothing here.
 */
export async function relationshipGlance(
  scope: Scope,
  record: { type: "contact" | "company"; id: string },
): Promise<RelationshipGlance> {
  const { orgId } = scope.caller;
  const id = record.id;
  // The record's interactions, with the person of theirs who took part (the sender first) when there is one.
  const people =
    record.type === "contact"
      ? sql`select c.id from contacts c where c.org_id = ${orgId} and c.id = ${id}`
      : sql`select c.id from contacts c where c.org_id = ${orgId} and c.company_id = ${id}`;
  const base =
    record.type === "contact"
      ? sql`select id, last_interaction_at as newest from contacts where org_id = ${orgId} and id = ${id}`
      : sql`select id, null::timestamptz as newest from companies where org_id = ${orgId} and id = ${id}`;
  const interactionIds =
    record.type === "contact"
      ? sql`select p.interaction_id from interaction_participants p, base
          where p.contact_id = ${id} and p.org_id = ${orgId}
            and (base.newest is null or p.occurred_at >= least(base.newest - interval '365 days', now() - interval '90 days'))`
      : sql`select p.interaction_id from contacts c join interaction_participants p on p.contact_id = c.id
            where c.org_id = ${orgId} and c.company_id = ${id}
          union
          select k.interaction_id from interaction_links k where k.org_id = ${orgId} and k.company_id = ${id}`;
  const glanceOf = (alias: string, fromThem: boolean) => sql`
    json_build_object(
      'id', ${sql.ref(`${alias}.id`)}, 'at', ${sql.ref(`${alias}.occurred_at`)}, 'kind', ${sql.ref(`${alias}.kind`)},
      'direction', ${sql.ref(`${alias}.direction`)}, 'subject', ${sql.ref(`${alias}.subject`)},
      'user_id', u.id, 'user_name', u.display_name,
      'contact_id', who.id, 'contact_name', who.display_name)
    from ${sql.table(alias)}
    left join users u on u.org_id = ${orgId} and u.id = ${sql.ref(`${alias}.logged_by`)}
    left join lateral (
      select c.id, c.display_name from interaction_participants p join contacts c on c.id = p.contact_id
      where p.org_id = ${orgId} and p.interaction_id = ${sql.ref(`${alias}.id`)}
        and p.contact_id in (select id from people)
        ${fromThem ? sql`and p.role in ('from', 'with')` : sql``}
      order by p.position limit 1
    ) who on true`;
  const result = await sql<GlanceRow>`
    with base as (${base}),
    people as (${people}),
    ints as materialized (
      select i.id, i.occurred_at, i.kind, i.direction, i.subject, i.logged_by
      from interactions i where i.org_id = ${orgId} and i.id in (${interactionIds})
    ),
    last_contact as (select * from ints order by occurred_at desc, id desc limit 1),
    last_reply as (
      select * from ints where direction = 'in' and exists (
        select 1 from interaction_participants p
        where p.org_id = ${orgId} and p.interaction_id = ints.id and p.role in ('from', 'with')
          and p.contact_id in (select id from people))
      order by occurred_at desc, id desc limit 1
    ),
    days as (
      select distinct (ints.occurred_at at time zone 'UTC')::date as day from ints, last_contact
      where ints.occurred_at > last_contact.occurred_at - interval '365 days'
    ),
    gaps as (select day - lag(day) over (order by day) as gap from days)
    select
      exists (select 1 from base) as found,
      (select count(*)::int from ints where occurred_at > now() - interval '30 days') as last30,
      (select count(*)::int from ints where occurred_at > now() - interval '90 days') as last90,
      (select count(*)::int from days) as active_days,
      (select percentile_cont(0.5) within group (order by gap) from gaps where gap is not null) as median_gap,
      (select ((now() at time zone 'UTC')::date - (occurred_at at time zone 'UTC')::date)::int from last_contact)
        as days_since,
      (select ${glanceOf("last_contact", false)}) as last_contact,
      (select ${glanceOf("last_reply", true)}) as last_reply`.execute(scope.db);
  const row = result.rows[0];
  if (!row?.found) throw notFound(record.type === "contact" ? "The contact" : "The company");
  const medianGap = row.median_gap === null ? null : Number(row.median_gap);
  return {
    lastContact: toGlance(row.last_contact),
    lastReply: toGlance(row.last_reply),
    last30Days: row.last30,
    last90Days: row.last90,
    rhythm: {
      state: rhythmState(row.active_days, medianGap, row.days_since),
      activeDays: row.active_days,
      medianGapDays: medianGap,
      daysSinceLast: row.days_since,
    },
  };
}

/** Cooling: enough history, and a silence longer than twice its usual gap (and than a week). */
export function rhythmState(
  activeDays: number,
  medianGapDays: number | null,
  daysSinceLast: number | null,
): RelationshipGlance["rhythm"]["state"] {
  if (activeDays < COOLING_MIN_ACTIVE_DAYS || medianGapDays === null || daysSinceLast === null)
    return "not_enough_history";
  return daysSinceLast > Math.max(COOLING_FACTOR * medianGapDays, COOLING_MIN_SILENCE_DAYS)
    ? "cooling"
    : "steady";
}

function toGlance(json: GlanceJson | null): GlanceInteraction | null {
  if (json === null) return null;
  return {
    interactionId: json.id,
    at: iso(new Date(json.at)),
    kind: json.kind,
    direction: json.direction,
    subject: json.subject,
    user: json.user_id ? { id: json.user_id, displayName: json.user_name } : null,
    contact:
      json.contact_id && json.contact_name !== null
        ? { id: json.contact_id, displayName: json.contact_name }
        : null,
  };
}
