import { useState } from "react";
import type { z } from "zod";
import { TaskCreate } from "../../../shared/tasks";
import { NewRecordPage } from "../../lists/NewRecordPage";
import { RecordCreator } from "../../lists/RecordCreator";
import { useWebApp } from "../../services";
import { TASKS_PATH } from "../paths";
import { useTaskFields } from "./task-fields";

/** A new task's form (/app/tasks/new), assigned to the user unless they choose otherwise. */
export function NewTask() {
  const { api } = useWebApp();
  const fields = useTaskFields();
  // The task's id is chosen here, once: trying again after a lost answer finds the task instead of adding another.
  const [id] = useState(() => crypto.randomUUID());
  return (
    <NewRecordPage title="New task" listPath={TASKS_PATH} listLabel="All tasks">
      {(me) => (
        <RecordCreator
          label="New task"
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
