import type { CustomFieldDefinitionRow } from "../../src/server/db/tables";
import { checkCustomFieldValues } from "../../src/server/custom-fields/service";
import { likePattern } from "../../src/server/http/cursor";
import { readCsv } from "../../src/server/imports/csv";
import { checkContactRow, rowsFromVCards, suggestMapping } from "../../src/server/imports/rows";
import {
  MAX_CARD_PROPERTIES,
  MAX_FILE_PROPERTIES,
  readVCards,
  splitStructured,
  unescapeText,
} from "../../src/server/imports/vcard";
import { mentionsOf } from "../../src/server/person-data/mentions";
import { TEMPLATE_HTML_MAX_NESTING, sanitizeTemplateHtml } from "../../src/server/templates/sanitize";
import { wrapText } from "../../src/server/quotes/pdf";
import { pageLanguage } from "../../src/server/web-forms/public";
import { readAnswer } from "../../src/server/ratings/answer";
import { verifyLink } from "../../src/server/ratings/link";
import { checkSubmission, readFormBody, readJsonBody } from "../../src/server/web-forms/submission";
import type { FormField } from "../../src/shared/web-forms";
import { graphEmail } from "../../src/server/sync/graph-email";
import type { GraphMessage } from "../../src/server/sync/mail-graph";
import { normalizeCompanyDomain } from "../../src/shared/companies";
import {
  domainOf,
  isFreeMailDomain,
  isWithinDomains,
  normalizeEmailAddress,
  parseMailbox,
} from "../../src/shared/email-address";
import { BlocklistEntryText } from "../../src/shared/mailboxes";
import {
  MERGE_FIELDS,
  RenderedTooLong,
  mergeFieldProblems,
  renderTemplate,
} from "../../src/shared/merge-fields";
import { normalizeMessageId } from "../../src/shared/message-id";
import { InternalDomain } from "../../src/shared/organizations";
import { parsePersonName } from "../../src/shared/person-name";
import { isBulkOrAutomated, reasonNotToLog } from "../../src/shared/privacy";
import { isOriginalMessageLine, parseSignature } from "../../src/shared/signature";
import { TEMPLATE_HTML_MAX_CHARS, TEMPLATE_SUBJECT_MAX_CHARS } from "../../src/shared/templates";
import { EXCERPT_SOURCE_MAX_CHARS, htmlToText, textExcerpt } from "../../src/shared/text-excerpt";

/*
 * Every function that reads text from outside runs in time linear in its input: one request must not be able to
 * hold the server (or the pane) for minutes. Each function gets its worst shapes (long runs of one character,
 * many separators, many soft breaks, deep nesting, one huge line) at its size and at a half, a quarter, an eighth
 * and a sixteenth of it, and doubling the input must not much more than double the time: the growth per doubling
 * (fitted over the four) stays under 3.5, where a quadratic function gives 4 (and the old textExcerpt and vCard
 * unfolding far more).
 *
 * This is a growth ratio, not a timed assertion: each size is timed as the fastest of a few batches (a batch
 * repeats the call for a few milliseconds), each batch by the smaller of its wall time and its CPU time (the
 * time waited for a busy machine does not count), and a case that fails is measured again before it counts, so
 * a busy machine cannot fail it.
 *
 * The size is the input's limit where a call there takes milliseconds: textExcerpt and htmlToText read at most
 * EXCERPT_SOURCE_MAX_CHARS of an email, the pane's signature parser a body the size of the API's largest. A
 * function whose limit is small (an address, a name, a search) is measured far past it, where a quadratic one
 * cannot hide, and the import readers (50 MB) at 512 KB, where a call already takes tens of milliseconds.
 * Adding a function is one entry in SUBJECTS: its name, its size, the call and its shapes.
 */

const MAX_GROWTH_PER_DOUBLING = 3.5;
const BATCHES = 3;
const BATCH_MS = 5;
const ATTEMPTS = 5;
/** A call this slow is measured once: noise does not make a second of work out of a millisecond. */
const SLOW_CALL_MS = 1000;
const IMPORT_SIZE = 512 * 1024;
const SIZE_FRACTIONS = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];

