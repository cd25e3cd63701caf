import { domainOf, normalizeEmailAddress, withinDomains } from "./email-address";

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

export const SKIP_REASONS = [
  "internal_only",
  "blocked_participant",
  "bulk_or_automated",
  "no_participants",
  /** An address on it is not one Rapport can read: the rules cannot say whether it is blocked or ours. */
  "unreadable_participant",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Whether an address is on the blocklist: an exact address, or within an `@domain` entry (subdomains too). */
export function isBlocked(address: string, blocklist: readonly string[]): boolean {
  return blockedBy(blocklist)(address);
}

/** The addresses on the blocklist, the list read once however many addresses are asked about. */
export function blockedAmong(addresses: readonly string[], blocklist: readonly string[]): string[] {
  return addresses.filter(blockedBy(blocklist));
}

/** isBlocked for many addresses: the list (thousands of entries) is read once, not once per address. */
function blockedBy(blocklist: readonly string[]): (address: string) => boolean {
  const isDomainEntry = (entry: string) => entry.trim().startsWith("@");
  const inBlockedDomain = withinDomains(blocklist.filter(isDomainEntry));
  const addresses = new Set(
    blocklist
      .filter((entry) => !isDomainEntry(entry))
      .map((entry) => normalizeEmailAddress(entry))
      .filter((entry): entry is string => entry !== null),
  );
  return (address) => {
    const normalized = normalizeEmailAddress(address);
    if (!normalized) return false;
    return addresses.has(normalized) || inBlockedDomain(domainOf(normalized));
  };
}

const BULK_HEADERS: ReadonlySet<string> = new Set([
  "list-unsubscribe",
  "list-id",
  "precedence",
  "auto-submitted",
]);

/** Mailing lists, newsletters and auto-replies: their headers say so. */
export function isBulkOrAutomated(headers: MailHeaders): boolean {
  // One pass over however many headers the message has, keeping the first of each name that matters.
  const found = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (BULK_HEADERS.has(name) && !found.has(name)) found.set(name, value);
  }
  const header = (name: string) => found.get(name)?.trim().toLowerCase();
  if (header("list-unsubscribe") || header("list-id")) return true;
  const precedence = header("precedence");
  if (precedence === "bulk" || precedence === "list" || precedence === "junk") return true;
  // RFC 3834: anything but "no" means a machine sent it.
  const autoSubmitted = header("auto-submitted");
  return autoSubmitted !== undefined && autoSubmitted !== "" && autoSubmitted !== "no";
}

/**
 * Why a message must not be logged automatically, or null when it may be. `participants` are every address on it
 * (from, to, cc), the rep's own included. A participant whose address cannot be read fails the message closed:
 * left out, the rules would never see it (a blocked person, the one outsider on internal mail).
 */
export function reasonNotToLog(
  participants: readonly string[],
  headers: MailHeaders,
  policy: PrivacyPolicy,
): SkipReason | null {
  const addresses = participants.map((p) => normalizeEmailAddress(p)).filter((p): p is string => p !== null);
  if (addresses.length === 0) return "no_participants";
  if (addresses.length < participants.length) return "unreadable_participant";
  const internal = withinDomains(policy.internalDomains);
  if (addresses.every((a) => internal(domainOf(a)))) return "internal_only";
  if (addresses.some(blockedBy(policy.blocklist))) return "blocked_participant";
  if (isBulkOrAutomated(headers)) return "bulk_or_automated";
  return null;
}
