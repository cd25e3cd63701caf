import type { ApiClient } from "../../../client/api-client";
import type { DownloadedFile, FileClient } from "../../../client/files";
import type { RatingsReport, RatingsReportRow } from "../../../shared/ratings";
import type { FileFormat } from "../../../shared/routes";
import { formatNumber, formatPercent } from "../../format";
import { pipelineViews, wonLostViews } from "./amount-views";
import { openBalanceViews } from "./open-balance-views";
import type { ReportWord, ReportWords } from "./report-messages";

/** The filters a report may take; each report sends only those it has (the server refuses the others). */
export interface ReportFilters {
  ownerId?: string;
  from?: string;
  to?: string;
  pipelineId?: string;
  /** A saved segment: the report takes its members' figures only. */
  segmentId?: string;
}

export interface ReportColumn {
  header: string;
  /** Right-aligned, and added up nowhere: a figure. */
  numeric: boolean;
}

/** How a report's amounts are shown: converted into the base currency, or each in its own currency. */
export type Amounts = "base" | "currency";

/** One bar chart: a group of bars per category, a bar per series. */
export interface ReportChartData {
  /** The bars' groups along the x axis, in order. */
  categories: string[];
  /** One bar per series in each group; the legend names what it counts and, for an amount, its currency. */
  series: { legend: string; values: number[] }[];
  yAxisTitle: string;
}

/** A report as the page shows it: the same rows as a table and as bars. */
export interface ReportView {
  /** The pipeline it is about, for the reports that have one. */
  pipeline: string | null;
  /** The organisation's base currency, for the reports with amounts. */
  baseCurrency: string | null;
  columns: ReportColumn[];
  rows: { key: string; cells: string[] }[];
  /**
   * One chart, or, for amounts per currency, one small chart per currency headed by its code: bars of
   * different currencies never share an axis, where DKK 95,000 would dwarf EUR 6,000.
   */
  charts: { heading: string | null; chart: ReportChartData }[];
  /** For amounts in the base currency: the rates they were converted at, and what was not converted. */
  conversion: { text: string; notConverted: string | null } | null;
  /** What several charts are, for a screen reader ("{title}, a chart per measure"); else one per currency. */
  chartsLabel?: string;
}

/**
 * A report's figures as the server sent them, shown both ways (the same view twice for a report without amounts)
 * in the words of the language shown: a change of language writes them again without asking the server again.
 */
export type LoadedReport = (t: ReportWords) => Record<Amounts, ReportView>;

export interface ReportDefinition {
  key: string;
  /** Its name and what it shows, as keys of the reports' catalogue. */
  title: ReportWord;
  description: ReportWord;
  filters: readonly (keyof ReportFilters)[];
  /** Whether it has amounts, which the page shows in the base currency or per currency. */
  amounts: boolean;
  /** `timeZone`: the reader's, for a report that counts against today (open balances' overdue). */
  load(api: ApiClient, filters: ReportFilters, timeZone: string): Promise<LoadedReport>;
  download(
    files: FileClient,
    format: FileFormat,
    filters: ReportFilters,
    timeZone: string,
  ): Promise<DownloadedFile>;
}

const num = (value: number) => formatNumber(value);
/** A report without amounts looks the same either way. */
const both = ({
  chart,
  ...view
}: Omit<ReportView, "baseCurrency" | "conversion" | "charts"> & { chart: ReportChartData }): Record<
  Amounts,
  ReportView
> => {
  const whole = { ...view, charts: [{ heading: null, chart }], baseCurrency: null, conversion: null };
  return { base: whole, currency: whole };
};
const text = (c: string, numeric = false): ReportColumn => ({ header: c, numeric });
const pick = (filters: ReportFilters, keys: readonly (keyof ReportFilters)[]) =>
  Object.fromEntries(keys.flatMap((k) => (filters[k] ? [[k, filters[k]]] : [])));

const DEAL_FILTERS = ["pipelineId", "ownerId", "from", "to"] as const;
const PEOPLE_FILTERS = ["ownerId", "from", "to"] as const;
const OWNER_FILTER = ["ownerId"] as const;
/** The ratings report's filters. */
const RATING_FILTERS = ["segmentId", "ownerId", "from", "to"] as const;

