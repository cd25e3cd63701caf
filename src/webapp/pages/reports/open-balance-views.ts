import type { OpenBalanceRow, OpenBalances } from "../../../shared/reports";
import { translate } from "../../../shared/languages";
import { formatMoney, formatNumber } from "../../format";
import { conversionNote } from "./amount-views";
import type { Amounts, ReportColumn, ReportView } from "./definitions";
import type { ReportWords } from "./report-messages";

// The open balances report (issue 18), seen two ways: per company in the base currency (each currency converted
// at its rate; one without a rate stays out of the base figures, in its own column) or a line per company and
// currency with nothing converted. Figures are the server's exact decimals; the only sums here are of amounts
// already in the base currency, added as integers of their smallest unit, never as floats.

const column = (header: string, numeric = false): ReportColumn => ({ header, numeric });
const NONE = "–";
const inCurrency = (t: ReportWords, what: string, currency: string) =>
  translate(t.inCurrency, { what, currency });

/** Exact sum of decimals given as text ("12.50" + "3.125" = "15.625"). */
export function addDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  const total = values.reduce((sum, v) => {
    const negative = v.startsWith("-");
    const [whole = "0", fraction = ""] = (negative ? v.slice(1) : v).split(".");
    const units = BigInt(`${whole}${fraction.padEnd(scale, "0")}`);
    return sum + (negative ? -units : units);
  }, 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const ownerName = (t: ReportWords, row: OpenBalanceRow) =>
  row.ownerName ?? (row.ownerId ? t.unnamedUser : t.noOwner);
const days = (value: number | null) => (value === null ? NONE : formatNumber(value, 0));
const isZero = (decimal: string) => !/[1-9]/.test(decimal);

/** The company's rows, one per currency, in the server's order (by company name). */
function byCompany(rows: OpenBalanceRow[]): OpenBalanceRow[][] {
  const groups = new Map<string, OpenBalanceRow[]>();
  for (const row of rows) groups.set(row.companyId, [...(groups.get(row.companyId) ?? []), row]);
  return [...groups.values()];
}

export function openBalanceViews(t: ReportWords, result: OpenBalances): Record<Amounts, ReportView> {
  const base = result.conversion.baseCurrency;
  const anyNotConverted = result.rows.some((r) => r.inBase === null);
  const companies = byCompany(result.rows).map((lines) => {
    const first = lines[0] as OpenBalanceRow;
    const converted = lines.flatMap((l) => (l.inBase ? [l.inBase] : []));
    const oldest = lines.map((l) => l.oldestDaysOverdue ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return {
      key: first.companyId,
      name: first.companyName,
      owner: ownerName(t, first),
      openInvoices: lines.reduce((n, l) => n + l.openInvoices, 0),
      overdueInvoices: lines.reduce((n, l) => n + l.overdueInvoices, 0),
      openBalance: addDecimals(converted.map((c) => c.openBalance)),
      overdueAmount: addDecimals(converted.map((c) => c.overdueAmount)),
      oldest: oldest === 0 ? null : oldest,
      notConverted: lines
        .filter((l) => l.inBase === null)
        .map((l) =>
          isZero(l.overdueAmount)
            ? `${l.currency} ${formatMoney(l.openBalance, l.currency)}`
            : translate(t.withOverdue, {
                amount: `${l.currency} ${formatMoney(l.openBalance, l.currency)}`,
                overdue: formatMoney(l.overdueAmount, l.currency),
              }),
        )
        .join(", "),
    };
  });
  const inBase: ReportView = {
    pipeline: null,
    baseCurrency: base,
    columns: [
      column(t.company),
      column(t.owner),
      column(t.openInvoices, true),
      column(inCurrency(t, t.openBalance, base), true),
      column(t.overdueInvoices, true),
      column(inCurrency(t, t.overdueAmount, base), true),
      column(t.oldestOverdueDays, true),
      ...(anyNotConverted ? [column(t.notConverted)] : []),
    ],
    rows: companies.map((c) => ({
      key: c.key,
      cells: [
        c.name,
        c.owner,
        formatNumber(c.openInvoices, 0),
        formatMoney(c.openBalance, base),
        formatNumber(c.overdueInvoices, 0),
        formatMoney(c.overdueAmount, base),
        days(c.oldest),
        ...(anyNotConverted ? [c.notConverted || NONE] : []),
      ],
    })),
    charts: [
      {
        heading: null,
        chart: {
          categories: companies.map((c) => c.name),
          series: [
            {
              legend: inCurrency(t, t.openBalance, base),
              values: companies.map((c) => Number(c.openBalance)),
            },
            {
              legend: inCurrency(t, t.overdueAmount, base),
              values: companies.map((c) => Number(c.overdueAmount)),
            },
          ],
          yAxisTitle: inCurrency(t, t.openBalance, base),
        },
      },
    ],
    conversion: conversionNote(t, result.conversion),
  };
  const currencies = [...new Set(result.rows.map((r) => r.currency))].sort();
  const perCurrency: ReportView = {
    pipeline: null,
    baseCurrency: base,
    columns: [
      column(t.company),
      column(t.owner),
      column(t.currency),
      column(t.openInvoices, true),
      column(t.openBalance, true),
      column(t.overdueInvoices, true),
      column(t.overdueAmount, true),
      column(t.oldestOverdueDays, true),
    ],
    rows: result.rows.map((r) => ({
      key: `${r.companyId}/${r.currency}`,
      cells: [
        r.companyName,
        ownerName(t, r),
        r.currency,
        formatNumber(r.openInvoices, 0),
        formatMoney(r.openBalance, r.currency),
        formatNumber(r.overdueInvoices, 0),
        formatMoney(r.overdueAmount, r.currency),
        days(r.oldestDaysOverdue),
      ],
    })),
    // A chart per currency, each on its own scale: never two currencies on one axis.
    charts: currencies.map((currency) => {
      const lines = result.rows.filter((r) => r.currency === currency);
      return {
        heading: currency,
        chart: {
          categories: lines.map((r) => r.companyName),
          series: [
            {
              legend: inCurrency(t, t.openBalance, currency),
              values: lines.map((r) => Number(r.openBalance)),
            },
            {
              legend: inCurrency(t, t.overdueAmount, currency),
              values: lines.map((r) => Number(r.overdueAmount)),
            },
          ],
          yAxisTitle: inCurrency(t, t.openBalance, currency),
        },
      };
    }),
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}
