import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import { followingMerges } from "../duplicates/merge";
import type { Scope } from "../scope";
import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from "./service";

export function companyRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listCompanies, options, ({ caller, query }) => listCompanies(scope(caller), query));
  addRoute(app, routes.createCompany, options, ({ caller, body }) => createCompany(scope(caller), body));
  // A merged-away company's id answers 301 to the kept company (docs/api.md, "Merging").
  addRoute(app, routes.getCompany, options, ({ caller, params }) =>
    followingMerges(scope(caller), "company", params.id, () => getCompany(scope(caller), params.id)),
  );
  addRoute(app, routes.updateCompany, options, ({ caller, params, body, version }) =>
    followingMerges(scope(caller), "company", params.id, () =>
      updateCompany(scope(caller), params.id, version, body),
    ),
  );
  addRoute(app, routes.deleteCompany, options, ({ caller, params }) =>
    deleteCompany(scope(caller), params.id),
  );
}
