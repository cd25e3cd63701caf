// The segments (npm run bench -- --segments [--postgres] [--contacts 100000] [--segment-samples 30]): after the
// usual seeding, contacts get a country, a plan (a custom field) and, one in fifty, the "no marketing" flag, and
// one in five a lead with consent. Then the editor's live count (POST /segments/preview: the count and the first
// 20 members by name) is asked over HTTP for filters of every kind, one request at a time; then a segment of
// every contact is evaluated for a marketing platform the first time (every contact joins) and again (nothing
// changed). The count's plan is printed to show which indexes it uses.
import { performance } from "node:perf_hooks";
import { type Kysely, sql } from "kysely";
import type { DB } from "../../src/server/db/tables";
import type { SegmentCondition } from "../../src/shared/segments";
import { type Stats, summarize } from "./stats";

/** A segment over 100,000 contacts counted within this, from the issue. */
export const SEGMENT_COUNT_GOAL_MS = 200;
const WARMUP = 3;

export interface SegmentsReport {
  samples: number;
  counts: Record<string, number>;
  results: Stats[];
  evaluations: { name: string; ms: number; changes: number }[];
  plan: string[];
}

/** Gives the seeded contacts what the segment filters read; returns how long each step took. */
export async function seedForSegments(
  db: Kysely<DB>,
  orgId: string,
  log: (label: string, ms: number) => void,
): Promise<void> {
  const step = async (label: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    log(label, performance.now() - started);
  };
  const org = sql`${orgId}::uuid`;
  await step("plan field", () =>
    sql`
      insert into custom_field_definitions (org_id, entity, key, label, type, choices, required, position)
      values (${org}, 'contact', 'plan', 'Plan', 'choice', array['free', 'silver', 'gold'], false, 0)
      on conflict do nothing`.execute(db),
  );
  await step("countries, plans, no marketing", () =>
    sql`
      update contacts set
        country = (array['SE', 'NO', 'DK', 'DE', 'FI', 'GB', 'US', 'HR'])[1 + abs(hashtext(id::text || 'country')) % 8],
        custom_fields = jsonb_build_object('plan', (array['free', 'silver', 'gold'])[1 + abs(hashtext(id::text || 'plan')) % 3]),
        no_marketing = abs(hashtext(id::text || 'marketing')) % 50 = 0
      where org_id = ${org}`.execute(db),
  );
  await step("consent leads", () =>
    sql`
      insert into leads (org_id, contact_id, consent_version, consent_text, submitted)
      select org_id, id, 1, 'You may write to me.', '{}'::jsonb from contacts
      where org_id = ${org} and abs(hashtext(id::text || 'lead')) % 5 = 0`.execute(db),
  );
  await step("vacuum analyze", () => sql`vacuum analyze`.execute(db));
}

/** The filters the editor's count is timed on: one of each kind, and a few together. */
function filters(ownerId: string): [string, SegmentCondition[]][] {
  return [
    ["every contact", []],
    ["tag vip", [{ field: "tags", match: "any", values: ["vip"] }]],
    [
      "customers in SE or NO",
      [
        { field: "lifecycleStage", values: ["customer"] },
        { field: "country", values: ["SE", "NO"] },
      ],
    ],
    [
      "owner, plan gold",
      [
        { field: "owner", values: [ownerId] },
        { field: "customField", key: "plan", op: "in", values: ["gold"] },
      ],
    ],
    ["contacted within 90 days", [{ field: "lastContacted", op: "withinDays", days: 90 }]],
    ["not contacted within 365 days", [{ field: "lastContacted", op: "notWithinDays", days: 365 }]],
    [
      "consent given, no tag vip",
      [
        { field: "consent", given: true },
        { field: "tags", match: "none", values: ["vip"] },
      ],
    ],
  ];
}

export async function measureSegments(options: {
  baseUrl: string;
  token: string;
  samples: number;
  db: Kysely<DB>;
  orgId: string;
  ownerId: string;
}): Promise<SegmentsReport> {
  const { baseUrl, token, samples } = options;
  const ask = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const results: Stats[] = [];
  const counts: Record<string, number> = {};
  for (const [name, conditions] of filters(options.ownerId)) {
    const body = { filter: { conditions }, limit: 20 };
    for (let i = 0; i < WARMUP; i++) await ask("POST", "/api/v1/segments/preview", body);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      count = (await ask("POST", "/api/v1/segments/preview", body)).count as number;
      times.push(performance.now() - started);
    }
    counts[name] = count;
    const stats = summarize(`count: ${name}`, times);
    results.push(stats);
    console.log(
      `  ${stats.name.padEnd(44)} ${String(count).padStart(7)}  p50 ${stats.p50.toFixed(1).padStart(7)}  p95 ${stats.p95.toFixed(1).padStart(7)}  max ${stats.max.toFixed(1).padStart(7)} ms`,
    );
  }
  // A marketing platform's first read of a segment of everyone (every member joins), then a read with nothing new.
  const everyone = await ask("POST", "/api/v1/segments", { name: "Everyone", filter: { conditions: [] } });
  const evaluations: SegmentsReport["evaluations"] = [];
  for (const name of ["first evaluation (every member joins)", "evaluation with nothing changed"]) {
    const started = performance.now();
    const page = await ask("GET", `/api/v1/segments/${String(everyone.id)}/members?limit=1`);
    const ms = performance.now() - started;
    evaluations.push({ name, ms, changes: Number(page.changesCursor) });
    console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  }
  const plan = (
    await sql<{ "QUERY PLAN": string }>`
      explain (analyze, costs off)
      select count(*) filter (where not c.no_marketing), count(*) filter (where c.no_marketing)
      from contacts c
      where c.org_id = ${options.orgId} and c.lifecycle_stage in ('customer') and c.country in ('SE', 'NO')`.execute(
      options.db,
    )
  ).rows.map((r) => r["QUERY PLAN"]);
  return { samples, counts, results, evaluations, plan };
}

export function printSegments(report: SegmentsReport, line: string): void {
  console.log(
    `${"segment count (POST /segments/preview)".padEnd(48)}${"members".padStart(8)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"max ms".padStart(9)}`,
  );
  for (const s of report.results)
    console.log(
      `${s.name.padEnd(48)}${String(report.counts[s.name.replace(/^count: /, "")] ?? "").padStart(8)}${s.p50.toFixed(1).padStart(9)}${s.p95.toFixed(1).padStart(9)}${s.max.toFixed(1).padStart(9)}`,
    );
  const worst = Math.max(...report.results.map((s) => s.p95));
  console.log(
    `worst count p95 ${worst.toFixed(1)} ms: goal ≤ ${SEGMENT_COUNT_GOAL_MS} ms ${worst <= SEGMENT_COUNT_GOAL_MS ? "met" : "MISSED"}`,
  );
  for (const e of report.evaluations)
    console.log(`${e.name.padEnd(48)}${String(e.changes).padStart(8)}${e.ms.toFixed(1).padStart(9)} ms`);
  console.log("plan, customers in SE or NO:");
  for (const l of report.plan) console.log(`  ${l}`);
  console.log(line);
}
