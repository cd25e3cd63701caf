import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import { type FollowUpReminder, followUpDueAt, type ReplySignals } from "../../shared/follow-ups";
import type { Language } from "../../shared/languages";
import type { LoggingPolicy } from "../../shared/organizations";
import type { Caller } from "../auth/caller";
import { recordAudit } from "../audit";
import type { DB, FollowUpsTable } from "../db/tables";
import { iso } from "../scope";
import { followUpClosedNote, followUpNotes, followUpTitle } from "./messages";
import { toTask } from "../tasks/service";
import { emitEvent } from "../webhooks/outbox";

type FollowUpRow = Selectable<FollowUpsTable>;

export const toReminder = (row: FollowUpRow): FollowUpReminder => ({
  id: row.id,
  ownerId: row.owner_id,
  days: row.days,
  dueAt: iso(row.due_at),
  state: row.state,
  taskId: row.task_id,
  replyId: row.reply_id,
});

/** The email's reminder, if it is the caller's own (another's reminder is theirs to see on their Today). */
export async function reminderOf(
  tx: Kysely<DB>,
  caller: Caller,
  interactionId: string,
): Promise<FollowUpReminder | null> {
  const row = await tx
    .selectFrom("follow_ups")
    .selectAll()
    .where("org_id", "=", caller.orgId)
    .where("interaction_id", "=", interactionId)
    .where("owner_id", "=", caller.userId)
    .executeTakeFirst();
  return row ? toReminder(row) : null;
}

interface LoggedEmailFacts {
  id: string;
  direction: "in" | "out" | null;
  occurredAt: Date;
  dealId: string | null;
}

/**
 * The working days a log asks for: the request's, or, when the client did not say, the organisation's default for
 * outgoing mail on an open deal; null for none. Only outgoing mail is followed up.
 */
export async function followUpDaysFor(
  tx: Kysely<DB>,
  orgId: string,
  email: LoggedEmailFacts,
  request: { days: number } | null | undefined,
  policy: LoggingPolicy,
): Promise<number | null> {
  if (email.direction !== "out") return null;
  if (request !== undefined) return request?.days ?? null;
  if (!policy.followUpOpenDeals || email.dealId === null) return null;
  const open = await tx
    .selectFrom("deals as d")
    .innerJoin("stages as s", (join) => join.onRef("s.id", "=", "d.stage_id").on("s.org_id", "=", orgId))
    .select("d.id")
    .where("d.org_id", "=", orgId)
    .where("d.id", "=", email.dealId)
    .where("s.kind", "=", "open")
    .executeTakeFirst();
  return open ? policy.followUpDays : null;
}

/**
 * Sets the caller's reminder on an outgoing email they logged: due `days` working days after it was sent, in their
 * time zone. An email has one reminder, whoever asks and however often (the unique key decides between two logs
 * at once). A reply logged before the reminder was asked for settles it at once: it never fires.
 */
