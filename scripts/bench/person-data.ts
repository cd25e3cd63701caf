// How long a person's erasure and export, and a list's biggest export, take on a store of realistic size.
//
//   npm run bench -- --person-data [--postgres] [--interactions 100000] [--deals 50000] [--heavy 10000]
//                    [--erasure-slice 100]
//
// Seeds one organisation (PGlite in memory, or a database of its own on TEST_DATABASE_URL's server) with 10,000
// contacts, the given interactions (an excerpt of ~600 characters each, one contact each, and person 1 also on
// every 1000th) and deals, then, over HTTP through the real app: a contact's data export, two erasures (each reads
// only the person's own interactions), and the deals' CSV and XLSX at the export cap. Then a third person, on
// --heavy emails of their own (half of them shared with another contact), is erased while other requests (a
// lookup, then a contact, one at a time) run against the same server: the erasure's time, and how long those
// requests waited, at most. --erasure-slice sets the interactions per transaction (RAPPORT_ERASURE_SLICE); a
// slice as large as --heavy is the erasure as one transaction, as it was. Not a test: figures for the README
// and reviews.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type RawBuilder, sql } from "kysely";
import pg from "pg";
import { buildApp } from "../../src/server/app";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { createTokenVerifier } from "../../src/server/auth/verify";
import { type Database, openPglite, openPostgres } from "../../src/server/db/database";
import { migrateToLatest } from "../../src/server/db/migrate";

const { values } = parseArgs({
  options: {
    "person-data": { type: "boolean", default: true },
    postgres: { type: "boolean", default: false },
    interactions: { type: "string", default: "100000" },
    deals: { type: "string", default: "50000" },
    heavy: { type: "string", default: "10000" },
    "erasure-slice": { type: "string" },
  },
});
const INTERACTIONS = Number(values.interactions);
const DEALS = Number(values.deals);
const CONTACTS = 10_000;
const HEAVY = Number(values.heavy);
const ERASURE_SLICE = values["erasure-slice"] === undefined ? undefined : Number(values["erasure-slice"]);

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

/** The n-th row's id, shaped as a version-4 UUID as the contract's ids are. */
const uid = (kind: string, n: RawBuilder<unknown>) =>
  sql<string>`overlay(overlay(md5(${sql.lit(kind)} || (${n})::text) placing '4' from 13) placing '8' from 17)::uuid`;

