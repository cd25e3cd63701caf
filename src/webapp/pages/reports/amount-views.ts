import type { Conversion, PipelineByStage, WonLostByMonth } from "../../../shared/reports";
import { formatDate, formatMoney, formatNumber, formatRate } from "../../format";
import type { Amounts, ReportChartData, ReportColumn, ReportView } from "./definitions";

// The reports with amounts, seen two ways: in the base currency (each currency converted at its rate, those
// without one in a column of their own) or per currency (a line per currency, nothing converted). Amounts in
// different currencies are never added up here: the server's figures are shown as they come.

const column = (header: string, numeric = false): ReportColumn => ({ header, numeric });
const NONE = "–";
const currencyName = (currency: string | null) => currency ?? "No currency";
/** "Amount (EUR)": a figure's name with its currency, as the headings and legends write it everywhere. */
const inCurrency = (what: string, currency: string | null) => `${what} (${currency ?? "no currency"})`;

/** One small chart per currency, headed by its code, each on its own scale. */
const perCurrencyCharts = (
  currencies: (string | null)[],
  chart: (currency: string | null) => ReportChartData,
): ReportView["charts"] => currencies.map((c) => ({ heading: currencyName(c), chart: chart(c) }));
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
      column(inCurrency("Amount", base), true),
      column(inCurrency("Weighted amount", base), true),
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
    charts: [
      {
        heading: null,
        chart: {
          categories: result.rows.map((r) => r.stageName),
          series: [
            { legend: inCurrency("Amount", base), values: result.rows.map((r) => Number(r.inBase.amount)) },
            {
              legend: inCurrency("Weighted amount", base),
              values: result.rows.map((r) => Number(r.inBase.weightedAmount)),
            },
          ],
          yAxisTitle: inCurrency("Amount", base),
        },
      },
    ],
    conversion: conversionNote(result.conversion),
  };
  const currencies = currenciesOf(result.rows);
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
    charts: perCurrencyCharts(currencies, (currency) => {
      const of = (r: PipelineByStage["rows"][number]) => r.currencies.find((c) => c.currency === currency);
      return {
        categories: result.rows.map((r) => r.stageName),
        series: [
          {
            legend: inCurrency("Amount", currency),
            values: result.rows.map((r) => Number(of(r)?.amount ?? 0)),
          },
          {
            legend: inCurrency("Weighted amount", currency),
            values: result.rows.map((r) => Number(of(r)?.weightedAmount ?? 0)),
          },
        ],
        yAxisTitle: inCurrency("Amount", currency),
      };
    }),
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}

/** The currencies a report's lines are in, in the server's order (alphabetically, none last), each once. */
const currenciesOf = (rows: { currencies: { currency: string | null }[] }[]) => {
  const all = new Set(rows.flatMap((r) => r.currencies.map((c) => c.currency)));
  const named = [...all].filter((c): c is string => c !== null).sort();
  return all.has(null) ? [...named, null] : named;
};

export function wonLostViews(result: WonLostByMonth): Record<Amounts, ReportView> {
  const base = result.conversion.baseCurrency;
  const anyNotConverted = result.conversion.notConverted.length > 0;
  // In the base currency the chart counts deals, whatever their currency; per currency, each currency's amounts
  // have a small chart of their own.
  const counted: ReportView["charts"] = [
    {
      heading: null,
      chart: {
        categories: result.rows.map((r) => r.month),
        series: [
          { legend: "Won deals", values: result.rows.map((r) => r.wonDeals) },
          { legend: "Lost deals", values: result.rows.map((r) => r.lostDeals) },
        ],
        yAxisTitle: "Deals",
      },
    },
  ];
  const inBase: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column("Month"),
      column("Won deals", true),
      column(inCurrency("Won amount", base), true),
      column("Lost deals", true),
      column(inCurrency("Lost amount", base), true),
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
    charts: counted,
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
    charts: perCurrencyCharts(currenciesOf(result.rows), (currency) => {
      const of = (r: WonLostByMonth["rows"][number]) => r.currencies.find((c) => c.currency === currency);
      return {
        categories: result.rows.map((r) => r.month),
        series: [
          {
            legend: inCurrency("Won amount", currency),
            values: result.rows.map((r) => Number(of(r)?.wonAmount ?? 0)),
          },
          {
            legend: inCurrency("Lost amount", currency),
            values: result.rows.map((r) => Number(of(r)?.lostAmount ?? 0)),
          },
        ],
        yAxisTitle: inCurrency("Amount", currency),
      };
    }),
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}
