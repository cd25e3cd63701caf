import { type Kysely, type RawBuilder, sql } from "kysely";
import { MIN_EXITS_FOR_MEDIAN, QUIET_DAYS } from "../../src/server/dashboard/service";
import type { LocalDay } from "../../src/server/dashboard/local-day";
import type { DB } from "../../src/server/db/tables";
import { iso } from "../../src/server/scope";
import type { AttentionReason, DealNeedingAttention } from "../../src/shared/dashboard";
import type { RepWeekRow, StageConversionRow } from "../../src/shared/reports";

// The oracle of test/api/report-rollups.test.ts: the dashboard's and the reports' queries as they were before
// migration 0025, recomputing stage stays and activity from the whole history (deal_stage_changes, interactions)
// on every call. What the rollups answer must be exactly what these answer. (Stage conversion's stages are ordered
// by position and then id: an archived stage keeps its position, and the old query left such ties to its plan.)

const MAX_ITEMS = 100;
const SECONDS_PER_DAY = 86_400;

interface View {
  orgId: string;
  ownerId: string;
  now: Date;
  day: LocalDay;
}

interface Period {
  from?: string;
  to?: string;
}

const midnightUtc = (day: string): RawBuilder<Date> => sql<Date>`${`${day}T00:00:00Z`}::timestamptz`;

function inPeriod(column: RawBuilder<unknown>, period: Period): RawBuilder<unknown> {
  return sql`${period.from ? sql`and ${column} >= ${midnightUtc(period.from)}` : sql``}
    ${period.to ? sql`and ${column} < ${midnightUtc(period.to)}` : sql``}`;
}

/** The deals needing attention, with the stages' medians from a window over the whole stage history. */
export async function dealsNeedingAttentionFromHistory(
  db: Kysely<DB>,
  view: View,
): Promise<{ items: DealNeedingAttention[]; total: number }> {
  const { orgId, ownerId } = view;
  const now = sql`${view.now.toISOString()}::timestamptz`;
  const rows = await db
    // Every stay of a deal in a stage that ended: from the change that entered the stage to the next change of
    // the same deal. The stage is the one the previous change went to (`from_stage_id` says the same, but an
    // import may leave it empty).
    .with("stays", (db) =>
      db
        .selectFrom("deal_stage_changes")
        .select([
          sql<string | null>`lag(to_stage_id) over (partition by deal_id order by changed_at, id)`.as(
            "stage_id",
          ),
          sql<
            number | null
          >`extract(epoch from changed_at - lag(changed_at) over (partition by deal_id order by changed_at, id))::float8`.as(
            "seconds",
          ),
        ])
        .where("org_id", "=", orgId),
    )
    .with("medians", (db) =>
      db
        .selectFrom("stays")
        .select([
          "stage_id",
          sql<number>`percentile_cont(0.5) within group (order by seconds)`.as("median_seconds"),
        ])
        .where("stage_id", "is not", null)
        .groupBy("stage_id")
        .having(sql<boolean>`count(*) >= ${MIN_EXITS_FOR_MEDIAN}`),
    )
    .with("mine", (db) =>
      db
        .selectFrom("deals as d")
        .innerJoin("stages as s", (join) => join.onRef("s.id", "=", "d.stage_id").on("s.org_id", "=", orgId))
        .leftJoin("medians as m", "m.stage_id", "d.stage_id")
        .select([
          "d.id",
          "d.name",
          "d.amount",
          "d.currency",
          "d.expected_close_date",
          "d.version",
          "s.id as stage_id",
          "s.name as stage_name",
          "s.probability as stage_probability",
          "m.median_seconds",
          sql<Date>`coalesce((
            select max(c.changed_at) from deal_stage_changes c
            where c.org_id = ${orgId} and c.deal_id = d.id and c.to_stage_id = d.stage_id
          ), d.created_at)`.as("in_stage_since"),
          // greatest() skips nulls: a deal with no interaction or done task still has its creation's stage change.
          sql<Date>`coalesce(greatest(
            (select max(i.occurred_at) from interactions i where i.org_id = ${orgId} and i.deal_id = d.id),
            (select max(c.changed_at) from deal_stage_changes c where c.org_id = ${orgId} and c.deal_id = d.id),
            (select max(t.done_at) from tasks t where t.org_id = ${orgId} and t.deal_id = d.id)
          ), d.created_at)`.as("last_activity_at"),
        ])
        .where("d.org_id", "=", orgId)
        .where("d.owner_id", "=", ownerId)
        .where("s.kind", "=", "open"),
    )
    .selectFrom("mine")
    .selectAll()
    .select([
      sql<boolean>`last_activity_at <= ${now} - make_interval(days => ${QUIET_DAYS})`.as("quiet"),
      sql<boolean>`coalesce(expected_close_date < ${view.day.date}::date, false)`.as("late"),
      sql<boolean>`coalesce(extract(epoch from ${now} - in_stage_since) > median_seconds, false)`.as("stuck"),
    ])
    .select(sql<number>`count(*) over ()`.as("total"))
    .where(({ or }) =>
      or([
        sql<boolean>`last_activity_at <= ${now} - make_interval(days => ${QUIET_DAYS})`,
        sql<boolean>`expected_close_date < ${view.day.date}::date`,
        sql<boolean>`extract(epoch from ${now} - in_stage_since) > median_seconds`,
      ]),
    )
    .orderBy("last_activity_at")
    .orderBy("id")
    .limit(MAX_ITEMS)
    .execute();
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => {
      const reasons: AttentionReason[] = [];
      if (row.quiet) reasons.push("no_recent_activity");
      if (row.late) reasons.push("close_date_passed");
      if (row.stuck) reasons.push("stuck_in_stage");
      return {
        id: row.id,
        name: row.name,
        amount: row.amount,
        currency: row.currency,
        expectedCloseDate: row.expected_close_date,
        stage: { id: row.stage_id, name: row.stage_name, probability: row.stage_probability },
        version: row.version,
        reasons,
        lastActivityAt: iso(row.last_activity_at),
        inStageSince: iso(row.in_stage_since),
        medianDaysInStage: row.median_seconds === null ? null : row.median_seconds / SECONDS_PER_DAY,
      };
    }),
  };
}

