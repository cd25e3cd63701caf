import { z } from "zod";
import { Id, Version } from "./common";
import { canonicalDomain } from "./email-address";
import { FOLLOW_UP_DEFAULT_DAYS, FollowUpDays } from "./follow-ups";

/** What automatically logged mail keeps: its metadata only, its subject too, or subject and a text excerpt. */
export const AutoLoggedContent = z.enum(["metadata", "subject", "excerpt"]);
export type AutoLoggedContent = z.infer<typeof AutoLoggedContent>;

/** What the organisation logs by itself; every switch off until an admin turns it on. */
export const LoggingPolicy = z.object({
  /** Mail a rep sends to a known contact is logged as it is sent, without the rep ticking it. */
  logOnSendToKnownContacts: z.boolean().default(false),
  /** The server syncs every user's mailbox, not only those an admin enabled one by one. */
  syncAllMailboxes: z.boolean().default(false),
  /** What automatic logging stores of an email (a manual log keeps what the rep chose to log). */
  autoLoggedContent: AutoLoggedContent.default("excerpt"),
  /**
   * Mail a rep sends on an open deal gets a no-reply reminder unless the rep says otherwise (the pane's switch, or
   * `followUp: null`).
   */
  followUpOpenDeals: z.boolean().default(false),
  /** The working days such a reminder waits, and the pane's suggestion. */
  followUpDays: FollowUpDays.default(FOLLOW_UP_DEFAULT_DAYS),
});
export type LoggingPolicy = z.infer<typeof LoggingPolicy>;

export const LoggingPolicyUpdate = z
  .strictObject({
    logOnSendToKnownContacts: z.boolean(),
    syncAllMailboxes: z.boolean(),
    autoLoggedContent: AutoLoggedContent,
    followUpOpenDeals: z.boolean(),
    followUpDays: FollowUpDays,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "name at least one setting to change");
export type LoggingPolicyUpdate = z.infer<typeof LoggingPolicyUpdate>;

const DOMAIN_LABEL = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;

/**
 * One of the organisation's own mail domains, as addresses carry it: trimmed, a leading "@" dropped, lower-cased
 * (and NFC, as addresses are normalised), at least two labels and a top-level label of letters. `domain` is its
 * canonical form (punycode for an internationalised one), which is what is compared; `written` is what was typed.
 */
export const InternalDomain = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const written = value.trim().replace(/^@/, "").normalize("NFC").toLowerCase();
    const labels = written.split(".");
    const tld = labels[labels.length - 1] ?? "";
    const domain = canonicalDomain(written);
    if (
      written.length > 253 ||
      labels.length < 2 ||
      !labels.every((label) => DOMAIN_LABEL.test(label)) ||
      [...tld].length < 2 ||
      /^\d+$/.test(tld) ||
      domain === null
    ) {
      ctx.addIssue({ code: "custom", message: `"${value.slice(0, 80)}" is not a domain name` });
      return z.NEVER;
    }
    return { domain, written };
  });

export const Organization = z.object({
  id: Id,
  name: z.string(),
  /**
   * Mail among these domains (and their subdomains) is internal: never logged, never a company. As they were
   * written; they match addresses in any spelling.
   */
  internalDomains: z.array(z.string()),
  version: Version,
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    /** The whole list: validated, lower-cased, each once (in the order first given, whatever its spelling). */
    internalDomains: z
      .array(InternalDomain)
      .max(50)
      .transform((domains) => {
        const seen = new Set<string>();
        return domains.filter(({ domain }) => !seen.has(domain) && seen.add(domain));
      })
      .optional(),
    version: Version.optional(),
  })
  .refine((v) => v.name !== undefined || v.internalDomains !== undefined, "name a setting to change");
export type OrganizationUpdate = z.infer<typeof OrganizationUpdate>;
