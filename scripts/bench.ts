// Seeds a fresh store with a large organisation, then times the add-in's hot paths over real HTTP, and the same
// contact lookup as one hand-written SQL query, to see what the API layers cost on top of the database.
//   npm run bench [-- --quick] [--postgres] [--contacts 100000] [--interactions 1000000] [--samples 1000] [--keep]
//                 [--skip-pane] [--skip-sync] [--sync-lag-samples 5]
// Then the task pane: its production bundle's size, and selecting an email → profile painted, in Chromium.
// Then the mailbox sync (bench/sync.ts): the backfill of a 10,000-message mailbox (--quick: 2,000) through a
// local Graph server, and the lag from a new message to its interaction stored, at the default interval (minutes).
// PostgreSQL: a fresh database next to BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local test server).
//   npm run bench -- --load [--postgres] [--load-seconds 60] [--load-concurrency 1,2,4,8,16,32,64]
// Only the load test (bench/load.ts), after seeding (10,000 contacts, 100,000 interactions unless given): the real
// server as a process of its own over the seeded store, and mixed traffic from this one at increasing concurrency;
// then lookups alone against it and against a one-statement baseline server in the same process (bench/baseline-server.ts).
//   npm run bench -- --reports [--postgres] [--deals 100000] [--report-samples 30]
// Only the reports (bench/reports.ts), after seeding with 100,000 deals over every stage, their stage history and
// 1,000,000 interactions of every kind: each report's p50/p95/max over HTTP, and the pipeline report's plan.
//   npm run bench -- --segments [--postgres] [--contacts 100000] [--interactions 1000000] [--segment-samples 30]
// Only the segments (bench/segments.ts), after seeding: the editor's live count of a segment over that many contacts
// for filters of every kind (goal ≤ 200 ms), and a segment of everyone evaluated for a marketing platform.
//   npm run bench -- --person-data [--postgres] [--interactions 100000] [--deals 50000]
// Only a person's data export and erasure, and the deals list's CSV and XLSX at the export cap (bench/person-data.ts).
//   npm run bench -- --web-forms [--postgres] [--form-rate 100] [--form-seconds 20]
// Only web form submissions (bench/web-forms.ts), at a fixed rate over HTTP: their answers' p50/p95/p99.
//   npm run bench -- --notifications [--postgres] [--notify-mailboxes 10] [--notify-samples 40] [--notify-gap 2]
// Only the sync with Graph change notifications (bench/notifications.ts): new message → stored, p50 and max
// (--notify-poll-only: the run found by another server's poll of the store, not this process's signal).
//   npm run bench -- --import [--postgres] [--contacts 100000]
// Only the import (bench/imports.ts), into an empty organisation, no seeding: a CSV of that many contacts
// previewed, committed (goal ≤ 30 s on PGlite), committed again as updates, and the contacts exported as CSV;
// then 10,000 invoices imported (bench/imports.ts) and a quote PDF of a 20-line deal made 30 times (bench/quotes.ts,
// goal ≤ 300 ms each).
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { type Kysely, type RawBuilder, sql } from "kysely";
import pg from "pg";
import { z } from "zod";
import { buildApp } from "../src/server/app";
import { type LocalIssuer, loadLocalIssuer } from "../src/server/auth/local-issuer";
import { createTokenVerifier } from "../src/server/auth/verify";
import { type Database, type StoreKind, openPglite, openPostgres } from "../src/server/db/database";
import { migrateToLatest } from "../src/server/db/migrate";
import type { DB } from "../src/server/db/tables";
import { LoggedEmail } from "../src/shared/interactions";
import { LookupResponse } from "../src/shared/people";
import { Me } from "../src/shared/routes";
import {
  DEFAULT_LOAD_CONCURRENCY,
  type LoadOptions,
  type LoadReport,
  measureLoad,
  printLoad,
} from "./bench/load";
import { profileQuery } from "./bench/lookup-sql";
import { type PaneReport, WARMUP_PANE_SELECTIONS, measureBundles, measureSelections } from "./bench/pane";
import { type ReportsReport, measureReports, printReports, seedForReports } from "./bench/reports";
import { type SegmentsReport, measureSegments, printSegments, seedForSegments } from "./bench/segments";
import { type ImportBenchReport, measureImport, printImport } from "./bench/imports";
import { type QuoteBenchReport, measureQuotes, printQuotes } from "./bench/quotes";
import { type Stats, random, summarize } from "./bench/stats";
import { type SyncOptions, type SyncReport, measureSync } from "./bench/sync";

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const COMPANIES = 5_000;
const USERS = 10;
const WARMUP = 50;
const SUGGESTION_SAMPLES = 300;
const INTERACTION_CHUNK = 100_000;
/** Emails are spread over the two years before the run. */
const HISTORY_SECONDS = 2 * 365 * 24 * 3600;
/** Selections timed in the pane, after its warm-up ones. */
const PANE_SELECTIONS = 50;
const ADMIN = { email: "bench.admin@bench.example", name: "Bench Admin", org: "bench.example" };

interface Sizes {
  contacts: number;
  companies: number;
  users: number;
  interactions: number;
  deals: number;
  tasks: number;
}

interface Options {
  store: StoreKind;
  sizes: Sizes;
  samples: number;
  keep: boolean;
  pane: boolean;
  /** null: --skip-sync. */
  sync: SyncOptions | null;
  /** --load: only the load test, after seeding. */
  load: LoadOptions | null;
  /** --reports: only the reports, after seeding; the samples per report. */
  reports: { samples: number } | null;
  /** --import: only the import of `sizes.contacts` contacts, into an empty organisation. */
  import: boolean;
  /** --segments: only the segments' counts and evaluation, after seeding; the samples per filter. */
  segments: { samples: number } | null;
}

