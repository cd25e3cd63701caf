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
  "source",
  "language",
  "birthday",
  "noAutomatedMail",
  "noMarketing",
  "country",
];
const COMPANY_FIELDS: readonly CompanyMergeField[] = ["name", "domain", "phone", "website", "address"];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields where the two records differ (and so need a choice), custom fields by key. A value only one record
 * has is offered too: the kept record's empty value would otherwise win.
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
