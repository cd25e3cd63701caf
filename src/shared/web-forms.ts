import { z } from "zod";
import { Id, IsoDateTime, ListQuery, Version } from "./common";
import { CUSTOM_FIELD_TEXT_MAX_CHARS, type CustomFieldType } from "./custom-fields";
import { LANGUAGES, type Language } from "./languages";

// Web forms: an admin defines which fields a form asks for and where each lands (a contact's, a company's, or a
// custom field of either); the server serves the form at /f/<public id> and turns each submission into a lead.

/** The contact fields a form can fill. `email` is the key a submission is matched by: every form asks for it. */
export const FORM_CONTACT_FIELDS = [
  "email",
  "displayName",
  "firstName",
  "lastName",
  "title",
  "phone",
] as const;
/** The company fields a form can fill. */
export const FORM_COMPANY_FIELDS = ["name", "website", "phone", "address"] as const;

/**
 * Where a field's value lands, written as the input's name in the form: `contact.email`, `company.name`,
 * `contact.custom.<key>`, `company.custom.<key>` (the key of a custom field definition of that entity).
 */
export const FormFieldTarget = z
  .string()
  .max(120)
  .refine(
    (target) =>
      FORM_CONTACT_FIELDS.some((f) => target === `contact.${f}`) ||
      FORM_COMPANY_FIELDS.some((f) => target === `company.${f}`) ||
      /^(contact|company)\.custom\.[^\s]{1,100}$/u.test(target),
    "contact.<field>, company.<field>, contact.custom.<key> or company.custom.<key>",
  );

const Label = z.string().trim().min(1).max(200);

export const FormField = z.strictObject({
  target: FormFieldTarget,
  /** The label visitors read; `labels` gives it in other languages, by language (the page's language wins). */
  label: Label,
  labels: z.partialRecord(z.enum(LANGUAGES), Label).default({}),
  required: z.boolean().default(false),
});
export type FormField = z.infer<typeof FormField>;

/** After a submission: a message on Rapport's page, or a redirect to the site's own page (https only). */
export const FormAfterSubmit = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("message"), message: z.string().trim().min(1).max(2000) }),
  z.strictObject({
    kind: z.literal("redirect"),
    url: z
      .url({ protocol: /^https$/, hostname: z.regexes.domain })
      .max(2000)
      .refine((url) => !/[\s"'<>\\]/.test(url), "a URL without spaces, quotes or angle brackets"),
  }),
]);
export type FormAfterSubmit = z.infer<typeof FormAfterSubmit>;

/** Who a new lead goes to: one colleague, or each of several in turn. */
export const FormOwnerRule = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("user"), userId: Id }),
  z.strictObject({ kind: z.literal("roundRobin"), userIds: z.array(Id).min(1).max(50) }),
]);
export type FormOwnerRule = z.infer<typeof FormOwnerRule>;