interface Org {
  orgId: string;
  /** The signed-in admin: the viewer the lookup answers for (an email's Rapport key shows to its owner only). */
  userId: string;
  pipelineId: string;
  openStageIds: string[];
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      postgres: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      contacts: { type: "string" },
      interactions: { type: "string" },
      samples: { type: "string" },
      keep: { type: "boolean", default: false },
      "skip-pane": { type: "boolean", default: false },
      "skip-sync": { type: "boolean", default: false },
      "sync-lag-samples": { type: "string" },
      load: { type: "boolean", default: false },
      "load-seconds": { type: "string" },
      "load-concurrency": { type: "string" },
      reports: { type: "boolean", default: false },
      deals: { type: "string" },
      "report-samples": { type: "string" },
      import: { type: "boolean", default: false },
      segments: { type: "boolean", default: false },
      "segment-samples": { type: "string" },
    },
    strict: true,
  });
  const count = (value: string | undefined, fallback: number, name: string, min: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer of at least ${min}, got "${value}".`);
    return n;
  };
  // The load test's default store is the quick one: its steps are short, and seeding should not dwarf them.
  const small = values.quick || values.load;
  const contacts = count(values.contacts, small ? 10_000 : 100_000, "contacts", 100);
  const interactions = count(values.interactions, small ? 100_000 : 1_000_000, "interactions", 0);
  // Deals and tasks scale with contacts: one in five contacts has an open deal, one in five an open task. The
  // reports are measured on as many deals as contacts.
  const sizes = {
    contacts,
    companies: COMPANIES,
    users: USERS,
    interactions,
    deals: count(values.deals, values.reports ? contacts : Math.floor(contacts / 5), "deals", 1),
    tasks: Math.floor(contacts / 5),
  };
  return {
    store: values.postgres ? "postgres" : "pglite",
    sizes,
    samples: count(values.samples, 1000, "samples", 10),
    keep: values.keep,
    pane: !values["skip-pane"],
    sync: values["skip-sync"]
      ? null
      : {
          messages: values.quick ? 2_000 : 10_000,
          lagSamples: count(values["sync-lag-samples"], values.quick ? 2 : 5, "sync-lag-samples", 0),
        },
    load: values.load
      ? {
          seconds: count(values["load-seconds"], 60, "load-seconds", 1),
          concurrency: values["load-concurrency"]
            ? values["load-concurrency"].split(",").map((c) => count(c.trim(), 0, "load-concurrency", 1))
            : DEFAULT_LOAD_CONCURRENCY,
          warmupSeconds: 3,
        }
      : null,
    reports: values.reports ? { samples: count(values["report-samples"], 30, "report-samples", 1) } : null,
    import: values.import,
    segments: values.segments
      ? { samples: count(values["segment-samples"], 30, "segment-samples", 1) }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Store

interface BenchStore {
  database: Database;
  description: string;
  /** What the server process needs to open this store (--load). */
  serverEnv: Record<string, string>;
  /** Closes this process's hold on the store, so the server process may open it; once. */
  release(): Promise<void>;
  dispose(): Promise<void>;
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= run());
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function openBenchStore(options: Options, workDir: string): Promise<BenchStore> {
  if (options.store === "pglite") {
    // Where the server looks for it: <RAPPORT_DATA_DIR>/pglite.
    const dataDir = path.join(workDir, "pglite");
    const database = await openPglite({ dataDir });
    const release = once(() => database.close());
    return {
      database,
      description: options.keep ? `PGlite in ${dataDir}` : "PGlite in a temporary directory",
      serverEnv: { RAPPORT_DATA_DIR: workDir },
      release,
      dispose: release,
    };
  }
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
  const name = `rapport_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  let database: Database;
  try {
    // The seeding's statements write 100,000 rows each (and the rollups' triggers with them): on a busy shared
    // machine one outlasted the server's 30 s statement timeout, which guards requests, not a bench's setup.
    database = await openPostgres(url.toString(), { statementTimeoutMs: 600_000 });
  } catch (error) {
    await drop();
    throw error;
  }
  const release = once(() => database.close());
  return {
    database,
    description: `PostgreSQL ${redact(url.toString())}`,
    serverEnv: { RAPPORT_DATA_DIR: workDir, DATABASE_URL: url.toString() },
    release,
    async dispose() {
      await release();
      if (options.keep) console.log(`Kept the database: ${redact(url.toString())}`);
      else await drop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

/**
 * A deterministic id for the n-th row of a kind, shaped as a version-4 UUID (the contract's z.uuid() insists on
 * the version and variant bits). Deriving ids from n lets every statement reference rows of another table
 * without reading them back or joining on a mapping table.
 */
function uid(kind: string, n: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`overlay(overlay(md5(${sql.lit(`${kind}:`)} || (${n})::text) placing '4' from 13) placing '8' from 17)::uuid`;
}

/** The address of contact n, as the lookups will ask for it. */
const addressOf = (n: number, sizes: Sizes): string => `person${n}@company${n % sizes.companies}.example`;

function addressSql(n: RawBuilder<unknown>, sizes: Sizes): RawBuilder<string> {
  return sql<string>`'person' || (${n}) || '@company' || ((${n}) % ${sql.lit(sizes.companies)}) || '.example'`;
}

async function timedStep<T>(label: string, steps: Record<string, number>, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  steps[label] = ms;
  console.log(`  ${label.padEnd(28)} ${formatSeconds(ms)}`);
  return result;
}

/**
 * One seeding statement's transaction: no statement timeout (the server's 30 s is for requests; a million rows
 * take longer), and triggers and foreign-key checks off (session_replication_role = replica: the bench's owner is
 * a superuser on both stores).
 */
function bulk<T>(db: Kysely<DB>, run: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local statement_timeout = 0`.execute(trx);
    await sql`set local session_replication_role = replica`.execute(trx);
    return run(trx);
  });
}

async function seed(
  db: Kysely<DB>,
  org: Org,
  sizes: Sizes,
): Promise<{ totalMs: number; steps: Record<string, number> }> {
  const steps: Record<string, number> = {};
  const started = performance.now();
  const orgId = sql`${org.orgId}::uuid`;
  const n = sql`g`;
  // Literals rather than parameters: the planner then knows the divisors and array sizes.
  const C = sql.lit(sizes.contacts);
  const K = sql.lit(sizes.companies);
  const anchor = sql`${new Date().toISOString()}::timestamptz`;

  console.log(`Seeding ${describeSizes(sizes)}`);
  // In bulk, as a restore does: the big tables' secondary indexes are dropped here and built once after their
  // rows (each row's entry would otherwise land on a random page of an index of millions: at 1,000,000 contacts
  // the contacts alone passed the 30 s statement timeout), and the rows are written with triggers and
  // foreign-key checks off (bulk()). The rows are consistent by construction, and what the triggers would have
  // kept (0025's rollups, 0026's last interaction) is rebuilt from them at the end by rebuild_report_rollups,
  // as `npm run admin -- rebuild-rollups` does.
  const bulkTables = [
    "contacts",
    "contact_emails",
    "interactions",
    "interaction_participants",
    "interaction_loggers",
  ];
  const { rows: secondaryIndexes } = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${bulkTables}::text[])
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of secondaryIndexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  // The signed-in admin plus reps: owners, assignees and loggers rotate over all of them.
  const userIds = await timedStep(`users ${fmtInt(sizes.users)}`, steps, async () => {
    await sql`
      insert into users (org_id, external_id, email, display_name, role)
      select ${orgId}, 'local:rep' || g || '@bench.example', 'rep' || g || '@bench.example', 'Rep ' || g, 'member'
      from generate_series(1, ${sql.lit(sizes.users - 1)}) g`.execute(db);
    const rows = await db
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", org.orgId)
      .orderBy("external_id")
      .execute();
    return rows.map((r) => r.id);
  });
  const userOf = (i: RawBuilder<unknown>) =>
    sql<string>`(${userIds}::uuid[])[1 + (${i}) % ${sql.lit(userIds.length)}]`;

  await timedStep(`companies ${fmtInt(sizes.companies)}`, steps, () =>
    sql`
      insert into companies (id, org_id, name, domain, website, owner_id)
      select ${uid("company", n)}, ${orgId}, 'Company ' || g, 'company' || g || '.example', 'https://company' || g || '.example',
        ${userOf(n)}
      from generate_series(0, ${sql.lit(sizes.companies - 1)}) g`.execute(db),
  );

  await timedStep(`contacts ${fmtInt(sizes.contacts)}`, steps, () =>
    bulk(db, (trx) =>
      sql`
      insert into contacts (id, org_id, display_name, first_name, last_name, title, phones, company_id, lifecycle_stage, tags, owner_id, source)
      select ${uid("contact", n)}, ${orgId}, 'Person ' || g, 'Person', g::text,
        (array['CEO', 'CTO', 'Buyer', 'Engineer', null])[1 + g % 5],
        case when g % 3 = 0 then array['+1 555 ' || lpad((g % 10000)::text, 4, '0')] else '{}' end,
        ${uid("company", sql`g % ${K}`)},
        (array['lead', 'prospect', 'customer', 'former'])[1 + g % 4],
        case when g % 10 = 0 then array['vip'] else '{}' end,
        ${userOf(n)}, 'import'
      from generate_series(0, ${C} - 1) g`.execute(trx),
    ),
  );

  await timedStep(`contact_emails ${fmtInt(sizes.contacts)}`, steps, () =>
    bulk(db, (trx) =>
      sql`
      insert into contact_emails (org_id, contact_id, address, position)
      select ${orgId}, ${uid("contact", n)}, ${addressSql(n, sizes)}, 0
      from generate_series(0, ${C} - 1) g`.execute(trx),
    ),
  );

  // Deal g belongs to contact 5g (and that contact's company), in one of the open stages.
  await timedStep(`deals + deal_contacts ${fmtInt(sizes.deals)}`, steps, () =>
    bulk(db, (trx) =>
      sql`
      with gen as (
        select g, ${uid("deal", n)} as id, (g * 5) % ${C} as contact from generate_series(0, ${sql.lit(sizes.deals - 1)}) g
      ), inserted as (
        insert into deals (id, org_id, name, amount, currency, expected_close_date, company_id, owner_id, pipeline_id, stage_id)
        select id, ${orgId}, 'Deal ' || g, 1000 + (g * 37) % 99000 + 0.5, 'EUR', (${anchor} at time zone 'UTC')::date + g % 180,
          ${uid("company", sql`contact % ${K}`)}, ${userOf(n)}, ${org.pipelineId}::uuid,
          (${org.openStageIds}::uuid[])[1 + g % ${sql.lit(org.openStageIds.length)}]
        from gen
      )
      insert into deal_contacts (org_id, deal_id, contact_id)
      select ${orgId}, id, ${uid("contact", sql`contact`)} from gen`.execute(trx),
    ),
  );

  // Task g is for contact 5g + 2, so lookups meet contacts with a deal, with a task, or with neither.
  await timedStep(`tasks ${fmtInt(sizes.tasks)}`, steps, () =>
    bulk(db, (trx) =>
      sql`
      insert into tasks (id, org_id, title, notes, due_at, assignee_id, contact_id, created_by)
      select ${uid("task", n)}, ${orgId}, 'Follow up ' || g, case when g % 2 = 0 then 'Send the revised offer' end,
        case when g % 5 = 0 then null else ${anchor} + ((g % 60) - 20) * interval '1 day' end,
        ${userOf(n)}, ${uid("contact", sql`(g * 5 + 2) % ${C}`)}, ${userOf(sql`g + 1`)}
      from generate_series(0, ${sql.lit(sizes.tasks - 1)}) g`.execute(trx),
    ),
  );

  // Email g is from contact g mod C: every contact gets the same share. One statement per chunk writes the
  // interaction, its sender and its logger, so the derived values (id, time) are computed once.
  //
  const interactionsStarted = performance.now();
  for (let from = 0; from < sizes.interactions; from += INTERACTION_CHUNK) {
    const to = Math.min(from + INTERACTION_CHUNK, sizes.interactions);
    await bulk(db, async (trx) => {
      await sql`
      with gen as (
        select g, ${uid("interaction", n)} as id, g % ${C} as contact,
          ${anchor} - ((g::bigint * 2654435761) % ${sql.lit(HISTORY_SECONDS)}) * interval '1 second' as at
        from generate_series(${sql.lit(from)}, ${sql.lit(to - 1)}) g
      ), inserted as (
        insert into interactions (id, org_id, kind, direction, occurred_at, subject, body, internet_message_id, conversation_id,
          source, logged_by, created_at, updated_at)
        select id, ${orgId}, 'email', 'in', at, 'Re: offer ' || g,
          'Hello, thanks for the proposal. Could we talk about the volume discount next week? Best regards, Person ' || contact,
          '<bench-' || g || '@company' || contact % ${K} || '.example>', 'thread-' || contact || '-' || g / ${C} / 3,
          'import', ${userOf(n)}, at, at
        from gen
      ), senders as (
        insert into interaction_participants (org_id, interaction_id, contact_id, address, name, role, position, occurred_at)
        select ${orgId}, id, ${uid("contact", sql`contact`)}, ${addressSql(sql`contact`, sizes)}, 'Person ' || contact, 'from', 0, at
        from gen
      )
      insert into interaction_loggers (org_id, interaction_id, user_id, logged_at)
      select ${orgId}, id, ${userOf(n)}, at from gen`.execute(trx);
    });
    const elapsed = performance.now() - interactionsStarted;
    console.log(
      `  interactions ${fmtInt(to).padStart(9)} / ${fmtInt(sizes.interactions)}   ${formatSeconds(elapsed)}`,
    );
  }
  steps[`interactions ${fmtInt(sizes.interactions)} (+participants, loggers)`] =
    performance.now() - interactionsStarted;
  await timedStep(`${secondaryIndexes.length} secondary indexes`, steps, async () => {
    for (const index of secondaryIndexes)
      await bulk(db, async (trx) => {
        await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
        await sql.raw(index.definition).execute(trx);
      });
  });
  await timedStep("rebuild the rollups", steps, () =>
    bulk(db, (trx) => sql`select rebuild_report_rollups(${org.orgId}::uuid)`.execute(trx)),
  );

  await timedStep("analyze", steps, () => bulk(db, (trx) => sql`analyze`.execute(trx)));
  return { totalMs: performance.now() - started, steps };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** Runs `warmup` untimed then `samples` timed calls, one at a time; `call(i)` returns a check to run untimed. */
async function measure(
  name: string,
  warmup: number,
  samples: number,
  call: (i: number) => Promise<() => void>,
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) (await call(-1 - i))();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const check = await call(i);
    times.push(performance.now() - started);
    check();
  }
  const stats = summarize(name, times);
  console.log(
    `  ${name.padEnd(48)} p50 ${fmtMs(stats.p50)}  p95 ${fmtMs(stats.p95)}  p99 ${fmtMs(stats.p99)} ms`,
  );
  return stats;
}

interface Client {
  /** The body is read inside the timing: the client has the answer only once all of it has arrived. */
  request(method: "GET" | "POST", url: string, body?: unknown): Promise<{ status: number; text: string }>;
}

function httpClient(baseUrl: string, token: string): Client {
  return {
    async request(method, url, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
  };
}

function expectStatus(what: string, status: number, expected: number[], text: string): void {
  if (!expected.includes(status)) throw new Error(`${what} answered ${status}: ${text.slice(0, 500)}`);
}

const RawLookup = z.object({
  results: z.array(z.object({ email: z.string(), contact: z.unknown() })).length(1),
});

async function measureHttp(client: Client, sizes: Sizes, samples: number): Promise<Stats[]> {
  const pick = random(42);
  const runId = randomBytes(4).toString("hex");
  const lookupKnown = await measure("HTTP GET /people/lookup (known address)", WARMUP, samples, async () => {
    const address = addressOf(pick(sizes.contacts), sizes);
    const { status, text } = await client.request(
      "GET",
      `/api/v1/people/lookup?email=${encodeURIComponent(address)}`,
    );
    return () => {
      expectStatus("lookup", status, [200], text);
      if (!LookupResponse.parse(JSON.parse(text)).results[0]?.contact)
        throw new Error(`lookup found no contact for ${address}`);
    };
  });

  const logEmail = await measure(
    "HTTP POST /emails (new email, known sender)",
    WARMUP,
    samples,
    async (i) => {
      const n = pick(sizes.contacts);
      const body = {
        internetMessageId: `<bench-${runId}-${i}@company${n % sizes.companies}.example>`,
        subject: `Question ${i}`,
        from: { address: addressOf(n, sizes), name: `Person ${n}` },
        to: [{ address: ADMIN.email, name: ADMIN.name }],
        sentAt: new Date().toISOString(),
        bodyText:
          "Hello, could you send the updated quote for the second site? Thanks, and have a good week.",
        source: "manual",
      };
      const { status, text } = await client.request("POST", "/api/v1/emails", body);
      return () => {
        expectStatus("log email", status, [201], text);
        const logged = LoggedEmail.parse(JSON.parse(text));
        if (logged.interaction.participants[0]?.contactId === null)
          throw new Error(`the sender of email ${i} was not linked`);
      };
    },
  );

  const lookupUnknown = await measure(
    "HTTP GET /people/lookup (unknown, known domain)",
    WARMUP,
    SUGGESTION_SAMPLES,
    async (i) => {
      const k = pick(sizes.companies);
      const address = `newcomer.${runId}.${i + WARMUP}@company${k}.example`;
      const { status, text } = await client.request(
        "GET",
        `/api/v1/people/lookup?email=${encodeURIComponent(address)}`,
      );
      return () => {
        expectStatus("lookup", status, [200], text);
        const result = LookupResponse.parse(JSON.parse(text)).results[0];
        if (result?.contact !== null || result.suggestion?.company?.domain !== `company${k}.example`) {
          throw new Error(`lookup of ${address} did not suggest company${k}.example`);
        }
      };
    },
  );
  return [lookupKnown, logEmail, lookupUnknown];
}

async function measureSql(db: Kysely<DB>, org: Org, sizes: Sizes, samples: number): Promise<Stats> {
  const pick = random(42);
  return measure("SQL one-query profile (known address)", WARMUP, samples, async () => {
    const address = addressOf(pick(sizes.contacts), sizes);
    const { rows } = await profileQuery(org, address).execute(db);
    return () => {
      if (rows.length !== 1 || rows[0]?.profile === null)
        throw new Error(`the SQL lookup found no contact for ${address}`);
    };
  });
}

/** Where two JSON values first part ways ("openDeals[0].customFields: missing"), or null when they are equal. */
function firstDifference(a: unknown, b: unknown, at = "profile"): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: ${a.length} items via the API, ${b.length} via SQL`;
    for (const [i, item] of a.entries()) {
      const found = firstDifference(item, b[i], `${at}[${i}]`);
      if (found) return found;
    }
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const [left, right] = [a as Record<string, unknown>, b as Record<string, unknown>];
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (!(key in right)) return `${at}.${key}: missing via SQL`;
      if (!(key in left)) return `${at}.${key}: missing via the API`;
      const found = firstDifference(left[key], right[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 80)} via the API, ${JSON.stringify(b)?.slice(0, 80)} via SQL`;
}

/** Keeps the comparison honest: the one query must answer what the API answers, field for field. */
async function compareAnswers(client: Client, db: Kysely<DB>, org: Org, sizes: Sizes, count: number) {
  const pick = random(7);
  const mismatches: string[] = [];
  let first: string | null = null;
  for (let i = 0; i < count; i++) {
    const address = addressOf(pick(sizes.contacts), sizes);
    const { status, text } = await client.request(
      "GET",
      `/api/v1/people/lookup?email=${encodeURIComponent(address)}`,
    );
    expectStatus("lookup", status, [200], text);
    const viaApi = RawLookup.parse(JSON.parse(text)).results[0]?.contact;
    const { rows } = await profileQuery(org, address).execute(db);
    const difference = firstDifference(viaApi, rows[0]?.profile);
    if (difference) {
      mismatches.push(address);
      first ??= `${address}: ${difference}`;
    }
  }
  if (mismatches.length) {
    console.warn(
      `  ! the SQL answer differs from the API's for ${mismatches.length} of ${count}: ${mismatches.slice(0, 3).join(", ")}`,
    );
    console.warn(`    first: ${first}`);
  } else {
    console.log(`  SQL answer equals the API's contact profile for ${count} of ${count} sampled addresses`);
  }
  return { checked: count, matched: count - mismatches.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

const fmtInt = (n: number): string => n.toLocaleString("en-US");
const fmtMs = (ms: number): string => ms.toFixed(2).padStart(8);
const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const describeSizes = (s: Sizes): string =>
  `${fmtInt(s.contacts)} contacts, ${fmtInt(s.companies)} companies, ${fmtInt(s.interactions)} interactions, ` +
  `${fmtInt(s.deals)} open deals, ${fmtInt(s.tasks)} open tasks, ${s.users} users`;

interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  release: string;
  arch: string;
}

/** What every report starts with. */
interface ReportHeader {
  store: StoreKind;
  storeDescription: string;
  startedAt: string;
  sizes: Sizes;
  node: string;
  /** Peak resident memory of this process: with PGlite that includes the whole embedded database. */
  maxRssMb: number;
  machine: Machine;
  seeding: { totalMs: number; steps: Record<string, number> };
}

interface Report extends ReportHeader {
  samples: { known: number; logEmail: number; suggestion: number; warmup: number };
  results: Stats[];
  ratio: { p50: number; p99: number };
  sqlMatchesApi: { checked: number; matched: number };
  pane: PaneReport | null;
  sync: SyncReport | null;
}

/** --reports: the reports instead of the measurements above. */
interface ReportsRunReport extends ReportHeader {
  mode: "reports";
  reports: ReportsReport;
}

/** --segments: the segments' counts and evaluation instead of the measurements above. */
interface SegmentsRunReport extends ReportHeader {
  mode: "segments";
  segments: SegmentsReport;
}

/** --import: the import instead of the measurements above (no seeding). */
interface ImportRunReport extends ReportHeader {
  mode: "import";
  import: ImportBenchReport;
  quotes: QuoteBenchReport;
}

/** --load: the load test instead of the measurements above; its peak RSS is the server process's, in `load`. */
interface LoadRunReport extends ReportHeader {
  mode: "load";
  load: LoadReport;
}

function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
  };
}

