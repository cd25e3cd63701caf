import { type RawBuilder, sql } from "kysely";
import type {
  ActivityByRep,
  ActivityByRepQuery,
  ContactsAdded,
  ContactsAddedQuery,
  ContactsWeekRow,
  PipelineByStage,
  PipelineByStageQuery,
  PipelineStageRow,
  RepWeekRow,
  StageConversion,
  StageConversionQuery,
  StageConversionRow,
  WonLostByMonth,
  WonLostByMonthQuery,
  WonLostMonthRow,
} from "../../shared/reports";
import { AppError, notFound } from "../errors";
import type { Column } from "../export/table-file";
import type { Scope } from "../scope";

// Every report reads through scope.db (behind the organisation's wall) and still names its org_id: the wall is
// the second line, not the only one. Periods are [from, to) in UTC: a day's midnight UTC starts it.

interface Period {
  from?: string;
  to?: string;
}

const midnightUtc = (day: string): RawBuilder<Date> => sql<Date>`${`${day}T00:00:00Z`}::timestamptz`;

/** `and <column> >= from and <column> < to`, for the bounds that are set. */
function inPeriod(column: RawBuilder<unknown>, period: Period): RawBuilder<unknown> {
  return sql`${period.from ? sql`and ${column} >= ${midnightUtc(period.from)}` : sql``}
    ${period.to ? sql`and ${column} < ${midnightUtc(period.to)}` : sql``}`;
}

/** The pipeline asked for, or the organisation's default; another organisation's is as unknown as no pipeline. */
async function pipelineFor(
  scope: Scope,
  pipelineId: string | undefined,
): Promise<{ id: string; name: string }> {
  let select = scope.db
    .selectFrom("pipelines")
    .select(["id", "name"])
    .where("org_id", "=", scope.caller.orgId);
  select = pipelineId ? select.where("id", "=", pipelineId) : select.where("is_default", "=", true);
  const pipeline = await select.executeTakeFirst();
  if (pipeline) return pipeline;
  if (pipelineId) throw notFound("The pipeline");
  throw new AppError("not_found", 404, "The organisation has no default pipeline; name a pipelineId.");
}

/** A filter on a user of another organisation answers like one on a user that never existed. */
async function checkUser(scope: Scope, userId: string | undefined): Promise<void> {
  if (!userId) return;
  const user = await scope.db
    .selectFrom("users")
    .select("id")
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw notFound("The user");
}

// ---------------------------------------------------------------------------------------------------------
// Pipeline by stage

export async function pipelineByStage(scope: Scope, query: PipelineByStageQuery): Promise<PipelineByStage> {
  const [pipeline] = await Promise.all([
    pipelineFor(scope, query.pipelineId),
    checkUser(scope, query.ownerId),
  ]);
  const { orgId } = scope.caller;
  // The deals are added up per stage first, then laid on every stage of the pipeline, so a stage without deals
  // shows as zeros rather than dropping out. (Joining first made a 100,000-row hash join before the sums: p95 225
  // ms on PGlite with 100,000 deals; this way 48 ms, the sequential scan of the deals being most of it.)
  let deals = scope.db
    .selectFrom("deals as d")
    .select("d.stage_id")
    .select((eb) => [eb.fn.countAll<number>().as("deals"), eb.fn.sum<number>("d.amount").as("amount")])
    .where("d.org_id", "=", orgId)
    .where("d.pipeline_id", "=", pipeline.id);
  if (query.ownerId) deals = deals.where("d.owner_id", "=", query.ownerId);
  if (query.from) deals = deals.where("d.expected_close_date", ">=", query.from);
  if (query.to) deals = deals.where("d.expected_close_date", "<", query.to);
  const rows = await scope.db
    .selectFrom("stages as s")
    .leftJoin(deals.groupBy("d.stage_id").as("t"), "t.stage_id", "s.id")
    .select(["s.id", "s.name", "s.position", "s.kind", "s.probability"])
    .select([
      sql<number>`coalesce(t.deals, 0)`.as("deals"),
      // A deal without an amount adds nothing; a stage without deals is 0, not null.
      sql<number>`coalesce(t.amount, 0)`.as("amount"),
      sql<number>`round(coalesce(t.amount, 0) * s.probability / 100, 2)`.as("weighted_amount"),
    ])
    .where("s.org_id", "=", orgId)
    .where("s.pipeline_id", "=", pipeline.id)
    .orderBy("s.position")
    .execute();
  return {
    pipeline,
    rows: rows.map((r): PipelineStageRow => ({
      stageId: r.id,
      stageName: r.name,
      position: r.position,
      kind: r.kind,
      probability: r.probability,
      deals: Number(r.deals),
      amount: Number(r.amount),
      weightedAmount: Number(r.weighted_amount),
    })),
  };
}

export const pipelineByStageColumns: Column<PipelineStageRow>[] = [
  { key: "stageName", header: "Stage", type: "text" },
  { key: "position", header: "Position", type: "integer" },
  { key: "kind", header: "Kind", type: "text" },
  { key: "probability", header: "Probability %", type: "integer" },
  { key: "deals", header: "Deals", type: "integer" },
  { key: "amount", header: "Amount", type: "decimal" },
  { key: "weightedAmount", header: "Weighted amount", type: "decimal" },
  { key: "stageId", header: "Stage id", type: "text" },
];

