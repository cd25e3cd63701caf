import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { deleteTag, listTags, renameTag } from "./service";

export function tagRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listTags, options, ({ caller }) => listTags(scope(caller)));
  addRoute(app, routes.renameTag, options, ({ caller, params, body }) =>
    renameTag(scope(caller), params.tag, body.name),
  );
  addRoute(app, routes.deleteTag, options, ({ caller, params }) => deleteTag(scope(caller), params.tag));
}
