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

const FILTERS = ["q", "status", "assigneeId"] as const;
// The server lists open tasks unless told otherwise; the filter says so instead of "any".
const STATUSES = [
  { value: "done", label: "Done" },
  { value: "all", label: "Open and done" },
];

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
  const { pages, items } = useRecordPages("tasks", query, (q) =>
    api("listTasks", { query: q as Partial<z.input<typeof TaskListQuery>> }),
  );
  const columns: TableColumnDefinition<Task>[] = [
    createTableColumn({
      columnId: "done",
      renderHeaderCell: () => "Done",
      renderCell: (t) => <TaskDone task={t} />,
    }),
    createTableColumn({
      columnId: "title",
      renderHeaderCell: () => "Title",
      renderCell: (t) => <AppLink to={`${TASKS_PATH}/${t.id}`}>{t.title}</AppLink>,
    }),
    createTableColumn({
      columnId: "due",
      renderHeaderCell: () => "Due",
      renderCell: (t) => (t.dueAt ? formatDateTime(t.dueAt, timeZone) : "No date"),
    }),
    createTableColumn({
      columnId: "assignee",
      renderHeaderCell: () => "Assignee",
      renderCell: (t) => users.nameOf(t.assigneeId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title="Tasks"
      create={{ label: "New task", path: `${TASKS_PATH}/${NEW}` }}
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
          <ListSearch label="Search tasks" value={query.q ?? ""} onSearch={(q) => set("q", q)} />
          <FilterDropdown
            label="Status"
            all="Open"
            options={STATUSES}
            value={query.status === "open" ? undefined : query.status}
            onSelect={(v) => set("status", v)}
          />
          <FilterDropdown
            label="Assignee"
            all="Everyone"
            options={users.options}
            value={query.assigneeId}
            onSelect={(v) => set("assigneeId", v)}
          />
        </>
      }
    >
      <RecordTable
        label="Tasks"
        noun="tasks"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? "No task matches these filters." : "No open tasks: all done."}
      />
    </ListPage>
  );
}
