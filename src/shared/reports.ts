import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./common";
import { Decimal } from "./currencies";
import { TimeZone } from "./time-zone";
import { StageKind } from "./pipelines";

// ---------------------------------------------------------------------------------------------------------
// Filters. Every report's query is strict: a filter a report does not take is refused, not silently ignored.

/** A calendar day whose midnight UTC PostgreSQL can hold (it has no year 0, and the contract stops at 9999). */
const Day = IsoDate.refine((value) => {
  const year = Number(value.slice(0, 4));
  return year >= 1 && year <= 9999;
}, "a date between the years 1 and 9999");

const period = {
  from: Day.optional().describe(
    "Start of the period, inclusive: a date (YYYY-MM-DD) taken from its midnight UTC. Unset: from the beginning.",
  ),
  to: Day.optional().describe(
    "End of the period, exclusive: a date (YYYY-MM-DD) up to its midnight UTC (to=2026-04-01 takes in all of " +
      "March 31). Unset: up to now and beyond. from = to is an empty period.",
  ),
};
const pipelineId = Id.optional().describe("The pipeline; by default the organisation's default pipeline.");

/** A period that ends before it starts is a mistake, not an empty report. */
const periodInOrder = <T extends { from?: string; to?: string }>(query: T) =>
  query.from === undefined || query.to === undefined || query.from <= query.to;
const periodIssue = { message: "`to` must not be before `from`", path: ["to"] };

export const PipelineByStageQuery = z
  .strictObject({
    pipelineId,
    ownerId: Id.optional().describe("Only the deals this user owns."),
    from: period.from.describe(
      "Only deals expected to close on or after this date (YYYY-MM-DD, inclusive); deals without an " +
        "expected close date are left out once a period is given.",
    ),
    to: period.to.describe("Only deals expected to close before this date (YYYY-MM-DD, exclusive)."),
  })
  .refine(periodInOrder, periodIssue);
export type PipelineByStageQuery = z.infer<typeof PipelineByStageQuery>;

export const WonLostByMonthQuery = z
  .strictObject({
    pipelineId,
    ownerId: Id.optional().describe("Only the deals this user owns."),
    ...period,
  })
  .refine(periodInOrder, periodIssue);
export type WonLostByMonthQuery = z.infer<typeof WonLostByMonthQuery>;

export const StageConversionQuery = z
  .strictObject({
    pipelineId,
    ownerId: Id.optional().describe("Only the deals this user owns."),
    from: period.from.describe(
      "Only entries into a stage on or after this date (YYYY-MM-DD, inclusive, from its midnight UTC).",
    ),
    to: period.to.describe("Only entries into a stage before this date (YYYY-MM-DD, exclusive)."),
  })
  .refine(periodInOrder, periodIssue);
export type StageConversionQuery = z.infer<typeof StageConversionQuery>;

export const ActivityByRepQuery = z
  .strictObject({
    ownerId: Id.optional().describe("Only the interactions this user logged."),
    ...period,
  })
  .refine(periodInOrder, periodIssue);
export type ActivityByRepQuery = z.infer<typeof ActivityByRepQuery>;

export const ContactsAddedQuery = z
  .strictObject({
    ownerId: Id.optional().describe("Only the contacts this user owns."),
    ...period,
  })
  .refine(periodInOrder, periodIssue);
export type ContactsAddedQuery = z.infer<typeof ContactsAddedQuery>;

export const OpenBalancesQuery = z.strictObject({
  ownerId: Id.optional().describe("Only the companies this user owns."),
  timeZone: TimeZone.default("UTC").describe(
    "Whose today decides what is overdue: an IANA time zone such as Europe/Stockholm; UTC when omitted.",
  ),
});
export type OpenBalancesQuery = z.infer<typeof OpenBalancesQuery>;

// ---------------------------------------------------------------------------------------------------------
// Answers. Amounts in different currencies are never added together: a report with amounts gives them per
// currency, and converted into the organisation's base currency at the rates an admin set, naming each rate and
// when it was set. A currency without a rate is never converted at a guess nor left out: it stays per currency,
// out of the base figures, and is named in `conversion.notConverted`. Amounts are exact decimals as text.

const Count = z.number().int().min(0);
/** The first day (a Monday) of an ISO week, in UTC. */
const Week = IsoDate;
/** A calendar month in UTC, YYYY-MM. */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const ReportPipeline = z.object({ id: Id, name: z.string() });
/** An amount to the cent, exact: "1234.50". */
const Amount = Decimal;

/** How a report's amounts were converted into the base currency. */
export const Conversion = z.object({
  baseCurrency: z.string(),
  /** The rate of each currency the report converted (the base itself needs none), as set, with when. */
  rates: z.array(z.object({ currency: z.string(), rate: Decimal, setAt: IsoDateTime })),
  /**
   * Currencies in the report with amounts but no rate to the base (null: deals without a currency): they are
   * shown per currency only, and every base figure leaves them out.
   */
  notConverted: z.array(z.string().nullable()),
});
export type Conversion = z.infer<typeof Conversion>;

/** A stage's deals in one currency (null: deals without a currency). */
export const PipelineStageCurrency = z.object({
  currency: z.string().nullable(),
  deals: Count,
  /** Their amounts added up, in this currency; a deal without an amount counts as 0. */
  amount: Amount,
  /** amount × the stage's probability / 100, rounded to the cent. */
  weightedAmount: Amount,
  /**
   * The same in the base currency: each × the currency's rate (1 for the base), rounded to the cent. Null when
   * the currency has no rate and amounts to convert: it is left out of the stage's base figures.
   */
  inBase: z.object({ amount: Amount, weightedAmount: Amount }).nullable(),
});
export type PipelineStageCurrency = z.infer<typeof PipelineStageCurrency>;

