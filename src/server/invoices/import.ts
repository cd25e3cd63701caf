import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { z } from "zod";
import { canonicalDomain } from "../../shared/email-address";
import type { RowError } from "../../shared/errors";
import { MAX_IMPORT_COLUMNS } from "../../shared/imports";
import {
  ACCOUNTING_IMPORT_MAX_ROWS,
  ACCOUNTING_XLSX_MAX_BYTES,
  ACCOUNTING_XLSX_MAX_UNPACKED_BYTES,
  type AccountingImportField,
  type AccountingImportRequest,
  type AccountingImportResult,
  type AccountingBatchResult,
  INVOICE_IMPORT_FIELDS,
  InvoiceInput,
  PAYMENT_IMPORT_FIELDS,
  PaymentInput,
} from "../../shared/invoices";
import { AppError } from "../errors";
import { readCsv, unprotectCell } from "../imports/csv";
import type { Scope } from "../scope";
import { requireAccountingWriter, storeAccountingRecords } from "./service";
import { XlsxRefused, boundedXlsx } from "./xlsx-bound";

// An accountant's export of invoices or payments, as a CSV or an Excel workbook's first sheet, read into the
// batch's records and stored by the batch's own checks and writes: the same idempotency (a file imported twice
// changes nothing the second time), all rows or none, every refusal naming the file's line and the field.

export interface FileRow {
  line: number;
  cells: string[];
}

/** The header names an export commonly uses for each field, compared without case, spaces or punctuation. */
const HEADERS: Record<AccountingImportField, string[]> = {
  externalId: ["externalid", "id", "invoiceid", "paymentid"],
  number: ["number", "invoicenumber", "invoiceno", "invoicenr", "no"],
  companyId: ["companyid", "rapportcompanyid"],
  companyDomain: ["companydomain", "domain", "customerdomain"],
  companyName: ["company", "companyname", "customer", "customername", "client"],
  dealId: ["dealid"],
  issueDate: ["issuedate", "invoicedate", "date", "issued"],
  dueDate: ["duedate", "due", "paymentdue"],
  amount: ["amount", "total", "totalamount", "invoiceamount", "paidamount", "sum"],
  currency: ["currency", "currencycode", "curr"],
  status: ["status", "state"],
  invoice: ["invoice", "invoicenumber", "invoiceno", "invoiceexternalid", "invoiceid"],
  paidOn: ["paidon", "paymentdate", "datepaid", "paid", "date"],
};

export const normalise = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

export const refuse = (detail: string, path = "body.content") =>
  new AppError("invalid_request", 400, detail, { errors: [{ path, message: detail }] });

// ---------------------------------------------------------------------------------------------------------
// Reading the file

/** A CSV's or an Excel workbook's first sheet's rows (the price-list import reads its files with it too). */
export async function readRows(
  body: Pick<AccountingImportRequest, "format" | "content">,
  maxRows = ACCOUNTING_IMPORT_MAX_ROWS,
): Promise<{ header: string[]; rows: FileRow[] }> {
  if (body.format === "csv") {
    const table = readCsv(body.content, maxRows, MAX_IMPORT_COLUMNS);
    if (table.tooMany) throw refuse(`A file may hold at most ${maxRows} rows.`);
    if (table.tooManyBlank) throw refuse("The file has more blank rows than a spreadsheet holds.");
    if (table.tooWideAt !== null)
      throw refuse(
        `A file may have at most ${MAX_IMPORT_COLUMNS} columns; line ${table.tooWideAt} has more.`,
      );
    if (table.errors.length > 0) throw rowsRefused(table.errors);
    return {
      header: table.header,
      rows: table.rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => unprotectCell(c).trim()) })),
    };
  }
  const bytes = Buffer.from(body.content, "base64");
  if (bytes.length > ACCOUNTING_XLSX_MAX_BYTES)
    throw refuse(`An Excel file may be at most ${ACCOUNTING_XLSX_MAX_BYTES / 1024 / 1024} MB.`);
  let unpacked: Buffer;
  try {
    unpacked = boundedXlsx(bytes, ACCOUNTING_XLSX_MAX_UNPACKED_BYTES);
  } catch (error) {
    if (error instanceof XlsxRefused) throw refuse(error.message);
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(unpacked as unknown as ArrayBuffer);
  } catch {
    throw refuse("The content is not an Excel workbook (.xlsx) in base64.");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw refuse("The workbook has no sheet.");
  if (sheet.columnCount > MAX_IMPORT_COLUMNS)
    throw refuse(`A file may have at most ${MAX_IMPORT_COLUMNS} columns.`);
  let header: string[] | null = null;
  const rows: FileRow[] = [];
  let failure: AppError | null = null;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (failure) return;
    const cells: string[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) {
      const cell = row.getCell(column);
      cells.push(cellText(cell.value, cell.numFmt));
    }
    if (cells.every((c) => c === "")) return;
    if (header === null) header = cells;
    else if (rows.length >= maxRows) failure = refuse(`A file may hold at most ${maxRows} rows.`);
    else rows.push({ line, cells });
  });
  if (failure) throw failure;
  return { header: header ?? [], rows };
}

