import type { Conversion, PipelineByStage, WonLostByMonth } from "../../../shared/reports";
import { formatDate, formatMoney, formatNumber, formatRate } from "../../format";
import type { Amounts, ReportColumn, ReportView } from "./definitions";

// The reports with amounts, seen two ways: in the base currency (each currency converted at its rate, those
// without one in a column of their own) or per currency (a line per currency, nothing converted). Amounts in
// different currencies are never added up here: the server's figures are shown as they come.

const column = (header: string, numeric = false): ReportColumn => ({ header, numeric });
const NONE = "–";
const currencyName = (currency: string | null) => currency ?? "No currency";
/** Nothing to convert: a won or lost side of a currency whose deals had no amounts, or none. */
const isZero = (decimal: string) => /^-?0*(\.0*)?$/.test(decimal);

/** What the base figures were converted at, and what they leave out for want of a rate. */
export function conversionNote(conversion: Conversion): NonNullable<ReportView["conversion"]> {
  const base = conversion.baseCurrency;
  const rates = conversion.rates.map(
    (r) => `1 ${r.currency} = ${formatRate(r.rate)} ${base} (set ${formatDate(r.setAt)})`,
  );
  const missing = conversion.notConverted.map((c) => (c === null ? "deals without a currency" : c));
  return {
    text: rates.length
      ? `Amounts in ${base}, the base currency. Converted at ${rates.join("; ")}.`
      : `Amounts in ${base}, the base currency.`,
    notConverted: missing.length
      ? `Not converted, for want of a rate to ${base}: ${missing.join(", ")}. Their amounts are in the column “Not converted”, in their own currency; an admin sets rates in Settings.`
      : null,
  };
}

/** "USD 5,000.00, SEK 1,200.00": the figures a base total leaves out, each in its own currency. */
const notConverted = (lines: { currency: string | null; amount: string; converted: boolean }[]) =>
  lines
    .filter((l) => !l.converted)
    .map((l) => `${currencyName(l.currency)} ${formatMoney(l.amount)}`)
    .join(", ") || NONE;

export function pipelineViews(result: PipelineByStage): Record<Amounts, ReportView> {
  const base = result.conversion.baseCurrency;
  const anyNotConverted = result.conversion.notConverted.length > 0;
  const inBase: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column("Stage"),
      column("Probability", true),
      column("Deals", true),
      column(`Amount (${base})`, true),
      column(`Weighted amount (${base})`, true),
      ...(anyNotConverted ? [column("Not converted")] : []),
    ],
    rows: result.rows.map((r) => ({
      key: r.stageId,
      cells: [
        r.stageName,
        `${r.probability} %`,
        formatNumber(r.deals),
        formatMoney(r.inBase.amount),
        formatMoney(r.inBase.weightedAmount),
        ...(anyNotConverted
          ? [notConverted(r.currencies.map((c) => ({ ...c, converted: c.inBase !== null })))]
          : []),
      ],
    })),
    chart: {
      categories: result.rows.map((r) => r.stageName),
      series: [
        { legend: `Amount (${base})`, values: result.rows.map((r) => Number(r.inBase.amount)) },
        {
          legend: `Weighted amount (${base})`,
          values: result.rows.map((r) => Number(r.inBase.weightedAmount)),
        },
      ],
      yAxisTitle: `Amount (${base})`,
    },
    conversion: conversionNote(result.conversion),
  };
  const currencies = [...new Set(result.rows.flatMap((r) => r.currencies.map((c) => c.currency)))];
  const perCurrency: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column("Stage"),
      column("Probability", true),
      column("Currency"),
      column("Deals", true),
      column("Amount", true),
      column("Weighted amount", true),
    ],
    rows: result.rows.flatMap((r) =>
      r.currencies.length === 0
        ? [{ key: r.stageId, cells: [r.stageName, `${r.probability} %`, NONE, "0", "0.00", "0.00"] }]
        : r.currencies.map((c) => ({
            key: `${r.stageId}/${c.currency ?? ""}`,
            cells: [
              r.stageName,
              `${r.probability} %`,
              currencyName(c.currency),
              formatNumber(c.deals),
              formatMoney(c.amount),
              formatMoney(c.weightedAmount),
            ],
          })),
    ),
    chart: {
      categories: result.rows.map((r) => r.stageName),
      series: currencies.map((currency) => ({
        legend: `Amount in ${currencyName(currency)}`,
        values: result.rows.map((r) =>
          Number(r.currencies.find((c) => c.currency === currency)?.amount ?? 0),
        ),
      })),
      yAxisTitle: "Amount, each in its own currency",
    },
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}

export function wonLostViews(result: WonLostByMonth): Record<Amounts, ReportView> {
  const base = result.conversion.baseCurrency;
  const anyNotConverted = result.conversion.notConverted.length > 0;
  // Deals are counted, whatever their currency: the chart is the same both ways.
  const chart: ReportView["chart"] = {
    categories: result.rows.map((r) => r.month),
    series: [
      { legend: "Won deals", values: result.rows.map((r) => r.wonDeals) },
      { legend: "Lost deals", values: result.rows.map((r) => r.lostDeals) },
    ],
    yAxisTitle: "Deals",
  };
  const inBase: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column("Month"),
      column("Won deals", true),
      column(`Won amount (${base})`, true),
      column("Lost deals", true),
      column(`Lost amount (${base})`, true),
      ...(anyNotConverted ? [column("Not converted")] : []),
    ],
    rows: result.rows.map((r) => ({
      key: r.month,
      cells: [
        r.month,
        formatNumber(r.wonDeals),
        formatMoney(r.inBase.wonAmount),
        formatNumber(r.lostDeals),
        formatMoney(r.inBase.lostAmount),
        ...(anyNotConverted
          ? [
              notConverted(
                r.currencies.flatMap((c) => [
                  {
                    currency: c.currency,
                    amount: c.wonAmount,
                    converted: c.inBase !== null || isZero(c.wonAmount),
                  },
                  {
                    currency: c.currency,
                    amount: c.lostAmount,
                    converted: c.inBase !== null || isZero(c.lostAmount),
                  },
                ]),
              ),
            ]
          : []),
      ],
    })),
    chart,
    conversion: conversionNote(result.conversion),
  };
  const perCurrency: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column("Month"),
      column("Currency"),
      column("Won deals", true),
      column("Won amount", true),
      column("Lost deals", true),
      column("Lost amount", true),
    ],
    rows: result.rows.flatMap((r) =>
      r.currencies.length === 0
        ? [{ key: r.month, cells: [r.month, NONE, "0", "0.00", "0", "0.00"] }]
        : r.currencies.map((c) => ({
            key: `${r.month}/${c.currency ?? ""}`,
            cells: [
              r.month,
              currencyName(c.currency),
              formatNumber(c.wonDeals),
              formatMoney(c.wonAmount),
              formatNumber(c.lostDeals),
              formatMoney(c.lostAmount),
            ],
          })),
    ),
    chart,
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}
