import { Deleted, IdParams } from "../common";
import {
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointList,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
} from "../webhooks";
import type { RouteContract } from "./contract";

/**
 * Outbound webhooks (admins only): the endpoints events are delivered to, their signing secrets (shown once, at
 * creation and rotation), and each endpoint's recent deliveries with "send again".
 */
export const webhookRoutes = {
  listWebhookEndpoints: {
    method: "GET",
    path: "/api/v1/webhooks",
    summary: "The organisation's webhook endpoints (admins only; secrets are never listed)",
    responses: { 200: WebhookEndpointList },
  },
  createWebhookEndpoint: {
    method: "POST",
    path: "/api/v1/webhooks",
    summary:
      "Register a webhook endpoint (admins only): a private, loopback or link-local host is refused unless the server allows it; the answer holds the signing secret, shown this once",
    body: WebhookEndpointCreate,
    responses: { 201: WebhookEndpointWithSecret },
  },
  getWebhookEndpoint: {
    method: "GET",
    path: "/api/v1/webhooks/:id",
    summary: "Read a webhook endpoint (admins only)",
    params: IdParams,
    responses: { 200: WebhookEndpoint },
  },
  updateWebhookEndpoint: {
    method: "PATCH",
    path: "/api/v1/webhooks/:id",
    summary: "Change a webhook endpoint's URL, events or active flag (admins only; stale version: 409)",
    versioned: true,
    params: IdParams,
    body: WebhookEndpointUpdate,
    responses: { 200: WebhookEndpoint },
  },
  deleteWebhookEndpoint: {
    method: "DELETE",
    path: "/api/v1/webhooks/:id",
    summary: "Delete a webhook endpoint and its deliveries (admins only)",
    params: IdParams,
    responses: { 200: Deleted },
  },
  rotateWebhookSecret: {
    method: "POST",
    path: "/api/v1/webhooks/:id/secret",
    summary:
      "Replace an endpoint's signing secret (admins only); the answer holds the new one, shown this once",
    params: IdParams,
    responses: { 200: WebhookEndpointWithSecret },
  },
  listWebhookDeliveries: {
    method: "GET",
    path: "/api/v1/webhooks/:id/deliveries",
    summary: "An endpoint's deliveries, newest first (admins only)",
    params: IdParams,
    query: WebhookDeliveryQuery,
    responses: { 200: WebhookDeliveryList },
  },
  resendWebhookDelivery: {
    method: "POST",
    path: "/api/v1/webhooks/:id/deliveries/:deliveryId/resend",
    summary:
      "Send a delivery again (admins only): the same event id, tried at once and retried as a new delivery would be",
    params: WebhookDeliveryParams,
    responses: { 200: WebhookDelivery },
  },
} as const satisfies Record<string, RouteContract>;
