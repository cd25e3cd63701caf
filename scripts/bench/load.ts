// The load test (npm run bench -- --load): mixed traffic from this process against the real server running as a
// process of its own, at increasing concurrency. Closed loop: each of N workers keeps one request in flight and
// sends the next as soon as the answer has arrived, so N is the number of requests the server holds at once.
//   70% GET /people/lookup of a seeded contact's address (the pane opening an email)
//   20% POST /emails, a new message from a seeded contact (logging it)
//   10% PATCH /contacts/:id with the version last seen; a 409 (someone else's change) is re-read from its
//       body and retried: a handled conflict, not an error.
// Per step: throughput, p50/p99 per route, errors (any other non-2xx, or a network error), the server's RSS.
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { type ServerProcess, startServerProcess } from "../../test/helpers/server-process";
import { type Stats, random, summarize } from "./stats";
import { redactUrl } from "../../src/server/db/open-store";

export const DEFAULT_LOAD_CONCURRENCY = [1, 2, 4, 8, 16, 32, 64];
/** The p99 the issue asks about: the first step where a route's p99 exceeds it is reported. */
export const P99_LIMIT_MS = 100;
const ROUTES = ["lookup", "log", "update"] as const;
type Route = (typeof ROUTES)[number];
const ROUTE_NAMES: Record<Route, string> = {
  lookup: "GET /api/v1/people/lookup",
  log: "POST /api/v1/emails",
  update: "PATCH /api/v1/contacts/:id",
};
const WARMUP_CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 30_000;
const UPDATE_ATTEMPTS = 5;
const SAMPLE_EVERY_MS = 200;
const IDLE_SAMPLE_MS = 2000;
/**
 * CPU spent outside the server, the database and this process (% of one core) above which the figures are flagged
 * as shared. Not 0 on a quiet machine either: the kernel's own work (writing back the seeded store's pages, the
 * loopback network) lands there, 5-20% of a core here.
 */
const OTHER_CPU_WARN_PERCENT = 25;
const TITLES = ["CEO", "CTO", "Buyer", "Engineer", "Head of Purchasing", "Operations Manager"];

export interface LoadOptions {
  /** Measured traffic in total, split evenly over the steps. */
  seconds: number;
  concurrency: number[];
  /** Unmeasured traffic first, at a low concurrency: JIT, caches, connections. */
  warmupSeconds: number;
}

export interface LoadContact {
  id: string;
  version: number;
  displayName: string;
  address: string;
}

export interface LoadUser {
  id: string;
  email: string;
  token: string;
}

export interface RouteStats extends Stats {
  /** Requests that failed: a non-2xx answer (other than a handled 409) or no answer. */
  errors: number;
}

export interface LoadStep {
  concurrency: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Every request, whatever its route. */
  all: Stats;
  routes: Record<Route, RouteStats>;
  /** 409s on updates, re-read and retried (each retry is one more update request). */
  conflicts: number;
  errors: number;
  /** The first few error messages, to see what went wrong. */
  errorSamples: string[];
  /** The server process's resident memory, sampled every 200 ms during the step (VmRSS); null off Linux. */
  serverRssMb: { max: number; end: number } | null;
  /** Who spent the machine's CPU over the step; null off Linux. */
  cpu: CpuShare | null;
}

/** CPU time over a span, in % of one core (the machine has os.cpus().length of them), split by who spent it. */
export interface CpuShare {
  server: number;
  /** PostgreSQL's processes on this machine serving this database, and its shared background ones; null: PGlite. */
  database: number | null;
  /** This process, sending the load. */
  generator: number;
  /** Everything else the machine did: other programs. Near 0 for figures worth comparing. */
  other: number;
  machine: number;
}

