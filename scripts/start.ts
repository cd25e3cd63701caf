// `npm start`: the Rapport server on the embedded store, and the add-in's dev server (HTTPS, hot reload) with
// the browser preview. Either one stopping stops both, so a failed start is never half-running.
// On an empty store it offers demo data: `--demo` loads it without asking, `--no-demo` never offers it.
import { type ChildProcess, spawn } from "node:child_process";
import { get } from "node:https";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { loadConfig } from "../src/server/config";
import { apiUrlFromEnv, loadDemoData, mintPreviewToken, storeIsEmpty, waitForApi } from "./demo-data";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const addinPort = process.env.ADDIN_PORT ?? "3000";
const apiPort = process.env.PORT || "3001";

// Refused before anything starts: on one port, whichever listens second fails with EADDRINUSE, which does not
// say which setting to change; on port 0 the server picks a port the dev server's proxy cannot know.
const portProblem =
  Number(apiPort) === Number(addinPort)
    ? `PORT (the API server) and ADDIN_PORT (the dev server) are both ${apiPort}: give them different ports.`
    : Number(apiPort) === 0 && !process.env.RAPPORT_API_URL
      ? "PORT=0 lets the server pick its port, which the dev server's proxy cannot know: give PORT a number."
      : null;
if (portProblem) {
  console.error(`npm start: ${portProblem}`);
  process.exit(1);
}

// The server shares the terminal with webpack and the demo prompt: one readable line per request, not JSON.
// The web app is opened at the dev server, which proxies the API under the server's own address: one-time links
// and passkeys must name the address people use, so that is the server's public address unless one is set.
const serverEnv = {
  ...process.env,
  LOG_FORMAT: process.env.LOG_FORMAT || "pretty",
  RAPPORT_PUBLIC_URL: process.env.RAPPORT_PUBLIC_URL || `https://localhost:${addinPort}`,
};
// The dev server proxies the API to the server this command starts, wherever PORT puts it.
const devServerEnv = {
  ...process.env,
  RAPPORT_API_URL: process.env.RAPPORT_API_URL || `http://127.0.0.1:${apiPort}`,
};
const children: ChildProcess[] = [
  spawn(bin("tsx"), ["src/server/main.ts"], { cwd: root, stdio: "inherit", env: serverEnv }),
  spawn(bin("webpack"), ["serve", "--mode", "development"], {
    cwd: root,
    stdio: "inherit",
    env: devServerEnv,
  }),
];

console.log(
  `Rapport preview: https://localhost:${addinPort}/preview.html (the certificate is self-signed: accept it once)`,
);
console.log(`Rapport web app (today, reports, settings): https://localhost:${addinPort}/app`);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const exitWhenDone = () =>
    children.every((c) => c.exitCode !== null || c.signalCode !== null) && process.exit(code);
  for (const child of children) child.on("exit", exitWhenDone);
  exitWhenDone();
}

for (const child of children) {
  // A child killed by a signal failed as much as one that exited non-zero.
  child.on("exit", (code, signal) => stopAll(code ?? (signal ? 1 : 0)));
  // One that could not even start (a missing binary) stops the other too, instead of leaving it orphaned.
  child.on("error", (error) => {
    console.error(`npm start: ${error.message}`);
    stopAll(1);
  });
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

/** The server's first start creates and migrates the store, which can take a while on a slow disk. */
const HEALTH_TIMEOUT_MS = 120_000;
const ADDIN_TIMEOUT_MS = 90_000;

async function offerDemoData(): Promise<void> {
  if (process.argv.includes("--no-demo")) return;
  // The server runs in the project root, so a relative RAPPORT_DATA_DIR means the directory there.
  const config = loadConfig({
    ...process.env,
    RAPPORT_DATA_DIR: path.resolve(root, process.env.RAPPORT_DATA_DIR || "./data"),
  });
  if (!config.localIssuer) return; // Entra-only sign-in: there is no local rep to load the data for.
  const apiUrl = apiUrlFromEnv();
  if (!(await waitForApi(apiUrl, HEALTH_TIMEOUT_MS, () => stopping))) return;
  const token = await mintPreviewToken(config.dataDir);
  if (stopping || !(await storeIsEmpty(apiUrl, token))) return;

  if (!process.argv.includes("--demo")) {
    if (!process.stdin.isTTY) {
      console.log("The store is empty: run `npm run demo` in another terminal to load demo data.");
      return;
    }
    await waitForAddin(ADDIN_TIMEOUT_MS);
    if (stopping) return;
    if (!(await askYes("The store is empty. Load demo data (companies, contacts, deals, history)? [Y/n] "))) {
      return;
    }
  }
  if (stopping) return;
  const summary = await loadDemoData(apiUrl, await mintPreviewToken(config.dataDir));
  console.log(
    `Demo data loaded: ${summary.companies} companies, ${summary.contacts} contacts, ${summary.deals} deals, ` +
      `${summary.tasks} tasks, ${summary.interactions} interactions.`,
  );
}

/**
 * The dev server holds requests until its first build is done, so once it answers webpack has had its say and
 * the question is not buried under the build output. Past the deadline the question comes anyway.
 */
async function waitForAddin(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!stopping && Date.now() < deadline) {
    const answered = await new Promise<boolean>((resolve) => {
      // Self-signed certificate on localhost: nothing to verify for this one local probe.
      const request = get(
        `https://localhost:${addinPort}/preview.html`,
        { rejectUnauthorized: false },
        (r) => {
          r.resume();
          resolve(true);
        },
      );
      request.setTimeout(Math.max(deadline - Date.now(), 1), () => request.destroy());
      request.on("error", () => resolve(false));
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function askYes(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  // The prompt holds the terminal in raw mode, so Ctrl+C arrives here rather than as a signal to everyone.
  prompt.on("SIGINT", () => {
    prompt.close();
    stopAll(0);
  });
  try {
    const answer = (await prompt.question(question)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } catch {
    return false; // closed (Ctrl+C, Ctrl+D) without an answer
  } finally {
    prompt.close();
  }
}

// Demo data is a convenience: whatever goes wrong with it, the server and the add-in keep running.
offerDemoData().catch((error: unknown) => {
  console.error(`Demo data was not loaded: ${error instanceof Error ? error.message : String(error)}`);
});
