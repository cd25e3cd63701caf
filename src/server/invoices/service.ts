import { type Kysely, sql } from "kysely";
import { withCurrencyDecimals } from "../../shared/currencies";
import {
  type AccountQuery,
  type AccountingBatch,
  type AccountingBatchResult,
  type CompanyAccount,
  type CurrencyBalance,
  type Invoice,
  type InvoiceInput,
  type InvoiceStatus,
  PURCHASE_FREQUENCY_DAYS,
  type PaymentInput,
} from "../../shared/invoices";
import { recordAuditForEach } from "../audit";
import { localDay } from "../dashboard/local-day";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import { decodeCursor, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";
import { z } from "zod";

// Invoices and payments are the accounting system's records: it writes them under its own ids (an admin's
// token: there is no other writer), and every member reads them. Writing the same record twice is the same as
// writing it once: a record whose every field is as stored is left alone (its updated_at too), so an
// accounting system can send its whole ledger every night and learn from the counts what actually changed.

interface InvoiceRow {
  id: string;
  external_id: string;
  number: string;
  company_id: string;
  deal_id: string | null;
  issue_date: string;
  due_date: string;
  amount: string;
  currency: string;
  status: InvoiceStatus;
  paid: string;
  created_at: Date;
  updated_at: Date;
}

const toInvoice = (row: InvoiceRow & { balance: string }): Invoice => ({
  id: row.id,
  externalId: row.external_id,
  number: row.number,
  companyId: row.company_id,
  dealId: row.deal_id,
  issueDate: row.issue_date,
  dueDate: row.due_date,
  amount: withCurrencyDecimals(row.amount, row.currency),
  currency: row.currency,
  status: row.status,
  paid: withCurrencyDecimals(row.paid, row.currency),
  balance: withCurrencyDecimals(row.balance, row.currency),
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

/** Invoices with what has been paid on each, amounts as exact text. */
function selectInvoices(db: Kysely<DB>, orgId: string) {
  const paid = sql<string>`coalesce((select sum(p.amount) from payments p
    where p.org_id = i.org_id and p.invoice_id = i.id), 0)`;
  return db
    .selectFrom("invoices as i")
    .select([
      "i.id",
      "i.external_id",
      "i.number",
      "i.company_id",
      "i.deal_id",
      "i.issue_date",
      "i.due_date",
      "i.currency",
      "i.status",
      "i.created_at",
      "i.updated_at",
    ])
    .select([
      sql<string>`i.amount::text`.as("amount"),
      sql<string>`${paid}::text`.as("paid"),
      sql<string>`(i.amount - ${paid})::text`.as("balance"),
    ])
    .where("i.org_id", "=", orgId);
}

async function requireCompany(scope: Scope, companyId: string): Promise<void> {
  const company = await scope.db
    .selectFrom("companies")
    .select("id")
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", companyId)
    .executeTakeFirst();
  if (!company) throw notFound("The company");
}

// ---------------------------------------------------------------------------------------------------------
// The accounting system's writes

type Problem = { path: string; message: string };

/**
 * Lists cut to this many for one statement: a file's import may hold tens of thousands of records, and a
 * statement takes at most 65,535 parameters.
 */
const CHUNK = 1000;
function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) parts.push(items.slice(i, i + CHUNK));
  return parts;
}

/** The first problems, at most this many, as the contract's own checks report them. */
const MAX_PROBLEMS = 50;

function refuse(problems: Problem[]): never {
  throw new AppError(
    "invalid_request",
    400,
    `Nothing was stored: ${problems
      .slice(0, 3)
      .map((p) => `${p.path}: ${p.message}`)
      .join("; ")}${problems.length > 3 ? "; …" : ""}`,
    { errors: problems.slice(0, MAX_PROBLEMS) },
  );
}

/** The ids among `ids` that are records of the organisation in `table`. */
async function knownIds(
  tx: Kysely<DB>,
  orgId: string,
  table: "companies" | "deals",
  ids: string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (const part of chunks([...new Set(ids)]))
    for (const row of await tx
      .selectFrom(table)
      .select("id")
      .where("org_id", "=", orgId)
      .where("id", "in", part)
      .execute())
      known.add(row.id);
  return known;
}

interface StoredInvoice {
  id: string;
  external_id: string;
  number: string;
  company_id: string;
  deal_id: string | null;
  issue_date: string;
  due_date: string;
  amount: string;
  currency: string;
  status: InvoiceStatus;
}

interface StoredPayment {
  id: string;
  external_id: string;
  invoice_id: string;
  paid_on: string;
  amount: string;
  currency: string;
}

const sameInvoice = (stored: StoredInvoice, input: InvoiceInput): boolean =>
  stored.number === input.number &&
  stored.company_id === input.companyId &&
  stored.deal_id === (input.dealId ?? null) &&
  stored.issue_date === input.issueDate &&
  stored.due_date === input.dueDate &&
  stored.currency === input.currency &&
  withCurrencyDecimals(stored.amount, stored.currency) ===
    withCurrencyDecimals(input.amount, input.currency) &&
  stored.status === input.status;

const samePayment = (stored: StoredPayment, input: PaymentInput, invoiceId: string): boolean =>
  stored.invoice_id === invoiceId &&
  stored.paid_on === input.paidOn &&
  stored.currency === input.currency &&
  withCurrencyDecimals(stored.amount, stored.currency) === withCurrencyDecimals(input.amount, input.currency);

const invoiceValues = (input: InvoiceInput) => ({
  number: input.number,
  company_id: input.companyId,
  deal_id: input.dealId ?? null,
  issue_date: input.issueDate,
  due_date: input.dueDate,
  amount: input.amount,
  currency: input.currency,
  status: input.status,
});

/**
 * Stores a batch of invoices and payments, all or none, in one transaction: every record is checked first (its
 * company, deal and invoice exist in the organisation, a payment is in its invoice's currency) and a batch with
 * a bad record is refused naming each (`body.payments.2.currency`), with nothing stored.
 */
export async function upsertAccountingRecords(
  scope: Scope,
  batch: AccountingBatch,
): Promise<AccountingBatchResult> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAccountingWriter(tx, scope);
    return storeAccountingRecords(tx, scope, batch);
  });
}

