import { type Kysely, sql } from "kysely";
import type { DB } from "../db/tables";

/** What a rebuild left: the stays and the day counters of the organisations it rebuilt. */
export interface RebuiltRollups {
  stays: number;
  interactionDays: number;
  /** Contacts with a last interaction (0026): the segments' "last contacted" reads it. */
  contactsContacted: number;
  /** 0031's summaries: moves between stages, ended stays' lengths, interaction weeks, deals with a last activity. */
  stageFlows: number;
  stageLengths: number;
  interactionWeeks: number;
  dealsActive: number;
}

/**
 * Makes deal_stage_stays, interaction_days and contacts' last_interaction_at again from the history
 * (deal_stage_changes, interactions, interaction_participants), for one organisation or, with null, for all: what
 * migrations 0025 and 0026 did for the data they found, and 0031's summaries (deal_stage_flows,
 * deal_stage_lengths, interaction_weeks, deals' last_activity_at) with them. The triggers keep them
 * from then on; a rebuild mends them after something that bypassed triggers (a restore made with triggers off,
 * a hand-written `session_replication_role = replica` fix). It runs in one transaction: readers see the old
 * rollups or the new ones, never a half.
 */
export async function rebuildReportRollups(db: Kysely<DB>, orgId: string | null): Promise<RebuiltRollups> {
  return db.transaction().execute(async (trx) => {
    await sql`select rebuild_report_rollups(${orgId}::uuid)`.execute(trx);
    const count = sql<number>`count(*)::int`.as("n");
    const countOf = (
      table:
        | "deal_stage_stays"
        | "interaction_days"
        | "deal_stage_flows"
        | "deal_stage_lengths"
        | "interaction_weeks",
    ) =>
      trx
        .selectFrom(table)
        .select(count)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow();
    const [stays, days, contacted, flows, lengths, weeks, active] = await Promise.all([
      countOf("deal_stage_stays"),
      countOf("interaction_days"),
      trx
        .selectFrom("contacts")
        .select(count)
        .where("last_interaction_at", "is not", null)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow(),
      countOf("deal_stage_flows"),
      countOf("deal_stage_lengths"),
      countOf("interaction_weeks"),
      trx
        .selectFrom("deals")
        .select(count)
        .where("last_activity_at", "is not", null)
        .$if(orgId !== null, (q) => q.where("org_id", "=", orgId as string))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      stays: stays.n,
      interactionDays: days.n,
      contactsContacted: contacted.n,
      stageFlows: flows.n,
      stageLengths: lengths.n,
      interactionWeeks: weeks.n,
      dealsActive: active.n,
    };
  });
}
