// Merge fields in email templates: `{{contact.firstName}}` in a subject or an HTML body is replaced, when the
// template is rendered for a contact, by that contact's first name written as text. The syntax, once:
//
//   {{ name }}    two braces, the field's name, two braces; spaces inside the braces are allowed
//   name          one of MERGE_FIELDS, or `contact.custom.<key>`, `company.custom.<key>`, `deal.custom.<key>`
//                 naming a custom field of that record (its key as the custom field settings show it)
//
// A `{{` with no `}}` after it is plain text. In HTML, a merge field goes in the text: one inside a tag (a link's
// address, an attribute) is refused on save, since a value put there could change what the tag does. The server
// refuses a template naming a field that does not exist; rendering marks a field with no value visibly rather
// than leaving a gap a reader would not notice. This module runs on the server and in the pane: no Node, no DOM.

import { LANGUAGE_NAMES, type Language, localeFor } from "./languages";
import { TEMPLATE_HTML_MAX_CHARS, TEMPLATE_SUBJECT_MAX_CHARS } from "./templates";

/** The fields every template may name, besides custom fields. */
export const MERGE_FIELDS = [
  "contact.firstName",
  "contact.lastName",
  "contact.title",
  "contact.language",
  "company.name",
  "deal.name",
  "deal.amount",
  "deal.stage",
  "rep.name",
  "rep.title",
  "rep.phone",
  "rep.signature",
  "today",
  "survey.nps",
  "survey.csat",
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

const FIXED = new Set<string>(MERGE_FIELDS);

export type MergeFieldEntity = "contact" | "company" | "deal";

/** The custom field a name like `deal.custom.tier` refers to, or null when it names none. */
export function customFieldOf(name: string): { entity: MergeFieldEntity; key: string } | null {
  const match = /^(contact|company|deal)\.custom\.([a-z][a-z0-9_]{0,49})$/.exec(name);
  return match ? { entity: match[1] as MergeFieldEntity, key: match[2] as string } : null;
}

/** Whether a name is a merge field, given which custom field keys each record has. */
export function isMergeField(
  name: string,
  customKeys: Readonly<Record<MergeFieldEntity, ReadonlySet<string>>>,
) {
  if (FIXED.has(name)) return true;
  const custom = customFieldOf(name);
  return custom !== null && customKeys[custom.entity].has(custom.key);
}

/** A piece of a subject or body: text as it is, or a merge field (`raw` is what stood between the braces). */
export type MergeSegment =
  { kind: "text"; text: string } | { kind: "field"; name: string; raw: string; inMarkup: boolean };

/**
 * Cuts a text into text and merge fields, in one pass: each character is looked at a bounded number of times
 * (the next `}}` is searched for once and remembered until the scan passes it). With `markup`, the text is
 * HTML as the sanitiser writes it, where `<` and `>` only open and close tags (text and attribute values have
 * them as entities), so a field between them is inside a tag. A field whose text holds a tag's `<` or `>`
 * (`{{contact.<b>firstName</b>}}`) is kept as a field with that raw name, which names nothing. The pieces come
 * one at a time, so a check that stops early reads no further.
 */
export function* mergeSegments(text: string, markup: boolean): Generator<MergeSegment> {
  let inTag = false;
  let textStart = 0;
  let close = -2; // the next "}}" at or after the scan, -1 for none; -2 until first searched
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (markup && c === 0x3c /* < */) inTag = true;
    else if (markup && c === 0x3e /* > */) inTag = false;
    else if (c === 0x7b /* { */ && text.charCodeAt(i + 1) === 0x7b) {
      if (close === -2 || (close !== -1 && close < i + 2)) close = text.indexOf("}}", i + 2);
      if (close === -1) break; // no field closes after here: the rest is text
      if (i > textStart) yield { kind: "text", text: text.slice(textStart, i) };
      const raw = text.slice(i + 2, close);
      yield { kind: "field", name: raw.trim(), raw, inMarkup: inTag };
      i = close + 2;
      textStart = i;
      continue;
    }
    i++;
  }
  if (textStart < text.length) yield { kind: "text", text: text.slice(textStart) };
}

/** Every piece of a text, as mergeSegments gives them. */
export const scanMergeFields = (text: string, markup: boolean): MergeSegment[] => [
  ...mergeSegments(text, markup),
];

/** Why a template's text cannot be saved: a name that is no merge field, or a field inside a tag. */
export interface MergeFieldProblem {
  field: string;
  reason: "unknown" | "in_markup";
}

