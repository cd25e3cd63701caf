import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { lookupPeople } from "./service";

/** Who the people on an email are: profiles of known addresses, suggestions for unknown ones. */
export function peopleRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.lookupPeople, options, ({ caller, query }) =>
    lookupPeople(scope(caller), query.email),
  );
}