export interface LoadReport {
  server: { pid: number; url: string; env: Record<string, string> };
  options: LoadOptions;
  mix: Record<Route, number>;
  routes: Record<Route, string>;
  users: number;
  contacts: number;
  warmup: { requests: number; errors: number; errorSamples: string[] };
  steps: LoadStep[];
  p99LimitMs: number;
  /** The first step where some route's p99 exceeds the limit; null: not within the steps measured. */
  p99Exceeded: { concurrency: number; route: Route; p99: number } | null;
  totalErrors: number;
  /** The server's RSS right after it started, before any load, and at the end. */
  serverRssMb: { idle: number | null; end: number | null };
  /** The CPU over 2 s just before the load and just after it, the server idle. */
  idleCpu: { before: CpuShare | null; after: CpuShare | null };
  /** Most CPU other programs took (% of one core), idle or under load: the figures are clean when it is near 0. */
  maxOtherCpuPercent: number | null;
  /** Lookups only, at each concurrency: Rapport's API, then the baseline server in the same process. */
  baseline: BaselineStep[];
  /** The lookup's statement as the owner and behind the organisation wall, ms per statement, in the server. */
  wall: { statements: number; owner: Stats; walled: Stats; costP50: number; costMean: number };
}

/** The lookup alone against Rapport and against the baseline server, one after the other, at one concurrency. */
export interface BaselineStep {
  concurrency: number;
  rapport: { requestsPerSecond: number; p50: number; p99: number; errors: number };
  baseline: { requestsPerSecond: number; p50: number; p99: number; errors: number };
  /** Rapport's throughput as a share of the baseline's: the goal is at least 0.5. */
  throughputRatio: number;
  /** Rapport's p99 over the baseline's. */
  p99Ratio: number;
}

/** The share of each route in the traffic, in percent. */
type Mix = Record<Route, number>;
const MIXED: Mix = { lookup: 70, log: 20, update: 10 };
const LOOKUPS_ONLY: Mix = { lookup: 100, log: 0, update: 0 };

export interface LoadTarget {
  /** Added to the server's environment: its store (RAPPORT_DATA_DIR, DATABASE_URL). */
  env: Record<string, string>;
  /** The users' organisation: the baseline's statement is scoped to it as the API is. */
  orgId: string;
  users: LoadUser[];
  contacts: LoadContact[];
  options: LoadOptions;
  onCleanup(undo: () => Promise<void>): void;
}

