import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { PipelineList } from "../../src/shared/pipelines";
import { Me } from "../../src/shared/routes";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import type { Database } from "../../src/server/db/database";
import type { Acknowledged, Write, WriterConfig } from "./durability-writer";
import { apiCaller } from "./server-process";

/**
 * What the backup tests share: an organisation to write into, the durability writer (test/helpers/
 * durability-writer.ts) in a process of its own at a modest load, and the checks a restored store must pass.
 */
const root = path.resolve(__dirname, "../..");
const USERS = ["rita@contoso.example", "sam@contoso.example"];
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Organisation {
  orgId: string;
  config: Omit<WriterConfig, "urlFile" | "stopFile" | "ackFile" | "failFile" | "budgetMs" | "writers">;
}

/** An organisation with two users, five contacts and ten deals, made through the API of the server at `url`. */
export async function seedOrganisation(url: string, dataDir: string): Promise<Organisation> {
  const issuer = await loadLocalIssuer(dataDir);
  const tokens = await Promise.all(USERS.map((email) => issuer.sign({ email, org: "contoso.example" })));
  const call = apiCaller(() => url, tokens[0] as string);
  for (const token of tokens) await call("GET", "/api/v1/me", undefined, token);
  const orgId = Me.parse(await call("GET", "/api/v1/me")).organization.id;
  const contacts: WriterConfig["contacts"] = [];
  for (let i = 0; i < 5; i++) {
    const address = `customer${i}@fabrikam.example`;
    const created = await call<{ id: string }>("POST", "/api/v1/contacts", {
      displayName: `Customer ${i}`,
      emails: [address],
    });
    contacts.push({ id: created.id, address, name: `Customer ${i}` });
  }
  const pipeline = PipelineList.parse(await call("GET", "/api/v1/pipelines")).pipelines[0];
  const stageIds = (pipeline?.stages ?? []).map((s) => s.id);
  const deals: WriterConfig["deals"] = [];
  for (let i = 0; i < 10; i++) {
    const deal = await call<{ id: string; version: number; stageId: string }>("POST", "/api/v1/deals", {
      name: `Backed-up deal ${i}`,
      amount: 1000 * (i + 1),
      currency: "EUR",
      contactIds: [(contacts[i % contacts.length] as { id: string }).id],
    });
    deals.push({ id: deal.id, version: deal.version, stageId: deal.stageId });
  }
  return { orgId, config: { tokens, addresses: USERS, contacts, deals, stageIds } };
}

export interface Writer {
  /** Every acknowledged write so far (the first line of each, with the time its answer arrived). */
  acknowledged(): Acknowledged[];
  /** Stops the writers, lets the requests in flight finish, and resolves with the writer's exit code. */
  stop(): Promise<number | null>;
  process: ChildProcess;
}

/** Writers of each kind (ten: 40 in all) against the server at `url`: seconds of load, not minutes. */
export function startWriter(dir: string, url: string, organisation: Organisation, perKind = 10): Writer {
  const files = {
    urlFile: path.join(dir, "url"),
    stopFile: path.join(dir, "stop"),
    ackFile: path.join(dir, "acknowledged.jsonl"),
    failFile: path.join(dir, "failed.jsonl"),
  };
  writeFileSync(files.urlFile, url);
  const config: WriterConfig = {
    ...organisation.config,
    ...files,
    writers: { email: perKind, note: perKind, task: perKind, stage: perKind },
    budgetMs: 600_000,
  };
  const configFile = path.join(dir, "writer.json");
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/helpers/durability-writer.ts", configFile],
    {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    acknowledged: () =>
      existsSync(files.ackFile)
        ? readFileSync(files.ackFile, "utf8")
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => JSON.parse(line) as Acknowledged & { detail?: boolean })
            .filter((line) => !line.detail)
        : [],
    async stop() {
      writeFileSync(files.stopFile, "");
      const code = await exited;
      if (code !== 0) console.log(`backup writer output:\n${output}`);
      return code;
    },
  };
}

/** Polls until the writer has this many acknowledged writes (at most two minutes). */
export async function waitForAcknowledged(writer: Writer, count: number): Promise<void> {
  for (let i = 0; i < 1200 && writer.acknowledged().length < count; i++) await sleep(100);
  expect(writer.acknowledged().length).toBeGreaterThanOrEqual(count);
}

/** The writes of `writes` that the store does not hold, one line each. */
export async function missingWrites(database: Database, orgId: string, writes: Write[]): Promise<string[]> {
  const db = database.db;
  const [emails, interactions, tasks, moves] = await Promise.all([
    db
      .selectFrom("interactions")
      .select("internet_message_id")
      .where("org_id", "=", orgId)
      .where("kind", "=", "email")
      .execute(),
    db.selectFrom("interactions").select("id").where("org_id", "=", orgId).execute(),
    db.selectFrom("tasks").select("id").where("org_id", "=", orgId).execute(),
    db.selectFrom("deal_stage_changes").select("source").where("org_id", "=", orgId).execute(),
  ]);
  const held = {
    email: new Set(emails.map((e) => e.internet_message_id)),
    note: new Set(interactions.map((i) => i.id)),
    task: new Set(tasks.map((t) => t.id)),
    stage: new Set(moves.map((m) => m.source)),
  };
  return writes.filter((w) => !held[w.kind].has(w.key)).map((w) => `${w.kind} ${w.key}`);
}

/**
 * Every foreign key of the schema checked row by row: the references that do not hold, one line each. PostgreSQL
 * enforces them as rows are written; this finds a store whose files came back torn.
 */
export async function brokenReferences(database: Database): Promise<string[]> {
  const keys = await sql<{ name: string; child: string; parent: string; columns: string[]; refs: string[] }>`
    select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
      array(select a.attname from unnest(c.conkey) with ordinality k(n, i)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as columns,
      array(select a.attname from unnest(c.confkey) with ordinality k(n, i)
        join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)::text[] as refs
    from pg_constraint c
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`.execute(database.db);
  const broken: string[] = [];
  for (const key of keys.rows) {
    const held = key.columns.map((column) => sql`c.${sql.ref(column)} is not null`);
    const join = key.columns.map(
      (column, i) => sql`p.${sql.ref(key.refs[i] as string)} = c.${sql.ref(column)}`,
    );
    const orphans = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(key.child)} c
      where ${sql.join(held, sql` and `)}
        and not exists (select from ${sql.table(key.parent)} p where ${sql.join(join, sql` and `)})`.execute(
      database.db,
    );
    const n = orphans.rows[0]?.n ?? 0;
    if (n > 0) broken.push(`${key.name}: ${n} row(s) of ${key.child} without their ${key.parent}`);
  }
  if (keys.rows.length < 10) broken.push(`only ${keys.rows.length} foreign keys found: the query is wrong`);
  return broken;
}

/** Each deal's version counts its stage moves, and its stage is where its history leads. */
export async function inconsistentDeals(database: Database, orgId: string): Promise<string[]> {
  const rows = await sql<{ id: string; version: number; moves: number }>`
    select d.id, d.version,
      (select count(*)::int from deal_stage_changes c where c.deal_id = d.id and c.source <> 'created') as moves
    from deals d where d.org_id = ${orgId}`.execute(database.db);
  return rows.rows
    .filter((d) => d.version !== d.moves + 1)
    .map((d) => `deal ${d.id} at version ${d.version} after ${d.moves} moves`);
}

/** Runs one of the project's commands (scripts/<name>.ts) as `npm run <name>` would, and what it printed. */
export function runCommand(
  name: "backup" | "restore",
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}
