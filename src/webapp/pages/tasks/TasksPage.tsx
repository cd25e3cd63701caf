import { type TableColumnDefinition, createTableColumn } from "@fluentui/react-components";
import type { z } from "zod";
import { type Task, TaskListQuery } from "../../../shared/tasks";
import { formatDateTime } from "../../format";
import { FilterDropdown } from "../../lists/FilterDropdown";
import { ListExportButtons } from "../../lists/ListExportButtons";
import { ListPage } from "../../lists/ListPage";
import { ListSearch } from "../../lists/ListSearch";
import { RecordTable } from "../../lists/RecordTable";
import { acceptedFilters, useUserOptions } from "../../lists/options";
import { useListFilters } from "../../lists/useListFilters";
import { useRecordPages } from "../../lists/useRecordPages";
import type { PageProps } from "../../navigation";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { NEW, TASKS_PATH } from "../paths";
import { TaskDone } from "./TaskDone";
import { NewTask } from "./NewTask";
import { TaskRecord } from "./TaskRecord";
import { useMessages } from "../../i18n/language";
import { taskMessages } from "./task-messages";

const FILTERS = ["q", "status", "assigneeId"] as const;

/** The tasks: a list with its filters and exports, each done in one click, a new task's form, or one task (/app/tasks/<id>). */
export default function TasksPage({ subpath }: PageProps) {
  if (subpath === NEW) return <NewTask />;
  return subpath ? <TaskRecord id={subpath} /> : <TaskList />;
}

function TaskList() {
  const { api, timeZone } = useWebApp();
  const { filters, set, clear } = useListFilters(TASKS_PATH, FILTERS);
  const query = acceptedFilters(TaskListQuery, filters);
  const users = useUserOptions();
  const t = useMessages(taskMessages);
  // The server lists open tasks unless told otherwise; the filter says so instead of "any".
  const statuses = [
    { value: "done", label: t.statusDone },
    { value: "all", label: t.openAndDone },
  ];
  const { pages, items } = useRecordPages("tasks", query, (q) =>
    api("listTasks", { query: q as Partial<z.input<typeof TaskListQuery>> }),
  );
  const columns: TableColumnDefinition<Task>[] = [
    createTableColumn({
      columnId: "done",
      renderHeaderCell: () => t.done,
      renderCell: (task) => <TaskDone task={task} />,
    }),
    createTableColumn({
      columnId: "title",
      renderHeaderCell: () => t.title,
      renderCell: (task) => <AppLink to={`${TASKS_PATH}/${task.id}`}>{task.title}</AppLink>,
    }),
    createTableColumn({
      columnId: "due",
      renderHeaderCell: () => t.due,
      renderCell: (task) => (task.dueAt ? formatDateTime(task.dueAt, timeZone) : t.noDate),
    }),
    createTableColumn({
      columnId: "assignee",
      renderHeaderCell: () => t.assignee,
      renderCell: (task) => users.nameOf(task.assigneeId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title={t.tasks}
      records="tasks"
      create={{ label: t.newTask, path: `${TASKS_PATH}/${NEW}` }}
      filtered={filtered}
      onClear={clear}
      exports={
        <ListExportButtons
          noun="tasks"
          filters={query}
          formats={[
            { route: "exportTasksCsv", label: "CSV" },
            { route: "exportTasksXlsx", label: "XLSX" },
          ]}
        />
      }
      filters={
        <>
          <ListSearch label={t.search} value={query.q ?? ""} onSearch={(q) => set("q", q)} />
          <FilterDropdown
            label={t.status}
            all={t.open}
            options={statuses}
            value={query.status === "open" ? undefined : query.status}
            onSelect={(v) => set("status", v)}
          />
          <FilterDropdown
            label={t.assignee}
            all={t.everyone}
            options={users.options}
            value={query.assigneeId}
            onSelect={(v) => set("assigneeId", v)}
          />
        </>
      }
    >
      <RecordTable
        label={t.tasks}
        noun="tasks"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? t.noneMatch : t.noneOpen}
      />
    </ListPage>
  );
}