/** Starts the server over the seeded store, runs the steps, stops the server (through `onCleanup`). */
export async function measureLoad(target: LoadTarget): Promise<LoadReport> {
  const env: Record<string, string> = {
    ...target.env,
    // A load test must not be answered 429.
    RAPPORT_RATE_LIMIT_PER_USER: "0",
    RAPPORT_RATE_LIMIT_PER_IP: "0",
    RAPPORT_ADDIN_DIR: "/nonexistent/rapport-bench-addin",
    RAPPORT_DRAIN_SECONDS: "0",
    RAPPORT_LOCAL_ISSUER: "on",
    // Whatever this shell has set: no Entra, no mailbox sync, and the store named above only.
    RAPPORT_ENTRA_CLIENT_ID: "",
    RAPPORT_GRAPH_CLIENT_ID: "",
    RAPPORT_GRAPH_CLIENT_SECRET: "",
    RAPPORT_GRAPH_CERTIFICATE_PATH: "",
    RAPPORT_GRAPH_TENANT_ID: "",
    DATABASE_URL: target.env.DATABASE_URL ?? "",
  };
  const server = await startServerProcess(env, "scripts/bench/baseline-server.ts");
  target.onCleanup(() => stopServer(server));
  const pid = server.process.pid;
  if (pid === undefined) throw new Error("the server process has no pid");
  let serverGone: string | null = null;
  void server.exited.then((code) => {
    serverGone = `the server exited (code ${code}) during the load:\n${server.output().slice(-4000)}`;
  });
  const baselineUrl = await waitForBaseline(server);
  console.log(`Server process ${pid} on ${server.url}, its baseline on ${baselineUrl}`);
  const databaseName = env.DATABASE_URL ? new URL(env.DATABASE_URL).pathname.slice(1) : null;
  const meter = new CpuMeter(pid, databaseName);

  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const client = new LoadClient(server.url, agent, target.users, target.contacts);
  const baselineClient = new LoadClient(
    baselineUrl,
    agent,
    target.users,
    target.contacts,
    (address, user) => `/lookup?org=${target.orgId}&user=${user.id}&email=${encodeURIComponent(address)}`,
  );
  try {
    // Each user signs in once (the server remembers callers), before any timing.
    for (const user of target.users) {
      const { status, text } = await client.send("GET", "/api/v1/me", user.token);
      if (status !== 200)
        throw new Error(`GET /me for ${user.email} answered ${status}: ${text.slice(0, 300)}`);
    }
    const idleRss = readRssMb(pid);
    const idleBefore = await idleCpu(meter, "before");

    const { options } = target;
    console.log(`Warm-up: ${options.warmupSeconds} s at concurrency ${WARMUP_CONCURRENCY} (not measured)`);
    const warm = await client.run(WARMUP_CONCURRENCY, options.warmupSeconds * 1000, 1);
    if (warm.errors.length)
      console.error(loud(`${warm.errors.length} errors during the warm-up`, warm.errors));

    const stepSeconds = options.seconds / options.concurrency.length;
    console.log(
      `Load: ${options.seconds} s of mixed traffic (70% lookups, 20% logs, 10% updates), ` +
        `${stepSeconds.toFixed(1)} s at each concurrency of ${options.concurrency.join(", ")}`,
    );
    printStepHeader();
    const steps: LoadStep[] = [];
    for (const [i, concurrency] of options.concurrency.entries()) {
      const step = await measureStep(client, pid, meter, concurrency, stepSeconds * 1000, 1000 + i);
      steps.push(step);
      printStep(step);
      if (serverGone) throw new Error(serverGone);
    }

    let p99Exceeded: LoadReport["p99Exceeded"] = null;
    for (const step of steps) {
      const worst = ROUTES.map((route) => ({ route, p99: step.routes[route].p99 }))
        .filter((r) => r.p99 > P99_LIMIT_MS)
        .sort((a, b) => b.p99 - a.p99)[0];
      if (worst) {
        p99Exceeded = { concurrency: step.concurrency, ...worst };
        break;
      }
    }
    const compareSeconds = stepSeconds / 2;
    console.log(
      `Baseline: lookups only, ${compareSeconds.toFixed(1)} s against Rapport's API and then as long against ` +
        "the one-statement server in the same process, at each concurrency",
    );
    const baseline: BaselineStep[] = [];
    printBaselineHeader();
    for (const [i, concurrency] of options.concurrency.entries()) {
      const rapport = await measureLookups(client, concurrency, compareSeconds * 1000, 2000 + i);
      const minimal = await measureLookups(baselineClient, concurrency, compareSeconds * 1000, 2000 + i);
      const step: BaselineStep = {
        concurrency,
        rapport,
        baseline: minimal,
        throughputRatio: rapport.requestsPerSecond / minimal.requestsPerSecond,
        p99Ratio: rapport.p99 / minimal.p99,
      };
      baseline.push(step);
      printBaselineStep(step);
      if (serverGone) throw new Error(serverGone);
    }

    const wall = await measureWall(baselineUrl, target);
    printWall(wall);

    const idleAfter = await idleCpu(meter, "after");
    const others = [idleBefore, idleAfter, ...steps.map((s) => s.cpu)].flatMap((c) => (c ? [c.other] : []));
    const redacted = Object.fromEntries(
      Object.entries(env)
        .filter(([, v]) => v !== "")
        .map(([k, v]) => [k, k === "DATABASE_URL" ? redactUrl(v) : v]),
    );
    return {
      server: { pid, url: server.url, env: redacted },
      options,
      mix: MIXED,
      routes: ROUTE_NAMES,
      users: target.users.length,
      contacts: target.contacts.length,
      warmup: { requests: warm.requests, errors: warm.errors.length, errorSamples: warm.errors.slice(0, 5) },
      steps,
      p99LimitMs: P99_LIMIT_MS,
      p99Exceeded,
      totalErrors: steps.reduce((sum, s) => sum + s.errors, 0),
      serverRssMb: { idle: idleRss, end: readRssMb(pid) },
      idleCpu: { before: idleBefore, after: idleAfter },
      maxOtherCpuPercent: others.length ? Math.max(...others) : null,
      baseline,
      wall,
    };
  } finally {
    agent.destroy();
  }
}

