// How web form submissions hold up at the rate a busy campaign sends them.
//
//   npm run bench -- --web-forms [--postgres] [--form-rate 100] [--form-seconds 20]
//
// Seeds one organisation (PGlite in memory, or a database of its own on TEST_DATABASE_URL's server) with 10,000
// contacts at 1,000 company domains, and a form with a round robin of two owners; then the real app, listening on
// loopback, takes form posts (as a browser without script sends them) at a fixed rate for the given seconds: a
// third from known contacts (filled in), the rest new people at known and new domains and at free-mail. Each
// submission is timed from its send to its answer, and the rate is held whatever the answers' times (an open
// loop: a slow answer does not slow the sending). The first --form-warmup seconds (3 by default) at the same rate are
// not measured: the JIT, the pool's connections and the store's caches, as the load bench's warm-up. The goal
// (issue 19): 100 a second on PostgreSQL, p99 ≤ 100 ms.
// Not a test: figures for the docs and reviews.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { buildApp } from "../../src/server/app";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { createTokenVerifier } from "../../src/server/auth/verify";
import { type Database, openPglite, openPostgres } from "../../src/server/db/database";
import { migrateToLatest } from "../../src/server/db/migrate";
import { issueToken } from "../../src/server/web-forms/token";
import { summarize } from "./stats";

const { values } = parseArgs({
  options: {
    "web-forms": { type: "boolean", default: true },
    postgres: { type: "boolean", default: false },
    "form-rate": { type: "string", default: "100" },
    "form-seconds": { type: "string", default: "20" },
    "form-warmup": { type: "string", default: "3" },
  },
});
const RATE = Number(values["form-rate"]);
const SECONDS = Number(values["form-seconds"]);
const WARMUP_SECONDS = Number(values["form-warmup"]);
const CONTACTS = 10_000;

