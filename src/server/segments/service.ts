import { type Kysely, sql } from "kysely";
import {
  type Segment,
  type SegmentCreate,
  SegmentFilter,
  type SegmentMember,
  type SegmentPreview,
  type SegmentPreviewRequest,
  type SegmentUpdate,
} from "../../shared/segments";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { type Scope, iso } from "../scope";
import { currentRole } from "../users/service";
import { checkSegmentFilter, isSegmentMember, matchesSegmentFilter } from "./filter";

/** What a segment's readers are given: the clock decides "within N days". */
export interface SegmentScope extends Scope {
  now: () => Date;
}

interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  filter: unknown;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const SEGMENT_COLUMNS = [
  "id",
  "name",
  "description",
  "filter",
  "created_by",
  "created_at",
  "updated_at",
  "version",
] as const;

/** The stored filter, read through the schema it was written with: a filter the code no longer reads is a bug. */
export const storedFilter = (row: { filter: unknown }): SegmentFilter => SegmentFilter.parse(row.filter);

const toSegment = (row: SegmentRow, canEdit: boolean): Segment => ({
  id: row.id,
  name: row.name,
  description: row.description,
  filter: storedFilter(row),
  createdBy: row.created_by,
  canEdit,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

/** Segments are shared: every member reads them; their maker or an admin changes them. */
async function editRight(db: Kysely<DB>, caller: Scope["caller"]): Promise<(row: SegmentRow) => boolean> {
  const admin = (await currentRole(db, caller)) === "admin";
  return (row) => admin || row.created_by === caller.userId;
}

export async function segmentRow(db: Kysely<DB>, orgId: string, id: string): Promise<SegmentRow> {
  const row = await db
    .selectFrom("segments")
    .select(SEGMENT_COLUMNS)
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("The segment");
  return row;
}

export async function listSegments(scope: Scope): Promise<{ items: Segment[] }> {
  const [rows, canEdit] = await Promise.all([
    scope.db
      .selectFrom("segments")
      .select(SEGMENT_COLUMNS)
      .where("org_id", "=", scope.caller.orgId)
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .execute(),
    editRight(scope.db, scope.caller),
  ]);
  return { items: rows.map((row) => toSegment(row, canEdit(row))) };
}

export async function getSegment(scope: Scope, id: string): Promise<Segment> {
  const row = await segmentRow(scope.db, scope.caller.orgId, id);
  return toSegment(row, (await editRight(scope.db, scope.caller))(row));
}

export async function createSegment(scope: Scope, input: SegmentCreate): Promise<Segment> {
  await checkSegmentFilter(scope.db, scope.caller.orgId, input.filter, "body.filter");
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("segments")
      .values({
        org_id: scope.caller.orgId,
        name: input.name,
        description: input.description ?? null,
        filter: JSON.stringify(input.filter),
        created_by: scope.caller.userId,
      })
      .returning(SEGMENT_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, scope.caller, "segment.created", { type: "segment", id: row.id });
    return toSegment(row, true);
  });
}

/** Refuses (403) a change from a member who neither made the segment nor is an admin. */
async function requireEditRight(tx: Kysely<DB>, caller: Scope["caller"], row: SegmentRow): Promise<void> {
  if (!(await editRight(tx, caller))(row))
    throw new AppError("forbidden", 403, "Only the segment's maker or an admin changes it.");
}

export async function updateSegment(
  scope: Scope,
  id: string,
  version: number,
  input: SegmentUpdate,
): Promise<Segment> {
  if (input.filter) await checkSegmentFilter(scope.db, scope.caller.orgId, input.filter, "body.filter");
  return scope.db.transaction().execute(async (tx) => {
    await requireEditRight(tx, scope.caller, await segmentRow(tx, scope.caller.orgId, id));
    const row = await tx
      .updateTable("segments")
      .set({
        name: input.name,
        description: input.description,
        filter: input.filter === undefined ? undefined : JSON.stringify(input.filter),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returning(SEGMENT_COLUMNS)
      .executeTakeFirst();
    if (!row) throw versionConflict(toSegment(await segmentRow(tx, scope.caller.orgId, id), true));
    await recordAudit(
      tx,
      scope.caller,
      "segment.updated",
      { type: "segment", id },
      { fields: Object.keys(input).filter((key) => key !== "version") },
    );
    return toSegment(row, true);
  });
}

export async function deleteSegment(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    await requireEditRight(tx, scope.caller, await segmentRow(tx, scope.caller.orgId, id));
    await tx.deleteFrom("segments").where("org_id", "=", scope.caller.orgId).where("id", "=", id).execute();
    await recordAudit(tx, scope.caller, "segment.deleted", { type: "segment", id });
    return { id, deleted: true as const };
  });
}

/** A member's columns, read from `contacts as c` (with the company beside it) for the API. */
export function selectMembers(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("contacts as c")
    .leftJoin("companies as co", (join) =>
      join.onRef("co.id", "=", "c.company_id").onRef("co.org_id", "=", "c.org_id"),
    )
    .select([
      "c.id",
      "c.display_name",
      "c.first_name",
      "c.last_name",
      "c.lifecycle_stage",
      "c.tags",
      "c.country",
      "c.language",
      "co.name as company_name",
      sql<string | null>`(select coalesce(e.address_as_written, e.address) from contact_emails e
        where e.contact_id = c.id order by e.position limit 1)`.as("email"),
    ])
    .where("c.org_id", "=", orgId);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof selectMembers>["execute"]>>[number];

export const toMember = (row: MemberRow): SegmentMember => ({
  contactId: row.id,
  email: row.email,
  displayName: row.display_name,
  firstName: row.first_name,
  lastName: row.last_name,
  companyName: row.company_name,
  lifecycleStage: row.lifecycle_stage,
  tags: row.tags,
  country: row.country,
  language: row.language,
});

/**
 * An unsaved filter's count and first members, as the editor shows them while the filter is changed: one scan
 * counts both the members and the contacts the "no marketing" flag leaves out.
 */
export async function previewSegment(
  scope: SegmentScope,
  input: SegmentPreviewRequest,
): Promise<SegmentPreview> {
  const { orgId } = scope.caller;
  await checkSegmentFilter(scope.db, orgId, input.filter, "body.filter");
  const now = scope.now();
  const [counts, members] = await Promise.all([
    scope.db
      .selectFrom("contacts as c")
      .select([
        sql<number>`count(*) filter (where not c.no_marketing)::int`.as("members"),
        sql<number>`count(*) filter (where c.no_marketing)::int`.as("no_marketing"),
      ])
      .where("c.org_id", "=", orgId)
      .where(matchesSegmentFilter(input.filter, now))
      .executeTakeFirstOrThrow(),
    selectMembers(scope.db, orgId)
      .where(isSegmentMember(orgId, input.filter, now))
      .orderBy(sql`lower(c.display_name)`)
      .orderBy("c.id")
      .limit(input.limit)
      .execute(),
  ]);
  return { count: counts.members, noMarketing: counts.no_marketing, members: members.map(toMember) };
}