interface Case {
  fn: string;
  shape: string;
  size: number;
  /** The call on an input of about n characters (or items), built before any timing. */
  prepare(n: number): () => unknown;
}

type Shapes<T> = Record<string, (n: number) => T>;

function subject<T>(fn: string, size: number, run: (input: T) => unknown, ...shapeSets: Shapes<T>[]): Case[] {
  return shapeSets.flatMap((shapes) =>
    Object.entries(shapes).map(([shape, make]) => ({
      fn,
      shape,
      size,
      prepare(n: number) {
        const input = make(n);
        return () => run(input);
      },
    })),
  );
}

const times = (n: number, unitLength: number) => Math.max(1, Math.floor(n / unitLength));
/** A run of one character with something else on both sides, so that patterns anchored at an end fail. */
const run =
  (char: string, around = "a") =>
  (n: number) =>
    around + char.repeat(times(n - 2 * around.length, char.length)) + around;
/** A unit repeated to about n characters, between a head and a tail. */
const repeat =
  (unit: string, head = "", tail = "") =>
  (n: number) =>
    head + unit.repeat(times(n - head.length - tail.length, unit.length)) + tail;

/** What any text field may hold. */
const TEXT: Shapes<string> = {
  "a run of spaces": run(" "),
  "a run of tabs": run("\t"),
  "a run of line breaks": run("\n"),
  "a run of dots": run("."),
  "a run of hyphens": run("-"),
  "a run of quotes": run('"'),
  "a run of angle brackets": run(">"),
  "a run of punctuation": run("!"),
  "a run of digits": run("1", "x"),
  "many separators": repeat("a,;|@ "),
  "one huge word": run("a", "."),
  "one huge line of words": repeat("word "),
  "many short lines": repeat("a\r\n"),
};

const ADDRESSES: Shapes<string> = {
  "opening brackets before an address": repeat("<", "", "anna@contoso.example"),
  "many at signs": repeat("@"),
  "mailto: again and again": repeat("mailto:", "", "anna@contoso.example"),
  "a local part of many dots": repeat("a.", "", "@contoso.example"),
  "a domain of many labels": repeat("a.", "anna@", "example"),
  "a domain of many dots": repeat(".", "anna@contoso", "x"),
  "a quoted local part of escapes": repeat("\\\\", '"', '"@contoso.example'),
  "a comment that never closes": repeat("a", "anna@contoso.example (", ""),
};

const HTML: Shapes<string> = {
  "deep nesting": repeat("<div>", "<html><body>"),
  "a less-than sign again and again": repeat("a < b ", "<p>"),
  "a tag that never closes": repeat("<a ", "<p>"),
  "comments that never close": repeat("<!--", "<p>"),
  "declarations that never close": repeat("<!", "<p>"),
  "heads that never end": repeat("<head>", "<p>"),
  "scripts that never end": repeat("<script>", "<p>"),
  "entities without a semicolon": repeat("&amp", "<p>"),
  "numeric entities without digits": repeat("&#", "<p>"),
  "non-breaking spaces": repeat("&nbsp;", "<p>"),
  "table cells": repeat("<td>x", "<table><tr>"),
  "line breaks": repeat("<br>", "<p>"),
  "preformatted spaces": repeat("  \t", "<pre>"),
  "spaces between paragraphs": repeat("<p>   </p>\r\n", "<html>"),
};

const SIGNATURES: Shapes<string> = {
  "lines that look like a forwarded message's marker": repeat(`--${" ".repeat(296)}x\n`),
  "lines of reply verbs": repeat(`12:30 ${"wrote ".repeat(48)}x\n`),
  "lines starting with From:": repeat("From: x\n"),
  "quoted lines": repeat("> a\n"),
  "sign-offs": repeat("Best regards,\n"),
  "phone-like digits": repeat("1 2 3 4 5 6 7 8 9 0 ", "Hi\n"),
  "domains and addresses": repeat("a.a.a.com a@a.a ", "Hi\n"),
  "long lines": repeat(`${"x".repeat(400)}\n`),
};

