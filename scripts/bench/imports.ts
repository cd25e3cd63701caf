// The contact import (npm run bench -- --import): a CSV of N contacts (default 100,000) as a spreadsheet exports
// it, previewed, committed into an empty organisation with NDJSON progress (the time to the first written batch
// splits reading and checking from writing), committed again with every row a duplicate to update, then the
// contacts exported as CSV. Then 10,000 invoices of those companies, as an accountant's CSV export, imported
// through the accounting import (goal ≤ 10 s) and imported again, every row unchanged. Everything over real HTTP,
// as the web app and an accounting integration will send it.
import { performance } from "node:perf_hooks";
import { ImportPreview, ImportProgressLine, type ImportResult } from "../../src/shared/imports";
import { AccountingImportResult } from "../../src/shared/invoices";
import { random } from "./stats";

export interface ImportBenchOptions {
  baseUrl: string;
  token: string;
  rows: number;
}

interface TimedCommit {
  ms: number;
  /** From the request to the first `writing` line: reading, checking, duplicates. */
  checkMs: number;
  result: ImportResult;
}

export interface ImportBenchReport {
  rows: number;
  fileMb: number;
  previewMs: number;
  create: TimedCommit;
  update: TimedCommit;
  exportCsvMs: number;
  exportedMb: number;
  exportedRows: number;
  goalSeconds: number;
  invoices: InvoiceImportReport;
}

export interface InvoiceImportReport {
  rows: number;
  companies: number;
  fileMb: number;
  createMs: number;
  againMs: number;
  created: number;
  unchanged: number;
  goalSeconds: number;
}

const INVOICE_ROWS = 10_000;
const INVOICE_GOAL_SECONDS = 10;

