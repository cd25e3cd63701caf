import type { Conversion, PipelineByStage, WonLostByMonth } from "../../../shared/reports";
import { formatDate, formatMoney, formatNumber, formatRate } from "../../format";
import type { Amounts, ReportChartData, ReportColumn, ReportView } from "./definitions";
import { translate } from "../../../shared/languages";
import type { ReportWords } from "./report-messages";

// The reports with amounts, seen two ways: in the base currency (each currency converted at its rate, those
// without one in a column of their own) or per currency (a line per currency, nothing converted). Amounts in
// different currencies are never added up here: the server's figures are shown as they come. Each view is built
// in the words of the language shown (t), from figures that need no new request when the language changes.

const column = (header: string, numeric = false): ReportColumn => ({ header, numeric });
const NONE = "–";
const currencyName = (t: ReportWords, currency: string | null) => currency ?? t.noCurrency;
/** "Amount (EUR)": a figure's name with its currency, as the headings and legends write it everywhere. */
const inCurrency = (t: ReportWords, what: string, currency: string | null) =>
  currency === null ? translate(t.withoutCurrency, { what }) : translate(t.inCurrency, { what, currency });
/** The figures of a line that has none, as the language writes a zero. */
const zeroMoney = () => formatMoney("0");

/** One small chart per currency, headed by its code, each on its own scale. */
const perCurrencyCharts = (
  t: ReportWords,
  currencies: (string | null)[],
  chart: (currency: string | null) => ReportChartData,
): ReportView["charts"] => currencies.map((c) => ({ heading: currencyName(t, c), chart: chart(c) }));
/** Nothing to convert: a won or lost side of a currency whose deals had no amounts, or none. */
const isZero = (decimal: string) => /^-?0*(\.0*)?$/.test(decimal);

/** What the base figures were converted at, and what they leave out for want of a rate. */
export function conversionNote(
  t: ReportWords,
  conversion: Conversion,
): NonNullable<ReportView["conversion"]> {
  const base = conversion.baseCurrency;
  const rates = conversion.rates.map((r) =>
    translate(t.rate, { currency: r.currency, rate: formatRate(r.rate), base, date: formatDate(r.setAt) }),
  );
  const missing = conversion.notConverted.map((c) => (c === null ? t.dealsWithoutCurrency : c));
  return {
    text: rates.length
      ? translate(t.basisConverted, { base, rates: rates.join("; ") })
      : translate(t.basis, { base }),
    notConverted: missing.length
      ? translate(t.notConvertedNote, { base, currencies: missing.join(", ") })
      : null,
  };
}

/** "USD 5,000.00, SEK 1,200.00": the figures a base total leaves out, each in its own currency. */
const notConverted = (
  t: ReportWords,
  lines: { currency: string | null; amount: string; converted: boolean }[],
) =>
  lines
    .filter((l) => !l.converted)
    .map((l) => `${currencyName(t, l.currency)} ${formatMoney(l.amount)}`)
    .join(", ") || NONE;

