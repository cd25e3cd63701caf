import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import { getOrganization, updateOrganization } from "../organizations";
import type { Scope } from "../scope";
import { listUsers, updateUser } from "./service";

/** The organisation's own settings and its users' roles. */
export function organizationRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.getOrganization, options, ({ caller }) =>
    getOrganization(scope(caller).db, caller.orgId),
  );
  addRoute(app, routes.updateOrganization, options, ({ caller, body, version }) =>
    updateOrganization(scope(caller), version, body),
  );
  addRoute(app, routes.listUsers, options, ({ caller }) => listUsers(scope(caller)));
  addRoute(app, routes.updateUser, options, ({ caller, params, body }) =>
    updateUser(scope(caller), params.id, body),
  );
}
