import { periodicRun } from "../periodic-run";
import type { Logger } from "pino";
import type { Database } from "../db/database";
import { dueFollowUps, fireFollowUp } from "./service";

export interface FollowUpWorker {
  /** Fires every reminder due now that no other server is firing; resolves with how many this one fired. */
  runOnce(): Promise<number>;
  /** Runs every interval (start to start) until stopped. */
  start(): void;
  /** Stops after the reminder in hand: it is fired and committed, or left waiting. */
  stop(): Promise<void>;
}

export interface FollowUpWorkerDeps {
  /** The owner's view finds due reminders in every organisation; each is fired behind its organisation's wall. */
  database: Pick<Database, "db" | "forOrganization">;
  /** What "now" is: the tests move it days ahead instead of waiting. */
  clock?: () => Date;
  intervalSeconds?: number;
  /** Reminders read per round; a run goes on round after round until none is due. */
  batch?: number;
  logger?: Pick<Logger, "info" | "error">;
  /**
   * Called inside a reminder's transaction once it is claimed, before its task is written: the tests stop there
   * (a second server trying the same reminder meanwhile, a crash that rolls the claim back).
   */
  claimed?: (id: string) => Promise<void>;
}

/**
 * The loop that fires no-reply reminders. Every server process runs one; they share the work through the store,
 * not through each other: each reminder is claimed with `FOR UPDATE SKIP LOCKED` in the transaction that writes
 * its task and marks it fired, so two servers never fire the same one, and a server dying mid-way leaves it
 * waiting (its transaction never committed) for the next run anywhere.
 */
export function createFollowUpWorker(deps: FollowUpWorkerDeps): FollowUpWorker {
  const clock = deps.clock ?? (() => new Date());
  const interval = (deps.intervalSeconds ?? 60) * 1000;
  const batch = deps.batch ?? 100;

  async function runOnce(): Promise<number> {
    const now = clock();
    let fired = 0;
    // Keyset through the due list: a reminder another server holds, or one that fails (a poisoned row), is passed
    // over in this run and tried again in the next, never read again and again ahead of the rest.
    let after: { dueAt: Date; id: string } | null = null;
    for (;;) {
      const due = await dueFollowUps(deps.database.db, now, batch, after);
      for (const { id, org_id: orgId, due_at: dueAt } of due) {
        if (loop.stopping) return fired;
        after = { dueAt, id };
        try {
          const done = await deps.database
            .forOrganization(orgId)
            .transaction()
            .execute((tx) => fireFollowUp(tx, orgId, id, now, deps.claimed));
          if (done) fired += 1;
        } catch (error) {
          // Rolled back: it stays waiting. One reminder that cannot fire must not keep the others from firing.
          deps.logger?.error(
            { followUp: id, err: String(error) },
            "a follow-up failed to fire; the next run retries it",
          );
        }
      }
      if (due.length < batch) return fired;
    }
  }

  const loop = periodicRun({
    intervalMs: interval,
    run: runOnce,
    done: (fired) => {
      if (fired > 0) deps.logger?.info({ fired }, "no-reply follow-ups fired");
    },
    failed: (error) =>
      deps.logger?.error({ err: String(error) }, "follow-up run failed; the next one retries"),
  });
  return { runOnce: loop.runOnce, start: loop.start, stop: loop.stop };
}