/** The baseline server's address: it listens once Rapport's server has started, in the same process. */
async function waitForBaseline(server: ServerProcess): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    const match = /Baseline listening on (http:\/\/\S+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the baseline server did not start:\n${server.output().slice(-4000)}`);
}

const WALL_ADDRESSES = 50;
const WALL_ROUNDS = 20;

/** Asks the baseline server to time the lookup's statement as the owner and behind the wall, taking turns. */
async function measureWall(baselineUrl: string, target: LoadTarget): Promise<LoadReport["wall"]> {
  const user = target.users[0];
  if (!user) throw new Error("no user to measure the wall as");
  const url = new URL("/wall-cost", baselineUrl);
  url.searchParams.set("org", target.orgId);
  url.searchParams.set("user", user.id);
  url.searchParams.set("rounds", String(WALL_ROUNDS));
  const step = Math.max(1, Math.floor(target.contacts.length / WALL_ADDRESSES));
  for (let i = 0; i < target.contacts.length && i / step < WALL_ADDRESSES; i += step)
    url.searchParams.append("email", target.contacts[i]?.address ?? "");
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET /wall-cost answered ${response.status}: ${text.slice(0, 300)}`);
  const times = JSON.parse(text) as { owner: number[]; walled: number[] };
  const owner = summarize("owner", times.owner);
  const walled = summarize("walled", times.walled);
  return {
    statements: times.owner.length,
    owner,
    walled,
    costP50: walled.p50 / owner.p50 - 1,
    costMean: walled.mean / owner.mean - 1,
  };
}

async function measureLookups(
  client: LoadClient,
  concurrency: number,
  ms: number,
  seed: number,
): Promise<BaselineStep["rapport"]> {
  await client.openConnections(concurrency);
  const started = performance.now();
  const result = await client.run(concurrency, ms, seed, LOOKUPS_ONLY);
  const elapsed = performance.now() - started;
  if (result.errors.length) console.error(loud(`${result.errors.length} errors`, result.errors));
  const stats = summarize("lookup", result.times.lookup);
  return {
    requestsPerSecond: result.requests / (elapsed / 1000),
    p50: stats.p50,
    p99: stats.p99,
    errors: result.errors.length,
  };
}

async function stopServer(server: ServerProcess): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  server.process.kill("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000).unref());
  if ((await Promise.race([server.exited, timeout])) === "timeout") {
    server.process.kill("SIGKILL");
    await server.exited;
  }
}

