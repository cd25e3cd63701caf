import { type Kysely, sql } from "kysely";
import type { DB } from "../db/tables";
import { type DueMailbox, whileHeld } from "./mailbox-store";

/** The calendarView window: meetings of the past month are logged, the next two weeks' are briefed. */
export const CALENDAR_PAST_DAYS = 30;
export const CALENDAR_FUTURE_DAYS = 14;
/**
 * A delta link keeps the window it was first asked for: after this long the window has moved on enough that the
 * capture asks for a new round over today's window (the meetings seen again are found, never logged twice).
 */
export const CALENDAR_WINDOW_RENEW_HOURS = 24;

const DAY = 86_400_000;

export interface CalendarState {
  link: string | null;
  window: { start: Date; end: Date };
}

function windowAt(now: Date): { start: Date; end: Date } {
  return {
    start: new Date(now.getTime() - CALENDAR_PAST_DAYS * DAY),
    end: new Date(now.getTime() + CALENDAR_FUTURE_DAYS * DAY),
  };
}

/**
 * Where the mailbox's calendar capture stands: its saved link, or a fresh window when it has none or its window is
 * older than a day (the link forgotten, so the round starts over today's window).
 */
export async function calendarState(db: Kysely<DB>, m: DueMailbox, now: Date): Promise<CalendarState> {
  const fresh = windowAt(now);
  await db
    .insertInto("calendar_sync")
    .values({ org_id: m.orgId, user_id: m.userId, window_start: fresh.start, window_end: fresh.end })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("calendar_sync")
    .select(["link", "link_kind", "window_start", "window_end"])
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .executeTakeFirstOrThrow();
  const stale =
    row.link_kind !== "next" &&
    now.getTime() - (row.window_start.getTime() + CALENDAR_PAST_DAYS * DAY) >
      CALENDAR_WINDOW_RENEW_HOURS * 3_600_000;
  if (!stale) return { link: row.link, window: { start: row.window_start, end: row.window_end } };
  return { link: null, window: await restartCalendar(db, m, now, false) };
}

/** A new round over today's window: the link forgotten (410, or the window moved on). */
export async function restartCalendar(
  db: Kysely<DB>,
  m: DueMailbox,
  now: Date,
  expired: boolean,
): Promise<{ start: Date; end: Date }> {
  const fresh = windowAt(now);
  await db
    .updateTable("calendar_sync")
    .set({
      link: null,
      link_kind: null,
      window_start: fresh.start,
      window_end: fresh.end,
      ...(expired ? { restarts: sql<number>`restarts + 1` } : {}),
    })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .execute();
  return fresh;
}

/** After a page is handled: where the next request goes on from; only while this worker holds the mailbox. */
export async function saveCalendarPage(
  db: Kysely<DB>,
  m: DueMailbox,
  owner: string,
  page: { link: string; kind: "next" | "delta"; seen: number; logged: number },
): Promise<boolean> {
  const saved = await db
    .updateTable("calendar_sync")
    .set({
      link: page.link,
      link_kind: page.kind,
      events_seen: sql<number>`events_seen + ${page.seen}`,
      meetings_logged: sql<number>`meetings_logged + ${page.logged}`,
      last_run_at: sql<Date>`now()`,
      ...(page.kind === "delta" ? { last_success_at: sql<Date>`now()` } : {}),
    })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where(whileHeld(m, owner))
    .returning("user_id")
    .executeTakeFirst();
  return saved !== undefined;
}

/** Graph refused the calendar (403): recorded as a run of the capture without a success, while this worker holds the mailbox. */
export async function markCalendarRefused(
  db: Kysely<DB>,
  m: Pick<DueMailbox, "orgId" | "userId">,
  owner: string,
): Promise<void> {
  await db
    .updateTable("calendar_sync")
    .set({ last_run_at: sql<Date>`now()` })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where(whileHeld(m, owner))
    .execute();
}

/** The meeting a mailbox's event was recorded as, if it was. */
export async function meetingOfEvent(db: Kysely<DB>, m: DueMailbox, eventId: string): Promise<string | null> {
  const row = await db
    .selectFrom("calendar_events")
    .select("interaction_id")
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("event_id", "=", eventId)
    .executeTakeFirst();
  return row?.interaction_id ?? null;
}

export async function rememberEvent(
  db: Kysely<DB>,
  m: DueMailbox,
  eventId: string,
  interactionId: string,
): Promise<void> {
  await db
    .insertInto("calendar_events")
    .values({ org_id: m.orgId, user_id: m.userId, event_id: eventId, interaction_id: interactionId })
    .onConflict((oc) =>
      oc.columns(["org_id", "user_id", "event_id"]).doUpdateSet({ interaction_id: interactionId }),
    )
    .execute();
}
