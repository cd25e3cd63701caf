import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { companiesTable, dealsTable, notesTable, tasksTable } from "./lists";

/** Each list's CSV and XLSX come from one table builder, so the two files always hold the same rows. */
export function listExportRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  for (const contract of [routes.exportCompaniesCsv, routes.exportCompaniesXlsx])
    addRoute(app, contract, options, ({ caller, query }) => companiesTable(scope(caller), query));
  for (const contract of [routes.exportDealsCsv, routes.exportDealsXlsx])
    addRoute(app, contract, options, ({ caller, query }) => dealsTable(scope(caller), query));
  for (const contract of [routes.exportTasksCsv, routes.exportTasksXlsx])
    addRoute(app, contract, options, ({ caller, query }) => tasksTable(scope(caller), query));
  for (const contract of [routes.exportNotesCsv, routes.exportNotesXlsx])
    addRoute(app, contract, options, ({ caller, query }) => notesTable(scope(caller), query));
}
