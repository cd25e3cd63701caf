import { type Kysely, sql } from "kysely";
import type { DB } from "../db/tables";

/** What a rebuild left: the stays and the day counters of the organisations it rebuilt. */
export interface RebuiltRollups {
  stays: number;
  interactionDays: number;
  /** Contacts with a last interaction (0026): the segments' "last contacted" reads it. */
  contactsContacted: number;
}

/**
 * Makes deal_stage_stays, interaction_days and contacts' last_interaction_at again from the history
 * (deal_stage_changes, interactions, interaction_participants), for one organisation or, with null, for all: what
 * migrations 0025 and 0026 did for the data they found. The triggers keep them
 * from then on; a rebuild mends them after something that bypassed triggers (a restore made with triggers off,
 * a hand-written `session_replication_role = replica` fix). It runs in one transaction: readers see the old
 * rollups or the new ones, never a half.
 */
export async function rebuildReportRollups(db: Kysely<DB>, orgId: string | null): Promise<RebuiltRollups> {
  return db.transaction().execute(async (trx) => {
    await sql`select rebuild_report_rollups(${orgId}::uuid)`.execute(trx);
    const count = sql<number>`count(*)::int`.as("n");
    const [stays, days, contacted] = await Promise.all([
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
      trx
        .selectFrom("contacts")
        .select(count)
        .where("last_interaction_at", "is not", null)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow(),
    ]);
    return { stays: stays.n, interactionDays: days.n, contactsContacted: contacted.n };
  });
}