const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "rapport-bench-person-"));
  const { database, drop } = await openStore();
  try {
    const { db } = database;
    await migrateToLatest(db);
    const issuer = await loadLocalIssuer(workDir);
    const app = await buildApp({
      database,
      erasureSlice: ERASURE_SLICE,
      verifyToken: createTokenVerifier({ local: issuer, entra: null, scope: "access_as_user" }),
    });
    const token = await issuer.sign({ email: "rita@contoso.example", org: "contoso.example" });
    const call = (method: "GET" | "POST", url: string) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
    const me = (await call("GET", "/api/v1/me")).json<{ organization: { id: string } }>();
    const orgId = me.organization.id;

    let started = performance.now();
    const text = "Thanks for the call today. ".repeat(22);
    await sql`
      insert into contacts (id, org_id, display_name)
      select ${uid("c", sql`g`)}, ${orgId}::uuid, 'Person ' || g || ' Example' from generate_series(1, ${sql.lit(CONTACTS)}) g;
      `.execute(db);
    await sql`
      insert into contact_emails (org_id, contact_id, address, position)
      select ${orgId}::uuid, ${uid("c", sql`g`)}, 'person' || g || '@example.com', 0
      from generate_series(1, ${sql.lit(CONTACTS)}) g`.execute(db);
    await sql`
      insert into interactions (id, org_id, kind, occurred_at, subject, body, source)
      select ${uid("i", sql`g`)}, ${orgId}::uuid, 'email', now() - g * interval '1 minute', 'Subject ' || g,
        ${text}::text || case when g % 1000 = 0 then ' Ask Person 1 Example.' else '' end, 'manual'
      from generate_series(1, ${sql.lit(INTERACTIONS)}) g`.execute(db);
    await sql`
      insert into interaction_participants (org_id, interaction_id, contact_id, address, role, position, occurred_at)
      select ${orgId}::uuid, ${uid("i", sql`g`)}, ${uid("c", sql`1`)}, 'person1@example.com', 'cc', 1,
        now() - g * interval '1 minute'
      from generate_series(1000, ${sql.lit(INTERACTIONS)}, 1000) g`.execute(db);
    await sql`
      insert into interaction_participants (org_id, interaction_id, contact_id, address, role, position, occurred_at)
      select ${orgId}::uuid, ${uid("i", sql`g`)}, ${uid("c", sql`1 + g % ${sql.lit(CONTACTS)}`)},
        'person' || (1 + g % ${sql.lit(CONTACTS)}) || '@example.com', 'from', 0, now() - g * interval '1 minute'
      from generate_series(1, ${sql.lit(INTERACTIONS)}) g`.execute(db);
    const stage = await db
      .selectFrom("stages")
      .select(["id", "pipeline_id"])
      .where("org_id", "=", orgId)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    await sql`
      insert into deals (org_id, name, amount, currency, pipeline_id, stage_id)
      select ${orgId}::uuid, 'Deal ' || g, g, 'EUR', ${stage.pipeline_id}::uuid, ${stage.id}::uuid
      from generate_series(1, ${sql.lit(DEALS)}) g`.execute(db);
    // Person 3, the heavy one: HEAVY emails of their own after the others, every other one with person 4 too.
    await sql`
      insert into interactions (id, org_id, kind, occurred_at, subject, body, source)
      select ${uid("h", sql`g`)}, ${orgId}::uuid, 'email', now() - g * interval '1 minute', 'Order ' || g || ' from Person 3 Example',
        ${text}::text, 'manual'
      from generate_series(1, ${sql.lit(HEAVY)}) g`.execute(db);
    await sql`
      insert into interaction_participants (org_id, interaction_id, contact_id, address, name, role, position, occurred_at)
      select ${orgId}::uuid, ${uid("h", sql`g`)}, ${uid("c", sql`3`)}, 'person3@example.com', 'Person 3 Example', 'from', 0,
        now() - g * interval '1 minute'
      from generate_series(1, ${sql.lit(HEAVY)}) g
      union all
      select ${orgId}::uuid, ${uid("h", sql`g`)}, ${uid("c", sql`4`)}, 'person4@example.com', 'Person 4 Example', 'cc', 1,
        now() - g * interval '1 minute'
      from generate_series(2, ${sql.lit(HEAVY)}, 2) g`.execute(db);
    await sql`analyze`.execute(db);
    console.log(
      `Seeded ${CONTACTS} contacts, ${INTERACTIONS} interactions, ${DEALS} deals on ${database.kind} in ${ms(started)}`,
    );

    // Person 2 is on INTERACTIONS / CONTACTS emails of their own; person 1 is also on every 1000th, with another
    // contact (kept without them), and named in its excerpt.
    const idOf = async (n: number) =>
      (await sql<{ id: string }>`select ${uid("c", sql.lit(n))} as id`.execute(db)).rows[0]?.id as string;
    const person = await idOf(2);
    started = performance.now();
    const exported = await call("GET", `/api/v1/contacts/${person}/data-export`);
    console.log(
      `data export of one contact (${exported.json<{ interactions: unknown[] }>().interactions.length} interactions): ${exported.statusCode} in ${ms(started)}`,
    );
    started = performance.now();
    const erased = await call("POST", `/api/v1/contacts/${person}/erase`);
    console.log(
      `erasure of a person on their own emails only: ${erased.statusCode} ${erased.body} in ${ms(started)}`,
    );
    const first = await idOf(1);
    started = performance.now();
    const erasedFirst = await call("POST", `/api/v1/contacts/${first}/erase`);
    console.log(
      `erasure of a person also on ${INTERACTIONS / 1000} emails shared with others: ${erasedFirst.statusCode} ${erasedFirst.body} in ${ms(started)}`,
    );

    // The heavy erasure, with requests of others one at a time beside it: each one's wait is its whole time.
    const heavy = await idOf(3);
    const { rows: othersIds } = await sql<{ id: string }>`
      select ${uid("c", sql`g`)} as id from generate_series(5, 1004) g order by g`.execute(db);
    let erasing = true;
    const waits: number[] = [];
    const others = (async () => {
      for (let i = 0; erasing; i++) {
        const asked = performance.now();
        const answer =
          i % 2 === 0
            ? await call("GET", `/api/v1/people/lookup?email=person${5 + (i % 1000)}@example.com`)
            : await call("GET", `/api/v1/contacts/${othersIds[i % 1000]?.id}`);
        if (answer.statusCode !== 200)
          throw new Error(`a request beside the erasure answered ${answer.statusCode}`);
        waits.push(performance.now() - asked);
      }
    })();
    started = performance.now();
    const erasedHeavy = await call("POST", `/api/v1/contacts/${heavy}/erase`);
    const took = performance.now() - started;
    erasing = false;
    await others;
    waits.sort((a, b) => a - b);
    const at = (q: number) =>
      (waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0).toFixed(1);
    console.log(
      `erasure of a person on ${HEAVY} emails (${HEAVY / 2} shared), slice ${ERASURE_SLICE ?? "default"}: ${erasedHeavy.statusCode} ${erasedHeavy.body} in ${took.toFixed(0)} ms`,
    );
    console.log(
      `  ${waits.length} requests answered meanwhile, one at a time: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${(waits.at(-1) ?? 0).toFixed(1)} ms`,
    );

    for (const format of ["csv", "xlsx"]) {
      const rss = process.memoryUsage().rss;
      started = performance.now();
      const file = await call("GET", `/api/v1/deals/export.${format}`);
      console.log(
        `deals export.${format}, ${DEALS} rows: ${file.statusCode}, ${(file.rawPayload.length / 1e6).toFixed(1)} MB in ${ms(started)}, RSS +${((process.memoryUsage().rss - rss) / 1e6).toFixed(0)} MB`,
      );
    }
    await app.close();
  } finally {
    await database.close();
    await drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
