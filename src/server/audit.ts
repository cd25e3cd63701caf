import type { Kysely } from "kysely";
import type { Caller } from "./auth/caller";
import type { DB } from "./db/tables";
import { notFound } from "./errors";

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

/** One event per record for a change that touches many at once (deals moved off a removed stage). */
export async function recordAuditForEach(
  tx: Kysely<DB>,
  caller: Caller,
  action: string,
  entities: { type: string; id: string; details: Record<string, unknown> }[],
): Promise<void> {
  if (entities.length === 0) return;
  await tx
    .insertInto("audit_events")
    .values(
      entities.map((entity) => ({
        org_id: caller.orgId,
        actor_id: caller.userId,
        action,
        entity_type: entity.type,
        entity_id: entity.id,
        details: JSON.stringify(entity.details),
      })),
    )
    .execute();
}

/** The tables whose records are deleted the same way: scoped to the organisation, audited, 404 when absent. */
type OwnedTable = "companies" | "contacts" | "deals" | "tasks";

export async function deleteOwnedRecord(
  db: Kysely<DB>,
  caller: Caller,
  table: OwnedTable,
  entity: "company" | "contact" | "deal" | "task",
  id: string,
): Promise<{ id: string; deleted: true }> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom(table)
      .where("org_id", "=", caller.orgId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw notFound(`The ${entity}`);
    await recordAudit(tx, caller, `${entity}.deleted`, { type: entity, id });
    return { id, deleted: true as const };
  });
}
