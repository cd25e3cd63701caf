import type { z } from "zod";
import { Task, type TaskUpdate } from "../../../shared/tasks";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { TASKS_PATH } from "../paths";
import { TaskDone } from "./TaskDone";
import { useTaskFields } from "./task-fields";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { listMessages } from "../../lists/list-messages";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { taskMessages } from "./task-messages";

/** One task: done or not, and its title, due time, notes, assignee, contact and deal, to edit. */
export function TaskRecord({ id }: { id: string }) {
  const { api, timeZone } = useWebApp();
  const { record, saved } = useRecord("task", "tasks", id, () => api("getTask", { params: { id } }));
  const fields = useTaskFields();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  const words = useMessages(taskMessages);
  return (
    <RecordLoad record={record} noun="task">
      {(task) => (
        <RecordLayout listPath={TASKS_PATH} listLabel={kinds.taskAll} title={task.title}>
          <Section
            title={
              task.dueAt
                ? translate(words.dueOn, { date: formatDateTime(task.dueAt, timeZone) })
                : words.noDueDate
            }
          >
            <TaskDone task={task} />
          </Section>
          <Section title={t.details}>
            <RecordEditor
              label={translate(t.editRecord, { name: task.title })}
              record={task}
              fields={fields}
              // The form sends the contract's field names; the server checks the values.
              save={(body) => api("updateTask", { params: { id }, body: body as z.input<typeof TaskUpdate> })}
              parseCurrent={(value) => Task.safeParse(value).data ?? null}
              onRecord={saved}
            />
          </Section>
        </RecordLayout>
      )}
    </RecordLoad>
  );
}
