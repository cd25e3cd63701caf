import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { me } from "./me";
import { getOrganization, updateLoggingPolicy, updateOrganization } from "./service";

/**
 * The organisation: its name and internal domains, what it logs by itself, and `/me`, the caller with their
 * organisation. `adminAppRole` is the Entra app role that makes an admin, null where nobody signs in with Entra.
 */
export function organizationRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  adminAppRole: string | null,
): void {
  addRoute(app, routes.me, options, ({ caller }) => me(scope(caller), adminAppRole));
  addRoute(app, routes.getOrganization, options, ({ caller }) =>
    getOrganization(scope(caller).db, caller.orgId),
  );
  addRoute(app, routes.updateOrganization, options, ({ caller, body, version }) =>
    updateOrganization(scope(caller), version, body),
  );
  addRoute(app, routes.updateLoggingPolicy, options, ({ caller, body }) =>
    updateLoggingPolicy(scope(caller), body),
  );
}
