import type {
  CalendarStatus,
  MailboxStatus,
  SubscriptionReason,
  SubscriptionStatus,
} from "../../shared/mailboxes";
import { SUBSCRIBED_RESOURCES, type SubscribedResource } from "./graph-subscriptions";

/*
 * What the mailboxes API says of a mailbox's calendar capture and change notifications, read from what the worker
 * stores as it runs (no column of its own): the order of the worker's writes is the record.
 *
 * In a run the worker reads the mail folders, then the calendar, then keeps the subscriptions, then records the
 * run (mailboxes.last_run_at, status). The calendar's last page sets calendar_sync.last_run_at and last_success_at
 * in one statement, so the two are equal after a whole round. A refusal (403: no Calendars.Read) sets last_run_at
 * alone (markCalendarRefused, calendar-store.ts), and the run then ends ok. So a calendar whose last run is newer than its last
 * success, in a mailbox whose run was recorded after it and that no worker holds now, was refused; one whose run
 * is newer than the mailbox's is a round under way (or one a stop cut short), which is not a failure.
 */

/** The mailbox as the API reports it, with what its run left in the store. */
export interface MailboxFacts {
  status: MailboxStatus;
  lastRunAt: Date | null;
  lastError: string | null;
  /** A worker holds the mailbox now (a run under way). */
  leased: boolean;
}

const NOT_SYNCED: ReadonlySet<MailboxStatus> = new Set(["not_enabled", "opted_out", "not_configured"]);
const FAILING: ReadonlySet<MailboxStatus> = new Set(["failing", "backing_off"]);

export function calendarStatusOf(
  mailbox: MailboxFacts,
  calendar: { last_run_at: Date | null; last_success_at: Date | null } | undefined,
): CalendarStatus {
  const syncedAt = calendar?.last_success_at ?? null;
  const status = (state: CalendarStatus["state"], error: string | null = null): CalendarStatus => ({
    state,
    syncedAt: syncedAt?.toISOString() ?? null,
    error,
  });
  if (NOT_SYNCED.has(mailbox.status)) return status("off");
  if (FAILING.has(mailbox.status)) return status("failing", mailbox.lastError);
  const ran = calendar?.last_run_at ?? null;
  if (
    ran !== null &&
    !mailbox.leased &&
    mailbox.lastRunAt !== null &&
    ran.getTime() <= mailbox.lastRunAt.getTime() &&
    (syncedAt === null || syncedAt.getTime() < ran.getTime())
  )
    return status("no_consent");
  return status(syncedAt === null ? "pending" : "synced");
}

export function subscriptionStatusOf(
  mailbox: MailboxFacts,
  notificationsConfigured: boolean,
  calendar: CalendarStatus,
  subscriptions: { resource: SubscribedResource; expires_at: Date }[],
  now: Date,
): SubscriptionStatus {
  const live = subscriptions.filter((s) => s.expires_at.getTime() > now.getTime());
  const earliest = live.reduce<Date | null>(
    (soonest, s) => (soonest === null || s.expires_at < soonest ? s.expires_at : soonest),
    null,
  );
  const status = (
    state: SubscriptionStatus["state"],
    reason: SubscriptionReason | null,
    error: string | null = null,
  ): SubscriptionStatus => ({ state, reason, expiresAt: earliest?.toISOString() ?? null, error });
  if (!notificationsConfigured) return status("off", "not_configured");
  if (NOT_SYNCED.has(mailbox.status)) return status("off", "mailbox_off");
  const missing = SUBSCRIBED_RESOURCES.filter((r) => !live.some((s) => s.resource === r));
  if (missing.length === 0) return status("active", null);
  if (FAILING.has(mailbox.status)) return status("failing", "mailbox_failing", mailbox.lastError);
  if (mailbox.status === "pending" || mailbox.lastRunAt === null) return status("pending", null);
  if (missing.every((r) => r === "events") && calendar.state === "no_consent")
    return status("failing", "no_calendar_consent");
  return status("failing", "not_made");
}
