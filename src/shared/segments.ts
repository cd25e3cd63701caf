import { z } from "zod";
import { Id, IsoDate, IsoDateTime, Version } from "./common";
import { Country, LifecycleStage } from "./contacts";
import { Tag } from "./tags";

/*
 * A segment's filter: every condition must hold (AND); within one condition, any of its values may (OR). The
 * server compiles it to SQL with parameters, scoped to the organisation, and always leaves out contacts who want
 * no marketing. Each condition names its `field`; a new kind of condition (a customer rating's `rating`, once
 * ratings exist) is one more member of this union and one more case of the server's compiler, whose switch the
 * compiler checks for exhaustiveness.
 */

const MAX_VALUES = 100;

const TagsCondition = z.strictObject({
  field: z.literal("tags"),
  /** any: carries one of the tags; all: carries every one; none: carries none of them. */
  match: z.enum(["any", "all", "none"]),
  values: z.array(Tag).min(1).max(50),
});

const LifecycleStageCondition = z.strictObject({
  field: z.literal("lifecycleStage"),
  values: z.array(LifecycleStage).min(1).max(4),
});

/** null among the values: a contact without an owner (or a company). */
const OwnerCondition = z.strictObject({
  field: z.literal("owner"),
  values: z.array(Id.nullable()).min(1).max(MAX_VALUES),
});

const CompanyCondition = z.strictObject({
  field: z.literal("company"),
  values: z.array(Id.nullable()).min(1).max(MAX_VALUES),
});

const CountryCondition = z.strictObject({
  field: z.literal("country"),
  values: z.array(Country).min(1).max(250),
});

const CustomFieldValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);

/**
 * A contact custom field, by its key: `in` one of the values (compared as the stored value's text, so a number
 * field's 5 matches 5), `isSet` or `isNotSet`. The key must be one of the organisation's contact fields.
 */
const CustomFieldCondition = z
  .strictObject({
    field: z.literal("customField"),
    key: z.string().min(1).max(100),
    op: z.enum(["in", "isSet", "isNotSet"]),
    values: z.array(CustomFieldValue).max(MAX_VALUES).optional(),
  })
  .superRefine((condition, ctx) => {
    const has = (condition.values?.length ?? 0) > 0;
    if (condition.op === "in" && !has)
      ctx.addIssue({ code: "custom", path: ["values"], message: "`in` needs at least one value" });
    if (condition.op !== "in" && condition.values !== undefined)
      ctx.addIssue({ code: "custom", path: ["values"], message: `\`${condition.op}\` takes no values` });
  });

/**
 * When the contact was last in an interaction (an email, a call, a meeting, a note, a visit): after or before a
 * date (UTC days), within or not within the last N days, or never. "before" means contacted, but not since.
 */
const LastContactedCondition = z
  .strictObject({
    field: z.literal("lastContacted"),
    op: z.enum(["after", "before", "withinDays", "notWithinDays", "never"]),
    // From 1900: every interaction Rapport holds is later, and a year 0 would be no date PostgreSQL keeps.
    date: IsoDate.refine((date) => date >= "1900-01-01", "a date from 1900 on").optional(),
    days: z.number().int().min(1).max(3650).optional(),
  })
  .superRefine((condition, ctx) => {
    const needsDate = condition.op === "after" || condition.op === "before";
    const needsDays = condition.op === "withinDays" || condition.op === "notWithinDays";
    if (needsDate !== (condition.date !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["date"],
        message: needsDate ? `\`${condition.op}\` needs a date` : `\`${condition.op}\` takes no date`,
      });
    if (needsDays !== (condition.days !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["days"],
        message: needsDays ? `\`${condition.op}\` needs days` : `\`${condition.op}\` takes no days`,
      });
  });

/** Consent given on one of the organisation's web forms (a lead that kept a consent text), or not given. */
const ConsentCondition = z.strictObject({
  field: z.literal("consent"),
  given: z.boolean(),
});

/** The scale of each question a customer rating asks (NPS 0–10, CSAT 1–5). */
const RATING_SCALES = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 } } as const;

/**
 * The contact's latest answer to the NPS or the CSAT question (see docs/ratings.md): at least or at most a score
 * on that question's scale, or no answer to it yet.
 */
