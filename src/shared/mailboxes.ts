import { z } from "zod";
import { TimeZone } from "./time-zone";
import { Language } from "./languages";
import { canonicalDomain, readEmailAddress } from "./email-address";

/**
 * Automatic logging: the mailboxes the server syncs through Microsoft Graph, each rep's own switches, and the
 * blocklists every automatic path obeys.
 */

/** The two folders the sync reads: mail that came in and mail that went out. */
export const MailFolder = z.enum(["inbox", "sentitems"]);
export type MailFolder = z.infer<typeof MailFolder>;

/**
 * Where a mailbox stands. `not_enabled`: nobody turned it on; `opted_out`: its owner turned it off; `pending`:
 * on, not yet run; `ok`: the last run finished; `backing_off`: Graph asked us to wait (429/503) and we do;
 * `failing`: the last run failed and will be retried later; `not_configured`: this server has no Graph
 * credentials, so nothing is synced.
 */
export const MailboxStatus = z.enum([
  "not_enabled",
  "opted_out",
  "pending",
  "ok",
  "backing_off",
  "failing",
  "not_configured",
]);
export type MailboxStatus = z.infer<typeof MailboxStatus>;

const Instant = z.iso.datetime({ offset: true }).nullable();

export const MailboxFolderState = z.object({
  folder: MailFolder,
  /** Mail received before this was not read (the backfill window). */
  backfillFrom: z.iso.datetime({ offset: true }),
  lastRunAt: Instant,
  lastSuccessAt: Instant,
  messagesSeen: z.number().int().nonnegative(),
  messagesLogged: z.number().int().nonnegative(),
  /** Times Graph expired the folder's delta (410) and the folder was read again within the window. */
  restarts: z.number().int().nonnegative(),
});
export type MailboxFolderState = z.infer<typeof MailboxFolderState>;

/**
 * Where the capture of the mailbox's calendar (meetings) stands. `off`: the mailbox is not synced (its `status`
 * says why); `pending`: synced, its calendar not read yet; `synced`: the last run read it whole (`syncedAt`);
 * `no_consent`: Graph refused the calendar (403): the app registration lacks Calendars.Read or its admin consent,
 * while mail goes on being logged; `failing`: the mailbox's runs fail (`error`), and the calendar is read in them.
 */
export const CalendarState = z.enum(["off", "pending", "synced", "no_consent", "failing"]);
export type CalendarState = z.infer<typeof CalendarState>;

export const CalendarStatus = z.object({
  state: CalendarState,
  /** The last time a whole round of the calendar was read, whatever the state is now. */
  syncedAt: Instant,
  /** `failing`: the mailbox's last error. */
  error: z.string().nullable(),
});
export type CalendarStatus = z.infer<typeof CalendarStatus>;

/**
 * Where the mailbox's Graph change notifications (near-real-time sync) stand. `off`: no notification URL on this
 * server (`not_configured`) or the mailbox is not synced (`mailbox_off`); the minute's run reads it all the same.
 * `pending`: the mailbox has not finished a run since, which is when subscriptions are made. `active`: every
 * subscription (messages, events) is live until `expiresAt` (the earliest; renewed before then). `failing`: a
 * subscription is missing or lapsed after the mailbox's last run: `no_calendar_consent` (the events' one needs
 * Calendars.Read), `mailbox_failing` (the runs that keep them fail: `error`), or `not_made` (Graph refused it or
 * could not reach the notification URL: the server's log has Graph's answer).
 */
export const SubscriptionState = z.enum(["off", "pending", "active", "failing"]);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

export const SubscriptionReason = z.enum([
  "not_configured",
  "mailbox_off",
  "no_calendar_consent",
  "mailbox_failing",
  "not_made",
]);
export type SubscriptionReason = z.infer<typeof SubscriptionReason>;

