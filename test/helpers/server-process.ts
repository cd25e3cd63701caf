import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

export interface ServerProcess {
  process: ChildProcess;
  /** http://127.0.0.1:<port>, as the server printed it. */
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
}

/** Every server process a suite started: none outlives it, however its test ended. */
const started = new Set<ChildProcess>();
const killLeftOver = () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
};
// Under jest, after the suite; in the bench (`npm run bench`, no jest globals), as the process exits.
if (typeof afterAll === "function") afterAll(killLeftOver);
else process.once("exit", killLeftOver);

/**
 * The real server (src/server/main.ts, its sync worker included) as a process of its own, which a test can
 * kill -9 or stop with SIGTERM. `env` is added to this process's environment; PORT=0 picks a free port.
 * It is waited for until it listens or exits: the test's own timeout is the only limit (a start under tsx on a
 * busy machine has taken over a minute).
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  /** Another entry that starts the same server (the load bench's, which adds its baseline beside it). */
  entry = "src/server/main.ts",
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
  });
  return { process: child, url, exited, output: () => output };
}

/**
 * Calls a server's API as a test does: JSON in and out, a non-2xx thrown with its answer. `url` is read on each
 * call, since a restarted server may listen elsewhere.
 */
export function apiCaller(url: () => string | undefined, defaultToken: string) {
  return async <T = unknown>(
    method: string,
    route: string,
    body?: unknown,
    token = defaultToken,
  ): Promise<T> => {
    const response = await fetch(`${url()}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

/**
 * The environment that points a server process's mailbox sync at a local Graph (its certificate written to
 * `dir`, for NODE_EXTRA_CA_CERTS), running every 5 s with 10 s leases.
 */
export function graphSyncEnv(
  graph: { clientId: string; secret: string; url: string; ca: string },
  tenant: string,
  dir: string,
): NodeJS.ProcessEnv {
  const caFile = path.join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.ca);
  return {
    RAPPORT_GRAPH_CLIENT_ID: graph.clientId,
    RAPPORT_GRAPH_CLIENT_SECRET: graph.secret,
    RAPPORT_GRAPH_TENANT_ID: tenant,
    RAPPORT_GRAPH_AUTHORITY: graph.url,
    RAPPORT_GRAPH_URL: graph.url,
    RAPPORT_SYNC_INTERVAL_SECONDS: "5",
    RAPPORT_SYNC_LEASE_SECONDS: "10",
    NODE_EXTRA_CA_CERTS: caFile,
  };
}
