import { Kysely, type PostgresPool, type PostgresPoolClient, PostgresDialect } from "kysely";
import type pg from "pg";
import type { DB } from "./tables";

// Session settings rather than transaction-local ones: a request's queries outside a transaction must be walled
// too. Each connection leaves the wall before it goes back to the pool; one that cannot is destroyed, so no
// later borrower (sign-in, the sync's scheduler) ever inherits an organisation.
const ENTER = "select set_config('role', 'rapport_app', false), set_config('rapport.org_id', $1, false)";
const LEAVE = "reset role; reset rapport.org_id";

/**
 * The store as one organisation sees it: every connection acts as `rapport_app` with `rapport.org_id` set, so
 * PostgreSQL's row-level security (migration 0004) returns and accepts only that organisation's rows, even from
 * a query that forgot its `org_id` filter. It shares `pool` and is never destroyed itself.
 */
export function walledOff(pool: pg.Pool, orgId: string): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: walledPool(pool, orgId) }) });
}

function walledPool(pool: pg.Pool, orgId: string): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      try {
        await client.query(ENTER, [orgId]);
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      return {
        query: ((...args: Parameters<pg.PoolClient["query"]>) =>
          client.query(...args)) as PostgresPoolClient["query"],
        release() {
          client.query(LEAVE).then(
            () => client.release(),
            (error: unknown) => client.release(error instanceof Error ? error : true),
          );
        },
      };
    },
    // The pool belongs to the store, which ends it when it closes.
    async end() {},
  };
}
