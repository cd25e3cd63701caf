/** What an erased person's name and addresses become wherever other records quoted them. */
export const ERASED = "[erased]";

/**
 * How to find one person in free text: their email addresses, and their names of two words or more. A one-word
 * name ("Anna", "Support") is too common to say it means this person; rewriting every one in the store would
 * damage other people's records, so it is not searched for (the person's own records go whole anyway).
 */
export interface Mentions {
  /** ILIKE patterns that every text holding a mention matches (and a few more, which `scrub` leaves alone). */
  patterns: string[];
  /** The text with every mention replaced by ERASED. */
  scrub(text: string): string;
  /** Whether the text holds a mention. */
  finds(text: string): boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const words = (name: string) => name.trim().split(/\s+/u).filter(Boolean);

export function mentionsOf(names: (string | null)[], addresses: string[]): Mentions | null {
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
  if (fullNames.length === 0 && mails.length === 0) return null;

  // Longest first, so "anna.berg@x.example" is replaced whole before a shorter alternative could match in it.
  const byLength = (a: string, b: string) => b.length - a.length;
  const nameSources = fullNames.map((w) => w.map(escapeRegExp).join("\\s+")).sort(byLength);
  const mailSources = mails.map(escapeRegExp).sort(byLength);
  // Whole words and whole addresses only: "Anna Bergström" is someone else, and so is "xanna.berg@x.example".
  const parts = [
    ...(mailSources.length
      ? [`(?<![\\p{L}\\p{N}._%+-])(?:${mailSources.join("|")})(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`]
      : []),
    ...(nameSources.length ? [`(?<![\\p{L}\\p{N}_])(?:${nameSources.join("|")})(?![\\p{L}\\p{N}_])`] : []),
  ];
  const source = parts.join("|");
  // ILIKE folds ASCII letters itself; other letters get their case variants spelt out, for databases whose ILIKE
  // folds only ASCII. The JSON-escaped variant finds a name with a quote or a backslash in a jsonb column's text.
  const variants = (text: string) =>
    (/^\p{ASCII}*$/u.test(text) ? [text] : [text, text.toLowerCase(), text.toUpperCase()]).flatMap((v) => [
      v,
      JSON.stringify(v).slice(1, -1),
    ]);
  // A name's words may be split by any whitespace (a line break in an email), so its pattern is its words with
  // anything between them.
  const like = (parts: string[]) => `%${parts.map((p) => p.replace(/[\\%_]/g, (c) => `\\${c}`)).join("%")}%`;
  const patterns = [
    ...mails.flatMap(variants).map((mail) => like([mail])),
    ...fullNames.flatMap((w) => variants(w.join(" ")).map((name) => like(words(name)))),
  ];
  return {
    patterns: [...new Set(patterns)],
    scrub: (text) => text.replace(new RegExp(source, "giu"), ERASED),
    finds: (text) => new RegExp(source, "iu").test(text),
  };
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
