import { type Kysely, sql } from "kysely";
import type { DB } from "../db/tables";

/** What a rebuild left: the stays and the day counters of the organisations it rebuilt. */
export interface RebuiltRollups {
  stays: number;
  interactionDays: number;
}

/**
 * Makes deal_stage_stays and interaction_days again from the history (deal_stage_changes, interactions), for one
 * organisation or, with null, for all: what migration 0025 did for the data it found. The triggers keep them
 * from then on; a rebuild mends them after something that bypassed triggers (a restore made with triggers off,
 * a hand-written `session_replication_role = replica` fix). It runs in one transaction: readers see the old
 * rollups or the new ones, never a half.
 */
export async function rebuildReportRollups(db: Kysely<DB>, orgId: string | null): Promise<RebuiltRollups> {
  return db.transaction().execute(async (trx) => {
    await sql`select rebuild_report_rollups(${orgId}::uuid)`.execute(trx);
    const count = sql<number>`count(*)::int`.as("n");
    const [stays, days] = await Promise.all([
      trx
        .selectFrom("deal_stage_stays")
        .select(count)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom("interaction_days")
        .select(count)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow(),
    ]);
    return { stays: stays.n, interactionDays: days.n };
  });
}
