import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import { EMAIL_ADDRESS_MAX_CHARS } from "../../shared/common";
import { domainOf, normalizeEmailAddress, withinDomains } from "../../shared/email-address";
import { MAILBOX_NAME_MAX_CHARS } from "../../shared/interactions";
import { type PrivacyPolicy, type SkipReason, blockedAmong, reasonNotToLog } from "../../shared/privacy";
import { recordAudit } from "../audit";
import type { Database } from "../db/database";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import { type MeetingDraft, type MeetingPerson, recordMeeting } from "../meetings/record-meeting";
import { blocklistFor } from "../organizations/privacy";
import { type CalendarGraph, type CalendarStart, type GraphEvent, instantOf } from "./calendar-graph";
import {
  calendarState,
  meetingOfEvent,
  rememberEvent,
  restartCalendar,
  saveCalendarPage,
} from "./calendar-store";
import { type Withdrawal, withdrawMeeting } from "./calendar-withdraw";
import { GraphFailure } from "./mail-graph";
import type { DueMailbox } from "./mailbox-store";

/** Why an event of the calendar was not recorded. */
export type EventNotLogged =
  | SkipReason
  | "unreadable"
  | "private"
  | "no_contact"
  /** Cancelled before it was ever recorded: nothing to mark. */
  | "cancelled"
  /** Removed from the calendar, never recorded. */
  | "removed"
  | "series_master"
  | "rejected";

/** What the calendar capture did in one run; the worker's report carries it. */
export interface CalendarReport {
  pages: number;
  events: number;
  /** Meetings recorded for the first time. */
  logged: number;
  /** Meetings recorded before, brought up to date (moved, renamed, a colleague's calendar joining). */
  updated: number;
  cancelled: number;
  /** Meetings recorded before that the privacy rules now refuse: deleted, or kept without what they refuse. */
  withdrawn: number;
  skipped: Partial<Record<EventNotLogged, number>>;
}

export const emptyCalendarReport = (): CalendarReport => ({
  pages: 0,
  events: 0,
  logged: 0,
  updated: 0,
  cancelled: 0,
  withdrawn: 0,
  skipped: {},
});

// Graph's sensitivity: normal, personal, private, confidential. What the owner marked private (or confidential,
// the stricter) is theirs alone, whoever attends.
const PRIVATE_SENSITIVITIES: ReadonlySet<string> = new Set(["private", "confidential"]);

/**
 * An event as the meeting to record, or why it is not one. The organiser and every attendee but rooms and
 * equipment (`resource`) take part; an address that cannot be read fails the event closed, as for mail.
 */
export function meetingOfGraphEvent(
  event: GraphEvent,
  privacy: PrivacyPolicy,
): { draft: MeetingDraft; others: string[] } | { skip: EventNotLogged } {
  if (event.type === "seriesMaster") return { skip: "series_master" };
  if (event.sensitivity && PRIVATE_SENSITIVITIES.has(event.sensitivity.toLowerCase()))
    return { skip: "private" };
  const startsAt = event.start ? instantOf(event.start) : null;
  const endsAt = event.end ? instantOf(event.end) : null;
  if (!startsAt || !endsAt || endsAt < startsAt || !event.organizer?.emailAddress)
    return { skip: "unreadable" };
  const person = (p: { emailAddress?: { address?: string | null; name?: string | null } | null }) => {
    const raw = p.emailAddress?.address;
    const address = raw && raw.length <= EMAIL_ADDRESS_MAX_CHARS ? normalizeEmailAddress(raw) : null;
    const name = p.emailAddress?.name?.trim().slice(0, MAILBOX_NAME_MAX_CHARS).trimEnd() || null;
    return address ? ({ address, name } satisfies MeetingPerson) : null;
  };
  const organizer = person(event.organizer);
  const attendees = (event.attendees ?? []).filter((a) => a.type?.toLowerCase() !== "resource").map(person);
  if (!organizer) return { skip: "unreadable_participant" };
  if (attendees.some((a) => a === null)) return { skip: "unreadable_participant" };
  const people = attendees.filter((a): a is MeetingPerson => a !== null).slice(0, 500);
  const everyone = [organizer, ...people].map((p) => p.address);
  const reason = reasonNotToLog(everyone, {}, privacy);
  if (reason) return { skip: reason };
  const joinUrl = event.onlineMeeting?.joinUrl ?? event.onlineMeetingUrl ?? null;
  const iCalUId = event.iCalUId?.trim() || null;
  return {
    draft: {
      iCalUId: iCalUId && iCalUId.length <= 1000 ? iCalUId : null,
      subject: event.subject?.trim().slice(0, 998) || null,
      startsAt,
      endsAt,
      location: event.location?.displayName?.trim().slice(0, 1000) || null,
      onlineUrl: joinUrl && isHttpsUrl(joinUrl) ? joinUrl : null,
      organizer,
      attendees: people,
      body: event.bodyPreview ?? null,
      cancelled: event.isCancelled === true,
      source: "auto",
    },
    others: [...new Set(everyone)],
  };
}

