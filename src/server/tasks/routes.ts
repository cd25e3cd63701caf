import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { createTask, deleteTask, getTask, listTasks, updateTask } from "./service";

export function taskRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listTasks, options, ({ caller, query }) => listTasks(scope(caller), query));
  addRoute(app, routes.createTask, options, ({ caller, body }) => createTask(scope(caller), body));
  addRoute(app, routes.getTask, options, ({ caller, params }) => getTask(scope(caller), params.id));
  addRoute(app, routes.updateTask, options, ({ caller, params, body, version }) =>
    updateTask(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteTask, options, ({ caller, params }) => deleteTask(scope(caller), params.id));
}