export const PipelineStageRow = z.object({
  stageId: Id,
  stageName: z.string(),
  position: z.number().int(),
  kind: StageKind,
  probability: z.number().int().min(0).max(100),
  /** Deals now in the stage, in every currency: for an open stage, its open deals. */
  deals: Count,
  /** Per currency, alphabetically, deals without a currency last; none for a stage without deals. */
  currencies: z.array(PipelineStageCurrency),
  /** The sums of the currencies' base figures: the deals of the currencies that could be converted. */
  inBase: z.object({ deals: Count, amount: Amount, weightedAmount: Amount }),
});
export type PipelineStageRow = z.infer<typeof PipelineStageRow>;
export const PipelineByStage = z.object({
  pipeline: ReportPipeline,
  conversion: Conversion,
  rows: z.array(PipelineStageRow),
});
export type PipelineByStage = z.infer<typeof PipelineByStage>;

/** A month's closings in one currency (null: deals without a currency). */
export const WonLostMonthCurrency = z.object({
  currency: z.string().nullable(),
  wonDeals: Count,
  wonAmount: Amount,
  lostDeals: Count,
  lostAmount: Amount,
  /** The same amounts in the base currency; null when the currency has no rate (and amounts to convert). */
  inBase: z.object({ wonAmount: Amount, lostAmount: Amount }).nullable(),
});
export type WonLostMonthCurrency = z.infer<typeof WonLostMonthCurrency>;

export const WonLostMonthRow = z.object({
  month: Month,
  /** In every currency. */
  wonDeals: Count,
  lostDeals: Count,
  /** Per currency, alphabetically, none last; none in a month without closings. */
  currencies: z.array(WonLostMonthCurrency),
  /** The sums of the currencies' base figures, and how many deals they cover. */
  inBase: z.object({ wonDeals: Count, wonAmount: Amount, lostDeals: Count, lostAmount: Amount }),
});
export type WonLostMonthRow = z.infer<typeof WonLostMonthRow>;
/** One row per month from the first closing to the last (months without one are zeros), by `closed_at` in UTC. */
export const WonLostByMonth = z.object({
  pipeline: ReportPipeline,
  conversion: Conversion,
  rows: z.array(WonLostMonthRow),
});
export type WonLostByMonth = z.infer<typeof WonLostByMonth>;

export const StageConversionRow = z.object({
  stageId: Id,
  stageName: z.string(),
  position: z.number().int(),
  kind: StageKind,
  /** Deals that entered the stage (created in it or moved to it) within the period. */
  entered: Count,
  /** Of those, the deals that left it for a won stage or an open stage further on (by position). */
  movedOn: Count,
  /** movedOn / entered; null when none entered. */
  conversionRate: z.number().min(0).max(1).nullable(),
  /** The median time, in days, from entering the stage to leaving it; deals still in it are not counted. */
  medianDaysInStage: z.number().min(0).nullable(),
});
export type StageConversionRow = z.infer<typeof StageConversionRow>;
export const StageConversion = z.object({ pipeline: ReportPipeline, rows: z.array(StageConversionRow) });
export type StageConversion = z.infer<typeof StageConversion>;

export const RepWeekRow = z.object({
  /** Who logged the interactions; null for those of a user since deleted. */
  userId: Id.nullable(),
  userName: z.string().nullable(),
  week: Week,
  emails: Count,
  calls: Count,
  meetings: Count,
  notes: Count,
  visits: Count,
  total: Count,
});
export type RepWeekRow = z.infer<typeof RepWeekRow>;
/** One row per rep and ISO week (UTC) with at least one interaction, by week, then rep. */
export const ActivityByRep = z.object({ rows: z.array(RepWeekRow) });
export type ActivityByRep = z.infer<typeof ActivityByRep>;

export const ContactsWeekRow = z.object({ week: Week, contacts: Count });
export type ContactsWeekRow = z.infer<typeof ContactsWeekRow>;
/** One row per ISO week (UTC) from the first contact added to the last (weeks without one are zeros). */
export const ContactsAdded = z.object({ rows: z.array(ContactsWeekRow) });
export type ContactsAdded = z.infer<typeof ContactsAdded>;

/**
 * One company's open invoices in one currency: what is owed (amounts less payments), and what of it is overdue.
 * Amounts with the currency's decimals.
 */
export const OpenBalanceRow = z.object({
  companyId: Id,
  companyName: z.string(),
  /** The company's owner; null for none (or one since deleted). */
  ownerId: Id.nullable(),
  ownerName: z.string().nullable(),
  currency: z.string(),
  openInvoices: Count,
  openBalance: Decimal,
  /** Open invoices with something left to pay, due before today. */
  overdueInvoices: Count,
  overdueAmount: Decimal,
  oldestDaysOverdue: z.number().int().min(1).nullable(),
  /**
   * The same in the base currency at its rate (1 for the base), with the base's decimals; null when the
   * currency has no rate.
   */
  inBase: z.object({ openBalance: Decimal, overdueAmount: Decimal }).nullable(),
});
export type OpenBalanceRow = z.infer<typeof OpenBalanceRow>;
/**
 * Every company with open invoices, a row per currency, by company name, then currency. No total: the rows are
 * in different currencies, and a reader who wants one adds up `inBase` of the converted ones.
 */
export const OpenBalances = z.object({
  today: IsoDate,
  timeZone: z.string(),
  conversion: Conversion,
  rows: z.array(OpenBalanceRow),
});
export type OpenBalances = z.infer<typeof OpenBalances>;
