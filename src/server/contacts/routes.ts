import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { followingMerges, refusingMerged } from "../duplicates/merge";
import { contactTimeline } from "../people/service";
import { createContact, deleteContact, getContact, listContacts, updateContact } from "./service";

export function contactRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listContacts, options, ({ caller, query }) => listContacts(scope(caller), query));
  addRoute(app, routes.createContact, options, ({ caller, body }) => createContact(scope(caller), body));
  // A merged-away contact's id answers 301 to the kept contact (docs/api.md, "Merging").
  addRoute(app, routes.getContact, options, ({ caller, params }) =>
    followingMerges(scope(caller), "contact", params.id, () => getContact(scope(caller), params.id)),
  );
  // A write to it answers 409 naming the kept contact, never 301: a client following a redirect would apply a
  // change made against the merged-away contact to the kept one.
  addRoute(app, routes.updateContact, options, ({ caller, params, body, version }) =>
    refusingMerged(scope(caller), "contact", params.id, () =>
      updateContact(scope(caller), params.id, version, body),
    ),
  );
  addRoute(app, routes.deleteContact, options, ({ caller, params }) =>
    refusingMerged(scope(caller), "contact", params.id, () => deleteContact(scope(caller), params.id)),
  );
  addRoute(app, routes.contactTimeline, options, ({ caller, params, query }) =>
    contactTimeline(scope(caller), params.id, query),
  );
}
