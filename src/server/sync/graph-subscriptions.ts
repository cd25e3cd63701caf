import { z } from "zod";
import type { TenantTokens } from "./client-credentials";
import { GraphFailure, graphClients, timedGraphCall } from "./graph-client";

/** What a mailbox is subscribed to: its messages (every folder) and its calendar's events. */
export type SubscribedResource = "messages" | "events";

export const SUBSCRIBED_RESOURCES: readonly SubscribedResource[] = ["messages", "events"];

/**
 * What wakes a run. A message only when it is created (in the Inbox, or its copy in Sent Items): its later changes
 * (read, flagged, moved) log nothing new and would each cost a run. A meeting also when it is moved or cancelled,
 * which changes its interaction.
 */
const CHANGE_TYPES: Record<SubscribedResource, string> = {
  messages: "created",
  events: "created,updated,deleted",
};

/** Graph's path of a resource of a mailbox (the same user id the delta reads with). */
export const resourcePath = (graphUserId: string, resource: SubscribedResource): string =>
  `/users/${encodeURIComponent(graphUserId)}/${resource}`;

const Subscription = z.looseObject({
  id: z.string().min(1).max(200),
  expirationDateTime: z.string(),
});

export interface SubscriptionRequest {
  resource: SubscribedResource;
  notificationUrl: string;
  expiresAt: Date;
  /** The secret Graph repeats on every notification of this subscription. */
  clientState: string;
}

/** Microsoft Graph's subscriptions: create (Graph validates the notification URL first), renew, delete. */
export interface GraphSubscriptions {
  create(
    tenantId: string,
    graphUserId: string,
    request: SubscriptionRequest,
  ): Promise<{ id: string; expiresAt: Date }>;
  /** A new expiry; renewing also reauthorises a subscription Graph asked to reauthorise. */
  renew(tenantId: string, subscriptionId: string, expiresAt: Date): Promise<{ expiresAt: Date }>;
  /** Deleted at Graph; one Graph no longer knows (404) counts as deleted. */
  remove(tenantId: string, subscriptionId: string): Promise<void>;
}

/**
 * Subscriptions through the Graph client library, with the same middleware as the delta reads (graph-client.ts):
 * the token only for `graphUrl`'s host, throttling retried within the request when Graph's wait is short.
 */
export function createGraphSubscriptions(options: {
  graphUrl: string;
  tokens: TenantTokens;
  /** How long one request may take (Graph's own validation call to us is part of a create). */
  timeoutMs?: number;
}): GraphSubscriptions {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { clientFor } = graphClients({ graphUrl: options.graphUrl, tokens: options.tokens, retries: 2 });
  const call = <T>(what: string, request: () => Promise<T>): Promise<T> =>
    timedGraphCall(request, timeoutMs, what);

  return {
    async create(tenantId, graphUserId, request) {
      const body: unknown = await call(
        "Subscribing",
        () =>
          clientFor(tenantId)
            .api("/subscriptions")
            .post({
              changeType: CHANGE_TYPES[request.resource],
              notificationUrl: request.notificationUrl,
              lifecycleNotificationUrl: request.notificationUrl,
              resource: resourcePath(graphUserId, request.resource),
              expirationDateTime: request.expiresAt.toISOString(),
              clientState: request.clientState,
            }) as Promise<unknown>,
      );
      const created = Subscription.parse(body);
      return { id: created.id, expiresAt: new Date(created.expirationDateTime) };
    },
    async renew(tenantId, subscriptionId, expiresAt) {
      const body: unknown = await call(
        "Renewing a subscription",
        () =>
          clientFor(tenantId)
            .api(`/subscriptions/${encodeURIComponent(subscriptionId)}`)
            .patch({ expirationDateTime: expiresAt.toISOString() }) as Promise<unknown>,
      );
      return { expiresAt: new Date(Subscription.parse(body).expirationDateTime) };
    },
    async remove(tenantId, subscriptionId) {
      try {
        await call(
          "Unsubscribing",
          () =>
            clientFor(tenantId)
              .api(`/subscriptions/${encodeURIComponent(subscriptionId)}`)
              .delete() as Promise<unknown>,
        );
      } catch (error) {
        if (error instanceof GraphFailure && error.status === 404) return;
        throw error;
      }
    },
  };
}
