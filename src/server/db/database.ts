import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import type { Kysely } from "kysely";
import pg from "pg";
import { buildWalls } from "./org-wall";
import { ownerOnlyDir } from "./owner-only";
import { lockStore } from "./store-lock";
import type { DB } from "./tables";

export type StoreKind = "pglite" | "postgres";

export interface Database {
  /** The whole store, as its owner: migrations, sign-in, the sync's scheduler. */
  db: Kysely<DB>;
  /** The store as one organisation sees it, behind row-level security: what every request works with. */
  forOrganization(orgId: string): Kysely<DB>;
  kind: StoreKind;
  /**
   * The embedded store only: its data directory as a tar, taken between two statements (PGlite runs one at a
   * time and reads the files synchronously), so it is what a crash at that instant would leave: every committed
   * transaction in it, recovered by PostgreSQL's own WAL replay when opened. Null on a PostgreSQL server (pg_dump).
   */
  snapshot: (() => Promise<Blob>) | null;
  close(): Promise<void>;
}

// Counts (int8) and amounts (numeric) as numbers; calendar dates stay "YYYY-MM-DD" so no time zone shifts them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * The embedded store: real PostgreSQL in WASM, persisted in `dataDir` (in memory when undefined).
 * PGlite is a single connection, so the pool holds exactly one: Kysely then serialises every query and
 * transaction through it. Code inside a transaction must use the transaction handle, never `db` (it would wait
 * for the connection the transaction holds, forever).
 */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<Database> {
  let unlock = () => {};
  if (options.dataDir) {
    ownerOnlyDir(options.dataDir);
    unlock = lockStore(options.dataDir);
  }
  try {
    const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
    const database = wrapPglite(pglite, true);
    return {
      ...database,
      async close() {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export function wrapPglite(pglite: PGlite, owned: boolean): Database {
  // One connection kept for good: closing an idle one and opening another onto PGlite's single session would only
  // cost the wall a reset (org-wall.ts).
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
  const walls = buildWalls(pool);
  const db = walls.owner;
  return {
    db,
    forOrganization: walls.forOrganization,
    kind: "pglite",
    snapshot: () => pglite.dumpDataDir("none"),
    async close() {
      await db.destroy();
      if (owned) await pglite.close();
    },
  };
}

export async function openPostgres(
  url: string,
  options: { poolSize?: number; statementTimeoutMs?: number } = {},
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A request never waits on the store for long: a connection not had in 5 s, or a statement running past the
    // timeout, fails (503 / 500) and frees its slot instead of piling requests up behind it.
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
  });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const walls = buildWalls(pool);
  const db = walls.owner;
  return {
    db,
    forOrganization: walls.forOrganization,
    kind: "postgres",
    snapshot: null,
    close: () => db.destroy(),
  };
}