/** The reports of the server (GET /api/v1/reports/…), in the order the page lists them. */
export const reports: readonly ReportDefinition[] = [
  {
    key: "pipeline-by-stage",
    title: "titlePipelineByStage",
    description: "aboutPipelineByStage",
    filters: DEAL_FILTERS,
    amounts: true,
    async load(api, filters) {
      const result = await api("reportPipelineByStage", { query: pick(filters, DEAL_FILTERS) });
      return (t) => pipelineViews(t, result);
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportPipelineByStageCsv" : "reportPipelineByStageXlsx", {
        query: pick(filters, DEAL_FILTERS),
      }),
  },
  {
    key: "won-lost-by-month",
    title: "titleWonLostByMonth",
    description: "aboutWonLostByMonth",
    filters: DEAL_FILTERS,
    amounts: true,
    async load(api, filters) {
      const result = await api("reportWonLostByMonth", { query: pick(filters, DEAL_FILTERS) });
      return (t) => wonLostViews(t, result);
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportWonLostByMonthCsv" : "reportWonLostByMonthXlsx", {
        query: pick(filters, DEAL_FILTERS),
      }),
  },
  {
    key: "stage-conversion",
    title: "titleStageConversion",
    description: "aboutStageConversion",
    filters: DEAL_FILTERS,
    amounts: false,
    async load(api, filters) {
      const result = await api("reportStageConversion", { query: pick(filters, DEAL_FILTERS) });
      return (t) =>
        both({
          pipeline: result.pipeline.name,
          columns: [
            text(t.stage),
            text(t.entered, true),
            text(t.movedOn, true),
            text(t.conversion, true),
            text(t.medianDaysInStage, true),
          ],
          rows: result.rows.map((r) => ({
            key: r.stageId,
            cells: [
              r.stageName,
              num(r.entered),
              num(r.movedOn),
              r.conversionRate === null ? "–" : formatPercent(r.conversionRate),
              r.medianDaysInStage === null ? "–" : formatNumber(r.medianDaysInStage, 1),
            ],
          })),
          chart: {
            categories: result.rows.map((r) => r.stageName),
            series: [
              { legend: t.entered, values: result.rows.map((r) => r.entered) },
              { legend: t.movedOn, values: result.rows.map((r) => r.movedOn) },
            ],
            yAxisTitle: t.deals,
          },
        });
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportStageConversionCsv" : "reportStageConversionXlsx", {
        query: pick(filters, DEAL_FILTERS),
      }),
  },
  {
    key: "activity-by-rep",
    title: "titleActivityByRep",
    description: "aboutActivityByRep",
    filters: PEOPLE_FILTERS,
    amounts: false,
    async load(api, filters) {
      const result = await api("reportActivityByRep", { query: pick(filters, PEOPLE_FILTERS) });
      // The kinds' column names are the catalogue's words of the same name.
      const kinds = ["emails", "calls", "meetings", "notes", "visits"] as const;
      return (t) => {
        const repName = (r: { userName: string | null; userId: string | null }) =>
          r.userName ?? (r.userId ? t.unnamedUser : t.deletedUser);
        const reps = [...new Set(result.rows.map(repName))];
        return both({
          pipeline: null,
          columns: [text(t.weekOf), text(t.rep), ...kinds.map((k) => text(t[k], true)), text(t.total, true)],
          rows: result.rows.map((r) => ({
            key: `${r.week}/${r.userId ?? "deleted"}`,
            cells: [r.week, repName(r), ...kinds.map((k) => num(r[k])), num(r.total)],
          })),
          chart: {
            categories: reps,
            series: kinds.map((k) => ({
              legend: t[k],
              values: reps.map((rep) =>
                result.rows.filter((r) => repName(r) === rep).reduce((sum, r) => sum + r[k], 0),
              ),
            })),
            yAxisTitle: t.interactions,
          },
        });
      };
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportActivityByRepCsv" : "reportActivityByRepXlsx", {
        query: pick(filters, PEOPLE_FILTERS),
      }),
  },
  {
    key: "contacts-added",
    title: "titleContactsAdded",
    description: "aboutContactsAdded",
    filters: PEOPLE_FILTERS,
    amounts: false,
    async load(api, filters) {
      const result = await api("reportContactsAdded", { query: pick(filters, PEOPLE_FILTERS) });
      return (t) =>
        both({
          pipeline: null,
          columns: [text(t.weekOf), text(t.contactsAdded, true)],
          rows: result.rows.map((r) => ({ key: r.week, cells: [r.week, num(r.contacts)] })),
          chart: {
            categories: result.rows.map((r) => r.week),
            series: [{ legend: t.contactsAdded, values: result.rows.map((r) => r.contacts) }],
            yAxisTitle: t.contacts,
          },
        });
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportContactsAddedCsv" : "reportContactsAddedXlsx", {
        query: pick(filters, PEOPLE_FILTERS),
      }),
  },
  {
    key: "open-balances",
    title: "titleOpenBalances",
    description: "aboutOpenBalances",
    filters: OWNER_FILTER,
    amounts: true,
    async load(api, filters, timeZone) {
      const result = await api("reportOpenBalances", { query: { ...pick(filters, OWNER_FILTER), timeZone } });
      return (t) => openBalanceViews(t, result);
    },
    download: (files, format, filters, timeZone) =>
      files(format === "csv" ? "reportOpenBalancesCsv" : "reportOpenBalancesXlsx", {
        query: { ...pick(filters, OWNER_FILTER), timeZone },
      }),
  },
  {
    key: "ratings",
    title: "titleRatings",
    description: "aboutRatings",
    filters: RATING_FILTERS,
    amounts: false,
    async load(api, filters) {
      const result = await api("reportRatings", { query: pick(filters, RATING_FILTERS) });
      return (t) => ratingViews(t, result);
    },
    download: (files, format, filters) =>
      files(format === "csv" ? "reportRatingsCsv" : "reportRatingsXlsx", {
        query: pick(filters, RATING_FILTERS),
      }),
  },
];

