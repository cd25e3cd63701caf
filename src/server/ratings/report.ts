import { type RawBuilder, sql } from "kysely";
import type { RatingsReport, RatingsReportQuery, RatingsReportRow } from "../../shared/ratings";
import { type Column, type Table, tableOf } from "../export/table-file";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { isSegmentMember } from "../segments/filter";
import { segmentRow, storedFilter } from "../segments/service";

// NPS and CSAT per calendar month (UTC) of the answer and per owner (the contact's when they answered).
// NPS = promoters% − detractors% (9–10 promote, 0–6 detract); CSAT = the mean score and the share of 4s and 5s.

const midnightUtc = (day: string) => sql<Date>`${`${day}T00:00:00Z`}::timestamptz`;

/**
 * Which answers count: the organisation's, within the period and for the owner asked. `contacts` is where a
 * further filter over the answering contacts joins (a saved segment's members): a condition on `r.contact_id`.
 */
function answersIn(
  scope: Scope,
  query: RatingsReportQuery,
  contacts: RawBuilder<boolean> | null = null,
): RawBuilder<unknown> {
  return sql`r.org_id = ${scope.caller.orgId}
    ${query.ownerId ? sql`and r.owner_id = ${query.ownerId}` : sql``}
    ${query.from ? sql`and r.answered_at >= ${midnightUtc(query.from)}` : sql``}
    ${query.to ? sql`and r.answered_at < ${midnightUtc(query.to)}` : sql``}
    ${contacts ? sql`and ${contacts}` : sql``}`;
}

interface Counts {
  nps_answers: string | number;
  promoters: string | number;
  detractors: string | number;
  csat_answers: string | number;
  csat_sum: string | number | null;
  satisfied: string | number;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The figures of a group of answers from its counts. */
function figures(c: Counts): Omit<RatingsReportRow, "month" | "ownerId" | "ownerName"> {
  const npsAnswers = Number(c.nps_answers);
  const promoters = Number(c.promoters);
  const detractors = Number(c.detractors);
  const csatAnswers = Number(c.csat_answers);
  const satisfied = Number(c.satisfied);
  return {
    npsAnswers,
    promoters,
    passives: npsAnswers - promoters - detractors,
    detractors,
    nps: npsAnswers === 0 ? null : round(((promoters - detractors) / npsAnswers) * 100, 1),
    csatAnswers,
    csatAverage: csatAnswers === 0 ? null : round(Number(c.csat_sum ?? 0) / csatAnswers, 2),
    csatSatisfied: csatAnswers === 0 ? null : round(satisfied / csatAnswers, 4),
  };
}

const COUNTS = sql`
  count(*) filter (where r.kind = 'nps') as nps_answers,
  count(*) filter (where r.kind = 'nps' and r.score >= 9) as promoters,
  count(*) filter (where r.kind = 'nps' and r.score <= 6) as detractors,
  count(*) filter (where r.kind = 'csat') as csat_answers,
  sum(r.score) filter (where r.kind = 'csat') as csat_sum,
  count(*) filter (where r.kind = 'csat' and r.score >= 4) as satisfied`;

/** The answering contact is one of the saved segment's members now (another organisation's segment is a 404). */
async function segmentMembers(scope: Scope, segmentId: string, now: Date): Promise<RawBuilder<boolean>> {
  const { orgId } = scope.caller;
  const segment = await segmentRow(scope.db, orgId, segmentId);
  const members = scope.db
    .selectFrom("contacts as c")
    .select("c.id")
    .where(isSegmentMember(orgId, storedFilter(segment), now));
  return sql<boolean>`r.contact_id in (${members})`;
}

export async function ratingsReport(
  scope: Scope,
  query: RatingsReportQuery,
  now: Date = new Date(),
): Promise<RatingsReport> {
  const { orgId } = scope.caller;
  if (query.ownerId) {
    const user = await scope.db
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", orgId)
      .where("id", "=", query.ownerId)
      .executeTakeFirst();
    if (!user) throw notFound("The user");
  }
  const where = answersIn(
    scope,
    query,
    query.segmentId ? await segmentMembers(scope, query.segmentId, now) : null,
  );
  const [{ rows }, { rows: totals }] = await Promise.all([
    sql<Counts & { month: string; owner_id: string | null; owner_name: string | null }>`
      with grouped as (
        select date_trunc('month', r.answered_at at time zone 'UTC') as month, r.owner_id, ${COUNTS}
        from ratings r
        where ${where}
        group by month, r.owner_id
      )
      select to_char(g.month, 'YYYY-MM') as month, g.owner_id, coalesce(u.display_name, u.email) as owner_name,
        g.nps_answers, g.promoters, g.detractors, g.csat_answers, g.csat_sum, g.satisfied
      from grouped g
      left join users u on u.org_id = ${orgId} and u.id = g.owner_id
      order by g.month, owner_name nulls last, g.owner_id nulls last`.execute(scope.db),
    sql<Counts>`select ${COUNTS} from ratings r where ${where}`.execute(scope.db),
  ]);
  const zero: Counts = {
    nps_answers: 0,
    promoters: 0,
    detractors: 0,
    csat_answers: 0,
    csat_sum: 0,
    satisfied: 0,
  };
  return {
    rows: rows.map((r) => ({
      month: r.month,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      ...figures(r),
    })),
    total: figures(totals[0] ?? zero),
  };
}

export const ratingsReportColumns: Column<RatingsReportRow>[] = [
  { key: "month", header: "Month", type: "month" },
  { key: "ownerName", header: "Owner", type: "text" },
  { key: "npsAnswers", header: "NPS answers", type: "integer" },
  { key: "promoters", header: "Promoters", type: "integer" },
  { key: "passives", header: "Passives", type: "integer" },
  { key: "detractors", header: "Detractors", type: "integer" },
  { key: "nps", header: "NPS", type: "decimal" },
  { key: "csatAnswers", header: "CSAT answers", type: "integer" },
  { key: "csatAverage", header: "CSAT average", type: "decimal" },
  { key: "csatSatisfied", header: "CSAT satisfied", type: "ratio" },
  { key: "ownerId", header: "Owner id", type: "text" },
];

export const ratingsReportTable = (report: RatingsReport): Table =>
  tableOf("ratings", ratingsReportColumns, report.rows);
