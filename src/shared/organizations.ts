import { z } from "zod";

/** What automatically logged mail keeps: its metadata only, its subject too, or subject and a text excerpt. */
export const AutoLoggedContent = z.enum(["metadata", "subject", "excerpt"]);
export type AutoLoggedContent = z.infer<typeof AutoLoggedContent>;

/** What the organisation logs by itself; every switch off until an admin turns it on. */
export const LoggingPolicy = z.object({
  /** Mail a rep sends to a known contact is logged as it is sent, without the rep ticking it. */
  logOnSendToKnownContacts: z.boolean().default(false),
  /** The server syncs every user's mailbox, not only those an admin enabled one by one. */
  syncAllMailboxes: z.boolean().default(false),
  /** What automatic logging stores of an email (a manual log keeps what the rep chose to log). */
  autoLoggedContent: AutoLoggedContent.default("excerpt"),
});
export type LoggingPolicy = z.infer<typeof LoggingPolicy>;

export const LoggingPolicyUpdate = z
  .strictObject({
    logOnSendToKnownContacts: z.boolean(),
    syncAllMailboxes: z.boolean(),
    autoLoggedContent: AutoLoggedContent,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "name at least one setting to change");
export type LoggingPolicyUpdate = z.infer<typeof LoggingPolicyUpdate>;
