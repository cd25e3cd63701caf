import type { Task } from "../../../shared/tasks";
import { useLinkedNames } from "../../lists/linked-records";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, dateTimeField, linkField, textField } from "../../lists/record-fields";
import { useWebApp } from "../../services";
import { useMessages } from "../../i18n/language";
import { taskMessages } from "./task-messages";

/** A task's fields (its contact and deal among them) as its page and the new task's form show them; the due time in the user's time zone. */
export function useTaskFields(): FieldSpec<Task>[] {
  const { timeZone } = useWebApp();
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  const words = useMessages(taskMessages);
  return [
    textField("title", words.title, (t) => t.title, { required: true }),
    dateTimeField("dueAt", words.due, (t) => t.dueAt, timeZone),
    textField("notes", words.notes, (t) => t.notes, { input: "textarea" }),
    choiceField("assigneeId", words.assignee, users.options, (t) => t.assigneeId),
    linkField("contactId", words.contact, { kind: "contact" }, (t) => t.contactId, nameOf),
    linkField("dealId", words.deal, { kind: "deal" }, (t) => t.dealId, nameOf),
  ];
}