// ---------------------------------------------------------------------------------------------------------
// Won and lost by month

export async function wonLostByMonth(scope: Scope, query: WonLostByMonthQuery): Promise<WonLostByMonth> {
  const [pipeline] = await Promise.all([
    pipelineFor(scope, query.pipelineId),
    checkUser(scope, query.ownerId),
  ]);
  const { rows } = await sql<{
    month: string;
    won_deals: number;
    won_amount: number;
    lost_deals: number;
    lost_amount: number;
  }>`
    with closed as (
      select date_trunc('month', d.closed_at at time zone 'UTC') as month, s.kind, coalesce(d.amount, 0) as amount
      from deals d
      join stages s on s.org_id = d.org_id and s.id = d.stage_id
      where d.org_id = ${scope.caller.orgId} and d.pipeline_id = ${pipeline.id}
        and s.kind in ('won', 'lost') and d.closed_at is not null
        ${query.ownerId ? sql`and d.owner_id = ${query.ownerId}` : sql``}
        ${inPeriod(sql`d.closed_at`, query)}
    ),
    -- Every month from the first closing to the last, so a month without one shows as zeros.
    months as (
      select m.month
      from (select min(month) as first, max(month) as last from closed) bounds,
        generate_series(bounds.first, bounds.last, interval '1 month') as m(month)
    )
    select to_char(m.month, 'YYYY-MM') as month,
      count(c.kind) filter (where c.kind = 'won') as won_deals,
      coalesce(sum(c.amount) filter (where c.kind = 'won'), 0) as won_amount,
      count(c.kind) filter (where c.kind = 'lost') as lost_deals,
      coalesce(sum(c.amount) filter (where c.kind = 'lost'), 0) as lost_amount
    from months m
    left join closed c on c.month = m.month
    group by m.month
    order by m.month`.execute(scope.db);
  return {
    pipeline,
    rows: rows.map((r): WonLostMonthRow => ({
      month: r.month,
      wonDeals: Number(r.won_deals),
      wonAmount: Number(r.won_amount),
      lostDeals: Number(r.lost_deals),
      lostAmount: Number(r.lost_amount),
    })),
  };
}

export const wonLostByMonthColumns: Column<WonLostMonthRow>[] = [
  { key: "month", header: "Month", type: "month" },
  { key: "wonDeals", header: "Won deals", type: "integer" },
  { key: "wonAmount", header: "Won amount", type: "decimal" },
  { key: "lostDeals", header: "Lost deals", type: "integer" },
  { key: "lostAmount", header: "Lost amount", type: "decimal" },
];

// ---------------------------------------------------------------------------------------------------------
// Stage conversion and time in stage

export async function stageConversion(scope: Scope, query: StageConversionQuery): Promise<StageConversion> {
  const [pipeline] = await Promise.all([
    pipelineFor(scope, query.pipelineId),
    checkUser(scope, query.ownerId),
  ]);
  const { orgId } = scope.caller;
  // A visit is one stay of a deal in a stage: from the change that brought it there to the deal's next change
  // (none yet: still there). Each deal's whole history is read before the period is applied, or a stay that
  // began in the period and ended after it would look unfinished.
  const { rows } = await sql<{
    id: string;
    name: string;
    position: number;
    kind: StageConversionRow["kind"];
    entered: number;
    moved_on: number;
    median_days: number | null;
  }>`
    with visits as (
      select c.deal_id, c.to_stage_id as stage_id, c.changed_at as entered_at,
        lead(c.changed_at) over deal_history as left_at,
        lead(c.to_stage_id) over deal_history as next_stage_id
      from deal_stage_changes c
      ${query.ownerId ? sql`join deals d on d.org_id = c.org_id and d.id = c.deal_id and d.owner_id = ${query.ownerId}` : sql``}
      where c.org_id = ${orgId}
      window deal_history as (partition by c.deal_id order by c.changed_at, c.id)
    )
    select s.id, s.name, s.position, s.kind,
      count(distinct v.deal_id) as entered,
      -- Moving on: to a won stage, or to an open stage further along the same pipeline (not back, not lost).
      count(distinct v.deal_id) filter (
        where next.kind = 'won' or (next.kind = 'open' and next.pipeline_id = s.pipeline_id and next.position > s.position)
      ) as moved_on,
      percentile_cont(0.5) within group (order by extract(epoch from v.left_at - v.entered_at)::float8)
        filter (where v.left_at is not null) / 86400 as median_days
    from stages s
    left join visits v on v.stage_id = s.id ${inPeriod(sql`v.entered_at`, query)}
    left join stages next on next.org_id = s.org_id and next.id = v.next_stage_id
    where s.org_id = ${orgId} and s.pipeline_id = ${pipeline.id}
    group by s.id
    order by s.position`.execute(scope.db);
  return {
    pipeline,
    rows: rows.map((r): StageConversionRow => {
      const entered = Number(r.entered);
      const movedOn = Number(r.moved_on);
      return {
        stageId: r.id,
        stageName: r.name,
        position: r.position,
        kind: r.kind,
        entered,
        movedOn,
        conversionRate: entered === 0 ? null : movedOn / entered,
        medianDaysInStage: r.median_days === null ? null : Number(r.median_days),
      };
    }),
  };
}

