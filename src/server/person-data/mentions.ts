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

/** Letters, digits and `_`: a name is matched as whole words, so it may neither start nor end inside one. */
const WORD_RUNS = /[\p{L}\p{N}_]+/gu;
const WHITESPACE_RUNS = /\s+/gu;

/**
 * Text as names are compared: lower case (a final ς as σ, as a case-insensitive pattern compares them) and each
 * run of whitespace one space, since a name's words may be split by any (a line break in an email).
 */
const fold = (text: string) => text.toLowerCase().replace(/ς/g, "σ").replace(WHITESPACE_RUNS, " ");

/** FNV-1a over UTF-16 code units, from `hash` on: a window's hash grows a word at a time, never read again. */
function extendHash(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
const EMPTY_HASH = 0x811c9dc5;

interface Span {
  start: number;
  end: number;
}

/**
 * The names as a set of folded texts, each from its first word character to its last ("'Anna Berg'" is Anna
 * Berg), found in a text by its words: a match starts where a run of word characters starts and ends where one
 * ends, and what lies between folds to a name. Each run of the text is tried once as a start, and a try stops as
 * soon as what it has read so far starts no name: the cost is the text's length times at most the longest name's
 * length, whatever the number of names. (One alternation of every name, run over the text, cost the text's
 * length times the number of names: a sender of thousands of mails, each with another display name, made an
 * erasure take minutes.)
 */
function nameMatcher(names: string[]): ((text: string) => (from: number) => Span | null) | null {
  const keys = new Set<string>();
  const prefixes = new Set<number>();
  const full = new Set<number>();
  let longest = 0;
  for (const name of names) {
    const words = wordsOf(name);
    const first = words.runs[0];
    const last = words.runs.at(-1);
    if (first === undefined || last === undefined) continue;
    if (name.slice(first.start, last.end).trim().split(/\s+/u).length < 2) continue;
    // The hash after each of the name's runs of word characters, the separator before it included, hashed
    // piece by piece as a text's windows are.
    let key = "";
    let hash = EMPTY_HASH;
    const after: number[] = [];
    for (let i = 0; i < words.runs.length; i++) {
      const piece = words.piece(i, i === 0);
      key += piece;
      hash = extendHash(hash, piece);
      after.push(hash);
    }
    if (key.length < 3 || keys.has(key)) continue;
    keys.add(key);
    longest = Math.max(longest, key.length);
    for (const h of after) prefixes.add(h);
    full.add(hash);
  }
  if (keys.size === 0) return null;

  return (text) => {
    const { runs, piece } = wordsOf(text);
    /** The longest name starting at run `first`. */
    const nameAt = (first: number): Span | null => {
      let hash = EMPTY_HASH;
      let length = 0;
      let found: Span | null = null;
      for (let i = first; i < runs.length; i++) {
        const next = piece(i, i === first);
        length += next.length;
        if (length > longest) break;
        hash = extendHash(hash, next);
        if (full.has(hash)) {
          // Compared letter by letter only where the hash says a name ends.
          let key = "";
          for (let j = first; j <= i; j++) key += piece(j, j === first);
          if (keys.has(key)) found = { start: (runs[first] as Span).start, end: (runs[i] as Span).end };
        }
        if (!prefixes.has(hash)) break;
      }
      return found;
    };
    let run = 0;
    return (from) => {
      for (; run < runs.length; run++) {
        if ((runs[run] as Span).start < from) continue;
        const found = nameAt(run);
        if (found) return found;
      }
      return null;
    };
  };
}

/**
 * A text's runs of word characters, and each as compared: run `i` folded, with the folded separator before it
 * (from the end of run `i - 1`) unless it starts what is compared. Folded runs are kept: a run is read in as many
 * windows as start before it within a name's length.
 */
function wordsOf(text: string): { runs: Span[]; piece(i: number, first: boolean): string } {
  const runs = [...text.matchAll(WORD_RUNS)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const folded: (string | undefined)[] = [];
  return {
    runs,
    piece(i, first) {
      const run = runs[i] as Span;
      const own = (folded[i] ??= fold(text.slice(run.start, run.end)));
      return first ? own : fold(text.slice((runs[i - 1] as Span).end, run.start)) + own;
    },
  };
}

/** The next match of a global pattern at `from` or after it. */
function nextMatch(pattern: RegExp, text: string, from: number): Span | null {
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

export function mentionsOf(
  names: (string | null)[],
  addresses: string[],
  phones: string[] = [],
): Mentions | null {
  const findNames = nameMatcher(names.filter((n): n is string => n !== null));
  const mails = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const numbers = [
    ...new Set(phones.map((p) => p.replace(/\D/g, "")).filter((d) => d.length >= PHONE_DIGITS_AT_LEAST)),
  ];
  if (findNames === null && mails.length === 0 && numbers.length === 0) return null;

  // Longest first, so "anna.berg@x.example" is replaced whole before a shorter alternative could match in it.
  const byLength = (a: string, b: string) => b.length - a.length;
  const mailSources = mails.map(escapeRegExp).sort(byLength);
  // A phone is its digits however they were grouped when written: "+46 8 123 456", "+46-8-123456", "(468) 123456".
  const phoneSources = numbers.map((d) => [...d].join("[\\s().\\-/]{0,3}")).sort(byLength);
  // Whole addresses and whole numbers only: "xanna.berg@x.example" is someone else, and so is 1468123456. The
  // person's own addresses and phones are few; the names their mail carried may be thousands (nameMatcher).
  const mailPattern = mailSources.length
    ? new RegExp(
        `(?<![\\p{L}\\p{N}._%+-])(?:${mailSources.join("|")})(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`,
        "giu",
      )
    : null;
  const phonePattern = phoneSources.length
    ? new RegExp(`(?<![\\p{N}+])\\+?(?:${phoneSources.join("|")})(?!\\p{N})`, "gu")
    : null;

  return {
    scrub(text) {
      const nextName = findNames?.(text) ?? null;
      const next = {
        mail: (from: number) => (mailPattern ? nextMatch(mailPattern, text, from) : null),
        name: (from: number) => (nextName ? nextName(from) : null),
        phone: (from: number) => (phonePattern ? nextMatch(phonePattern, text, from) : null),
      };
      // The leftmost mention goes first (an address before a name at the same place), and the search goes on
      // after it; each finder's next match is kept until the text before it has been passed.
      const ahead: Record<keyof typeof next, Span | null> = { mail: null, name: null, phone: null };
      const kinds = Object.keys(next) as (keyof typeof next)[];
      for (const kind of kinds) ahead[kind] = next[kind](0);
      const parts: string[] = [];
      let at = 0;
      for (;;) {
        let first: Span | null = null;
        for (const kind of kinds) {
          const found = ahead[kind];
          if (found && (first === null || found.start < first.start)) first = found;
        }
        if (first === null) break;
        parts.push(text.slice(at, first.start), ERASED);
        at = first.end;
        for (const kind of kinds) {
          const found = ahead[kind];
          if (found && found.start < at) ahead[kind] = next[kind](at);
        }
      }
      if (parts.length === 0) return text;
      parts.push(text.slice(at));
      return parts.join("");
    },
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
