import { z } from "zod";

/** Whether this runtime's Intl knows the zone: the same Intl computes the day's boundaries, so they agree. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone such as Europe/Berlin (aliases and any letter case accepted), named as Intl names it. */
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, "an IANA time zone such as Europe/Berlin")
  .transform((name) => new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone);
