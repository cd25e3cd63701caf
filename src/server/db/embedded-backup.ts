import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { openPglite } from "./database";
import { requestSnapshot } from "./backup-channel";
import { storeDirOf } from "./open-store";

export class BackupError extends Error {}

export interface BackupResult {
  file: string;
  /** The archive's size, compressed. */
  bytes: number;
  /** Of the archive file, for the operator's records (sha256sum gives the same). */
  sha256: string;
  /** Who took the snapshot: the running server, or this process with the store closed. */
  takenBy: { server: number } | "backup";
}

/**
 * Writes a gzipped tar of the embedded store to `file`. A running server takes the snapshot itself (see
 * backup-channel.ts), without stopping; with no server running, the store is opened here, under the same lock a
 * server takes, so neither starts on it meanwhile.
 */
export async function backUpEmbeddedStore(dataDir: string, file: string): Promise<BackupResult> {
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose another name.`);
  let tar: Buffer;
  let takenBy: BackupResult["takenBy"];
  const fromServer = await requestSnapshot(dataDir);
  if (fromServer) {
    tar = fromServer.tar;
    takenBy = { server: fromServer.pid };
  } else {
    const storeDir = storeDirOf(dataDir);
    if (!existsSync(path.join(storeDir, "PG_VERSION")))
      throw new BackupError(`There is no embedded store in ${storeDir} (is RAPPORT_DATA_DIR right?).`);
    const database = await openPglite({ dataDir: storeDir });
    try {
      tar = Buffer.from(await (await (database.snapshot as () => Promise<Blob>)()).arrayBuffer());
    } finally {
      await database.close();
    }
    takenBy = "backup";
  }
  const archive = await promisify(gzip)(tar);
  writeWhole(file, archive);
  // Read back and compared: a backup that was never read is a hope, not a backup.
  const reread = await promisify(gunzip)(readFileSync(file));
  if (!reread.equals(tar))
    throw new BackupError(`${file} does not read back as written: the disk is suspect.`);
  return {
    file,
    bytes: archive.length,
    sha256: createHash("sha256").update(archive).digest("hex"),
    takenBy,
  };
}

/**
 * Under a temporary name first, flushed, then renamed: a crash or a full disk never leaves a file that looks like
 * a whole backup. Readable by the owner only: it holds every record of the store.
 *
 * The temporary file is created here or not at all ("wx": never through a file or link already there): in a
 * shared directory, another user could leave one under that name that anyone may read (the mode is only given
 * to a file being created), or a link to a file of ours, and the backup would be theirs to read or would
 * overwrite that file.
 */
function writeWhole(file: string, content: Buffer): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  let fd: number;
  try {
    fd = openSync(partial, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new BackupError(
      `${partial} already exists (a backup that did not finish, or a file someone else put there): remove it, or choose another name.`,
    );
  }
  try {
    for (let written = 0; written < content.length;) written += writeSync(fd, content, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}
