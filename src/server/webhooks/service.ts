import { randomBytes } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import { z } from "zod";
import type {
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointList,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from "../../shared/webhooks";
import { recordAudit } from "../audit";
import type { DB, WebhookDeliveriesTable, WebhookEndpointsTable } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { decodeCursor, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";
import { refusedHost } from "./address";

const WHAT = "manages webhooks";

/** What the server's configuration says about the endpoints admins may register. */
export interface WebhookSettings {
  /** Private, loopback and link-local hosts are taken (a receiver on the same network; the tests). */
  allowPrivate: boolean;
}

/** 256 random bits: `whsec_` then base64url, so a secret is recognisable wherever it is pasted. */
const newSecret = (): string => `whsec_${randomBytes(32).toString("base64url")}`;

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventType[],
    active: row.active,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

async function checkUrl(url: string, settings: WebhookSettings): Promise<void> {
  const refused = await refusedHost(new URL(url), settings.allowPrivate);
  if (refused)
    throw new AppError(
      "invalid_request",
      400,
      `The endpoint's host is refused: ${refused}. The server's configuration can allow private addresses (RAPPORT_WEBHOOKS_ALLOW_PRIVATE).`,
      { errors: [{ path: "body.url", message: refused }] },
    );
}

async function findEndpoint(db: Kysely<DB>, orgId: string, id: string) {
  const row = await db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("The webhook endpoint");
  return row;
}

export async function listWebhookEndpoints(scope: Scope): Promise<WebhookEndpointList> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  const rows = await scope.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", scope.caller.orgId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return { items: rows.map(toEndpoint) };
}

export async function getWebhookEndpoint(scope: Scope, id: string): Promise<WebhookEndpoint> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  return toEndpoint(await findEndpoint(scope.db, scope.caller.orgId, id));
}

export async function createWebhookEndpoint(
  scope: Scope,
  input: WebhookEndpointCreate,
  settings: WebhookSettings,
): Promise<WebhookEndpointWithSecret> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  // Resolved before the transaction: a slow name server holds no connection of the store.
  await checkUrl(input.url, settings);
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const secret = newSecret();
    const row = await tx
      .insertInto("webhook_endpoints")
      .values({
        org_id: scope.caller.orgId,
        url: input.url,
        events: input.events,
        secret,
        active: input.active ?? true,
        created_by: scope.caller.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, scope.caller, "webhook.created", { type: "webhook", id: row.id }, { url: row.url });
    return { endpoint: toEndpoint(row), secret };
  });
}

export async function updateWebhookEndpoint(
  scope: Scope,
  id: string,
  version: number,
  input: WebhookEndpointUpdate,
  settings: WebhookSettings,
): Promise<WebhookEndpoint> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  await findEndpoint(scope.db, scope.caller.orgId, id);
  if (input.url !== undefined) await checkUrl(input.url, settings);
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await tx
      .updateTable("webhook_endpoints")
      .set({
        url: input.url,
        events: input.events,
        active: input.active,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw versionConflict(toEndpoint(await findEndpoint(tx, scope.caller.orgId, id)));
    await recordAudit(
      tx,
      scope.caller,
      "webhook.updated",
      { type: "webhook", id },
      { fields: Object.keys(input) },
    );
    return toEndpoint(row);
  });
}

export async function deleteWebhookEndpoint(
  scope: Scope,
  id: string,
): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await tx
      .deleteFrom("webhook_endpoints")
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw notFound("The webhook endpoint");
    await recordAudit(tx, scope.caller, "webhook.deleted", { type: "webhook", id });
    return { id, deleted: true as const };
  });
}

/** A new secret at once: deliveries from now on are signed with it (the receiver must take it before they come). */
export async function rotateWebhookSecret(scope: Scope, id: string): Promise<WebhookEndpointWithSecret> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const secret = newSecret();
    const row = await tx
      .updateTable("webhook_endpoints")
      .set({ secret, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound("The webhook endpoint");
    await recordAudit(tx, scope.caller, "webhook.secret_rotated", { type: "webhook", id });
    return { endpoint: toEndpoint(row), secret };
  });
}

type DeliveryRow = Selectable<WebhookDeliveriesTable> & {
  type: string;
  record_type: string;
  record_id: string;
};

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.type,
    recordType: row.record_type,
    recordId: row.record_id,
    state: row.state,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at ? iso(row.last_attempt_at) : null,
    nextAttemptAt: row.state === "pending" ? iso(row.next_attempt_at) : null,
    deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
    createdAt: iso(row.created_at),
  };
}

function selectDeliveries(db: Kysely<DB>, orgId: string, endpointId: string) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", (j) =>
      j.onRef("e.id", "=", "d.event_id").onRef("e.org_id", "=", "d.org_id"),
    )
    .selectAll("d")
    .select(["e.type", "e.record_type", "e.record_id"])
    .where("d.org_id", "=", orgId)
    .where("d.endpoint_id", "=", endpointId);
}

const DeliveryCursor = z.tuple([z.number().int()]);

export async function listWebhookDeliveries(
  scope: Scope,
  endpointId: string,
  query: { cursor?: string; limit: number },
): Promise<WebhookDeliveryList> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  await findEndpoint(scope.db, scope.caller.orgId, endpointId);
  const after = decodeCursor(query.cursor, DeliveryCursor);
  let select = selectDeliveries(scope.db, scope.caller.orgId, endpointId);
  if (after) select = select.where("d.seq", "<", after[0]);
  const rows = await select
    .orderBy("d.seq", "desc")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toDelivery, (r) => [Number(r.seq)]);
}

/**
 * Sends a delivery again, whatever became of it: due at once with a fresh count of attempts and the same event id.
 * Its record's later events wait behind it again, so the receiver still sees them in order.
 */
export async function resendWebhookDelivery(
  scope: Scope,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const updated = await tx
      .updateTable("webhook_deliveries")
      .set({
        state: "pending",
        attempts: 0,
        next_attempt_at: sql`now()`,
        delivered_at: null,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("endpoint_id", "=", endpointId)
      .where("id", "=", deliveryId)
      .returning("id")
      .executeTakeFirst();
    if (!updated) throw notFound("The delivery");
    await recordAudit(
      tx,
      scope.caller,
      "webhook.resent",
      { type: "webhook", id: endpointId },
      { deliveryId },
    );
    const row = await selectDeliveries(tx, scope.caller.orgId, endpointId)
      .where("d.id", "=", deliveryId)
      .executeTakeFirstOrThrow();
    return toDelivery(row);
  });
}
