import { z } from "zod";
import { Id } from "./common";
import { CustomFieldValues } from "./custom-fields";
import { Country, LifecycleStage } from "./contacts";
import { Problem, RowError } from "./errors";

/*
 * Importing contacts or companies from a file, in two steps a wizard can follow: preview (what the file holds,
 * the suggested column mapping, the rows as they would be stored, duplicates flagged, row errors with their
 * line), then commit (all rows or none). Both are stateless: the client sends the file's text each time.
 */

/** What a file may hold: up to 50 MB of text (a 100,000-contact CSV is about 10 MB). */
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
export const MAX_IMPORT_COLUMNS = 500;

export const ImportFormat = z.enum(["csv", "vcard"]);
export type ImportFormat = z.infer<typeof ImportFormat>;
export const ImportEntity = z.enum(["contacts", "companies"]);
export type ImportEntity = z.infer<typeof ImportEntity>;

/**
 * What happens to a row that duplicates a record (a contact with one of its addresses, a company with its
 * domain) or an earlier row of the file: `skip` it, `update` the record with the row's values (addresses, phones
 * and tags added, other fields replaced where the row has a value), or `create` a record of its own (an address
 * or domain another record already has stays with that record: they are unique in an organisation).
 */
export const DuplicateAction = z.enum(["skip", "update", "create"]);
export type DuplicateAction = z.infer<typeof DuplicateAction>;

/** The fields a CSV column can fill; several columns may fill `email`, `phone` and `tags`. */
export const CONTACT_FIELDS = [
  "displayName",
  "firstName",
  "lastName",
  "email",
  "phone",
  "title",
  "companyName",
  "companyDomain",
  "tags",
  "lifecycleStage",
] as const;
export const COMPANY_FIELDS = ["name", "domain", "phone", "website", "address"] as const;
export const MULTI_VALUE_FIELDS: readonly string[] = ["email", "phone", "tags"];
export const CUSTOM_FIELD_PREFIX = "customFields.";

/** A built-in field of either entity, or `customFields.<key>` for one of the organisation's custom fields. */
export const ImportField = z.union([
  z.enum([...CONTACT_FIELDS, ...COMPANY_FIELDS]),
  z.string().regex(/^customFields\.[a-z][a-z0-9_]{0,49}$/, "a field, or customFields.<key>"),
]);
export type ImportField = z.infer<typeof ImportField>;

/**
 * The countries whose national phone numbers the duplicate rules can read (a calling code in migration 0029's
 * rapport_calling_code, and the US and Canada): what the import offers for phones without a country code.
 */
export const PHONE_COUNTRIES = [
  "AT",
  "AU",
  "BA",
  "BE",
  "CA",
  "CH",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GB",
  "HR",
  "HU",
  "IE",
  "IS",
  "IT",
  "LT",
  "LV",
  "NL",
  "NO",
  "NZ",
  "PL",
  "PT",
  "RS",
  "SE",
  "SI",
  "US",
] as const;

