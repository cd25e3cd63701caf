import type { Kysely } from "kysely";
import type { Caller } from "./auth/caller";
import type { DB } from "./db/tables";

/** Every write leaves one, in the same transaction as the write itself. */
export async function recordAudit(
  tx: Kysely<DB>,
  caller: Caller,
  action: string,
  entity: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx
    .insertInto("audit_events")
    .values({
      org_id: caller.orgId,
      actor_id: caller.userId,
      action,
      entity_type: entity.type,
      entity_id: entity.id,
      details: JSON.stringify(details),
    })
    .execute();
}
