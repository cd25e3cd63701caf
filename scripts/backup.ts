// Backs up the embedded store, while the server runs or not:
//   npm run backup [-- <file>]        (default: backups/rapport-<date and time>.tar.gz)
// PostgreSQL (DATABASE_URL set) is backed up with pg_dump: see docs/backups.md.
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../src/server/config";
import { BackupError, backUpEmbeddedStore } from "../src/server/db/embedded-backup";
import { StoreLockedError } from "../src/server/db/store-lock";

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  if (positionals.length > 1) {
    console.error("Usage: npm run backup [-- <file>]");
    process.exit(2);
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(
      "This Rapport uses a PostgreSQL server (DATABASE_URL): back it up with pg_dump -Fc, as docs/backups.md shows.",
    );
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.resolve(positionals[0] ?? path.join("backups", `rapport-${stamp}.tar.gz`));
  const started = performance.now();
  const result = await backUpEmbeddedStore(config.dataDir, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const by =
    result.takenBy === "backup"
      ? "no server was running"
      : `taken by the running server, pid ${result.takenBy.server}`;
  console.log(
    `Backed up the embedded store in ${config.dataDir} to ${result.file} ` +
      `(${(result.bytes / 1e6).toFixed(1)} MB, ${seconds} s; ${by}).\nsha256 ${result.sha256}`,
  );
}

main().catch((error: unknown) => {
  const known =
    error instanceof BackupError || error instanceof ConfigError || error instanceof StoreLockedError;
  console.error(known ? `Backup failed. ${(error as Error).message}` : error);
  process.exit(1);
});
