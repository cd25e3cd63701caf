import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { get } from "node:https";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const root = path.resolve(__dirname, "../..");
const run = promisify(execFile);

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether this machine can run the browser suites. Where it cannot, the suite says so plainly; under
 * RAPPORT_REQUIRE_ALL_SUITES=1 (CI) a skip is an error instead.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `${suite} SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`;
  if (process.env.RAPPORT_REQUIRE_ALL_SUITES === "1")
    throw new Error(`${reason} RAPPORT_REQUIRE_ALL_SUITES=1 forbids skipping.`);
  console.warn(reason);
  return false;
}

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The dev server's certificate is self-signed: this one request may accept it; the browser is told likewise. */
function answersOverHttps(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 400);
    });
    request.on("error", () => resolve(false));
  });
}

export interface RapportStack {
  apiUrl: string;
  previewUrl: string;
  /** The web app (dashboard, reports, settings), from the dev server as `npm start` serves it. */
  webAppUrl: string;
  dataDir: string;
  token(email: string, name?: string): Promise<string>;
  /** Stops the API server alone, as a crash or a restart would (only with `apiSeparately`). */
  stopApi(): Promise<void>;
  /** Starts it again on the same store and port (only with `apiSeparately`). */
  startApi(): Promise<void>;
  stop(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

/**
 * `npm start` as a newcomer runs it, on a fresh store and free ports: the API server and the add-in dev server.
 * With `apiSeparately` the two commands `npm start` runs are started one by one instead, so a test can stop
 * and restart the API server while the pane stays open.
 */
export async function startRapport(
  options: {
    apiSeparately?: boolean;

    /** More settings for both (DATABASE_URL for PostgreSQL). */
    env?: NodeJS.ProcessEnv;
    /** `npm start`'s own arguments (`--no-demo`). */
    args?: string[];
    /** How long the stack may take to come up (the dev server's first build on a busy machine); not a speed check. */
    patienceMs?: number;
  } = {},
): Promise<RapportStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-e2e-"));
  const [apiPort, addinPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env = {
    ...process.env,
    RAPPORT_DATA_DIR: dataDir,
    PORT: String(apiPort),
    ADDIN_PORT: String(addinPort),
    RAPPORT_API_URL: apiUrl,
    LOG_LEVEL: "warn",
    ...options.env,
  };
  let output = "";
  const spawnChild = (bin: string, args: string[]): Child => {
    const child = spawn(path.join(root, "node_modules/.bin", bin), args, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return { process: child, exited: new Promise<void>((resolve) => child.on("exit", () => resolve())) };
  };
  const stopChild = async (child: Child | null) => {
    if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
    child.process.kill("SIGTERM");
    await child.exited;
  };
  const apiAnswers = () =>
    fetch(`${apiUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  const waitFor = async (what: string, ready: () => Promise<boolean>, children: (Child | null)[]) => {
    // A first webpack build on a busy machine can take minutes: a readiness limit, not a speed check.
    const deadline = Date.now() + (options.patienceMs ?? 360_000);
    while (!(await ready())) {
      if (children.some((c) => c && c.process.exitCode !== null) || Date.now() > deadline) {
        await Promise.all(children.map(stopChild));
        throw new Error(`${what} did not come up:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const previewUrl = `https://localhost:${addinPort}/preview.html`;
  let api: Child | null = null;
  let addin: Child | null = null;
  let start: Child | null = null;
  if (options.apiSeparately) {
    api = spawnChild("tsx", ["src/server/main.ts"]);
    addin = spawnChild("webpack", ["serve", "--mode", "development"]);
  } else {
    start = spawnChild("tsx", ["scripts/start.ts", ...(options.args ?? [])]);
  }
  await waitFor("npm start", async () => (await apiAnswers()) && (await answersOverHttps(previewUrl)), [
    api,
    addin,
    start,
  ]);

  const separately = (what: string) => {
    if (!options.apiSeparately) throw new Error(`${what} needs startRapport({ apiSeparately: true })`);
  };
  return {
    apiUrl,
    previewUrl,
    webAppUrl: `https://localhost:${addinPort}/app`,
    dataDir,
    async token(email, name) {
      const args = ["scripts/token.ts", "--email", email, ...(name ? ["--name", name] : [])];
      const { stdout } = await run(path.join(root, "node_modules/.bin/tsx"), args, { cwd: root, env });
      return stdout.trim();
    },
    async stopApi() {
      separately("stopApi");
      await stopChild(api);
      api = null;
    },
    async startApi() {
      separately("startApi");
      api = spawnChild("tsx", ["src/server/main.ts"]);
      await waitFor("The API server", apiAnswers, [api]);
    },
    async stop() {
      await Promise.all([start, api, addin].map(stopChild));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
