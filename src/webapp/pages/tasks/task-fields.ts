import type { Task } from "../../../shared/tasks";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, dateTimeField, textField } from "../../lists/record-fields";
import { useWebApp } from "../../services";

/** A task's fields as its page and the new task's form show them; the due time in the user's time zone. */
export function useTaskFields(): FieldSpec<Task>[] {
  const { timeZone } = useWebApp();
  const users = useUserOptions();
  return [
    textField("title", "Title", (t) => t.title, { required: true }),
    dateTimeField("dueAt", "Due", (t) => t.dueAt, timeZone),
    textField("notes", "Notes", (t) => t.notes, { input: "textarea" }),
    choiceField("assigneeId", "Assignee", users.options, (t) => t.assigneeId),
  ];
}