/** A number format that shows the value as a percentage ("0%", "0.00 %"), a literal % in quotes aside. */
const isPercentFormat = (numFmt: string | undefined) =>
  numFmt !== undefined && /%/.test(numFmt.replace(/"[^"]*"|\\./g, ""));

/**
 * A cell as text: a date cell as its day, a number as written to its last digit, a formula as its result. A
 * number formatted as a percentage is the percentage it shows ("25%"), not the fraction Excel keeps (0.25): a
 * VAT column read as 0.25 would tax at a quarter of a percent, and an amount column says "%" and is refused.
 */
function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number")
    return isPercentFormat(numFmt) ? `${numberText(value * 100)}%` : numberText(value);
  if (typeof value === "string") return value.trim();
  if (typeof value === "boolean") return String(value);
  if ("result" in value)
    return value.result === undefined ? "" : cellText(value.result as ExcelJS.CellValue, numFmt);
  if ("richText" in value)
    return value.richText
      .map((r) => r.text)
      .join("")
      .trim();
  if ("text" in value && typeof value.text === "string") return value.text.trim();
  return "";
}

/**
 * Excel keeps numbers as doubles: 14500.1 comes as 14500.1, but a computed cell may come as 14500.100000000002.
 * Ten decimals are more than any currency has, and less than a double's noise.
 */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(10).replace(/\.?0+$/, "");
  return fixed === "-0" ? "0" : fixed;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the cells

/**
 * An amount as accountants write it: "14500.00", "14500,00", "14 500,00", "14'500.00". One decimal separator,
 * a comma or a dot; spaces and apostrophes between thousands. A comma and a dot both ("14,500.00") are refused:
 * which one is the decimal point would be a guess, and a misread amount is a wrong balance.
 */
