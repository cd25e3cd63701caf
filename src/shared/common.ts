import { z } from "zod";
import { normalizeEmailAddress, readEmailAddress } from "./email-address";

export const Id = z.uuid();
/**
 * A client-made id for a create (crypto.randomUUID()): sending the same create again, after a lost answer or
 * from the add-in's outbox, returns the record the first one made instead of making a second.
 */
export const ClientId = z.uuid().optional();
/** An instant with its offset. Its UTC year must stay within 1–9999, or it could not be written back as ISO text. */
export const IsoDateTime = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, "a date between the years 1 and 9999");
/** A calendar date (YYYY-MM-DD) such as a deal's expected close: no time zone to shift it. */
export const IsoDate = z.iso.date();
export const Version = z.number().int().positive();

/** The longest text taken as an email address (with room for a name or `mailto:` around it). */
export const EMAIL_ADDRESS_MAX_CHARS = 320;

const notAnAddress = (value: string) => `"${value.slice(0, 80)}" is not a valid email address`;

/** An email address in its canonical form (see normalizeEmailAddress), so that every comparison agrees. */
export const EmailAddress = z
  .string()
  .max(EMAIL_ADDRESS_MAX_CHARS)
  .transform((value, ctx) => {
    const address = normalizeEmailAddress(value);
    if (address === null) {
      ctx.addIssue({ code: "custom", message: notAnAddress(value) });
      return z.NEVER;
    }
    return address;
  });

/** An address to keep: its canonical form to store and compare, and the form it was written in to show. */
export const WrittenEmailAddress = z
  .string()
  .max(320)
  .transform((value, ctx) => {
    const forms = readEmailAddress(value);
    if (forms === null) {
      ctx.addIssue({ code: "custom", message: notAnAddress(value) });
      return z.NEVER;
    }
    return forms;
  });

/** Optional text fields: "" and null both clear the value. */
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === null || v === "" ? null : v));

export const IdParams = z.strictObject({ id: Id });

export const ListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Deleted = z.object({ id: Id, deleted: z.literal(true) });
