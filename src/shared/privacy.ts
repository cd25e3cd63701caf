import { domainOf, isWithinDomains, normalizeEmailAddress } from "./email-address";

/**
 * The privacy rules every logging path applies (the mailbox sync, the pinned pane's auto-log, on send): one
 * function, so the paths cannot drift apart. A manual log shows the same reasons as warnings instead of skipping.
 */

export interface PrivacyPolicy {
  /** The organisation's own mail domains: mail among them only is internal. */
  internalDomains: readonly string[];
  /** Exact addresses and `@domain` entries (subdomains included), the organisation's and the rep's together. */
  blocklist: readonly string[];
}

/** The headers that mark bulk and automated mail (RFC 2369, RFC 2919, RFC 3834, and the old Precedence). */
export type MailHeaders = Readonly<Record<string, string | undefined>>;

export type SkipReason = "internal_only" | "blocked_participant" | "bulk_or_automated" | "no_participants";

/** Whether an address is on the blocklist: an exact address, or within an `@domain` entry (subdomains too). */
export function isBlocked(address: string, blocklist: readonly string[]): boolean {
  const normalized = normalizeEmailAddress(address);
  if (!normalized) return false;
  const domains = blocklist.filter((entry) => entry.trim().startsWith("@"));
  const addresses = new Set(
    blocklist
      .filter((entry) => !entry.trim().startsWith("@"))
      .map((entry) => normalizeEmailAddress(entry))
      .filter((entry): entry is string => entry !== null),
  );
  return addresses.has(normalized) || isWithinDomains(domainOf(normalized), domains);
}

/** Mailing lists, newsletters and auto-replies: their headers say so. */
export function isBulkOrAutomated(headers: MailHeaders): boolean {
  const header = (name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : headers[key]?.trim().toLowerCase();
  };
  if (header("list-unsubscribe") || header("list-id")) return true;
  const precedence = header("precedence");
  if (precedence === "bulk" || precedence === "list" || precedence === "junk") return true;
  // RFC 3834: anything but "no" means a machine sent it.
  const autoSubmitted = header("auto-submitted");
  return autoSubmitted !== undefined && autoSubmitted !== "" && autoSubmitted !== "no";
}

/**
 * Why a message must not be logged automatically, or null when it may be. `participants` are every address on it
 * (from, to, cc), the rep's own included.
 */
export function reasonNotToLog(
  participants: readonly string[],
  headers: MailHeaders,
  policy: PrivacyPolicy,
): SkipReason | null {
  const addresses = participants.map((p) => normalizeEmailAddress(p)).filter((p): p is string => p !== null);
  if (addresses.length === 0) return "no_participants";
  if (addresses.every((a) => isWithinDomains(domainOf(a), policy.internalDomains))) return "internal_only";
  if (addresses.some((a) => isBlocked(a, policy.blocklist))) return "blocked_participant";
  if (isBulkOrAutomated(headers)) return "bulk_or_automated";
  return null;
}
