import { sql } from "kysely";
import { z } from "zod";
import type {
  SegmentChanges,
  SegmentChangesQuery,
  SegmentMembersPage,
  SegmentMembersQuery,
} from "../../shared/segments";
import { AppError, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { iso } from "../scope";
import { isSegmentMember } from "./filter";
import { type SegmentScope, selectMembers, storedFilter, toMember } from "./service";

/*
 * A segment's membership as a marketing platform follows it. Membership is evaluated when it is read: the live
 * members (the filter now, less contacts who want no marketing) are compared with the membership stored at the
 * last evaluation, and every difference is appended to the segment's changes with the next sequence number.
 *
 * The evaluation holds the segment row's lock (FOR UPDATE) for its whole transaction, so evaluations of one
 * segment, on any server and from any number of readers, run one after another: each sees what the one before it
 * committed, numbers its changes from the counter that one left, and commits its changes, the stored membership
 * and the counter together. A reader never sees a sequence number before every smaller one is committed, so a
 * cursor (the last sequence number read) misses nothing and repeats nothing.
 */

/**
 * Evaluates the segment's membership and records what changed since the last evaluation; the newest seq. With a
 * reader's cursor, that cursor is checked against the counter before anything is written, so a refused read leaves
 * the store as it was.
 */
export async function evaluateMembership(
  scope: SegmentScope,
  segmentId: string,
  cursor?: string,
): Promise<string> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const segment = await tx
      .selectFrom("segments")
      .select(["filter", sql<string>`last_seq::text`.as("last_seq")])
      .where("org_id", "=", orgId)
      .where("id", "=", segmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!segment) throw notFound("The segment");
    const last = segment.last_seq;
    // Every cursor this server hands out is a change it made, and the counter never goes back: a cursor past it
    // was never handed out, or the store went back under it (a restore of an older backup). Answering "nothing
    // new" would then skip every change numbered below it from here on (an unsubscribe among them), silently.
    // Checked before this evaluation numbers anything: what it adds cannot make such a cursor one handed out.
    if (cursor !== undefined && BigInt(cursor) > BigInt(last))
      throw new AppError(
        "invalid_request",
        400,
        "The cursor is past this segment's last change (was the store restored from an older backup?): read the members again and follow the changes from their changesCursor.",
        { errors: [{ path: "query.cursor", message: "past the segment's last change" }] },
      );
    const member = isSegmentMember(orgId, storedFilter(segment), scope.now());
    const joined = tx
      .selectFrom("contacts as c")
      .select([
        "c.id as contact_id",
        sql<string>`'joined'`.as("kind"),
        sql<string | null>`(select coalesce(e.address_as_written, e.address) from contact_emails e
          where e.contact_id = c.id order by e.position limit 1)`.as("email"),
      ])
      .where(member)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("segment_members as m")
              .select(sql.lit(1).as("one"))
              .where("m.segment_id", "=", segmentId)
              .whereRef("m.contact_id", "=", "c.id"),
          ),
        ),
      );
    // A contact deleted, edited out of the filter or marked "no marketing" since: no longer found live.
    const left = tx
      .selectFrom("segment_members as m")
      .select(["m.contact_id", sql<string>`'left'`.as("kind"), "m.email"])
      .where("m.org_id", "=", orgId)
      .where("m.segment_id", "=", segmentId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("contacts as c")
              .select(sql.lit(1).as("one"))
              .whereRef("c.id", "=", "m.contact_id")
              .where(member),
          ),
        ),
      );
    const { rows } = await sql<{ added: number; newest: string | null }>`
      with added as (
        insert into segment_changes (org_id, segment_id, seq, contact_id, kind, email)
        select ${orgId}::uuid, ${segmentId}::uuid,
               ${last}::bigint + row_number() over (order by d.kind desc, d.contact_id),
               d.contact_id, d.kind, d.email
        from (${joined} union all ${left}) d
        returning seq
      )
      select count(*)::int as added, max(seq)::text as newest from added
    `.execute(tx);
    const newest = rows[0]?.newest ?? null;
    if (newest === null) return last;
    await sql`
      delete from segment_members m using segment_changes ch
      where m.segment_id = ${segmentId}::uuid and ch.segment_id = ${segmentId}::uuid
        and ch.seq > ${last}::bigint and ch.kind = 'left' and m.contact_id = ch.contact_id
    `.execute(tx);
    await sql`
      insert into segment_members (org_id, segment_id, contact_id, email, joined_seq)
      select org_id, segment_id, contact_id, email, seq from segment_changes
      where segment_id = ${segmentId}::uuid and seq > ${last}::bigint and kind = 'joined'
    `.execute(tx);
    await tx
      .updateTable("segments")
      .set({ last_seq: newest })
      .where("org_id", "=", orgId)
      .where("id", "=", segmentId)
      .execute();
    return newest;
  });
}

const MemberCursor = z.tuple([z.uuid()]);

/**
 * The segment's members as evaluated now, paged by contact id (stable: a page never shifts under writes). The
 * first page's `changesCursor` is where a sync follows the changes from once it has every page.
 */
export async function listSegmentMembers(
  scope: SegmentScope,
  segmentId: string,
  query: z.output<typeof SegmentMembersQuery>,
): Promise<SegmentMembersPage> {
  const after = decodeCursor(query.cursor, MemberCursor);
  const changesCursor = await evaluateMembership(scope, segmentId);
  const { orgId } = scope.caller;
  let select = selectMembers(scope.db, orgId).innerJoin("segment_members as m", (join) =>
    join.onRef("m.contact_id", "=", "c.id").on("m.segment_id", "=", segmentId),
  );
  if (after) select = select.where("c.id", ">", after[0]);
  const rows = await select
    .orderBy("c.id")
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const kept = more ? rows.slice(0, query.limit) : rows;
  const last = kept.at(-1);
  return {
    items: kept.map(toMember),
    nextCursor: more && last ? encodeCursor([last.id]) : null,
    changesCursor,
  };
}

/** Who joined and who left since the cursor, in sequence order, after evaluating the membership. */
export async function listSegmentChanges(
  scope: SegmentScope,
  segmentId: string,
  query: z.output<typeof SegmentChangesQuery>,
): Promise<SegmentChanges> {
  await evaluateMembership(scope, segmentId, query.cursor);
  const rows = await scope.db
    .selectFrom("segment_changes")
    // Named apart from `seq`: ORDER BY seq would otherwise sort the text ("10" before "7").
    .select([sql<string>`seq::text`.as("seq_text"), "kind", "contact_id", "email", "at"])
    .where("org_id", "=", scope.caller.orgId)
    .where("segment_id", "=", segmentId)
    .where(sql<boolean>`seq > ${query.cursor}::bigint`)
    .orderBy("seq")
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const kept = more ? rows.slice(0, query.limit) : rows;
  return {
    items: kept.map((row) => ({
      seq: row.seq_text,
      kind: row.kind,
      contactId: row.contact_id,
      email: row.email,
      at: iso(row.at),
    })),
    cursor: kept.at(-1)?.seq_text ?? query.cursor,
    more,
  };
}
