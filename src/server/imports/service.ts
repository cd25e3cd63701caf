import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { RowError } from "../../shared/errors";
import {
  type ColumnMapping,
  COMPANY_FIELDS,
  CONTACT_FIELDS,
  CUSTOM_FIELD_PREFIX,
  type DuplicateAction,
  type Duplicate,
  type ImportCommitRequest,
  type ImportEntity,
  type ImportPreview,
  type ImportPreviewRequest,
  type ImportProgress,
  type ImportResult,
  type ImportedCompany,
  type ImportedContact,
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  MULTI_VALUE_FIELDS,
  type PreviewRow,
} from "../../shared/imports";
import { recordAudit } from "../audit";
import { customFieldDefinitions } from "../custom-fields/service";
import { lockOrganizationAddresses } from "../db/address-lock";
import { replanAfterBulkWrite } from "../db/replan";
import type { CustomFieldDefinitionRow, DB } from "../db/tables";
import { AppError } from "../errors";
import type { Scope } from "../scope";
import { MAX_BLANK_ROWS, readCsv } from "./csv";
import {
  type CheckedCompany,
  type CheckedContact,
  type RawRow,
  checkCompanyRow,
  checkContactRow,
  fieldsOf,
  rowsFromCsv,
  rowsFromVCards,
  suggestMapping,
} from "./rows";
import { importingUserCountry } from "./country";
import { MAX_CARD_PROPERTIES, MAX_FILE_PROPERTIES, readVCards } from "./vcard";
import { toCompany } from "../companies/service";
import { selectContacts, toContact } from "../contacts/service";
import { emitEvents } from "../webhooks/outbox";
import {
  type KeyHolder,
  companiesHoldingKeys,
  companyRowKeys,
  contactRowKeys,
  contactsHoldingKeys,
  keyValue,
} from "../duplicates/keys";

type Body = ImportPreviewRequest | ImportCommitRequest;
type Report = (step: ImportProgress) => void;
type Action = "create" | "update" | "skip";

const PREVIEW_ROWS = 50;
const MAX_LISTED_ERRORS = 1000;
/**
 * Rows per statement: one JSON parameter each, well under any limit, few round trips for 100,000 rows. Lists of
 * keys are matched with `in (select unnest(…))`, which PostgreSQL hashes, never `= any(…)`, which it may test
 * row by row against the whole list (20,000 stored contacts read back took 13 s that way on PGlite).
 */
const WRITE_BATCH = 5000;
/** Rows checked between two turns of the event loop: progress lines go out, other requests are served. */
const CHECK_SLICE = 2000;

const ENTITY_OF = { contacts: "contact", companies: "company" } as const;

// ---------------------------------------------------------------------------------------------------------
// Reading the file

interface FileRows {
  delimiter: string | null;
  header: string[];
  rows: RawRow[];
  /** Rows the reader could not read whole. */
  errors: RowError[];
  mapping: ColumnMapping[];
  suggested: boolean;
  /** The first rows' cells, for the columns' samples. */
  samples: string[][];
}

function refuse(detail: string, path?: string): AppError {
  return new AppError("invalid_request", 400, detail, path ? { errors: [{ path, message: detail }] } : {});
}

function readFile(body: Body, definitions: readonly CustomFieldDefinitionRow[]): FileRows {
  if (body.format === "vcard") {
    if (body.entity !== "contacts")
      throw refuse("A vCard file holds people: import companies from a CSV file.", "body.entity");
    const file = readVCards(body.content, {
      cards: MAX_IMPORT_ROWS,
      propertiesPerCard: MAX_CARD_PROPERTIES,
      properties: MAX_FILE_PROPERTIES,
    });
    if (file.stopped?.limit === "cards")
      throw refuse(`A file may hold at most ${MAX_IMPORT_ROWS} cards.`, "body.content");
    if (file.stopped?.limit === "propertiesPerCard")
      throw refuse(
        `A card may have at most ${MAX_CARD_PROPERTIES.toLocaleString("en")} properties (lines); the card at line ${file.stopped.line} has more.`,
        "body.content",
      );
    if (file.stopped?.limit === "properties")
      throw refuse(
        `A file may hold at most ${MAX_FILE_PROPERTIES.toLocaleString("en")} properties (lines) in all: import it in parts.`,
        "body.content",
      );
    if (file.cards.length === 0 && file.errors.length === 0 && body.content.trim() !== "")
      throw refuse("This is not a vCard file: it has no BEGIN:VCARD.", "body.content");
    return {
      delimiter: null,
      header: [],
      rows: rowsFromVCards(file.cards),
      errors: file.errors,
      mapping: [],
      suggested: false,
      samples: [],
    };
  }
  const table = readCsv(body.content, MAX_IMPORT_ROWS, MAX_IMPORT_COLUMNS);
  if (table.tooMany) throw refuse(`A file may hold at most ${MAX_IMPORT_ROWS} rows.`, "body.content");
  if (table.tooManyBlank)
    throw refuse(
      `The file has more than ${MAX_BLANK_ROWS.toLocaleString("en")} blank rows, more than a spreadsheet holds.`,
      "body.content",
    );
  if (table.tooWideAt !== null)
    throw refuse(
      `A file may have at most ${MAX_IMPORT_COLUMNS} columns; the row at line ${table.tooWideAt} has more.`,
      "body.content",
    );
  const mapping = body.mapping ?? suggestMapping(table.header, body.entity, definitions);
  if (body.mapping) checkMapping(body.mapping, body.entity, table.header.length, definitions);
  return {
    delimiter: table.delimiter,
    header: table.header,
    rows: rowsFromCsv(table, mapping),
    errors: table.errors,
    mapping,
    suggested: body.mapping === undefined,
    samples: table.rows.slice(0, 20).map((r) => r.cells),
  };
}

