import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { openPostgres } from "../../src/server/db/database";
import { migrateToLatest } from "../../src/server/db/migrate";
import {
  brokenReferences,
  inconsistentDeals,
  missingWrites,
  seedOrganisation,
  startWriter,
  waitForAcknowledged,
} from "../helpers/backup-load";
import { type ServerProcess, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";

/**
 * The PostgreSQL path of docs/backups.md, run for real: pg_dump -Fc while a Rapport server takes 40 writers'
 * writes, pg_restore into a fresh database, and the restored store checked as a server would find it.
 */
const tools = ["pg_dump", "pg_restore"].filter((tool) => spawnSync(tool, ["--version"]).status !== 0);
const skipped = !storeKinds.includes("postgres")
  ? "no PostgreSQL (see above)"
  : tools.length
    ? `${tools.join(" and ")} not installed (Debian: apt-get install postgresql-client)`
    : null;
if (skipped) {
  const reason = `PostgreSQL backup suite SKIPPED: ${skipped}.`;
  if (process.env.RAPPORT_REQUIRE_ALL_SUITES === "1")
    throw new Error(`${reason} RAPPORT_REQUIRE_ALL_SUITES=1 forbids skipping.`);
  console.warn(reason);
}
const describeIfTools = skipped ? describe.skip : describe;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describeIfTools("backup and restore of a PostgreSQL store with pg_dump and pg_restore", () => {
  let dir: string;
  let server: ServerProcess | null = null;
  const drops: (() => Promise<void>)[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-pg-backup-"));
  });
  afterAll(async () => {
    if (server && server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill("SIGKILL");
      await server.exited;
    }
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("restores every write acknowledged before pg_dump began, into a fresh database that serves as it did", async () => {
    const source = await createTestDatabase();
    drops.push(source.drop);
    server = await startServerProcess({
      DATABASE_URL: source.url,
      RAPPORT_DATA_DIR: path.join(dir, "data"),
      RAPPORT_ADDIN_DIR: path.join(dir, "no-addin"),
      RAPPORT_RATE_LIMIT_PER_USER: "0",
      RAPPORT_RATE_LIMIT_PER_IP: "0",
      RAPPORT_DRAIN_SECONDS: "0",
    });
    const organisation = await seedOrganisation(server.url, path.join(dir, "data"));
    const writer = startWriter(dir, server.url, organisation);
    const dump = path.join(dir, "rapport.dump");
    let began = 0;
    try {
      await waitForAcknowledged(writer, 100);
      began = Date.now();
      const dumped = await run("pg_dump", ["--format=custom", `--file=${dump}`, source.url]);
      expect(dumped.output).toBe("");
      expect(dumped.code).toBe(0);
      await waitForAcknowledged(writer, writer.acknowledged().length + 50);
    } finally {
      expect(await writer.stop()).toBe(0);
    }
    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = null;
    const before = writer
      .acknowledged()
      .filter((a) => a.at < began)
      .map((a) => a.write);

    console.log(
      `pg_dump under load: ${before.length} writes acknowledged before it began, ` +
        `${writer.acknowledged().length} in all; dump ${(readFileSync(dump).length / 1e3).toFixed(0)} kB`,
    );

    const target = await createTestDatabase();
    drops.push(target.drop);
    const restored = await run("pg_restore", [
      "--exit-on-error",
      "--single-transaction",
      `--dbname=${target.url}`,
      dump,
    ]);
    expect(restored.output).toBe("");
    expect(restored.code).toBe(0);
    const database = await openPostgres(target.url);
    try {
      expect(await migrateToLatest(database.db)).toEqual([]);
      expect(await missingWrites(database, organisation.orgId, before)).toEqual([]);
      expect(await brokenReferences(database)).toEqual([]);
      expect(await inconsistentDeals(database, organisation.orgId)).toEqual([]);
      // The organisation wall came back with the tables: rapport_app sees one organisation's rows, not another's.
      const contacts = (orgId: string) =>
        database
          .forOrganization(orgId)
          .selectFrom("contacts")
          .select(sql<number>`count(*)::int`.as("n"))
          .execute();
      expect(await contacts(organisation.orgId)).toEqual([{ n: 5 }]);
      expect(await contacts(randomUUID())).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  }, 300_000);

  it("leaves the fresh database empty when the dump is damaged", async () => {
    const whole = readFileSync(path.join(dir, "rapport.dump"));
    const damaged = path.join(dir, "damaged.dump");
    writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const target = await createTestDatabase();
    drops.push(target.drop);
    const restored = await run("pg_restore", [
      "--exit-on-error",
      "--single-transaction",
      `--dbname=${target.url}`,
      damaged,
    ]);
    expect(restored.code).not.toBe(0);
    const database = await openPostgres(target.url);
    try {
      const tables = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(
        database.db,
      );
      expect(tables.rows).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  });
});
