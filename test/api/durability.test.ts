import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PipelineList } from "../../src/shared/pipelines";
import { Me } from "../../src/shared/routes";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { type Database, openPglite, openPostgres } from "../../src/server/db/database";
import type {
  Acknowledged,
  FailedAttempt,
  Write,
  WriteKind,
  WriterConfig,
  WriterSummary,
} from "../helpers/durability-writer";
import { type ServerProcess, apiCaller, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";

/**
 * Durability: 200 concurrent writers in a process of their own, the server killed with -9 at random moments
 * and restarted on the same store. Every acknowledged write must be there exactly once, whole; writes nobody
 * acknowledged may be there or not, but never half; the server comes back every time.
 */
const root = path.resolve(__dirname, "../..");
// Three kills per store in \`npm test\` (each restart costs seconds of the suite's time); ten with RAPPORT_DEEP_TESTS=1.
const KILLS = process.env.RAPPORT_DEEP_TESTS === "1" ? 10 : 3;
const ORG = "contoso.example";
const USERS = ["rita@contoso.example", "sam@contoso.example"];
const KINDS: WriteKind[] = ["email", "note", "task", "stage"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const readLines = <T>(file: string): T[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as T)
    : [];

describe.each(storeKinds)("durability: kill -9 under 200 concurrent writers (%s)", (kind) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | null = null;
  let server: ServerProcess | null = null;
  let writer: ChildProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-durability-"));
    if (kind === "postgres") {
      const created = await createTestDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    env = {
      RAPPORT_DATA_DIR: path.join(dir, "data"),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      RAPPORT_ADDIN_DIR: path.join(dir, "no-addin"),
      RAPPORT_RATE_LIMIT_PER_USER: "0",
      RAPPORT_RATE_LIMIT_PER_IP: "0",
      LOG_LEVEL: "warn",
    };
  });
  afterAll(async () => {
    if (writer && writer.exitCode === null && writer.signalCode === null) writer.kill("SIGKILL");
    if (server && server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill("SIGKILL");
      await server.exited;
    }
    await dropDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every acknowledged write exactly once and nothing half-written across repeated kill -9", async () => {
    const began = Date.now();
    const urlFile = path.join(dir, "url");
    const stopFile = path.join(dir, "stop");
    const ackFile = path.join(dir, "acknowledged.jsonl");
    const failFile = path.join(dir, "failed.jsonl");
    const serverErrors: string[] = [];

    /** Starts the server on the store and tells the writer where it is; it must come up and answer. */
    const start = async () => {
      const started = await startServerProcess(env);
      const health = await fetch(`${started.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", store: kind });
      // Replaced in one step, so the writer never reads it half-written.
      writeFileSync(`${urlFile}.next`, started.url);
      renameSync(`${urlFile}.next`, urlFile);
      return started;
    };
    /** What the server printed at level error or above (pino JSON lines), kept for the report. */
    const collectErrors = (s: ServerProcess) => {
      for (const line of s.output().split("\n")) {
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
          if ((entry.level ?? 0) >= 50) serverErrors.push(`${entry.msg ?? ""} ${entry.err?.message ?? ""}`);
        } catch {
          if (/could not start|Error\b/.test(line)) serverErrors.push(line);
        }
      }
    };

    server = await start();
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    const tokens = await Promise.all(USERS.map((email) => issuer.sign({ email, org: ORG })));
    const call = apiCaller(() => server?.url, tokens[0] as string);

    // The organisation: its first user (admin) and a colleague, ten contacts, twenty-five deals.
    const users: string[] = [];
    for (const token of tokens)
      users.push(Me.parse(await call("GET", "/api/v1/me", undefined, token)).user.id);
    const orgId = Me.parse(await call("GET", "/api/v1/me")).organization.id;
    const contacts: WriterConfig["contacts"] = [];
    for (let i = 0; i < 10; i++) {
      const address = `customer${i}@fabrikam.example`;
      const name = `Customer ${i}`;
      const created = await call<{ id: string }>("POST", "/api/v1/contacts", {
        displayName: name,
        emails: [address],
      });
      contacts.push({ id: created.id, address, name });
    }
    const pipeline = PipelineList.parse(await call("GET", "/api/v1/pipelines")).pipelines[0];
    const stageIds = (pipeline?.stages ?? []).map((s) => s.id);
    expect(stageIds).toHaveLength(6);
    const deals: WriterConfig["deals"] = [];
    for (let i = 0; i < 25; i++) {
      const deal = await call<{ id: string; version: number; stageId: string }>("POST", "/api/v1/deals", {
        name: `Durable deal ${i}`,
        amount: 1000 * (i + 1),
        currency: "EUR",
        contactIds: [(contacts[i % contacts.length] as { id: string }).id],
      });
      deals.push({ id: deal.id, version: deal.version, stageId: deal.stageId });
    }

    // The writers, in their own process.
    const config: WriterConfig = {
      urlFile,
      stopFile,
      ackFile,
      failFile,
      tokens,
      addresses: USERS,
      contacts,
      deals,
      stageIds,
      writers: { email: 50, note: 50, task: 50, stage: 50 },
      budgetMs: 150_000,
    };
    const configFile = path.join(dir, "writer.json");
    writeFileSync(configFile, JSON.stringify(config));
    writer = spawn(process.execPath, ["--import", "tsx", "test/helpers/durability-writer.ts", configFile], {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let writerOutput = "";
    writer.stdout?.on("data", (chunk: Buffer) => (writerOutput += chunk.toString()));
    writer.stderr?.on("data", (chunk: Buffer) => (writerOutput += chunk.toString()));
    const writerExited = new Promise<number | null>((resolve) =>
      writer?.once("exit", (code) => resolve(code)),
    );

    // Wait for the first acknowledgements, so the first kill lands in the middle of the load.
    for (let i = 0; i < 300 && readLines<Acknowledged>(ackFile).length < 50; i++) await sleep(100);

    // Kill -9 at random moments, 1–3 s apart, restarting on the same store each time.
    const uptimes: number[] = [];
    const restarts: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const up = 1000 + Math.floor(Math.random() * 2000);
      await sleep(up);
      server.process.kill("SIGKILL");
      expect(await server.exited).toBeNull();
      collectErrors(server);
      uptimes.push(up);
      const restarting = Date.now();
      server = await start();
      restarts.push(Date.now() - restarting);
    }
    // The writers go on for a moment on the last server, then stop and finish what is in flight.
    await sleep(1500);
    writeFileSync(stopFile, "");
    expect(await writerExited).toBe(0);
    const summary = JSON.parse(writerOutput.trim().split("\n").pop() ?? "{}") as WriterSummary;

    // A clean stop, then the store is read directly.
    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    collectErrors(server);
    const database: Database =
      kind === "pglite"
        ? await openPglite({ dataDir: path.join(env.RAPPORT_DATA_DIR as string, "pglite") })
        : await openPostgres(databaseUrl as string);
    let report;
    try {
      report = await verify(database, orgId, users, readLines(ackFile), readLines(failFile));
    } finally {
      await database.close();
    }

    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    const counts = KINDS.map(
      (k) =>
        `${k} ${report.acknowledged[k]}/${report.found[k]}` +
        ` (in doubt ${report.unacknowledged[k]}, present ${report.unacknowledgedPresent[k]};` +
        ` refused ${report.refused[k]}, present 0)`,
    ).join(", ");
    console.log(
      `durability (${kind}): ${KILLS} kills (up ${uptimes.join("/")} ms, restarts ${restarts.join("/")} ms); ` +
        `acknowledged/found: ${counts}; unanswered attempts ${JSON.stringify(summary.unanswered)}, ` +
        `answered with error ${JSON.stringify(summary.answeredWithError)}, ` +
        `stage conflicts ${summary.conflicts}; server errors logged ${serverErrors.length}; ${seconds} s`,
    );
    if (serverErrors.length) console.log(`server errors (${kind}):\n${serverErrors.slice(0, 20).join("\n")}`);

    // Every start was clean: nothing logged at level error, by any of the servers.
    expect(serverErrors).toEqual([]);
    expect(report.problems).toEqual([]);
    for (const k of KINDS) {
      expect(report.acknowledged[k]).toBeGreaterThan(0);
      expect(report.found[k]).toBe(report.acknowledged[k]);
    }
    // The writers' requests were valid: nothing refused but the stage moves' version conflicts.
    expect(Object.keys(summary.answeredWithError).filter((s) => s !== "409" && Number(s) < 500)).toEqual([]);
  }, 600_000);
});

interface Report {
  acknowledged: Record<WriteKind, number>;
  found: Record<WriteKind, number>;
  /** Writes in doubt: sent, never answered. */
  unacknowledged: Record<WriteKind, number>;
  unacknowledgedPresent: Record<WriteKind, number>;
  /** Writes refused or never taken by a server: none of them may be in the store. */
  refused: Record<WriteKind, number>;
  /** Everything wrong, one line each: lost, duplicated, half-written, phantom or inconsistent records. */
  problems: string[];
}

/** Compares what the writer was told with what the store holds. */
async function verify(
  database: Database,
  orgId: string,
  users: string[],
  ackLines: (Acknowledged & { detail?: boolean })[],
  failLines: FailedAttempt[],
): Promise<Report> {
  const zero = (): Record<WriteKind, number> => ({ email: 0, note: 0, task: 0, stage: 0 });
  const report: Report = {
    acknowledged: zero(),
    found: zero(),
    unacknowledged: zero(),
    unacknowledgedPresent: zero(),
    refused: zero(),
    problems: [],
  };
  const problem = (line: string) => report.problems.length < 50 && report.problems.push(line);

  // Acknowledged writes (the first line of each) and their answers (the detail line).
  const acked = new Map<string, Acknowledged>();
  const details = new Map<string, Acknowledged>();
  for (const line of ackLines) {
    if (line.detail) details.set(line.write.key, line);
    else if (acked.has(line.write.key)) problem(`acknowledged twice by the writer: ${line.write.key}`);
    else acked.set(line.write.key, line);
  }
  // Writes without an acknowledgement: in doubt (a request the server may have taken was never answered), or
  // refused (every attempt answered with an error, or refused a connection: no server took it).
  const unanswered = new Map<string, Write>();
  const refused = new Map<string, Write>();
  for (const line of failLines) {
    if (acked.has(line.write.key)) continue;
    if (line.status === null && line.error !== "ECONNREFUSED") {
      unanswered.set(line.write.key, line.write);
      refused.delete(line.write.key);
    } else if (!unanswered.has(line.write.key)) refused.set(line.write.key, line.write);
  }
  for (const write of acked.values()) report.acknowledged[write.write.kind]++;
  for (const write of unanswered.values()) report.unacknowledged[write.kind]++;
  for (const write of refused.values()) report.refused[write.kind]++;

  const db = database.db;
  const [interactions, participants, loggers, tasks, deals, changes, audits] = await Promise.all([
    db
      .selectFrom("interactions")
      .select(["id", "kind", "internet_message_id", "body", "logged_by"])
      .where("org_id", "=", orgId)
      .execute(),
    db
      .selectFrom("interaction_participants")
      .select(["interaction_id", "contact_id", "role"])
      .where("org_id", "=", orgId)
      .execute(),
    db
      .selectFrom("interaction_loggers")
      .select(["interaction_id", "user_id"])
      .where("org_id", "=", orgId)
      .execute(),
    db.selectFrom("tasks").select(["id", "title", "created_by"]).where("org_id", "=", orgId).execute(),
    db.selectFrom("deals").select(["id", "version", "stage_id"]).where("org_id", "=", orgId).execute(),
    db
      .selectFrom("deal_stage_changes")
      .select(["deal_id", "from_stage_id", "to_stage_id", "source", "changed_at"])
      .where("org_id", "=", orgId)
      .execute(),
    db.selectFrom("audit_events").select(["entity_id", "action"]).where("org_id", "=", orgId).execute(),
  ]);
  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
    return map;
  };
  const participantsOf = group(participants, (p) => p.interaction_id);
  const loggersOf = group(loggers, (l) => l.interaction_id);
  const auditsOf = group(audits, (a) => `${a.entity_id} ${a.action}`);
  const auditCount = (id: string, action: string) => auditsOf.get(`${id} ${action}`)?.length ?? 0;
  const writeOf = (key: string): Write | undefined =>
    acked.get(key)?.write ?? unanswered.get(key) ?? refused.get(key);

  // Is this record whole, as the write that made it describes it?
  const wholeInteraction = (row: (typeof interactions)[0], write: Write): string | null => {
    const ps = participantsOf.get(row.id) ?? [];
    const ls = loggersOf.get(row.id) ?? [];
    const user = users[write.user];
    if (ls.length !== 1 || ls[0]?.user_id !== user) return `loggers ${JSON.stringify(ls)}`;
    if (write.kind === "email") {
      if (ps.length !== 2) return `${ps.length} participants`;
      if (!ps.some((p) => p.role === "from" && p.contact_id === write.contactId)) return "no linked sender";
      if (auditCount(row.id, "email.logged") !== 1) return "audit email.logged missing or repeated";
    } else if (write.kind === "note") {
      if (ps.length !== 1 || ps[0]?.contact_id !== write.contactId)
        return `participants ${JSON.stringify(ps)}`;
      if (row.body !== write.body) return "body differs";
      if (auditCount(row.id, `${row.kind}.created`) !== 1)
        return `audit ${row.kind}.created missing or repeated`;
    }
    return null;
  };

  // Interactions: one per message id, notes by id; every one whole and made by a write the writer sent.
  const emailsById = group(
    interactions.filter((i) => i.kind === "email"),
    (i) => i.internet_message_id,
  );
  for (const [messageId, rows] of emailsById) {
    if (rows.length > 1) problem(`email ${messageId} is there ${rows.length} times`);
  }
  for (const row of interactions) {
    const key = row.kind === "email" ? (row.internet_message_id ?? "") : row.id;
    const write = writeOf(key);
    if (!write) {
      problem(`${row.kind} ${key} is in the store but was never sent`);
      continue;
    }
    const broken = wholeInteraction(row, write);
    if (broken)
      problem(
        `${row.kind} ${key} (${acked.has(key) ? "acknowledged" : "unacknowledged"}) is not whole: ${broken}`,
      );
    if (refused.has(key)) problem(`${row.kind} ${key} was refused but is in the store`);
    if (unanswered.has(key)) report.unacknowledgedPresent[write.kind === "email" ? "email" : "note"]++;
  }
  for (const [key, { write }] of acked) {
    if (write.kind === "email") {
      const rows = emailsById.get(key) ?? [];
      const answered = details.get(key)?.interactionId;
      if (rows.length === 0) problem(`acknowledged email ${key} is lost`);
      else if (rows.length === 1 && !wholeInteraction(rows[0] as (typeof rows)[0], write)) {
        if (answered && rows[0]?.id !== answered) problem(`email ${key} is not the interaction answered`);
        else report.found.email++;
      }
    } else if (write.kind === "note") {
      const row = interactions.find((i) => i.id === key);
      if (!row) problem(`acknowledged note ${key} is lost`);
      else if (row.kind !== "email" && !wholeInteraction(row, write)) report.found.note++;
    }
  }

  // Tasks by id.
  const tasksById = new Map(tasks.map((t) => [t.id, t]));
  for (const task of tasks) {
    const write = writeOf(task.id);
    if (!write || write.kind !== "task") {
      problem(`task ${task.id} is in the store but was never sent`);
      continue;
    }
    if (task.title !== write.title || task.created_by !== users[write.user])
      problem(`task ${task.id} is not as sent`);
    if (auditCount(task.id, "task.created") !== 1)
      problem(`task ${task.id}: audit task.created missing or repeated`);
    if (refused.has(task.id)) problem(`task ${task.id} was refused but is in the store`);
    if (unanswered.has(task.id)) report.unacknowledgedPresent.task++;
  }
  for (const [key, { write }] of acked) {
    if (write.kind !== "task") continue;
    const task = tasksById.get(key);
    if (!task) problem(`acknowledged task ${key} is lost`);
    else if (task.title === write.title && auditCount(key, "task.created") === 1) report.found.task++;
  }

  // Stage moves: each acknowledged one once in the history, where its version puts it; each deal's version,
  // stage and audit trail agree with its history.
  const movesOf = group(
    changes.filter((c) => c.source !== "created"),
    (c) => c.deal_id,
  );
  const createdOf = new Map(changes.filter((c) => c.source === "created").map((c) => [c.deal_id, c]));
  const bySource = group(
    changes.filter((c) => c.source !== "created"),
    (c) => c.source,
  );
  const time = (c: { changed_at: Date | string }) => new Date(c.changed_at).getTime();
  for (const change of changes) {
    if (change.source === "created") continue;
    const write = writeOf(change.source);
    if (!write) problem(`stage change ${change.source} is in the store but was never sent`);
    else if (refused.has(change.source))
      problem(`stage move ${change.source} was refused but is in the store`);
    else if (unanswered.has(change.source)) report.unacknowledgedPresent.stage++;
  }
  for (const [source, rows] of bySource)
    if (rows.length > 1) problem(`stage move ${source} is there ${rows.length} times`);
  for (const deal of deals) {
    const moves = movesOf.get(deal.id) ?? [];
    const created = createdOf.get(deal.id);
    if (!created) problem(`deal ${deal.id} has no "created" stage change`);
    if (deal.version !== moves.length + 1)
      problem(`deal ${deal.id} is at version ${deal.version} after ${moves.length} moves`);
    if (auditCount(deal.id, "deal.stage_changed") !== moves.length)
      problem(
        `deal ${deal.id}: ${auditCount(deal.id, "deal.stage_changed")} audit events for ${moves.length} moves`,
      );
    // The moves form one path from the first stage to the current one.
    const balance = new Map<string, number>();
    const add = (stage: string, n: number) => balance.set(stage, (balance.get(stage) ?? 0) + n);
    for (const m of moves) {
      add(m.from_stage_id ?? "", 1);
      add(m.to_stage_id, -1);
    }
    if (created) add(created.to_stage_id, -1);
    add(deal.stage_id, 1);
    if ([...balance.values()].some((n) => n !== 0))
      problem(`deal ${deal.id}: its moves do not lead to its stage`);
    const latest = moves.reduce((max, m) => Math.max(max, time(m)), 0);
    const last = moves.filter((m) => time(m) === latest);
    if (last.length === 1 && last[0]?.to_stage_id !== deal.stage_id)
      problem(`deal ${deal.id}: the last move went to another stage than the deal is in`);
  }
  const dealsById = new Map(deals.map((d) => [d.id, d]));
  for (const [key, { write }] of acked) {
    if (write.kind !== "stage") continue;
    const rows = bySource.get(key) ?? [];
    const row = rows[0];
    if (!row) {
      problem(
        `acknowledged stage move ${key} (deal ${write.dealId} to version ${write.fromVersion + 1}) is lost`,
      );
      continue;
    }
    const detail = details.get(key);
    const version = detail?.version ?? write.fromVersion + 1;
    const deal = dealsById.get(write.dealId);
    const moves = movesOf.get(write.dealId) ?? [];
    const before = moves.filter((m) => time(m) < time(row)).length;
    const upTo = moves.filter((m) => time(m) <= time(row)).length;
    const fits =
      rows.length === 1 &&
      row.deal_id === write.dealId &&
      row.from_stage_id === write.fromStageId &&
      row.to_stage_id === write.stageId &&
      version === write.fromVersion + 1 &&
      (detail?.stageId ?? write.stageId) === write.stageId &&
      before <= version - 2 &&
      upTo >= version - 1 &&
      deal !== undefined &&
      deal.version >= version &&
      (deal.version !== version || deal.stage_id === write.stageId);
    if (fits) report.found.stage++;
    else
      problem(
        `acknowledged stage move ${key} does not fit the deal's history: ${JSON.stringify({ row, write, version, before, upTo, deal })}`,
      );
  }
  return report;
}
