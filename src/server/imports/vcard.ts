import type { RowError } from "../../shared/errors";

/*
 * vCard 2.1 (Outlook's export, often quoted-printable), 3.0 (RFC 2426) and 4.0 (RFC 6350): read to the fields a
 * contact import fills, and contacts written back as 4.0.
 */

export interface VCardProperty {
  /** Upper-cased, without its group (`item1.EMAIL` is EMAIL). */
  name: string;
  params: ReadonlyMap<string, string[]>;
  /** Decoded from quoted-printable where marked so, still escaped (`\,` `\;` `\n`). */
  value: string;
}

export interface VCard {
  /** The line of its BEGIN:VCARD. */
  line: number;
  properties: VCardProperty[];
}

/** How much a file may hold: each card's properties and all properties are held in memory as they are read. */
export interface VCardLimits {
  cards: number;
  propertiesPerCard: number;
  properties: number;
}

/**
 * The most properties (lines) a card may have: a contact from Outlook, Google or Apple has a few dozen, with every
 * phone, address and note. A file of one card of millions of lines is no address book.
 */
export const MAX_CARD_PROPERTIES = 1000;
/**
 * The most properties a file may hold in all: 5 a card at the 200,000 cards a file may hold, and more than a 50 MB
 * export of real cards has (their lines average well over 50 bytes). Each one read is kept until the import is done.
 */
export const MAX_FILE_PROPERTIES = 1_000_000;

export interface VCardFile {
  cards: VCard[];
  errors: RowError[];
  /** Where reading stopped at a limit: more cards, a card of more properties, or more properties in all. */
  stopped: { limit: "cards" } | { limit: "propertiesPerCard"; line: number } | { limit: "properties" } | null;
}

interface LogicalLine {
  line: number;
  text: string;
}

const isQuotedPrintable = (head: string) => /(^|;)(ENCODING=)?QUOTED-PRINTABLE(;|$)/i.test(head);

/**
 * The file's lines (CRLF, LF or CR), one at a time: a file of millions of empty lines is never held as millions
 * of strings.
 */
function lineReader(content: string): { next(): string | undefined; number: number } {
  let start = content.startsWith("\uFEFF") ? 1 : 0;
  let lf = content.indexOf("\n", start);
  let cr = content.indexOf("\r", start);
  return {
    number: 0,
    next() {
      if (start > content.length) return undefined;
      if (lf !== -1 && lf < start) lf = content.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = content.indexOf("\r", start);
      const end = lf === -1 ? (cr === -1 ? content.length : cr) : cr === -1 ? lf : Math.min(lf, cr);
      const line = content.slice(start, end);
      start = end === cr && lf === cr + 1 ? end + 2 : end + 1;
      this.number++;
      return line;
    },
  };
}

/**
 * Unfolds continuation lines (a leading space or tab) and quoted-printable soft breaks (a trailing `=`). Lines
 * left empty are not given at all.
 */
function* logicalLines(content: string): Generator<LogicalLine> {
  const lines = lineReader(content);
  let ahead = lines.next();
  while (ahead !== undefined) {
    const line = lines.number;
    const first = ahead;
    ahead = lines.next();
    // A logical line is gathered in pieces and joined once: cutting the `=` off the whole line and appending at
    // every soft break copied it each time, quadratic in the number of breaks.
    const pieces = [first];
    const colon = first.indexOf(":");
    if (colon > 0 && isQuotedPrintable(first.slice(0, colon)))
      // While the text so far ends with `=`, that `=` is a soft break: it goes, and the next line follows on.
      while ((pieces.at(-1) ?? "").endsWith("=") && ahead !== undefined) {
        const kept = (pieces.pop() as string).slice(0, -1);
        if (kept !== "") pieces.push(kept);
        const next = ahead.replace(/^[ \t]/, "");
        if (next !== "") pieces.push(next);
        ahead = lines.next();
      }
    while (ahead !== undefined && (ahead.startsWith(" ") || ahead.startsWith("\t"))) {
      pieces.push(ahead.slice(1));
      ahead = lines.next();
    }
    const text = pieces.length === 1 ? first : pieces.join("");
    if (text !== "") yield { line, text };
  }
}

/** Where the property's name and parameters end: the first colon outside a quoted parameter value. */
function valueStart(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ":" && !quoted) return i;
  }
  return -1;
}

/** The parameters of a property that has none, shared: most lines have none, and a map each cost 200 bytes. */
const NO_PARAMETERS: ReadonlyMap<string, string[]> = new Map();