/** An open-items export: semicolons, decimal commas, dotted days, a status in words, as Nordic ledgers write it. */
function invoicesCsvOf(rows: number, companies: string[]): string {
  const pick = random(17);
  const lines = ["Invoice number;Customer;Invoice date;Due date;Amount;Currency;Status"];
  for (let i = 0; i < rows; i++) {
    const day = 1 + pick(28);
    const month = 1 + pick(12);
    const date = `${String(day).padStart(2, "0")}.${String(month).padStart(2, "0")}.2026`;
    const due = `2027-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    lines.push(
      [
        `INV-${100000 + i}`,
        `"${companies[i % companies.length] as string}"`,
        date,
        due,
        `${1 + pick(99_999)},${String(pick(100)).padStart(2, "0")}`,
        ["SEK", "EUR", "NOK"][pick(3)],
        ["Unpaid", "Paid", "Open"][pick(3)],
      ].join(";"),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

async function measureInvoiceImport(options: ImportBenchOptions): Promise<InvoiceImportReport> {
  const listed = await fetch(`${options.baseUrl}/api/v1/companies?limit=200`, {
    headers: { authorization: `Bearer ${options.token}` },
  });
  const companies = ((await listed.json()) as { items: { name: string }[] }).items.map((c) => c.name);
  if (companies.length === 0) throw new Error("the contact import made no companies to invoice");
  const content = invoicesCsvOf(INVOICE_ROWS, companies);
  const timed = async () => {
    const started = performance.now();
    const response = await post(options, "/api/v1/accounting/import", {
      kind: "invoices",
      format: "csv",
      content,
    });
    if (response.status !== 200)
      throw new Error(`the invoice import answered ${response.status}: ${await response.text()}`);
    return { ms: performance.now() - started, result: AccountingImportResult.parse(await response.json()) };
  };
  const create = await timed();
  const again = await timed();
  return {
    rows: INVOICE_ROWS,
    companies: companies.length,
    fileMb: Buffer.byteLength(content) / 2 ** 20,
    createMs: create.ms,
    againMs: again.ms,
    created: create.result.created,
    unchanged: again.result.unchanged,
    goalSeconds: INVOICE_GOAL_SECONDS,
  };
}

const GOAL_SECONDS = 30;

function csvOf(rows: number): string {
  const pick = random(11);
  const lines = ["First Name,Last Name,E-mail Address,Mobile Phone,Company,Website,Job Title,Categories"];
  for (let i = 0; i < rows; i++) {
    const company = pick(2_000);
    lines.push(
      [
        `First${i}`,
        `"Last ${i}, Jr."`,
        `person${i}@company${company}.example`,
        `+1 555 ${String(i).padStart(7, "0")}`,
        `Company ${company}`,
        `https://www.company${company}.example`,
        ["CEO", "CTO", "Buyer", "Engineer"][pick(4)],
        `"segment-${pick(5)};region-${pick(9)}"`,
      ].join(","),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

async function post(
  options: ImportBenchOptions,
  path: string,
  body: unknown,
  accept?: string,
): Promise<Response> {
  return fetch(`${options.baseUrl}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${options.token}`,
      "content-type": "application/json",
      ...(accept ? { accept } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function timedCommit(options: ImportBenchOptions, body: unknown): Promise<TimedCommit> {
  const started = performance.now();
  const response = await post(options, "/api/v1/imports/commit", body, "application/x-ndjson");
  if (response.status !== 200 || !response.body) throw new Error(`commit answered ${response.status}`);
  let checkMs = Number.NaN;
  let result: ImportResult | null = null;
  let buffered = "";
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    let end = buffered.indexOf("\n");
    while (end !== -1) {
      const line = ImportProgressLine.parse(JSON.parse(buffered.slice(0, end)));
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf("\n");
      if ("phase" in line && line.phase === "writing" && Number.isNaN(checkMs))
        checkMs = performance.now() - started;
      if ("error" in line) throw new Error(`the import failed: ${line.error.detail}`);
      if ("result" in line) result = line.result;
    }
  }
  if (!result) throw new Error("the import ended without a result");
  return { ms: performance.now() - started, checkMs, result };
}

export async function measureImport(options: ImportBenchOptions): Promise<ImportBenchReport> {
  const content = csvOf(options.rows);
  const base = { format: "csv", entity: "contacts", content };

  let started = performance.now();
  const previewed = await post(options, "/api/v1/imports/preview", { ...base, rows: 50 });
  const preview = ImportPreview.parse(await previewed.json());
  const previewMs = performance.now() - started;
  if (preview.counts.invalid) throw new Error(`the bench file has ${preview.counts.invalid} invalid rows`);

  const create = await timedCommit(options, { ...base, onDuplicate: "skip" });
  const update = await timedCommit(options, { ...base, onDuplicate: "update" });

  // An export stops at 50,000 rows, as every list's does: one tag (a fifth of the contacts) stays under it at
  // the default size.
  started = performance.now();
  const exported = await fetch(`${options.baseUrl}/api/v1/contacts/export.csv?tag=segment-0`, {
    headers: { authorization: `Bearer ${options.token}` },
  });
  if (exported.status !== 200)
    throw new Error(`the export answered ${exported.status}: ${await exported.text()}`);
  const exportedText = await exported.text();
  const exportCsvMs = performance.now() - started;
  const invoices = await measureInvoiceImport(options);
  return {
    rows: options.rows,
    fileMb: Buffer.byteLength(content) / 2 ** 20,
    previewMs,
    create,
    update,
    exportCsvMs,
    exportedMb: Buffer.byteLength(exportedText) / 2 ** 20,
    exportedRows: exportedText.split("\r\n").length - 2,
    goalSeconds: GOAL_SECONDS,
    invoices,
  };
}

export function printImport(report: ImportBenchReport, line: string): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
  const rate = (ms: number) => `${Math.round(report.rows / (ms / 1000)).toLocaleString("en-US")} rows/s`;
  const goal = (ms: number) =>
    `goal ≤ ${report.goalSeconds} s: ${ms <= report.goalSeconds * 1000 ? "met" : "MISSED"}`;
  console.log(
    `Import file    ${report.rows.toLocaleString("en-US")} contacts, ${report.fileMb.toFixed(1)} MB of CSV (BOM, quoted cells, 2,000 companies)`,
  );
  console.log(`${"preview (whole file checked, 50 rows shown)".padEnd(50)}${s(report.previewMs)}`);
  console.log(
    `${"commit, all new (check / whole)".padEnd(50)}${s(report.create.checkMs)}${s(report.create.ms)}   ` +
      `${rate(report.create.ms)}, ${report.create.result.created} created, ` +
      `${report.create.result.companiesCreated} companies   ${goal(report.create.ms)}`,
  );
  console.log(
    `${"commit again, every row an update (check / whole)".padEnd(50)}${s(report.update.checkMs)}${s(report.update.ms)}   ` +
      `${rate(report.update.ms)}, ${report.update.result.updated} updated`,
  );
  console.log(
    `${"export as CSV, one tag's contacts".padEnd(50)}${s(report.exportCsvMs)}   ${report.exportedRows.toLocaleString("en-US")} rows, ${report.exportedMb.toFixed(1)} MB`,
  );
  const invoices = report.invoices;
  console.log(
    `${`invoices: ${invoices.rows.toLocaleString("en-US")} imported (${invoices.companies} companies, ${invoices.fileMb.toFixed(1)} MB)`.padEnd(50)}${s(invoices.createMs)}   ` +
      `${invoices.created} created   goal ≤ ${invoices.goalSeconds} s: ${invoices.createMs <= invoices.goalSeconds * 1000 ? "met" : "MISSED"}`,
  );
  console.log(
    `${"invoices: the same file again".padEnd(50)}${s(invoices.againMs)}   ${invoices.unchanged} unchanged`,
  );
  console.log(line);
}