const NAMES: Shapes<string> = {
  "brackets that never close": repeat("(", "Anna "),
  "context separators": repeat(" | ", "Anna Berg"),
  "dashes between words": repeat(" - ", "Anna Berg"),
  commas: repeat(", ", "Berg"),
  "shouted words": repeat("ANNA "),
};

const CSV: Shapes<string> = {
  "one row of separators": repeat(",", "a,b\n"),
  "blank lines": repeat("\n", "a,b\n"),
  "blank lines with separators": repeat(",,\r\n", "a,b\r\n"),
  "one huge cell": repeat("x", "a,b\n"),
  "a quote that never closes": repeat("x,y\n", 'a,b\n"'),
  "doubled quotes": repeat('""', 'a,b\n"', '"'),
  "quotes inside cells": repeat('x",', "a,b\n"),
  "many rows": repeat("x,y\n", "a,b\n"),
  "many rows ended by CR": repeat("x,y\r", "a,b\r"),
  tabs: repeat("\t", "a\tb\n"),
};

const VCARD_LIMITS = {
  cards: 200_000,
  propertiesPerCard: MAX_CARD_PROPERTIES,
  properties: MAX_FILE_PROPERTIES,
};
const card = (body: string) => `BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Anna\r\n${body}END:VCARD\r\n`;
const VCARDS: Shapes<string> = {
  "many quoted-printable soft breaks": (n) =>
    card(`NOTE;ENCODING=QUOTED-PRINTABLE:${"a=\r\n".repeat(times(n, 4))}b\r\n`),
  "many soft breaks of long lines": (n) =>
    card(`NOTE;ENCODING=QUOTED-PRINTABLE:${`${"=41".repeat(25)}=\r\n`.repeat(times(n, 78))}b\r\n`),
  "many folded lines": (n) => card(`NOTE:${"\r\n a".repeat(times(n, 4))}\r\n`),
  "many parameters": (n) => card(`EMAIL${";TYPE=a".repeat(times(n, 7))}:anna@contoso.example\r\n`),
  "many addresses in one card": (n) => card("EMAIL:anna@contoso.example\r\n".repeat(times(n, 28))),
  // A card stops at 1,000 properties: many cards just under it.
  "cards of many addresses": repeat(card("EMAIL:anna@contoso.example\r\n".repeat(998))),
  "cards that never end": repeat("BEGIN:VCARD\r\n"),
  "blank lines": repeat("\r\n", "BEGIN:VCARD\r\n"),
  "one huge line": (n) => card(`NOTE:${"a".repeat(n)}\r\n`),
  "many escapes": (n) => card(`N:${"\\;".repeat(times(n, 2))}\r\n`),
};

const FIELD_ROW: CustomFieldDefinitionRow = {
  id: "00000000-0000-4000-8000-000000000001",
  org_id: "00000000-0000-4000-8000-000000000002",
  entity: "contact",
  key: "size",
  label: "Size",
  type: "number",
  choices: [],
  required: false,
  position: 0,
  created_at: new Date(0),
  updated_at: new Date(0),
  version: 1,
} as CustomFieldDefinitionRow;
const definition = (type: CustomFieldDefinitionRow["type"], key: string): CustomFieldDefinitionRow => ({
  ...FIELD_ROW,
  type,
  key,
  choices: type === "choice" ? ["smb", "enterprise"] : [],
});
const DEFINITIONS = [
  definition("number", "size"),
  definition("date", "renewal"),
  definition("choice", "tier"),
];

const rowOf = (values: [string, string[]][]) => ({ line: 2, values: new Map(values) });
const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ emailAddress: { address: `p${i}@x${i}.example`, name: `P ${i}` } }));
const message = (fields: Partial<GraphMessage>): GraphMessage => ({
  id: "m",
  internetMessageId: "<m@x.example>",
  from: { emailAddress: { address: "anna@customer.example", name: "Anna" } },
  sentDateTime: "2026-11-20T10:00:00Z",
  ...fields,
});
const PRIVACY = { internalDomains: ["contoso.example"], blocklist: [] };
const ERASURE = mentionsOf(["Anna Maria Berg"], ["anna.berg@contoso.example"]);

