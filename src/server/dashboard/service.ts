import { type Kysely, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type {
  AttentionReason,
  Dashboard,
  DashboardQuery,
  DealNeedingAttention,
  FollowUp,
  PipelineInCurrency,
  RecentInteraction,
} from "../../shared/dashboard";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import { type Scope, iso } from "../scope";
import { toTask } from "../tasks/service";
import { currentRole } from "../users/service";
import { type LocalDay, localDay } from "./local-day";

/** The long lists are bounded: a dashboard is read at a glance, and its cost must not grow with a backlog. */
const MAX_ITEMS = 100;
const RECENT_INTERACTIONS = 10;
/** Days without activity after which an open deal needs attention (see DealNeedingAttention). */
export const QUIET_DAYS = 14;
/** Fewer exits than this and a stage's median says too little to call a deal stuck. */
export const MIN_EXITS_FOR_MEDIAN = 3;
const SECONDS_PER_DAY = 86_400;

/** Who the dashboard is for, and where and when "today" is. */
interface View {
  orgId: string;
  ownerId: string;
  now: Date;
  day: LocalDay;
}

/**
 * The daily view of one user: follow-ups due, deals needing attention, what they logged lately, their pipeline.
 * Each section is one query, and the four (with the owner's own row) run at once.
 */
export async function dashboard(scope: Scope, query: DashboardQuery, now: Date): Promise<Dashboard> {
  const { caller } = scope;
  // PostgreSQL writes uuids in lower case; a client may send them in upper case (member asking for themselves).
  const ownerId = query.ownerId?.toLowerCase() ?? caller.userId;
  // The role as it is now (read only for a colleague's dashboard, so a rep's own costs nothing more).
  if (ownerId !== caller.userId && (await currentRole(scope.db, caller)) !== "admin")
    throw new AppError("forbidden", 403, "Only an admin of the organisation sees a colleague's dashboard.");
  const view: View = { orgId: caller.orgId, ownerId, now, day: localDay(query.timeZone, now) };
  const [owner, followUps, deals, recent, pipeline] = await Promise.all([
    scope.db
      .selectFrom("users")
      .select(["id", "email", "display_name"])
      .where("org_id", "=", view.orgId)
      .where("id", "=", ownerId)
      .executeTakeFirst(),
    followUpsDue(scope.db, view),
    dealsNeedingAttention(scope.db, view),
    recentInteractions(scope.db, view),
    pipelineByCurrency(scope.db, view),
  ]);
  // Checked after the fact so the check costs no round trip of its own; an unknown (or another organisation's)
  // user's sections are empty anyway, and none of them is returned.
  if (!owner) throw notFound("The user");
  return {
    owner: { id: owner.id, email: owner.email, displayName: owner.display_name },
    timeZone: query.timeZone,
    today: view.day.date,
    generatedAt: iso(now),
    followUps,
    dealsNeedingAttention: deals,
    recentInteractions: recent,
    pipeline,
  };
}

/** The owner's open tasks due before tomorrow starts in their time zone: overdue ones first. */
async function followUpsDue(db: Kysely<DB>, view: View): Promise<{ items: FollowUp[]; total: number }> {
  // tasks_assignee_open (org_id, assignee_id, due_at) where done_at is null serves this as a range scan.
  const rows = await db
    .selectFrom("tasks as t")
    .leftJoin("contacts as c", (join) =>
      join.onRef("c.id", "=", "t.contact_id").on("c.org_id", "=", view.orgId),
    )
    .leftJoin("deals as d", (join) => join.onRef("d.id", "=", "t.deal_id").on("d.org_id", "=", view.orgId))
    .selectAll("t")
    .select([
      "c.display_name as contact_name",
      "d.name as deal_name",
      sql<number>`count(*) over ()`.as("total"),
    ])
    .where("t.org_id", "=", view.orgId)
    .where("t.assignee_id", "=", view.ownerId)
    .where("t.done_at", "is", null)
    .where("t.due_at", "<", view.day.end)
    .orderBy("t.due_at")
    .orderBy("t.id")
    .limit(MAX_ITEMS)
    .execute();
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => ({
      ...toTask(row),
      overdue: row.due_at !== null && row.due_at < view.day.start,
      contact:
        row.contact_id && row.contact_name !== null
          ? { id: row.contact_id, displayName: row.contact_name }
          : null,
      deal: row.deal_id && row.deal_name !== null ? { id: row.deal_id, name: row.deal_name } : null,
    })),
  };
}

