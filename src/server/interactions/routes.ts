import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { linkInteraction, unlinkInteraction } from "./links";
import { logEmail } from "./log-email";
import { recordTimeline, recordTimelinePeople, relationshipGlance } from "./timelines";
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
  addRoute(app, routes.linkInteraction, options, ({ caller, params, body }) =>
    linkInteraction(scope(caller), params.id, body),
  );
  addRoute(app, routes.unlinkInteraction, options, ({ caller, params, query }) =>
    unlinkInteraction(scope(caller), params.id, query),
  );
  addRoute(app, routes.companyTimeline, options, ({ caller, params, query }) =>
    recordTimeline(scope(caller), { type: "company", id: params.id }, query),
  );
  addRoute(app, routes.dealTimeline, options, ({ caller, params, query }) =>
    recordTimeline(scope(caller), { type: "deal", id: params.id }, query),
  );
  addRoute(app, routes.companyTimelinePeople, options, ({ caller, params }) =>
    recordTimelinePeople(scope(caller), { type: "company", id: params.id }),
  );
  addRoute(app, routes.dealTimelinePeople, options, ({ caller, params }) =>
    recordTimelinePeople(scope(caller), { type: "deal", id: params.id }),
  );
  addRoute(app, routes.contactGlance, options, ({ caller, params }) =>
    relationshipGlance(scope(caller), { type: "contact", id: params.id }),
  );
  addRoute(app, routes.companyGlance, options, ({ caller, params }) =>
    relationshipGlance(scope(caller), { type: "company", id: params.id }),
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
