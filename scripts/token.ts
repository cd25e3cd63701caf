// Prints a token from the local issuer (valid one hour) and nothing else, so scripts can sign in:
//   npm run --silent token -- --email rep@contoso.example [--name "Rita Rep"] [--org contoso.example]
import { parseArgs } from "node:util";
import { loadLocalIssuer } from "../src/server/auth/local-issuer";
import { loadConfig } from "../src/server/config";
import { domainOf, normalizeEmailAddress } from "../src/shared/email-address";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      org: { type: "string" },
      expires: { type: "string" },
    },
    strict: true,
  });
  const email = values.email ? normalizeEmailAddress(values.email) : null;
  if (!email) {
    console.error(
      'Usage: npm run --silent token -- --email rep@contoso.example [--name "Rita Rep"] [--org contoso.example]',
    );
    process.exit(2);
  }
  const config = loadConfig();
  const issuer = await loadLocalIssuer(config.dataDir);
  const token = await issuer.sign(
    { email, name: values.name, org: values.org ?? domainOf(email) },
    { expiresIn: values.expires ?? "1h" },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