export function pipelineViews(t: ReportWords, result: PipelineByStage): Record<Amounts, ReportView> {
  const base = result.conversion.baseCurrency;
  const anyNotConverted = result.conversion.notConverted.length > 0;
  const inBase: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column(t.stage),
      column(t.probability, true),
      column(t.deals, true),
      column(inCurrency(t, t.amount, base), true),
      column(inCurrency(t, t.weightedAmount, base), true),
      ...(anyNotConverted ? [column(t.notConverted)] : []),
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
          ? [
              notConverted(
                t,
                r.currencies.map((c) => ({ ...c, converted: c.inBase !== null })),
              ),
            ]
          : []),
      ],
    })),
    charts: [
      {
        heading: null,
        chart: {
          categories: result.rows.map((r) => r.stageName),
          series: [
            {
              legend: inCurrency(t, t.amount, base),
              values: result.rows.map((r) => Number(r.inBase.amount)),
            },
            {
              legend: inCurrency(t, t.weightedAmount, base),
              values: result.rows.map((r) => Number(r.inBase.weightedAmount)),
            },
          ],
          yAxisTitle: inCurrency(t, t.amount, base),
        },
      },
    ],
    conversion: conversionNote(t, result.conversion),
  };
  const currencies = currenciesOf(result.rows);
  const perCurrency: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column(t.stage),
      column(t.probability, true),
      column(t.currency),
      column(t.deals, true),
      column(t.amount, true),
      column(t.weightedAmount, true),
    ],
    rows: result.rows.flatMap((r) =>
      r.currencies.length === 0
        ? [
            {
              key: r.stageId,
              cells: [r.stageName, `${r.probability} %`, NONE, formatNumber(0), zeroMoney(), zeroMoney()],
            },
          ]
        : r.currencies.map((c) => ({
            key: `${r.stageId}/${c.currency ?? ""}`,
            cells: [
              r.stageName,
              `${r.probability} %`,
              currencyName(t, c.currency),
              formatNumber(c.deals),
              formatMoney(c.amount),
              formatMoney(c.weightedAmount),
            ],
          })),
    ),
    charts: perCurrencyCharts(t, currencies, (currency) => {
      const of = (r: PipelineByStage["rows"][number]) => r.currencies.find((c) => c.currency === currency);
      return {
        categories: result.rows.map((r) => r.stageName),
        series: [
          {
            legend: inCurrency(t, t.amount, currency),
            values: result.rows.map((r) => Number(of(r)?.amount ?? 0)),
          },
          {
            legend: inCurrency(t, t.weightedAmount, currency),
            values: result.rows.map((r) => Number(of(r)?.weightedAmount ?? 0)),
          },
        ],
        yAxisTitle: inCurrency(t, t.amount, currency),
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

export function wonLostViews(t: ReportWords, result: WonLostByMonth): Record<Amounts, ReportView> {
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
          { legend: t.wonDeals, values: result.rows.map((r) => r.wonDeals) },
          { legend: t.lostDeals, values: result.rows.map((r) => r.lostDeals) },
        ],
        yAxisTitle: t.deals,
      },
    },
  ];
  const inBase: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column(t.month),
      column(t.wonDeals, true),
      column(inCurrency(t, t.wonAmount, base), true),
      column(t.lostDeals, true),
      column(inCurrency(t, t.lostAmount, base), true),
      ...(anyNotConverted ? [column(t.notConverted)] : []),
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
                t,
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
    conversion: conversionNote(t, result.conversion),
  };
  const perCurrency: ReportView = {
    pipeline: result.pipeline.name,
    baseCurrency: base,
    columns: [
      column(t.month),
      column(t.currency),
      column(t.wonDeals, true),
      column(t.wonAmount, true),
      column(t.lostDeals, true),
      column(t.lostAmount, true),
    ],
    rows: result.rows.flatMap((r) =>
      r.currencies.length === 0
        ? [
            {
              key: r.month,
              cells: [r.month, NONE, formatNumber(0), zeroMoney(), formatNumber(0), zeroMoney()],
            },
          ]
        : r.currencies.map((c) => ({
            key: `${r.month}/${c.currency ?? ""}`,
            cells: [
              r.month,
              currencyName(t, c.currency),
              formatNumber(c.wonDeals),
              formatMoney(c.wonAmount),
              formatNumber(c.lostDeals),
              formatMoney(c.lostAmount),
            ],
          })),
    ),
    charts: perCurrencyCharts(t, currenciesOf(result.rows), (currency) => {
      const of = (r: WonLostByMonth["rows"][number]) => r.currencies.find((c) => c.currency === currency);
      return {
        categories: result.rows.map((r) => r.month),
        series: [
          {
            legend: inCurrency(t, t.wonAmount, currency),
            values: result.rows.map((r) => Number(of(r)?.wonAmount ?? 0)),
          },
          {
            legend: inCurrency(t, t.lostAmount, currency),
            values: result.rows.map((r) => Number(of(r)?.lostAmount ?? 0)),
          },
        ],
        yAxisTitle: inCurrency(t, t.amount, currency),
      };
    }),
    conversion: null,
  };
  return { base: inBase, currency: perCurrency };
}