/** A template's text: merge fields among text and tags, and braces that do not make one. */
const MERGE_TEXT: Shapes<string> = {
  "opening braces that never close": repeat("{{"),
  "opening braces, closed once at the end": repeat("{{", "", "}}"),
  "single braces": repeat("{"),
  "closing braces": repeat("}}"),
  "many fields": repeat("{{contact.firstName}} "),
  "many unknown fields": repeat("{{contact.nothing}} "),
  "fields inside tags": repeat('<a title="{{contact.firstName}}">'),
  "a tag that never closes, with fields": repeat("{{a}}", "<p "),
  "a field broken by tags": repeat("<b>x</b>", "{{contact.", "}}"),
  "spaces inside a field": repeat(" ", "{{", "contact.firstName}}"),
};
const KNOWN_FIELDS = new Set<string>(MERGE_FIELDS);
const ALL_FILLED = Object.fromEntries(MERGE_FIELDS.map((f) => [f, "Anna <Berg>\nline"]));

/** What makes an HTML parser's work grow faster than its input, kept under the sanitiser's nesting bound. */
const HOSTILE_HTML: Shapes<string> = {
  "closing tags that match no open one, under the deepest nesting allowed": repeat(
    "</i>",
    "<b>".repeat(TEMPLATE_HTML_MAX_NESTING - 1),
  ),
  "open tags past the nesting bound": repeat("<b>"),
  "an open and an unmatched close, again and again": repeat("<b></i>"),
  "implied closes": repeat("<p><div></div>"),
  "list items closing each other": repeat("<li>x", "<ul>"),
  "many attributes": repeat(' a="1"', "<p", ">x</p>"),
  "event attributes and script addresses": repeat(
    '<img onerror="x()" src="javascript:1"><a href="java\tscript:1">',
  ),
  "a style of many declarations": repeat("color: red; ", '<p style="', '">x</p>'),
  "a style of url() again and again": repeat(
    "background: url(https://e.example/x); ",
    '<p style="',
    '">x</p>',
  ),
  "disallowed tags around text": repeat("<iframe>x</iframe><object>y</object>"),
  "noscript inside noscript": repeat("<noscript>", "<p>"),
  "merge fields": repeat("{{contact.firstName}} "),
};

const sanitizeOrRefuse = (html: string) => {
  try {
    return sanitizeTemplateHtml(html, "body.variants.en.html");
  } catch (error) {
    return error;
  }
};
/** A form body's worst shapes: a value, a name, escapes and separators, each as long as the input. */
const FORM_BODIES: Shapes<string> = {
  "many pairs": repeat("a=1&"),
  "many ampersands": repeat("&", "a=1"),
  "many equals signs": repeat("=", "contact.email"),
  "one huge value": repeat("a", "contact.email="),
  "one huge name": repeat("a", "", "=1"),
  "many percent escapes": repeat("%41", "contact.email="),
  "many escaped multibyte characters": repeat("%F0%9D%94%85", "contact.firstName="),
  "an escape that breaks at the end": repeat("%41", "contact.email=", "%4"),
  "many pluses": repeat("+", "contact.firstName="),
};
const FORM_FIELDS: FormField[] = [
  { target: "contact.email", label: "Email", labels: {}, required: true },
  { target: "contact.firstName", label: "First name", labels: {}, required: true },
  { target: "company.name", label: "Company", labels: {}, required: false },
  { target: "contact.custom.size", label: "Size", labels: {}, required: false },
  { target: "contact.custom.renewal", label: "Renewal", labels: {}, required: false },
  { target: "contact.custom.tier", label: "Tier", labels: {}, required: false },
];
/** One submitted value at the input's length, in each field in turn, beside a good address. */
const submissionWith = (target: string) => (value: string) =>
  new Map([
    ["contact.email", "anna@customer.example"],
    ["contact.firstName", "Anna"],
    ["consent", "yes"],
    [target, value],
  ]);

