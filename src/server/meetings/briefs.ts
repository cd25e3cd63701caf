import { sql } from "kysely";
import { domainOf, withinDomains } from "../../shared/email-address";
import type { BriefContact, MeetingBrief, MeetingBriefs, MeetingBriefsQuery } from "../../shared/meetings";
import { dayIn, localDay } from "../dashboard/local-day";
import type { InteractionRow } from "../db/tables";
import { loggingRulesOf } from "../organizations/service";
import { type Scope, iso, isoOrNull } from "../scope";

/** A day's meetings are read at a glance; a calendar with more than this in one day shows its first ones. */
const MAX_MEETINGS = 50;
const LAST_INTERACTIONS = 3;

/**
 * The caller's meetings of a day (captured from their calendar or logged by them: either way they are among its
 * loggers) with at least one external contact, each with what a rep reads before walking in. A fixed number of
 * statements whatever the number of meetings and contacts: the meetings, their participants, the contacts with
 * their companies, their open deals, their last interactions before each meeting, their open tasks.
 */
export async function meetingBriefs(
  scope: Scope,
  query: MeetingBriefsQuery,
  now: Date,
): Promise<MeetingBriefs> {
  const { orgId, userId } = scope.caller;
  const day = query.date ? dayIn(query.timeZone, query.date) : localDay(query.timeZone, now);
  const db = scope.db;
  const meetings = await db
    .selectFrom("interactions as i")
    .innerJoin("interaction_loggers as l", (join) =>
      join.onRef("l.interaction_id", "=", "i.id").on("l.user_id", "=", userId),
    )
    .selectAll("i")
    .where("i.org_id", "=", orgId)
    .where("l.org_id", "=", orgId)
    .where("i.kind", "=", "meeting")
    .where("i.meeting_ends_at", "is not", null)
    .where("i.occurred_at", ">=", day.start)
    .where("i.occurred_at", "<", day.end)
    .orderBy("i.occurred_at")
    .orderBy("i.id")
    .limit(MAX_MEETINGS)
    .execute();
  const empty = { date: day.date, timeZone: query.timeZone, meetings: [] };
  if (meetings.length === 0) return empty;

  const { internalDomains } = await loggingRulesOf(db, orgId);
  const internal = withinDomains(internalDomains);
  const participants = await db
    .selectFrom("interaction_participants")
    .select(["interaction_id", "address", "name", "contact_id"])
    .where("org_id", "=", orgId)
    .where(
      "interaction_id",
      "in",
      meetings.map((m) => m.id),
    )
    .orderBy("interaction_id")
    .orderBy("position")
    .execute();
  const isExternalContact = (p: (typeof participants)[number]): p is typeof p & { contact_id: string } =>
    p.contact_id !== null && !(p.address !== null && internal(domainOf(p.address)));
  const contactIds = [...new Set(participants.filter(isExternalContact).map((p) => p.contact_id))];
  if (contactIds.length === 0) return empty;

  // The last interactions are asked per (contact, meeting): each meeting's brief looks back from its own start.
  const pairs = meetings.flatMap((m) =>
    participants
      .filter((p) => p.interaction_id === m.id && isExternalContact(p))
      .map((p) => ({ contactId: p.contact_id as string, meetingId: m.id, before: m.occurred_at })),
  );
  const [contacts, deals, tasks, history] = await Promise.all([
    db
      .selectFrom("contacts as c")
      .leftJoin("companies as co", (join) =>
        join.onRef("co.id", "=", "c.company_id").on("co.org_id", "=", orgId),
      )
      .select(["c.id", "c.display_name", "c.title", "co.id as company_id", "co.name as company_name"])
      .select(
        sql<
          string | null
        >`(select coalesce(e.address_as_written, e.address) from contact_emails e where e.contact_id = c.id order by e.position limit 1)`.as(
          "email",
        ),
      )
      .where("c.org_id", "=", orgId)
      .where("c.id", "in", contactIds)
      .execute(),
    db
      .selectFrom("deal_contacts as dc")
      .innerJoin("deals as d", "d.id", "dc.deal_id")
      .innerJoin("stages as s", "s.id", "d.stage_id")
      .select([
        "dc.contact_id",
        "d.id",
        "d.name",
        "d.amount",
        "d.currency",
        "s.id as stage_id",
        "s.name as stage_name",
      ])
      .where("dc.org_id", "=", orgId)
      .where("dc.contact_id", "in", contactIds)
      .where("s.kind", "=", "open")
      .orderBy("d.updated_at", "desc")
      .orderBy("d.id")
      .execute(),
    db
      .selectFrom("tasks")
      .select(["id", "title", "due_at", "contact_id"])
      .where("org_id", "=", orgId)
      .where("contact_id", "in", contactIds)
      .where("done_at", "is", null)
      .orderBy(sql`coalesce(due_at, 'infinity'::timestamptz)`)
      .orderBy("id")
      .execute(),
    sql<
      Pick<InteractionRow, "id" | "kind" | "direction" | "occurred_at" | "subject"> & {
        contact_id: string;
        meeting_id: string;
      }
    >`
      select x.contact_id, x.meeting_id, i.id, i.kind, i.direction, i.occurred_at, i.subject
      from unnest(${pairs.map((p) => p.contactId)}::uuid[], ${pairs.map((p) => p.meetingId)}::uuid[],
        ${pairs.map((p) => iso(p.before))}::timestamptz[]) as x(contact_id, meeting_id, before)
      cross join lateral (
        select distinct p.interaction_id, p.occurred_at
        from interaction_participants p
        where p.contact_id = x.contact_id and p.occurred_at < x.before
        order by p.occurred_at desc, p.interaction_id desc
        limit ${LAST_INTERACTIONS}
      ) latest
      join interactions i on i.id = latest.interaction_id and i.org_id = ${orgId}
      order by x.contact_id, x.meeting_id, i.occurred_at desc, i.id desc`.execute(db),
  ]);

  const briefOf = (contactId: string, meetingId: string): BriefContact | null => {
    const c = contacts.find((row) => row.id === contactId);
    if (!c) return null;
    return {
      contact: { id: c.id, displayName: c.display_name, title: c.title, email: c.email },
      company: c.company_id && c.company_name !== null ? { id: c.company_id, name: c.company_name } : null,
      openDeals: deals
        .filter((d) => d.contact_id === contactId)
        .map((d) => ({
          id: d.id,
          name: d.name,
          amount: d.amount,
          currency: d.currency,
          stage: { id: d.stage_id, name: d.stage_name },
        })),
      lastInteractions: history.rows
        .filter((h) => h.contact_id === contactId && h.meeting_id === meetingId)
        .slice(0, LAST_INTERACTIONS)
        .map((h) => ({
          id: h.id,
          kind: h.kind,
          direction: h.direction,
          occurredAt: iso(new Date(h.occurred_at)),
          // Stored as "" where only who and when are kept: none, so the UI shows its own title.
          subject: h.subject || null,
        })),
      openTasks: tasks
        .filter((t) => t.contact_id === contactId)
        .map((t) => ({ id: t.id, title: t.title, dueAt: isoOrNull(t.due_at) })),
    };
  };

  const briefs: MeetingBrief[] = [];
  for (const m of meetings) {
    const people = participants.filter((p) => p.interaction_id === m.id);
    const briefed = people
      .filter(isExternalContact)
      .map((p) => p.contact_id)
      // A contact at a meeting under two of their addresses is briefed once.
      .filter((id, index, ids) => ids.indexOf(id) === index)
      .map((id) => briefOf(id, m.id))
      .filter((b): b is BriefContact => b !== null);
    if (briefed.length === 0 || m.meeting_ends_at === null) continue;
    briefs.push({
      interactionId: m.id,
      // Stored as "" under "who and when only": none, so the UI's fallback title shows.
      subject: m.subject || null,
      startsAt: iso(m.occurred_at),
      endsAt: iso(m.meeting_ends_at),
      location: m.meeting_location,
      onlineUrl: m.meeting_online_url,
      cancelled: m.meeting_cancelled ?? false,
      attendees: people.map((p) => ({ address: p.address ?? "", name: p.name, contactId: p.contact_id })),
      contacts: briefed,
    });
  }
  return { date: day.date, timeZone: query.timeZone, meetings: briefs };
}
