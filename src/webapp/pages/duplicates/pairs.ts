import type { Company } from "../../../shared/companies";
import type { Contact } from "../../../shared/contacts";
import type {
  CompanyDuplicate,
  CompanyMergeField,
  ContactDuplicate,
  ContactMergeField,
  MergeSide,
} from "../../../shared/duplicates";

/** Which records the page reviews. */
export type DuplicateKind = "contacts" | "companies";

/** A field the merge chooses, as the page shows it: its key in the request, its value in each record. */
export interface ChoiceField {
  /** A merge field, or `customFields.<key>`. */
  key: string;
  first: unknown;
  second: unknown;
}

export type Pair = ContactDuplicate | CompanyDuplicate;

export const nameOf = (record: Contact | Company): string =>
  "displayName" in record ? record.displayName : record.name;

const CONTACT_FIELDS: readonly ContactMergeField[] = [
  "displayName",
  "firstName",
  "lastName",
  "title",
  "companyId",
  "lifecycleStage",
  "ownerId",
  "source",
  "language",
  "birthday",
  "noAutomatedMail",
  "noMarketing",
  "country",
];
const COMPANY_FIELDS: readonly CompanyMergeField[] = [
  "name",
  "domain",
  "phone",
  "website",
  "address",
  "ownerId",
];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields where the two records differ (and so need a choice), custom fields by key. A value only one record
 * has is offered too (and chosen by default: see defaultPick), where the kept record's empty value would otherwise
 * win; a custom field only one record has is kept whatever is chosen, so it is not offered.
 */
export function differingFields(pair: Pair): ChoiceField[] {
  const first = pair.first as unknown as Record<string, unknown>;
  const second = pair.second as unknown as Record<string, unknown>;
  const fields: readonly string[] = "displayName" in pair.first ? CONTACT_FIELDS : COMPANY_FIELDS;
  const chosen = fields
    .filter((key) => !same(first[key], second[key]))
    .map((key) => ({ key, first: first[key] ?? null, second: second[key] ?? null }));
  const custom = new Set([...Object.keys(pair.first.customFields), ...Object.keys(pair.second.customFields)]);
  for (const key of [...custom].sort()) {
    const a = pair.first.customFields[key];
    const b = pair.second.customFields[key];
    if (a !== undefined && b !== undefined && !same(a, b))
      chosen.push({ key: `customFields.${key}`, first: a, second: b });
  }
  return chosen;
}

/**
 * The merge request for the choices made: the record kept (first or second), and for each field the side whose
 * value wins, in the server's terms (kept or merged).
 */
export function mergeRequest(pair: Pair, keepFirst: boolean, picks: Record<string, "first" | "second">) {
  const kept = keepFirst ? pair.first : pair.second;
  const merged = keepFirst ? pair.second : pair.first;
  const side = (pick: "first" | "second"): MergeSide =>
    (pick === "first") === keepFirst ? "kept" : "merged";
  const fields: Record<string, MergeSide> = {};
  const customFields: Record<string, MergeSide> = {};
  for (const [key, pick] of Object.entries(picks)) {
    if (key.startsWith("customFields.")) customFields[key.slice("customFields.".length)] = side(pick);
    else fields[key] = side(pick);
  }
  return {
    keptId: kept.id,
    body: { version: kept.version, mergedId: merged.id, mergedVersion: merged.version, fields, customFields },
  };
}

/** No value: what a merge should not choose over a value the other record has. */
export const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0);

/**
 * The side a field takes until the user chooses: the one with a value, and the kept record's where both have one
 * (or neither), so a merge never empties a field one of the records had filled.
 */
export function defaultPick(field: ChoiceField, keepFirst: boolean): "first" | "second" {
  const kept = keepFirst ? "first" : "second";
  const other = keepFirst ? "second" : "first";
  return isEmpty(field[kept]) && !isEmpty(field[other]) ? other : kept;
}

/** Every field a merge changes or keeps, for saying what changed in a record read again. */
const ALL_CONTACT_FIELDS = [...CONTACT_FIELDS, "emails", "phones", "tags"];
const ALL_COMPANY_FIELDS = [...COMPANY_FIELDS];

/** The fields (custom fields as `customFields.<key>`) whose values differ between two reads of one record. */
export function changedFields(before: Contact | Company, after: Contact | Company): string[] {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const fields = "displayName" in before ? ALL_CONTACT_FIELDS : ALL_COMPANY_FIELDS;
  const changed = fields.filter((key) => !same(a[key], b[key]));
  const custom = new Set([...Object.keys(before.customFields), ...Object.keys(after.customFields)]);
  for (const key of [...custom].sort())
    if (!same(before.customFields[key], after.customFields[key])) changed.push(`customFields.${key}`);
  return changed;
}
