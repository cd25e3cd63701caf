import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../helpers/rapport-stack";

const root = path.resolve(__dirname, "../..");

/** `npm start` as a user runs it, with these variables; it must stop before starting either server. */
function npmStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/start.ts", "--no-demo"],
      { cwd: root, env: { ...process.env, RAPPORT_API_URL: "", ...env } },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe("npm start's ports", () => {
  it("refuses one port for the API server and the dev server, naming both settings", async () => {
    const { code, stderr } = await npmStart({ PORT: "4123", ADDIN_PORT: "4123" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT (the API server) and ADDIN_PORT (the dev server) are both 4123");
  });

  it("refuses PORT=0, whose port the dev server's proxy could not know", async () => {
    const { code, stderr } = await npmStart({ PORT: "0", ADDIN_PORT: "4124" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT=0 lets the server pick its port");
  });
});

describe("npm start's server log", () => {
  it("is readable at the terminal, one line per refused request, never the raw JSON a deployment's collector reads", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-start-log-"));
    const [apiPort, addinPort] = [await freePort(), await freePort()];
    // What a user's shell has: no LOG_FORMAT, so the choice is npm start's own.
    const { LOG_FORMAT: _unset, ...shell } = process.env;
    const start = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts", "--no-demo"], {
      cwd: root,
      env: {
        ...shell,
        RAPPORT_API_URL: "",
        RAPPORT_DATA_DIR: dataDir,
        PORT: String(apiPort),
        ADDIN_PORT: String(addinPort),
        LOG_LEVEL: "info",
        RAPPORT_DRAIN_SECONDS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    start.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    start.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => start.on("exit", () => resolve()));
    try {
      // The API server is up once it answers; its refusal of a request without a token is logged at info.
      let status = 0;
      while (status === 0 && start.exitCode === null) {
        status = await fetch(`http://127.0.0.1:${apiPort}/api/v1/me`).then(
          (answer) => answer.status,
          () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 250)),
        );
      }
      if (status !== 401) throw new Error(`npm start's API server did not answer:\n${output}`);
      // Logged as a line of its own, or (as JSON) as Fastify's "request completed".
      while (!/ GET \/api\/v1\/me 401 \d+ ms|"statusCode":401/.test(output) && start.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      start.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
    const server = output
      .split("\n")
      .filter((line) => /store migrated|\/api\/v1\/me|"statusCode"/.test(line));
    expect(server.filter((line) => / GET \/api\/v1\/me 401 \d+ ms$/.test(line.trimEnd()))).toHaveLength(1);
    expect(server.filter((line) => line.trimStart().startsWith("{"))).toEqual([]);
  }, 120_000);
});
