// The reports (npm run bench -- --reports [--postgres] [--report-samples 30]): after the usual seeding with
// 100,000 deals, the deals are spread over every stage of the pipeline (a third of them closed, over two years),
// each gets a stage history that walks up to where it is, and four in ten interactions become calls, meetings,
// notes or visits. Then every report is asked over HTTP, one request at a time, for its whole history (the
// worst case: no period), and the plan of the pipeline report is printed to show which indexes it uses.
import { performance } from "node:perf_hooks";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB } from "../../src/server/db/tables";
import { type Stats, summarize } from "./stats";

/** The pipeline report's budget, from the issue. */
export const PIPELINE_GOAL_MS = 200;
/** Issue 20's budgets: stage conversion and activity by rep on both stores; the dashboard for one rep on PGlite. */
export const CONVERSION_ACTIVITY_GOAL_MS = 200;
export const DASHBOARD_GOAL_MS = 100;
const WARMUP = 3;
const DAY = 24 * 3600;

export interface ReportsReport {
  samples: number;
  rows: Record<string, number>;
  results: Stats[];
  plans: Record<string, string[]>;
}

/** Shapes the seeded deals and interactions for the reports; returns how long each step took. */
export async function seedForReports(
  db: Kysely<DB>,
  orgId: string,
  pipelineId: string,
  log: (label: string, ms: number) => void,
): Promise<void> {
  // Each step in a transaction of its own without the statement timeout: on a busy machine a bulk update of
  // 400,000 interactions (and what the rollups' triggers do with it) can outlast the server's 30 s.
  const step = async (label: string, run: (trx: Kysely<DB>) => Promise<unknown>) => {
    const started = performance.now();
    await db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = 0`.execute(trx);
      await run(trx);
    });
    log(label, performance.now() - started);
  };
  const org = sql`${orgId}::uuid`;
  const anchor = sql`${new Date().toISOString()}::timestamptz`;
  // Deal n: open in one of the four open stages (two thirds), won (a sixth) or lost (a sixth); created up to two
  // years ago, closed 1-60 days after it was created. Hashes of the id keep it deterministic and spread out.
  await step("deals over every stage", (trx) =>
    sql`
      with stages_in_order as (
        select array_agg(id order by position) as ids from stages where org_id = ${org} and pipeline_id = ${pipelineId}
      ), shaped as (
        select d.id, abs(hashtext(d.id::text)) as h from deals d where d.org_id = ${org}
      )
      update deals d set
        stage_id = s.ids[1 + case when shaped.h % 6 < 4 then shaped.h % 4 else 4 + (shaped.h / 6) % 2 end],
        created_at = ${anchor} - (shaped.h % 730) * interval '1 day',
        closed_at = case when shaped.h % 6 >= 4
          then ${anchor} - (shaped.h % 730) * interval '1 day' + (1 + shaped.h % 60) * interval '1 day' end
      from shaped, stages_in_order s
      where d.id = shaped.id`.execute(trx),
  );
  // The history: created in the first stage, then one move per stage up to the deal's own (a closed deal
  // passes through up to three open stages first), 1-20 days apart.
  await step("stage history", (trx) =>
    sql`
      with stage_list as (
        select id, position, kind from stages where org_id = ${org} and pipeline_id = ${pipelineId}
      ), walks as (
        select d.id as deal_id, d.owner_id, d.created_at, s.position, s.kind, s.id as stage_id,
          abs(hashtext(d.id::text)) as h
        from deals d join stage_list s on s.id = d.stage_id
        where d.org_id = ${org}
      ), steps as (
        select w.deal_id, w.owner_id, w.created_at, w.h, p.position as step, p.id as to_stage_id
        from walks w
        join stage_list p on p.kind = 'open'
          and p.position <= case when w.kind = 'open' then w.position else w.h % 3 end
        union all
        select w.deal_id, w.owner_id, w.created_at, w.h, 99, w.stage_id from walks w where w.kind <> 'open'
      )
      insert into deal_stage_changes (org_id, deal_id, from_stage_id, to_stage_id, changed_by, changed_at, source)
      select ${org}, deal_id,
        lag(to_stage_id) over (partition by deal_id order by step),
        to_stage_id, owner_id,
        created_at + (row_number() over (partition by deal_id order by step) - 1) * (1 + h % 20) * interval '1 day',
        case when step = 0 then 'created' else 'api' end
      from steps`.execute(trx),
  );
  // Amounts in four currencies, as a Nordic seller has them: most in the base (EUR), SEK and DKK with a rate,
  // USD without one, so the reports convert, and leave something unconverted, as they would in use.
  await step("deals in four currencies", async (trx) => {
    await sql`
      update deals set currency = (array['EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'SEK', 'SEK', 'DKK', 'USD'])
        [1 + abs(hashtext(id::text || 'currency')) % 10]
      where org_id = ${org}`.execute(trx);
    await sql`
      insert into exchange_rates (org_id, currency, rate) values (${org}, 'SEK', 0.0871), (${org}, 'DKK', 0.1341)
      on conflict (org_id, currency) do update set rate = excluded.rate`.execute(trx);
  });
  await step("interactions of every kind", (trx) =>
    sql`
      update interactions set kind = (array['call', 'meeting', 'note', 'visit'])[1 + abs(hashtext(id::text)) % 4],
        internet_message_id = null
      where org_id = ${org} and abs(hashtext(id::text)) % 10 < 4`.execute(trx),
  );
  // The seeding above wrote the history with plain SQL, and the triggers of migration 0025 kept the rollups as it
  // went; a rebuild from history is what the migration does for a store that had this history already.
  await step("rollups rebuilt from history", (trx) =>
    sql`select rebuild_report_rollups(${orgId}::uuid)`.execute(trx),
  );
  const started = performance.now();
  await sql`vacuum analyze`.execute(db);
  log("vacuum analyze", performance.now() - started);
}

export async function measureReports(options: {
  baseUrl: string;
  token: string;
  samples: number;
  db: Kysely<DB>;
  orgId: string;
  pipelineId: string;
  ownerId: string;
}): Promise<ReportsReport> {
  const { baseUrl, token, samples } = options;
  const ask = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.arrayBuffer();
    if (response.status !== 200)
      throw new Error(
        `${path} answered ${response.status}: ${Buffer.from(body).toString("utf8").slice(0, 300)}`,
      );
    return Buffer.from(body);
  };
  const paths = [
    "/api/v1/reports/pipeline-by-stage",
    `/api/v1/reports/pipeline-by-stage?ownerId=${options.ownerId}`,
    "/api/v1/reports/pipeline-by-stage.csv",
    "/api/v1/reports/pipeline-by-stage.xlsx",
    "/api/v1/reports/won-lost-by-month",
    "/api/v1/reports/stage-conversion",
    "/api/v1/reports/activity-by-rep",
    `/api/v1/reports/activity-by-rep?from=${lastQuarter()}`,
    "/api/v1/reports/contacts-added",
    // The day at a glance reads the same history (its "stuck in stage" rule is the stages' median stay).
    `/api/v1/dashboard?ownerId=${options.ownerId}`,
  ];
  const results: Stats[] = [];
  const rows: Record<string, number> = {};
  for (const path of paths) {
    for (let i = 0; i < WARMUP; i++) await ask(path);
    const times: number[] = [];
    let body = Buffer.alloc(0);
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      body = await ask(path);
      times.push(performance.now() - started);
    }
    const name = `GET ${path.replace(/^\/api\/v1\/(reports\/)?/, "").replace(options.ownerId, "<rep>")}`;
    if (path.startsWith("/api/v1/reports/") && !path.includes("."))
      rows[name] = (JSON.parse(body.toString("utf8")) as { rows: unknown[] }).rows.length;
    const stats = summarize(name, times);
    results.push(stats);
    console.log(
      `  ${name.padEnd(52)} p50 ${stats.p50.toFixed(1).padStart(8)}  p95 ${stats.p95.toFixed(1).padStart(8)}  max ${stats.max.toFixed(1).padStart(8)} ms`,
    );
  }
  // The reports' main queries, run by the owner (the plan is the same behind the wall): which indexes they use.
  const explain = async (query: RawBuilder<unknown>) =>
    (await sql<{ "QUERY PLAN": string }>`explain (analyze, costs off) ${query}`.execute(options.db)).rows.map(
      (r) => r["QUERY PLAN"],
    );
  const plans = {
    "pipeline by stage (per stage and currency, converted)": await explain(sql`
      select s.id, t.currency, coalesce(t.deals, 0), coalesce(t.amount, 0), round(t.amount * r.rate, 2)
      from stages s left join (
        select d.stage_id, d.currency, count(*) as deals, sum(d.amount) as amount from deals d
        where d.org_id = ${options.orgId} and d.pipeline_id = ${options.pipelineId} group by d.stage_id, d.currency
      ) t on t.stage_id = s.id
      left join exchange_rates r on r.org_id = s.org_id and r.currency = t.currency
      where s.org_id = ${options.orgId} and s.pipeline_id = ${options.pipelineId}
      order by s.position, t.currency`),
    "stage conversion, whole history (the stays' summaries kept, migration 0031)": await explain(sql`
      with flows as (
        select s.id as stage_id, sum(f.first_entries) as entered, sum(f.stays) filter (where next.kind = 'won'
          or (next.kind = 'open' and next.pipeline_id = s.pipeline_id and next.position > s.position)) as moved_on
        from stages s join deal_stage_flows f on f.org_id = s.org_id and f.stage_id = s.id
        left join stages next on next.org_id = f.org_id and next.id = f.next_stage_id
        where s.org_id = ${options.orgId} and s.pipeline_id = ${options.pipelineId} group by s.id
      ), repeated as (
        select distinct r.deal_id, r.stage_id from deal_stage_stays r
        where r.org_id = ${options.orgId} and r.prev_entered_at is not null
          and r.stage_id in (select id from stages where org_id = ${options.orgId} and pipeline_id = ${options.pipelineId})
      )
      select s.id, f.entered, f.moved_on, (select count(*) from repeated r where r.stage_id = s.id),
        stage_median_stay(s.org_id, s.id, 1) / 86400
      from stages s left join flows f on f.stage_id = s.id
      where s.org_id = ${options.orgId} and s.pipeline_id = ${options.pipelineId}`),
    "activity by rep, last quarter (interactions per day kept)": await explain(sql`
      select i.logged_by, date_trunc('week', i.day::timestamp), sum(i.interactions)
      from interaction_days i where i.org_id = ${options.orgId} and i.day >= ${lastQuarter()}::date
      group by 1, 2`),
    "dashboard, a rep's open deals (medians, last activity and stage entry kept, migration 0031)":
      await explain(sql`
      with medians as (
        select s.id as stage_id, stage_median_stay(s.org_id, s.id, 3) as median_seconds
        from stages s where s.org_id = ${options.orgId} and s.kind = 'open'
      )
      select d.id, m.median_seconds, coalesce(d.last_activity_at, d.created_at),
        coalesce((select max(c.changed_at) from deal_stage_changes c
          where c.org_id = ${options.orgId} and c.deal_id = d.id and c.to_stage_id = d.stage_id), d.created_at)
      from deals d join stages s on s.id = d.stage_id and s.org_id = ${options.orgId}
      left join medians m on m.stage_id = d.stage_id
      where d.org_id = ${options.orgId} and d.owner_id = ${options.ownerId} and s.kind = 'open'`),
  };
  return { samples, rows, results, plans };
}

function lastQuarter(): string {
  return new Date(Date.now() - 91 * DAY * 1000).toISOString().slice(0, 10);
}

export function printReports(report: ReportsReport, line: string): void {
  console.log(
    `${"report (whole history unless a period is named)".padEnd(56)}${"rows".padStart(6)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"max ms".padStart(9)}`,
  );
  for (const s of report.results) {
    console.log(
      `${s.name.padEnd(56)}${String(report.rows[s.name] ?? "").padStart(6)}${s.p50.toFixed(1).padStart(9)}${s.p95.toFixed(1).padStart(9)}${s.max.toFixed(1).padStart(9)}`,
    );
  }
  const goal = (name: string, label: string, ms: number) => {
    const found = report.results.find((s) => s.name === name);
    if (found)
      console.log(
        `${label} p95 ${found.p95.toFixed(1)} ms: goal ≤ ${ms} ms ${found.p95 <= ms ? "met" : "MISSED"}`,
      );
  };
  goal("GET pipeline-by-stage", "pipeline by stage", PIPELINE_GOAL_MS);
  goal("GET stage-conversion", "stage conversion", CONVERSION_ACTIVITY_GOAL_MS);
  goal("GET activity-by-rep", "activity by rep", CONVERSION_ACTIVITY_GOAL_MS);
  goal("GET dashboard?ownerId=<rep>", "dashboard for one rep (goal on PGlite)", DASHBOARD_GOAL_MS);
  for (const [name, plan] of Object.entries(report.plans)) {
    console.log(`plan, ${name}:`);
    for (const l of plan) console.log(`  ${l}`);
  }
  console.log(line);
}
