import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { listUsers, updateUser } from "./service";

/** The organisation's users and their roles. */
export function userRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listUsers, options, ({ caller }) => listUsers(scope(caller)));
  addRoute(app, routes.updateUser, options, ({ caller, params, body }) =>
    updateUser(scope(caller), params.id, body),
  );
}
