import type { Kysely } from "kysely";
import { reasonNotToLog } from "../../shared/privacy";
import type { DB } from "../db/tables";
import { AppError } from "../errors";

/** The organisation's blocklist and the user's own, together: what every automatic log of theirs obeys. */
export async function blocklistFor(db: Kysely<DB>, orgId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("blocklist_entries")
    .select("entry")
    .where("org_id", "=", orgId)
    .where((eb) => eb.or([eb("user_id", "is", null), eb("user_id", "=", userId)]))
    .execute();
  return rows.map((r) => r.entry);
}

/**
 * Refuses an automatic log of an email the organisation's privacy rules keep out (internal mail only, a blocked
 * participant): the one write checks it itself, so no path that logs by itself depends on having checked first.
 * `participants` are every address on the email, the logger's own included, as the edges pass them; the rules
 * are the organisation's domains and blocklistFor's entries, which the write reads with its other checks.
 */
export function refuseWhatPolicyKeepsOut(
  participants: readonly string[],
  rules: { internalDomains: readonly string[]; blocklist: readonly string[] },
): void {
  // No headers reach the write: the bulk-mail rule is the sync's, which reads them from Graph.
  const reason = reasonNotToLog(participants, {}, rules);
  if (reason)
    throw new AppError(
      "not_logged_by_policy",
      422,
      `The organisation's privacy rules keep this email out of automatic logs (${reason}); a rep may still log it by hand.`,
      { reason },
    );
}
