/** What an erased person's name, addresses and phones become in the records about them that stay. */
export const ERASED = "[erased]";

/**
 * How to find one person in the text of a record about them (the subject of an email they were on, an audit
 * event about them): their email addresses, their phone numbers, and their names of two words or more. A one-word
 * name ("Anna", "Support") is too common to say it means this person, so it is not searched for.
 */
export interface Mentions {
  /** The text with every mention replaced by ERASED. */
  scrub(text: string): string;
}

/** A number shorter than this is too likely to be some other number (an order, a year, an extension). */
const PHONE_DIGITS_AT_LEAST = 6;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const words = (name: string) => name.trim().split(/\s+/u).filter(Boolean);

export function mentionsOf(
  names: (string | null)[],
  addresses: string[],
  phones: string[] = [],
): Mentions | null {
  const fullNames = [
    ...new Map(
      names
        .filter((n): n is string => n !== null)
        .map(words)
        .filter((w) => w.length >= 2 && w.join(" ").length >= 3)
        .map((w) => [w.join(" ").toLowerCase(), w] as const),
    ).values(),
  ];
  const mails = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const numbers = [
    ...new Set(phones.map((p) => p.replace(/\D/g, "")).filter((d) => d.length >= PHONE_DIGITS_AT_LEAST)),
  ];
  if (fullNames.length === 0 && mails.length === 0 && numbers.length === 0) return null;

  // Longest first, so "anna.berg@x.example" is replaced whole before a shorter alternative could match in it.
  const byLength = (a: string, b: string) => b.length - a.length;
  // A name's words may be split by any whitespace (a line break in an email).
  const nameSources = fullNames.map((w) => w.map(escapeRegExp).join("\\s+")).sort(byLength);
  const mailSources = mails.map(escapeRegExp).sort(byLength);
  // A phone is its digits however they were grouped when written: "+46 8 123 456", "+46-8-123456", "(468) 123456".
  const phoneSources = numbers.map((d) => [...d].join("[\\s().\\-/]{0,3}")).sort(byLength);
  // Whole words, whole addresses and whole numbers only: "Anna Bergström" is someone else, and so are
  // "xanna.berg@x.example" and the number 1468123456.
  const parts = [
    ...(mailSources.length
      ? [`(?<![\\p{L}\\p{N}._%+-])(?:${mailSources.join("|")})(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`]
      : []),
    ...(nameSources.length ? [`(?<![\\p{L}\\p{N}_])(?:${nameSources.join("|")})(?![\\p{L}\\p{N}_])`] : []),
    ...(phoneSources.length ? [`(?<![\\p{N}+])\\+?(?:${phoneSources.join("|")})(?!\\p{N})`] : []),
  ];
  const pattern = new RegExp(parts.join("|"), "giu");
  return { scrub: (text) => text.replace(pattern, ERASED) };
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON value with every mention in its strings, keys included, replaced: the shape stays valid JSON. */
export function scrubJson(value: unknown, mentions: Mentions): JsonValue {
  if (typeof value === "string") return mentions.scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, mentions));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [mentions.scrub(k), scrubJson(v, mentions)]),
    );
  return value as JsonValue;
}
