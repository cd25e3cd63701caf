// Restores the embedded store from a backup, into a stopped server's data directory:
//   npm run restore -- <file> [--force]
// --force replaces a store that holds data (kept aside beside it, never deleted). PostgreSQL: pg_restore, see
// docs/backups.md.
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../src/server/config";
import { RestoreError, restoreEmbeddedStore } from "../src/server/db/embedded-restore";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { force: { type: "boolean", default: false } },
  });
  const archive = positionals[0];
  if (!archive || positionals.length > 1) {
    console.error("Usage: npm run restore -- <file> [--force]");
    process.exit(2);
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(
      "This Rapport uses a PostgreSQL server (DATABASE_URL): restore it with pg_restore, as docs/backups.md shows.",
    );
    process.exit(2);
  }
  const result = await restoreEmbeddedStore(config.dataDir, archive, { force: values.force });
  const latest = result.restored.migrations.at(-1) ?? "none";
  const rows = Object.entries(result.restored.rows)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(", ");
  console.log(`Restored ${archive} into ${result.storeDir}.`);
  console.log(`Its schema: migration ${latest}; its rows: ${rows || "none"}.`);
  if (result.keptAside)
    console.log(`The store that was there is kept in ${result.keptAside}: delete it when satisfied.`);
  console.log(
    "Start the server (npm run serve): it brings an older backup's schema up to date as it starts.",
  );
}

main().catch((error: unknown) => {
  const known = error instanceof RestoreError || error instanceof ConfigError;
  console.error(known ? `Restore failed. ${(error as Error).message}` : error);
  process.exit(1);
});
