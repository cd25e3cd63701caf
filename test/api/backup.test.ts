import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { openPglite } from "../../src/server/db/database";
import { restoreEmbeddedStore } from "../../src/server/db/embedded-restore";
import { openStore } from "../../src/server/db/open-store";
import type { Write } from "../helpers/durability-writer";
import {
  brokenReferences,
  inconsistentDeals,
  missingWrites,
  type Organisation,
  runCommand,
  seedOrganisation,
  startWriter,
  waitForAcknowledged,
} from "../helpers/backup-load";
import { type ServerProcess, startServerProcess } from "../helpers/server-process";

/** RAPPORT_BACKUP_SOAK=<n>: n backups in a row under 200 writers instead of one under 40. */
const SOAK = Number(process.env.RAPPORT_BACKUP_SOAK ?? 0);

/**
 * `npm run backup` and `npm run restore` on the embedded store, as processes of their own against a real server
 * process under 40 concurrent writers. One store for the file: each test goes on from the one before.
 */
describe("backup and restore of the embedded store", () => {
  let dir: string;
  const envFor = (data: string): NodeJS.ProcessEnv => ({
    RAPPORT_DATA_DIR: path.join(dir, data),
    RAPPORT_ADDIN_DIR: path.join(dir, "no-addin"),
    RAPPORT_RATE_LIMIT_PER_USER: "0",
    RAPPORT_RATE_LIMIT_PER_IP: "0",
    RAPPORT_DRAIN_SECONDS: "0",
    LOG_LEVEL: "warn",
  });
  let server: ServerProcess | null = null;
  let organisation: Organisation;
  let acknowledged: Write[] = [];
  const liveBackup = () => path.join(dir, "live.tar.gz");

  /** The restored store, opened as the server opens it, with what it holds of `writes`. */
  async function checkRestored(data: string, writes: Write[]) {
    const { database, applied } = await openStore({
      databaseUrl: null,
      databasePoolSize: 1,
      dataDir: path.join(dir, data),
    });
    try {
      return {
        // A backup of this release's store needs no migration: its schema is current.
        applied,
        missing: await missingWrites(database, organisation.orgId, writes),
        broken: await brokenReferences(database),
        deals: await inconsistentDeals(database, organisation.orgId),
      };
    } finally {
      await database.close();
    }
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-backup-"));
  });
  afterAll(async () => {
    if (server && server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill("SIGKILL");
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "restores every write acknowledged before a backup taken from the running server under load",
    async () => {
      server = await startServerProcess(envFor("data"));
      organisation = await seedOrganisation(server.url, path.join(dir, "data"));
      const writer = startWriter(dir, server.url, organisation, SOAK ? 50 : 10);
      try {
        const backups: { file: string; began: number; ended: number; output: string }[] = [];
        for (let i = 0; i < (SOAK || 1); i++) {
          await waitForAcknowledged(writer, writer.acknowledged().length + 100);
          const file = i === 0 ? liveBackup() : path.join(dir, `live-${i}.tar.gz`);
          const began = Date.now();
          const backup = await runCommand("backup", [file], envFor("data"));
          const ended = Date.now();
          expect(backup.output).toMatch(/taken by the running server, pid \d+/);
          expect(backup.code).toBe(0);
          backups.push({ file, began, ended, output: backup.output.trim().split("\n")[0] ?? "" });
        }
        // The server went on taking writes after the backups.
        await waitForAcknowledged(writer, writer.acknowledged().length + 50);
        expect(await writer.stop()).toBe(0);
        const all = writer.acknowledged();
        acknowledged = all.map((a) => a.write);

        for (const [i, { file, began, ended, output }] of backups.entries()) {
          const before = all.filter((a) => a.at < began).map((a) => a.write);
          const during = all.filter((a) => a.at >= began && a.at <= ended).map((a) => a.write);
          const after = all.filter((a) => a.at > ended).map((a) => a.write);
          const target = i === 0 ? "restored" : `restored-${i}`;
          const restore = await runCommand("restore", [file], envFor(target));
          expect(restore.output).toMatch(/Restored .* its rows: .*organizations 1/s);
          expect(restore.code).toBe(0);
          const restored = await checkRestored(target, acknowledged);
          const missing = new Set(restored.missing);
          const lost = (writes: Write[]) => writes.filter((w) => missing.has(`${w.kind} ${w.key}`));
          console.log(
            `backup under load: ${before.length} writes acknowledged before the backup, ${during.length} during it ` +
              `(${during.length - lost(during).length} of them restored), ${after.length} after ` +
              `(${after.length - lost(after).length} restored); backup ${((ended - began) / 1000).toFixed(1)} s. ${output}`,
          );
          expect(restored.applied).toEqual([]);
          expect(lost(before)).toEqual([]);
          expect(restored.broken).toEqual([]);
          expect(restored.deals).toEqual([]);
          // Answered after the backup: if it held them all, it would not have been taken when it says.
          expect(lost(after).length).toBeGreaterThan(0);
        }
      } finally {
        await writer.stop();
      }
    },
    (SOAK || 1) * 300_000,
  );

  it("backs up a stopped server's store by opening it itself, holding every acknowledged write", async () => {
    server?.process.kill("SIGTERM");
    expect(await server?.exited).toBe(0);
    server = null;
    expect(existsSync(path.join(dir, "data", "backup-channel.json"))).toBe(false);
    const file = path.join(dir, "stopped.tar.gz");
    const backup = await runCommand("backup", [file], envFor("data"));
    expect(backup.output).toMatch(/no server was running/);
    expect(backup.code).toBe(0);
    // Readable by its owner only: it holds every record.
    expect(readFileSync(file).length).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o077).toBe(0);

    const restore = await runCommand("restore", [file], envFor("stopped"));
    expect(restore.code).toBe(0);
    const restored = await checkRestored("stopped", acknowledged);
    expect(restored.missing).toEqual([]);
    expect(restored.broken).toEqual([]);
  }, 120_000);

  it("refuses to restore over a running server, over a store with data without --force, or from a damaged archive", async () => {
    // The restored store is a working store: a server starts on it and answers.
    server = await startServerProcess(envFor("restored"));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const running = await runCommand("restore", [liveBackup()], envFor("restored"));
    expect(running.output).toMatch(
      /Another Rapport server \(pid \d+\) is using .* Stop the server before restoring/,
    );
    expect(running.code).toBe(1);
    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = null;

    const store = path.join(dir, "restored", "pglite");
    const listing = () => readdirSync(path.join(dir, "restored")).sort();
    const before = listing();
    const unforced = await runCommand("restore", [liveBackup()], envFor("restored"));
    expect(unforced.output).toMatch(/holds 1 organisation.*--force/);
    expect(unforced.code).toBe(1);

    const damaged = path.join(dir, "damaged.tar.gz");
    const whole = readFileSync(liveBackup());
    writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length / 2)));
    const fromDamaged = await runCommand("restore", [damaged, "--force"], envFor("restored"));
    expect(fromDamaged.output).toMatch(/cannot be read as a Rapport backup/);
    expect(fromDamaged.code).toBe(1);
    expect(listing()).toEqual(before);
    expect(existsSync(path.join(store, "PG_VERSION"))).toBe(true);

    const forced = await runCommand("restore", [liveBackup(), "--force"], envFor("restored"));
    expect(forced.output).toMatch(/kept in .*pglite\.before-restore-/);
    expect(forced.code).toBe(0);
    const aside = listing().filter((name) => name.startsWith("pglite.before-restore-"));
    expect(aside).toHaveLength(1);
    expect(existsSync(path.join(dir, "restored", aside[0] as string, "PG_VERSION"))).toBe(true);
  }, 180_000);

  it("refuses a backup made by a newer Rapport, leaving the data directory as it was", async () => {
    const newer = await openPglite({
      loadDataDir: new Blob([readFileSync(process.env.RAPPORT_TEST_TEMPLATE as string)]),
    });
    let tar: Blob;
    try {
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', now()::text)`.execute(
        newer.db,
      );
      tar = await (newer.snapshot as () => Promise<Blob>)();
    } finally {
      await newer.close();
    }
    const file = path.join(dir, "newer.tar.gz");
    writeFileSync(file, gzipSync(Buffer.from(await tar.arrayBuffer())));
    const target = path.join(dir, "for-newer");
    await expect(restoreEmbeddedStore(target, file)).rejects.toThrow(
      /made by a newer Rapport \(migration 9999_from_the_future is unknown to this one\).*Nothing was changed/,
    );
    expect(readdirSync(target)).toEqual([]);
  }, 120_000);
});