function printHeader(report: ReportHeader, line: string): void {
  const { machine } = report;
  console.log(`\n${line}`);
  console.log(`Rapport bench  ${report.store}  (${report.storeDescription})`);
  console.log(`Data           ${describeSizes(report.sizes)}`);
  console.log(`Node           ${report.node}   ${machine.platform} ${machine.release} ${machine.arch}`);
  console.log(`Machine        ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM`);
  console.log(
    `Seeding        ${formatSeconds(report.seeding.totalMs)}   (peak RSS of the process ${report.maxRssMb} MB)`,
  );
}

function printReport(report: Report): void {
  const line = "-".repeat(86);
  printHeader(report, line);
  console.log(line);
  console.log(
    `${"measurement".padEnd(50)}${"samples".padStart(8)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}`,
  );
  for (const s of report.results) {
    console.log(
      `${s.name.padEnd(50)}${String(s.samples).padStart(8)} ${fmtMs(s.p50)} ${fmtMs(s.p95)} ${fmtMs(s.p99)}`,
    );
  }
  const ratio = (r: number) => `${r.toFixed(1)}x`.padStart(8);
  console.log(
    `${"ratio HTTP lookup / SQL one-query".padEnd(50)}${"".padStart(8)} ${ratio(report.ratio.p50)} ${"".padStart(8)} ${ratio(report.ratio.p99)}`,
  );
  if (report.pane) {
    const { bundle, selection } = report.pane;
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    console.log(
      `${"pane bundle, initial (taskpane entry)".padEnd(50)}${String(bundle.initial.files).padStart(8)} files  ` +
        `${kb(bundle.initial.raw)} raw, ${kb(bundle.initial.gzip)} gzip`,
    );
    console.log(
      `${"pane bundle, lazy chunks".padEnd(50)}${String(bundle.lazy.files).padStart(8)} files  ` +
        `${kb(bundle.lazy.raw)} raw, ${kb(bundle.lazy.gzip)} gzip`,
    );
    if (report.pane.webapp) {
      const { initial, lazy, chunks } = report.pane.webapp;
      console.log(
        `${"web app bundle, initial (webapp entry)".padEnd(50)}${String(initial.files).padStart(8)} files  ` +
          `${kb(initial.raw)} raw, ${kb(initial.gzip)} gzip`,
      );
      console.log(
        `${"web app bundle, lazy chunks (pages, charts, MSAL)".padEnd(50)}${String(lazy.files).padStart(8)} files  ` +
          `${kb(lazy.raw)} raw, ${kb(lazy.gzip)} gzip (charts: ${kb(chunks.charts?.gzip ?? 0)} gzip)`,
      );
    }
    if ("skipped" in selection) console.log(`pane selections SKIPPED: ${selection.skipped}`);
    else
      console.log(
        `${selection.name.padEnd(50)}${String(selection.samples).padStart(8)} ${fmtMs(selection.p50)} ${fmtMs(selection.p95)} ${fmtMs(selection.p99)}`,
      );
    console.log(line);
  }
  if (report.sync) printSync(report.sync, line);
}