/** A site allowed to embed the form and post to it from the browser: `https://www.example.com` (no path). */
export const FormOrigin = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    const plain =
      url !== null &&
      (url.protocol === "https:" || (url.protocol === "http:" && url.hostname === "localhost")) &&
      url.username === "" &&
      url.password === "" &&
      url.search === "" &&
      url.hash === "" &&
      (url.pathname === "/" || url.pathname === "");
    if (!url || !plain) {
      ctx.addIssue({
        code: "custom",
        message: `"${value.slice(0, 80)}" is not an origin such as https://www.example.com`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

const MAX_FIELDS = 30;

const formFields = {
  /** What admins call it; visitors see `title`. */
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).nullable(),
  fields: z
    .array(FormField)
    .min(1)
    .max(MAX_FIELDS)
    .superRefine((fields, ctx) => {
      const seen = new Set<string>();
      fields.forEach((field, i) => {
        if (seen.has(field.target))
          ctx.addIssue({ code: "custom", path: [i, "target"], message: "each target once" });
        seen.add(field.target);
      });
      const email = fields.find((f) => f.target === "contact.email");
      if (!email || !email.required)
        ctx.addIssue({ code: "custom", message: "a form asks for contact.email, as a required field" });
    }),
  /** The consent a visitor gives by sending; null for none. Changing it makes a new version. */
  consentText: z.string().trim().min(1).max(5000).nullable(),
  afterSubmit: FormAfterSubmit,
  owner: FormOwnerRule,
  allowedOrigins: z.array(FormOrigin).max(20),
};

export const WebFormCreate = z.strictObject(formFields);
export type WebFormCreate = z.infer<typeof WebFormCreate>;

export const WebFormUpdate = z.strictObject({
  name: formFields.name.optional(),
  title: formFields.title.optional(),
  fields: formFields.fields.optional(),
  consentText: formFields.consentText.optional(),
  afterSubmit: formFields.afterSubmit.optional(),
  owner: formFields.owner.optional(),
  allowedOrigins: formFields.allowedOrigins.optional(),
  version: Version.optional(),
});
export type WebFormUpdate = z.infer<typeof WebFormUpdate>;

export const WebForm = z.object({
  id: Id,
  /** The unguessable id in the form's public address, /f/<publicId>. */
  publicId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  fields: z.array(
    z.object({
      target: z.string(),
      label: z.string(),
      labels: z.partialRecord(z.enum(LANGUAGES), z.string()),
      required: z.boolean(),
    }),
  ),
  consentText: z.string().nullable(),
  /** Each change of the consent text is a new version; a submission keeps the one it agreed to. */
  consentVersion: z.number().int().nullable(),
  afterSubmit: FormAfterSubmit,
  owner: FormOwnerRule,
  allowedOrigins: z.array(z.string()),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type WebForm = z.infer<typeof WebForm>;

export const WebFormList = z.object({ items: z.array(WebForm) });

/** The language of the snippet's own words (the send button, the consent box); the labels are the form's. */
export const WebFormEmbedQuery = z.strictObject({ lang: z.enum(LANGUAGES).default("en") });

/** What to paste into a site: the plain HTML form (works without JavaScript) and the optional script. */
export const WebFormEmbed = z.object({
  hostedUrl: z.string(),
  html: z.string(),
  scriptUrl: z.string(),
});

/** A submission turned lead: its source, the consent it agreed to, and what was sent. */
export const Lead = z.object({
  id: Id,
  formId: Id.nullable(),
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  ownerId: Id.nullable(),
  taskId: Id.nullable(),
  pageUrl: z.string().nullable(),
  utm: z.object({
    source: z.string().nullable(),
    medium: z.string().nullable(),
    campaign: z.string().nullable(),
    term: z.string().nullable(),
    content: z.string().nullable(),
  }),
  consentVersion: z.number().int().nullable(),
  consentText: z.string().nullable(),
  /** The values as the visitor sent them, by target: a known contact is never changed, so they may differ. */
  submitted: z.record(z.string(), z.string()),
  createdAt: IsoDateTime,
});
export type Lead = z.infer<typeof Lead>;

export const LeadListQuery = ListQuery.omit({ q: true }).extend({
  formId: Id.optional(),
  contactId: Id.optional(),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

// ---------------------------------------------------------------------------------------------------------
// The public side: what a browser posts to /f/<publicId>, before the form's own fields are checked.

/** The input names the page adds beside the form's fields. */
export const FORM_CONTROL_NAMES = {
  token: "_rapport_t",
  honeypot: "website_url_2",
  consent: "consent",
  /** The consent version whose text the form shows ("0": none), so a pasted form says which text it carries. */
  consentVersion: "_rapport_cv",
  pageUrl: "page_url",
  utm: ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"],
} as const;

/** The longest value a submitted field may carry, whatever its target (custom text holds up to 5000). */
export const FORM_VALUE_MAX_CHARS = CUSTOM_FIELD_TEXT_MAX_CHARS;

/**
 * The longest value each contact and company field takes, as the contacts' and companies' own contract takes it
 * (test/unit/web-form-limits.test.ts holds them to it): a form never stores what the API would refuse, and the
 * page's `maxlength` is the same number, so a visitor is stopped while typing rather than refused after sending.
 */
export const FORM_FIELD_MAX_CHARS = {
  "contact.email": 320,
  "contact.displayName": 200,
  "contact.firstName": 100,
  "contact.lastName": 100,
  "contact.title": 200,
  "contact.phone": 50,
  "company.name": 200,
  "company.website": 500,
  "company.phone": 50,
  "company.address": 1000,
} as const satisfies Record<
  `contact.${(typeof FORM_CONTACT_FIELDS)[number]}` | `company.${(typeof FORM_COMPANY_FIELDS)[number]}`,
  number
>;
/** A number custom field's value as typed: digits, a sign and a point. */
export const FORM_NUMBER_MAX_CHARS = 40;

/**
 * The most characters a field's value may have: by its target, or for a custom field by its type (null: no
 * typed length applies, as for a date or a choice, which are checked against their own form).
 */
export function formFieldMaxChars(target: string, customType?: CustomFieldType): number | null {
  if (target in FORM_FIELD_MAX_CHARS)
    return FORM_FIELD_MAX_CHARS[target as keyof typeof FORM_FIELD_MAX_CHARS];
  switch (customType) {
    case "text":
      return CUSTOM_FIELD_TEXT_MAX_CHARS;
    case "number":
      return FORM_NUMBER_MAX_CHARS;
    case "date":
    case "choice":
      return null;
    case undefined:
      return FORM_VALUE_MAX_CHARS;
  }
}

/** Fields whose value may run over several lines (a text box): the rest are one line. */
export const isMultilineFormField = (target: string, customType?: CustomFieldType): boolean =>
  target === "company.address" || customType === "text";

// Controls (but a text box's line breaks and tabs) and the invisible characters that reorder the text around them:
// bidi embeddings, overrides and isolates, and the bidi marks. A name with U+202E in it shows reversed in every list
// and task title that prints it; nobody types one into a form.
// eslint-disable-next-line no-control-regex -- finding controls is the point
const LINE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const BREAKS = /[\t\n\r\u2028\u2029]+/g;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * A submitted value as it may be kept: without controls and bidi controls; one line (its breaks become spaces)
 * unless the field is a text box, whose line breaks are kept as "\n". One pass per rule, linear in the text.
 */
export function cleanFormText(value: string, multiline: boolean): string {
  const visible = value.replace(BIDI_CONTROLS, "").replace(LINE_CONTROLS, "");
  return multiline
    ? visible.replace(/\r\n?/g, "\n").replace(/[\u2028\u2029]/g, "\n")
    : visible.replace(BREAKS, " ");
}
/** The most name/value pairs a submission may carry: a form has at most 30 fields and a few controls. */
export const FORM_MAX_PAIRS = 60;

export const PublicFormParams = z.strictObject({ publicId: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

/** The answer to a submission the script sent as JSON: the same for every accepted one. */
export const FormSubmitted = z.object({
  status: z.literal("received"),
  message: z.string().nullable(),
  redirectUrl: z.string().nullable(),
});
export type FormSubmitted = z.infer<typeof FormSubmitted>;

/** A language a hosted page may be asked in with ?lang=. */
export const PageLanguage = z.enum(LANGUAGES);
export type { Language };
