import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { mergeCompanies, mergeContacts } from "./merge";
import { dismissDuplicate, listCompanyDuplicates, listContactDuplicates } from "./service";

export function duplicateRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listContactDuplicates, options, ({ caller, query }) =>
    listContactDuplicates(scope(caller), query),
  );
  addRoute(app, routes.listCompanyDuplicates, options, ({ caller, query }) =>
    listCompanyDuplicates(scope(caller), query),
  );
  addRoute(app, routes.dismissContactDuplicate, options, ({ caller, body }) =>
    dismissDuplicate(scope(caller), "contact", body.ids),
  );
  addRoute(app, routes.dismissCompanyDuplicate, options, ({ caller, body }) =>
    dismissDuplicate(scope(caller), "company", body.ids),
  );
  addRoute(app, routes.mergeContacts, options, ({ caller, params, body, version }) =>
    mergeContacts(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.mergeCompanies, options, ({ caller, params, body, version }) =>
    mergeCompanies(scope(caller), params.id, version, body),
  );
}
