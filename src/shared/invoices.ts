import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./common";
import { CurrencyCode, Decimal, currencyDecimals } from "./currencies";
import { TimeZone } from "./time-zone";

// A customer's purchase and payment history, as the organisation's accounting system keeps it. Rapport does not
// invoice: the accounting system writes its invoices and payments here under its own ids (an idempotent upsert),
// and Rapport shows what a customer owes and how often they buy. Amounts are exact decimals as text with the
// currency's precision; amounts in different currencies are never added together.

/**
 * open: sent and not settled (it counts towards the open balance, and is overdue once its due date has passed);
 * paid: settled; void: cancelled before it counted; credited: cancelled by a credit note. Only `open` invoices owe
 * anything: the accounting system decides when an invoice is settled, Rapport does not infer it from payments.
 */
export const InvoiceStatus = z.enum(["open", "paid", "void", "credited"]);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

/** The accounting system's own id of a record: what makes sending it twice the same as sending it once. */
export const ExternalId = z.string().trim().min(1).max(200);

/** At most 13 digits before the point and the currency's decimals after it (checked with the currency). */
const PositiveAmount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,4})?$/, "a decimal amount as text, such as 1234.50, not negative");

/** The amount has no more decimals than its currency allows (EUR 2, JPY 0, KWD 3). */
function checkPrecision(
  record: { amount: string; currency: string },
  ctx: z.RefinementCtx,
  positive: boolean,
): void {
  const decimals = currencyDecimals(record.currency);
  const fraction = record.amount.split(".")[1] ?? "";
  if (fraction.length > decimals)
    ctx.addIssue({
      code: "custom",
      path: ["amount"],
      message: `${record.currency} amounts have at most ${decimals} decimals`,
    });
  if (positive && !/[1-9]/.test(record.amount))
    ctx.addIssue({ code: "custom", path: ["amount"], message: "a payment is more than 0" });
}

export const InvoiceInput = z
  .strictObject({
    externalId: ExternalId,
    /** The invoice number as the customer sees it. */
    number: z.string().trim().min(1).max(100),
    companyId: Id,
    dealId: Id.nullable().optional(),
    issueDate: IsoDate,
    dueDate: IsoDate,
    /** Not negative: a credit note is the `credited` status on the invoice it cancels. */
    amount: PositiveAmount,
    currency: CurrencyCode,
    status: InvoiceStatus,
  })
  .superRefine((invoice, ctx) => {
    checkPrecision(invoice, ctx, false);
    if (invoice.dueDate < invoice.issueDate)
      ctx.addIssue({ code: "custom", path: ["dueDate"], message: "must not be before issueDate" });
  });
export type InvoiceInput = z.infer<typeof InvoiceInput>;

export const PaymentInput = z
  .strictObject({
    externalId: ExternalId,
    /** The invoice paid, by the accounting system's id: sent in the same batch or before. */
    invoiceExternalId: ExternalId,
    paidOn: IsoDate,
    /** More than 0; in the invoice's currency. */
    amount: PositiveAmount,
    currency: CurrencyCode,
  })
  .superRefine((payment, ctx) => checkPrecision(payment, ctx, true));
export type PaymentInput = z.infer<typeof PaymentInput>;

/** The most records of each kind one batch takes; a larger export is sent in several. */
export const ACCOUNTING_BATCH_MAX = 1000;

/**
 * Invoices and payments to store, all or none: a batch with one bad record stores nothing and names it
 * (`body.invoices.3.amount`; an external id sent twice, at its second place). Payments may pay invoices of the
 * same batch.
 */
export const AccountingBatch = z.strictObject({
  invoices: z.array(InvoiceInput).max(ACCOUNTING_BATCH_MAX).default([]),
  payments: z.array(PaymentInput).max(ACCOUNTING_BATCH_MAX).default([]),
});
export type AccountingBatch = z.infer<typeof AccountingBatch>;

const Count = z.number().int().min(0);
/** What a batch did to each kind of record: a record sent as it is stored changes nothing, not even its time. */
export const UpsertCounts = z.object({ created: Count, updated: Count, unchanged: Count });
export type UpsertCounts = z.infer<typeof UpsertCounts>;

export const AccountingBatchResult = z.object({ invoices: UpsertCounts, payments: UpsertCounts });
export type AccountingBatchResult = z.infer<typeof AccountingBatchResult>;

