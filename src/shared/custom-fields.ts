import { z } from "zod";
import { Id, IsoDateTime, Version } from "./common";

/** A record's custom field values as the API returns them, by key. */
export const CustomFieldValues = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
export type CustomFieldValues = z.infer<typeof CustomFieldValues>;

const MAX_CUSTOM_FIELDS = 100;
/** The longest text a custom field holds, however it comes in (a create, an update, an import). */
export const CUSTOM_FIELD_TEXT_MAX_CHARS = 5000;
const CustomFieldRecord = z
  .record(
    z.string().min(1).max(100),
    z.union([z.string().max(CUSTOM_FIELD_TEXT_MAX_CHARS), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((fields) => Object.keys(fields).length <= MAX_CUSTOM_FIELDS, "at most 100 custom fields");
/**
 * Checked here for shape and size only; the server checks each value against its definition (the key, the
 * type, the choices). Values are flat (text, numbers, dates as ISO text, choices), never nested documents.
 * Too many fields are refused before any value is checked: 50,000 wrong values would cost a union issue each,
 * seconds of CPU for one request.
 */
export const CustomFields = z.preprocess((fields: z.input<typeof CustomFieldRecord>, ctx) => {
  if (fields !== null && typeof fields === "object" && Object.keys(fields).length > MAX_CUSTOM_FIELDS)
    ctx.issues.push({ code: "custom", message: "at most 100 custom fields", input: fields });
  return fields;
}, CustomFieldRecord);

/** The records that carry custom fields (each in its `customFields`). */
export const CustomFieldEntity = z.enum(["contact", "company", "deal"]);
export type CustomFieldEntity = z.infer<typeof CustomFieldEntity>;

/**
 * How a value is checked: text is a string, number a JSON number, date a calendar date "YYYY-MM-DD", choice one
 * of the definition's choices (a string). A null or "" value clears the field.
 */
export const CustomFieldType = z.enum(["text", "number", "date", "choice"]);
export type CustomFieldType = z.infer<typeof CustomFieldType>;

export const CustomFieldDefinition = z.object({
  id: Id,
  entity: CustomFieldEntity,
  /** The key in the record's `customFields`; fixed once made, so stored values never lose their definition. */
  key: z.string(),
  label: z.string(),
  type: CustomFieldType,
  /** For a choice field, the values it allows; empty otherwise. */
  choices: z.array(z.string()),
  /** A record must have a value for it when it is created, and whenever its custom fields are replaced. */
  required: z.boolean(),
  position: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type CustomFieldDefinition = z.infer<typeof CustomFieldDefinition>;

export const CustomFieldDefinitionList = z.object({ items: z.array(CustomFieldDefinition) });

export const CustomFieldQuery = z.strictObject({ entity: CustomFieldEntity.optional() });

const Label = z.string().trim().min(1).max(100);
const Choice = z.string().trim().min(1).max(100);
const Choices = z
  .array(Choice)
  .min(1)
  .max(100)
  .refine((choices) => new Set(choices).size === choices.length, "each choice once");

export const CustomFieldCreate = z
  .strictObject({
    entity: CustomFieldEntity,
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,49}$/, "a key: a lower-case letter, then letters, digits or _ (50 at most)"),
    label: Label,
    type: CustomFieldType,
    choices: Choices.optional(),
    required: z.boolean().optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type === "choice" && !field.choices)
      ctx.addIssue({ code: "custom", path: ["choices"], message: "a choice field lists its choices" });
    if (field.type !== "choice" && field.choices)
      ctx.addIssue({ code: "custom", path: ["choices"], message: "only a choice field has choices" });
  });
export type CustomFieldCreate = z.infer<typeof CustomFieldCreate>;

/** The key, entity and type stay: the values already stored were checked against them. */
export const CustomFieldUpdate = z.strictObject({
  /** Values are kept by key, so a new label changes nothing stored. */
  label: Label.optional(),
  /** Choices may be added; one still held by a record cannot be taken away (409 custom_field_in_use). */
  choices: Choices.optional(),
  required: z.boolean().optional(),
  version: Version.optional(),
});
export type CustomFieldUpdate = z.infer<typeof CustomFieldUpdate>;

export const CustomFieldDeleted = z.object({
  id: Id,
  deleted: z.literal(true),
  /** Records whose value for the field was removed with it. */
  clearedRecords: z.number().int().nonnegative(),
});