function printSync(sync: SyncReport, line: string): void {
  const { mailbox, config, backfill, incremental, lag } = sync;
  const goal = (ms: number, goalSeconds: number) =>
    `goal ≤ ${goalSeconds} s: ${ms <= goalSeconds * 1000 ? "met" : "MISSED"}`;
  console.log(
    `Sync mailbox   ${fmtInt(mailbox.messages)} messages (${fmtInt(mailbox.inbox)} Inbox, ${fmtInt(mailbox.sentItems)} Sent Items), ` +
      `${fmtInt(mailbox.fromKnownContacts)} with one of ${mailbox.knownContacts} known contacts`,
  );
  console.log(
    `Sync worker    every ${config.intervalSeconds} s, backfill ${config.backfillDays} days, ${config.pageSize} per page, ` +
      `local Graph over https`,
  );
  console.log(
    `${"sync backfill (first run), s".padEnd(50)}${"1".padStart(8)} ${seconds(backfill.ms).padStart(8)}   ` +
      `${backfill.messagesPerSecond.toFixed(0)} msg/s, ${fmtInt(backfill.logged)} logged, ${backfill.pages} pages   ` +
      goal(backfill.ms, backfill.goalSeconds),
  );
  console.log(
    `${`${incremental.name}, ms`.padEnd(50)}${String(incremental.samples).padStart(8)} ${fmtMs(incremental.p50)} ${fmtMs(incremental.p95)} ${fmtMs(incremental.p99)}`,
  );
  if (lag) {
    console.log(
      `${`${lag.stats.name}, s`.padEnd(50)}${String(lag.stats.samples).padStart(8)} ${seconds(lag.stats.p50).padStart(8)}   ` +
        `max ${seconds(lag.stats.max)}   ${goal(lag.stats.max, lag.goalSeconds)} (p50 and max)`,
    );
    // Lag = waiting for the next run + that run until the interaction was seen (polled every pollMs).
    const wait = summarize(
      "wait",
      lag.samples.map((s) => s.waitMs),
    );
    const processing = summarize(
      "processing",
      lag.samples.map((s) => s.processingMs),
    );
    console.log(
      `${"  of which: wait for the next run, s".padEnd(50)}${"".padStart(8)} ${seconds(wait.p50).padStart(8)}   max ${seconds(wait.max)}`,
    );
    console.log(
      `${`  of which: that run until seen (poll ${lag.pollMs} ms), ms`.padEnd(50)}${"".padStart(8)} ${fmtMs(processing.p50)}   max ${processing.max.toFixed(2)}`,
    );
  } else {
    console.log("sync lag SKIPPED: --sync-lag-samples 0");
  }
  console.log(line);
}

