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
});
export type Mailbox = z.infer<typeof Mailbox>;

export const MailboxList = z.object({
  /** Whether this server has Graph credentials; without them no mailbox is synced. */
  syncConfigured: z.boolean(),
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
