import type { FastifyInstance, FastifyRequest } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { getSenderProfile, renderTemplateFor, updateSenderProfile } from "./render";
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  templateStats,
  updateTemplate,
} from "./service";

export function templateRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
  publicUrl: string | null,
): void {
  // Survey links in a rendered template: on the public address, else the origin the rep reached (see ratings/routes).
  const linkBase = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;
  addRoute(app, routes.listTemplates, options, ({ caller, query }) => listTemplates(scope(caller), query));
  addRoute(app, routes.createTemplate, options, ({ caller, body }) => createTemplate(scope(caller), body));
  addRoute(app, routes.getTemplate, options, ({ caller, params }) => getTemplate(scope(caller), params.id));
  addRoute(app, routes.updateTemplate, options, ({ caller, params, body, version }) =>
    updateTemplate(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteTemplate, options, ({ caller, params }) =>
    deleteTemplate(scope(caller), params.id),
  );
  addRoute(app, routes.renderTemplate, options, ({ caller, params, body, request }) =>
    renderTemplateFor(scope(caller), params.id, body, clock(), linkBase(request)),
  );
  addRoute(app, routes.templateStats, options, ({ caller, params }) =>
    templateStats(scope(caller), params.id),
  );
  addRoute(app, routes.getSenderProfile, options, ({ caller }) => getSenderProfile(scope(caller)));
  addRoute(app, routes.updateSenderProfile, options, ({ caller, body }) =>
    updateSenderProfile(scope(caller), body),
  );
}
