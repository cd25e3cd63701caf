import { z } from "zod";
import { Id, IsoDateTime, Version } from "./common";

/**
 * The events an endpoint can take. Each is written to the outbox in the transaction of the write that causes it;
 * later issues add theirs here.
 */
export const WEBHOOK_EVENTS = [
  "contact.created",
  "contact.updated",
  "contact.merged",
  "contact.erased",
  "company.created",
  "company.updated",
  "company.merged",
  "deal.created",
  "deal.stage_changed",
  "deal.won",
  "deal.lost",
  "interaction.logged",
  "task.created",
  "task.done",
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENTS);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** The headers every delivery carries (lower case, as Node and most frameworks read them). */
export const WEBHOOK_HEADERS = {
  /** The event's id: the same on every attempt and every "send again", so a receiver can drop a duplicate. */
  id: "rapport-event-id",
  type: "rapport-event-type",
  /** The time of this attempt (ISO 8601). */
  timestamp: "rapport-timestamp",
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` */
  signature: "rapport-signature",
} as const;

const MAX_URL_CHARS = 2000;

/**
 * An endpoint's address: http or https, no user or password in it. Whether its host is a private address is the
 * server's to check (it resolves the name), against its configuration.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(MAX_URL_CHARS)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute http or https URL" });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      ctx.addIssue({ code: "custom", message: "must be an http or https URL" });
    else if (url.username || url.password)
      ctx.addIssue({ code: "custom", message: "must not carry a user name or password" });
    else if (url.hash) ctx.addIssue({ code: "custom", message: "must not have a fragment (#)" });
  });

const Events = z
  .array(WebhookEventType)
  .min(1, "subscribe to at least one event")
  .max(WEBHOOK_EVENTS.length)
  .transform((events) => [...new Set(events)]);

export const WebhookEndpoint = z.object({
  id: Id,
  url: z.string(),
  events: z.array(WebhookEventType),
  active: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint) });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookEndpointCreate = z.strictObject({
  url: WebhookUrl,
  events: Events,
  active: z.boolean().optional(),
});
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreate>;

export const WebhookEndpointUpdate = z.strictObject({
  url: WebhookUrl.optional(),
  events: Events.optional(),
  active: z.boolean().optional(),
  /** The version read; the server takes it out (or from If-Match) before the rest is checked. */
  version: Version.optional(),
});
export type WebhookEndpointUpdate = z.infer<typeof WebhookEndpointUpdate>;

/** The endpoint and its signing secret: answered only when the secret is made (creation, rotation), never again. */
export const WebhookEndpointWithSecret = z.object({ endpoint: WebhookEndpoint, secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookDeliveryState = z.enum(["pending", "delivered", "failed"]);
export type WebhookDeliveryState = z.infer<typeof WebhookDeliveryState>;

export const WebhookDelivery = z.object({
  id: Id,
  eventId: Id,
  eventType: z.string(),
  recordType: z.string(),
  recordId: Id,
  state: WebhookDeliveryState,
  attempts: z.number().int(),
  /** The receiver's last HTTP status; null before an attempt or when none answered. */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: IsoDateTime.nullable(),
  /** When it is tried next; null once delivered or given up. */
  nextAttemptAt: IsoDateTime.nullable(),
  deliveredAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = z.object({
  items: z.array(WebhookDelivery),
  nextCursor: z.string().nullable(),
});
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

export const WebhookDeliveryQuery = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const WebhookDeliveryParams = z.strictObject({ id: Id, deliveryId: Id });