/** One CSV column (0-based, in file order) and the field it fills. Columns not listed are left out. */
export const ColumnMapping = z.strictObject({
  column: z
    .number()
    .int()
    .min(0)
    .max(MAX_IMPORT_COLUMNS - 1),
  field: ImportField,
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** One row's own decision, overriding `onDuplicate` for it (by its line, as the preview shows it). */
export const RowDecision = z.strictObject({
  line: z.number().int().min(1),
  action: DuplicateAction,
});

const importFields = {
  format: ImportFormat,
  entity: ImportEntity,
  /** The file's text: CSV (any of , ; tab | as the delimiter, a byte order mark is fine) or vCard 2.1/3.0/4.0. */
  content: z.string().max(IMPORT_BODY_LIMIT),
  /** CSV only: by default the mapping the server suggests from the header row (see the preview). */
  mapping: z.array(ColumnMapping).max(MAX_IMPORT_COLUMNS).optional(),
  onDuplicate: DuplicateAction.optional(),
  decisions: z.array(RowDecision).max(MAX_IMPORT_ROWS).optional(),
  /**
   * Contacts: the country (ISO 3166-1 alpha-2) of phones written without a country code, given to the new contacts
   * (and to updated ones without a country), so that the duplicate rules read "070 123 45 67" as +46 70 123 45 67.
   * By default the importing user's, from their time zone or language (the preview says which it took); null: none.
   */
  country: Country.nullable().optional(),
};

export const ImportPreviewRequest = z.strictObject({
  ...importFields,
  /** How many rows to show (from the top); duplicates and errors are counted over the whole file. */
  rows: z.number().int().min(0).max(1000).optional(),
});
export type ImportPreviewRequest = z.infer<typeof ImportPreviewRequest>;

export const ImportCommitRequest = z.strictObject({
  ...importFields,
  onDuplicate: DuplicateAction,
});
export type ImportCommitRequest = z.infer<typeof ImportCommitRequest>;

export { RowError };

/** A contact as the row would store it. */
export const ImportedContact = z.object({
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  company: z.object({ name: z.string(), domain: z.string().nullable() }).nullable(),
  tags: z.array(z.string()),
  lifecycleStage: LifecycleStage.nullable(),
  customFields: CustomFieldValues,
});
export type ImportedContact = z.infer<typeof ImportedContact>;

export const ImportedCompany = z.object({
  name: z.string(),
  domain: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  customFields: CustomFieldValues,
});
export type ImportedCompany = z.infer<typeof ImportedCompany>;

/** What a row duplicates: a stored record, or an earlier row of the same file. */
export const Duplicate = z.union([
  z.object({
    kind: z.literal("record"),
    id: Id,
    name: z.string(),
    /** The address or domain they share. */
    match: z.string(),
  }),
  z.object({ kind: z.literal("row"), line: z.number().int(), match: z.string() }),
]);
export type Duplicate = z.infer<typeof Duplicate>;

export const PreviewRow = z.object({
  line: z.number().int(),
  /** One of the two, as the entity says; null when the row has errors. */
  contact: ImportedContact.nullable(),
  company: ImportedCompany.nullable(),
  duplicate: Duplicate.nullable(),
  /** What a commit would do with it, with the same onDuplicate and decisions; `error` if it has errors. */
  action: z.enum(["create", "update", "skip", "error"]),
  errors: z.array(RowError),
});
export type PreviewRow = z.infer<typeof PreviewRow>;

export const ImportColumn = z.object({
  index: z.number().int(),
  header: z.string(),
  /** The field the mapping in effect gives it, or null (left out). */
  field: ImportField.nullable(),
  /** The first few non-empty values, to help choose. */
  samples: z.array(z.string()),
});

/** A field the wizard can offer for a column. */
export const ImportTarget = z.object({
  field: ImportField,
  label: z.string(),
  /** Several columns may fill it (addresses, phones, tags). */
  multiple: z.boolean(),
  /** A custom field's type, for a hint. */
  type: z.enum(["text", "number", "date", "choice"]).nullable(),
  required: z.boolean(),
});

export const ImportCounts = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Rows that share an address (contacts) or domain (companies) with a stored record / with an earlier row. */
  duplicatesOfRecords: z.number().int(),
  duplicatesInFile: z.number().int(),
  /** What a commit would do, with the same onDuplicate and decisions (valid rows only). */
  create: z.number().int(),
  update: z.number().int(),
  skip: z.number().int(),
});

export const ImportPreview = z.object({
  format: ImportFormat,
  entity: ImportEntity,
  /** The CSV delimiter found (null for vCard). */
  delimiter: z.string().nullable(),
  /** CSV: each column with its header and the field the mapping in effect gives it; empty for vCard. */
  columns: z.array(ImportColumn),
  /** The mapping in effect: the one sent, or the one suggested from the headers. */
  mapping: z.array(ColumnMapping),
  suggested: z.boolean(),
  targets: z.array(ImportTarget),
  onDuplicate: DuplicateAction,
  /** Contacts: the country the phones without a country code are read in (the one sent, or the default); null: none. */
  country: z.string().nullable().default(null),
  counts: ImportCounts,
  /** The first rows (as many as asked), in file order. */
  rows: z.array(PreviewRow),
  /** Every row error of the file (the first 1,000; `counts.invalid` says how many rows have one). */
  errors: z.array(RowError),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({
  entity: ImportEntity,
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  /** Companies a contact import made for rows naming a company not yet in the organisation. */
  companiesCreated: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * With `Accept: application/x-ndjson` a commit answers 200 at once and then one JSON object per line: progress
 * `{ phase, done, total }` as it goes, and last either `{ result }` or `{ error }` (the problem it would have
 * answered, row errors included).
 */
export const ImportProgressLine = z.union([
  z.object({
    phase: z.enum(["reading", "checking", "writing"]),
    done: z.number().int(),
    total: z.number().int(),
  }),
  z.object({ result: ImportResult }),
  z.object({ error: Problem }),
]);
export type ImportProgressLine = z.infer<typeof ImportProgressLine>;
export type ImportProgress = Extract<ImportProgressLine, { phase: string }>;