export const requireAccountingWriter = (tx: Kysely<DB>, scope: Scope) =>
  requireAdmin(tx, scope.caller, "writes invoices and payments (an accounting integration signs in as one)");

/**
 * The batch's checks and writes, inside the caller's transaction (the API's batch, a file's import). Refuses
 * with `body.invoices.N.field` paths.
 */
export async function storeAccountingRecords(
  tx: Kysely<DB>,
  scope: Scope,
  batch: Pick<AccountingBatch, "invoices" | "payments">,
): Promise<AccountingBatchResult> {
  const { orgId } = scope.caller;
  const problems: Problem[] = [];
  // Twice in one batch would be two writes of one record: which one holds would depend on the order.
  for (const [kind, records] of [
    ["invoices", batch.invoices],
    ["payments", batch.payments],
  ] as const) {
    const seen = new Set<string>();
    for (const [index, record] of records.entries()) {
      if (seen.has(record.externalId))
        problems.push({ path: `body.${kind}.${index}.externalId`, message: "sent twice in the batch" });
      seen.add(record.externalId);
    }
  }

  const [companies, deals] = await Promise.all([
    knownIds(
      tx,
      orgId,
      "companies",
      batch.invoices.map((i) => i.companyId),
    ),
    knownIds(
      tx,
      orgId,
      "deals",
      batch.invoices.flatMap((i) => (i.dealId ? [i.dealId] : [])),
    ),
  ]);
  for (const [index, invoice] of batch.invoices.entries()) {
    if (!companies.has(invoice.companyId))
      problems.push({ path: `body.invoices.${index}.companyId`, message: "no such company" });
    if (invoice.dealId && !deals.has(invoice.dealId))
      problems.push({ path: `body.invoices.${index}.dealId`, message: "no such deal" });
  }

  // The invoices the batch names, as stored: its own and those its payments pay. Locked until the batch ends:
  // a batch changing an invoice's currency and one paying it at the same moment must see each other, or the
  // payment would be stored in the old currency on an invoice in the new one (and its balance would subtract
  // one currency from another). Locked in one order (byte order of the ids), so two batches never wait on
  // each other in a circle.
  const invoiceExternalIds = [
    ...new Set([
      ...batch.invoices.map((i) => i.externalId),
      ...batch.payments.map((p) => p.invoiceExternalId),
    ]),
  ].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const storedInvoices = new Map<string, StoredInvoice>();
  for (const part of chunks(invoiceExternalIds))
    for (const row of await tx
      .selectFrom("invoices")
      .select([
        "id",
        "external_id",
        "number",
        "company_id",
        "deal_id",
        "issue_date",
        "due_date",
        "currency",
        "status",
        sql<string>`amount::text`.as("amount"),
      ])
      .where("org_id", "=", orgId)
      .where("external_id", "in", part)
      .orderBy(sql`external_id collate "C"`)
      .forUpdate()
      .execute())
      storedInvoices.set(row.external_id, row);

  const storedPayments = new Map<string, StoredPayment>();
  const paymentExternalIds = batch.payments.map((p) => p.externalId);
  for (const part of chunks(paymentExternalIds))
    for (const row of await tx
      .selectFrom("payments")
      .select([
        "id",
        "external_id",
        "invoice_id",
        "paid_on",
        "currency",
        sql<string>`amount::text`.as("amount"),
      ])
      .where("org_id", "=", orgId)
      .where("external_id", "in", part)
      .execute())
      storedPayments.set(row.external_id, row);

  // An invoice whose currency changes would leave its payments in another: refused while it has any.
  const recurrencied = batch.invoices.flatMap((input, index) => {
    const stored = storedInvoices.get(input.externalId);
    return stored && stored.currency !== input.currency ? [{ index, id: stored.id, input }] : [];
  });
  if (recurrencied.length > 0) {
    const paidIds = new Set<string>();
    for (const part of chunks(recurrencied.map((r) => r.id)))
      for (const row of await tx
        .selectFrom("payments")
        .select("invoice_id")
        .where("org_id", "=", orgId)
        .where("invoice_id", "in", part)
        .execute())
        paidIds.add(row.invoice_id);
    for (const { index, id } of recurrencied)
      if (paidIds.has(id))
        problems.push({
          path: `body.invoices.${index}.currency`,
          message: "the invoice has payments in its stored currency; it cannot change",
        });
  }

  // What each payment pays: the batch's own version of the invoice if it has one, else the stored one.
  const batchInvoices = new Map(batch.invoices.map((i) => [i.externalId, i]));
  for (const [index, payment] of batch.payments.entries()) {
    const invoice =
      batchInvoices.get(payment.invoiceExternalId) ?? storedInvoices.get(payment.invoiceExternalId);
    if (!invoice)
      problems.push({ path: `body.payments.${index}.invoiceExternalId`, message: "no such invoice" });
    else if (invoice.currency !== payment.currency)
      problems.push({
        path: `body.payments.${index}.currency`,
        message: `must be the invoice's currency, ${invoice.currency}`,
      });
  }
  if (problems.length > 0) refuse(problems);

  const result: AccountingBatchResult = {
    invoices: { created: 0, updated: 0, unchanged: 0 },
    payments: { created: 0, updated: 0, unchanged: 0 },
  };
  const audits: { action: string; type: string; id: string; details: Record<string, unknown> }[] = [];

  const invoiceIds = new Map<string, string>([...storedInvoices.values()].map((i) => [i.external_id, i.id]));
  const newInvoices: InvoiceInput[] = [];
  for (const input of batch.invoices) {
    const stored = storedInvoices.get(input.externalId);
    if (!stored) newInvoices.push(input);
    else if (sameInvoice(stored, input)) result.invoices.unchanged++;
    else {
      await tx
        .updateTable("invoices")
        .set({ ...invoiceValues(input), updated_at: sql`now()` })
        .where("org_id", "=", orgId)
        .where("id", "=", stored.id)
        .execute();
      result.invoices.updated++;
      audits.push({
        action: "invoice.updated",
        type: "invoice",
        id: stored.id,
        details: { externalId: input.externalId },
      });
    }
  }
  for (const part of chunks(newInvoices)) {
    const created = await tx
      .insertInto("invoices")
      .values(
        part.map((input) => ({
          org_id: orgId,
          external_id: input.externalId,
          ...invoiceValues(input),
        })),
      )
      .returning(["id", "external_id"])
      .execute();
    for (const row of created) {
      invoiceIds.set(row.external_id, row.id);
      audits.push({
        action: "invoice.created",
        type: "invoice",
        id: row.id,
        details: { externalId: row.external_id },
      });
    }
    result.invoices.created += created.length;
  }

  const newPayments: { input: PaymentInput; invoiceId: string }[] = [];
  for (const input of batch.payments) {
    // Checked above: every payment's invoice is stored or in the batch, so now stored.
    const invoiceId = invoiceIds.get(input.invoiceExternalId) as string;
    const stored = storedPayments.get(input.externalId);
    if (!stored) newPayments.push({ input, invoiceId });
    else if (samePayment(stored, input, invoiceId)) result.payments.unchanged++;
    else {
      await tx
        .updateTable("payments")
        .set({
          invoice_id: invoiceId,
          paid_on: input.paidOn,
          amount: input.amount,
          currency: input.currency,
          updated_at: sql`now()`,
        })
        .where("org_id", "=", orgId)
        .where("id", "=", stored.id)
        .execute();
      result.payments.updated++;
      audits.push({
        action: "payment.updated",
        type: "payment",
        id: stored.id,
        details: { externalId: input.externalId },
      });
    }
  }
  for (const part of chunks(newPayments)) {
    const created = await tx
      .insertInto("payments")
      .values(
        part.map(({ input, invoiceId }) => ({
          org_id: orgId,
          external_id: input.externalId,
          invoice_id: invoiceId,
          paid_on: input.paidOn,
          amount: input.amount,
          currency: input.currency,
        })),
      )
      .returning(["id", "external_id"])
      .execute();
    for (const row of created)
      audits.push({
        action: "payment.created",
        type: "payment",
        id: row.id,
        details: { externalId: row.external_id },
      });
    result.payments.created += created.length;
  }

  for (const action of new Set(audits.map((a) => a.action)))
    for (const part of chunks(audits.filter((a) => a.action === action)))
      await recordAuditForEach(tx, scope.caller, action, part);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

const InvoiceCursor = z.tuple([z.iso.date(), z.uuid()]);

/** A company's invoices, newest first, with what has been paid on each. */
export async function listCompanyInvoices(
  scope: Scope,
  companyId: string,
  query: { cursor?: string; limit: number },
) {
  await requireCompany(scope, companyId);
  const after = decodeCursor(query.cursor, InvoiceCursor);
  let select = selectInvoices(scope.db, scope.caller.orgId).where("i.company_id", "=", companyId);
  if (after)
    select = select.where(sql<boolean>`(i.issue_date, i.id) < (${after[0]}::date, ${after[1]}::uuid)`);
  const rows = await select
    .orderBy("i.issue_date", "desc")
    .orderBy("i.id", "desc")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toInvoice, (r) => [r.issue_date, r.id]);
}

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * What a company owes and buys. "Today" is the reader's (the query's time zone): an invoice due yesterday in
 * Stockholm is overdue there even while it is still yesterday in UTC.
 */
