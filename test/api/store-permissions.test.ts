import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { openPglite } from "../../src/server/db/database";
import { BackupError, backUpEmbeddedStore } from "../../src/server/db/embedded-backup";
import { storeDirOf } from "../../src/server/db/open-store";
import { restoreEmbeddedStore } from "../../src/server/db/embedded-restore";

/** Whether anyone but the owner may enter or read it: any bit for group or others. */
const othersMay = (file: string) => statSync(file).mode & 0o077;

/**
 * PGlite writes the store's files readable and writable by every local user (0666), whatever the umask: the
 * directory that holds them is all that keeps another user of the machine from reading or changing every record.
 */
// Each test makes a store of its own (PGlite's initdb, a restore): seconds alone, over 30 s beside a busy suite.
jest.setTimeout(120_000);

describe("who else on the machine can reach the embedded store", () => {
  let dir: string;
  const template = () => readFileSync(process.env.RAPPORT_TEST_TEMPLATE as string);

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-store-permissions-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens a store in a directory only its owner can enter, a new one and one left open to others", async () => {
    const fresh = path.join(dir, "fresh", "pglite");
    const database = await openPglite({ dataDir: fresh });
    await database.close();
    // The premise: the files themselves are everyone's.
    expect(statSync(path.join(fresh, "PG_VERSION")).mode & 0o006).not.toBe(0);
    expect(othersMay(fresh)).toBe(0);

    chmodSync(fresh, 0o755);
    const reopened = await openPglite({ dataDir: fresh });
    await reopened.close();
    expect(othersMay(fresh)).toBe(0);
  });

  it("restores into, and keeps the store it replaces in, directories only their owner can enter", async () => {
    const data = path.join(dir, "restore-data");
    const archive = path.join(dir, "template.tar.gz");
    writeFileSync(archive, gzipSync(template()), { mode: 0o600 });

    const first = await restoreEmbeddedStore(data, archive);
    expect(othersMay(first.storeDir)).toBe(0);

    // A store with data, as an older Rapport left it: open to others.
    const seeded = await openPglite({ dataDir: storeDirOf(data) });
    await seeded.db.insertInto("organizations").values({ tenant_id: "t-1", name: "Kept" }).execute();
    await seeded.close();
    chmodSync(storeDirOf(data), 0o755);

    const second = await restoreEmbeddedStore(data, archive, { force: true });
    expect(second.keptAside).not.toBeNull();
    expect(othersMay(second.storeDir)).toBe(0);
    expect(othersMay(second.keptAside as string)).toBe(0);
  });

  it("refuses to write a backup through a partial file that is already there, someone else's perhaps", async () => {
    const data = path.join(dir, "backup-data");
    const database = await openPglite({ dataDir: storeDirOf(data) });
    await database.close();
    // Another user, expecting the backup in a shared directory, left a file anyone may read under its name.
    const shared = path.join(dir, "shared");
    mkdirSync(shared);
    const file = path.join(shared, "rapport.tar.gz");
    writeFileSync(`${file}.partial`, "planted", { mode: 0o666 });
    chmodSync(`${file}.partial`, 0o666);

    const refused = await backUpEmbeddedStore(data, file).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackupError);
    expect((refused as BackupError).message).toMatch(/rapport\.tar\.gz\.partial already exists/);
    expect(readFileSync(`${file}.partial`, "utf8")).toBe("planted");
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(shared)).toEqual(["rapport.tar.gz.partial"]);
  });
});
