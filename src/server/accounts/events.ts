import type { Kysely } from "kysely";
import type { DB } from "../db/tables";

/**
 * An account event in the organisation's audit log. The actor is null when nobody signed in did it: a failed
 * sign-in, a reset asked for from the sign-in page, the command line. No event holds a password or a token.
 */
export async function recordAccountEvent(
  tx: Kysely<DB>,
  orgId: string,
  actorId: string | null,
  action: string,
  entity: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx
    .insertInto("audit_events")
    .values({
      org_id: orgId,
      actor_id: actorId,
      action,
      entity_type: entity.type,
      entity_id: entity.id,
      details: JSON.stringify(details),
    })
    .execute();
}
