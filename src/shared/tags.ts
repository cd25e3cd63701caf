import { z } from "zod";

/** A contact's tag as stored: trimmed, 1–50 characters, compared exactly. */
export const Tag = z.string().trim().min(1).max(50);

export const TagUsage = z.object({ name: z.string(), contacts: z.number().int().nonnegative() });
export type TagUsage = z.infer<typeof TagUsage>;

export const TagList = z.object({ items: z.array(TagUsage) });

export const TagParams = z.strictObject({ tag: Tag });

export const TagRename = z.strictObject({ name: Tag });
export type TagRename = z.infer<typeof TagRename>;

export const TagDeleted = z.object({
  name: z.string(),
  deleted: z.literal(true),
  contacts: z.number().int().nonnegative(),
});
