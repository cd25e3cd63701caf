import path from "node:path";
import type { Config } from "../config";
import { type Database, openPglite, openPostgres } from "./database";
import { migrateToLatest } from "./migrate";

/** Where the embedded store lives inside the data directory. */
export const storeDirOf = (dataDir: string) => path.join(dataDir, "pglite");

/** The store the configuration names, migrated to the latest schema before anything else touches it. */
export async function openStore(
  config: Pick<Config, "databaseUrl" | "databasePoolSize" | "dataDir"> & { statementTimeoutMs?: number },
): Promise<{
  database: Database;
  description: string;
  applied: string[];
}> {
  const database = config.databaseUrl
    ? await openPostgres(config.databaseUrl, {
        poolSize: config.databasePoolSize,
        statementTimeoutMs: config.statementTimeoutMs,
      })
    : await openPglite({ dataDir: storeDirOf(config.dataDir) });
  try {
    const applied = await migrateToLatest(database.db);
    const description = config.databaseUrl
      ? `PostgreSQL at ${redactUrl(config.databaseUrl)}`
      : `embedded PostgreSQL (PGlite) in ${storeDirOf(config.dataDir)}`;
    return { database, description, applied };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** A database URL fit to print: its password hidden. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(the configured URL)";
  }
}