const MAX_PROBLEMS = 20;
const MAX_NAME_SHOWN = 100;

/** The merge field problems of a subject (plain text) or body (HTML), each once, at most 20. */
export function mergeFieldProblems(
  text: string,
  markup: boolean,
  isKnown: (name: string) => boolean,
): MergeFieldProblem[] {
  const problems = new Map<string, MergeFieldProblem>();
  for (const segment of mergeSegments(text, markup)) {
    if (segment.kind !== "field") continue;
    const field =
      segment.name.length > MAX_NAME_SHOWN ? `${segment.name.slice(0, MAX_NAME_SHOWN)}…` : segment.name;
    const reason = !isKnown(segment.name) ? "unknown" : segment.inMarkup ? "in_markup" : null;
    if (reason === null) continue;
    problems.set(`${reason}:${field}`, { field, reason });
    if (problems.size >= MAX_PROBLEMS) break;
  }
  return [...problems.values()];
}

/** Each field's value as text, by name; null or absent: no value. */
export type MergeValues = Readonly<Record<string, string | null | undefined>>;

/** The attribute a rendered body marks an unfilled field with; the on-send check looks for it in a draft. */
export const UNFILLED_ATTRIBUTE = "data-rapport-unfilled";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * Fields whose value is an address (a survey link made for the recipient): written in a body as a link to itself,
 * in the subject as the address.
 */
export const LINK_FIELDS: ReadonlySet<string> = new Set(["survey.nps", "survey.csat"]);

/** The survey fields a template's subject or body names: rendering makes a signed link for each. */
export function surveyFieldsIn(variant: { subject: string; html: string }): ("nps" | "csat")[] {
  const found = new Set<"nps" | "csat">();
  for (const [text, markup] of [
    [variant.subject, false],
    [variant.html, true],
  ] as const)
    for (const segment of mergeSegments(text, markup)) {
      if (segment.kind !== "field" || segment.inMarkup) continue;
      if (segment.name === "survey.nps") found.add("nps");
      if (segment.name === "survey.csat") found.add("csat");
    }
  return [...found];
}

/** A field's own name where its value would be, e.g. `[contact.title]`, so a reader sees what is missing. */
export const unfilledText = (name: string) => `[${name}]`;

export interface Rendered {
  subject: string;
  html: string;
  /** The fields with no value, each once, in the order they first appear (subject first). */
  unfilled: string[];
}

/**
 * A rendered text would be longer than a template's may be: a value repeated many times (a long signature in
 * every line) can make a short template far longer than any mail. Thrown as soon as the text passes the bound, so
 * the work done stays within it too.
 */
export class RenderedTooLong extends Error {
  constructor(
    readonly part: "subject" | "html",
    readonly maxChars: number,
  ) {
    super(`the rendered ${part} would be longer than ${maxChars} characters`);
  }
}

/** A rendered subject may grow with its values past a written one's bound, but not without end. */
export const RENDERED_SUBJECT_MAX_CHARS = 4 * TEMPLATE_SUBJECT_MAX_CHARS;

/**
 * A template variant with the values put in. Every value goes in as text: escaped in the body (its line breaks
 * as `<br>`), as it is in the subject, which is plain text. A field with no value is marked: in the body a
 * `<mark data-rapport-unfilled="name">[name]</mark>`, in the subject `[name]`, and listed in `unfilled`. A field
 * inside a tag, or whose name is no field's, is left as it was written (the server refuses both on save). The
 * body is bounded as a template's is (TEMPLATE_HTML_MAX_CHARS), the subject by RENDERED_SUBJECT_MAX_CHARS:
 * past either, RenderedTooLong.
 */
