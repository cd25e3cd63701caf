import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { type Kysely, sql } from "kysely";
import { wrapPglite } from "./database";
import { storeDirOf } from "./open-store";
import { migrations } from "./migrate";
import { ownerOnlyDir } from "./owner-only";
import { StoreLockedError, lockStore } from "./store-lock";
import type { DB } from "./tables";

export class RestoreError extends Error {}

/** What a store holds, as the restore reports it: its migrations and each table's row count. */
export interface StoreSummary {
  migrations: string[];
  rows: Record<string, number>;
}

export interface RestoreResult {
  storeDir: string;
  restored: StoreSummary;
  /** Where the store that was there before now is, when there was one with data; null otherwise. */
  keptAside: string | null;
}

/**
 * Reads a store's migrations and counts every table's rows (which reads every page of every table: a damaged one
 * fails here rather than in front of a user). Refuses a store that is not Rapport's or was made by a newer Rapport.
 */
export async function summariseStore(db: Kysely<DB>): Promise<StoreSummary> {
  const hasMigrations = await sql<{ found: boolean }>`
    select to_regclass('public.kysely_migration') is not null as found`.execute(db);
  if (!hasMigrations.rows[0]?.found)
    throw new RestoreError("it holds no Rapport store (no migrations table)");
  const applied = (
    await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
  ).rows.map((r) => r.name);
  const unknown = applied.filter((name) => !(name in migrations));
  if (unknown.length)
    throw new RestoreError(
      `it was made by a newer Rapport (migration ${unknown.join(", ")} is unknown to this one): upgrade Rapport first`,
    );
  const tables = (
    await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
      order by table_name`.execute(db)
  ).rows.map((r) => r.name);
  const rows: Record<string, number> = {};
  for (const table of tables) {
    const counted = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    rows[table] = counted.rows[0]?.n ?? 0;
  }
  return { migrations: applied, rows };
}

/** Opens a PGlite data directory without taking its lock (the caller holds it) and summarises it. */
async function summariseDir(dir: string, loadDataDir?: Blob): Promise<StoreSummary> {
  const pglite = await PGlite.create({ dataDir: dir, loadDataDir });
  const database = wrapPglite(pglite, true);
  try {
    return await summariseStore(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Replaces the embedded store with the one in `archive` (made by backUpEmbeddedStore). Nothing is touched until
 * the archive has been unpacked beside the store, opened and checked; a server running on the store makes it
 * refuse; a store that holds data is only replaced with `force`, and then kept aside, never deleted.
 */
export async function restoreEmbeddedStore(
  dataDir: string,
  archive: string,
  options: { force?: boolean } = {},
): Promise<RestoreResult> {
  const storeDir = storeDirOf(dataDir);
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(readFileSync(archive));
  } catch (error) {
    throw new RestoreError(`${archive} cannot be read as a Rapport backup (${(error as Error).message}).`);
  }

  mkdirSync(dataDir, { recursive: true });
  const hadDir = existsSync(storeDir);
  let unlock = () => {};
  if (hadDir) {
    try {
      unlock = lockStore(storeDir);
    } catch (error) {
      if (error instanceof StoreLockedError)
        throw new RestoreError(`${error.message.split(". ")[0]}. Stop the server before restoring.`);
      throw error;
    }
  }
  const staging = `${storeDir}.restoring`;
  try {
    const hadStore = existsSync(path.join(storeDir, "PG_VERSION"));
    let holdsData = false;
    if (hadStore) {
      let present: StoreSummary | null = null;
      try {
        present = await summariseDir(storeDir);
      } catch {
        // A store that cannot be opened may still be worth something to someone: it is kept aside like any other.
      }
      holdsData = present === null || (present.rows.organizations ?? 0) > 0;
      if (holdsData && !options.force)
        throw new RestoreError(
          present
            ? `${storeDir} holds ${present.rows.organizations} organisation(s). Restore into an empty data directory, or add --force to replace it (it is kept aside, not deleted).`
            : `${storeDir} holds a store that cannot be opened. Add --force to replace it (it is kept aside, not deleted).`,
        );
    }

    // Unpacked and opened beside the store: PostgreSQL replays the snapshot's WAL here, and the rows are counted.
    rmSync(staging, { recursive: true, force: true });
    // Before PGlite writes the first file of it: they are every local user's (see owner-only.ts).
    ownerOnlyDir(staging);
    let restored: StoreSummary;
    try {
      restored = await summariseDir(staging, new Blob([new Uint8Array(tar)]));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      const reason = error instanceof Error ? error.message : String(error);
      throw new RestoreError(`${archive} cannot be restored: ${reason}. Nothing was changed.`);
    }
    // The snapshot carries the lock file of the server it was taken from; the restored store is ours until renamed.
    rmSync(path.join(staging, "rapport.lock"), { force: true });
    const unlockStaging = lockStore(staging);

    let keptAside: string | null = null;
    if (hadDir) {
      const aside = `${storeDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(storeDir, aside);
      // Every record, for as long as the operator keeps it: an older Rapport's store may still be open to others.
      chmodSync(aside, 0o700);
      rmSync(path.join(aside, "rapport.lock"), { force: true });
      unlock = () => {};
      if (holdsData) keptAside = aside;
      else rmSync(aside, { recursive: true, force: true });
    }
    renameSync(staging, storeDir);
    unlockStaging();
    rmSync(path.join(storeDir, "rapport.lock"), { force: true });
    return { storeDir, restored, keptAside };
  } finally {
    unlock();
  }
}