/**
 * NPS and CSAT per month and owner: a row each, the whole period's total (the server's: an NPS is not the sum or
 * mean of the rows'), and a chart of each month's NPS and one of its mean CSAT. The two never share an axis (an
 * NPS runs from −100 to 100, a mean from 1 to 5), and a month without answers of a kind has no bar of that kind:
 * an NPS of 0 is a score (as many promoters as detractors), and a mean of 0 is none at all.
 */
function ratingViews(t: ReportWords, result: RatingsReport): Record<Amounts, ReportView> {
  const dash = (value: number | null, text: (v: number) => string) => (value === null ? "–" : text(value));
  const months = [...new Set(result.rows.map((r) => r.month))];
  const ofMonth = (month: string) => result.rows.filter((r) => r.month === month);
  const monthNps = (month: string) => {
    const rows = ofMonth(month);
    const answers = rows.reduce((sum, r) => sum + r.npsAnswers, 0);
    const net = rows.reduce((sum, r) => sum + r.promoters - r.detractors, 0);
    return answers === 0 ? null : Math.round((net / answers) * 1000) / 10;
  };
  const monthCsat = (month: string) => {
    const rows = ofMonth(month);
    const answers = rows.reduce((sum, r) => sum + r.csatAnswers, 0);
    const total = rows.reduce((sum, r) => sum + (r.csatAverage ?? 0) * r.csatAnswers, 0);
    return answers === 0 ? null : Math.round((total / answers) * 100) / 100;
  };
  /** The months with answers of a kind, each with its figure. */
  const chartOf = (legend: string, figure: (month: string) => number | null): ReportChartData => {
    const points = months.flatMap((month) => {
      const value = figure(month);
      return value === null ? [] : [{ month, value }];
    });
    return {
      categories: points.map((p) => p.month),
      series: [{ legend, values: points.map((p) => p.value) }],
      yAxisTitle: legend,
    };
  };
  const figures = (r: Omit<RatingsReportRow, "month" | "ownerId" | "ownerName">) => [
    num(r.npsAnswers),
    dash(r.nps, (v) => formatNumber(v, 1)),
    num(r.csatAnswers),
    dash(r.csatAverage, (v) => formatNumber(v, 2)),
    dash(r.csatSatisfied, formatPercent),
  ];
  const nps = chartOf(t.npsScore, monthNps);
  const csat = chartOf(t.csatAverage, monthCsat);
  const view: ReportView = {
    pipeline: null,
    baseCurrency: null,
    conversion: null,
    chartsLabel: t.chartPerMeasure,
    columns: [
      text(t.month),
      text(t.owner),
      text(t.npsAnswers, true),
      text(t.npsScore, true),
      text(t.csatAnswers, true),
      text(t.csatAverage, true),
      text(t.csatSatisfied, true),
    ],
    rows: [
      ...result.rows.map((r) => ({
        key: `${r.month}/${r.ownerId ?? "none"}`,
        cells: [r.month, r.ownerName ?? (r.ownerId ? t.unnamedUser : t.noOwner), ...figures(r)],
      })),
      ...(result.rows.length === 0 ? [] : [{ key: "total", cells: [t.total, "", ...figures(result.total)] }]),
    ],
    charts: [
      ...(nps.categories.length > 0 ? [{ heading: t.npsScore, chart: nps }] : []),
      ...(csat.categories.length > 0 ? [{ heading: t.csatAverage, chart: csat }] : []),
    ],
  };
  return { base: view, currency: view };
}

export const reportFor = (key: string): ReportDefinition =>
  reports.find((r) => r.key === key) ?? (reports[0] as ReportDefinition);