export const Invoice = z.object({
  id: Id,
  externalId: z.string(),
  number: z.string(),
  companyId: Id,
  dealId: Id.nullable(),
  issueDate: IsoDate,
  dueDate: IsoDate,
  /** With the currency's decimals: "14500.00", "1200" (JPY). */
  amount: Decimal,
  currency: z.string(),
  status: InvoiceStatus,
  /** The payments' sum, in the invoice's currency. */
  paid: Decimal,
  /** amount − paid; owed only while the invoice is open. */
  balance: Decimal,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Invoice = z.infer<typeof Invoice>;

export const AccountQuery = z.strictObject({
  /** Whose "today" decides what is overdue: the reader's time zone, UTC when omitted. */
  timeZone: TimeZone.default("UTC"),
});
export type AccountQuery = z.infer<typeof AccountQuery>;

/** One currency's open invoices of a company. */
export const CurrencyBalance = z.object({
  currency: z.string(),
  invoices: Count,
  /** Their amounts less their payments, in this currency. */
  balance: Decimal,
});
export type CurrencyBalance = z.infer<typeof CurrencyBalance>;

/** The window purchase frequency is read over: the last two years, up to today. */
export const PURCHASE_FREQUENCY_DAYS = 730;

/**
 * A company's money at a glance, for the pane's company section and the web app's company page: what it owes,
 * what is late, what it last bought, how often it buys.
 */
export const CompanyAccount = z.object({
  companyId: Id,
  /** The day overdue is counted against: today in `timeZone`. */
  today: IsoDate,
  timeZone: z.string(),
  /** Open invoices per currency, alphabetically; none when nothing is open. Never added across currencies. */
  openBalances: z.array(CurrencyBalance),
  /** Open invoices with something left to pay whose due date is before today. */
  overdue: z.object({
    invoices: Count,
    /** Per currency, alphabetically. */
    amounts: z.array(CurrencyBalance),
    /** Days since the due date of the oldest; null when none is overdue. */
    oldestDaysOverdue: z.number().int().min(1).nullable(),
  }),
  /** The latest invoices that were not void, newest first (at most 5). */
  lastPurchases: z.array(Invoice),
  purchaseFrequency: z.object({
    /** The first day of the window: PURCHASE_FREQUENCY_DAYS before today. */
    since: IsoDate,
    /** Invoices (not void) issued in the window. */
    invoices: Count,
    /** The median of the days between consecutive invoice dates in the window; null with fewer than two dates. */
    medianDaysBetween: z.number().min(0).nullable(),
    lastPurchaseDate: IsoDate.nullable(),
  }),
});
export type CompanyAccount = z.infer<typeof CompanyAccount>;

// ---------------------------------------------------------------------------------------------------------
// Importing an accountant's export (CSV, or an Excel workbook's first sheet): the same checks and the same
// idempotent writes as the batch, all rows or none.

/** The most rows one file may hold. */
export const ACCOUNTING_IMPORT_MAX_ROWS = 50_000;
/** An XLSX file's bytes, before base64 (a zip: its sheets unpacked are several times this). */
export const ACCOUNTING_XLSX_MAX_BYTES = 10 * 1024 * 1024;
/**
 * What an XLSX file's parts may unpack to, in all: three times a 50,000-row export of a dozen columns, and a
 * bound on what a small zip of repeated bytes could make the server hold in memory.
 */
export const ACCOUNTING_XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

export const AccountingImportKind = z.enum(["invoices", "payments"]);
export type AccountingImportKind = z.infer<typeof AccountingImportKind>;

/** What a column can hold, by kind. A company is named by its Rapport id, its domain or its name. */
export const INVOICE_IMPORT_FIELDS = [
  "externalId",
  "number",
  "companyId",
  "companyDomain",
  "companyName",
  "dealId",
  "issueDate",
  "dueDate",
  "amount",
  "currency",
  "status",
] as const;
/** A payment's invoice is named by the accounting system's id or the invoice number. */
export const PAYMENT_IMPORT_FIELDS = ["externalId", "invoice", "paidOn", "amount", "currency"] as const;
export type AccountingImportField =
  (typeof INVOICE_IMPORT_FIELDS)[number] | (typeof PAYMENT_IMPORT_FIELDS)[number];

const Header = z.string().trim().min(1).max(200);

export const AccountingImportRequest = z.strictObject({
  kind: AccountingImportKind,
  format: z.enum(["csv", "xlsx"]),
  /** CSV: the file's text. XLSX: the file's bytes in base64. */
  content: z.string().max(16 * 1024 * 1024),
  /**
   * The header of the column for a field, where the file does not use one of the usual names (see
   * docs/accounting.md): `{ "number": "Fakturanr" }`.
   */
  columns: z
    .strictObject(
      Object.fromEntries(
        [...new Set([...INVOICE_IMPORT_FIELDS, ...PAYMENT_IMPORT_FIELDS])].map((f) => [f, Header.optional()]),
      ) as Record<AccountingImportField, z.ZodOptional<typeof Header>>,
    )
    .optional(),
  /** Check and count without storing: what the import would do. */
  dryRun: z.boolean().default(false),
});
export type AccountingImportRequest = z.infer<typeof AccountingImportRequest>;

export const AccountingImportResult = z.object({
  kind: AccountingImportKind,
  rows: Count,
  created: Count,
  updated: Count,
  unchanged: Count,
  /** True: nothing was stored, the counts say what an import would do. */
  dryRun: z.boolean(),
});
export type AccountingImportResult = z.infer<typeof AccountingImportResult>;
