import { z } from "zod";
import { ClientId, Id, IsoDateTime, ListQuery, OptionalText, Version } from "./common";

export const Task = z.object({
  id: Id,
  title: z.string(),
  notes: z.string().nullable(),
  dueAt: IsoDateTime.nullable(),
  done: z.boolean(),
  doneAt: IsoDateTime.nullable(),
  assigneeId: Id.nullable(),
  contactId: Id.nullable(),
  dealId: Id.nullable(),
  /**
   * The logged email the task is about: a no-reply follow-up's (docs/follow-ups.md). Absent reads as none: a task
   * the pane cached, or an older server answered, before tasks had it still parses.
   */
  emailId: Id.nullable().default(null),
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Task = z.infer<typeof Task>;

const taskFields = {
  title: z.string().trim().min(1).max(300),
  notes: OptionalText(5000).optional(),
  contactId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  /** Defaults to the caller. */
  assigneeId: Id.nullable().optional(),
};

export const TaskCreate = z.strictObject({ ...taskFields, id: ClientId, dueAt: IsoDateTime.nullable() });
export type TaskCreate = z.infer<typeof TaskCreate>;

export const TaskUpdate = z.strictObject({
  ...taskFields,
  title: taskFields.title.optional(),
  dueAt: IsoDateTime.nullable().optional(),
  done: z.boolean().optional(),
  version: Version.optional(),
});
export type TaskUpdate = z.infer<typeof TaskUpdate>;

export const TaskListQuery = ListQuery.extend({
  contactId: z.uuid().optional(),
  dealId: z.uuid().optional(),
  /** "open" (default), "done" or "all". */
  status: z.enum(["open", "done", "all"]).default("open"),
  /** Only tasks assigned to the caller. */
  mine: z.enum(["true", "false"]).optional(),
  /** Only tasks assigned to this colleague. */
  assigneeId: z.uuid().optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
