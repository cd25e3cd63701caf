import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Me } from "../../src/shared/routes";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");

/**
 * Starts what `npm run serve` runs, and resolves with the address it prints. Spawned without npm in between,
 * because npm dies of the signal at once while the server is still closing the store; the test must see the
 * server's own exit status before it starts the next one on the same directory.
 */
const running = new Set<ChildProcess>();

function serve(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  listening: Promise<string>;
  exited: Promise<{ code: number | null; output: string }>;
} {
  // Its own process group, so a test that fails or times out takes tsx's node child down with it (afterEach):
  // servers left running outlived the run and took a core from the files after it.
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["src/server/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let output = "";
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve({ code, output });
    }),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Rapport server listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  listening.catch(() => {}); // a test that expects the exit awaits `exited` instead
  return { child, listening, exited };
}

describe("running Rapport the way the README says", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-serve-"));
  });
  afterEach(() => {
    for (const child of running) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    running.clear();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts on the embedded store, signs in with `npm run token`, keeps data across a restart", async () => {
    const env = { RAPPORT_DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "warn" };
    const first = serve(env);
    const base = await first.listening;
    const { stdout: token } = await run(
      "npm",
      ["run", "--silent", "token", "--", "--email", "rep@contoso.example", "--name", "Rita Rep"],
      {
        cwd: root,
        env: { ...process.env, RAPPORT_DATA_DIR: dataDir },
      },
    );
    expect(token.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const headers = { authorization: `Bearer ${token.trim()}`, "content-type": "application/json" };
    const me = Me.parse(await (await fetch(`${base}/api/v1/me`, { headers })).json());
    expect(me.user).toMatchObject({ email: "rep@contoso.example", displayName: "Rita Rep", role: "admin" });
    const created = await fetch(`${base}/api/v1/contacts`, {
      method: "POST",
      headers,
      body: JSON.stringify({ displayName: "Anna Berg", emails: ["anna@fabrikam.example"] }),
    });
    expect(created.status).toBe(201);
    first.child.kill("SIGTERM");
    expect((await first.exited).code).toBe(0);

    const second = serve(env);
    const again = await second.listening;
    const lookup = (await (
      await fetch(`${again}/api/v1/people/lookup?email=anna@fabrikam.example`, { headers })
    ).json()) as { results: { contact: { displayName: string } | null }[] };
    expect(lookup.results[0]?.contact?.displayName).toBe("Anna Berg");
    // A second server on the same store would corrupt it: it refuses to start, naming the first.
    const intruder = await serve(env).exited;
    expect(intruder.code).toBe(1);
    expect(intruder.output).toMatch(/Another Rapport server \(pid \d+\) is using the embedded store/);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 90_000);

  it("logs one readable line per refused request for a person at the terminal, as `npm start` asks", async () => {
    const pretty = serve({ RAPPORT_DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", LOG_FORMAT: "pretty" });
    const base = await pretty.listening;
    expect((await fetch(`${base}/api/v1/me`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/sign-in`)).status).toBe(200);
    pretty.child.kill("SIGTERM");
    const { output } = await pretty.exited;
    const lines = output.split("\n").filter(Boolean);
    expect(lines.filter((line) => line.trimStart().startsWith("{"))).toEqual([]);
    expect(lines.filter((line) => / GET \/api\/v1\/me 401 \d+ ms$/.test(line))).toHaveLength(1);
    // What went as asked is at debug: the demo data's load is not 75 lines.
    expect(lines.filter((line) => /\/api\/v1\/sign-in/.test(line))).toEqual([]);
    expect(output).not.toContain("incoming request");
  }, 90_000);

  it("runs the same command as `npm run serve`", async () => {
    const { readFile } = await import("node:fs/promises");
    const scripts = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).scripts as Record<
      string,
      string
    >;
    expect(scripts.serve).toBe("tsx src/server/main.ts");
  });

  it("refuses to start on a bad setting, naming it", async () => {
    const { exited } = serve({ RAPPORT_DATA_DIR: dataDir, PORT: "not-a-port" });
    const { code, output } = await exited;
    expect(code).toBe(1);
    expect(output).toContain("Rapport could not start. Invalid configuration");
    expect(output).toContain("PORT");
  }, 60_000);
});