export async function companyAccount(
  scope: Scope,
  companyId: string,
  query: AccountQuery,
  now: Date,
): Promise<CompanyAccount> {
  await requireCompany(scope, companyId);
  const { orgId } = scope.caller;
  const today = localDay(query.timeZone, now).date;
  const since = addDays(today, -PURCHASE_FREQUENCY_DAYS);

  // Per currency, summed in numeric: never added across currencies, never through a float.
  const { rows: balances } = await sql<{
    currency: string;
    invoices: number;
    balance: string;
    overdue_invoices: number;
    overdue_balance: string;
    oldest_due: string | null;
  }>`
    with open as (
      select i.currency, i.due_date,
        i.amount - coalesce((select sum(p.amount) from payments p
          where p.org_id = i.org_id and p.invoice_id = i.id), 0) as balance
      from invoices i
      where i.org_id = ${orgId} and i.company_id = ${companyId} and i.status = 'open'
    )
    select currency, count(*)::int as invoices, sum(balance)::text as balance,
      count(*) filter (where due_date < ${today}::date and balance > 0)::int as overdue_invoices,
      coalesce(sum(balance) filter (where due_date < ${today}::date and balance > 0), 0)::text as overdue_balance,
      min(due_date) filter (where due_date < ${today}::date and balance > 0) as oldest_due
    from open
    group by currency
    order by currency`.execute(scope.db);

  const lastPurchases = await selectInvoices(scope.db, orgId)
    .where("i.company_id", "=", companyId)
    .where("i.status", "<>", "void")
    .orderBy("i.issue_date", "desc")
    .orderBy("i.created_at", "desc")
    .orderBy("i.id", "desc")
    .limit(5)
    .execute();

  // At most one date per day of the window: a bounded list, whatever the company's history.
  const { rows: dates } = await sql<{ issue_date: string; invoices: number }>`
    select issue_date, count(*)::int as invoices from invoices
    where org_id = ${orgId} and company_id = ${companyId} and status <> 'void'
      and issue_date >= ${since}::date and issue_date <= ${today}::date
    group by issue_date
    order by issue_date`.execute(scope.db);
  const gaps = dates
    .slice(1)
    .map((d, i) => daysBetween((dates[i] as { issue_date: string }).issue_date, d.issue_date));

  const line = (currency: string, invoices: number, balance: string): CurrencyBalance => ({
    currency,
    invoices,
    balance: withCurrencyDecimals(balance, currency),
  });
  const overdue = balances.filter((b) => b.overdue_invoices > 0);
  const oldestDue = overdue
    .map((b) => b.oldest_due as string)
    .sort()
    .at(0);
  return {
    companyId,
    today,
    timeZone: query.timeZone,
    openBalances: balances.map((b) => line(b.currency, b.invoices, b.balance)),
    overdue: {
      invoices: overdue.reduce((n, b) => n + b.overdue_invoices, 0),
      amounts: overdue.map((b) => line(b.currency, b.overdue_invoices, b.overdue_balance)),
      oldestDaysOverdue: oldestDue === undefined ? null : daysBetween(oldestDue, today),
    },
    lastPurchases: lastPurchases.map(toInvoice),
    purchaseFrequency: {
      since,
      invoices: dates.reduce((n, d) => n + d.invoices, 0),
      medianDaysBetween: median(gaps),
      lastPurchaseDate: lastPurchases[0]?.issue_date ?? null,
    },
  };
}
