// Makes an organisation's first admin and prints a one-time link (seven days) to set their password:
//   npm run admin -- --email ada@example.com --org "Example Ltd" [--url https://crm.example.com]
// The organisation is found by its id, its name or its tenant, or made.
// Rebuilds the reports' rollups (stage stays, interactions per day) from the history, for every organisation or
// one (by id):
//   npm run admin -- rebuild-rollups [--org <organisation id>]
// With the embedded store, stop the server first (the store is one process's); on PostgreSQL it may run.
import { parseArgs } from "node:util";
import { createFirstAdmin } from "../src/server/accounts/first-admin";
import type { Kysely } from "kysely";
import { type Config, ConfigError, loadConfig } from "../src/server/config";
import type { DB } from "../src/server/db/tables";
import { openStore } from "../src/server/db/open-store";
import { StoreLockedError } from "../src/server/db/store-lock";
import { rebuildReportRollups } from "../src/server/reports/rollups";
import { normalizeEmailAddress } from "../src/shared/email-address";

export const USAGE =
  'Usage: npm run admin -- --email ada@example.com --org "Example Ltd" [--url https://crm.example.com]\n' +
  "       npm run admin -- rebuild-rollups [--org <organisation id>]";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** rebuild-rollups' arguments: the organisation's id, or null for all of them. */
export function readRebuildArguments(args: string[]): { orgId: string | null } | { error: string } {
  let values: { org?: string };
  try {
    ({ values } = parseArgs({ args, options: { org: { type: "string" } }, strict: true }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.org !== undefined && !UUID.test(values.org.trim()))
    return { error: "--org needs the organisation's id (a uuid)" };
  return { orgId: values.org?.trim().toLowerCase() ?? null };
}

export interface AdminArguments {
  email: string;
  org: string;
  url: string | null;
}

/** The command's arguments, or why they are not usable. */
export function readArguments(args: string[]): AdminArguments | { error: string } {
  let values: { email?: string; org?: string; url?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: "string" }, org: { type: "string" }, url: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const email = values.email ? normalizeEmailAddress(values.email) : null;
  if (!email) return { error: "--email needs the admin's email address" };
  const org = values.org?.trim();
  if (!org) return { error: "--org needs the organisation's name (or id)" };
  if (values.url !== undefined && !/^https?:\/\/[^\s/]+/.test(values.url))
    return { error: "--url needs the server's address, such as https://crm.example.com" };
  return { email, org, url: values.url ?? null };
}

type Out = { log(line: string): void; error(line: string): void };

export async function runAdminCommand(args: string[], env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  if (args[0] === "rebuild-rollups") {
    const parsed = readRebuildArguments(args.slice(1));
    if ("error" in parsed) {
      out.error(`${parsed.error}\n${USAGE}`);
      return 2;
    }
    return withStore(env, out, async (db) => {
      const rebuilt = await rebuildReportRollups(db, parsed.orgId);
      out.log(
        `Rebuilt the reports' rollups of ${parsed.orgId === null ? "every organisation" : `the organisation ${parsed.orgId}`} ` +
          `from the history: ${rebuilt.stays} stage stays, ${rebuilt.interactionDays} interaction days, ` +
          `${rebuilt.contactsContacted} contacts with a last interaction, ${rebuilt.stageFlows} stage flows, ` +
          `${rebuilt.stageLengths} stage lengths, ${rebuilt.interactionWeeks} interaction weeks, ` +
          `${rebuilt.dealsActive} deals with a last activity.`,
      );
    });
  }
  const parsed = readArguments(args);
  if ("error" in parsed) {
    out.error(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  return withStore(env, out, async (db, config) => {
    const linkBase =
      parsed.url ??
      config.publicUrl ??
      `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
    const admin = await createFirstAdmin(db, { email: parsed.email, org: parsed.org, linkBase });
    const { organization } = admin;
    out.log(
      `${organization.created ? "Made the organisation" : "Found the organisation"} "${organization.name}" (${organization.id}).`,
    );
    out.log(
      `${parsed.email} is invited as its admin. Open this link to set the password (one use, until ${admin.expiresAt}):`,
    );
    out.log(admin.link);
    out.log("Rapport sends no mail: hand the link over yourself, and only to them.");
  });
}

/** Opens the configured store (migrated), runs one command on it, closes it: 0, or 1 with why on `out`. */
async function withStore(
  env: NodeJS.ProcessEnv,
  out: Out,
  command: (db: Kysely<DB>, config: Config) => Promise<void>,
): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    out.error(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  let store;
  try {
    store = await openStore(config);
  } catch (error) {
    out.error(
      error instanceof StoreLockedError
        ? `${error.message}\nThe embedded store is the running server's: stop it, run npm run admin, start it again.`
        : `The store could not be opened: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  try {
    await command(store.database.db, config);
    return 0;
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await store.database.close();
  }
}

if (require.main === module) {
  runAdminCommand(process.argv.slice(2), process.env, console).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
