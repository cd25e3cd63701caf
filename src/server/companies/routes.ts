import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import { followingMerges, refusingMerged } from "../duplicates/merge";
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
  // A write to it answers 409 naming the kept company, never 301: a client following a redirect would apply a
  // change made against the merged-away company to the kept one.
  addRoute(app, routes.updateCompany, options, ({ caller, params, body, version }) =>
    refusingMerged(scope(caller), "company", params.id, () =>
      updateCompany(scope(caller), params.id, version, body),
    ),
  );
  addRoute(app, routes.deleteCompany, options, ({ caller, params }) =>
    refusingMerged(scope(caller), "company", params.id, () => deleteCompany(scope(caller), params.id)),
  );
}
