import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { createDeal, deleteDeal, getDeal, listDeals, moveDealToStage, updateDeal } from "./service";

export function dealRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listDeals, options, ({ caller, query }) => listDeals(scope(caller), query));
  addRoute(app, routes.createDeal, options, ({ caller, body }) => createDeal(scope(caller), body));
  addRoute(app, routes.getDeal, options, ({ caller, params }) => getDeal(scope(caller), params.id));
  addRoute(app, routes.updateDeal, options, ({ caller, params, body, version }) =>
    updateDeal(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteDeal, options, ({ caller, params }) => deleteDeal(scope(caller), params.id));
  addRoute(app, routes.moveDealToStage, options, ({ caller, params, body }) =>
    moveDealToStage(scope(caller), params.id, body),
  );
}
