import { z } from "zod";

/** What the organisation logs by itself; every switch off until an admin turns it on. */
export const LoggingPolicy = z.object({
  /** Mail a rep sends to a known contact is logged as it is sent, without the rep ticking it. */
  logOnSendToKnownContacts: z.boolean().default(false),
});
export type LoggingPolicy = z.infer<typeof LoggingPolicy>;

export const LoggingPolicyUpdate = z.strictObject({ logOnSendToKnownContacts: z.boolean() });
export type LoggingPolicyUpdate = z.infer<typeof LoggingPolicyUpdate>;
