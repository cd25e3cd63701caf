import { type Kysely, sql } from "kysely";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import type { Database } from "../db/database";

/**
 * Why a meeting captured before is no longer one to keep as the capture made it: its organiser has since marked it
 * private or confidential, everyone outside the organisation has left it, or someone on it is on the
 * organisation's blocklist. The privacy rules that keep such an event from being logged apply to what was logged
 * before the event changed, or they would depend on timing.
 */
export type Withdrawal = "private" | "internal_only" | "blocked_participant";

/**
 * What happens to it (docs/automatic-logging.md, "Meetings"). A meeting the capture alone made and kept, which no
 * one has touched since (no note, no outcome, no deal, no log from the pane: only the capture's own audit events
 * are on it), is deleted: it was never anyone's but the calendar's. A meeting a person has worked on is theirs
 * and stays, without what the capture brought that the rules now refuse: the subject, the place, the online link
 * and the invitation's text (a body a person wrote stays), and the blocked attendees' participant entries. A
 * later capture of the event, still refused, changes nothing more; one that is allowed again brings it up to date.
 */
export async function withdrawMeeting(
  db: ReturnType<Database["forOrganization"]>,
  caller: { orgId: string; userId: string; email: string | null },
  interactionId: string,
  why: Withdrawal,
  blocked: readonly string[],
): Promise<"deleted" | "scrubbed" | "unchanged"> {
  const { orgId } = caller;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("interactions")
      .select(["id", "source", "subject", "body", "meeting_location", "meeting_online_url"])
      .where("org_id", "=", orgId)
      .where("id", "=", interactionId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return "unchanged";
    const worked = await personalWork(tx, orgId, interactionId);
    if (row.source === "auto" && !worked.any) {
      await tx
        .deleteFrom("interactions")
        .where("org_id", "=", orgId)
        .where("id", "=", interactionId)
        .execute();
      await recordAudit(
        tx,
        caller,
        "meeting.withdrawn",
        { type: "interaction", id: interactionId },
        {
          source: "auto",
          reason: why,
          deleted: true,
        },
      );
      return "deleted";
    }
    // A meeting first logged by a rep carries their notes as its body from the start.
    const keepBody = row.source !== "auto" || worked.body;
    const changes = {
      ...(row.subject !== "" ? { subject: "" } : {}),
      ...(row.meeting_location !== null ? { meeting_location: null } : {}),
      ...(row.meeting_online_url !== null ? { meeting_online_url: null } : {}),
      ...(!keepBody && row.body !== null ? { body: null } : {}),
    };
    const removed = blocked.length
      ? await tx
          .deleteFrom("interaction_participants")
          .where("org_id", "=", orgId)
          .where("interaction_id", "=", interactionId)
          .where("address", "in", [...blocked])
          .returning("id")
          .execute()
      : [];
    const fields = Object.keys(changes);
    if (fields.length === 0 && removed.length === 0) return "unchanged";
    await tx
      .updateTable("interactions")
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", interactionId)
      .execute();
    await recordAudit(
      tx,
      caller,
      "meeting.withdrawn",
      { type: "interaction", id: interactionId },
      {
        source: "auto",
        reason: why,
        deleted: false,
        fields,
        participantsRemoved: removed.length,
      },
    );
    return "scrubbed";
  });
}

/**
 * Whether a person has done anything to the interaction, and whether they wrote its body: every change of
 * Rapport's own capture is audited with `source: auto`, every other change (the pane's log, a note's edit, a deal
 * or company linked, a task or reminder about it) without it.
 */
async function personalWork(
  tx: Kysely<DB>,
  orgId: string,
  interactionId: string,
): Promise<{ any: boolean; body: boolean }> {
  const { rows } = await sql<{ any: boolean; body: boolean }>`
    select
      exists (
        select 1 from audit_events
        where org_id = ${orgId} and entity_type = 'interaction' and entity_id = ${interactionId}
          and coalesce(details->>'source', '') <> 'auto'
      ) or exists (
        select 1 from tasks where org_id = ${orgId} and interaction_id = ${interactionId}
      ) as any,
      exists (
        select 1 from audit_events
        where org_id = ${orgId} and entity_type = 'interaction' and entity_id = ${interactionId}
          and coalesce(details->>'source', '') <> 'auto' and coalesce(details->'fields', '[]'::jsonb) ? 'body'
      ) as body`.execute(tx);
  return { any: rows[0]?.any === true, body: rows[0]?.body === true };
}
