import type { z } from "zod";
import { CompanyCreate, CompanyDomain, normalizeCompanyDomain } from "../../shared/companies";
import { ContactCreate } from "../../shared/contacts";
import type { CustomFieldEntity, CustomFieldValues } from "../../shared/custom-fields";
import type { RowError } from "../../shared/errors";
import {
  COMPANY_FIELDS,
  CONTACT_FIELDS,
  CUSTOM_FIELD_PREFIX,
  type ColumnMapping,
  type ImportEntity,
  type ImportedCompany,
  type ImportedContact,
  MULTI_VALUE_FIELDS,
} from "../../shared/imports";
import { parsePersonName } from "../../shared/person-name";
import { checkCustomFieldValues } from "../custom-fields/service";
import type { CustomFieldDefinitionRow } from "../db/tables";
import { type CsvTable, unprotectCell } from "./csv";
import { type VCard, splitStructured, unescapeText } from "./vcard";

/** A row of the file as field → values, whatever its format: what the mapping (or the vCard) made of it. */
export interface RawRow {
  line: number;
  values: Map<string, string[]>;
}

const norm = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** Header words → field, per entity; the first column whose header fits a field gets it. */
const CONTACT_HEADERS: [RegExp, string][] = [
  [/^(displayname|fullname|name|contactname|contact|fn|person)$/, "displayName"],
  [/^(firstname|givenname|first|forename|prenom|vorname)$/, "firstName"],
  [/^(lastname|surname|familyname|last|nom|nachname)$/, "lastName"],
  // Digits then an optional word then digits again, with no way to split one run of digits two ways: `\d*(…)?\d*`
  // was tried at every split of a header such as "mail1111…x", quadratic in its length.
  [/^(e?mails?|emailaddress(es)?|e?mail\d*(?:(?:address|adresse)\d*)?|mailaddress)$/, "email"],
  [/(phones?|telephone|mobile|cell)\d*$|^tel\d*$/, "phone"],
  [/^(title|jobtitle|position|role|function)$/, "title"],
  [/^(company|companyname|organi[sz]ation|org|account|accountname|employer|firma)$/, "companyName"],
  [/^(companydomain|domain|website|companywebsite|web|url|homepage)$/, "companyDomain"],
  [/^(tags?|categories|category|labels?|groups?)$/, "tags"],
  [/^(lifecyclestage|lifecycle|stage)$/, "lifecycleStage"],
];
const COMPANY_HEADERS: [RegExp, string][] = [
  [/^(name|company|companyname|organi[sz]ation|org|account|accountname)$/, "name"],
  [/^(domain|companydomain|emaildomain)$/, "domain"],
  [/^(website|web|url|homepage|site)$/, "website"],
  [/(phones?|telephone)\d*$|^tel\d*$/, "phone"],
  [/^(address|street|location|streetaddress|postaladdress)$/, "address"],
];

/** The mapping the preview suggests from the header row: custom fields by key or label, then the usual names. */
export function suggestMapping(
  header: readonly string[],
  entity: ImportEntity,
  definitions: readonly CustomFieldDefinitionRow[],
): ColumnMapping[] {
  const rules = entity === "contacts" ? CONTACT_HEADERS : COMPANY_HEADERS;
  const taken = new Set<string>();
  const mapping: ColumnMapping[] = [];
  header.forEach((name, column) => {
    const key = norm(name);
    if (key === "") return;
    const custom = definitions.find((d) => norm(d.key) === key || norm(d.label) === key);
    const field = custom
      ? `${CUSTOM_FIELD_PREFIX}${custom.key}`
      : rules.find(([pattern]) => pattern.test(key))?.[1];
    if (!field || (taken.has(field) && !MULTI_VALUE_FIELDS.includes(field))) return;
    taken.add(field);
    mapping.push({ column, field });
  });
  return mapping;
}

/** Fields the entity takes: its own and its custom fields' (others in a mapping are refused up front). */
export function fieldsOf(
  entity: ImportEntity,
  definitions: readonly CustomFieldDefinitionRow[],
): Set<string> {
  return new Set<string>([
    ...(entity === "contacts" ? CONTACT_FIELDS : COMPANY_FIELDS),
    ...definitions.map((d) => `${CUSTOM_FIELD_PREFIX}${d.key}`),
  ]);
}

export function rowsFromCsv(table: CsvTable, mapping: readonly ColumnMapping[]): RawRow[] {
  return table.rows.map(({ line, cells }) => {
    const values = new Map<string, string[]>();
    for (const { column, field } of mapping) {
      const cell = unprotectCell((cells[column] ?? "").trim());
      if (cell === "") continue;
      const list = values.get(field);
      if (list) list.push(cell);
      else values.set(field, [cell]);
    }
    return { line, values };
  });
}

