import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { DB } from "./tables";

/**
 * PGlite has no autovacuum, so nothing ever gathers its tables' statistics or reclaims their dead rows: the planner
 * guesses every row count, index-only scans never pay, and the plans it keeps for the session (foreign-key checks
 * among them) stay as they were made when the tables were small, for as long as the server runs. This does
 * autovacuum's work for the embedded store: a table that has grown by a tenth (and by 8 pages at least) since it
 * was last vacuumed is vacuumed and analysed, which also makes PostgreSQL replan what it kept for that table.
 * Updates grow a table too (each writes a new row version), so churn is caught as well as inserts. PostgreSQL
 * servers do this themselves.
 */
export async function analyseGrownTables(db: Kysely<DB>): Promise<string[]> {
  const grown = await sql<{ name: string }>`
    select c.relname as name
    from pg_class c
    where c.relkind = 'r'
      and c.relnamespace = current_schema()::regnamespace
      and pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(c.relpages, 0) * 1.1 + 8
    order by c.relname`.execute(db);
  const names = grown.rows.map((r) => r.name);
  // One table at a time: the store has one connection, and requests wait for each statement, not for all.
  for (const name of names) await sql`vacuum (analyze) ${sql.table(name)}`.execute(db);
  return names;
}

export interface EmbeddedUpkeep {
  /** Waits for a pass under way, then stops. */
  stop(): Promise<void>;
}

/** Checks every `everyMs` (a catalog query; the analysing only when a table grew). */
export function startEmbeddedUpkeep(
  db: Kysely<DB>,
  logger: Pick<Logger, "info" | "warn">,
  everyMs = 60_000,
): EmbeddedUpkeep {
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    const started = performance.now();
    try {
      const analysed = await analyseGrownTables(db);
      if (analysed.length)
        logger.info(
          { analysed, ms: Math.round(performance.now() - started) },
          "embedded store: tables vacuumed and analysed",
        );
    } catch (error) {
      // A pass that fails (the store closing, a busy moment) is tried again at the next tick.
      logger.warn({ err: String(error) }, "embedded store: could not vacuum and analyse");
    }
  };
  running = pass();
  const timer = setInterval(() => {
    running = running.then(pass);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
