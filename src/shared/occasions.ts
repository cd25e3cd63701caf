import { z } from "zod";
import { Id, IsoDate, IsoDateTime, Version } from "./common";

/** Whether a year has 29 February (Gregorian). */
export const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * A birthday: day and month, the year when it is known. 29 February is a birthday like any other; in a year without
 * it the mail goes on 28 February (`celebratedOn`).
 */
export const Birthday = z
  .strictObject({
    day: z.number().int().min(1).max(31),
    month: z.number().int().min(1).max(12),
    year: z.number().int().min(1900).max(2100).nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.day > (DAYS_IN_MONTH[b.month - 1] ?? 31))
      ctx.addIssue({ code: "custom", path: ["day"], message: `month ${b.month} has no day ${b.day}` });
    else if (b.month === 2 && b.day === 29 && b.year != null && !isLeapYear(b.year))
      ctx.addIssue({ code: "custom", path: ["day"], message: `${b.year} had no 29 February` });
  });
export type Birthday = z.infer<typeof Birthday>;

/** The day (month and day) a birthday is celebrated in `year`: 29 February falls on 28 February in other years. */
export function celebratedOn(
  birthday: { day: number; month: number },
  year: number,
): { day: number; month: number } {
  if (birthday.month === 2 && birthday.day === 29 && !isLeapYear(year)) return { month: 2, day: 28 };
  return { month: birthday.month, day: birthday.day };
}

export const OccasionRuleScope = z.enum(["organization", "personal"]);
export type OccasionRuleScope = z.infer<typeof OccasionRuleScope>;

export const OccasionKind = z.enum(["birthday", "won_deal"]);
export type OccasionKind = z.infer<typeof OccasionKind>;

/** draft: a draft in the rep's mailbox for them to review and send; send: sent from it, for reps who allowed it. */
export const OccasionMode = z.enum(["draft", "send"]);
export type OccasionMode = z.infer<typeof OccasionMode>;

/** When a won deal's mail goes: N days after the win, or every year on the day it was won. */
export const WonDealTiming = z.union([
  z.strictObject({ afterDays: z.number().int().min(1).max(3650) }),
  z.strictObject({ yearly: z.literal(true) }),
]);
export type WonDealTiming = z.infer<typeof WonDealTiming>;

export const OccasionRule = z.object({
  id: Id,
  scope: OccasionRuleScope,
  ownerId: Id.nullable(),
  name: z.string(),
  kind: OccasionKind,
  /** Null for a birthday. */
  timing: WonDealTiming.nullable(),
  templateId: Id,
  mode: OccasionMode,
  active: z.boolean(),
  /** Whether the caller turned sending on for this rule from their own mailbox (send mode drafts otherwise). */
  sendingFromMyMailbox: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type OccasionRule = z.infer<typeof OccasionRule>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  templateId: Id,
  mode: OccasionMode,
  active: z.boolean(),
};

const timingMatchesKind = (
  rule: { kind?: OccasionKind; timing?: WonDealTiming | null },
  ctx: z.RefinementCtx,
) => {
  if (rule.kind === "birthday" && rule.timing)
    ctx.addIssue({ code: "custom", path: ["timing"], message: "a birthday rule has no timing" });
  if (rule.kind === "won_deal" && !rule.timing)
    ctx.addIssue({ code: "custom", path: ["timing"], message: "say afterDays or yearly for a won deal" });
};

export const OccasionRuleCreate = z
  .strictObject({
    scope: OccasionRuleScope.default("personal"),
    ...ruleFields,
    kind: OccasionKind,
    timing: WonDealTiming.nullable().optional(),
    mode: OccasionMode.default("draft"),
    active: z.boolean().default(true),
  })
  .superRefine(timingMatchesKind);
export type OccasionRuleCreate = z.infer<typeof OccasionRuleCreate>;

/** The kind and scope stay; the timing changes within the kind. */
export const OccasionRuleUpdate = z
  .strictObject({
    name: ruleFields.name.optional(),
    templateId: Id.optional(),
    mode: OccasionMode.optional(),
    active: z.boolean().optional(),
    timing: WonDealTiming.optional(),
    /** The version read; the server takes it out (or from If-Match) before the rest is checked. */
    version: Version.optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== "version"), "name at least one field to change");
export type OccasionRuleUpdate = z.infer<typeof OccasionRuleUpdate>;

export const OccasionRuleList = z.object({ items: z.array(OccasionRule) });
export type OccasionRuleList = z.infer<typeof OccasionRuleList>;

/** The caller's own switch: a send-mode rule sends from their mailbox only once they turned this on. */
export const OccasionSending = z.strictObject({ enabled: z.boolean() });
export type OccasionSending = z.infer<typeof OccasionSending>;

export const OCCASION_SKIP_REASONS = [
  "no_automated_mail",
  "blocked_address",
  "no_address",
  "no_template",
  "no_mailbox",
] as const;
export const OccasionSkipReason = z.enum(OCCASION_SKIP_REASONS);
export type OccasionSkipReason = z.infer<typeof OccasionSkipReason>;

/**
 * prepared / sending: on its way; drafted: a draft waits in the rep's mailbox; sent: it went; held: the template
 * left fields unfilled (a draft with them marked waits for the rep, never sent; the fields listed); skipped: a rule of privacy or a missing piece kept it back.
 */
export const OccasionMailState = z.enum(["prepared", "sending", "drafted", "sent", "held", "skipped"]);
export type OccasionMailState = z.infer<typeof OccasionMailState>;

export const OccasionMail = z.object({
  id: Id,
  contactId: Id,
  contactName: z.string(),
  ruleId: Id.nullable(),
  ruleName: z.string().nullable(),
  kind: OccasionKind,
  occasionKey: z.string(),
  day: IsoDate,
  mode: OccasionMode,
  state: OccasionMailState,
  reason: z.string().nullable(),
  unfilled: z.array(z.string()),
  dealId: Id.nullable(),
});
export type OccasionMail = z.infer<typeof OccasionMail>;

export const OccasionMailList = z.object({
  /** The caller's local day (their time zone's, UTC without one). */
  day: IsoDate,
  items: z.array(OccasionMail),
});
export type OccasionMailList = z.infer<typeof OccasionMailList>;

export const OccasionMailQuery = z.strictObject({ day: IsoDate.optional() });
export type OccasionMailQuery = z.infer<typeof OccasionMailQuery>;