async function openStore(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!values.postgres) return { database: await openPglite(), drop: async () => {} };
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const name = `rapport_bench_${randomBytes(6).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    database: await openPostgres(url.toString()),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "rapport-bench-forms-"));
  const { database, drop } = await openStore();
  try {
    const { db } = database;
    await migrateToLatest(db);
    const issuer = await loadLocalIssuer(workDir);
    const app = await buildApp({
      database,
      verifyToken: createTokenVerifier({ local: issuer, entra: null, scope: "access_as_user" }),
      // The campaign's traffic comes from many addresses; here it is one, which the default limits would stop.
      webForms: {
        perIpPerMinute: 1_000_000,
        perFormPerMinute: 1_000_000,
        perAddressPerHour: 1_000_000,
        pagesPerIpPerMinute: 1_000_000,
      },
    });
    const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
    const signIn = async (email: string) => {
      const token = await issuer.sign({ email, org: "contoso.example" });
      const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      return { token, me: (await me.json()) as { user: { id: string }; organization: { id: string } } };
    };
    const rita = await signIn("rita@contoso.example");
    const bo = await signIn("bo@contoso.example");
    const orgId = rita.me.organization.id;

    let started = performance.now();
    await sql`
      insert into companies (org_id, name, domain)
      select ${orgId}, 'Company ' || n, 'company' || n || '.example' from generate_series(1, 1000) n`.execute(
      db,
    );
    await sql`
      insert into contacts (org_id, display_name, company_id)
      select ${orgId}, 'Person ' || n, (select id from companies where domain = 'company' || (n % 1000 + 1) || '.example')
      from generate_series(1, ${CONTACTS}) n`.execute(db);
    await sql`
      insert into contact_emails (org_id, contact_id, address)
      select ${orgId}, c.id, 'person' || substring(c.display_name from 8) || '@company' ||
        (substring(c.display_name from 8)::int % 1000 + 1) || '.example'
      from contacts c where c.org_id = ${orgId}`.execute(db);
    await sql`analyze`.execute(db);
    console.log(
      `seeded ${CONTACTS} contacts at 1,000 domains in ${(performance.now() - started).toFixed(0)} ms`,
    );

    const created = await fetch(`${baseUrl}/api/v1/web-forms`, {
      method: "POST",
      headers: { authorization: `Bearer ${rita.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Bench",
        title: "Talk to sales",
        fields: [
          { target: "contact.email", label: "Email", required: true },
          { target: "contact.firstName", label: "First name", required: true },
          { target: "contact.lastName", label: "Last name" },
          { target: "company.name", label: "Company" },
        ],
        consentText: "You may contact me.",
        afterSubmit: { kind: "message", message: "Thanks" },
        owner: { kind: "roundRobin", userIds: [rita.me.user.id, bo.me.user.id] },
        allowedOrigins: [],
      }),
    });
    const form = (await created.json()) as { id: string; publicId: string; consentVersion: number };
    const { signing_key } = await db
      .selectFrom("web_forms")
      .select("signing_key")
      .where("id", "=", form.id)
      .executeTakeFirstOrThrow();
    // Each visitor's own page: a token is good for a few posts only.
    const tokenFor = () =>
      issueToken(signing_key, form.publicId, new Date(Date.now() - 60_000), form.consentVersion);

    const total = RATE * SECONDS;
    const bodyOf = (i: number) => {
      const kind = i % 3;
      const email =
        kind === 0
          ? `person${(i % CONTACTS) + 1}@company${(((i % CONTACTS) + 1) % 1000) + 1}.example`
          : kind === 1
            ? `new${i}@${i % 2 ? `company${(i % 1000) + 1}` : `fresh${i}`}.example`
            : `someone${i}@gmail.com`;
      return new URLSearchParams({
        _rapport_t: tokenFor(),
        "contact.email": email,
        "contact.firstName": `First ${i}`,
        "contact.lastName": `Last ${i}`,
        "company.name": `Fresh ${i}`,
        consent: "yes",
      }).toString();
    };
    // The statements each submission sends to the store (PostgreSQL only: PGlite answers in-process), counted
    // through node-postgres's one entry point: on a small machine, round trips are what a submission costs.
    let statements = 0;
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    if (values.postgres)
      (pg.Client.prototype as unknown as { query: typeof query }).query = function (
        this: pg.Client,
        ...args: unknown[]
      ) {
        statements++;
        return query.apply(this, args);
      };
    let times: number[] = [];
    let failures = 0;
    let statuses = new Map<number, number>();
    // Unmeasured first, at the same rate, then counted afresh: the submissions numbered on, so none repeats.
    const warmup = Math.round(RATE * WARMUP_SECONDS);
    let sendsFrom = 0;
    const sendAtRate = async (count: number) => {
      started = performance.now();
      const sends: Promise<void>[] = [];
      for (let n = 0; n < count; n++) {
        const i = sendsFrom + n;
        const due = started + (n * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sent = performance.now();
        sends.push(
          fetch(`${baseUrl}/f/${form.publicId}`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: bodyOf(i),
          }).then(
            async (response) => {
              const text = await response.text();
              times.push(performance.now() - sent);
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
              if (response.status !== 200 && failures++ === 0)
                console.log(`first failure: ${response.status} ${text.slice(0, 300)}`);
            },
            () => {
              failures++;
            },
          ),
        );
      }
      await Promise.all(sends);
      sendsFrom += count;
      return (performance.now() - started) / 1000;
    };
    if (warmup > 0) {
      await sendAtRate(warmup);
      console.log(`warm-up: ${warmup} submissions at ${RATE}/s, not measured (${failures} not 200)`);
      times = [];
      failures = 0;
      statuses = new Map();
      statements = 0;
    }
    const elapsed = await sendAtRate(total);
    (pg.Client.prototype as unknown as { query: typeof query }).query = query;
    const leads = await db.selectFrom("leads").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow();
    leads.n = Number(leads.n) - warmup;
    const stats = summarize("form submission", times);
    console.log(
      `web forms (${database.kind}): ${total} submissions asked at ${RATE}/s, ${(total / elapsed).toFixed(1)}/s done, ` +
        `${failures} not 200 (${[...statuses].map(([status, n]) => `${status}×${n}`).join(" ")}), ${Number(leads.n)} leads; ms p50 ${stats.p50.toFixed(1)}, p95 ${stats.p95.toFixed(1)}, ` +
        `p99 ${stats.p99.toFixed(1)}, max ${stats.max.toFixed(1)} (goal on PostgreSQL: p99 ≤ 100 ms at 100/s)` +
        (values.postgres ? `; ${(statements / total).toFixed(1)} statements a submission` : ""),
    );
    await app.close();
  } finally {
    await database.close();
    await drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
