import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { contactTimeline } from "../people/service";
import { createContact, deleteContact, getContact, listContacts, updateContact } from "./service";

export function contactRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listContacts, options, ({ caller, query }) => listContacts(scope(caller), query));
  addRoute(app, routes.createContact, options, ({ caller, body }) => createContact(scope(caller), body));
  addRoute(app, routes.getContact, options, ({ caller, params }) => getContact(scope(caller), params.id));
  addRoute(app, routes.updateContact, options, ({ caller, params, body, version }) =>
    updateContact(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteContact, options, ({ caller, params }) =>
    deleteContact(scope(caller), params.id),
  );
  addRoute(app, routes.contactTimeline, options, ({ caller, params, query }) =>
    contactTimeline(scope(caller), params.id, query),
  );
}
