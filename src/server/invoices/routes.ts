import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { importAccountingFile } from "./import";
import { companyAccount, listCompanyInvoices, upsertAccountingRecords } from "./service";

export function invoiceRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  addRoute(app, routes.upsertAccountingRecords, options, ({ caller, body }) =>
    upsertAccountingRecords(scope(caller), body),
  );
  addRoute(app, routes.importAccountingFile, options, ({ caller, body }) =>
    importAccountingFile(scope(caller), body),
  );
  addRoute(app, routes.listCompanyInvoices, options, ({ caller, params, query }) =>
    listCompanyInvoices(scope(caller), params.id, query),
  );
  addRoute(app, routes.getCompanyAccount, options, ({ caller, params, query }) =>
    companyAccount(scope(caller), params.id, query, clock()),
  );
}