/** Stage conversion's rows, from a window over every deal's whole history. */
export async function stageConversionFromHistory(
  db: Kysely<DB>,
  orgId: string,
  pipelineId: string,
  query: Period & { ownerId?: string },
): Promise<StageConversionRow[]> {
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
      count(distinct v.deal_id) filter (
        where next.kind = 'won' or (next.kind = 'open' and next.pipeline_id = s.pipeline_id and next.position > s.position)
      ) as moved_on,
      percentile_cont(0.5) within group (order by extract(epoch from v.left_at - v.entered_at)::float8)
        filter (where v.left_at is not null) / 86400 as median_days
    from stages s
    left join visits v on v.stage_id = s.id ${inPeriod(sql`v.entered_at`, query)}
    left join stages next on next.org_id = s.org_id and next.id = v.next_stage_id
    where s.org_id = ${orgId} and s.pipeline_id = ${pipelineId}
    group by s.id
    order by s.position, s.id`.execute(db);
  return rows.map((r): StageConversionRow => {
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
  });
}

/** Activity by rep's rows, from every interaction. */
export async function activityFromHistory(
  db: Kysely<DB>,
  orgId: string,
  query: Period & { ownerId?: string },
): Promise<RepWeekRow[]> {
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
    order by w.week, user_name nulls last, w.logged_by nulls last`.execute(db);
  return rows.map((r): RepWeekRow => ({
    userId: r.user_id,
    userName: r.user_name,
    week: r.week,
    emails: Number(r.emails),
    calls: Number(r.calls),
    meetings: Number(r.meetings),
    notes: Number(r.notes),
    visits: Number(r.visits),
    total: Number(r.total),
  }));
}