/** A font's width of a text as fontkit measures it: each character's, in one pass over the text. */
const QUOTE_WIDTH = (text: string): number => {
  let width = 0;
  for (const char of text) width += char === "W" ? 8.5 : 2.5;
  return width;
};

const SUBJECTS: Case[] = [
  // The parser of a template's merge fields, on a body the size of the largest the API takes.
  ...subject(
    "mergeFieldProblems (templates, on save)",
    TEMPLATE_HTML_MAX_CHARS,
    (html: string) => mergeFieldProblems(html, true, (name) => KNOWN_FIELDS.has(name)),
    TEXT,
    HTML,
    MERGE_TEXT,
  ),
  ...subject(
    "renderTemplate (templates)",
    TEMPLATE_HTML_MAX_CHARS,
    // The subject as long as a template's may be. A body its values make longer than the bound stops there
    // (RenderedTooLong): the work up to the bound is what is timed.
    (html: string) => {
      try {
        return renderTemplate({ subject: html.slice(0, TEMPLATE_SUBJECT_MAX_CHARS), html }, ALL_FILLED);
      } catch (error) {
        if (error instanceof RenderedTooLong) return error;
        throw error;
      }
    },
    TEXT,
    HTML,
    MERGE_TEXT,
  ),
  // sanitize-html over htmlparser2: a call at the API's largest body takes tens of milliseconds, a quarter of it
  // shows a quadratic shape as plainly.
  ...subject(
    "sanitizeTemplateHtml (templates)",
    TEMPLATE_HTML_MAX_CHARS / 4,
    sanitizeOrRefuse,
    TEXT,
    HTML,
    HOSTILE_HTML,
  ),
  ...subject("textExcerpt", EXCERPT_SOURCE_MAX_CHARS, (text: string) => textExcerpt(text), TEXT, HTML, {
    "spaces at the end of many lines": repeat("a   \n"),
    "carriage returns": run("\r"),
    "control characters": run("\u0001"),
    "lone surrogates": run("\ud800"),
  }),
  ...subject("htmlToText", EXCERPT_SOURCE_MAX_CHARS, htmlToText, HTML, {
    "spaces without a line break": repeat(" ", "<p>a", "b"),
  }),
  ...subject(
    "parseSignature",
    1_000_000,
    (body: string) => parseSignature(body, { address: "anna@fabrikam.se", name: "Anna Berg" }),
    TEXT,
    SIGNATURES,
  ),
  // The lines parseSignature reads are at most 300 characters; the check itself is measured far past that.
  ...subject("isOriginalMessageLine (signatures)", 100_000, isOriginalMessageLine, TEXT, {
    "hyphens before a letter": repeat("-", "", "x"),
  }),
  ...subject("normalizeEmailAddress", 100_000, normalizeEmailAddress, TEXT, ADDRESSES),
  ...subject("parseMailbox", 100_000, parseMailbox, TEXT, ADDRESSES, {
    "a name of brackets": repeat("<", "", "<anna@contoso.example>"),
  }),
  ...subject("domainOf", 100_000, domainOf, TEXT, ADDRESSES),
  ...subject("isFreeMailDomain", 100_000, isFreeMailDomain, TEXT, ADDRESSES),
  ...subject("isWithinDomains", 100_000, (domain: string) => isWithinDomains(domain, ["contoso.com"]), TEXT),
  ...subject("normalizeCompanyDomain", 100_000, normalizeCompanyDomain, TEXT, {
    "a scheme of many letters": repeat("a", "", "://contoso.com"),
    "a port of many digits": repeat("1", "contoso.com:", "x"),
  }),
  ...subject("normalizeMessageId", 100_000, normalizeMessageId, TEXT, {
    "closing brackets not at the end": repeat(">", "<", "x"),
    "opening brackets": repeat("<"),
  }),
  ...subject("parsePersonName", 100_000, (name: string) => parsePersonName(name), TEXT, NAMES),
  ...subject("parsePersonName (from the address)", 100_000, (local: string) => parsePersonName(null, local), {
    "hyphens in the local part": repeat("-", "a.a", "a@x.example"),
    "dots in the local part": repeat(".", "a", "a@x.example"),
  }),
  ...subject("BlocklistEntryText", 100_000, (entry: string) => BlocklistEntryText.safeParse(entry), TEXT, {
    "a domain of many labels": repeat("a.", "@", "com"),
    "a domain of many hyphens": repeat("a-", "@", "a.com"),
  }),
  ...subject("InternalDomain", 100_000, (domain: string) => InternalDomain.safeParse(domain), TEXT, {
    "a domain of many labels": repeat("a.", "", "com"),
  }),
  ...subject("likePattern (search q)", 100_000, likePattern, TEXT, { wildcards: repeat("%_\\") }),
  ...subject("reasonNotToLog", 20_000, (args: Parameters<typeof reasonNotToLog>) => reasonNotToLog(...args), {
    // As many participants as blocklist entries: a product of the two is quadratic in the input.
    "many participants, a long blocklist": (n): Parameters<typeof reasonNotToLog> => [
      Array.from({ length: times(n, 20) }, (_, i) => `p${i}@x${i}.example`),
      {},
      {
        internalDomains: ["contoso.example"],
        blocklist: Array.from({ length: times(n, 20) }, (_, i) =>
          i % 2 ? `b${i}@blocked.example` : `@b${i}.example`,
        ),
      },
    ],
  }),
  ...subject("isBulkOrAutomated", 100_000, isBulkOrAutomated, {
    "many headers": (n) =>
      Object.fromEntries(Array.from({ length: times(n, 10) }, (_, i) => [`X-Header-${i}`, "x"])),
  }),
  ...subject(
    "graphEmail",
    100_000,
    (m: GraphMessage) => graphEmail(m, "rep@contoso.example", "inbox", PRIVACY, "excerpt"),
    {
      "many recipients": (n) => message({ toRecipients: recipients(times(n, 30)) }),
      "a huge address and name": (n) =>
        message({
          toRecipients: [{ emailAddress: { address: `${"a".repeat(n)}@x.example`, name: "a ".repeat(n) } }],
        }),
      "many headers": (n) =>
        message({
          internetMessageHeaders: Array.from({ length: times(n, 10) }, (_, i) => ({
            name: `X-H-${i}`,
            value: "x",
          })),
        }),
    },
  ),
  ...subject("readCsv", IMPORT_SIZE, (content: string) => readCsv(content, 200_000, 500), CSV),
  ...subject(
    "suggestMapping (CSV headers)",
    100_000,
    (header: string) => suggestMapping(header.split("\t"), "contacts", DEFINITIONS),
    TEXT,
    { "a header of mail and digits": repeat("1", "mail", "x"), "many columns": repeat("phone1\t") },
  ),
  ...subject("readVCards", IMPORT_SIZE, (content: string) => readVCards(content, VCARD_LIMITS), VCARDS),
  ...subject(
    "rowsFromVCards",
    IMPORT_SIZE,
    (content: string) => rowsFromVCards(readVCards(content, VCARD_LIMITS).cards),
    {
      "many addresses in one card": VCARDS["many addresses in one card"] as (n: number) => string,
      "cards of many addresses": VCARDS["cards of many addresses"] as (n: number) => string,
    },
  ),
  ...subject("splitStructured", 100_000, (value: string) => splitStructured(value), TEXT, {
    escapes: repeat("\\;"),
    separators: repeat(";"),
  }),
  ...subject("unescapeText", 100_000, unescapeText, TEXT, { escapes: repeat("\\n\\,") }),
  ...subject(
    "checkContactRow (an imported row)",
    100_000,
    (row: ReturnType<typeof rowOf>) => checkContactRow(row, DEFINITIONS, false),
    {
      "many addresses in one cell": (n) => rowOf([["email", [repeat("a@b.example,")(n)]]]),
      "a number of many groups": (n) =>
        rowOf([
          ["displayName", ["A"]],
          ["customFields.size", [repeat("1,")(n)]],
        ]),
      "a number of many spaces": (n) =>
        rowOf([
          ["displayName", ["A"]],
          ["customFields.size", [run(" ", "1")(n)]],
        ]),
      "many tags and phones": (n) =>
        rowOf([
          ["displayName", ["A"]],
          ["tags", [repeat("t;")(n)]],
          ["phone", [repeat("1\n")(n)]],
        ]),
    },
  ),
  ...subject(
    "checkCustomFieldValues",
    100_000,
    (value: string) =>
      checkCustomFieldValues(DEFINITIONS, "contact", { renewal: value, tier: value }, { required: false }),
    TEXT,
  ),
  // Erasure finds every name the person's mail carried in the subjects and audit events it keeps: a sender of
  // thousands of mails, each with another display name, must not make it the text's size times the names'.
  ...subject(
    "mentionsOf(…).scrub (erasure, names growing with the text)",
    100_000,
    ({ names, text }: { names: string[]; text: string }) =>
      mentionsOf(names, ["anna.berg@contoso.example"])?.scrub(text),
    {
      "a display name per mail, near misses in the text": (n) => ({
        names: Array.from({ length: times(n, 25) }, (_, i) => `Acme Sales ${i} Team`),
        text: repeat("Acme Sales 1 Tea ")(n),
      }),
      "names of many words, the text their first words": (n) => ({
        names: Array.from({ length: times(n, 25) }, (_, i) => `Anna Maria ${"x ".repeat(10)}${i}`),
        text: repeat("Anna Maria x x x ")(n),
      }),
    },
  ),
  ...subject("readFormBody (web form posts)", 100_000, readFormBody, TEXT, FORM_BODIES),
  ...subject(
    "readAnswer (survey answers)",
    32 * 1024,
    (text: string) => readAnswer(`score=5&comment=${text}`, "csat"),
    TEXT,
    FORM_BODIES,
  ),
  ...subject(
    "verifyLink (survey links)",
    100_000,
    (text: string) => verifyLink(Buffer.alloc(32), text, new Date(0)),
    TEXT,
  ),
  ...subject(
    "readJsonBody (web form posts)",
    100_000,
    (text: string) => readJsonBody({ "contact.email": text, "contact.firstName": text }),
    TEXT,
    ADDRESSES,
  ),
  ...[
    "contact.email",
    "contact.firstName",
    "company.name",
    "contact.custom.size",
    "contact.custom.renewal",
    "contact.custom.tier",
    "page_url",
    "utm_source",
  ].flatMap((target) =>
    subject(
      `checkSubmission (${target})`,
      100_000,
      (value: string) =>
        checkSubmission(
          FORM_FIELDS,
          DEFINITIONS,
          true,
          submissionWith(target)(value),
          `https://x.example/?q=${value}`,
        ),
      TEXT,
      target === "contact.email" ? ADDRESSES : {},
      // Controls and bidi overrides are taken out of every field but the address: runs of them, and mixed.
      {
        "a run of bidi overrides": repeat("\u202E"),
        "a run of carriage returns and line breaks": repeat("\r\n"),
        "controls between letters": repeat("a\u0007\u2066"),
      },
      target === "page_url"
        ? { "a URL of many query parameters": repeat("utm_source=a&", "https://x.example/?") }
        : {},
    ),
  ),
  ...subject("pageLanguage (Accept-Language)", 100_000, (header: string) => pageLanguage({}, header), TEXT, {
    "many languages": repeat("sv-SE;q=0.5, "),
    "many parameters": repeat(";q=0.5", "sv"),
  }),
  // A quote's text set into lines: its widths come from the font, a call as long as the text it measures (here a
  // sum per character, W wide and the rest narrow). The longest it sets are the terms (4,000 characters): measured
  // far past them.
  ...subject("wrapText (quote PDFs)", 64 * 1024, (text: string) => wrapText(text, 180, QUOTE_WIDTH), TEXT, {
    "one word, wide letters then narrow": (n: number) => "W".repeat(n / 2) + "i".repeat(n / 2),
    "one word, narrow letters then wide": (n: number) => "i".repeat(n / 2) + "W".repeat(n / 2),
    "many words of emoji": repeat("😀😀😀 "),
  }),
  ...subject("mentionsOf(…).scrub (erasure)", 100_000, (text: string) => ERASURE?.scrub(text), TEXT, {
    "a first name again and again": repeat("Anna "),
    "a first name before a run of spaces": repeat(" ", "Anna", "x"),
    "an address's start again and again": repeat("anna.berg@contoso."),
  }),
];