const RatingCondition = z
  .strictObject({
    field: z.literal("rating"),
    kind: z.enum(["nps", "csat"]),
    op: z.enum(["atLeast", "atMost", "none"]),
    score: z.number().int().optional(),
  })
  .superRefine((condition, ctx) => {
    const scale = RATING_SCALES[condition.kind];
    if (condition.op === "none") {
      if (condition.score !== undefined)
        ctx.addIssue({ code: "custom", path: ["score"], message: "`none` takes no score" });
    } else if (condition.score === undefined)
      ctx.addIssue({ code: "custom", path: ["score"], message: `\`${condition.op}\` needs a score` });
    else if (condition.score < scale.min || condition.score > scale.max)
      ctx.addIssue({
        code: "custom",
        path: ["score"],
        message: `a ${condition.kind} score is from ${scale.min} to ${scale.max}`,
      });
  });

export const SegmentCondition = z.discriminatedUnion("field", [
  TagsCondition,
  LifecycleStageCondition,
  OwnerCondition,
  CompanyCondition,
  CountryCondition,
  CustomFieldCondition,
  LastContactedCondition,
  ConsentCondition,
  RatingCondition,
]);
export type SegmentCondition = z.infer<typeof SegmentCondition>;
export type SegmentField = SegmentCondition["field"];

/** No conditions: every contact who takes marketing. */
export const SegmentFilter = z.strictObject({
  conditions: z.array(SegmentCondition).max(20),
});
export type SegmentFilter = z.infer<typeof SegmentFilter>;

export const Segment = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  filter: SegmentFilter,
  createdBy: Id.nullable(),
  /** The caller made it or is an admin: they may change and delete it. Every member reads it. */
  canEdit: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Segment = z.infer<typeof Segment>;

export const SegmentList = z.object({ items: z.array(Segment) });

const Name = z.string().trim().min(1).max(200);
const Description = z
  .string()
  .trim()
  .max(2000)
  .nullable()
  .transform((v) => (v === null || v === "" ? null : v));

export const SegmentCreate = z.strictObject({
  name: Name,
  description: Description.optional(),
  filter: SegmentFilter,
});
export type SegmentCreate = z.infer<typeof SegmentCreate>;

export const SegmentUpdate = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  filter: SegmentFilter.optional(),
  version: Version.optional(),
});
export type SegmentUpdate = z.infer<typeof SegmentUpdate>;

/** A member as a marketing platform needs them: the address first, and what its audiences are cut by. */
export const SegmentMember = z.object({
  contactId: Id,
  /** The primary address, as written; null for a contact without one. */
  email: z.string().nullable(),
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  companyName: z.string().nullable(),
  lifecycleStage: LifecycleStage,
  tags: z.array(z.string()),
  country: z.string().nullable(),
  language: z.string().nullable(),
});
export type SegmentMember = z.infer<typeof SegmentMember>;

export const SegmentPreviewRequest = z.strictObject({
  filter: SegmentFilter,
  limit: z.number().int().min(1).max(50).default(20),
});
export type SegmentPreviewRequest = z.infer<typeof SegmentPreviewRequest>;

export const SegmentPreview = z.object({
  /** The members the filter finds now. */
  count: z.number().int().nonnegative(),
  /** Contacts the filter would find but who want no marketing: left out of the count and of the members. */
  noMarketing: z.number().int().nonnegative(),
  /** The first members by name. */
  members: z.array(SegmentMember),
});
export type SegmentPreview = z.infer<typeof SegmentPreview>;

/** A position in a segment's changes: the last sequence number read, "0" before the first. */
export const ChangeCursor = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, "a cursor this server handed out");

export const SegmentMembersQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const SegmentMembersPage = z.object({
  items: z.array(SegmentMember),
  nextCursor: z.string().nullable(),
  /**
   * Where the changes go on from the membership these pages read: a sync that loads every page and then follows
   * `changes?cursor=` from here misses nothing and sees nothing twice.
   */
  changesCursor: ChangeCursor,
});
export type SegmentMembersPage = z.infer<typeof SegmentMembersPage>;

export const SegmentChangesQuery = z.strictObject({
  cursor: ChangeCursor.default("0"),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const SegmentChange = z.object({
  /** The change's sequence number in the segment (a decimal string: it may outgrow a JSON number). */
  seq: ChangeCursor,
  kind: z.enum(["joined", "left"]),
  contactId: Id,
  /** For a join, the primary address then; for a leave, the address the contact joined with. */
  email: z.string().nullable(),
  at: IsoDateTime,
});
export type SegmentChange = z.infer<typeof SegmentChange>;

export const SegmentChanges = z.object({
  items: z.array(SegmentChange),
  /** The cursor to send next time: the last change's seq, or the one sent when there was none. */
  cursor: ChangeCursor,
  /** More changes wait past this page: ask again at once. */
  more: z.boolean(),
});
export type SegmentChanges = z.infer<typeof SegmentChanges>;
