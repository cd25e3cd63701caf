import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { openPostgres, wrapPglite } from "../../src/server/db/database";
import { migrateToLatest } from "../../src/server/db/migrate";
import { createTestDatabase } from "./stores";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/**
 * Once per run: a migrated PGlite store dumped to a file, so each suite starts from a copy in ~0.6 s instead
 * of running initdb (~4 s); a check whether the PostgreSQL suite can run here, and where it can, a migrated
 * database each PostgreSQL store is copied from (CREATE DATABASE … TEMPLATE, ~0.3 s, where migrating a new one
 * took over a second, and a run makes dozens).
 */
export default async function globalSetup(): Promise<void> {
  const pglite = await PGlite.create();
  const template = wrapPglite(pglite, true);
  await migrateToLatest(template.db);
  const dump = await pglite.dumpDataDir("none");
  const file = path.join(os.tmpdir(), `rapport-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await template.close();
  process.env.RAPPORT_TEST_TEMPLATE = file;

  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    process.env.RAPPORT_TEST_POSTGRES = "available";
    const template = await createTestDatabase();
    const migrated = await openPostgres(template.url, { poolSize: 1 });
    try {
      await migrateToLatest(migrated.db);
    } finally {
      await migrated.close();
    }
    process.env.RAPPORT_TEST_POSTGRES_TEMPLATE = new URL(template.url).pathname.slice(1);
  } catch (error) {
    const reason = `PostgreSQL suite SKIPPED: no PostgreSQL at ${url} (${(error as Error).message}). Set TEST_DATABASE_URL to run it.`;
    if (process.env.RAPPORT_REQUIRE_ALL_SUITES === "1") {
      throw new Error(`${reason} RAPPORT_REQUIRE_ALL_SUITES=1 forbids skipping.`, { cause: error });
    }
    console.warn(`\n${reason}\n`);
    process.env.RAPPORT_TEST_POSTGRES = `unavailable: ${reason}`;
  } finally {
    await client.end().catch(() => {});
  }
}
