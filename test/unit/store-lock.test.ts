import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StoreLockedError, lockStore } from "../../src/server/db/store-lock";

describe("the embedded store's lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-lock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second owner while the first one's process lives", async () => {
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(path.join(dir, "rapport.lock"), String(other.pid));
      expect(() => lockStore(dir)).toThrow(StoreLockedError);
      expect(() => lockStore(dir)).toThrow(`pid ${other.pid}`);
    } finally {
      other.kill();
    }
  });

  it("takes over the lock of a server that died without releasing it", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    writeFileSync(path.join(dir, "rapport.lock"), String(dead.pid));
    const unlock = lockStore(dir);
    unlock();
    expect(existsSync(path.join(dir, "rapport.lock"))).toBe(false);
  });
});