export const SubscriptionStatus = z.object({
  state: SubscriptionState,
  reason: SubscriptionReason.nullable(),
  /** `active` (and `failing` with one subscription still live): when the earliest live one expires. */
  expiresAt: Instant,
  /** `mailbox_failing`: the mailbox's last error. */
  error: z.string().nullable(),
});
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const Mailbox = z.object({
  userId: z.uuid(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  /** Synced now: enabled (for this user, or for everyone) and not opted out. */
  syncing: z.boolean(),
  /** An admin turned this mailbox on by itself (the organisation may also turn on every mailbox). */
  enabledForUser: z.boolean(),
  optedOut: z.boolean(),
  status: MailboxStatus,
  lastRunAt: Instant,
  lastSuccessAt: Instant,
  lastError: z.string().nullable(),
  /** After a failure or a request to wait, the next run is not before this. */
  retryAt: Instant,
  folders: z.array(MailboxFolderState),
  calendar: CalendarStatus,
  notifications: SubscriptionStatus,
});
export type Mailbox = z.infer<typeof Mailbox>;

export const MailboxList = z.object({
  /** Whether this server has Graph credentials; without them no mailbox is synced. */
  syncConfigured: z.boolean(),
  /** Whether this server asks Graph for change notifications (RAPPORT_GRAPH_NOTIFICATION_URL is set). */
  notificationsConfigured: z.boolean(),
  intervalSeconds: z.number().int().positive(),
  backfillDays: z.number().int().nonnegative(),
  items: z.array(Mailbox),
});
export type MailboxList = z.infer<typeof MailboxList>;

export const MailboxUpdate = z.strictObject({ enabled: z.boolean() });
export type MailboxUpdate = z.infer<typeof MailboxUpdate>;

export const UserIdParams = z.strictObject({ userId: z.uuid() });

/** Each rep's own switches. */
export const MySettings = z.object({
  /** With the pane pinned, opening an email from a known contact logs it. */
  autoLogOpened: z.boolean(),
  /** The rep does not want their mailbox synced, whatever the organisation enabled. */
  syncOptedOut: z.boolean(),
  /** The web app's language on every device; null follows the browser's. */
  language: Language.nullable(),
  /** The rep's IANA time zone: their follow-ups' working days, their mornings for occasion mails, their "today". Null is UTC. */
  timeZone: z.string().nullable(),
});
export type MySettings = z.infer<typeof MySettings>;

export const MySettingsUpdate = MySettings.extend({ timeZone: TimeZone.nullable() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "name at least one setting to change");
export type MySettingsUpdate = z.infer<typeof MySettingsUpdate>;

export const BlocklistScope = z.enum(["organization", "personal"]);
export type BlocklistScope = z.infer<typeof BlocklistScope>;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9\p{L}](?:[a-z0-9\p{L}-]{0,61}[a-z0-9\p{L}])?\.)+[a-z\p{L}]{2,63}$/u;

/**
 * An exact address, or `@domain` for a whole domain and its subdomains: `entry` in canonical form (what is stored
 * as the key and compared, so either spelling of an internationalised domain blocks both), `written` as typed.
 */
export const BlocklistEntryText = z
  .string()
  .trim()
  .max(320)
  .transform((value, ctx) => {
    if (value.startsWith("@")) {
      const domain = value.slice(1).normalize("NFC").toLowerCase().replace(/\.$/, "");
      const canonical = DOMAIN.test(domain) ? canonicalDomain(domain) : null;
      if (canonical !== null) return { entry: `@${canonical}`, written: `@${domain}` };
    } else {
      const forms = readEmailAddress(value);
      if (forms) return { entry: forms.address, written: forms.written };
    }
    ctx.addIssue({
      code: "custom",
      message: `"${value.slice(0, 80)}" is neither an address (anna@contoso.com) nor a domain (@contoso.com)`,
    });
    return z.NEVER;
  });

export const BlocklistEntry = z.object({
  id: z.uuid(),
  scope: BlocklistScope,
  /** As it was written. */
  entry: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type BlocklistEntry = z.infer<typeof BlocklistEntry>;

export const BlocklistEntryCreate = z.strictObject({ scope: BlocklistScope, entry: BlocklistEntryText });
export type BlocklistEntryCreate = z.input<typeof BlocklistEntryCreate>;

export const BlocklistQuery = z.strictObject({ scope: BlocklistScope });

/** A list holds at most this many entries per scope; past that, a domain entry is the better tool. */
export const MAX_BLOCKLIST_ENTRIES = 5000;

export const Blocklist = z.object({ scope: BlocklistScope, items: z.array(BlocklistEntry) });
export type Blocklist = z.infer<typeof Blocklist>;

/** What the pane needs to apply the privacy rules itself: the organisation's domains, both blocklists. */
export const PrivacyRules = z.object({
  /** Canonical, as the rules compare them (the rules accept either spelling of an address). */
  internalDomains: z.array(z.string()),
  /** The organisation's entries and the caller's own, together. */
  blocklist: z.array(z.string()),
});
export type PrivacyRules = z.infer<typeof PrivacyRules>;

/** Why a rep's meetings may be missing from Today, for them to act on; null when the calendar is read. */
export type MeetingsUnread =
  Exclude<MailboxStatus, "ok" | "pending" | "backing_off" | "failing"> | "pending" | "no_consent" | "failing";

export function whyMeetingsUnread(mailbox: Pick<Mailbox, "status" | "calendar">): MeetingsUnread | null {
  switch (mailbox.calendar.state) {
    case "synced":
      return null;
    case "off":
      // Off only while the mailbox is not synced, which its status says why.
      return mailbox.status === "not_enabled" ||
        mailbox.status === "opted_out" ||
        mailbox.status === "not_configured"
        ? mailbox.status
        : "pending";
    default:
      return mailbox.calendar.state;
  }
}
