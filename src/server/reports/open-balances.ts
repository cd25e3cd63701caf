import { sql } from "kysely";
import { currencyDecimals, withCurrencyDecimals } from "../../shared/currencies";
import type { OpenBalanceRow, OpenBalances, OpenBalancesQuery } from "../../shared/reports";
import { localDay } from "../dashboard/local-day";
import { notFound } from "../errors";
import { type Cell, type Column, type Table, tableOf } from "../export/table-file";
import type { Scope } from "../scope";
import { type CurrencyLine, conversionOf, rateCells, rateColumns, ratesByCurrency } from "./conversion";

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * What every company owes, per currency: its open invoices less their payments, and of that what was due before
 * today (in the query's time zone). Converted into the base currency only as the other reports convert, at the
 * rate an admin set, and named; a currency without a rate stays as it is and is listed in `notConverted`.
 */
export async function openBalances(scope: Scope, query: OpenBalancesQuery, now: Date): Promise<OpenBalances> {
  const { orgId } = scope.caller;
  if (query.ownerId) {
    const owner = await scope.db
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", orgId)
      .where("id", "=", query.ownerId)
      .executeTakeFirst();
    if (!owner) throw notFound("The user");
  }
  const today = localDay(query.timeZone, now).date;
  const { base_currency: base } = await scope.db
    .selectFrom("organizations")
    .select("base_currency")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  // Base figures are rounded to the base currency's own decimals (ISK and JPY have none).
  const baseDecimals = currencyDecimals(base);
  const { rows } = await sql<
    CurrencyLine & {
      company_id: string;
      company_name: string;
      owner_id: string | null;
      owner_name: string | null;
      currency: string;
      open_invoices: number;
      open_balance: string;
      overdue_invoices: number;
      overdue_amount: string;
      oldest_due: string | null;
      open_in_base: string | null;
      overdue_in_base: string | null;
    }
  >`
    with open as (
      select i.company_id, i.currency, i.due_date,
        i.amount - coalesce((select sum(p.amount) from payments p
          where p.org_id = i.org_id and p.invoice_id = i.id), 0) as balance
      from invoices i
      where i.org_id = ${orgId} and i.status = 'open'
    ),
    totals as (
      select company_id, currency, count(*)::int as open_invoices, sum(balance) as open_balance,
        count(*) filter (where due_date < ${today}::date and balance > 0)::int as overdue_invoices,
        coalesce(sum(balance) filter (where due_date < ${today}::date and balance > 0), 0) as overdue_amount,
        min(due_date) filter (where due_date < ${today}::date and balance > 0) as oldest_due
      from open
      group by company_id, currency
    ),
    lines as (
      select t.*, c.name as company_name, c.owner_id, coalesce(u.display_name, u.email) as owner_name,
        ${base}::text as base_currency,
        case when t.currency = ${base} then 1 else r.rate end as rate, r.set_at as rate_set_at
      from totals t
      join companies c on c.org_id = ${orgId} and c.id = t.company_id
      left join users u on u.org_id = c.org_id and u.id = c.owner_id
      left join exchange_rates r on r.org_id = ${orgId} and r.currency = t.currency
      where true ${query.ownerId ? sql`and c.owner_id = ${query.ownerId}` : sql``}
    )
    select company_id, company_name, owner_id, owner_name, base_currency, currency,
      trim_scale(rate)::text as rate, rate_set_at,
      open_invoices, open_balance::text as open_balance,
      overdue_invoices, overdue_amount::text as overdue_amount, oldest_due,
      case when rate is not null then round(open_balance * rate, ${baseDecimals}::int)::text end as open_in_base,
      case when rate is not null then round(overdue_amount * rate, ${baseDecimals}::int)::text end as overdue_in_base
    from lines
    order by lower(company_name), company_id, currency`.execute(scope.db);
  return {
    today,
    timeZone: query.timeZone,
    conversion: await conversionOf(scope, rows, (r) => r.open_in_base === null),
    rows: rows.map((r): OpenBalanceRow => ({
      companyId: r.company_id,
      companyName: r.company_name,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      currency: r.currency,
      openInvoices: r.open_invoices,
      openBalance: withCurrencyDecimals(r.open_balance, r.currency),
      overdueInvoices: r.overdue_invoices,
      overdueAmount: withCurrencyDecimals(r.overdue_amount, r.currency),
      oldestDaysOverdue: r.oldest_due === null ? null : daysBetween(r.oldest_due, today),
      inBase:
        r.open_in_base === null || r.overdue_in_base === null
          ? null
          : {
              openBalance: withCurrencyDecimals(r.open_in_base, base),
              overdueAmount: withCurrencyDecimals(r.overdue_in_base, base),
            },
    })),
  };
}

/** One line per company and currency; the currency in its own column, the base figures beside it, named. */
export function openBalancesTable(report: OpenBalances): Table {
  const base = report.conversion.baseCurrency;
  const rates = ratesByCurrency(report.conversion);
  const lines = report.rows.map((row): Record<string, Cell> => ({
    companyName: row.companyName,
    ownerName: row.ownerName,
    currency: row.currency,
    openInvoices: row.openInvoices,
    openBalance: row.openBalance,
    overdueInvoices: row.overdueInvoices,
    overdueAmount: row.overdueAmount,
    oldestDaysOverdue: row.oldestDaysOverdue,
    ...rateCells(row.currency, row.inBase !== null, base, rates),
    openBalanceInBase: row.inBase?.openBalance ?? null,
    overdueAmountInBase: row.inBase?.overdueAmount ?? null,
    companyId: row.companyId,
    ownerId: row.ownerId,
  }));
  return tableOf("open-balances", openBalancesColumns(base), lines);
}

export function openBalancesColumns(base: string): Column<Record<string, Cell>>[] {
  return [
    { key: "companyName", header: "Company", type: "text" },
    { key: "ownerName", header: "Owner", type: "text" },
    { key: "currency", header: "Currency", type: "text" },
    { key: "openInvoices", header: "Open invoices", type: "integer" },
    { key: "openBalance", header: "Open balance (in Currency)", type: "decimal" },
    { key: "overdueInvoices", header: "Overdue invoices", type: "integer" },
    { key: "overdueAmount", header: "Overdue amount (in Currency)", type: "decimal" },
    { key: "oldestDaysOverdue", header: "Oldest days overdue", type: "integer" },
    ...rateColumns(base),
    { key: "openBalanceInBase", header: `Open balance in ${base}`, type: "decimal" },
    { key: "overdueAmountInBase", header: `Overdue amount in ${base}`, type: "decimal" },
    { key: "notConverted", header: "Not converted", type: "text" },
    { key: "companyId", header: "Company id", type: "text" },
    { key: "ownerId", header: "Owner id", type: "text" },
  ];
}
