import { Task, TaskCreate, TaskListQuery, TaskUpdate } from "../tasks";
import { type RouteContract, crud } from "./contract";

const tasks = crud("/api/v1/tasks", "task", Task, TaskCreate, TaskUpdate, TaskListQuery);

/** Tasks and follow-ups. */
export const taskRoutes = {
  listTasks: tasks.list,
  createTask: tasks.create,
  getTask: tasks.get,
  updateTask: tasks.update,
  deleteTask: tasks.remove,
} as const satisfies Record<string, RouteContract>;
