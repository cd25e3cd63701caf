// Guessing a person's name from what an email header gives us, to pre-fill "Add to Rapport". A wrong guess costs
// the user a correction, so when the input says nothing about a person the answer is null rather than a guess.

import { normalizeEmailAddress } from "./email-address";

export interface PersonName {
  displayName: string;
  firstName: string | null;
  lastName: string | null;
}

const HONORIFICS: ReadonlySet<string> = new Set([
  "dr",
  "mr",
  "mrs",
  "ms",
  "mx",
  "miss",
  "prof",
  "herr",
  "frau",
  "fru",
]);

// Lower-case words that belong to the surname that follows them.
const PARTICLES: ReadonlySet<string> = new Set([
  "van",
  "von",
  "vom",
  "der",
  "den",
  "de",
  "del",
  "della",
  "di",
  "da",
  "dos",
  "das",
  "du",
  "la",
  "le",
  "ten",
  "ter",
  "af",
  "av",
  "zu",
  "zum",
  "zur",
]);

// Mailboxes that are a function, not a person: "Info" is not anyone's first name.
const ROLE_WORDS: ReadonlySet<string> = new Set([
  "info",
  "sales",
  "support",
  "contact",
  "hello",
  "admin",
  "office",
  "noreply",
  "donotreply",
  "reply",
  "billing",
  "invoice",
  "invoices",
  "mailerdaemon",
  "mailer",
  "daemon",
  "postmaster",
  "hostmaster",
  "webmaster",
  "team",
  "kontakt",
  "post",
  "hej",
  "help",
  "helpdesk",
  "service",
  "customerservice",
  "kundservice",
  "kundtjanst",
  "faktura",
  "ekonomi",
  "bounce",
  "bounces",
  "notification",
  "notifications",
  "newsletter",
  "marketing",
  "news",
  "mail",
  "careers",
  "jobs",
  "accounts",
  "orders",
  "booking",
  "reception",
]);

// Company or context appended to a name: "Anna Berg | Contoso", "Anna Berg - Contoso", "Anna Berg via LinkedIn".
const TRAILING_CONTEXT = /\s*\|\s*|\s+[-–—/•·@]\s+|\s+via\s+/;
const BRACKETED = /\([^)]*(?:\)|$)|\[[^\]]*(?:\]|$)/g;
// Each lookbehind lets a match start only where its run starts: a bare /X+$/ is tried again from every character
// of a run that does not end the text, quadratic in the run's length.
const SURROUNDING_QUOTES = /^["'“”‘’«»]+|(?<!["'“”‘’«»])["'“”‘’«»]+$/g;
const LEADING_NON_WORD = /^[^\p{L}\p{N}]+/u;
const TRAILING_NON_WORD = /(?<![^\p{L}\p{N}.])[^\p{L}\p{N}.]+$/u;
const OUTER_HYPHENS = /^-+|(?<!-)-+$/g;
const HAS_LETTER = /\p{L}/u;

function stripQuotes(text: string): string {
  return text.trim().replace(SURROUNDING_QUOTES, "").trim();
}

/** Words of a name, without stray punctuation; a trailing dot stays so that initials read "A.". */
function words(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replace(LEADING_NON_WORD, "").replace(TRAILING_NON_WORD, ""))
    .filter((word) => HAS_LETTER.test(word));
}

function isHonorific(word: string): boolean {
  return HONORIFICS.has(word.toLowerCase().replace(/\.$/, ""));
}

function isParticle(word: string): boolean {
  return PARTICLES.has(word.toLowerCase());
}

function withoutHonorifics(list: string[]): { words: string[]; hadHonorific: boolean } {
  let start = 0;
  while (start < list.length && isHonorific(list[start] ?? "")) start++;
  return { words: list.slice(start), hadHonorific: start > 0 };
}

function capitalize(word: string): string {
  let result = "";
  let atWordStart = true;
  for (const char of word.toLowerCase()) {
    result += atWordStart ? char.toUpperCase() : char;
    // Anna-Karin, O'Brien, D’Angelo: each part of a compound starts with a capital.
    atWordStart = char === "-" || char === "'" || char === "’";
  }
  return result;
}

/**
 * Shouting (ANNA BERG) and all-lower (anna berg) names are fixed; a name with both cases was written that way on
 * purpose (McDonald, van der Berg, DeShawn) and is kept exactly.
 */
function fixCase(ordered: readonly string[]): string[] {
  const joined = ordered.join(" ");
  const hasUpper = joined !== joined.toLowerCase();
  const hasLower = joined !== joined.toUpperCase();
  if (hasUpper && hasLower) return [...ordered];
  if (!hasUpper && !hasLower) return [...ordered];
  // A particle is lower-case only inside a name: "ANNA VAN DER BERG" is Anna van der Berg, "ANNA LE" is Anna Le.
  const last = ordered.length - 1;
  return ordered.map((word, index) =>
    index > 0 && index < last && isParticle(word) ? word.toLowerCase() : capitalize(word),
  );
}

