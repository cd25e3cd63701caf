import type { RowError } from "../../shared/errors";

/*
 * vCard 2.1 (Outlook's export, often quoted-printable), 3.0 (RFC 2426) and 4.0 (RFC 6350): read to the fields a
 * contact import fills, and contacts written back as 4.0.
 */

export interface VCardProperty {
  /** Upper-cased, without its group (`item1.EMAIL` is EMAIL). */
  name: string;
  params: Map<string, string[]>;
  /** Decoded from quoted-printable where marked so, still escaped (`\,` `\;` `\n`). */
  value: string;
}

export interface VCard {
  /** The line of its BEGIN:VCARD. */
  line: number;
  properties: VCardProperty[];
}

export interface VCardFile {
  cards: VCard[];
  errors: RowError[];
  tooMany: boolean;
}

interface LogicalLine {
  line: number;
  text: string;
}

const isQuotedPrintable = (head: string) => /(^|;)(ENCODING=)?QUOTED-PRINTABLE(;|$)/i.test(head);

/** Unfolds continuation lines (a leading space or tab) and quoted-printable soft breaks (a trailing `=`). */
function logicalLines(content: string): LogicalLine[] {
  const physical = content.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const text = physical[i] as string;
    const last = out.at(-1);
    if (last && (text.startsWith(" ") || text.startsWith("\t"))) {
      last.text += text.slice(1);
      continue;
    }
    out.push({ line: i + 1, text });
    const entry = out.at(-1) as LogicalLine;
    const colon = entry.text.indexOf(":");
    if (colon > 0 && isQuotedPrintable(entry.text.slice(0, colon)))
      while (entry.text.endsWith("=") && i + 1 < physical.length) {
        i++;
        entry.text = entry.text.slice(0, -1) + (physical[i] as string).replace(/^[ \t]/, "");
      }
  }
  return out;
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

function parseProperty(text: string): VCardProperty | null {
  const colon = valueStart(text);
  if (colon <= 0) return null;
  const [nameWithGroup = "", ...rawParams] = text.slice(0, colon).split(";");
  const name = (nameWithGroup.split(".").pop() ?? "").toUpperCase();
  const params = new Map<string, string[]>();
  for (const raw of rawParams) {
    const eq = raw.indexOf("=");
    // vCard 2.1 writes bare types (`EMAIL;INTERNET;PREF:`) and bare encodings (`;QUOTED-PRINTABLE`).
    const key =
      eq === -1 ? (/^(QUOTED-PRINTABLE|BASE64|B|8BIT)$/i.test(raw) ? "ENCODING" : "TYPE") : raw.slice(0, eq);
    const values = (eq === -1 ? raw : raw.slice(eq + 1)).split(",").map((v) => v.replace(/^"|"$/g, ""));
    params.set(key.toUpperCase(), [...(params.get(key.toUpperCase()) ?? []), ...values]);
  }
  let value = text.slice(colon + 1);
  const encoding = params.get("ENCODING")?.[0]?.toUpperCase();
  if (encoding === "QUOTED-PRINTABLE") value = decodeQuotedPrintable(value, params.get("CHARSET")?.[0]);
  return { name, params, value };
}

function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(value[i] as string, "utf8")) bytes.push(byte);
    }
  }
  const latin1 = /^(iso-8859-1|latin1|windows-1252)$/i.test(charset ?? "");
  return Buffer.from(bytes).toString(latin1 ? "latin1" : "utf8");
}

export function readVCards(content: string, maxCards: number): VCardFile {
  const cards: VCard[] = [];
  const errors: RowError[] = [];
  let current: VCard | null = null;
  let tooMany = false;
  for (const { line, text } of logicalLines(content)) {
    const upper = text.trim().toUpperCase();
    if (upper === "BEGIN:VCARD") {
      if (current) errors.push({ line: current.line, field: null, message: "the card has no END:VCARD" });
      if (cards.length >= maxCards) {
        tooMany = true;
        break;
      }
      current = { line, properties: [] };
      continue;
    }
    if (upper === "END:VCARD") {
      if (current) cards.push(current);
      current = null;
      continue;
    }
    if (!current || text.trim() === "") continue;
    const property = parseProperty(text);
    if (property) current.properties.push(property);
  }
  if (current && !tooMany)
    errors.push({ line: current.line, field: null, message: "the card has no END:VCARD" });
  return { cards, errors, tooMany };
}

/** A text value's escapes undone: `\n` a line break, `\,` `\;` `\\` themselves. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\:])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** A structured value (N, ORG, ADR) split on its unescaped semicolons, each part unescaped. */
export function splitStructured(value: string, separator: ";" | "," = ";"): string[] {
  const parts: string[] = [];
  let part = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === "\\" && i + 1 < value.length) {
      part += c + value[i + 1];
      i++;
    } else if (c === separator) {
      parts.push(unescapeText(part));
      part = "";
    } else part += c;
  }
  parts.push(unescapeText(part));
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
