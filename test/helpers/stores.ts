import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { type Database, type StoreKind, openPglite, openPostgres } from "../../src/server/db/database";
import { migrateToLatest } from "../../src/server/db/migrate";

const postgresStatus = process.env.RAPPORT_TEST_POSTGRES ?? "unavailable: global setup did not run";

/** The stores every API suite runs against: PGlite always, the real PostgreSQL when this machine has one. */
export const storeKinds: StoreKind[] = postgresStatus === "available" ? ["pglite", "postgres"] : ["pglite"];

if (postgresStatus !== "available") {
  console.warn(postgresStatus.replace(/^unavailable: /, ""));
}

/**
 * Whether the index-th of a suite's cases that need not run on every store runs on this one: the stores take turns,
 * and under RAPPORT_DEEP_TESTS=1 every store runs every case (docs/testing.md names the suites that do this).
 */
export const takesItsTurn = (index: number, kind: StoreKind): boolean =>
  process.env.RAPPORT_DEEP_TESTS === "1" || index % storeKinds.length === storeKinds.indexOf(kind);

/** How many connections a test's PostgreSQL store holds unless the suite asks for another number. */
export const TEST_POOL_SIZE = 20;

/** A fresh, migrated store of that kind, private to the calling suite. */
export async function openTestStore(
  kind: StoreKind,
  { poolSize = TEST_POOL_SIZE }: { poolSize?: number } = {},
): Promise<Database> {
  if (kind === "pglite") {
    const template = process.env.RAPPORT_TEST_TEMPLATE;
    if (!template)
      throw new Error("RAPPORT_TEST_TEMPLATE is not set: run the tests through jest (global setup).");
    return openPglite({ loadDataDir: new Blob([readFileSync(template)]) });
  }
  const template = process.env.RAPPORT_TEST_POSTGRES_TEMPLATE;
  const { url, drop } = await createTestDatabase(template);
  const database = await openPostgres(url, { poolSize });
  // A copy of the migrated template is migrated already; without one (a suite run outside jest) it is done here.
  if (!template) await migrateToLatest(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      await drop();
    },
  };
}

/** A database of its own on the test PostgreSQL server, empty or a copy of a template, and how to drop it. */
export async function createTestDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `rapport_test_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
