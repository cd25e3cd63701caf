import type { Task } from "../../../shared/tasks";
import { useLinkedNames } from "../../lists/linked-records";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, dateTimeField, linkField, textField } from "../../lists/record-fields";
import { useWebApp } from "../../services";

/** A task's fields (its contact and deal among them) as its page and the new task's form show them; the due time in the user's time zone. */
export function useTaskFields(): FieldSpec<Task>[] {
  const { timeZone } = useWebApp();
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  return [
    textField("title", "Title", (t) => t.title, { required: true }),
    dateTimeField("dueAt", "Due", (t) => t.dueAt, timeZone),
    textField("notes", "Notes", (t) => t.notes, { input: "textarea" }),
    choiceField("assigneeId", "Assignee", users.options, (t) => t.assigneeId),
    linkField("contactId", "Contact", { kind: "contact" }, (t) => t.contactId, nameOf),
    linkField("dealId", "Deal", { kind: "deal" }, (t) => t.dealId, nameOf),
  ];
}