function build(first: readonly string[], last: readonly string[]): PersonName | null {
  const cased = fixCase([...first, ...last]);
  const firstName = cased.slice(0, first.length).join(" ") || null;
  const lastName = cased.slice(first.length).join(" ") || null;
  const displayName = cased.join(" ");
  return displayName === "" ? null : { displayName, firstName, lastName };
}

/**
 * The last word, with any particles before it, is the surname; everything before is the first name, so that
 * double first names (Anna Karin, Jan Erik) stay together.
 */
function splitFirstLast(list: readonly string[]): { first: string[]; last: string[] } {
  if (list.length <= 1) return { first: [...list], last: [] };
  let lastStart = list.length - 1;
  while (lastStart > 1 && isParticle(list[lastStart - 1] ?? "")) lastStart--;
  return { first: list.slice(0, lastStart), last: list.slice(lastStart) };
}

function fromDisplayName(displayName: string): PersonName | null {
  const withoutBrackets = displayName.replace(BRACKETED, " ");
  const segments = withoutBrackets.split(TRAILING_CONTEXT).map((segment) => segment.trim());
  const name = segments.find((segment) => HAS_LETTER.test(segment)) ?? "";

  const commaParts = name
    .split(",")
    .map((part) => part.trim())
    .filter((part) => HAS_LETTER.test(part));
  if (commaParts.length >= 2) {
    const family = withoutHonorifics(words(commaParts[0] ?? "")).words;
    const given = withoutHonorifics(words(commaParts[1] ?? "")).words;
    // "Berg, Anna" and "van der Berg, Anna" are surname-first; in "Anna Berg, PhD" or "Anna Berg, Contoso"
    // the part before the comma is the whole name and the rest is dropped.
    const surnameShaped = family.filter((word) => !isParticle(word)).length === 1;
    if (surnameShaped && given.length > 0) return build(given, family);
    return fromWords(commaParts[0] ?? "");
  }
  return fromWords(name);
}

function fromWords(text: string): PersonName | null {
  const { words: list, hadHonorific } = withoutHonorifics(words(text));
  // "Dr. Berg" and "Herr Schmidt": after a title, a lone word is the surname.
  if (list.length === 1 && hadHonorific) return build([], list);
  const { first, last } = splitFirstLast(list);
  return build(first, last);
}

function isRoleLocalPart(local: string): boolean {
  const lettersOnly = local.replace(/[^\p{L}]/gu, "");
  if (ROLE_WORDS.has(lettersOnly)) return true;
  if (lettersOnly.startsWith("noreply") || lettersOnly.startsWith("donotreply")) return true;
  const parts = local
    .split(/[^\p{L}]+/u)
    .filter((part) => part !== "")
    .map((part) => part.replace(/\d+/g, ""));
  // sales.se@, info-hr@, support.team@: role words, possibly with a country or team code.
  return (
    parts.some((part) => ROLE_WORDS.has(part)) &&
    parts.every((part) => ROLE_WORDS.has(part) || part.length <= 2)
  );
}

function localPartOf(address: string | null | undefined): string | null {
  if (address === null || address === undefined) return null;
  const normalized = normalizeEmailAddress(address);
  if (normalized === null) return null;
  return normalized.slice(0, normalized.lastIndexOf("@")).replace(/^"|"$/g, "");
}

function fromLocalPart(local: string): PersonName | null {
  // anna.berg+crm@ is still Anna Berg.
  const mailbox = local.split("+")[0] ?? "";
  if (isRoleLocalPart(mailbox)) return null;
  // With dots or underscores present, hyphens join a double name (anna-karin.berg); alone they separate words.
  const separator = /[._]/.test(mailbox) ? /[._]+/ : /-+/;
  const parts = mailbox
    .split(separator)
    .map((part) => part.replace(/\d+/g, "").replace(OUTER_HYPHENS, ""))
    .filter((part) => HAS_LETTER.test(part));
  const { first, last } = splitFirstLast(parts);
  return build(first, last);
}

/**
 * A person's name from an email display name, falling back to the address when the display name is empty,
 * is an address, or merely repeats the local part. Returns null when neither says who the person is.
 */
export function parsePersonName(
  displayName: string | null | undefined,
  address?: string | null,
): PersonName | null {
  const display = stripQuotes(displayName ?? "").replace(/\s+/g, " ");
  const displayIsAddress = display !== "" && normalizeEmailAddress(display) !== null;
  const local = localPartOf(address) ?? (displayIsAddress ? localPartOf(display) : null);

  const displayIsLocalPart = local !== null && display.toLowerCase() === local;
  if (display !== "" && !displayIsAddress && !displayIsLocalPart) {
    const parsed = fromDisplayName(display);
    if (parsed !== null) return parsed;
  }
  return local === null ? null : fromLocalPart(local);
}