function checkMapping(
  mapping: readonly ColumnMapping[],
  entity: ImportEntity,
  columns: number,
  definitions: readonly CustomFieldDefinitionRow[],
): void {
  const fields = fieldsOf(entity, definitions);
  const seenColumns = new Set<number>();
  const seenFields = new Set<string>();
  mapping.forEach(({ column, field }, i) => {
    if (column >= columns)
      throw refuse(
        `The file has ${columns} column(s); there is no column ${column}.`,
        `body.mapping.${i}.column`,
      );
    if (seenColumns.has(column))
      throw refuse(`Column ${column} is mapped twice.`, `body.mapping.${i}.column`);
    if (!fields.has(field))
      throw refuse(
        field.startsWith(CUSTOM_FIELD_PREFIX)
          ? `No ${ENTITY_OF[entity]} custom field has the key "${field.slice(CUSTOM_FIELD_PREFIX.length)}".`
          : `The ${entity} have no field "${field}".`,
        `body.mapping.${i}.field`,
      );
    if (seenFields.has(field) && !MULTI_VALUE_FIELDS.includes(field))
      throw refuse(`Only one column may fill "${field}".`, `body.mapping.${i}.field`);
    seenColumns.add(column);
    seenFields.add(field);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Checking each row, finding duplicates, and planning what each row does

interface CheckedRow {
  raw: RawRow;
  contact: CheckedContact | null;
  company: CheckedCompany | null;
  errors: RowError[];
  /** What makes it a duplicate: its addresses (contacts) or its domain (companies), canonical. */
  keys: string[];
  /** Its keys (and its contact's company domain) as the file wrote them. */
  written: ReadonlyMap<string, string>;
}

const noneWritten: ReadonlyMap<string, string> = new Map();

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function checkRows(
  entity: ImportEntity,
  rows: readonly RawRow[],
  readErrors: readonly RowError[],
  definitions: readonly CustomFieldDefinitionRow[],
  report: Report,
): Promise<CheckedRow[]> {
  const byLine = new Map<number, RowError[]>();
  for (const error of readErrors) byLine.set(error.line, [...(byLine.get(error.line) ?? []), error]);
  const checked: CheckedRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % CHECK_SLICE === 0) {
      report({ phase: "checking", done: i, total: rows.length });
      await yieldToEventLoop();
    }
    const raw = rows[i] as RawRow;
    const readError = byLine.get(raw.line) ?? [];
    // Required custom fields are checked once the plan says which rows make new records.
    if (entity === "contacts") {
      const result = checkContactRow(raw, definitions, false);
      checked.push(
        result.ok
          ? {
              raw,
              contact: result.value,
              company: null,
              errors: readError,
              keys: result.value.record.emails,
              written: result.value.written,
            }
          : {
              raw,
              contact: null,
              company: null,
              errors: [...readError, ...result.errors],
              keys: [],
              written: noneWritten,
            },
      );
    } else {
      const result = checkCompanyRow(raw, definitions, false);
      checked.push(
        result.ok
          ? {
              raw,
              contact: null,
              company: result.value,
              errors: readError,
              keys: result.value.record.domain ? [result.value.record.domain] : [],
              written: result.value.written,
            }
          : {
              raw,
              contact: null,
              company: null,
              errors: [...readError, ...result.errors],
              keys: [],
              written: noneWritten,
            },
      );
    }
  }
  // A card left open has no row of its own: its error still stops the import.
  const lines = new Set(rows.map((r) => r.line));
  for (const error of readErrors)
    if (!lines.has(error.line))
      checked.push({
        raw: { line: error.line, values: new Map() },
        contact: null,
        company: null,
        errors: [error],
        keys: [],
        written: noneWritten,
      });
  checked.sort((a, b) => a.raw.line - b.raw.line);
  report({ phase: "checking", done: rows.length, total: rows.length });
  return checked;
}

/** A stored record that has one of the keys. */
interface Holder {
  id: string;
  name: string;
}

async function storedHolders(
  db: Kysely<DB>,
  orgId: string,
  entity: ImportEntity,
  keys: string[],
): Promise<Map<string, Holder>> {
  const holders = new Map<string, Holder>();
  for (let i = 0; i < keys.length; i += 10_000) {
    const chunk = keys.slice(i, i + 10_000);
    if (entity === "contacts") {
      const rows = await db
        .selectFrom("contact_emails as e")
        .innerJoin("contacts as c", (join) =>
          join.onRef("c.id", "=", "e.contact_id").onRef("c.org_id", "=", "e.org_id"),
        )
        .select(["e.address", "c.id", "c.display_name"])
        .where("e.org_id", "=", orgId)
        .where(sql<boolean>`e.address in (select unnest(${chunk}::text[]))`)
        .execute();
      for (const r of rows) holders.set(r.address, { id: r.id, name: r.display_name });
    } else {
      const rows = await db
        .selectFrom("companies")
        .select(["id", "name", "domain"])
        .where("org_id", "=", orgId)
        .where(sql<boolean>`domain in (select unnest(${chunk}::text[]))`)
        .execute();
      for (const r of rows) if (r.domain) holders.set(r.domain, { id: r.id, name: r.name });
    }
  }
  return holders;
}

/** Where a written row goes: a stored record, or the n-th new one. */
type Target = { kind: "record"; id: string } | { kind: "new"; index: number };

/** A checked row with its duplicate rules' keys (src/server/duplicates/keys.ts: the duplicates list's rules). */
interface KeyedRow extends CheckedRow {
  matchKeys: string[];
}

interface PlannedRow {
  row: CheckedRow;
  duplicate: Duplicate | null;
  action: Action | "error";
  target: Target | null;
  /** Its keys that stay with another record (a `create` of a duplicate, an address taken by someone else). */
  dropped: Set<string>;
}

/**
 * What each row does, in file order: a duplicate (of a stored record first, else of an earlier row) follows
 * `onDuplicate` unless the row has a decision of its own; an update with nothing to update creates. A duplicate is
 * what the duplicates list calls one (an address in another form, a phone, a company's name without its legal
 * form); one of the very same address or domain is named first. Keys are unique in an organisation, so a key
 * already held by another record stays with it.
 */
function planRows(
  rows: readonly KeyedRow[],
  holders: ReadonlyMap<string, Holder>,
  matchHolders: ReadonlyMap<string, KeyHolder>,
  onDuplicate: DuplicateAction,
  decisions: ReadonlyMap<number, Action>,
): PlannedRow[] {
  const owner = new Map<string, Target>();
  for (const [key, holder] of holders) owner.set(key, { kind: "record", id: holder.id });
  const matchOwner = new Map<string, Target>();
  for (const [key, holder] of matchHolders) matchOwner.set(key, { kind: "record", id: holder.id });
  const firstLine = new Map<string, number>();
  let created = 0;
  const sameTarget = (a: Target, b: Target) =>
    a.kind === "record" ? b.kind === "record" && a.id === b.id : b.kind === "new" && a.index === b.index;
  return rows.map((row) => {
    if (row.errors.length) return { row, duplicate: null, action: "error", target: null, dropped: new Set() };
    const exact = row.keys.find((k) => holders.has(k));
    const matched = row.matchKeys.find((k) => matchHolders.has(k));
    const earlier = row.matchKeys.find((k) => firstLine.has(k));
    const duplicate: Duplicate | null =
      exact !== undefined
        ? { kind: "record", ...pickHolder(holders.get(exact) as Holder), match: exact }
        : matched !== undefined
          ? {
              kind: "record",
              ...pickHolder(matchHolders.get(matched) as KeyHolder),
              match: keyValue(matched),
            }
          : earlier !== undefined
            ? { kind: "row", line: firstLine.get(earlier) as number, match: keyValue(earlier) }
            : null;
    for (const k of row.matchKeys) if (!firstLine.has(k)) firstLine.set(k, row.raw.line);
    let action: Action = decisions.get(row.raw.line) ?? (duplicate ? onDuplicate : "create");
    if (action === "skip") return { row, duplicate, action, target: null, dropped: new Set() };
    let target: Target | null = null;
    if (action === "update") {
      const held = row.keys.find((k) => owner.has(k));
      const heldByMatch = row.matchKeys.find((k) => matchOwner.has(k));
      if (held !== undefined) target = owner.get(held) as Target;
      else if (heldByMatch !== undefined) target = matchOwner.get(heldByMatch) as Target;
      else action = "create";
    }
    if (action === "create") target = { kind: "new", index: created++ };
    const dropped = new Set<string>();
    for (const k of row.keys) {
      const current = owner.get(k);
      if (!current) owner.set(k, target as Target);
      else if (!sameTarget(current, target as Target)) dropped.add(k);
    }
    for (const k of row.matchKeys) if (!matchOwner.has(k)) matchOwner.set(k, target as Target);
    return { row, duplicate, action, target, dropped };
  });
}

const pickHolder = (holder: Holder | KeyHolder) => ({ id: holder.id, name: holder.name });

/** A new record must have the required custom fields; an update may take them from the stored record. */
function requireCustomFields(planned: PlannedRow[], definitions: readonly CustomFieldDefinitionRow[]): void {
  const required = definitions.filter((d) => d.required);
  if (required.length === 0) return;
  for (const p of planned) {
    if (p.action !== "create" || p.target?.kind !== "new") continue;
    const values = p.row.contact?.record.customFields ?? p.row.company?.record.customFields ?? {};
    const missing = required.filter((d) => values[d.key] === undefined);
    if (missing.length === 0) continue;
    p.row.errors.push(
      ...missing.map((d) => ({
        line: p.row.raw.line,
        field: `${CUSTOM_FIELD_PREFIX}${d.key}`,
        code: "required" as const,
        message: `"${d.label}" is required`,
        values: { label: d.label },
      })),
    );
    p.action = "error";
  }
}

/**
 * A contact's company that is not stored is made with its name and domain only. Where companies have required
 * custom fields it could not be made so (the server refuses such a company from anyone), so the row is refused,
 * and the message says to import the companies first.
 */
async function requireStoredCompanies(db: Kysely<DB>, orgId: string, planned: PlannedRow[]): Promise<void> {
  const required = (await customFieldDefinitions(db, orgId, "company")).filter((d) => d.required);
  if (required.length === 0) return;
  const naming = planned.flatMap((p) =>
    (p.action === "create" || p.action === "update") && p.row.contact?.record.company
      ? [{ p, company: p.row.contact.record.company }]
      : [],
  );
  if (naming.length === 0) return;
  const stored = await storedCompanies(
    db,
    orgId,
    naming.map((n) => n.company),
  );
  const labels = required.map((d) => `"${d.label}"`).join(", ");
  for (const { p, company } of naming) {
    if (isStored(company, stored)) continue;
    p.row.errors.push({
      line: p.row.raw.line,
      field: "companyName",
      code: "company_not_stored",
      message: `"${company.name}" is not a stored company, and a new company needs ${labels}: import the companies first`,
      values: { company: company.name, labels: required.map((d) => d.label).join(", ") },
    });
    p.action = "error";
  }
}

interface Analysis {
  file: FileRows;
  definitions: CustomFieldDefinitionRow[];
  planned: PlannedRow[];
  holders: Map<string, Holder>;
  errors: RowError[];
  invalidRows: number;
  /** Every canonical address and domain of the file → as it first wrote it, to keep beside the key. */
  written: Map<string, string>;
  /** Contacts: the country phones without a country code are read in, given to contacts that have such a phone. */
  country: string | null;
}

/**
 * Which company each contact row will be written with, as resolveCompanies will decide it: a stored company with
 * the domain, else one with the name in any case, else a new one made once for every row naming it (a token
 * standing for it). The duplicate rule "the same name at the same company" compares rows by it.
 */
async function companyRefs(
  db: Kysely<DB>,
  orgId: string,
  companies: readonly ({ name: string; domain: string | null } | null)[],
): Promise<(string | null)[]> {
  const named = companies.filter((c) => c !== null);
  if (named.length === 0) return companies.map(() => null);
  const { byDomain, byName } = await storedCompanies(db, orgId, named);
  let fresh = 0;
  return companies.map((company) => {
    if (!company) return null;
    const { name, domain } = company;
    let ref = (domain ? byDomain.get(domain) : undefined) ?? byName.get(name.toLowerCase());
    if (!ref) {
      ref = `new-${fresh++}`;
      if (domain) byDomain.set(domain, ref);
      byName.set(name.toLowerCase(), ref);
    }
    return ref;
  });
}

/** A phone written without a country code ("070 123 45 67", not "+46 …" or "0046 …"): its country is needed. */
const isNational = (phone: string) => !/^\s*(\+|00)/.test(phone);

async function analyse(
  db: Kysely<DB>,
  caller: Scope["caller"],
  body: Body,
  report: Report,
): Promise<Analysis> {
  const { orgId } = caller;
  const definitions = await customFieldDefinitions(db, orgId, ENTITY_OF[body.entity]);
  const file = readFile(body, definitions);
  report({ phase: "reading", done: file.rows.length, total: file.rows.length });
  const rows = await checkRows(body.entity, file.rows, file.errors, definitions, report);
  const holders = await storedHolders(db, orgId, body.entity, [...new Set(rows.flatMap((r) => r.keys))]);
  const country =
    body.entity !== "contacts"
      ? null
      : body.country !== undefined
        ? body.country
        : await importingUserCountry(db, orgId, caller.userId);
  const refs =
    body.entity === "contacts"
      ? await companyRefs(
          db,
          orgId,
          rows.map((r) => r.contact?.record.company ?? null),
        )
      : [];
  const matchKeys =
    body.entity === "contacts"
      ? await contactRowKeys(
          db,
          rows.map((r, i) => (r.contact ? { ...r.contact.record, companyRef: refs[i] ?? null } : null)),
          country,
        )
      : await companyRowKeys(
          db,
          rows.map((r) => r.company?.record ?? null),
        );
  const keyed = rows.map((r, i) => ({ ...r, matchKeys: matchKeys[i] ?? [] }));
  const allMatchKeys = [...new Set(keyed.flatMap((r) => r.matchKeys))];
  const matchHolders =
    body.entity === "contacts"
      ? await contactsHoldingKeys(db, orgId, allMatchKeys)
      : await companiesHoldingKeys(db, orgId, allMatchKeys);
  const decisions = new Map((body.decisions ?? []).map((d) => [d.line, d.action]));
  const planned = planRows(keyed, holders, matchHolders, body.onDuplicate ?? "skip", decisions);
  requireCustomFields(planned, definitions);
  if (body.entity === "contacts") await requireStoredCompanies(db, orgId, planned);
  const errors = planned.flatMap((p) => p.row.errors);
  const invalidRows = planned.filter((p) => p.action === "error").length;
  const written = new Map<string, string>();
  for (const row of rows)
    for (const [key, form] of row.written) if (!written.has(key)) written.set(key, form);
  return { file, definitions, planned, holders, errors, invalidRows, written, country };
}

/** The column beside a canonical key: what was written, where it differs. */
const asWritten = (written: ReadonlyMap<string, string>, key: string | null): string | null => {
  const form = key === null ? undefined : written.get(key);
  return form === undefined || form === key ? null : form;
};

// ---------------------------------------------------------------------------------------------------------
// Preview

const LABELS: Record<string, string> = {
  displayName: "Name",
  firstName: "First name",
  lastName: "Last name",
  email: "Email address",
  phone: "Phone",
  title: "Job title",
  companyName: "Company",
  companyDomain: "Company domain",
  tags: "Tags",
  lifecycleStage: "Lifecycle stage",
  name: "Name",
  domain: "Domain",
  website: "Website",
  address: "Address",
};

export async function previewImport(scope: Scope, body: ImportPreviewRequest): Promise<ImportPreview> {
  const { file, definitions, planned, errors, invalidRows, country } = await analyse(
    scope.db,
    scope.caller,
    body,
    () => {},
  );
  const fieldOf = new Map(file.mapping.map((m) => [m.column, m.field]));
  const count = (action: Action) => planned.filter((p) => p.action === action).length;
  // Shown as the file wrote them; the keys they are matched by are canonical.
  const shown = (p: PlannedRow, key: string) => p.row.written.get(key) ?? key;
  const toRow = (p: PlannedRow): PreviewRow => ({
    line: p.row.raw.line,
    contact: p.row.contact
      ? {
          ...p.row.contact.record,
          emails: p.row.contact.record.emails.filter((e) => !p.dropped.has(e)).map((e) => shown(p, e)),
          company: p.row.contact.record.company && {
            ...p.row.contact.record.company,
            domain: p.row.contact.record.company.domain && shown(p, p.row.contact.record.company.domain),
          },
        }
      : null,
    company: p.row.company
      ? {
          ...p.row.company.record,
          domain:
            p.row.company.record.domain && !p.dropped.has(p.row.company.record.domain)
              ? shown(p, p.row.company.record.domain)
              : null,
        }
      : null,
    duplicate: p.duplicate && { ...p.duplicate, match: shown(p, p.duplicate.match) },
    action: p.action,
    errors: p.row.errors,
  });
  const builtIn = body.entity === "contacts" ? CONTACT_FIELDS : COMPANY_FIELDS;
  return {
    format: body.format,
    entity: body.entity,
    delimiter: file.delimiter,
    columns: file.header.map((header, index) => ({
      index,
      header: header.slice(0, 200),
      field: fieldOf.get(index) ?? null,
      samples: file.samples
        .map((cells) => (cells[index] ?? "").trim().slice(0, 200))
        .filter((cell) => cell !== "")
        .slice(0, 3),
    })),
    mapping: file.mapping,
    suggested: file.suggested,
    targets: [
      ...builtIn.map((field) => ({
        field,
        label: LABELS[field] ?? field,
        multiple: MULTI_VALUE_FIELDS.includes(field),
        type: null,
        required: field === "displayName" || field === "name",
      })),
      ...definitions.map((d) => ({
        field: `${CUSTOM_FIELD_PREFIX}${d.key}`,
        label: d.label,
        multiple: false,
        type: d.type,
        required: d.required,
      })),
    ],
    onDuplicate: body.onDuplicate ?? "skip",
    country,
    counts: {
      rows: planned.length,
      valid: planned.length - invalidRows,
      invalid: invalidRows,
      duplicatesOfRecords: planned.filter((p) => p.duplicate?.kind === "record").length,
      duplicatesInFile: planned.filter((p) => p.duplicate?.kind === "row").length,
      create: count("create"),
      update: count("update"),
      skip: count("skip"),
    },
    rows: planned.slice(0, body.rows ?? PREVIEW_ROWS).map(toRow),
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Commit: all rows or none

/**
 * Checks every row, then writes them all in one transaction (a few statements per 5,000 rows) with one audit
 * event, or, when any row has an error, writes nothing and answers 422 with the rows' errors. The organisation's
 * address lock is held throughout, so two imports (or an import and a colleague adding an address) take turns.
 */
export async function commitImport(
  scope: Scope,
  body: ImportCommitRequest,
  report: Report,
): Promise<ImportResult> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await lockOrganizationAddresses(tx, orgId);
    const analysis = await analyse(tx, scope.caller, body, report);
    if (analysis.invalidRows > 0) {
      const first = analysis.errors[0] as RowError;
      throw new AppError(
        "import_rows_invalid",
        422,
        `${analysis.invalidRows} row(s) cannot be imported, so none was (line ${first.line}${first.field ? `, ${first.field}` : ""}: ${first.message}).`,
        { rowErrors: analysis.errors.slice(0, MAX_LISTED_ERRORS) },
      );
    }
    const { planned } = analysis;
    const counts = {
      created: planned.filter((p) => p.action === "create").length,
      updated: planned.filter((p) => p.action === "update").length,
      skipped: planned.filter((p) => p.action === "skip").length,
    };
    const companiesCreated =
      body.entity === "contacts"
        ? await writeContacts(tx, scope, planned, analysis.written, analysis.country, report)
        : await writeCompanies(tx, scope, planned, analysis.written, report);
    const result: ImportResult = {
      entity: body.entity,
      rows: planned.length,
      ...counts,
      companiesCreated,
    };
    await recordAudit(
      tx,
      scope.caller,
      "import.committed",
      { type: "import", id: randomUUID() },
      { format: body.format, onDuplicate: body.onDuplicate, ...result },
    );
    return result;
  });
}