function isHttpsUrl(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

export interface CalendarCaptureDeps {
  database: Pick<Database, "db" | "forOrganization">;
  calendar: CalendarGraph;
  logger?: Pick<Logger, "info" | "warn" | "error" | "debug">;
}

/**
 * One mailbox's calendar, from where its capture left off: every page of calendarView's delta handled, then its
 * link saved (a page is the unit of progress, as for mail). `keepGoing` is asked before each request: false when
 * the worker stops or lost the mailbox. Returns false when it stopped early.
 */
export async function captureCalendar(
  deps: CalendarCaptureDeps,
  m: DueMailbox,
  identity: { tenant: string; user: string },
  workerId: string,
  keepGoing: () => Promise<boolean>,
  report: CalendarReport,
  now: () => Date = () => new Date(),
): Promise<boolean> {
  const { db } = deps.database;
  const state = await calendarState(db, m, now());
  let start: CalendarStart = state.link ? { link: state.link } : { window: state.window };
  let restarts = 0;
  for (;;) {
    if (!(await keepGoing())) return false;
    let page;
    try {
      page = await deps.calendar.deltaPage(identity.tenant, identity.user, start);
    } catch (error) {
      // 410: Graph forgot the round. Start a new one over today's window; recording is idempotent.
      if (error instanceof GraphFailure && error.status === 410 && restarts < 2) {
        restarts += 1;
        deps.logger?.warn({ userId: m.userId, code: error.code }, "calendar delta expired: reading it again");
        start = { window: await restartCalendar(db, m, now(), true) };
        continue;
      }
      throw error;
    }
    const logged = await capturePage(deps, m, identity, page.items, report);
    report.pages += 1;
    const link = page.nextLink ?? page.deltaLink;
    if (!link)
      throw new Error("Microsoft Graph sent a calendar delta page with neither a next link nor a delta link");
    const saved = await saveCalendarPage(db, m, workerId, {
      link,
      kind: page.nextLink ? "next" : "delta",
      seen: page.items.length,
      logged,
    });
    if (!saved) return false;
    if (!page.nextLink) return true;
    start = { link };
  }
}

async function capturePage(
  deps: CalendarCaptureDeps,
  m: DueMailbox,
  identity: { tenant: string; user: string },
  items: (GraphEvent | null)[],
  report: CalendarReport,
): Promise<number> {
  const { db } = deps.database;
  const privacy: PrivacyPolicy = {
    internalDomains: m.internalDomains,
    blocklist: await blocklistFor(db, m.orgId, m.userId),
  };
  // A rep's own blocklist keeps their calendar's events out; only the organisation's takes back a meeting logged
  // before, which a colleague's calendar may hold as well (theirs would record it again, and this one remove it).
  const orgPrivacy: PrivacyPolicy = {
    internalDomains: m.internalDomains,
    blocklist: await organizationBlocklist(db, m.orgId),
  };
  const scope = {
    db: deps.database.forOrganization(m.orgId),
    caller: { orgId: m.orgId, userId: m.userId, email: m.email },
  };
  const skip = (reason: EventNotLogged) => {
    report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
  };
  const internal = withinDomains(m.internalDomains);
  let logged = 0;
  for (const item of items) {
    report.events += 1;
    if (item === null) {
      skip("unreadable");
      continue;
    }
    let event: GraphEvent | null = item;
    const known = await meetingOfEvent(db, m, item.id);
    if (item["@removed"]) {
      if (!known) {
        skip("removed");
        continue;
      }
      // A removal names the event alone, and also comes for an event that moved out of the window: the calendar
      // is asked whether the event is still there. Gone: the meeting was cancelled (or deleted), marked so.
      event = await deps.calendar.event(identity.tenant, identity.user, item.id);
      if (event === null) {
        if (await markCancelled(scope, known)) report.cancelled += 1;
        continue;
      }
    }
    const result = meetingOfGraphEvent(event, privacy);
    if ("skip" in result) {
      skip(result.skip);
      const before = WITHDRAWING.has(result.skip)
        ? (known ?? (await capturedBefore(scope.db, m.orgId, event)))
        : null;
      const why = before ? withdrawal(event, result.skip, orgPrivacy, m.email, internal) : null;
      if (before && why) {
        const done = await withdrawMeeting(scope.db, scope.caller, before, why.reason, why.blocked);
        if (done !== "unchanged") report.withdrawn += 1;
      }
      continue;
    }
    const { draft } = result;
    // Worth recording with an outside contact; a meeting recorded before is kept up to date whatever its
    // attendees have become (its contacts may have been deleted since).
    const recorded =
      known ?? (draft.iCalUId ? await meetingByUid(scope.db, m.orgId, draft.iCalUId, draft.organizer) : null);
    if (!recorded) {
      if (draft.cancelled) {
        skip("cancelled");
        continue;
      }
      const outsiders = result.others.filter((a) => !internal(domainOf(a)));
      const contacts = await db
        .selectFrom("contact_emails")
        .select("address")
        .where("org_id", "=", m.orgId)
        .where("address", "in", outsiders)
        .limit(1)
        .execute();
      if (contacts.length === 0) {
        skip("no_contact");
        continue;
      }
    }
    try {
      const meeting = await recordMeeting(scope, draft);
      await rememberEvent(db, m, event.id, meeting.interaction.id);
      if (meeting.created) {
        report.logged += 1;
        logged += 1;
      } else report.updated += 1;
      if (draft.cancelled && !meeting.created) report.cancelled += 1;
    } catch (error) {
      // A meeting the server refuses will be refused every time: skipped, so it never holds the calendar back.
      if (!(error instanceof AppError && error.status < 500)) throw error;
      skip(error.code === "no_contact" ? "no_contact" : "rejected");
      deps.logger?.warn(
        { userId: m.userId, eventId: event.id, code: error.code },
        "a calendar event was refused",
      );
    }
  }
  return logged;
}

/**
 * The meeting recorded with this iCalUId by the same organiser (canonical, as recordMeeting keys it): the sender
 * picks an invitation's UID, so the same UID from someone else is another meeting.
 */
async function meetingByUid(
  db: ReturnType<Database["forOrganization"]>,
  orgId: string,
  iCalUId: string,
  organizer: MeetingPerson,
) {
  const row = await db
    .selectFrom("interactions")
    .select("id")
    .where("org_id", "=", orgId)
    .where("meeting_ical_uid", "=", iCalUId)
    .where("meeting_organizer", "=", normalizeEmailAddress(organizer.address))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The reasons an event is refused for that also take back the meeting recorded from it before. */
const WITHDRAWING: ReadonlySet<EventNotLogged> = new Set(["private", "internal_only", "blocked_participant"]);

/**
 * Whether an event the rules now refuse takes back the meeting recorded from it before: marked private or
 * confidential, internal-only, or with an attendee on the organisation's blocklist (then which ones).
 */
function withdrawal(
  event: GraphEvent,
  skipped: EventNotLogged,
  orgPrivacy: PrivacyPolicy,
  mailbox: string | null,
  internal: (domain: string) => boolean,
): { reason: Withdrawal; blocked: string[] } | null {
  if (skipped === "private") {
    // An attendee may mark their own copy private: that copy says nothing of the meeting a colleague's calendar
    // recorded, which would otherwise be taken back here and made again by the colleague's next capture, day after
    // day. The organiser's mark reaches every copy, so it counts where the copy read is the organiser's own, or
    // where the organiser is outside the organisation (every copy read here is then an attendee's; it errs towards
    // privacy).
    const raw = event.organizer?.emailAddress?.address;
    const organizer = raw && raw.length <= EMAIL_ADDRESS_MAX_CHARS ? normalizeEmailAddress(raw) : null;
    if (!organizer) return null;
    const own = mailbox !== null && normalizeEmailAddress(mailbox) === organizer;
    if (!own && internal(domainOf(organizer))) return null;
    return { reason: skipped, blocked: [] };
  }
  if (skipped === "internal_only") return { reason: skipped, blocked: [] };
  if (skipped !== "blocked_participant") return null;
  const asOrganization = meetingOfGraphEvent(event, orgPrivacy);
  if (!("skip" in asOrganization) || asOrganization.skip !== "blocked_participant") return null;
  const addresses = [event.organizer, ...(event.attendees ?? [])].flatMap((p) => {
    const raw = p?.emailAddress?.address;
    const address = raw && raw.length <= EMAIL_ADDRESS_MAX_CHARS ? normalizeEmailAddress(raw) : null;
    return address ? [address] : [];
  });
  return {
    reason: "blocked_participant",
    blocked: blockedAmong([...new Set(addresses)], orgPrivacy.blocklist),
  };
}

/** The meeting recorded from this event by another mailbox (by iCalUId and organiser), for a skipped event. */
async function capturedBefore(
  db: ReturnType<Database["forOrganization"]>,
  orgId: string,
  event: GraphEvent,
): Promise<string | null> {
  const uid = event.iCalUId?.trim();
  const raw = event.organizer?.emailAddress?.address;
  const organizer = raw && raw.length <= EMAIL_ADDRESS_MAX_CHARS ? normalizeEmailAddress(raw) : null;
  if (!uid || uid.length > 1000 || !organizer) return null;
  return meetingByUid(db, orgId, uid, { address: organizer, name: null });
}

async function organizationBlocklist(db: Kysely<DB>, orgId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("blocklist_entries")
    .select("entry")
    .where("org_id", "=", orgId)
    .where("user_id", "is", null)
    .execute();
  return rows.map((r) => r.entry);
}

/** The meeting marked cancelled (once): kept on every timeline, never deleted, never logged a second time. */
async function markCancelled(
  scope: {
    db: ReturnType<Database["forOrganization"]>;
    caller: { orgId: string; userId: string; email: string | null };
  },
  interactionId: string,
): Promise<boolean> {
  return scope.db.transaction().execute(async (tx) => {
    const marked = await tx
      .updateTable("interactions")
      .set({ meeting_cancelled: true, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", interactionId)
      .where("meeting_cancelled", "=", false)
      .returning("id")
      .executeTakeFirst();
    if (marked)
      await recordAudit(
        tx,
        scope.caller,
        "meeting.cancelled",
        { type: "interaction", id: interactionId },
        {
          source: "auto",
        },
      );
    return marked !== undefined;
  });
}
