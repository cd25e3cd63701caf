// Makes an organisation's first admin and prints a one-time link (seven days) to set their password:
//   npm run admin -- --email ada@example.com --org "Example Ltd" [--url https://crm.example.com]
// The organisation is found by its id, its name or its tenant, or made. With the embedded store, stop the server
// first (the store is one process's); on PostgreSQL it may run.
import { parseArgs } from "node:util";
import { createFirstAdmin } from "../src/server/accounts/first-admin";
import { ConfigError, loadConfig } from "../src/server/config";
import { openStore } from "../src/server/db/open-store";
import { StoreLockedError } from "../src/server/db/store-lock";
import { normalizeEmailAddress } from "../src/shared/email-address";

export const USAGE =
  'Usage: npm run admin -- --email ada@example.com --org "Example Ltd" [--url https://crm.example.com]';

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

export async function runAdminCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: { log(line: string): void; error(line: string): void },
): Promise<number> {
  const parsed = readArguments(args);
  if ("error" in parsed) {
    out.error(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    out.error(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  const linkBase =
    parsed.url ??
    config.publicUrl ??
    `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
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
    const admin = await createFirstAdmin(store.database.db, {
      email: parsed.email,
      org: parsed.org,
      linkBase,
    });
    const { organization } = admin;
    out.log(
      `${organization.created ? "Made the organisation" : "Found the organisation"} "${organization.name}" (${organization.id}).`,
    );
    out.log(
      `${parsed.email} is invited as its admin. Open this link to set the password (one use, until ${admin.expiresAt}):`,
    );
    out.log(admin.link);
    out.log("Rapport sends no mail: hand the link over yourself, and only to them.");
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
