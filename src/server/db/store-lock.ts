import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class StoreLockedError extends Error {}

/**
 * PGlite has no lock of its own: two servers on one data directory would both write to it and corrupt it.
 * The lock file holds the owner's pid; a lock whose process is gone (a crash, kill -9) is taken over.
 */
export function lockStore(dir: string): () => void {
  const file = path.join(dir, "rapport.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StoreLockedError(
          `Another Rapport server (pid ${owner}) is using the embedded store in ${dir}. ` +
            "Stop it first, or give this one its own RAPPORT_DATA_DIR.",
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new StoreLockedError(`Could not lock the embedded store in ${dir}.`);
}

/** Whether a process of that pid runs (one of another user's counts: it cannot be signalled, but it is there). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