export async function scheduleFollowUp(
  tx: Kysely<DB>,
  caller: Caller,
  email: LoggedEmailFacts,
  days: number,
): Promise<void> {
  const { orgId, userId } = caller;
  const owner = await tx
    .selectFrom("users")
    .select("time_zone")
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const timeZone = owner.time_zone ?? "UTC";
  // The contact it waits for: the first addressee who is one (To before Cc, in the order written).
  const contact = await tx
    .selectFrom("interaction_participants")
    .select("contact_id")
    .where("org_id", "=", orgId)
    .where("interaction_id", "=", email.id)
    .where("role", "in", ["to", "cc"])
    .where("contact_id", "is not", null)
    .orderBy(sql`role = 'to'`, "desc")
    .orderBy("position")
    .limit(1)
    .executeTakeFirst();
  const inserted = await tx
    .insertInto("follow_ups")
    .values({
      org_id: orgId,
      interaction_id: email.id,
      owner_id: userId,
      contact_id: contact?.contact_id ?? null,
      deal_id: email.dealId,
      days,
      time_zone: timeZone,
      due_at: followUpDueAt(email.occurredAt, days, timeZone),
    })
    .onConflict((oc) => oc.columns(["org_id", "interaction_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return;
  await recordAudit(tx, caller, "follow_up.scheduled", { type: "follow_up", id: inserted.id }, { days });
  const reply = await tx
    .selectFrom("interactions as r")
    .innerJoin("interactions as s", (join) => join.on("s.org_id", "=", orgId).on("s.id", "=", email.id))
    .innerJoin("interaction_participants as rf", (join) =>
      join.onRef("rf.interaction_id", "=", "r.id").on("rf.org_id", "=", orgId).on("rf.role", "=", "from"),
    )
    .select(["r.id", "r.occurred_at", "rf.address"])
    .where("r.org_id", "=", orgId)
    .where("r.kind", "=", "email")
    .where("r.direction", "=", "in")
    .where("r.conversation_id", "is not", null)
    .whereRef("r.conversation_id", "=", "s.conversation_id")
    .whereRef("r.occurred_at", ">", "s.occurred_at")
    .where(recipientOf(orgId, sql.ref("s.id"), sql.ref("rf.address")))
    .orderBy("r.occurred_at")
    .limit(1)
    .executeTakeFirst();
  if (reply) await settle(tx, caller, [{ id: inserted.id, state: "waiting", task_id: null }], reply.id);
}

/** One of the sent email's addressees (To or Cc) has this address. */
function recipientOf(orgId: string, sentId: RawBuilder<unknown>, address: RawBuilder<unknown> | string) {
  return sql<boolean>`exists (
    select 1 from interaction_participants p
    where p.org_id = ${orgId} and p.interaction_id = ${sentId} and p.role in ('to', 'cc') and p.address = ${address}
  )`;
}

/**
 * An inbound email just logged: if it answers mail with a reminder (the same conversation, or its In-Reply-To or
 * References naming the sent message) and comes from one of that mail's addressees after it went, the reminder is
 * settled: cancelled while it waits, its task closed (with a note why) once fired. An automatic answer (out of
 * office, an autoresponder) settles nothing.
 */
export async function settleByReply(
  tx: Kysely<DB>,
  caller: Caller,
  reply: { id: string; from: string; occurredAt: Date; conversationId: string | null },
  signals: ReplySignals,
): Promise<void> {
  if (signals.automatic) return;
  if (reply.conversationId === null && signals.answers.length === 0) return;
  const { orgId } = caller;
  const open = await tx
    .selectFrom("follow_ups as f")
    .innerJoin("interactions as s", (join) =>
      join.onRef("s.id", "=", "f.interaction_id").on("s.org_id", "=", orgId),
    )
    .select(["f.id", "f.state", "f.task_id"])
    .where("f.org_id", "=", orgId)
    .where("f.reply_id", "is", null)
    .where("f.state", "<>", "cancelled")
    .where("s.occurred_at", "<", reply.occurredAt)
    .where((eb) =>
      eb.or([
        ...(reply.conversationId !== null ? [eb("s.conversation_id", "=", reply.conversationId)] : []),
        ...(signals.answers.length > 0 ? [eb("s.internet_message_id", "in", signals.answers)] : []),
      ]),
    )
    .where(recipientOf(orgId, sql.ref("s.id"), reply.from))
    // The firing loop holds a reminder it is firing: the reply waits for it and then closes the task it made.
    .forUpdate("f")
    .execute();
  if (open.length > 0) await settle(tx, caller, open, reply.id);
}

async function settle(
  tx: Kysely<DB>,
  caller: Caller,
  reminders: { id: string; state: "waiting" | "fired" | "cancelled"; task_id: string | null }[],
  replyId: string,
): Promise<void> {
  const { orgId } = caller;
  for (const reminder of reminders) {
    // Read again under the lock: a reminder fired meanwhile has its task now.
    const row = await tx
      .updateTable("follow_ups")
      .set({
        state: sql<
          "waiting" | "fired" | "cancelled"
        >`case when state = 'waiting' then 'cancelled' else state end`,
        reply_id: replyId,
        settled_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", reminder.id)
      .where("reply_id", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) continue;
    await recordAudit(
      tx,
      caller,
      row.state === "cancelled" ? "follow_up.cancelled" : "follow_up.answered",
      {
        type: "follow_up",
        id: row.id,
      },
      { replyId },
    );
    if (row.state === "fired" && row.task_id !== null) await closeTask(tx, caller, row, replyId);
  }
}

async function closeTask(tx: Kysely<DB>, caller: Caller, row: FollowUpRow, replyId: string) {
  const { orgId } = caller;
  const [owner, reply] = await Promise.all([
    tx
      .selectFrom("users")
      .select("language")
      .where("org_id", "=", orgId)
      .where("id", "=", row.owner_id)
      .executeTakeFirst(),
    replyFacts(tx, orgId, replyId),
  ]);
  const note = followUpClosedNote(owner?.language ?? "en", reply.name, reply.occurredAt, row.time_zone);
  const closed = await tx
    .updateTable("tasks")
    .set({
      done_at: sql`now()`,
      notes: sql`case when notes is null or notes = '' then ${note} else notes || ${"\n\n"} || ${note} end`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", row.task_id)
    .where("done_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (closed) {
    await recordAudit(
      tx,
      caller,
      "task.completed",
      { type: "task", id: closed.id },
      { followUp: row.id, replyId },
    );
    await emitEvent(tx, orgId, "task.done", toTask(closed));
  }
}

async function replyFacts(tx: Kysely<DB>, orgId: string, replyId: string) {
  const row = await tx
    .selectFrom("interactions as i")
    .leftJoin("interaction_participants as p", (join) =>
      join.onRef("p.interaction_id", "=", "i.id").on("p.org_id", "=", orgId).on("p.role", "=", "from"),
    )
    .leftJoin("contacts as c", (join) => join.onRef("c.id", "=", "p.contact_id").on("c.org_id", "=", orgId))
    .select(["i.occurred_at", "p.address", "p.name", "c.display_name"])
    .where("i.org_id", "=", orgId)
    .where("i.id", "=", replyId)
    .executeTakeFirstOrThrow();
  return { occurredAt: row.occurred_at, name: row.display_name ?? row.name ?? row.address ?? "" };
}

/**
 * Fires one due reminder, if it still waits and nobody else holds it: the task on its owner's Today and the
 * reminder marked fired, in the caller's transaction, so a crash before the commit leaves it waiting and it fires
 * once, later. `SKIP LOCKED`: another server firing it at this moment is left to it.
 */
export async function fireFollowUp(
  tx: Kysely<DB>,
  orgId: string,
  id: string,
  now: Date,
  claimed?: (id: string) => Promise<void>,
): Promise<boolean> {
  const row = await tx
    .selectFrom("follow_ups")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where("state", "=", "waiting")
    .where("due_at", "<=", now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return false;
  await claimed?.(row.id);
  const about = await tx
    .selectFrom("interactions as s")
    .innerJoin("users as u", (join) => join.on("u.org_id", "=", orgId).on("u.id", "=", row.owner_id))
    .leftJoin("contacts as c", (join) => join.on("c.org_id", "=", orgId).on("c.id", "=", row.contact_id))
    .select(["s.subject", "s.occurred_at", "u.language", "u.deactivated_at", "c.display_name"])
    .select((eb) =>
      eb
        .selectFrom("interaction_participants as p")
        .select(sql<string>`coalesce(p.name, p.address)`.as("name"))
        .where("p.org_id", "=", orgId)
        .whereRef("p.interaction_id", "=", "s.id")
        .where("p.role", "in", ["to", "cc"])
        .orderBy(sql`p.role = 'to'`, "desc")
        .orderBy("p.position")
        .limit(1)
        .as("addressee"),
    )
    .where("s.org_id", "=", orgId)
    .where("s.id", "=", row.interaction_id)
    .executeTakeFirstOrThrow();
  const caller: Caller = { orgId, userId: row.owner_id, email: null };
  if (about.deactivated_at !== null) {
    // Nobody reads a deactivated rep's Today: the reminder ends without a task instead of waiting on for ever.
    await tx
      .updateTable("follow_ups")
      .set({ state: "cancelled", settled_at: sql`now()`, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", row.id)
      .execute();
    await recordAudit(
      tx,
      caller,
      "follow_up.cancelled",
      { type: "follow_up", id: row.id },
      {
        reason: "owner_deactivated",
      },
    );
    return false;
  }
  const language: Language = about.language ?? "en";
  const name = about.display_name ?? about.addressee ?? "";
  const task = await tx
    .insertInto("tasks")
    .values({
      org_id: orgId,
      title: followUpTitle(language, {
        name,
        subject: about.subject ?? "",
        sentAt: about.occurred_at,
        now,
        timeZone: row.time_zone,
      }),
      notes: followUpNotes(language, name, row.days),
      due_at: now,
      assignee_id: row.owner_id,
      contact_id: row.contact_id,
      deal_id: row.deal_id,
      interaction_id: row.interaction_id,
      created_by: row.owner_id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable("follow_ups")
    .set({ state: "fired", task_id: task.id, updated_at: sql`now()` })
    .where("org_id", "=", orgId)
    .where("id", "=", row.id)
    .execute();
  await recordAudit(tx, caller, "follow_up.fired", { type: "follow_up", id: row.id }, { taskId: task.id });
  await recordAudit(tx, caller, "task.created", { type: "task", id: task.id }, { followUp: row.id });
  await emitEvent(tx, orgId, "task.created", toTask(task));
  return true;
}

/**
 * Reminders due by `now`, across organisations (the owner's view), earliest first, after `after` in that order:
 * the loop's work list, read a page at a time.
 */
export async function dueFollowUps(
  db: Kysely<DB>,
  now: Date,
  limit: number,
  after: { dueAt: Date; id: string } | null = null,
) {
  return db
    .selectFrom("follow_ups")
    .select(["id", "org_id", "due_at"])
    .where("state", "=", "waiting")
    .where("due_at", "<=", now)
    .$if(after !== null, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb("due_at", ">", after?.dueAt ?? now),
          eb.and([eb("due_at", "=", after?.dueAt ?? now), eb("id", ">", after?.id ?? "")]),
        ]),
      ),
    )
    .orderBy("due_at")
    .orderBy("id")
    .limit(limit)
    .execute();
}