/** The owner's open deals for which a rule of DealNeedingAttention holds, quietest first. */
async function dealsNeedingAttention(
  db: Kysely<DB>,
  view: View,
): Promise<{ items: DealNeedingAttention[]; total: number }> {
  const { orgId, ownerId } = view;
  const now = sql`${view.now.toISOString()}::timestamptz`;
  const rows = await db
    // The median length of the stays in each open stage that ended, over the whole organisation: from the stays'
    // lengths per day kept as the history is written (deal_stage_lengths, migration 0031) and at most one day's
    // stays from the index; the same float8 arithmetic as percentile_cont(0.5). Null below MIN_EXITS_FOR_MEDIAN.
    .with(
      (cte) => cte("medians").materialized(),
      (db) =>
        db
          .selectFrom("stages as s")
          .select([
            "s.id as stage_id",
            sql<number | null>`stage_median_stay(s.org_id, s.id, ${MIN_EXITS_FOR_MEDIAN})`.as(
              "median_seconds",
            ),
          ])
          .where("s.org_id", "=", orgId)
          .where("s.kind", "=", "open"),
    )
    .with("mine", (db) =>
      db
        .selectFrom("deals as d")
        .innerJoin("stages as s", (join) => join.onRef("s.id", "=", "d.stage_id").on("s.org_id", "=", orgId))
        .leftJoin("medians as m", "m.stage_id", "d.stage_id")
        .select([
          "d.id",
          "d.amount",
          "d.currency",
          "d.expected_close_date",
          "s.id as stage_id",
          "s.name as stage_name",
          "s.probability as stage_probability",
          "m.median_seconds",
          sql<Date>`coalesce((
            select max(c.changed_at) from deal_stage_changes c
            where c.org_id = ${orgId} and c.deal_id = d.id and c.to_stage_id = d.stage_id
          ), d.created_at)`.as("in_stage_since"),
          // Kept by triggers as interactions, stage changes and tasks are written (migration 0031): the latest
          // interaction linked to the deal, stage change or task done; none, and the deal's creation counts.
          sql<Date>`coalesce(d.last_activity_at, d.created_at)`.as("last_activity_at"),
        ])
        .where("d.org_id", "=", orgId)
        .where("d.owner_id", "=", ownerId)
        .where("s.kind", "=", "open"),
    )
    .with("attention", (db) =>
      db
        .selectFrom("mine")
        .selectAll()
        .select([
          sql<boolean>`last_activity_at <= ${now} - make_interval(days => ${QUIET_DAYS})`.as("quiet"),
          sql<boolean>`coalesce(expected_close_date < ${view.day.date}::date, false)`.as("late"),
          sql<boolean>`coalesce(extract(epoch from ${now} - in_stage_since) > median_seconds, false)`.as(
            "stuck",
          ),
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
        .limit(MAX_ITEMS),
    )
    // The name and version of the hundred shown only: the rest comes from deals_owner (0031) alone.
    .selectFrom("attention as a")
    .innerJoin("deals as d", (join) => join.onRef("d.id", "=", "a.id").on("d.org_id", "=", orgId))
    .selectAll("a")
    .select(["d.name", "d.version"])
    .orderBy("a.last_activity_at")
    .orderBy("a.id")
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

/** The latest interactions the owner logged, whoever logged them first, with the contacts they involve. */
async function recentInteractions(db: Kysely<DB>, view: View): Promise<RecentInteraction[]> {
  const { orgId, ownerId } = view;
  const rows = await db
    .selectFrom("interactions as i")
    .leftJoin("deals as d", (join) => join.onRef("d.id", "=", "i.deal_id").on("d.org_id", "=", orgId))
    .select([
      "i.id",
      "i.kind",
      "i.direction",
      "i.occurred_at",
      "i.subject",
      "i.deal_id",
      "d.name as deal_name",
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("interaction_participants as p")
          .innerJoin("contacts as c", (join) =>
            join.onRef("c.id", "=", "p.contact_id").on("c.org_id", "=", orgId),
          )
          .select(["c.id", "c.display_name"])
          .where("p.org_id", "=", orgId)
          .whereRef("p.interaction_id", "=", "i.id")
          .orderBy("p.position"),
      ).as("contacts"),
    )
    .where("i.org_id", "=", orgId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("interaction_loggers as l")
          .select(sql`1`.as("one"))
          .where("l.org_id", "=", orgId)
          .whereRef("l.interaction_id", "=", "i.id")
          .where("l.user_id", "=", ownerId),
      ),
    )
    .orderBy("i.occurred_at", "desc")
    .orderBy("i.id", "desc")
    .limit(RECENT_INTERACTIONS)
    .execute();
  return rows.map((row) => {
    // A contact with two addresses on one email is one person.
    const contacts = new Map(row.contacts.map((c) => [c.id, { id: c.id, displayName: c.display_name }]));
    return {
      id: row.id,
      kind: row.kind,
      direction: row.direction,
      occurredAt: iso(row.occurred_at),
      subject: row.subject,
      contacts: [...contacts.values()],
      deal: row.deal_id && row.deal_name !== null ? { id: row.deal_id, name: row.deal_name } : null,
    };
  });
}

/** The owner's open deals summed per currency: amounts in different currencies are never added together. */
async function pipelineByCurrency(db: Kysely<DB>, view: View): Promise<PipelineInCurrency[]> {
  const rows = await db
    .selectFrom("deals as d")
    .innerJoin("stages as s", (join) => join.onRef("s.id", "=", "d.stage_id").on("s.org_id", "=", view.orgId))
    .select([
      "d.currency",
      sql<number>`count(*)`.as("open_deals"),
      sql<number>`coalesce(sum(d.amount), 0)`.as("total"),
      // numeric throughout: amount (2 decimals) × a whole percentage is exact; only the final sum is rounded.
      sql<number>`round(coalesce(sum(d.amount * s.probability), 0) / 100, 2)`.as("weighted"),
    ])
    .where("d.org_id", "=", view.orgId)
    .where("d.owner_id", "=", view.ownerId)
    .where("s.kind", "=", "open")
    .groupBy("d.currency")
    .orderBy(sql`d.currency asc nulls last`)
    .execute();
  return rows.map((row) => ({
    currency: row.currency,
    openDeals: row.open_deals,
    total: row.total,
    weighted: row.weighted,
  }));
}
