import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./common";
import { Language } from "./languages";

// Customer ratings (issue 19): one question, NPS ("how likely are you to recommend us", 0–10) or CSAT ("how
// satisfied are you", 1–5), and a comment, answered on a public page from a signed link made for one contact.

export const RATING_KINDS = ["nps", "csat"] as const;
export const RatingKind = z.enum(RATING_KINDS);
export type RatingKind = z.infer<typeof RatingKind>;

/** The scores each kind takes, both ends included. */
export const RATING_SCALES: Record<RatingKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
};

/** How long a link takes answers (and changed answers). */
export const RATING_LINK_DAYS = 30;
/** The longest comment kept; the page's text box says so too. */
export const RATING_COMMENT_MAX_CHARS = 2000;

/** NPS: 9–10 promote, 0–6 detract. CSAT: 4–5 is satisfied. One rule for the report, profiles and the tests. */
export const isPromoter = (score: number) => score >= 9;
export const isDetractor = (score: number) => score <= 6;
export const isSatisfied = (score: number) => score >= 4;

export const RatingLinkCreate = z.strictObject({ kind: RatingKind });
export type RatingLinkCreate = z.infer<typeof RatingLinkCreate>;

export const RatingLink = z.object({
  kind: RatingKind,
  url: z.url(),
  /** The page's language: the contact's, else the rep's. */
  language: Language,
  expiresAt: IsoDateTime,
});
export type RatingLink = z.infer<typeof RatingLink>;

export const Rating = z.object({
  id: Id,
  contactId: Id,
  kind: RatingKind,
  score: z.number().int().min(0).max(10),
  comment: z.string().nullable(),
  language: Language,
  answeredAt: IsoDateTime,
});
export type Rating = z.infer<typeof Rating>;

/** One kind's figures on a profile: the latest answer, the one before it, and how it moved. */
export const RatingTrend = z.object({
  latest: z.number().int(),
  latestAt: IsoDateTime,
  previous: z.number().int().nullable(),
  /** latest − previous; null with a single answer. */
  change: z.number().int().nullable(),
  count: z.number().int().min(1),
});
export type RatingTrend = z.infer<typeof RatingTrend>;

/**
 * A contact's (or a company's, over its contacts) scores: each kind's trend, null when never answered, and the
 * latest answers with their comments.
 */
export const RatingSummary = z.object({
  nps: RatingTrend.nullable(),
  csat: RatingTrend.nullable(),
  /** `contactName`: who answered (their display name), as a company's page lists its contacts' answers. */
  recent: z.array(Rating.extend({ contactName: z.string().optional() })),
});
export type RatingSummary = z.infer<typeof RatingSummary>;

// ---------------------------------------------------------------------------------------------------------
// The report. Rows are grouped by month and by owner; `group` is where a further dimension (a saved segment)
// joins without changing the rows' shape.

/** A calendar day whose midnight UTC PostgreSQL can hold (as the other reports' periods: years 1 to 9999). */
const Day = IsoDate.refine((value) => {
  const year = Number(value.slice(0, 4));
  return year >= 1 && year <= 9999;
}, "a date between the years 1 and 9999");

/** A calendar month in UTC, YYYY-MM. */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

export const RatingsReportQuery = z
  .strictObject({
    ownerId: Id.optional().describe("Only the answers of contacts this user owned when they answered."),
    from: Day.optional().describe("Answers on or after this date (YYYY-MM-DD, from its midnight UTC)."),
    to: Day.optional().describe("Answers before this date (YYYY-MM-DD, exclusive)."),
    segmentId: Id.optional().describe(
      "Only the answers of the saved segment's members now (its filter as it holds today, never a contact who wants no marketing).",
    ),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "`to` must not be before `from`",
    path: ["to"],
  });
export type RatingsReportQuery = z.infer<typeof RatingsReportQuery>;

export const RatingsReportRow = z.object({
  month: Month,
  /** The contact's owner when they answered; null for a contact without one. */
  ownerId: Id.nullable(),
  ownerName: z.string().nullable(),
  npsAnswers: z.number().int().min(0),
  promoters: z.number().int().min(0),
  passives: z.number().int().min(0),
  detractors: z.number().int().min(0),
  /** promoters% − detractors%, −100 to 100, one decimal; null without NPS answers. */
  nps: z.number().nullable(),
  csatAnswers: z.number().int().min(0),
  /** The mean CSAT score, two decimals; null without CSAT answers. */
  csatAverage: z.number().nullable(),
  /** Share of CSAT answers of 4 or 5, 0–1; null without CSAT answers. */
  csatSatisfied: z.number().nullable(),
});
export type RatingsReportRow = z.infer<typeof RatingsReportRow>;

export const RatingsReport = z.object({
  rows: z.array(RatingsReportRow),
  /** The whole period, every owner together. */
  total: RatingsReportRow.omit({ month: true, ownerId: true, ownerName: true }),
});
export type RatingsReport = z.infer<typeof RatingsReport>;
