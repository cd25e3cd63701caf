import { z } from "zod";
import { Company } from "./companies";
import { Contact } from "./contacts";
import { DealWithStage, StageChange } from "./deals";
import { Interaction } from "./interactions";
import { Task } from "./tasks";

export const MAX_LOOKUP_ADDRESSES = 50;

/** `email` may repeat; each value is an address or a mailbox such as `Anna Berg <anna@contoso.com>`. */
export const LookupQuery = z.strictObject({
  email: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().max(400)).min(1).max(MAX_LOOKUP_ADDRESSES)),
});

/** The colleague who owns a record, as the pane names them. */
export const Owner = z.object({
  id: z.uuid(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
});
export type Owner = z.infer<typeof Owner>;

export const ContactProfile = Contact.extend({
  company: Company.nullable(),
  owner: Owner.nullable(),
  openDeals: z.array(DealWithStage),
  openTasks: z.array(Task),
  /** The latest 20, newest first; the timeline has the rest. */
  recentInteractions: z.array(Interaction),
});
export type ContactProfile = z.infer<typeof ContactProfile>;

/** What Rapport can tell about an unknown address, to pre-fill "Add to Rapport". */
export const Suggestion = z.object({
  /** The address as it was asked for (LookupResult.email is its canonical form). */
  email: z.string(),
  displayName: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** As the address was written. */
  domain: z.string(),
  /** Free-mail and internal domains say nothing about the company: no company is matched for them. */
  freeMail: z.boolean(),
  internal: z.boolean(),
  company: Company.nullable(),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const LookupResult = z.object({
  /** Canonical (see normalizeEmailAddress): the same for either spelling of an internationalised address. */
  email: z.string(),
  contact: ContactProfile.nullable(),
  suggestion: Suggestion.nullable(),
});
export type LookupResult = z.infer<typeof LookupResult>;

export const LookupResponse = z.object({ results: z.array(LookupResult) });
export type LookupResponse = z.infer<typeof LookupResponse>;

export const TimelineItem = z.discriminatedUnion("type", [
  z.object({ type: z.literal("interaction"), at: z.string(), interaction: Interaction }),
  z.object({ type: z.literal("stage_change"), at: z.string(), stageChange: StageChange }),
  z.object({ type: z.literal("task"), at: z.string(), task: Task }),
]);
export type TimelineItem = z.infer<typeof TimelineItem>;

/** The id of whatever the timeline item is: its key in a list, and the second half of the timeline's order. */
export const timelineItemId = (item: TimelineItem): string =>
  item.type === "interaction"
    ? item.interaction.id
    : item.type === "stage_change"
      ? item.stageChange.id
      : item.task.id;

export const Timeline = z.object({ items: z.array(TimelineItem), nextCursor: z.string().nullable() });
export type Timeline = z.infer<typeof Timeline>;

export const TimelineQuery = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