async function measureStep(
  client: LoadClient,
  pid: number,
  meter: CpuMeter,
  concurrency: number,
  ms: number,
  seed: number,
): Promise<LoadStep> {
  const rss: number[] = [];
  const sample = () => {
    const mb = readRssMb(pid);
    if (mb !== null) rss.push(mb);
  };
  // The step's connections are opened before its clock starts, while the server is idle: opened all at once
  // into a saturated server, each new connection's first request waited up to seconds (PGlite, 64), which
  // measured the ramp rather than the concurrency.
  await client.openConnections(concurrency);
  const cpuBefore = meter.snapshot();
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const started = performance.now();
  let result: RunResult;
  try {
    result = await client.run(concurrency, ms, seed);
  } finally {
    clearInterval(sampler);
  }
  const elapsed = performance.now() - started;
  sample();
  const cpu = cpuBefore && meter.since(cpuBefore);

  const routes = Object.fromEntries(
    ROUTES.map((route) => [
      route,
      { ...summarize(ROUTE_NAMES[route], result.times[route]), errors: result.routeErrors[route] },
    ]),
  ) as Record<Route, RouteStats>;
  const all = summarize(
    "all",
    ROUTES.flatMap((route) => result.times[route]),
  );
  return {
    concurrency,
    seconds: elapsed / 1000,
    requests: result.requests,
    requestsPerSecond: result.requests / (elapsed / 1000),
    all,
    routes,
    conflicts: result.conflicts,
    errors: result.errors.length,
    errorSamples: result.errors.slice(0, 5),
    serverRssMb: rss.length ? { max: Math.max(...rss), end: rss.at(-1) ?? 0 } : null,
    cpu,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The traffic

interface RunResult {
  requests: number;
  times: Record<Route, number[]>;
  routeErrors: Record<Route, number>;
  conflicts: number;
  errors: string[];
}

class LoadClient {
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly agent: http.Agent,
    private readonly users: LoadUser[],
    /** Shared by the workers: a version one of them saw is what the next PATCH of that contact sends. */
    private readonly contacts: LoadContact[],
    /** Where a lookup goes: the API's route, or the baseline server's (which takes no token). */
    private readonly lookupPath = (address: string, _user: LoadUser) =>
      `/api/v1/people/lookup?email=${encodeURIComponent(address)}`,
  ) {
    this.url = new URL(baseUrl);
  }

  /** `concurrency` workers, each sending its next request once its last one is answered, for `ms`. */
  async run(concurrency: number, ms: number, seed: number, mix: Mix = MIXED): Promise<RunResult> {
    const result: RunResult = {
      requests: 0,
      times: { lookup: [], log: [], update: [] },
      routeErrors: { lookup: 0, log: 0, update: 0 },
      conflicts: 0,
      errors: [],
    };
    const deadline = performance.now() + ms;
    const runId = `${Date.now().toString(36)}-${seed}`;
    await Promise.all(
      Array.from({ length: concurrency }, (_, w) =>
        this.worker(w, deadline, random(seed * 1000 + w), `${runId}-${w}`, result, mix),
      ),
    );
    return result;
  }

  /** `count` keep-alive connections ready in the agent: as many requests at once as connections wanted. */
  async openConnections(count: number): Promise<void> {
    const token = this.users[0]?.token ?? "";
    const answers = await Promise.all(
      Array.from({ length: count }, () => this.send("GET", "/healthz", token)),
    );
    const failed = answers.find((a) => a.status !== 200);
    if (failed) throw new Error(`GET /healthz answered ${failed.status}: ${failed.text.slice(0, 200)}`);
  }

  private async worker(
    w: number,
    deadline: number,
    pick: (below: number) => number,
    runId: string,
    result: RunResult,
    mix: Mix,
  ): Promise<void> {
    const user = this.users[w % this.users.length];
    if (!user) throw new Error("no users to send the load as");
    for (let i = 0; performance.now() < deadline; i++) {
      const roll = pick(100);
      const contact = this.contacts[pick(this.contacts.length)];
      if (!contact) throw new Error("no contacts to send the load about");
      const route: Route = roll < mix.lookup ? "lookup" : roll < mix.lookup + mix.log ? "log" : "update";
      const fail = (message: string) => {
        result.routeErrors[route]++;
        if (result.errors.length < 1000) result.errors.push(`${route}: ${message}`);
      };
      try {
        if (route === "lookup") {
          const { status, text, ms } = await this.timed(
            "GET",
            this.lookupPath(contact.address, user),
            user.token,
          );
          result.requests++;
          result.times.lookup.push(ms);
          if (status !== 200) fail(`${status} ${text.slice(0, 200)}`);
          else if (!lookupFound(text)) fail(`no contact found for ${contact.address}`);
        } else if (route === "log") {
          const body = {
            internetMessageId: `<load-${runId}-${i}@${contact.address.split("@")[1] ?? "load.example"}>`,
            subject: `Load ${runId} ${i}`,
            from: { address: contact.address, name: contact.displayName },
            to: [{ address: user.email }],
            sentAt: new Date().toISOString(),
            bodyText:
              "Hello, could you send the updated quote for the second site? Thanks, and have a good week.",
            source: "manual",
          };
          const { status, text, ms } = await this.timed("POST", "/api/v1/emails", user.token, body);
          result.requests++;
          result.times.log.push(ms);
          if (status !== 201) fail(`${status} ${text.slice(0, 200)}`);
        } else {
          const title = TITLES[pick(TITLES.length)] ?? null;
          for (let attempt = 1; ; attempt++) {
            const { status, text, ms } = await this.timed(
              "PATCH",
              `/api/v1/contacts/${contact.id}`,
              user.token,
              { title, version: contact.version },
            );
            result.requests++;
            result.times.update.push(ms);
            if (status === 200) {
              contact.version = versionOf(text, (b) => b);
              break;
            }
            if (status === 409 && attempt < UPDATE_ATTEMPTS) {
              // Someone changed it since it was read: the answer carries the record as it is now.
              result.conflicts++;
              contact.version = versionOf(text, (b) => (b as { current?: unknown }).current);
              continue;
            }
            fail(`${status} after ${attempt} attempt(s): ${text.slice(0, 200)}`);
            break;
          }
        }
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    }
  }

  private async timed(
    method: string,
    url: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; text: string; ms: number }> {
    const started = performance.now();
    try {
      const answer = await this.send(method, url, token, body);
      return { ...answer, ms: performance.now() - started };
    } catch (error) {
      // A request that got no answer still took this long; it counts as an error, not as a latency sample.
      throw new Error(
        `${method} ${url.split("?")[0]}: ${error instanceof Error ? error.message : String(error)} ` +
          `after ${(performance.now() - started).toFixed(0)} ms`,
        { cause: error },
      );
    }
  }

  /** One request over the keep-alive agent; the answer's body is read in full. */
  send(
    method: string,
    url: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
    };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: this.url.hostname, port: this.url.port, method, path: url, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
          );
          response.on("error", reject);
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () =>
        request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
      );
      request.on("error", reject);
      request.end(payload);
    });
  }
}

