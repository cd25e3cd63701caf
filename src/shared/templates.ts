import { z } from "zod";
import { TimeZone } from "./time-zone";
import { Id, IsoDateTime, ListQuery, OptionalText, Version } from "./common";
import { EMAIL_BODY_TEXT_MAX_CHARS } from "./interactions";
import { LANGUAGES, Language } from "./languages";
import { Tag } from "./tags";

/**
 * An organisation's template is written by its admins and used by everyone; a personal one is its owner's
 * alone: nobody else sees it, admins included.
 */
export const TemplateScope = z.enum(["organization", "personal"]);
export type TemplateScope = z.infer<typeof TemplateScope>;

/** A subject is at most what a logged email's is (RFC 5322's line). */
export const TEMPLATE_SUBJECT_MAX_CHARS = 998;
/** A body is bounded like a logged email's, before and after sanitising. */
export const TEMPLATE_HTML_MAX_CHARS = EMAIL_BODY_TEXT_MAX_CHARS;

export const TemplateVariant = z.object({ subject: z.string(), html: z.string() });
export type TemplateVariant = z.infer<typeof TemplateVariant>;

const VariantInput = z.strictObject({
  subject: z.string().trim().max(TEMPLATE_SUBJECT_MAX_CHARS),
  /** HTML; sanitised on save to a safe subset (docs/templates.md lists it). */
  html: z.string().max(TEMPLATE_HTML_MAX_CHARS),
});

const variantsOf = <T extends z.ZodType>(variant: T) =>
  z.strictObject(
    Object.fromEntries(LANGUAGES.map((l) => [l, variant.optional()])) as Record<Language, z.ZodOptional<T>>,
  );

/** The text in each language the template is written in: at least one. */
export const TemplateVariants = variantsOf(TemplateVariant);
export type TemplateVariants = z.infer<typeof TemplateVariants>;

const VariantsInput = variantsOf(VariantInput).refine(
  (variants) => Object.values(variants).some((v) => v !== undefined),
  "a template needs its text in at least one language",
);

export const Template = z.object({
  id: Id,
  name: z.string(),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  scope: TemplateScope,
  /** The rep a personal template belongs to; null for the organisation's. */
  ownerId: Id.nullable(),
  createdBy: Id.nullable(),
  archived: z.boolean(),
  archivedAt: IsoDateTime.nullable(),
  variants: TemplateVariants,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Template = z.infer<typeof Template>;

const templateFields = {
  name: z.string().trim().min(1).max(200),
  /** One folder a template sits in ("Offers", "Follow-ups"); null for none. */
  folder: OptionalText(100).optional(),
  tags: z.array(Tag).max(20).optional(),
  variants: VariantsInput,
};

export const TemplateCreate = z.strictObject({ ...templateFields, scope: TemplateScope });
export type TemplateCreate = z.infer<typeof TemplateCreate>;

/** The scope is fixed once made. `variants` replaces them all; `archived` archives or restores. */
export const TemplateUpdate = z.strictObject({
  name: templateFields.name.optional(),
  folder: templateFields.folder,
  tags: templateFields.tags,
  variants: templateFields.variants.optional(),
  archived: z.boolean().optional(),
  version: Version.optional(),
});
export type TemplateUpdate = z.infer<typeof TemplateUpdate>;

/**
 * Search (`q`) finds the name or a subject in any language. Archived templates are left out unless asked for.
 * `order=recent` puts those the caller used last first (then the rest by name), as compose offers them.
 */
export const TemplateListQuery = ListQuery.extend({
  order: z.enum(["name", "recent"]).default("name"),
  scope: TemplateScope.optional(),
  folder: z.string().trim().min(1).max(100).optional(),
  tag: Tag.optional(),
  archived: z.enum(["false", "true", "all"]).default("false"),
});
export type TemplateListQuery = z.infer<typeof TemplateListQuery>;

export const TemplateRenderRequest = z.strictObject({
  contactId: Id,
  /** The deal whose fields fill `{{deal.…}}`; left out, the contact's one open deal, if they have exactly one. */
  dealId: Id.nullable().optional(),
  /** Whose "today" `{{today}}` is; UTC when left out. */
  timeZone: TimeZone.optional(),
  /**
   * false: `{{survey.…}}` stays unfilled. A survey link is the contact's own (their answer, under their name): in a
   * draft to several people every one of them could answer as this contact, so the pane asks for none there.
   */
  surveyLinks: z.boolean().optional(),
});
export type TemplateRenderRequest = z.infer<typeof TemplateRenderRequest>;

export const RenderedTemplate = z.object({
  templateId: Id,
  /** The variant used: the contact's language, else the rep's, else English, else the first the template has. */
  language: Language,
  subject: z.string(),
  html: z.string(),
  /** Fields with no value for this contact, marked in the text (`data-rapport-unfilled`), each once. */
  unfilled: z.array(z.string()),
  contactId: Id,
  dealId: Id.nullable(),
});
export type RenderedTemplate = z.infer<typeof RenderedTemplate>;

/**
 * How a template fared: `used` counts the logged emails it wrote; `answered` those whose recipient wrote back,
 * i.e. a later incoming email from one of the sent email's recipients, in the same conversation when both
 * carry a conversation id.
 */
export const TemplateStats = z.object({
  templateId: Id,
  used: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  lastUsedAt: IsoDateTime.nullable(),
});
export type TemplateStats = z.infer<typeof TemplateStats>;

/** What a rep's own `{{rep.…}}` fields fill in; the name is their account's. Plain text. */
export const SenderProfile = z.object({
  name: z.string().nullable(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  signature: z.string().nullable(),
});
export type SenderProfile = z.infer<typeof SenderProfile>;

export const SenderProfileUpdate = z
  .strictObject({
    title: OptionalText(200).optional(),
    phone: OptionalText(50).optional(),
    signature: OptionalText(2000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "name at least one field to change");
export type SenderProfileUpdate = z.infer<typeof SenderProfileUpdate>;
