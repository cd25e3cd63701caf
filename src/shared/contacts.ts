import { z } from "zod";
import {
  EmailAddress,
  Id,
  IsoDateTime,
  ListQuery,
  OptionalText,
  Version,
  WrittenEmailAddress,
} from "./common";
import { CustomFieldValues, CustomFields } from "./custom-fields";
import { Language } from "./languages";
import { Birthday } from "./occasions";
import { Tag } from "./tags";

export const LifecycleStage = z.enum(["lead", "prospect", "customer", "former"]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const Contact = z.object({
  id: Id,
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  /** The first address is the primary one; each as it was written (Rapport compares them in canonical form). */
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  companyId: Id.nullable(),
  lifecycleStage: LifecycleStage,
  tags: z.array(z.string()),
  ownerId: Id.nullable(),
  source: z.string(),
  customFields: CustomFieldValues,
  /**
   * The language the contact reads (which variant of a template they get); null: the rep's. The server always
   * says it; a profile the pane cached before it did has none.
   */
  language: Language.nullable().optional(),
  /** Day and month, the year when known; null when not known. Optional as `language` is, for cached profiles. */
  birthday: Birthday.nullable().optional(),
  /** The contact wants no mail a machine prepared (occasion mails). */
  noAutomatedMail: z.boolean().optional(),
  /**
   * The contact wants no marketing: a member of no segment, so never in an audience a marketing platform reads
   * or a segment's export (a platform's unsubscribe sets it). Optional as `language` is, for cached profiles.
   */
  noMarketing: z.boolean().optional(),
  /** ISO 3166-1 alpha-2 (upper case); null when not known. Optional as `language` is, for cached profiles. */
  country: z.string().nullable().optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Contact = z.infer<typeof Contact>;

/** ISO 3166-1 alpha-2, taken in either case and kept upper case. */
export const Country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, "a two-letter country code (ISO 3166-1 alpha-2)")
  .transform((code) => code.toUpperCase());

const Phone = z.string().trim().min(1).max(50);

// No defaults here: an update applies only what it names (a default would silently clear a field).
const contactFields = {
  displayName: z.string().trim().min(1).max(200),
  firstName: OptionalText(100).optional(),
  lastName: OptionalText(100).optional(),
  title: OptionalText(200).optional(),
  emails: z.array(WrittenEmailAddress).max(20).optional(),
  /** Shorthand for a single phone number, as scripts and the "Add to Rapport" form send it. */
  phone: OptionalText(50).optional(),
  phones: z.array(Phone).max(10).optional(),
  companyId: Id.nullable().optional(),
  lifecycleStage: LifecycleStage.optional(),
  tags: z.array(Tag).max(50).optional(),
  ownerId: Id.nullable().optional(),
  /** Checked against the organisation's contact field definitions; an update replaces them all. */
  customFields: CustomFields.optional(),
  language: Language.nullable().optional(),
  birthday: Birthday.nullable().optional(),
  noAutomatedMail: z.boolean().optional(),
  noMarketing: z.boolean().optional(),
  country: Country.nullable().optional(),
};

export const ContactCreate = z.strictObject({
  ...contactFields,
  source: z.enum(["manual", "pane", "import", "sync"]).optional(),
});
export type ContactCreate = z.infer<typeof ContactCreate>;

export const ContactUpdate = z.strictObject({
  ...contactFields,
  displayName: contactFields.displayName.optional(),
  version: Version.optional(),
});
export type ContactUpdate = z.infer<typeof ContactUpdate>;

/** The contact list's filters (the export takes the same, without paging): all of them must match. */
export const ContactListQuery = ListQuery.extend({
  ownerId: Id.optional(),
  lifecycleStage: LifecycleStage.optional(),
  /** Contacts carrying this tag, compared exactly. */
  tag: Tag.optional(),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

/** A marketing platform's unsubscribe (or its undoing), by the address the platform knows the contact by. */
export const MarketingConsentChange = z.strictObject({ email: EmailAddress });
export type MarketingConsentChange = z.infer<typeof MarketingConsentChange>;

export const MarketingConsent = z.object({
  contactId: Id,
  noMarketing: z.boolean(),
  /** False when the contact already had the flag as asked: nothing was written. */
  changed: z.boolean(),
});
export type MarketingConsent = z.infer<typeof MarketingConsent>;
