import { useState } from "react";
import type { z } from "zod";
import { TaskCreate } from "../../../shared/tasks";
import { NewRecordPage } from "../../lists/NewRecordPage";
import { RecordCreator } from "../../lists/RecordCreator";
import { useWebApp } from "../../services";
import { TASKS_PATH } from "../paths";
import { useTaskFields } from "./task-fields";
import { useMessages } from "../../i18n/language";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { taskMessages } from "./task-messages";

/** A new task's form (/app/tasks/new), assigned to the user unless they choose otherwise. */
export function NewTask() {
  const { api } = useWebApp();
  const fields = useTaskFields();
  const t = useMessages(taskMessages);
  const kinds = useMessages(recordKindMessages);
  // The task's id is chosen here, once: trying again after a lost answer finds the task instead of adding another.
  const [id] = useState(() => crypto.randomUUID());
  return (
    <NewRecordPage title={t.newTask} listPath={TASKS_PATH} listLabel={kinds.taskAll}>
      {(me) => (
        <RecordCreator
          label={t.newTask}
          noun="task"
          fields={fields}
          initial={{ assigneeId: me.user.id }}
          // The contract asks for the due time even when there is none.
          always={{ id, dueAt: null }}
          schema={TaskCreate}
          // The form sends the contract's field names; the schema and then the server check the values.
          create={(body) => api("createTask", { body: body as z.input<typeof TaskCreate> })}
          kind="task"
          list="tasks"
          listPath={TASKS_PATH}
        />
      )}
    </NewRecordPage>
  );
}
