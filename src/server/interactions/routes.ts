import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { logEmail } from "./log-email";
import { createNote, deleteNote, getInteraction, listNotes, updateNote } from "./service";

export function interactionRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.logEmail, options, async ({ caller, body, setStatus }) => {
    const logged = await logEmail(scope(caller), body);
    setStatus(logged.created ? 201 : 200);
    return logged;
  });
  addRoute(app, routes.getEmail, options, ({ caller, params }) =>
    getInteraction(scope(caller).db, caller, params.id, "email"),
  );
  addRoute(app, routes.listNotes, options, ({ caller, query }) => listNotes(scope(caller), query));
  addRoute(app, routes.createNote, options, ({ caller, body }) => createNote(scope(caller), body));
  addRoute(app, routes.getNote, options, ({ caller, params }) =>
    getInteraction(scope(caller).db, caller, params.id, "notes"),
  );
  addRoute(app, routes.updateNote, options, ({ caller, params, body, version }) =>
    updateNote(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteNote, options, ({ caller, params }) => deleteNote(scope(caller), params.id));
}
