import { z } from "zod";
import { EmailAddress, Id, IsoDateTime, OptionalText, Version } from "./common";

export const LifecycleStage = z.enum(["lead", "prospect", "customer", "former"]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const Contact = z.object({
  id: Id,
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  /** The first address is the primary one. */
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  companyId: Id.nullable(),
  lifecycleStage: LifecycleStage,
  tags: z.array(z.string()),
  ownerId: Id.nullable(),
  source: z.string(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Contact = z.infer<typeof Contact>;

const Phone = z.string().trim().min(1).max(50);
const MAX_CUSTOM_FIELDS = 100;
const CustomFieldRecord = z
  .record(
    z.string().min(1).max(100),
    z.union([z.string().max(5000), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((fields) => Object.keys(fields).length <= MAX_CUSTOM_FIELDS, "at most 100 custom fields");
/**
 * Custom fields hold text, numbers, dates (as ISO text), choices and flags: flat values, never nested documents.
 * Too many fields are refused before any value is checked: 50,000 wrong values would cost a union issue each,
 * seconds of CPU for one request.
 */
export const CustomFields = z.preprocess((fields: z.input<typeof CustomFieldRecord>, ctx) => {
  if (fields !== null && typeof fields === "object" && Object.keys(fields).length > MAX_CUSTOM_FIELDS)
    ctx.issues.push({ code: "custom", message: "at most 100 custom fields", input: fields });
  return fields;
}, CustomFieldRecord);
const Tag = z.string().trim().min(1).max(50);

// No defaults here: an update applies only what it names (a default would silently clear a field).
const contactFields = {
  displayName: z.string().trim().min(1).max(200),
  firstName: OptionalText(100).optional(),
  lastName: OptionalText(100).optional(),
  title: OptionalText(200).optional(),
  emails: z.array(EmailAddress).max(20).optional(),
  /** Shorthand for a single phone number, as scripts and the "Add to Rapport" form send it. */
  phone: OptionalText(50).optional(),
  phones: z.array(Phone).max(10).optional(),
  companyId: Id.nullable().optional(),
  lifecycleStage: LifecycleStage.optional(),
  tags: z.array(Tag).max(50).optional(),
  ownerId: Id.nullable().optional(),
  customFields: CustomFields.optional(),
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
