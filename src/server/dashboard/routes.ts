import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { dashboard } from "./service";

export function dashboardRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  addRoute(app, routes.dashboard, options, ({ caller, query }) => dashboard(scope(caller), query, clock()));
}
