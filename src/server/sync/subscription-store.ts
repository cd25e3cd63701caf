import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { DB, GraphSubscriptionsTable } from "../db/tables";
import type { Selectable } from "kysely";
import type { DueMailbox } from "./mailbox-store";
import type { SubscribedResource } from "./graph-subscriptions";

export type SubscriptionRow = Selectable<GraphSubscriptionsTable>;

/** What is kept of a clientState secret: its SHA-256 (the secret is 32 random bytes, so no salt is needed). */
export const hashClientState = (secret: string): Buffer =>
  createHash("sha256").update(secret, "utf8").digest();

export async function subscriptionsOf(
  db: Kysely<DB>,
  m: Pick<DueMailbox, "orgId" | "userId">,
): Promise<SubscriptionRow[]> {
  return db
    .selectFrom("graph_subscriptions")
    .selectAll()
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .execute();
}

/** A subscription made at Graph, replacing the mailbox's earlier one of the same resource. */
export async function saveSubscription(
  db: Kysely<DB>,
  m: Pick<DueMailbox, "orgId" | "userId">,
  resource: SubscribedResource,
  made: { subscriptionId: string; clientStateHash: Buffer; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("graph_subscriptions")
    .values({
      org_id: m.orgId,
      user_id: m.userId,
      resource,
      subscription_id: made.subscriptionId,
      client_state_hash: made.clientStateHash,
      expires_at: made.expiresAt,
    })
    .onConflict((oc) =>
      oc.columns(["org_id", "user_id", "resource"]).doUpdateSet({
        subscription_id: made.subscriptionId,
        client_state_hash: made.clientStateHash,
        expires_at: made.expiresAt,
        renew_now: false,
        created_at: sql<Date>`now()`,
        renewed_at: null,
      }),
    )
    .execute();
}

export async function markRenewed(
  db: Kysely<DB>,
  row: Pick<SubscriptionRow, "org_id" | "id">,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable("graph_subscriptions")
    .set({ expires_at: expiresAt, renew_now: false, renewed_at: sql<Date>`now()` })
    .where("org_id", "=", row.org_id)
    .where("id", "=", row.id)
    .execute();
}

export async function deleteSubscription(
  db: Kysely<DB>,
  row: Pick<SubscriptionRow, "org_id" | "id">,
): Promise<void> {
  await db
    .deleteFrom("graph_subscriptions")
    .where("org_id", "=", row.org_id)
    .where("id", "=", row.id)
    .execute();
}

/**
 * Subscriptions whose mailbox is no longer synced (disabled, opted out, no longer "every mailbox"), or every
 * subscription when notifications are off: to be deleted at Graph and here. With what the tenant needs.
 */
export async function subscriptionsToDrop(
  db: Kysely<DB>,
  all: boolean,
): Promise<
  (SubscriptionRow & {
    email: string | null;
    external_id: string;
    tenant_id: string;
    internal_domains: string[];
  })[]
> {
  let query = db
    .selectFrom("graph_subscriptions as s")
    .innerJoin("mailboxes as m", (join) =>
      join.onRef("m.org_id", "=", "s.org_id").onRef("m.user_id", "=", "s.user_id"),
    )
    .innerJoin("users as u", (join) =>
      join.onRef("u.org_id", "=", "s.org_id").onRef("u.id", "=", "s.user_id"),
    )
    .innerJoin("organizations as o", "o.id", "s.org_id")
    .selectAll("s")
    .select(["u.email", "u.external_id", "o.tenant_id", "o.internal_domains"]);
  if (!all)
    query = query.where((eb) =>
      eb.or([
        eb("m.opted_out", "=", true),
        eb.and([
          eb("m.enabled", "=", false),
          eb(sql<boolean>`coalesce((o.logging_policy->>'syncAllMailboxes')::boolean, false)`, "=", false),
        ]),
      ]),
    );
  return query.execute();
}

/** The owner's view: a notification names only Graph's subscription id, not an organisation. */
export async function findSubscription(
  db: Kysely<DB>,
  subscriptionId: string,
): Promise<SubscriptionRow | null> {
  return (
    (await db
      .selectFrom("graph_subscriptions")
      .selectAll()
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirst()) ?? null
  );
}

/** True the first time a notification's digest is seen for the subscription; false for the same one again. */
export async function recordReceipt(
  db: Kysely<DB>,
  row: Pick<SubscriptionRow, "org_id" | "id">,
  digest: Buffer,
): Promise<boolean> {
  const inserted = await db
    .insertInto("graph_notification_receipts")
    .values({ org_id: row.org_id, subscription_id: row.id, digest })
    .onConflict((oc) => oc.columns(["subscription_id", "digest"]).doNothing())
    .returning("digest")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function requestRenewal(
  db: Kysely<DB>,
  row: Pick<SubscriptionRow, "org_id" | "id">,
): Promise<void> {
  await db
    .updateTable("graph_subscriptions")
    .set({ renew_now: true })
    .where("org_id", "=", row.org_id)
    .where("id", "=", row.id)
    .execute();
}

/**
 * Asks for a run of the mailbox. A run already asked for and not started yet stays the one (the earliest time is
 * kept): any number of notifications before a run starts make that one run.
 */
export async function wakeMailbox(db: Kysely<DB>, orgId: string, userId: string): Promise<void> {
  await db
    .updateTable("mailboxes")
    .set({ wake_at: sql<Date>`coalesce(wake_at, now())` })
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .execute();
}

/** Forgets a wake no run can answer (a mailbox these credentials cannot read). */
export async function clearWake(db: Kysely<DB>, m: Pick<DueMailbox, "orgId" | "userId">): Promise<void> {
  await db
    .updateTable("mailboxes")
    .set({ wake_at: null })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .execute();
}

/** Receipts older than a day: Graph retries a notification for at most four hours. */
export async function pruneReceipts(db: Kysely<DB>): Promise<void> {
  await db
    .deleteFrom("graph_notification_receipts")
    .where("received_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
}
