import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type { Task, TaskCreate, TaskListQuery, TaskUpdate } from "../../shared/tasks";
import { deleteOwnedRecord, recordAudit } from "../audit";
import type { DB, TaskRow } from "../db/tables";
import { idTaken, notFound, versionConflict } from "../errors";
import { decodeCursor, likePattern, pageOf } from "../http/cursor";
import { type Scope, iso, isoOrNull } from "../scope";
import { currentContactId } from "../duplicates/merge";
import { emitEvent } from "../webhooks/outbox";

export const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  notes: row.notes,
  dueAt: isoOrNull(row.due_at),
  done: row.done_at !== null,
  doneAt: isoOrNull(row.done_at),
  assigneeId: row.assignee_id,
  contactId: row.contact_id,
  dealId: row.deal_id,
  emailId: row.interaction_id,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

// Open tasks come by due date (no date last), so the list reads as a to-do list.
const FAR_FUTURE = "9999-12-31T00:00:00.000Z";

/** The tasks the list's filters match: the list pages them, the export takes them all. */
export function matchingTasks(scope: Scope, query: Omit<TaskListQuery, "cursor" | "limit">) {
  let select = scope.db.selectFrom("tasks as t").selectAll("t").where("t.org_id", "=", scope.caller.orgId);
  if (query.status === "open") select = select.where("t.done_at", "is", null);
  if (query.status === "done") select = select.where("t.done_at", "is not", null);
  if (query.contactId) select = select.where("t.contact_id", "=", query.contactId);
  if (query.dealId) select = select.where("t.deal_id", "=", query.dealId);
  if (query.mine === "true") select = select.where("t.assignee_id", "=", scope.caller.userId);
  if (query.assigneeId) select = select.where("t.assignee_id", "=", query.assigneeId);
  if (query.q) select = select.where("t.title", "ilike", likePattern(query.q));
  return select;
}

export const taskDueKey = sql`coalesce(t.due_at, ${FAR_FUTURE}::timestamptz)`;

export async function listTasks(scope: Scope, query: TaskListQuery) {
  const after = decodeCursor(query.cursor, z.tuple([z.string(), z.uuid()]));
  let select = matchingTasks(scope, query);
  if (after)
    select = select.where(
      sql<boolean>`(${taskDueKey}, t.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`,
    );
  const rows = await select
    .orderBy(taskDueKey)
    .orderBy("t.id")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toTask, (r) => [r.due_at ? iso(r.due_at) : FAR_FUTURE, r.id]);
}

export async function getTask(scope: Scope, id: string): Promise<Task> {
  const row = await findTask(scope.db, scope.caller.orgId, id);
  if (!row) throw notFound("The task");
  return toTask(row);
}

export async function createTask(scope: Scope, input: TaskCreate): Promise<Task> {
  return scope.db.transaction().execute(async (tx) => {
    const replayed = input.id ? await findTask(tx, scope.caller.orgId, input.id) : undefined;
    if (replayed) return toTask(replayed);
    const row = await tx
      .insertInto("tasks")
      .values({
        id: input.id,
        org_id: scope.caller.orgId,
        title: input.title,
        notes: input.notes ?? null,
        due_at: input.dueAt,
        // A contact merged away since the rep made this task (an outbox replay) gives it to the kept contact.
        contact_id: (await currentContactId(tx, scope.caller.orgId, input.contactId)) ?? null,
        deal_id: input.dealId ?? null,
        assignee_id: input.assigneeId === undefined ? scope.caller.userId : input.assigneeId,
        created_by: scope.caller.userId,
      })
      // A twin of this create that committed meanwhile, or an id another organisation holds: told apart below.
      // No conflict target: the twin can collide on the (org_id, id) key as well as on the primary key, and a
      // target of `id` alone let that second collision through as a unique violation (a 500 for a retry).
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const twin = input.id ? await findTask(tx, scope.caller.orgId, input.id) : undefined;
      if (twin) return toTask(twin);
      throw idTaken();
    }
    await recordAudit(tx, scope.caller, "task.created", { type: "task", id: row.id });
    const task = toTask(row);
    await emitEvent(tx, scope.caller.orgId, "task.created", task);
    return task;
  });
}

function findTask(db: Kysely<DB>, orgId: string, id: string) {
  return db
    .selectFrom("tasks")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function updateTask(
  scope: Scope,
  id: string,
  version: number,
  input: TaskUpdate,
): Promise<Task> {
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("tasks")
      .set({
        title: input.title,
        notes: input.notes,
        due_at: input.dueAt,
        contact_id: await currentContactId(tx, scope.caller.orgId, input.contactId),
        deal_id: input.dealId,
        assignee_id: input.assigneeId,
        // Marking done twice keeps the first time it was done.
        done_at: input.done === undefined ? undefined : input.done ? sql`coalesce(done_at, now())` : null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw versionConflict(await getTask({ ...scope, db: tx }, id));
    const action =
      input.done === true ? "task.done" : input.done === false ? "task.reopened" : "task.updated";
    await recordAudit(tx, scope.caller, action, { type: "task", id }, { fields: Object.keys(input) });
    const task = toTask(row);
    // Done now, not before: done_at and updated_at are both this transaction's now() only when it was just done.
    if (input.done === true && row.done_at?.getTime() === row.updated_at.getTime())
      await emitEvent(tx, scope.caller.orgId, "task.done", task);
    return task;
  });
}

export function deleteTask(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return deleteOwnedRecord(scope.db, scope.caller, "tasks", "task", id);
}
