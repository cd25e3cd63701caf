import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from "./service";

export function customFieldRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listCustomFields, options, ({ caller, query }) =>
    listCustomFields(scope(caller), query.entity),
  );
  addRoute(app, routes.createCustomField, options, ({ caller, body }) =>
    createCustomField(scope(caller), body),
  );
  addRoute(app, routes.updateCustomField, options, ({ caller, params, body, version }) =>
    updateCustomField(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteCustomField, options, ({ caller, params }) =>
    deleteCustomField(scope(caller), params.id),
  );
}