export function readAmount(text: string): string | null {
  const compact = text.replace(/[\s\u00a0\u202f']/g, "");
  if (compact.includes(",") && compact.includes(".")) return null;
  const amount = compact.replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(amount) ? amount : null;
}

/** A day as YYYY-MM-DD, or DD.MM.YYYY as Nordic and German exports write it; anything else is refused. */
function readDay(text: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (dotted)
    return `${dotted[3]}-${(dotted[2] as string).padStart(2, "0")}-${(dotted[1] as string).padStart(2, "0")}`;
  return null;
}

const STATUSES: Record<string, string> = {
  open: "open",
  unpaid: "open",
  sent: "open",
  paid: "paid",
  void: "void",
  cancelled: "void",
  canceled: "void",
  credited: "credited",
  creditnote: "credited",
};

// ---------------------------------------------------------------------------------------------------------
// The import

export const rowsRefused = (errors: RowError[]) => {
  const first = errors[0] as RowError;
  return new AppError(
    "import_rows_invalid",
    422,
    `${new Set(errors.map((e) => e.line)).size} row(s) cannot be imported, so none was (line ${first.line}${first.field ? `, ${first.field}` : ""}: ${first.message}).`,
    { rowErrors: errors.slice(0, 1000) },
  );
};

/** The column of each field: the one the request names, else the first whose header is a usual name. */
function columnsOf(
  header: string[],
  fields: readonly AccountingImportField[],
  named: AccountingImportRequest["columns"],
): Map<AccountingImportField, number> {
  const normalised = header.map(normalise);
  const columns = new Map<AccountingImportField, number>();
  const taken = new Set<number>();
  // The named columns first, then the usual names in the order the fields are listed.
  for (const field of fields) {
    const name = named?.[field];
    if (name === undefined) continue;
    const index = normalised.indexOf(normalise(name));
    if (index === -1) throw refuse(`No column of the file is headed "${name}".`, `body.columns.${field}`);
    columns.set(field, index);
    taken.add(index);
  }
  for (const field of fields) {
    if (columns.has(field)) continue;
    const index = normalised.findIndex((h, i) => !taken.has(i) && HEADERS[field].includes(h));
    if (index !== -1) {
      columns.set(field, index);
      taken.add(index);
    }
  }
  return columns;
}

const required = (line: number, field: string): RowError => ({
  line,
  field,
  code: "required",
  message: `${field} is required`,
  values: { label: field },
});
const refused = (line: number, field: string, message: string): RowError => ({
  line,
  field,
  code: "value_refused",
  message,
});

/** A schema's issues as the row's errors, on the import's field names. */
function issuesOf(line: number, error: z.ZodError, fieldOf: (path: string) => string): RowError[] {
  return error.issues.map((issue) => refused(line, fieldOf(String(issue.path[0] ?? "")), issue.message));
}

export async function importAccountingFile(
  scope: Scope,
  body: AccountingImportRequest,
): Promise<AccountingImportResult> {
  // Only a writer may find out what a file would do: the checks read companies and invoices by name.
  await requireAccountingWriter(scope.db, scope);
  const { header, rows } = await readRows(body);
  const fields = body.kind === "invoices" ? INVOICE_IMPORT_FIELDS : PAYMENT_IMPORT_FIELDS;
  const columns = columnsOf(header, fields, body.columns);
  const needed: AccountingImportField[] =
    body.kind === "invoices"
      ? ["number", "issueDate", "dueDate", "amount", "currency"]
      : ["invoice", "paidOn", "amount", "currency"];
  for (const field of needed)
    if (!columns.has(field))
      throw refuse(
        `The file has no column for ${field} (headed ${HEADERS[field].slice(0, 3).join(", ")}, or named in columns).`,
        `body.columns.${field}`,
      );
  if (
    body.kind === "invoices" &&
    !["companyId", "companyDomain", "companyName"].some((f) => columns.has(f as AccountingImportField))
  )
    throw refuse(
      "The file has no column naming the company (companyId, companyDomain or companyName).",
      "body.columns.companyName",
    );
  const cell = (row: FileRow, field: AccountingImportField): string => {
    const index = columns.get(field);
    return index === undefined ? "" : (row.cells[index] ?? "").trim();
  };

  const errors: RowError[] = [];
  const { records, lines } =
    body.kind === "invoices"
      ? await invoicesOf(scope, rows, cell, errors)
      : await paymentsOf(scope, rows, cell, errors);
  const batch =
    body.kind === "invoices"
      ? { invoices: records as InvoiceInput[], payments: [] }
      : { invoices: [], payments: records as PaymentInput[] };
  const fieldOfPath: Record<string, string> = { invoiceExternalId: "invoice" };
  let counts: AccountingBatchResult;
  try {
    counts = await scope.db.transaction().execute(async (tx) => {
      await requireAccountingWriter(tx, scope);
      // The rows that could be read meet the batch's checks too, so one answer names every bad line.
      const stored = await storeAccountingRecords(tx, { ...scope, db: tx }, batch);
      // A dry run, or a file with bad rows, goes as far as the writes and then takes them back.
      if (body.dryRun || errors.length > 0) throw new TakenBack(stored);
      return stored;
    });
  } catch (error) {
    if (error instanceof TakenBack) counts = error.counts;
    else if (error instanceof AppError && error.code === "invalid_request" && error.extras.errors) {
      // The batch's refusals name `body.<kind>.<index>.<field>`: said again as the file's line and column.
      for (const problem of error.extras.errors) {
        const [, , index, field = ""] = problem.path.split(".");
        const line = lines[Number(index)];
        if (line === undefined) throw error;
        errors.push(refused(line, fieldOfPath[field] ?? field, problem.message));
      }
      counts = { invoices: NONE, payments: NONE };
    } else throw error;
  }
  if (errors.length > 0) throw rowsRefused(errors.sort((a, b) => a.line - b.line));
  return { kind: body.kind, rows: rows.length, ...counts[body.kind], dryRun: body.dryRun };
}

const NONE = { created: 0, updated: 0, unchanged: 0 };

/** Ends a transaction whose writes were only to count. */
class TakenBack extends Error {
  constructor(readonly counts: AccountingBatchResult) {
    super("taken back");
  }
}

type Cell = (row: FileRow, field: AccountingImportField) => string;

async function invoicesOf(
  scope: Scope,
  rows: FileRow[],
  cell: Cell,
  errors: RowError[],
): Promise<{ records: InvoiceInput[]; lines: number[] }> {
  const { orgId } = scope.caller;
  // Companies named by domain or name, looked up once for the whole file.
  const domains = new Set<string>();
  const names = new Set<string>();
  for (const row of rows) {
    const domain = canonicalDomain(cell(row, "companyDomain"));
    if (domain) domains.add(domain);
    const name = cell(row, "companyName");
    if (name) names.add(name.toLowerCase());
  }
  const byDomain = new Map<string, string>();
  for (const part of chunks([...domains]))
    for (const c of await scope.db
      .selectFrom("companies")
      .select(["id", "domain"])
      .where("org_id", "=", orgId)
      .where("domain", "in", part)
      .execute())
      if (c.domain) byDomain.set(c.domain, c.id);
  const byName = new Map<string, string[]>();
  for (const part of chunks([...names]))
    for (const c of await scope.db
      .selectFrom("companies")
      .select(["id", sql<string>`lower(name)`.as("key")])
      .where("org_id", "=", orgId)
      .where(sql<string>`lower(name)`, "in", part)
      .execute())
      byName.set(c.key, [...(byName.get(c.key) ?? []), c.id]);

  const records: InvoiceInput[] = [];
  const lines: number[] = [];
  for (const row of rows) {
    const rowErrors: RowError[] = [];
    let companyId = cell(row, "companyId");
    let companyField = "companyId";
    if (!companyId && cell(row, "companyDomain")) {
      companyField = "companyDomain";
      const found = byDomain.get(canonicalDomain(cell(row, "companyDomain")) ?? "");
      if (found) companyId = found;
      else
        rowErrors.push(
          refused(row.line, "companyDomain", `no company has the domain ${cell(row, "companyDomain")}`),
        );
    } else if (!companyId && cell(row, "companyName")) {
      companyField = "companyName";
      const found = byName.get(cell(row, "companyName").toLowerCase()) ?? [];
      if (found.length === 1) companyId = found[0] as string;
      else
        rowErrors.push(
          refused(
            row.line,
            "companyName",
            found.length === 0
              ? `no company is named "${cell(row, "companyName")}"`
              : `${found.length} companies are named "${cell(row, "companyName")}": name it by domain or id`,
          ),
        );
    } else if (!companyId) rowErrors.push(required(row.line, "companyName"));

    const amount = readAmount(cell(row, "amount"));
    if (amount === null)
      rowErrors.push(
        cell(row, "amount")
          ? refused(row.line, "amount", "not an amount such as 14500.00")
          : required(row.line, "amount"),
      );
    const issueDate = readDay(cell(row, "issueDate"));
    const dueDate = readDay(cell(row, "dueDate"));
    for (const [field, day] of [
      ["issueDate", issueDate],
      ["dueDate", dueDate],
    ] as const)
      if (day === null)
        rowErrors.push(
          cell(row, field)
            ? refused(row.line, field, "not a date such as 2026-11-30 or 30.11.2026")
            : required(row.line, field),
        );
    const statusText = normalise(cell(row, "status"));
    const status = statusText === "" ? "open" : STATUSES[statusText];
    if (status === undefined)
      rowErrors.push(refused(row.line, "status", "one of open, paid, void, credited"));
    const number = cell(row, "number");
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const checked = InvoiceInput.safeParse({
      // Without an id of its own, an invoice is known by its number: importing the file again is idempotent.
      externalId: cell(row, "externalId") || number,
      number,
      companyId,
      ...(cell(row, "dealId") ? { dealId: cell(row, "dealId") } : {}),
      issueDate,
      dueDate,
      amount,
      currency: cell(row, "currency"),
      status,
    });
    if (!checked.success)
      errors.push(
        ...issuesOf(row.line, checked.error, (path) => (path === "companyId" ? companyField : path)),
      );
    else {
      records.push(checked.data);
      lines.push(row.line);
    }
  }
  return { records, lines };
}

async function paymentsOf(
  scope: Scope,
  rows: FileRow[],
  cell: Cell,
  errors: RowError[],
): Promise<{ records: PaymentInput[]; lines: number[] }> {
  const { orgId } = scope.caller;
  // A payment names its invoice by the accounting system's id or by the invoice number.
  const references = [...new Set(rows.map((r) => cell(r, "invoice")).filter((r) => r !== ""))];
  const byExternalId = new Set<string>();
  const byNumber = new Map<string, string[]>();
  for (const part of chunks(references))
    for (const invoice of await scope.db
      .selectFrom("invoices")
      .select(["external_id", "number"])
      .where("org_id", "=", orgId)
      .where((eb) => eb.or([eb("external_id", "in", part), eb("number", "in", part)]))
      .execute()) {
      byExternalId.add(invoice.external_id);
      byNumber.set(invoice.number, [...(byNumber.get(invoice.number) ?? []), invoice.external_id]);
    }

  const records: PaymentInput[] = [];
  const lines: number[] = [];
  // Without an id of its own, a payment is known by its invoice, day and amount, and which such one of the file
  // it is: importing the file again finds the same keys.
  const seen = new Map<string, number>();
  for (const row of rows) {
    const rowErrors: RowError[] = [];
    const reference = cell(row, "invoice");
    let invoiceExternalId: string | null = null;
    if (!reference) rowErrors.push(required(row.line, "invoice"));
    else if (byExternalId.has(reference)) invoiceExternalId = reference;
    else {
      const found = byNumber.get(reference) ?? [];
      if (found.length === 1) invoiceExternalId = found[0] as string;
      else
        rowErrors.push(
          refused(
            row.line,
            "invoice",
            found.length === 0
              ? `no invoice has the id or number ${reference}`
              : `${found.length} invoices have the number ${reference}: name it by the accounting system's id`,
          ),
        );
    }
    const amount = readAmount(cell(row, "amount"));
    if (amount === null)
      rowErrors.push(
        cell(row, "amount")
          ? refused(row.line, "amount", "not an amount such as 4500.00")
          : required(row.line, "amount"),
      );
    const paidOn = readDay(cell(row, "paidOn"));
    if (paidOn === null)
      rowErrors.push(
        cell(row, "paidOn")
          ? refused(row.line, "paidOn", "not a date such as 2026-11-30 or 30.11.2026")
          : required(row.line, "paidOn"),
      );
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const key = `${invoiceExternalId}/${paidOn}/${amount}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const checked = PaymentInput.safeParse({
      externalId: cell(row, "externalId") || `${key}/${occurrence}`,
      invoiceExternalId,
      paidOn,
      amount,
      currency: cell(row, "currency"),
    });
    if (!checked.success)
      errors.push(
        ...issuesOf(row.line, checked.error, (path) => (path === "invoiceExternalId" ? "invoice" : path)),
      );
    else {
      records.push(checked.data);
      lines.push(row.line);
    }
  }
  return { records, lines };
}

const CHUNK = 1000;
function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) parts.push(items.slice(i, i + CHUNK));
  return parts;
}