function printLoadReport(report: LoadRunReport): void {
  const line = "-".repeat(86);
  printHeader(report, line);
  printLoad(report.load, line);
}

function writeReport(
  report: Report | LoadRunReport | ReportsRunReport | ImportRunReport | SegmentsRunReport,
): string {
  const dir = path.resolve("bench-results");
  mkdirSync(dir, { recursive: true });
  const kind = "mode" in report ? `${report.store}-${report.mode}` : report.store;
  const file = path.join(dir, `${kind}-${report.startedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const gitignore = path.resolve(".gitignore");
  if (existsSync(gitignore) && !readFileSync(gitignore, "utf8").split(/\r?\n/).includes("bench-results/")) {
    appendFileSync(gitignore, "bench-results/\n");
  }
  return path.relative(process.cwd(), file);
}

// ---------------------------------------------------------------------------------------------------------------

async function signIn(baseUrl: string, token: string, db: Kysely<DB>): Promise<Org> {
  const response = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  expectStatus("sign-in (GET /me)", response.status, [200], text);
  const me = Me.parse(JSON.parse(text));
  const stages = await db
    .selectFrom("stages as s")
    .innerJoin("pipelines as p", "p.id", "s.pipeline_id")
    .select(["s.id", "s.pipeline_id"])
    .where("s.org_id", "=", me.organization.id)
    .where("p.is_default", "=", true)
    .where("s.kind", "=", "open")
    .orderBy("s.position")
    .execute();
  const pipelineId = stages[0]?.pipeline_id;
  if (!pipelineId) throw new Error("Signing in did not create the default pipeline.");
  return {
    orgId: me.organization.id,
    userId: me.user.id,
    pipelineId,
    openStageIds: stages.map((s) => s.id),
  };
}

/**
 * The load test: the seeded contacts and users are read, this process lets go of the store (PGlite allows one
 * process), and bench/load.ts starts the real server on it and sends the traffic.
 */
async function runLoad(
  store: BenchStore,
  issuer: LocalIssuer,
  org: Org,
  options: LoadOptions,
  onCleanup: (undo: () => Promise<void>) => void,
  closeApp: () => Promise<void>,
): Promise<LoadReport> {
  const { db } = store.database;
  const contacts = await db
    .selectFrom("contacts as c")
    .innerJoin("contact_emails as e", (join) =>
      join.onRef("e.contact_id", "=", "c.id").on("e.position", "=", 0),
    )
    .select(["c.id", "c.version", "c.display_name as displayName", "e.address"])
    .where("c.org_id", "=", org.orgId)
    .orderBy("c.id")
    .execute();
  // The admin and the seeded reps: the workers take turns over them.
  const emails = await db
    .selectFrom("users")
    .select(["id", "email"])
    .where("org_id", "=", org.orgId)
    .orderBy("email")
    .execute();
  const users = await Promise.all(
    emails
      .flatMap((u) => (u.email ? [{ id: u.id, email: u.email }] : []))
      .map(async ({ id, email }) => ({
        id,
        email,
        token: await issuer.sign({ email, org: ADMIN.org }, { expiresIn: "12h" }),
      })),
  );
  await closeApp();
  await store.release();
  return measureLoad({ env: store.serverEnv, orgId: org.orgId, users, contacts, options, onCleanup });
}

async function main(): Promise<void> {
  const options = readOptions();
  const startedAt = new Date().toISOString();
  const workDir = mkdtempSync(path.join(os.tmpdir(), "rapport-bench-"));
  // Undone in reverse order, once, whether the run ends, fails or is interrupted.
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(workDir, { recursive: true, force: true })];
  if (options.keep) cleanups.pop();
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const undo of cleanups.reverse()) {
        await undo().catch((error: unknown) =>
          console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    })());
  process.once("SIGINT", () => {
    console.error("\nInterrupted: cleaning up");
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const store = await openBenchStore(options, workDir);
    cleanups.push(() => store.dispose());
    const { db } = store.database;
    console.log(`Store: ${store.description}`);
    await migrateToLatest(db);

    const issuer = await loadLocalIssuer(workDir);
    const verifyToken = createTokenVerifier({ local: issuer, entra: null, scope: "access_as_user" });
    const app = await buildApp({ database: store.database, verifyToken });
    const closeApp = once(() => app.close().then(() => undefined));
    cleanups.push(closeApp);
    const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
    const token = await issuer.sign(ADMIN, { expiresIn: "12h" });
    const org = await signIn(baseUrl, token, db);
    // What every mode's results file and printout begin with; the peak memory is read when it is called.
    const headerOf = (sizes: Sizes, seeded: ReportHeader["seeding"]): ReportHeader => ({
      store: options.store,
      storeDescription: store.description,
      startedAt,
      sizes,
      node: process.version,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      machine: machineInfo(),
      seeding: seeded,
    });

    if (options.import) {
      console.log(
        `Importing ${fmtInt(options.sizes.contacts)} contacts on ${baseUrl} into an empty organisation`,
      );
      const imported = await measureImport({ baseUrl, token, rows: options.sizes.contacts });
      const quotes = await measureQuotes({ baseUrl, token });
      const report: ImportRunReport = {
        ...headerOf(
          { ...options.sizes, companies: 0, interactions: 0, deals: 0, tasks: 0, users: 1 },
          { totalMs: 0, steps: {} },
        ),
        mode: "import",
        import: imported,
        quotes,
      };
      const line = "-".repeat(86);
      printHeader(report, line);
      console.log(line);
      printImport(imported, line);
      printQuotes(quotes, line);
      console.log(`Results written to ${writeReport(report)}`);
      return;
    }

    const seeding = await seed(db, org, options.sizes);
    console.log(`Seeded in ${formatSeconds(seeding.totalMs)}`);

    // The segments' and the reports' own seeding, counted into the seeding's steps; their figures are for a rep.
    const shaped = (label: string, ms: number) => {
      seeding.steps[label] = ms;
      seeding.totalMs += ms;
      console.log(`  ${label.padEnd(28)} ${formatSeconds(ms)}`);
    };
    const firstRep = () =>
      db
        .selectFrom("users")
        .select("id")
        .where("org_id", "=", org.orgId)
        .where("role", "=", "member")
        .orderBy("external_id")
        .executeTakeFirstOrThrow();

    if (options.segments) {
      console.log("Shaping the store for the segments");
      await seedForSegments(db, org.orgId, shaped);
      const rep = await firstRep();
      console.log(
        `Measuring the segments on ${baseUrl} (${options.segments.samples} each, one request in flight)`,
      );
      const segments = await measureSegments({
        baseUrl,
        token,
        samples: options.segments.samples,
        db,
        orgId: org.orgId,
        ownerId: rep.id,
      });
      const report: SegmentsRunReport = {
        ...headerOf(options.sizes, seeding),
        mode: "segments",
        segments,
      };
      const line = "-".repeat(86);
      printHeader(report, line);
      console.log(line);
      printSegments(report.segments, line);
      console.log(`Results written to ${writeReport(report)}`);
      return;
    }

    if (options.reports) {
      console.log("Shaping the store for the reports");
      await seedForReports(db, org.orgId, org.pipelineId, shaped);
      const rep = await firstRep();
      console.log(
        `Measuring the reports on ${baseUrl} (${options.reports.samples} each, one request in flight)`,
      );
      const reports = await measureReports({
        baseUrl,
        token,
        samples: options.reports.samples,
        db,
        orgId: org.orgId,
        pipelineId: org.pipelineId,
        ownerId: rep.id,
      });
      const report: ReportsRunReport = {
        ...headerOf(options.sizes, seeding),
        mode: "reports",
        reports,
      };
      const line = "-".repeat(86);
      printHeader(report, line);
      console.log(line);
      printReports(reports, line);
      console.log(`Results written to ${writeReport(report)}`);
      return;
    }

    if (options.load) {
      const header = headerOf(options.sizes, seeding);
      const load = await runLoad(store, issuer, org, options.load, (undo) => cleanups.push(undo), closeApp);
      const report: LoadRunReport = { ...header, mode: "load", load };
      printLoadReport(report);
      console.log(`Results written to ${writeReport(report)}`);
      if (load.totalErrors || load.warmup.errors) process.exitCode = 1;
      return;
    }

    const client = httpClient(baseUrl, token);
    console.log(`Measuring on ${baseUrl} (${WARMUP} warm-up requests each, one request in flight)`);
    const http = await measureHttp(client, options.sizes, options.samples);
    const sqlStats = await measureSql(db, org, options.sizes, options.samples);
    const sqlMatchesApi = await compareAnswers(client, db, org, options.sizes, 50);

    let pane: PaneReport | null = null;
    if (options.pane) {
      console.log("Measuring the pane: production bundle, then selections in Chromium");
      const { taskpane: bundle, webapp } = await measureBundles(["taskpane", "webapp"]);
      // Distinct senders: a repeated one would be answered from the pane's cache, not the server.
      const pick = random(7);
      const senders = new Set<number>();
      const wanted = Math.min(PANE_SELECTIONS + WARMUP_PANE_SELECTIONS, options.sizes.contacts);
      while (senders.size < wanted) senders.add(pick(options.sizes.contacts));
      const people = [...senders].map((n) => ({ name: `Person ${n}`, email: addressOf(n, options.sizes) }));
      const selection = await measureSelections({ apiBaseUrl: baseUrl, issuer, rep: ADMIN.email, people });
      pane = { bundle, webapp, selection };
    }

    let sync: SyncReport | null = null;
    if (options.sync) {
      console.log(
        "Measuring the mailbox sync: backfill, a run with one new message, then the lag at the interval",
      );
      sync = await measureSync({
        database: store.database,
        issuer,
        verifyToken,
        options: options.sync,
        onCleanup: (undo) => cleanups.push(undo),
      });
    }

    const [lookupKnown] = http;
    const report: Report = {
      ...headerOf(options.sizes, seeding),
      samples: {
        known: options.samples,
        logEmail: options.samples,
        suggestion: SUGGESTION_SAMPLES,
        warmup: WARMUP,
      },
      results: [...http, sqlStats],
      ratio: lookupKnown
        ? { p50: lookupKnown.p50 / sqlStats.p50, p99: lookupKnown.p99 / sqlStats.p99 }
        : { p50: Number.NaN, p99: Number.NaN },
      sqlMatchesApi,
      pane,
      sync,
    };
    printReport(report);
    console.log(`Results written to ${writeReport(report)}`);
  } finally {
    await cleanUp();
  }
}

// --person-data, --web-forms and --notifications seed a store of their own shape and measure only that (each runs on import).
if (process.argv.includes("--person-data")) void import("./bench/person-data");
else if (process.argv.includes("--web-forms")) void import("./bench/web-forms");
else if (process.argv.includes("--notifications")) void import("./bench/notifications");
else
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