/** A card as the contact fields it fills: FN, N, EMAIL, TEL, ORG, TITLE, CATEGORIES. */
export function rowsFromVCards(cards: readonly VCard[]): RawRow[] {
  return cards.map((card) => {
    const values = new Map<string, string[]>();
    // Added to in place: a copy per value is quadratic in a card of many addresses.
    const add = (field: string, value: string) => {
      const v = value.trim();
      if (v === "") return;
      const list = values.get(field);
      if (list === undefined) values.set(field, [v]);
      else list.push(v);
    };
    for (const { name, value } of card.properties) {
      switch (name) {
        case "FN":
          if (!values.has("displayName")) add("displayName", unescapeText(value));
          break;
        case "N": {
          const [family = "", given = ""] = splitStructured(value);
          if (!values.has("lastName")) add("lastName", family);
          if (!values.has("firstName")) add("firstName", given);
          break;
        }
        case "EMAIL":
          add("email", unescapeText(value).replace(/^mailto:/i, ""));
          break;
        case "TEL":
          add("phone", unescapeText(value).replace(/^tel:/i, ""));
          break;
        case "ORG":
          if (!values.has("companyName")) add("companyName", splitStructured(value)[0] ?? "");
          break;
        case "TITLE":
          if (!values.has("title")) add("title", unescapeText(value));
          break;
        case "CATEGORIES":
          for (const tag of splitStructured(value, ",")) add("tags", tag);
          break;
      }
    }
    return { line: card.line, values };
  });
}

// ---------------------------------------------------------------------------------------------------------
// A row as the record it would store, checked with the same schemas as a create.

/**
 * The record's addresses and domains are canonical (the keys duplicates are found by); `written` maps each to the
 * form the file wrote it in, which is what is shown and kept beside the key.
 */
export interface CheckedContact {
  record: ImportedContact;
  /** Whether the row named the contact itself (a name derived from an address never replaces a stored one). */
  namedExplicitly: boolean;
  written: Map<string, string>;
}