/**
 * Milliseconds of `calls` calls: the smaller of the wall time and the process's CPU time. Each is at least the
 * work done, one padded by waiting for a busy CPU, the other by the collector's threads working meanwhile.
 */
function clock(call: () => unknown, calls: number): number {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) call();
  const { user, system } = process.cpuUsage(cpu);
  return Math.min(performance.now() - wall, (user + system) / 1000);
}

/** Milliseconds per call: the fastest of a few batches. */
function perCall(call: () => unknown): number {
  const once = clock(call, 1);
  if (once >= SLOW_CALL_MS) return once;
  const calls = Math.max(1, Math.ceil(BATCH_MS / Math.max(once, 0.001)));
  let best = Infinity;
  for (let batch = 0; batch < BATCHES; batch++) best = Math.min(best, clock(call, calls) / calls);
  return best;
}

/** The least-squares slope of values measured at evenly spaced points: one outlier moves it by a fraction. */
function slope(ys: number[]): number {
  const meanX = (ys.length - 1) / 2;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

/**
 * The time per call from a sixteenth of the size up to all of it, and the growth per doubling over those four
 * doublings, fitted over all five sizes. One doubling alone is at the mercy of a cliff at some fixed input size
 * (the cache, the collector's young space: measured ×5 from ¼ to ½ and ×2 after on a busy machine; a linear
 * pass over an object of many keys grows ×3.0 over these four on a quiet one); over four, a quadratic function
 * still gives 4 per doubling and such steps are shared out.
 */
function growth(c: Case): { ms: number[]; perDoubling: number } {
  const ms: number[] = [];
  for (const n of SIZE_FRACTIONS.map((f) => Math.round(c.size * f))) {
    const last = ms.at(-1);
    const now = perCall(c.prepare(n));
    ms.push(now);
    // Quadratic already, and slow: the whole size would only take longer to say so.
    if (last !== undefined && now >= SLOW_CALL_MS && now / last >= MAX_GROWTH_PER_DOUBLING) break;
  }
  return { ms, perDoubling: 2 ** slope(ms.map((t) => Math.log2(Math.max(t, 1e-6)))) };
}

const report: string[] = [];
afterAll(() => {
  if (report.length)
    console.log(
      `linear time, ms per call at 1/16, 1/8, ¼, ½ and all of the size, growth per doubling:\n${report.join("\n")}`,
    );
});

describe.each([...new Set(SUBJECTS.map((c) => c.fn))])("%s runs in linear time", (fn) => {
  it.each(SUBJECTS.filter((c) => c.fn === fn).map((c) => [c.shape, c] as const))(
    "%s",
    (_shape, c) => {
      let result = growth(c);
      for (let attempt = 1; attempt < ATTEMPTS && result.perDoubling >= MAX_GROWTH_PER_DOUBLING; attempt++) {
        if ((result.ms.at(-1) as number) >= SLOW_CALL_MS) break;
        result = growth(c);
      }
      const ms = result.ms.map((t) => t.toFixed(3)).join(" / ");
      report.push(
        `  ${c.fn}, ${c.shape} (${c.size.toLocaleString("en")}): ${ms}, ×${result.perDoubling.toFixed(2)}`,
      );
      expect(result.perDoubling).toBeLessThan(MAX_GROWTH_PER_DOUBLING);
    },
    120_000,
  );
});
