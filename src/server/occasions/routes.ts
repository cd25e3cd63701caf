import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  createOccasionRule,
  deleteOccasionRule,
  getOccasionRule,
  listOccasionMails,
  listOccasionRules,
  setOccasionSending,
  updateOccasionRule,
} from "./service";

export function occasionRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  addRoute(app, routes.listOccasionRules, options, ({ caller }) => listOccasionRules(scope(caller)));
  addRoute(app, routes.createOccasionRule, options, ({ caller, body }) =>
    createOccasionRule(scope(caller), body),
  );
  addRoute(app, routes.getOccasionRule, options, ({ caller, params }) =>
    getOccasionRule(scope(caller), params.id),
  );
  addRoute(app, routes.updateOccasionRule, options, ({ caller, params, body, version }) =>
    updateOccasionRule(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteOccasionRule, options, ({ caller, params }) =>
    deleteOccasionRule(scope(caller), params.id),
  );
  addRoute(app, routes.setOccasionSending, options, ({ caller, params, body }) =>
    setOccasionSending(scope(caller), params.id, body),
  );
  addRoute(app, routes.listOccasionMails, options, ({ caller, query }) =>
    listOccasionMails(scope(caller), query, clock()),
  );
}
