import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./common";
import { InteractionKind } from "./interactions";
import { Task } from "./tasks";
import { TimeZone } from "./time-zone";

export const DashboardQuery = z.strictObject({
  /** The caller's time zone: it decides where "today" starts and ends. UTC when omitted. */
  timeZone: TimeZone.default("UTC"),
  /** Whose dashboard: the caller's by default; an admin may name a colleague, a member only themselves. */
  ownerId: Id.optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const ContactRef = z.object({ id: Id, displayName: z.string() });
const DealRef = z.object({ id: Id, name: z.string() });

/** An open task of the owner due before tomorrow starts in the time zone; complete it with PATCH /tasks/:id. */
export const FollowUp = Task.extend({
  /** Due before today started in the time zone; otherwise it is due today. */
  overdue: z.boolean(),
  contact: ContactRef.nullable(),
  deal: DealRef.nullable(),
});
export type FollowUp = z.infer<typeof FollowUp>;

export const AttentionReason = z.enum(["no_recent_activity", "close_date_passed", "stuck_in_stage"]);
export type AttentionReason = z.infer<typeof AttentionReason>;

/**
 * An open deal of the owner for which at least one rule holds:
 * - `no_recent_activity`: its last activity is 14 days (14 × 24 hours) or more before now. Its last activity is
 *   the latest of: an interaction linked to the deal (its `occurredAt`), a stage change of the deal (its creation
 *   included, which records one), a task of the deal marked done (its `doneAt`). Edits of the deal's fields,
 *   and open tasks, are not activity.
 * - `close_date_passed`: its expected close date is before today in the time zone (a deal due today is not late).
 * - `stuck_in_stage`: it has been in its current stage longer than the organisation's median stay in that stage.
 *   A stay ends when a deal leaves the stage (any deal of the organisation, closed ones included); it lasts from
 *   the stage change that entered the stage to the one that left it. A stage with fewer than 3 such exits has no
 *   median, and the rule does not apply to it.
 */
export const DealNeedingAttention = z.object({
  id: Id,
  name: z.string(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  expectedCloseDate: IsoDate.nullable(),
  stage: z.object({ id: Id, name: z.string(), probability: z.number().int() }),
  version: z.number().int().positive(),
  /** The rules that hold, in the order listed above; never empty. */
  reasons: z.array(AttentionReason).min(1),
  lastActivityAt: IsoDateTime,
  /** When it entered its current stage. */
  inStageSince: IsoDateTime,
  /** The organisation's median stay in this stage, in days; null when the stage has fewer than 3 exits. */
  medianDaysInStage: z.number().nullable(),
});
export type DealNeedingAttention = z.infer<typeof DealNeedingAttention>;

/** One of the latest interactions the owner logged (alone or with colleagues), newest first. */
export const RecentInteraction = z.object({
  id: Id,
  kind: InteractionKind,
  direction: z.enum(["in", "out"]).nullable(),
  occurredAt: IsoDateTime,
  subject: z.string().nullable(),
  /** The contacts among its participants, each once, in the order they appear (sender first for email). */
  contacts: z.array(ContactRef),
  deal: DealRef.nullable(),
});
export type RecentInteraction = z.infer<typeof RecentInteraction>;

/**
 * The owner's open deals in one currency (null: deals without one). Amounts in different currencies are never
 * added together. Deals without an amount count in `openDeals` and add nothing to the sums.
 */
export const PipelineInCurrency = z.object({
  currency: z.string().nullable(),
  openDeals: z.number().int(),
  total: z.number(),
  /** Σ amount × the stage's probability / 100, rounded to two decimals. */
  weighted: z.number(),
});
export type PipelineInCurrency = z.infer<typeof PipelineInCurrency>;

/** A bounded list and how many there are in all. */
const Capped = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

export const Dashboard = z.object({
  owner: z.object({ id: Id, email: z.string().nullable(), displayName: z.string().nullable() }),
  timeZone: z.string(),
  /** The date in the time zone when the dashboard was made. */
  today: IsoDate,
  generatedAt: IsoDateTime,
  /** Overdue first (oldest due first), then today's; at most 100. */
  followUps: Capped(FollowUp),
  /** Longest without activity first; at most 100. */
  dealsNeedingAttention: Capped(DealNeedingAttention),
  /** At most 10, newest first. */
  recentInteractions: z.array(RecentInteraction),
  /** One entry per currency, alphabetically, deals without a currency last. */
  pipeline: z.array(PipelineInCurrency),
});
export type Dashboard = z.infer<typeof Dashboard>;