async function inBatches<T>(
  items: readonly T[],
  write: (batch: T[]) => Promise<unknown>,
  progress?: (done: number) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_BATCH) {
    await write(items.slice(i, i + WRITE_BATCH));
    progress?.(Math.min(items.length, i + WRITE_BATCH));
    // A turn of the event loop: the progress line goes out (PGlite answers without one) and others are served.
    await yieldToEventLoop();
  }
}

const json = (rows: unknown[]) => JSON.stringify(rows);

const readCompanies = async (tx: Kysely<DB>, orgId: string, ids: string[]) =>
  (
    await tx.selectFrom("companies").selectAll().where("org_id", "=", orgId).where("id", "in", ids).execute()
  ).map(toCompany);

/** A contact as it will be written: new, or a stored one with the rows' values merged in. */
interface ContactDraft {
  id: string;
  version: number | null;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  phones: string[];
  tags: string[];
  lifecycleStage: string | null;
  customFields: Record<string, unknown>;
  emails: string[];
  newEmails: string[];
  companyId: string | null;
  company: ImportedContact["company"];
  /** Stored: the contact's; given the import's when it has none and gets a phone without a country code. */
  country: string | null;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

function mergeContact(
  draft: ContactDraft,
  row: CheckedContact,
  emails: string[],
  country: string | null,
): void {
  const r = row.record;
  if (draft.country === null && r.phones.some(isNational)) draft.country = country;
  if (row.namedExplicitly) draft.displayName = r.displayName;
  draft.firstName = r.firstName ?? draft.firstName;
  draft.lastName = r.lastName ?? draft.lastName;
  draft.title = r.title ?? draft.title;
  draft.lifecycleStage = r.lifecycleStage ?? draft.lifecycleStage;
  draft.phones = union(draft.phones, r.phones);
  draft.tags = union(draft.tags, r.tags);
  draft.customFields = { ...draft.customFields, ...r.customFields };
  const added = emails.filter((e) => !draft.emails.includes(e));
  draft.emails.push(...added);
  draft.newEmails.push(...added);
  if (r.company) {
    draft.company = r.company;
    draft.companyId = null;
  }
}

async function writeContacts(
  tx: Kysely<DB>,
  scope: Scope,
  planned: readonly PlannedRow[],
  written: ReadonlyMap<string, string>,
  country: string | null,
  report: Report,
): Promise<number> {
  const { orgId, userId } = scope.caller;
  const created: ContactDraft[] = [];
  const updated = new Map<string, ContactDraft>();
  const storedIds = [
    ...new Set(
      planned.flatMap((p) => (p.action === "update" && p.target?.kind === "record" ? [p.target.id] : [])),
    ),
  ];
  for (let i = 0; i < storedIds.length; i += 10_000) {
    const chunk = storedIds.slice(i, i + 10_000);
    const rows = await tx
      .selectFrom("contacts as c")
      .select([
        "c.id",
        "c.version",
        "c.display_name",
        "c.first_name",
        "c.last_name",
        "c.title",
        "c.phones",
        "c.tags",
        "c.lifecycle_stage",
        "c.custom_fields",
        "c.company_id",
        "c.country",
      ])
      .where("c.org_id", "=", orgId)
      .where(sql<boolean>`c.id in (select unnest(${chunk}::uuid[]))`)
      .execute();
    // Their addresses in a query of their own: a subquery per contact was planned as a scan per contact.
    const addresses = await tx
      .selectFrom("contact_emails")
      .select(["contact_id", "address"])
      .where("org_id", "=", orgId)
      .where(sql<boolean>`contact_id in (select unnest(${chunk}::uuid[]))`)
      .orderBy("contact_id")
      .orderBy("position")
      .execute();
    const emailsOf = new Map<string, string[]>();
    for (const a of addresses) emailsOf.set(a.contact_id, [...(emailsOf.get(a.contact_id) ?? []), a.address]);
    for (const c of rows)
      updated.set(c.id, {
        id: c.id,
        version: c.version,
        displayName: c.display_name,
        firstName: c.first_name,
        lastName: c.last_name,
        title: c.title,
        phones: c.phones,
        tags: c.tags,
        lifecycleStage: c.lifecycle_stage,
        customFields: c.custom_fields,
        emails: emailsOf.get(c.id) ?? [],
        newEmails: [],
        companyId: c.company_id,
        company: null,
        country: c.country,
      });
  }
  for (const p of planned) {
    const row = p.row.contact;
    if (!row || !p.target) continue;
    const emails = row.record.emails.filter((e) => !p.dropped.has(e));
    if (p.target.kind === "record") {
      const draft = updated.get(p.target.id);
      if (draft) mergeContact(draft, row, emails, country);
    } else if (p.action === "create") {
      created.push({
        id: randomUUID(),
        version: null,
        ...row.record,
        emails,
        newEmails: [...emails],
        companyId: null,
        country: row.record.phones.some(isNational) ? country : null,
      });
    } else mergeContact(created[p.target.index] as ContactDraft, row, emails, country);
  }
  const drafts = [...created, ...updated.values()];
  const companiesCreated = await resolveCompanies(tx, scope, drafts, written);
  const total = drafts.length;
  const progress = (offset: number) => (done: number) =>
    report({ phase: "writing", done: offset + done, total });

  await inBatches(
    created,
    (batch) =>
      sql`
        insert into contacts (id, org_id, display_name, first_name, last_name, title, phones, company_id,
                              lifecycle_stage, tags, owner_id, source, custom_fields, country)
        select v.id, ${orgId}, v.display_name, v.first_name, v.last_name, v.title, v.phones, v.company_id,
               coalesce(v.lifecycle_stage, 'lead'), v.tags, ${userId}, 'import', v.custom_fields, v.country
        from jsonb_to_recordset(${json(batch.map(contactColumns))}::jsonb) as v(
          id uuid, display_name text, first_name text, last_name text, title text, phones text[], company_id uuid,
          lifecycle_stage text, tags text[], custom_fields jsonb, country text)`.execute(tx),
    progress(0),
  );
  const stale: string[] = [];
  await inBatches(
    [...updated.values()],
    async (batch) => {
      const result = await sql<{ id: string }>`
        update contacts c set display_name = v.display_name, first_name = v.first_name, last_name = v.last_name,
          title = v.title, phones = v.phones, company_id = v.company_id,
          lifecycle_stage = coalesce(v.lifecycle_stage, c.lifecycle_stage), tags = v.tags,
          custom_fields = v.custom_fields, country = v.country, version = c.version + 1, updated_at = now()
        from jsonb_to_recordset(${json(batch.map(contactColumns))}::jsonb) as v(
          id uuid, version int, display_name text, first_name text, last_name text, title text, phones text[],
          company_id uuid, lifecycle_stage text, tags text[], custom_fields jsonb, country text)
        where c.org_id = ${orgId} and c.id = v.id and c.version = v.version
        returning c.id`.execute(tx);
      if (result.rows.length !== batch.length) stale.push(...batch.map((d) => d.id));
    },
    progress(created.length),
  );
  // A colleague changed one of them between our read and our write (the import does not lock the records).
  if (stale.length)
    throw new AppError(
      "store_busy",
      503,
      "A contact changed while the file was imported; nothing was stored, try again.",
    );
  if (created.length > 0) await replanAfterBulkWrite(tx);
  const emails = drafts.flatMap((d) =>
    d.newEmails.map((address) => ({
      contact_id: d.id,
      address,
      address_as_written: asWritten(written, address),
      position: d.emails.indexOf(address),
    })),
  );
  await inBatches(emails, (batch) =>
    sql`
      insert into contact_emails (org_id, contact_id, address, address_as_written, position)
      select ${orgId}, v.contact_id, v.address, v.address_as_written, v.position
      from jsonb_to_recordset(${json(batch)}::jsonb) as v(
        contact_id uuid, address text, address_as_written text, position int)`.execute(tx),
  );
  // Emails logged earlier from these addresses now belong to their contacts, as when one contact is created.
  await inBatches(
    emails.map((e) => e.address),
    (batch) =>
      sql`
        update interaction_participants p set contact_id = e.contact_id
        from contact_emails e
        where p.org_id = ${orgId} and p.contact_id is null and e.org_id = ${orgId} and e.address = p.address
          and p.address in (select unnest(${batch}::text[]))`.execute(tx),
  );
  const readContacts = async (ids: string[]) =>
    (await selectContacts(tx, orgId).where("c.id", "in", ids).execute()).map(toContact);
  await emitEvents(
    tx,
    orgId,
    "contact.created",
    created.map((d) => d.id),
    readContacts,
  );
  await emitEvents(tx, orgId, "contact.updated", [...updated.keys()], readContacts);
  return companiesCreated;
}

function contactColumns(d: ContactDraft) {
  return {
    id: d.id,
    version: d.version,
    display_name: d.displayName,
    first_name: d.firstName,
    last_name: d.lastName,
    title: d.title,
    phones: d.phones,
    company_id: d.companyId,
    lifecycle_stage: d.lifecycleStage,
    tags: d.tags,
    custom_fields: d.customFields,
    country: d.country,
  };
}

/** The stored companies with these domains, and with these names in any case (the oldest of a name): their ids. */
async function storedCompanies(
  db: Kysely<DB>,
  orgId: string,
  companies: readonly { name: string; domain: string | null }[],
): Promise<{ byDomain: Map<string, string>; byName: Map<string, string> }> {
  const domains = [...new Set(companies.flatMap((c) => (c.domain ? [c.domain] : [])))];
  const names = [...new Set(companies.map((c) => c.name.toLowerCase()))];
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  for (let i = 0; i < Math.max(domains.length, names.length); i += 10_000) {
    const rows = await db
      .selectFrom("companies")
      .select(["id", "name", "domain"])
      .where("org_id", "=", orgId)
      .where((eb) =>
        eb.or([
          sql<boolean>`domain in (select unnest(${domains.slice(i, i + 10_000)}::text[]))`,
          sql<boolean>`lower(name) in (select unnest(${names.slice(i, i + 10_000)}::text[]))`,
        ]),
      )
      .orderBy("created_at")
      .execute();
    for (const r of rows) {
      if (r.domain) byDomain.set(r.domain, r.id);
      if (!byName.has(r.name.toLowerCase())) byName.set(r.name.toLowerCase(), r.id);
    }
  }
  return { byDomain, byName };
}

const isStored = (
  company: { name: string; domain: string | null },
  stored: { byDomain: Map<string, string>; byName: Map<string, string> },
) =>
  (company.domain !== null && stored.byDomain.has(company.domain)) ||
  stored.byName.has(company.name.toLowerCase());

/**
 * The companies the contacts name: a stored one with the domain, else one with the same name (in any case),
 * else a new one, made once however many contacts name it.
 */
async function resolveCompanies(
  tx: Kysely<DB>,
  scope: Scope,
  drafts: ContactDraft[],
  written: ReadonlyMap<string, string>,
): Promise<number> {
  const { orgId, userId } = scope.caller;
  const named = drafts.filter((d) => d.company !== null);
  if (named.length === 0) return 0;
  const { byDomain, byName } = await storedCompanies(
    tx,
    orgId,
    named.flatMap((d) => (d.company ? [d.company] : [])),
  );
  const fresh: { id: string; name: string; domain: string | null; domain_as_written: string | null }[] = [];
  for (const draft of named) {
    const { name, domain } = draft.company as { name: string; domain: string | null };
    let id = (domain ? byDomain.get(domain) : undefined) ?? byName.get(name.toLowerCase());
    if (!id) {
      id = randomUUID();
      fresh.push({ id, name, domain, domain_as_written: asWritten(written, domain) });
      if (domain) byDomain.set(domain, id);
      byName.set(name.toLowerCase(), id);
    }
    draft.companyId = id;
  }
  await inBatches(fresh, (batch) =>
    sql`
      insert into companies (id, org_id, name, domain, domain_as_written, owner_id)
      select v.id, ${orgId}, v.name, v.domain, v.domain_as_written, ${userId}
      from jsonb_to_recordset(${json(batch)}::jsonb) as v(
        id uuid, name text, domain text, domain_as_written text)`.execute(tx),
  );
  if (fresh.length > 0) await replanAfterBulkWrite(tx);
  await emitEvents(
    tx,
    orgId,
    "company.created",
    fresh.map((c) => c.id),
    (ids) => readCompanies(tx, orgId, ids),
  );
  return fresh.length;
}

interface CompanyDraft {
  id: string;
  version: number | null;
  name: string;
  /** Canonical. */
  domain: string | null;
  domain_as_written: string | null;
  phone: string | null;
  website: string | null;
  address: string | null;
  customFields: Record<string, unknown>;
}

function mergeCompany(
  draft: CompanyDraft,
  row: ImportedCompany,
  named: boolean,
  domain: { domain: string; domain_as_written: string | null } | null,
): void {
  if (named) draft.name = row.name;
  if (draft.domain === null && domain) Object.assign(draft, domain);
  draft.phone = row.phone ?? draft.phone;
  draft.website = row.website ?? draft.website;
  draft.address = row.address ?? draft.address;
  draft.customFields = { ...draft.customFields, ...row.customFields };
}

async function writeCompanies(
  tx: Kysely<DB>,
  scope: Scope,
  planned: readonly PlannedRow[],
  written: ReadonlyMap<string, string>,
  report: Report,
): Promise<number> {
  const { orgId, userId } = scope.caller;
  const created: CompanyDraft[] = [];
  const updated = new Map<string, CompanyDraft>();
  const storedIds = [
    ...new Set(
      planned.flatMap((p) => (p.action === "update" && p.target?.kind === "record" ? [p.target.id] : [])),
    ),
  ];
  for (let i = 0; i < storedIds.length; i += 10_000) {
    const rows = await tx
      .selectFrom("companies")
      .select([
        "id",
        "version",
        "name",
        "domain",
        "domain_as_written",
        "phone",
        "website",
        "address",
        "custom_fields",
      ])
      .where("org_id", "=", orgId)
      .where(sql<boolean>`id in (select unnest(${storedIds.slice(i, i + 10_000)}::uuid[]))`)
      .execute();
    for (const c of rows) updated.set(c.id, { ...c, customFields: c.custom_fields });
  }
  for (const p of planned) {
    const row = p.row.company?.record;
    if (!row || !p.target) continue;
    const domain =
      row.domain && !p.dropped.has(row.domain)
        ? { domain: row.domain, domain_as_written: asWritten(written, row.domain) }
        : null;
    const named = p.row.raw.values.has("name");
    if (p.target.kind === "record") {
      const draft = updated.get(p.target.id);
      if (draft) mergeCompany(draft, row, named, domain);
    } else if (p.action === "create")
      created.push({
        id: randomUUID(),
        version: null,
        ...row,
        domain: domain?.domain ?? null,
        domain_as_written: domain?.domain_as_written ?? null,
      });
    else mergeCompany(created[p.target.index] as CompanyDraft, row, named, domain);
  }
  const total = created.length + updated.size;
  const columns = (d: CompanyDraft) => ({ ...d, custom_fields: d.customFields, customFields: undefined });
  await inBatches(
    created,
    (batch) =>
      sql`
        insert into companies (id, org_id, name, domain, domain_as_written, phone, website, address, owner_id,
                               custom_fields)
        select v.id, ${orgId}, v.name, v.domain, v.domain_as_written, v.phone, v.website, v.address, ${userId},
               v.custom_fields
        from jsonb_to_recordset(${json(batch.map(columns))}::jsonb) as v(
          id uuid, name text, domain text, domain_as_written text, phone text, website text, address text,
          custom_fields jsonb)`.execute(tx),
    (done) => report({ phase: "writing", done, total }),
  );
  let stale = false;
  await inBatches(
    [...updated.values()],
    async (batch) => {
      const result = await sql<{ id: string }>`
        update companies c set name = v.name, domain = v.domain, domain_as_written = v.domain_as_written,
          phone = v.phone, website = v.website, address = v.address, custom_fields = v.custom_fields,
          version = c.version + 1, updated_at = now()
        from jsonb_to_recordset(${json(batch.map(columns))}::jsonb) as v(
          id uuid, version int, name text, domain text, domain_as_written text, phone text, website text,
          address text, custom_fields jsonb)
        where c.org_id = ${orgId} and c.id = v.id and c.version = v.version
        returning c.id`.execute(tx);
      if (result.rows.length !== batch.length) stale = true;
    },
    (done) => report({ phase: "writing", done: created.length + done, total }),
  );
  if (stale)
    throw new AppError(
      "store_busy",
      503,
      "A company changed while the file was imported; nothing was stored, try again.",
    );
  const read = (ids: string[]) => readCompanies(tx, orgId, ids);
  await emitEvents(
    tx,
    orgId,
    "company.created",
    created.map((d) => d.id),
    read,
  );
  await emitEvents(tx, orgId, "company.updated", [...updated.keys()], read);
  return 0;
}
