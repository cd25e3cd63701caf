// Loads demo data into a running Rapport for the preview's rep (rita@contoso.example), so the sample emails in
// the browser preview meet a CRM with history:
//   npm run demo [-- --force] [--verbose]
// The API is RAPPORT_API_URL, or the local server on PORT (3001). The token comes from the local issuer in
// RAPPORT_DATA_DIR, so run it with the same environment as the server.
import { parseArgs } from "node:util";
import { loadConfig } from "../src/server/config";
import { apiUrlFromEnv, loadDemoData, mintPreviewToken, storeIsEmpty, waitForApi } from "./demo-data";

const HEALTH_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { force: { type: "boolean", default: false }, verbose: { type: "boolean", default: false } },
    strict: true,
  });
  const apiUrl = apiUrlFromEnv();
  const config = loadConfig();
  if (!config.localIssuer) {
    throw new Error("The local issuer is off (Entra ID sign-in only): the demo cannot sign in as the rep.");
  }
  if (!(await waitForApi(apiUrl, HEALTH_TIMEOUT_MS))) {
    throw new Error(`Rapport does not answer at ${apiUrl}/healthz: start it first (npm start).`);
  }
  const token = await mintPreviewToken(config.dataDir);
  if (!values.force && !(await storeIsEmpty(apiUrl, token))) {
    throw new Error(
      "The store already has contacts; the demo data is for an empty store. Use --force to add it anyway.",
    );
  }
  const log = values.verbose ? (line: string) => console.log(`  ${line}`) : undefined;
  const summary = await loadDemoData(apiUrl, token, log);
  console.log(
    `Demo data loaded at ${apiUrl}: ${summary.companies} companies, ${summary.contacts} contacts, ` +
      `${summary.deals} deals, ${summary.tasks} tasks, ${summary.interactions} interactions.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