export const stageConversionColumns: Column<StageConversionRow>[] = [
  { key: "stageName", header: "Stage", type: "text" },
  { key: "position", header: "Position", type: "integer" },
  { key: "kind", header: "Kind", type: "text" },
  { key: "entered", header: "Entered", type: "integer" },
  { key: "movedOn", header: "Moved on", type: "integer" },
  { key: "conversionRate", header: "Conversion", type: "ratio" },
  { key: "medianDaysInStage", header: "Median days in stage", type: "decimal" },
  { key: "stageId", header: "Stage id", type: "text" },
];

// ---------------------------------------------------------------------------------------------------------
// Activity per rep per week

export async function activityByRep(scope: Scope, query: ActivityByRepQuery): Promise<ActivityByRep> {
  await checkUser(scope, query.ownerId);
  const { orgId } = scope.caller;
  // logged_by is who logged or created the interaction (the first logger of an email several colleagues logged).
  const { rows } = await sql<{
    user_id: string | null;
    user_name: string | null;
    week: string;
    emails: number;
    calls: number;
    meetings: number;
    notes: number;
    visits: number;
    total: number;
  }>`
    with weekly as (
      select i.logged_by, date_trunc('week', i.occurred_at at time zone 'UTC') as week,
        count(*) filter (where i.kind = 'email') as emails,
        count(*) filter (where i.kind = 'call') as calls,
        count(*) filter (where i.kind = 'meeting') as meetings,
        count(*) filter (where i.kind = 'note') as notes,
        count(*) filter (where i.kind = 'visit') as visits,
        count(*) as total
      from interactions i
      where i.org_id = ${orgId}
        ${query.ownerId ? sql`and i.logged_by = ${query.ownerId}` : sql``}
        ${inPeriod(sql`i.occurred_at`, query)}
      group by i.logged_by, week
    )
    select w.logged_by as user_id, coalesce(u.display_name, u.email) as user_name,
      to_char(w.week, 'YYYY-MM-DD') as week, w.emails, w.calls, w.meetings, w.notes, w.visits, w.total
    from weekly w
    left join users u on u.org_id = ${orgId} and u.id = w.logged_by
    order by w.week, user_name nulls last, w.logged_by nulls last`.execute(scope.db);
  return {
    rows: rows.map((r): RepWeekRow => ({
      userId: r.user_id,
      userName: r.user_name,
      week: r.week,
      emails: Number(r.emails),
      calls: Number(r.calls),
      meetings: Number(r.meetings),
      notes: Number(r.notes),
      visits: Number(r.visits),
      total: Number(r.total),
    })),
  };
}

export const activityByRepColumns: Column<RepWeekRow>[] = [
  { key: "week", header: "Week", type: "date" },
  { key: "userName", header: "Rep", type: "text" },
  { key: "emails", header: "Emails", type: "integer" },
  { key: "calls", header: "Calls", type: "integer" },
  { key: "meetings", header: "Meetings", type: "integer" },
  { key: "notes", header: "Notes", type: "integer" },
  { key: "visits", header: "Visits", type: "integer" },
  { key: "total", header: "Total", type: "integer" },
  { key: "userId", header: "Rep id", type: "text" },
];

// ---------------------------------------------------------------------------------------------------------
// Contacts added per week

export async function contactsAdded(scope: Scope, query: ContactsAddedQuery): Promise<ContactsAdded> {
  await checkUser(scope, query.ownerId);
  const { rows } = await sql<{ week: string; contacts: number }>`
    with added as (
      select date_trunc('week', c.created_at at time zone 'UTC') as week, count(*) as contacts
      from contacts c
      where c.org_id = ${scope.caller.orgId}
        ${query.ownerId ? sql`and c.owner_id = ${query.ownerId}` : sql``}
        ${inPeriod(sql`c.created_at`, query)}
      group by week
    ),
    -- Every week from the first addition to the last, so a quiet week shows as zero.
    weeks as (
      select w.week
      from (select min(week) as first, max(week) as last from added) bounds,
        generate_series(bounds.first, bounds.last, interval '1 week') as w(week)
    )
    select to_char(w.week, 'YYYY-MM-DD') as week, coalesce(a.contacts, 0) as contacts
    from weeks w
    left join added a on a.week = w.week
    order by w.week`.execute(scope.db);
  return {
    rows: rows.map((r): ContactsWeekRow => ({ week: r.week, contacts: Number(r.contacts) })),
  };
}

export const contactsAddedColumns: Column<ContactsWeekRow>[] = [
  { key: "week", header: "Week", type: "date" },
  { key: "contacts", header: "Contacts added", type: "integer" },
];
