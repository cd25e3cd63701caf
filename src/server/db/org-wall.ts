import { Kysely, type PostgresPool, type PostgresPoolClient, PostgresDialect } from "kysely";
import type pg from "pg";
import { type PreparedStatements, asPrepared, preparedStatements } from "./prepared";
import type { DB } from "./tables";

// Session settings rather than transaction-local ones: a request's queries outside a transaction must be walled
// too. A connection keeps its wall when it goes back to the pool, and the next borrower changes it only when it
// needs another: a request of the same organisation (one organisation is the usual deployment) then costs no
// statement at all, where entering and leaving on every query made the embedded store ~45 % slower. The
// owner's borrowers (sign-in, the sync's scheduler, migrations) leave the wall before their first query, and a
// connection that cannot change its wall is destroyed, so nobody ever runs inside someone else's.
//
// A connection that must change its wall changes it with its borrower's first statement. When that statement
// begins a transaction (it has no parameters, so it goes by the simple protocol, which carries several statements
// in one message), the wall rides in the same message as a transaction-local setting: the transaction is walled at
// no extra round trip, and when it ends the session is back in the wall the pool knows it to be in, committed or
// rolled back. A borrower whose first statement stands alone (a lookup) sets the session's wall first, once.
const ENTER = "select set_config('role', 'rapport_app', false), set_config('rapport.org_id', $1, false)";
const LEAVE = "reset role; reset rapport.org_id";
const TRANSACTION_START = /^(begin|start transaction)\b/i;
const TRANSACTION_END = /^(commit|rollback)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The wall for one transaction, after its begin in the same message; orgId is a UUID (checked), not input. */
const enterLocally = (orgId: string) =>
  `select set_config('role', 'rapport_app', true), set_config('rapport.org_id', '${orgId}', true)`;

export interface Walls {
  /** The store as its owner sees it: every organisation's rows, never behind a wall. */
  owner: Kysely<DB>;
  /**
   * The store as one organisation sees it: every connection acts as `rapport_app` with `rapport.org_id` set, so
   * PostgreSQL's row-level security (migration 0004) returns and accepts only that organisation's rows, even from
   * a query that forgot its `org_id` filter.
   */
  forOrganization(orgId: string): Kysely<DB>;
}

/** Both views of one pool; ending the owner's ends the pool. */
export function buildWalls(pool: pg.Pool): Walls {
  // The organisation each pooled connection is walled into now, null for none. A connection not in here is one
  // the wall has not seen: its session may still hold a wall (the embedded store is one session, which every
  // connection the pool opens onto it shares), so it is set on first use whoever borrows it.
  const wallOf = new WeakMap<pg.PoolClient, string | null>();
  // The named statements each connection holds (prepared.ts), behind a wall or not.
  const preparedOn = new WeakMap<pg.PoolClient, PreparedStatements>();

  async function borrow(orgId: string | null): Promise<PostgresPoolClient> {
    const client = await pool.connect();
    // The pool listens for a lost server only on idle connections: one lent out that loses its server between two
    // queries (a restart, pg_terminate_backend) would raise an unhandled 'error' and end the process. Heard here,
    // the next query fails instead, and the pool drops the connection when it comes back.
    const lost = () => undefined;
    client.on("error", lost);
    const giveBack = (error?: Error | boolean) => {
      client.removeListener("error", lost);
      client.release(error);
    };
    const unwalled = !wallOf.has(client) || wallOf.get(client) !== orgId;
    // The owner leaves any wall before its first query: its borrowers are few (sign-in, the scheduler).
    if (unwalled && orgId === null) {
      try {
        await client.query(LEAVE);
      } catch (error) {
        wallOf.delete(client);
        giveBack(error instanceof Error ? error : true);
        throw error;
      }
      wallOf.set(client, null);
    }
    // This borrower's wall: set on the session (`walled`), or for the transaction under way (`walledLocally`).
    let walled = !unwalled;
    let walledLocally = false;
    // A connection whose wall could not be set is not lent again.
    let broken: Error | null = null;
    const enter = async (wall: string) => {
      try {
        await client.query(ENTER, [wall]);
      } catch (error) {
        wallOf.delete(client);
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
      wallOf.set(client, wall);
      walled = true;
    };
    const beginWalled = async (wall: string, text: string) => {
      try {
        const results = (await client.query(`${text}; ${enterLocally(wall)}`)) as unknown as pg.QueryResult[];
        walledLocally = true;
        return results[0];
      } catch (error) {
        // The begin may have opened a transaction the failed setting aborted; nobody else will end it.
        await client.query("rollback").catch(() => undefined);
        wallOf.delete(client);
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    };
    let kept = preparedOn.get(client);
    if (!kept) {
      kept = preparedStatements();
      preparedOn.set(client, kept);
    }
    const prepared = kept;
    const send = (...args: Parameters<pg.PoolClient["query"]>) => {
      const [text, values] = args;
      const named =
        typeof text === "string" && (values === undefined || Array.isArray(values))
          ? asPrepared(prepared, text, values)
          : null;
      return named ? client.query(named) : client.query(...args);
    };
    return {
      query: (async (...args: Parameters<pg.PoolClient["query"]>) => {
        const [text] = args;
        const values: unknown = args[1];
        const plain =
          typeof text === "string" &&
          (values === undefined || (Array.isArray(values) && values.length === 0));
        if (orgId !== null && !walled && !walledLocally) {
          if (plain && TRANSACTION_START.test(text) && UUID.test(orgId)) return beginWalled(orgId, text);
          await enter(orgId);
        }
        try {
          return await send(...args);
        } finally {
          // Committed or rolled back, a transaction's local wall is gone with it.
          if (walledLocally && plain && TRANSACTION_END.test(text.trim())) walledLocally = false;
        }
      }) as unknown as PostgresPoolClient["query"],
      release: () => giveBack(broken ?? undefined),
    };
  }

  const ownerPool: PostgresPool = { connect: () => borrow(null), end: () => pool.end() };
  return {
    owner: new Kysely<DB>({ dialect: new PostgresDialect({ pool: ownerPool }) }),
    forOrganization: (orgId) =>
      new Kysely<DB>({
        // The pool belongs to the store, which ends it through the owner's view when it closes.
        dialect: new PostgresDialect({ pool: { connect: () => borrow(orgId), end: async () => {} } }),
      }),
  };
}
