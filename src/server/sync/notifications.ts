import { createHash, timingSafeEqual } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { clientKey } from "../accounts/throttle";
import { NOTIFICATION_PATH } from "../config";
import type { Database } from "../db/database";
import { AppError } from "../errors";
import {
  deleteSubscription,
  findSubscription,
  hashClientState,
  recordReceipt,
  requestRenewal,
  type SubscriptionRow,
  wakeMailbox,
} from "./subscription-store";
import type { Wakeups } from "./wakeups";

// Microsoft Graph's change and lifecycle notifications: public and without a caller by design (Graph signs in
// as nobody). What makes a notification ours is its subscription id (a row of graph_subscriptions) and the
// clientState secret made for that subscription alone, compared as hashes in constant time. An accepted
// notification does no Graph work here: it marks its mailbox for a run (mailboxes.wake_at, which every server's
// worker polls) and tells this process's worker, then the answer goes (Graph wants one within 3 seconds).

export interface NotificationLimits {
  /** Posts per minute from one client address (an IPv6 client's /64); Graph's own come from few addresses. */
  perIpPerMinute: number;
}

export const DEFAULT_NOTIFICATION_LIMITS: NotificationLimits = { perIpPerMinute: 1200 };

/** Graph batches notifications; this is far above a batch of a busy tenant and caps what one post makes us read. */
export const NOTIFICATION_BODY_LIMIT = 256 * 1024;
/**
 * Graph sends a few notifications a post (tens under load); the cap bounds what one unauthenticated post can make
 * us look up, with each subscription looked up once however often it appears.
 */
export const MAX_NOTIFICATIONS = 50;
/** Graph's validation tokens are a few hundred characters; echoing one back is all the handshake is. */
const MAX_VALIDATION_TOKEN = 4096;

const Notification = z.looseObject({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(256).nullish(),
  changeType: z.string().max(100).nullish(),
  resource: z.string().max(2000).nullish(),
  subscriptionExpirationDateTime: z.string().max(100).nullish(),
  tenantId: z.string().max(100).nullish(),
  lifecycleEvent: z.string().max(100).nullish(),
  resourceData: z
    .looseObject({ id: z.string().max(2000).nullish(), "@odata.etag": z.string().max(200).nullish() })
    .nullish(),
});
type Notification = z.infer<typeof Notification>;
const Batch = z.object({ value: z.array(Notification).max(MAX_NOTIFICATIONS) });

export type Outcome = "accepted" | "duplicate" | "refused";

/**
 * What makes two deliveries the same notification: Graph resends one it thinks was not received, and a replay
 * copies it. The etag changes with each change of the item, so two real changes of one message are two.
 */
function digestOf(n: Notification): Buffer {
  return createHash("sha256")
    .update(
      JSON.stringify([
        n.subscriptionId,
        n.changeType ?? null,
        n.resource ?? null,
        n.resourceData?.id ?? null,
        n.resourceData?.["@odata.etag"] ?? null,
        n.lifecycleEvent ?? null,
        n.subscriptionExpirationDateTime ?? null,
      ]),
    )
    .digest();
}

/**
 * Each notification's subscription, or null at the first one that is not ours (an unknown subscription, or a
 * clientState that is not its secret): nothing after it is looked up, and the post is refused whole. Graph never
 * mixes a forged notification into its batches; whoever does gets one lookup per post, not one per entry.
 */
export async function authenticate(
  database: Database,
  batch: readonly Notification[],
): Promise<Map<string, SubscriptionRow> | null> {
  const rows = new Map<string, SubscriptionRow>();
  for (const n of batch) {
    let row: SubscriptionRow | null | undefined = rows.get(n.subscriptionId);
    if (row === undefined) row = await findSubscription(database.db, n.subscriptionId);
    // Compared even without a row, so an unknown subscription takes as long as a wrong secret.
    const expected = row?.client_state_hash ?? Buffer.alloc(32);
    const matches = timingSafeEqual(hashClientState(n.clientState ?? ""), expected);
    if (!row || !matches) return null;
    rows.set(n.subscriptionId, row);
  }
  return rows;
}

/** One notification of an authenticated batch, with its subscription's row. */
export async function handleNotification(
  database: Database,
  row: SubscriptionRow,
  n: Notification,
): Promise<Exclude<Outcome, "refused">> {
  // Everything after the lookup runs behind the subscription's organisation's wall.
  const walled = database.forOrganization(row.org_id);
  if (!(await recordReceipt(walled, row, digestOf(n)))) return "duplicate";
  if (n.lifecycleEvent === "reauthorizationRequired") await requestRenewal(walled, row);
  // Graph dropped it: forgotten here, and the run below subscribes the mailbox again.
  else if (n.lifecycleEvent === "subscriptionRemoved") await deleteSubscription(walled, row);
  // A change, or "missed" (Graph could not deliver some): the delta run reads whatever there is either way.
  await wakeMailbox(walled, row.org_id, row.user_id);
  return "accepted";
}

export async function notificationRoutes(
  app: FastifyInstance,
  database: Database,
  limits: NotificationLimits,
  wakeups: Wakeups | null,
): Promise<void> {
  if (!app.hasDecorator("createRateLimit")) await app.register(rateLimit, { global: false });
  const keyOf = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: limits.perIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `graph-notifications:${keyOf.get(request) ?? ""}`,
  });

  await app.register(async (scope) => {
    // Graph's validation request is a text/plain post with an empty body.
    scope.addContentTypeParser("text/plain", { parseAs: "string", bodyLimit: 1024 }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(NOTIFICATION_PATH, { bodyLimit: NOTIFICATION_BODY_LIMIT }, async (request, reply) => {
      keyOf.set(request, clientKey(request.ip));
      const limit = await check(request);
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header("retry-after", String(limit.ttlInSeconds));
        throw new AppError(
          "rate_limited",
          429,
          `Too many notifications; try again in ${limit.ttlInSeconds} s.`,
        );
      }
      const validationToken = (request.query as { validationToken?: unknown } | undefined)?.validationToken;
      if (validationToken !== undefined) {
        if (
          typeof validationToken !== "string" ||
          validationToken.length === 0 ||
          validationToken.length > MAX_VALIDATION_TOKEN
        )
          throw new AppError("invalid_request", 400, "The validation token is not one Graph sends.");
        // The handshake: the token back as plain text, which no browser may read as anything else.
        return reply
          .status(200)
          .header("content-type", "text/plain; charset=utf-8")
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "no-store")
          .send(validationToken);
      }
      const batch = Batch.safeParse(request.body);
      if (!batch.success)
        throw new AppError("invalid_request", 400, "The body is not a Graph notification batch.");
      // Every entry is checked before any is acted on: a post with one that is not ours changes nothing.
      const rows = await authenticate(database, batch.data.value);
      if (rows === null)
        throw new AppError(
          "forbidden",
          403,
          "A notification of the batch does not belong to a subscription of this server.",
        );
      let accepted = 0;
      let duplicates = 0;
      for (const n of batch.data.value) {
        const row = rows.get(n.subscriptionId);
        if (!row) continue; // unreachable: authenticate returned a row for every entry
        const outcome = await handleNotification(database, row, n);
        if (outcome === "accepted") accepted += 1;
        else duplicates += 1;
      }
      if (accepted > 0) wakeups?.notify();
      // A duplicate came with the right secret: it is acknowledged (so Graph stops resending it) and does nothing.
      request.log.debug({ accepted, duplicates }, "graph notifications");
      return reply.status(202).send();
    });
  });
}