export function renderTemplate(variant: { subject: string; html: string }, values: MergeValues): Rendered {
  const unfilled = new Set<string>();
  const fieldText = (name: string, markup: boolean): string => {
    // Own keys only: a template naming `{{constructor}}` must not find Object's.
    const value = Object.hasOwn(values, name) ? values[name] : null;
    if (value === null || value === undefined || value.trim() === "") {
      unfilled.add(name);
      if (!markup) return unfilledText(name);
      return `<mark ${UNFILLED_ATTRIBUTE}="${escapeHtml(name)}">${escapeHtml(unfilledText(name))}</mark>`;
    }
    if (markup && LINK_FIELDS.has(name) && /^https?:\/\/[^\s]+$/.test(value))
      return `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
    return markup ? escapeHtml(value).replace(/\r\n|\r|\n/g, "<br>") : value.replace(/[\r\n]+/g, " ");
  };
  const fill = (text: string, markup: boolean) => {
    const maxChars = markup ? TEMPLATE_HTML_MAX_CHARS : RENDERED_SUBJECT_MAX_CHARS;
    // A field used many times is written once.
    const written = new Map<string, string>();
    let out = "";
    for (const segment of mergeSegments(text, markup)) {
      if (segment.kind === "text") out += segment.text;
      else if (segment.inMarkup || !/^[A-Za-z0-9_.]+$/.test(segment.name)) out += `{{${segment.raw}}}`;
      else {
        let field = written.get(segment.name);
        if (field === undefined) {
          field = fieldText(segment.name, markup);
          written.set(segment.name, field);
        }
        out += field;
      }
      if (out.length > maxChars) throw new RenderedTooLong(markup ? "html" : "subject", maxChars);
    }
    return out;
  };
  const subject = fill(variant.subject, false);
  const html = fill(variant.html, true);
  return { subject, html, unfilled: [...unfilled] };
}

type CustomValue = string | number | boolean | null;
type CustomFieldType = "text" | "number" | "date" | "choice";

/** What a template is rendered from: the recipient, their company and deal, the rep, and the day. */
export interface MergeSources {
  /** The variant's language: amounts, numbers and dates are written as it writes them. */
  language: Language;
  today: Date;
  /** The IANA time zone whose date is today's (the rep's). */
  timeZone: string;
  contact: {
    firstName: string | null;
    lastName: string | null;
    title: string | null;
    language: Language | null;
    customFields: Readonly<Record<string, CustomValue>>;
  };
  company: { name: string; customFields: Readonly<Record<string, CustomValue>> } | null;
  deal: {
    name: string;
    amount: number | null;
    currency: string | null;
    stage: string;
    customFields: Readonly<Record<string, CustomValue>>;
  } | null;
  rep: { name: string | null; title: string | null; phone: string | null; signature: string | null };
  /** Each custom field's type by record and key, so numbers and dates are written in the language. */
  customFieldTypes: Readonly<Record<MergeFieldEntity, Readonly<Record<string, CustomFieldType>>>>;
}

/** Every merge field's value for these sources, as text in the variant's language. */
export function mergeValuesOf(sources: MergeSources): Record<string, string | null> {
  const locale = localeFor(sources.language);
  const { contact, company, deal, rep } = sources;
  const values: Record<string, string | null> = {
    "contact.firstName": contact.firstName,
    "contact.lastName": contact.lastName,
    "contact.title": contact.title,
    "contact.language": contact.language ? LANGUAGE_NAMES[contact.language] : null,
    "company.name": company?.name ?? null,
    "deal.name": deal?.name ?? null,
    "deal.amount": deal && deal.amount !== null ? amountText(deal.amount, deal.currency, locale) : null,
    "deal.stage": deal?.stage ?? null,
    "rep.name": rep.name,
    "rep.title": rep.title,
    "rep.phone": rep.phone,
    "rep.signature": rep.signature,
    today: new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: sources.timeZone }).format(
      sources.today,
    ),
  };
  const customs: [MergeFieldEntity, Readonly<Record<string, CustomValue>> | undefined][] = [
    ["contact", contact.customFields],
    ["company", company?.customFields],
    ["deal", deal?.customFields],
  ];
  for (const [entity, fields] of customs) {
    for (const [key, type] of Object.entries(sources.customFieldTypes[entity])) {
      values[`${entity}.custom.${key}`] = customText(fields?.[key] ?? null, type, locale);
    }
  }
  return values;
}

/** An amount with its currency as the language writes it ("12 345,50 kr"); without a currency, the number. */
function amountText(amount: number, currency: string | null, locale: string): string {
  if (currency === null) return new Intl.NumberFormat(locale).format(amount);
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  } catch {
    // A code Intl does not know (stored before codes were checked) is written beside the number.
    return `${new Intl.NumberFormat(locale).format(amount)} ${currency}`;
  }
}

function customText(value: CustomValue, type: CustomFieldType, locale: string): string | null {
  if (value === null || value === "") return null;
  if (type === "number" && typeof value === "number") return new Intl.NumberFormat(locale).format(value);
  if (type === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()))
      return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
  }
  return String(value);
}