function parseProperty(text: string): VCardProperty | null {
  const colon = valueStart(text);
  if (colon <= 0) return null;
  const [nameWithGroup = "", ...rawParams] = text.slice(0, colon).split(";");
  const name = (nameWithGroup.split(".").pop() ?? "").toUpperCase();
  if (rawParams.length === 0) return { name, params: NO_PARAMETERS, value: text.slice(colon + 1) };
  const params = new Map<string, string[]>();
  for (const raw of rawParams) {
    const eq = raw.indexOf("=");
    // vCard 2.1 writes bare types (`EMAIL;INTERNET;PREF:`) and bare encodings (`;QUOTED-PRINTABLE`).
    const key =
      eq === -1 ? (/^(QUOTED-PRINTABLE|BASE64|B|8BIT)$/i.test(raw) ? "ENCODING" : "TYPE") : raw.slice(0, eq);
    const values = (eq === -1 ? raw : raw.slice(eq + 1)).split(",").map((v) => v.replace(/^"|"$/g, ""));
    // Added to in place: a copy per parameter is quadratic in a line of many (`;TYPE=a;TYPE=a;…`).
    const list = params.get(key.toUpperCase());
    if (list === undefined) params.set(key.toUpperCase(), values);
    else for (const value of values) list.push(value);
  }
  let value = text.slice(colon + 1);
  const encoding = params.get("ENCODING")?.[0]?.toUpperCase();
  if (encoding === "QUOTED-PRINTABLE") value = decodeQuotedPrintable(value, params.get("CHARSET")?.[0]);
  return { name, params, value };
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  // The text between escapes is taken as it stands (UTF-8), each escape `=XX` as the byte it names, all into one
  // buffer: never more bytes than the value's own UTF-8.
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(value, "utf8"));
  let length = 0;
  let textStart = 0;
  for (let at = value.indexOf("="); at !== -1; at = value.indexOf("=", at + 1)) {
    const high = hexDigit(value.charCodeAt(at + 1));
    const low = hexDigit(value.charCodeAt(at + 2));
    if (high === -1 || low === -1) continue;
    length += bytes.write(value.slice(textStart, at), length, "utf8");
    bytes[length++] = high * 16 + low;
    textStart = at + 3;
    at += 2;
  }
  length += bytes.write(value.slice(textStart), length, "utf8");
  const latin1 = /^(iso-8859-1|latin1|windows-1252)$/i.test(charset ?? "");
  return bytes.toString(latin1 ? "latin1" : "utf8", 0, length);
}

/**
 * The file's cards, read until a limit is reached: then `stopped` says which, and the caller refuses the file.
 * Properties are counted as they are read, so a file of millions of lines stops at the limit, not at its end.
 */
export function readVCards(content: string, limits: VCardLimits): VCardFile {
  const cards: VCard[] = [];
  const errors: RowError[] = [];
  let current: VCard | null = null;
  let stopped: VCardFile["stopped"] = null;
  // Cards begun, not only those ended: a file of BEGIN:VCARD lines alone has as many cards, each an error.
  let begun = 0;
  let properties = 0;
  for (const { line, text } of logicalLines(content)) {
    const trimmed = text.trim();
    if (trimmed === "") continue;
    const upper = trimmed.length <= "BEGIN:VCARD".length ? trimmed.toUpperCase() : "";
    if (upper === "BEGIN:VCARD") {
      if (begun >= limits.cards) {
        stopped = { limit: "cards" };
        break;
      }
      begun++;
      if (current)
        errors.push({
          line: current.line,
          field: null,
          code: "card_not_ended",
          message: "the card has no END:VCARD",
        });
      current = { line, properties: [] };
      continue;
    }
    if (upper === "END:VCARD") {
      if (current) cards.push(current);
      current = null;
      continue;
    }
    if (!current) continue;
    const property = parseProperty(text);
    if (!property) continue;
    if (current.properties.length >= limits.propertiesPerCard) {
      stopped = { limit: "propertiesPerCard", line: current.line };
      break;
    }
    if (properties >= limits.properties) {
      stopped = { limit: "properties" };
      break;
    }
    properties++;
    current.properties.push(property);
  }
  if (current && !stopped)
    errors.push({
      line: current.line,
      field: null,
      code: "card_not_ended",
      message: "the card has no END:VCARD",
    });
  return { cards, errors, stopped };
}

/** A text value's escapes undone: `\n` a line break, `\,` `\;` `\\` themselves. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\:])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** A structured value (N, ORG, ADR) split on its unescaped semicolons, each part unescaped. */
export function splitStructured(value: string, separator: ";" | "," = ";"): string[] {
  const parts: string[] = [];
  // Parts are cut out whole, not built a character at a time.
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\") i++;
    else if (c === separator) {
      parts.push(unescapeText(value.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(unescapeText(value.slice(start)));
  return parts;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

export interface VCardContact {
  id: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  emails: string[];
  phones: string[];
  company: string | null;
  tags: string[];
  updatedAt: string;
}

const escapeText = (value: string) =>
  value
    .replace(/\\/g, "\\\\")
    .replace(/,/g, "\\,")
    .replace(/;/g, "\\;")
    .replace(/\r\n|\n|\r/g, "\\n");

/** RFC 6350 3.2: lines longer than 75 octets are folded (CRLF and a space), never inside a UTF-8 character. */
function fold(line: string): string {
  if (Buffer.byteLength(line, "utf8") <= 75) return line;
  const parts: string[] = [];
  let part = "";
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    // The first line holds 75 octets; each continuation 74 after its leading space.
    if (bytes + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(part);
      part = "";
      bytes = 0;
    }
    part += char;
    bytes += size;
  }
  parts.push(part);
  return parts.join("\r\n ");
}

export function writeVCard(contact: VCardContact): string {
  const lines = [
    "BEGIN:VCARD",
    "VERSION:4.0",
    `UID:urn:uuid:${contact.id}`,
    `FN:${escapeText(contact.displayName)}`,
    `N:${escapeText(contact.lastName ?? "")};${escapeText(contact.firstName ?? "")};;;`,
    ...contact.emails.map((e, i) => `EMAIL${i === 0 ? ";PREF=1" : ""}:${escapeText(e)}`),
    ...contact.phones.map((p) => `TEL;VALUE=text:${escapeText(p)}`),
    ...(contact.company ? [`ORG:${escapeText(contact.company)}`] : []),
    ...(contact.title ? [`TITLE:${escapeText(contact.title)}`] : []),
    ...(contact.tags.length ? [`CATEGORIES:${contact.tags.map(escapeText).join(",")}`] : []),
    `REV:${contact.updatedAt.replace(/[-:]/g, "").replace(/\.\d+/, "")}`,
    "END:VCARD",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