export interface CheckedCompany {
  record: ImportedCompany;
  written: Map<string, string>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

const first = (row: RawRow, field: string) => row.values.get(field)?.[0];
const all = (row: RawRow, field: string, split: RegExp) =>
  (row.values.get(field) ?? [])
    .flatMap((v) => v.split(split))
    .map((v) => v.trim())
    .filter((v) => v !== "");
const unique = (values: string[]) => [...new Set(values)];

/** The API's names for a create's fields → the import's. */
const CONTACT_PATHS: Record<string, string> = {
  emails: "email",
  phones: "phone",
  displayName: "displayName",
};
const COMPANY_PATHS: Record<string, string> = {};

/** `whole`: the field a value's own schema checks (its issues have no path). */
function issuesOf(
  line: number,
  error: z.ZodError,
  paths: Record<string, string>,
  whole: string | null = null,
): RowError[] {
  return error.issues.slice(0, 10).map((issue) => {
    const [head, second] = issue.path.map(String);
    const field =
      head === "customFields" && second
        ? `${CUSTOM_FIELD_PREFIX}${second}`
        : head
          ? (paths[head] ?? head)
          : whole;
    return { line, field, code: "value_refused", message: issue.message };
  });
}

/** Custom field text as the definition wants it: numbers as numbers ("1,5" and "1.5" alike). */
function customValues(row: RawRow, definitions: readonly CustomFieldDefinitionRow[]): CustomFieldValues {
  const values: CustomFieldValues = {};
  for (const [field, list] of row.values) {
    if (!field.startsWith(CUSTOM_FIELD_PREFIX)) continue;
    const key = field.slice(CUSTOM_FIELD_PREFIX.length);
    const text = list.join(", ");
    const definition = definitions.find((d) => d.key === key);
    if (definition?.type === "number") {
      const n = Number(text.replace(/\s/g, "").replace(/,(?=\d+$)/, "."));
      values[key] = text !== "" && Number.isFinite(n) ? n : text;
    } else values[key] = text;
  }
  return values;
}

function checkCustom(
  row: RawRow,
  entity: CustomFieldEntity,
  definitions: readonly CustomFieldDefinitionRow[],
  required: boolean,
): Checked<CustomFieldValues> {
  const { stored, issues } = checkCustomFieldValues(definitions, entity, customValues(row, definitions), {
    required,
  });
  if (issues.length === 0) return { ok: true, value: stored };
  return {
    ok: false,
    errors: issues.map((i): RowError => ({
      line: row.line,
      field: `${CUSTOM_FIELD_PREFIX}${i.key}`,
      ...(i.missing === undefined
        ? { code: "value_refused", message: i.message }
        : { code: "required", message: i.message, values: { label: i.missing } }),
    })),
  };
}

/**
 * `requireCustom`: whether required custom fields must be in the row (a new record) or may come from the record
 * it updates.
 */
export function checkContactRow(
  row: RawRow,
  definitions: readonly CustomFieldDefinitionRow[],
  requireCustom: boolean,
): Checked<CheckedContact> {
  const emails = unique(all(row, "email", /[,;\s]+/).map((e) => e.toLowerCase()));
  const given = first(row, "displayName");
  const firstName = first(row, "firstName") ?? null;
  const lastName = first(row, "lastName") ?? null;
  // Without a name column, the name: first and last, or what the address says (Anna Berg for anna.berg@).
  const derived = () =>
    [firstName, lastName].filter(Boolean).join(" ") ||
    (emails[0] ? (parsePersonName(null, emails[0])?.displayName ?? emails[0]) : "");
  const errors: RowError[] = [];
  const input = {
    displayName: given ?? derived(),
    firstName,
    lastName,
    title: first(row, "title") ?? null,
    emails,
    phones: unique(all(row, "phone", /[;\n]+/)),
    tags: unique(all(row, "tags", /[,;\n]+/)),
    ...(first(row, "lifecycleStage") ? { lifecycleStage: first(row, "lifecycleStage")?.toLowerCase() } : {}),
  };
  if (input.displayName === "")
    errors.push({
      line: row.line,
      field: "displayName",
      code: "name_or_email_needed",
      message: "a name or an email address is needed",
    });
  const parsed = ContactCreate.safeParse(input);
  if (!parsed.success && input.displayName !== "")
    errors.push(...issuesOf(row.line, parsed.error, CONTACT_PATHS));
  const written = new Map<string, string>();
  const companyName = first(row, "companyName");
  const companyDomain = first(row, "companyDomain");
  let company: ImportedContact["company"] = null;
  if (companyName !== undefined || companyDomain !== undefined) {
    const domain = CompanyDomain.safeParse(companyDomain ?? null);
    const name = CompanyCreate.shape.name.safeParse(
      companyName ?? (domain.success ? (domain.data?.written ?? "") : companyDomain),
    );
    if (!domain.success) errors.push(...issuesOf(row.line, domain.error, {}, "companyDomain"));
    if (!name.success) errors.push(...issuesOf(row.line, name.error, {}, "companyName"));
    if (domain.success && name.success) {
      company = { name: name.data, domain: domain.data?.domain ?? null };
      if (domain.data) written.set(domain.data.domain, domain.data.written);
    }
  }
  const custom = checkCustom(row, "contact", definitions, requireCustom);
  if (!custom.ok) errors.push(...custom.errors);
  if (errors.length || !parsed.success || !custom.ok) return { ok: false, errors };
  const contact = parsed.data;
  // Two spellings of one address in a row are one address, written as it first was.
  for (const e of contact.emails ?? []) if (!written.has(e.address)) written.set(e.address, e.written);
  return {
    ok: true,
    value: {
      namedExplicitly: given !== undefined,
      written,
      record: {
        displayName: contact.displayName,
        firstName: contact.firstName ?? null,
        lastName: contact.lastName ?? null,
        title: contact.title ?? null,
        emails: unique((contact.emails ?? []).map((e) => e.address)),
        phones: contact.phones ?? [],
        company,
        tags: contact.tags ?? [],
        lifecycleStage: contact.lifecycleStage ?? null,
        customFields: custom.value,
      },
    },
  };
}

export function checkCompanyRow(
  row: RawRow,
  definitions: readonly CustomFieldDefinitionRow[],
  requireCustom: boolean,
): Checked<CheckedCompany> {
  const website = first(row, "website") ?? null;
  // A company's domain is what finds its duplicates and its contacts' mail: a website says it when no column does.
  const domain = first(row, "domain") ?? (website ? normalizeCompanyDomain(website) : null);
  const input = {
    name: first(row, "name") ?? domain ?? "",
    domain,
    phone: unique(all(row, "phone", /[;\n]+/)).join(", ") || null,
    website,
    address: (row.values.get("address") ?? []).join("\n") || null,
  };
  const errors: RowError[] = [];
  if (input.name === "")
    errors.push({
      line: row.line,
      field: "name",
      code: "name_or_domain_needed",
      message: "a name or a domain is needed",
    });
  const parsed = CompanyCreate.safeParse(input);
  if (!parsed.success && input.name !== "") errors.push(...issuesOf(row.line, parsed.error, COMPANY_PATHS));
  const custom = checkCustom(row, "company", definitions, requireCustom);
  if (!custom.ok) errors.push(...custom.errors);
  if (errors.length || !parsed.success || !custom.ok) return { ok: false, errors };
  const company = parsed.data;
  return {
    ok: true,
    value: {
      record: {
        name: company.name,
        domain: company.domain?.domain ?? null,
        phone: company.phone ?? null,
        website: company.website ?? null,
        address: company.address ?? null,
        customFields: custom.value,
      },
      written: new Map(company.domain ? [[company.domain.domain, company.domain.written]] : []),
    },
  };
}
