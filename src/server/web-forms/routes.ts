import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { embedOf } from "./public";
import { createWebForm, deleteWebForm, getWebForm, listLeads, listWebForms, updateWebForm } from "./service";

export function webFormRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listWebForms, options, ({ caller }) => listWebForms(scope(caller)));
  addRoute(app, routes.createWebForm, options, ({ caller, body }) => createWebForm(scope(caller), body));
  addRoute(app, routes.getWebForm, options, ({ caller, params }) => getWebForm(scope(caller), params.id));
  addRoute(app, routes.updateWebForm, options, ({ caller, params, version, body }) =>
    updateWebForm(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteWebForm, options, ({ caller, params }) =>
    deleteWebForm(scope(caller), params.id),
  );
  addRoute(app, routes.webFormEmbed, options, async ({ caller, params, query, request }) =>
    embedOf(scope(caller), params.id, query.lang, request),
  );
  addRoute(app, routes.listLeads, options, ({ caller, query }) => listLeads(scope(caller), query));
}