function lookupFound(text: string): boolean {
  const parsed = JSON.parse(text) as { results?: { contact?: unknown }[] };
  const contact = parsed.results?.[0]?.contact;
  return typeof contact === "object" && contact !== null;
}

function versionOf(text: string, pick: (body: unknown) => unknown): number {
  const record = pick(JSON.parse(text)) as { version?: unknown } | undefined;
  if (typeof record?.version !== "number") throw new Error(`no version in ${text.slice(0, 200)}`);
  return record.version;
}

// ---------------------------------------------------------------------------------------------------------------
// The server's process, from /proc (Linux)

/** USER_HZ: /proc's CPU times are in these ticks; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;
/** PostgreSQL's processes that serve every database: the load's writes keep them busy too. */
const POSTGRES_SHARED =
  /: (checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|stats collector)/;

function readRssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A process's user + system CPU time, in ticks; null when it is gone (or there is no /proc). */
function readCpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (comm) ": state is field 3, utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** All cores together, in ticks: busy (not idle, not waiting for I/O) of total. */
function readMachineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    // user nice system idle iowait irq softirq steal; guest time is already counted in user.
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  machine: number;
  server: number;
  database: Map<number, number>;
  own: NodeJS.CpuUsage;
}

/**
 * Splits the machine's CPU between the server, the database (PostgreSQL on this machine), this process and
 * everything else, from /proc: "everything else" says whether the figures had the machine to themselves.
 */
class CpuMeter {
  constructor(
    private readonly serverPid: number,
    /** PostgreSQL: the database the server uses; its backends name it in their process title. */
    private readonly databaseName: string | null,
  ) {}

  snapshot(): CpuSnapshot | null {
    const machine = readMachineCpu();
    const server = readCpuTicks(this.serverPid);
    if (!machine || server === null) return null;
    return {
      at: performance.now(),
      machine: machine.busy,
      server,
      database: this.databaseTicks(),
      own: process.cpuUsage(),
    };
  }

  since(start: CpuSnapshot): CpuShare | null {
    const end = this.snapshot();
    if (!end) return null;
    const seconds = (end.at - start.at) / 1000;
    const percent = (ticks: number) => (ticks / CLOCK_TICKS / seconds) * 100;
    // A backend that started during the span counts from 0; one that ended during it is lost (rare: pooled).
    let databaseTicks = 0;
    for (const [pid, ticks] of end.database) databaseTicks += ticks - (start.database.get(pid) ?? 0);
    const own = process.cpuUsage(start.own);
    const machine = percent(end.machine - start.machine);
    const server = percent(end.server - start.server);
    const database = this.databaseName === null ? null : percent(databaseTicks);
    const generator = ((own.user + own.system) / 1e6 / seconds) * 100;
    return {
      server,
      database,
      generator,
      // Sampling at 100 Hz leaves a few % of noise either way.
      other: Math.max(0, machine - server - (database ?? 0) - generator),
      machine,
    };
  }

