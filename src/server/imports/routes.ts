import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { contactsTable, contactsVCards } from "./export";
import { commitImport, previewImport } from "./service";

/**
 * Importing is a rep's everyday work, as creating contacts one by one is: members may import too. The import's
 * audit event names who did it, and one file is all or nothing.
 */
export function importRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.previewImport, options, ({ caller, body }) => previewImport(scope(caller), body));
  addRoute(app, routes.commitImport, options, ({ caller, body, progress }) =>
    commitImport(scope(caller), body, progress),
  );
  addRoute(app, routes.exportContactsCsv, options, ({ caller, query }) =>
    contactsTable(scope(caller), query),
  );
  addRoute(app, routes.exportContactsXlsx, options, ({ caller, query }) =>
    contactsTable(scope(caller), query),
  );
  addRoute(app, routes.exportContactsVcf, options, ({ caller, query }) =>
    contactsVCards(scope(caller), query),
  );
}
