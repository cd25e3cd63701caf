import { z } from "zod";
import { Id, IsoDate } from "./common";
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

// ---------------------------------------------------------------------------------------------------------
// Answers. Amounts add up the deals' amounts whatever their currency: one organisation, one currency, for now.

const Count = z.number().int().min(0);
/** The first day (a Monday) of an ISO week, in UTC. */
const Week = IsoDate;
/** A calendar month in UTC, YYYY-MM. */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const ReportPipeline = z.object({ id: Id, name: z.string() });

export const PipelineStageRow = z.object({
  stageId: Id,
  stageName: z.string(),
  position: z.number().int(),
  kind: StageKind,
  probability: z.number().int().min(0).max(100),
  /** Deals now in the stage: for an open stage, its open deals. */
  deals: Count,
  /** Their amounts added up; a deal without an amount counts as 0. */
  amount: z.number(),
  /** amount × the stage's probability / 100, rounded to the cent. */
  weightedAmount: z.number(),
});
export type PipelineStageRow = z.infer<typeof PipelineStageRow>;
export const PipelineByStage = z.object({ pipeline: ReportPipeline, rows: z.array(PipelineStageRow) });
export type PipelineByStage = z.infer<typeof PipelineByStage>;

export const WonLostMonthRow = z.object({
  month: Month,
  wonDeals: Count,
  wonAmount: z.number(),
  lostDeals: Count,
  lostAmount: z.number(),
});
export type WonLostMonthRow = z.infer<typeof WonLostMonthRow>;
/** One row per month from the first closing to the last (months without one are zeros), by `closed_at` in UTC. */
export const WonLostByMonth = z.object({ pipeline: ReportPipeline, rows: z.array(WonLostMonthRow) });
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
