import { z } from "zod";
import { IsoDate } from "../../shared/common";
import { type EmailAddressForms, readEmailAddress } from "../../shared/email-address";
import {
  FORM_CONTROL_NAMES,
  FORM_MAX_PAIRS,
  FORM_VALUE_MAX_CHARS,
  type FormField,
  cleanFormText,
  formFieldMaxChars,
  isMultilineFormField,
} from "../../shared/web-forms";
import type { CustomFieldDefinitionRow } from "../db/tables";

// What a visitor sent, read and checked against the form's own fields. Every step is one pass over the input:
// the body is bounded (FORM_BODY_LIMIT), split once on "&" and once on the first "=" of each pair.

/** The body as name → value (the first of a repeated name wins), or null when it is not a form body at all. */
export function readFormBody(text: string): Map<string, string> | null {
  const values = new Map<string, string>();
  if (text === "") return values;
  let pairs = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("&", start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (++pairs > FORM_MAX_PAIRS) return null;
      const pair = text.slice(start, end);
      const eq = pair.indexOf("=");
      const name = decode(eq === -1 ? pair : pair.slice(0, eq));
      const value = decode(eq === -1 ? "" : pair.slice(eq + 1));
      if (name === null || value === null) return null;
      if (!values.has(name)) values.set(name, value);
    }
    start = end + 1;
  }
  return values;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return null;
  }
}

/** A JSON body (from the embed script) as name → value: an object of strings (and a consent flag), nothing deeper. */
export function readJsonBody(body: unknown): Map<string, string> | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length > FORM_MAX_PAIRS) return null;
  const values = new Map<string, string>();
  for (const [name, value] of entries) {
    if (typeof value === "string") values.set(name, value);
    else if (typeof value === "boolean") values.set(name, value ? "yes" : "");
    else if (typeof value === "number" && Number.isFinite(value)) values.set(name, String(value));
    else if (value !== null) return null;
  }
  return values;
}

export type FieldProblem = "missing" | "invalid" | "email" | "consentMissing" | "characters";

/** A NUL or half of a surrogate pair: no text a person types, and nothing the store can keep. */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const unstorable = (text: string): boolean => UNSTORABLE.test(text);

export interface CheckedSubmission {
  email: EmailAddressForms;
  contact: Partial<Record<"displayName" | "firstName" | "lastName" | "title" | "phone", string>>;
  company: Partial<Record<"name" | "website" | "phone" | "address", string>>;
  contactCustom: Record<string, string | number>;
  companyCustom: Record<string, string | number>;
  /** What was sent for each of the form's fields, trimmed, by target. */
  submitted: Record<string, string>;
  pageUrl: string | null;
  utm: {
    source: string | null;
    medium: string | null;
    campaign: string | null;
    term: string | null;
    content: string | null;
  };
}

export type CheckResult =
  | { ok: true; submission: CheckedSubmission }
  | { ok: false; problems: { target: string; problem: FieldProblem }[]; submitted: Record<string, string> };

const CUSTOM = /^(contact|company)\.custom\.(.+)$/u;

/** Each field's zod schema, from its target and (for a custom field) its definition's type and choices. */
function fieldSchema(field: FormField, definition: CustomFieldDefinitionRow | undefined): z.ZodType {
  const max = formFieldMaxChars(field.target, definition?.type) ?? FORM_VALUE_MAX_CHARS;
  if (field.target === "contact.email")
    return z
      .string()
      .max(max)
      .transform((value, ctx) => {
        const forms = readEmailAddress(value);
        if (forms === null) {
          ctx.addIssue({ code: "custom", message: "email" });
          return z.NEVER;
        }
        return forms;
      });
  switch (definition?.type) {
    case undefined:
    case "text":
      return z.string().max(max);
    case "number":
      return z
        .string()
        .max(max)
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number)
        .pipe(z.number().finite());
    case "date":
      return IsoDate;
    case "choice":
      return z.string().refine((value) => definition.choices.includes(value));
  }
}

const PageUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => !unstorable(value))
  .catch("")
  .transform((value) => (value === "" ? null : value));
const Utm = z
  .string()
  .refine((value) => !unstorable(value))
  .transform((value) => cleanFormText(value, false).trim())
  .pipe(z.string().max(200));

/**
 * The submission checked against the form's fields (each with its own schema), the consent and the source. The
 * page address is the hidden field the page or the script fills, else the Referer; the UTM parameters are their
 * hidden fields, else the page address's query.
 */
export function checkSubmission(
  fields: readonly FormField[],
  definitions: readonly CustomFieldDefinitionRow[],
  consentAsked: boolean,
  values: ReadonlyMap<string, string>,
  referer: string | undefined,
): CheckResult {
  const problems: { target: string; problem: FieldProblem }[] = [];
  const submitted: Record<string, string> = {};
  const parsed = new Map<string, unknown>();
  for (const field of fields) {
    const given = values.get(field.target) ?? "";
    if (unstorable(given)) {
      submitted[field.target] = "";
      problems.push({ target: field.target, problem: "characters" });
      continue;
    }
    const custom = CUSTOM.exec(field.target);
    const definition = custom
      ? definitions.find((d) => d.entity === custom[1] && d.key === custom[2])
      : undefined;
    // An address is checked as it came (an invisible character in one is refused, not quietly taken out).
    const raw = (
      field.target === "contact.email"
        ? given
        : cleanFormText(given, isMultilineFormField(field.target, definition?.type))
    ).trim();
    submitted[field.target] = raw.slice(0, FORM_VALUE_MAX_CHARS);
    if (raw === "") {
      if (field.required) problems.push({ target: field.target, problem: "missing" });
      continue;
    }
    // A custom field deleted since the form was made: its value is kept on the lead only.
    if (custom && !definition) continue;
    const result = fieldSchema(field, definition).safeParse(raw);
    if (result.success) parsed.set(field.target, result.data);
    else
      problems.push({
        target: field.target,
        problem: field.target === "contact.email" ? "email" : "invalid",
      });
  }
  if (consentAsked && !["yes", "on", "true"].includes(values.get(FORM_CONTROL_NAMES.consent) ?? ""))
    problems.push({ target: FORM_CONTROL_NAMES.consent, problem: "consentMissing" });
  if (problems.length) return { ok: false, problems, submitted };

  const email = parsed.get("contact.email") as EmailAddressForms;
  const submission: CheckedSubmission = {
    email,
    contact: {},
    company: {},
    contactCustom: {},
    companyCustom: {},
    submitted,
    pageUrl: PageUrl.parse(values.get(FORM_CONTROL_NAMES.pageUrl) ?? referer ?? ""),
    utm: { source: null, medium: null, campaign: null, term: null, content: null },
  };
  for (const [target, value] of parsed) {
    const custom = CUSTOM.exec(target);
    if (custom) {
      const into = custom[1] === "contact" ? submission.contactCustom : submission.companyCustom;
      into[custom[2] as string] = value as string | number;
      continue;
    }
    const [entity, name] = target.split(".") as [string, string];
    if (entity === "contact" && name !== "email")
      submission.contact[name as keyof CheckedSubmission["contact"]] = value as string;
    if (entity === "company")
      submission.company[name as keyof CheckedSubmission["company"]] = value as string;
  }
  let pageQuery: URLSearchParams | null = null;
  if (submission.pageUrl) pageQuery = new URL(submission.pageUrl).searchParams;
  for (const name of FORM_CONTROL_NAMES.utm) {
    const value = Utm.safeParse(values.get(name) ?? pageQuery?.get(name) ?? "");
    const key = name.slice("utm_".length) as keyof CheckedSubmission["utm"];
    submission.utm[key] = value.success && value.data !== "" ? value.data : null;
  }
  return { ok: true, submission };
}
