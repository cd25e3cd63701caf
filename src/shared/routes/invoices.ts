import { z } from "zod";
import { IdParams, Page } from "../common";
import {
  AccountQuery,
  AccountingBatch,
  AccountingBatchResult,
  AccountingImportRequest,
  AccountingImportResult,
  CompanyAccount,
  Invoice,
} from "../invoices";
import type { RouteContract } from "./contract";

/** Paging through a company's invoices, newest first. */
const InvoiceListQuery = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The accounting system's invoices and payments, and what a company owes and buys. */
export const invoiceRoutes = {
  upsertAccountingRecords: {
    method: "POST",
    path: "/api/v1/accounting/batch",
    summary:
      "Create or update invoices and payments by the accounting system's ids (admins): all or none; a record sent " +
      "as stored changes nothing; answers how many were created, updated and unchanged",
    body: AccountingBatch,
    responses: { 200: AccountingBatchResult },
    bodyLimit: 4 * 1024 * 1024,
  },
  importAccountingFile: {
    method: "POST",
    path: "/api/v1/accounting/import",
    summary:
      "Import invoices or payments from an accountant's CSV or Excel export (admins): all rows or none (422 " +
      "import_rows_invalid naming each line), idempotent like the batch; dryRun counts without storing",
    body: AccountingImportRequest,
    responses: { 200: AccountingImportResult },
    bodyLimit: 17 * 1024 * 1024,
  },
  listCompanyInvoices: {
    method: "GET",
    path: "/api/v1/companies/:id/invoices",
    summary: "A company's invoices, newest first, with what has been paid on each",
    params: IdParams,
    query: InvoiceListQuery,
    responses: { 200: Page(Invoice) },
  },
  getCompanyAccount: {
    method: "GET",
    path: "/api/v1/companies/:id/account",
    summary:
      "A company's open balance and overdue invoices per currency (overdue against today in timeZone), its last " +
      "purchases and how often it buys",
    params: IdParams,
    query: AccountQuery,
    responses: { 200: CompanyAccount },
  },
} as const satisfies Record<string, RouteContract>;
