import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  type WebhookSettings,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "./service";

export function webhookRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  settings: WebhookSettings,
): void {
  addRoute(app, routes.listWebhookEndpoints, options, ({ caller }) => listWebhookEndpoints(scope(caller)));
  addRoute(app, routes.createWebhookEndpoint, options, ({ caller, body }) =>
    createWebhookEndpoint(scope(caller), body, settings),
  );
  addRoute(app, routes.getWebhookEndpoint, options, ({ caller, params }) =>
    getWebhookEndpoint(scope(caller), params.id),
  );
  addRoute(app, routes.updateWebhookEndpoint, options, ({ caller, params, body, version }) =>
    updateWebhookEndpoint(scope(caller), params.id, version, body, settings),
  );
  addRoute(app, routes.deleteWebhookEndpoint, options, ({ caller, params }) =>
    deleteWebhookEndpoint(scope(caller), params.id),
  );
  addRoute(app, routes.rotateWebhookSecret, options, ({ caller, params }) =>
    rotateWebhookSecret(scope(caller), params.id),
  );
  addRoute(app, routes.listWebhookDeliveries, options, ({ caller, params, query }) =>
    listWebhookDeliveries(scope(caller), params.id, query),
  );
  addRoute(app, routes.resendWebhookDelivery, options, ({ caller, params }) =>
    resendWebhookDelivery(scope(caller), params.id, params.deliveryId),
  );
}