  private databaseTicks(): Map<number, number> {
    const ticks = new Map<number, number>();
    if (this.databaseName === null) return ticks;
    let entries: string[];
    try {
      entries = readdirSync("/proc");
    } catch {
      return ticks;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      let title: string;
      try {
        title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue;
      }
      if (!title.startsWith("postgres:")) continue;
      if (!title.includes(` ${this.databaseName} `) && !title.endsWith(` ${this.databaseName}`)) {
        if (!POSTGRES_SHARED.test(title)) continue;
      }
      const t = readCpuTicks(Number(entry));
      if (t !== null) ticks.set(Number(entry), t);
    }
    return ticks;
  }
}

/** The CPU while the server waits for work: other programs' share should be near 0. */
async function idleCpu(meter: CpuMeter, when: "before" | "after"): Promise<CpuShare | null> {
  const start = meter.snapshot();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  const share = start && meter.since(start);
  if (share && share.other > OTHER_CPU_WARN_PERCENT)
    console.error(
      loud(`other programs took ${share.other.toFixed(0)}% of a core ${when} the load`, [
        "something else is running here: the figures share the CPU with it",
      ]),
    );
  return share;
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

const ms = (n: number): string => (Number.isNaN(n) ? "-" : n.toFixed(1)).padStart(7);
const pct = (n: number | null): string => (n === null ? "-" : `${n.toFixed(0)}%`).padStart(6);

function printStepHeader(): void {
  console.log(
    `${"conc".padStart(5)}${"req/s".padStart(8)}` +
      ROUTES.map((r) => `${`${r} p50`.padStart(12)}${"p99".padStart(7)}`).join("") +
      `${"errors".padStart(8)}${"409s".padStart(6)}${"RSS MB".padStart(8)}` +
      `${"srv".padStart(7)}${"db".padStart(6)}${"gen".padStart(6)}${"other".padStart(7)}`,
  );
}

function printStep(step: LoadStep): void {
  console.log(
    `${String(step.concurrency).padStart(5)}${step.requestsPerSecond.toFixed(0).padStart(8)}` +
      ROUTES.map((r) => `${ms(step.routes[r].p50).padStart(12)}${ms(step.routes[r].p99)}`).join("") +
      `${String(step.errors).padStart(8)}${String(step.conflicts).padStart(6)}` +
      `${(step.serverRssMb ? String(step.serverRssMb.max) : "-").padStart(8)}` +
      `${pct(step.cpu?.server ?? null).padStart(7)}${pct(step.cpu?.database ?? null)}` +
      `${pct(step.cpu?.generator ?? null)}${pct(step.cpu?.other ?? null).padStart(7)}` +
      (step.cpu && step.cpu.other > OTHER_CPU_WARN_PERCENT ? "  SHARED" : ""),
  );
  if (step.errors)
    console.error(loud(`${step.errors} errors at concurrency ${step.concurrency}`, step.errorSamples));
}

function printBaselineHeader(): void {
  console.log(
    `${"conc".padStart(5)}${"API req/s".padStart(11)}${"p50".padStart(7)}${"p99".padStart(7)}` +
      `${"SQL req/s".padStart(11)}${"p50".padStart(7)}${"p99".padStart(7)}` +
      `${"throughput".padStart(12)}${"p99".padStart(7)}`,
  );
}

function printBaselineStep(step: BaselineStep): void {
  const { rapport, baseline } = step;
  console.log(
    `${String(step.concurrency).padStart(5)}${rapport.requestsPerSecond.toFixed(0).padStart(11)}` +
      `${ms(rapport.p50)}${ms(rapport.p99)}${baseline.requestsPerSecond.toFixed(0).padStart(11)}` +
      `${ms(baseline.p50)}${ms(baseline.p99)}${`×${step.throughputRatio.toFixed(2)}`.padStart(12)}` +
      `${`×${step.p99Ratio.toFixed(2)}`.padStart(7)}` +
      (rapport.errors || baseline.errors ? `  ERRORS ${rapport.errors} / ${baseline.errors}` : ""),
  );
}

function printWall(wall: LoadReport["wall"]): void {
  const percent = (n: number) => `${n >= 0 ? "+" : ""}${(n * 100).toFixed(1)} %`;
  console.log(
    `Organisation wall, the lookup's statement in the server's process, ${wall.statements} per view taking turns: ` +
      `owner p50 ${wall.owner.p50.toFixed(2)} ms, behind the wall p50 ${wall.walled.p50.toFixed(2)} ms: ` +
      `${percent(wall.costP50)} at p50, ${percent(wall.costMean)} on average (goal: below 10 %)`,
  );
}

function loud(title: string, samples: string[]): string {
  const bar = "!".repeat(86);
  return [bar, `!! ${title.toUpperCase()}`, ...samples.slice(0, 5).map((s) => `!!   ${s}`), bar].join("\n");
}

/** The load section of the bench's report. */
export function printLoad(report: LoadReport, line: string): void {
  const { options, steps } = report;
  console.log(
    `Load           ${options.seconds} s in ${steps.length} steps of ${(options.seconds / steps.length).toFixed(1)} s, ` +
      `closed loop (each worker: next request once answered), from a separate process over keep-alive HTTP`,
  );
  console.log(
    `Mix            70% ${report.routes.lookup}, 20% ${report.routes.log}, 10% ${report.routes.update}; ` +
      `${report.users} users, ${report.contacts.toLocaleString("en-US")} contacts`,
  );
  console.log(
    `Server         pid ${report.server.pid}, RSS ${report.serverRssMb.idle ?? "-"} MB idle, ${report.serverRssMb.end ?? "-"} MB at the end; ` +
      `warm-up ${report.warmup.requests} requests, ${report.warmup.errors} errors`,
  );
  const { before, after } = report.idleCpu;
  if (report.maxOtherCpuPercent !== null)
    console.log(
      `Other programs at most ${report.maxOtherCpuPercent.toFixed(0)}% of a core (server idle: ` +
        `${pct(before?.other ?? null).trim()} before, ${pct(after?.other ?? null).trim()} after)` +
        (report.maxOtherCpuPercent > OTHER_CPU_WARN_PERCENT
          ? ": SHARED, the machine was not the load test's alone"
          : ": the machine was the load test's alone"),
    );
  console.log(line);
  console.log(
    "latency in ms; RSS: the server's, max over the step; CPU in % of one core: server, database (PostgreSQL's " +
      "processes), generator (this process), other programs",
  );
  printStepHeader();
  for (const step of steps) printStep(step);
  console.log(line);
  const exceeded = report.p99Exceeded;
  console.log(
    exceeded
      ? `p99 passes ${report.p99LimitMs} ms at concurrency ${exceeded.concurrency} (${report.routes[exceeded.route]}: p99 ${exceeded.p99.toFixed(1)} ms)`
      : `p99 stays within ${report.p99LimitMs} ms on every route: it does not pass it within the steps measured (up to ${steps.at(-1)?.concurrency ?? 0})`,
  );
  if (report.totalErrors || report.warmup.errors)
    console.error(
      loud(
        `${report.totalErrors} errors under load (${report.warmup.errors} in the warm-up): must be 0`,
        steps.flatMap((s) => s.errorSamples).concat(report.warmup.errorSamples),
      ),
    );
  else console.log("errors         0");
  console.log(line);
  console.log(
    "Baseline: lookups only, Rapport's GET /people/lookup against a minimal server in the same process that " +
      "answers the same contact profile with one hand-written statement over the same store (no framework, " +
      "sign-in or checks); ratios are Rapport's over the baseline's (goals: throughput ≥ 0.5, p99 ≤ 1.5)",
  );
  printBaselineHeader();
  for (const step of report.baseline) printBaselineStep(step);
  printWall(report.wall);
  console.log(line);
}
