import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../db/database";
import type { DB } from "../db/tables";
import { periodicRun } from "../periodic-run";
import { type SendResult, sendDelivery } from "./send";

export interface WebhookDeliveryConfig {
  intervalSeconds: number;
  /** Private, loopback and link-local receivers are reached (the configuration's RAPPORT_WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** The longest a receiver has to answer one attempt. */
  timeoutMs: number;
  /** The wait after the first failure; each further failure doubles it (with jitter), up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Attempts before a delivery is given up (failed); "send again" starts a fresh count. */
  maxAttempts: number;
  /** Deliveries in flight at once, per server. */
  concurrency: number;
}

export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliveryConfig = {
  intervalSeconds: 5,
  allowPrivate: false,
  timeoutMs: 10_000,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 3600_000,
  maxAttempts: 12,
  concurrency: 4,
};

export interface WebhookReport {
  delivered: number;
  retrying: number;
  failed: number;
}

export interface WebhookWorker {
  /** Delivers everything due now (retries that come due meanwhile included); resolves when nothing is left due. */
  runOnce(): Promise<WebhookReport>;
  start(): void;
  stop(): Promise<void>;
}

export interface WebhookWorkerDeps {
  /** The owner's view: every organisation's deliveries; each statement names the rows it touches. */
  database: Pick<Database, "db">;
  config: WebhookDeliveryConfig;
  clock?: () => Date;
  /** 0 ≤ x < 1, for the back-off's jitter. */
  random?: () => number;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /** The store is this process's alone (PGlite): a lease found at start is a crashed run's, freed at once. */
  exclusiveStore?: boolean;
}

/**
 * Delivered and given-up deliveries are kept this long for Settings to show, then removed with their events; a
 * pending one nothing touched for as long is given up.
 */
const KEEP_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/**
 * The loop that delivers webhooks from the outbox. Every server runs one; they share the work through the store.
 * A delivery is claimed with FOR UPDATE SKIP LOCKED in a short transaction that counts the attempt and takes a
 * lease longer than one attempt can last; the POST is made after it commits, holding no connection of the store
 * (PGlite has only one). A server killed mid-attempt leaves the lease to run out (at once on the embedded store,
 * which only this process opens) and the delivery is tried again: at least once, with the same event id.
 *
 * One record's deliveries to one endpoint go in order: one is due only when no earlier one of its record is still
 * pending (in flight, or waiting for its retry).
 */
export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const { db } = deps.database;
  const { config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const workerId = randomUUID();
  // Longer than an attempt can last (its timer covers the answer too) and its settling: a lease that ran out while
  // its server still worked would let another server send the same delivery at once.
  const leaseMs = config.timeoutMs * 2 + 5000;
  let leasesFreed = !deps.exclusiveStore;
  let prunedAt = 0;

  // Turns, per organisation and per endpoint: when this server last claimed a delivery of each, and how many of
  // each endpoint's it has in flight. A claim goes to the endpoint with the fewest in flight whose organisation,
  // then itself, waited longest: a dead receiver with thousands of due deliveries (each an attempt that times out)
  // holds at most its turn, never every lane until its backlog is through while other organisations' wait.
  const orgTurns = new Map<string, number>();
  const endpointTurns = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let turn = 0;

  /** Deliveries of one endpoint that may be sent now: due, not leased, and no earlier one of their record pending. */
  function dueDeliveries(tx: Kysely<DB>, now: Date) {
    return tx
      .selectFrom("webhook_deliveries as d")
      .where("d.state", "=", "pending")
      .where("d.next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("d.lease_until", "is", null), eb("d.lease_until", "<", now)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("webhook_deliveries as earlier")
              .select(sql`1`.as("one"))
              .whereRef("earlier.endpoint_id", "=", "d.endpoint_id")
              .whereRef("earlier.record_key", "=", "d.record_key")
              .where("earlier.state", "=", "pending")
              .whereRef("earlier.seq", "<", "d.seq"),
          ),
        ),
      );
  }

  async function claim(): Promise<{ id: string; endpointId: string } | null> {
    // The endpoint this lane counts in flight while it asks the store for one of its deliveries: counted before
    // the question, so a lane choosing meanwhile (on PostgreSQL, at once on a connection of its own) sees it taken.
    let reserved: string | null = null;
    try {
      return await db.transaction().execute(async (tx) => {
        const now = clock();
        // The endpoints with something to send (an index probe each), then theirs in turn.
        const endpoints = await tx
          .selectFrom("webhook_endpoints as w")
          .select(["w.id", "w.org_id"])
          .where("w.active", "=", true)
          .where(({ exists }) =>
            exists(
              dueDeliveries(tx, now)
                .select(sql`1`.as("one"))
                .where(sql<boolean>`d.endpoint_id = w.id`),
            ),
          )
          .execute();
        const order = (e: { id: string; org_id: string }) => [
          inFlight.get(e.id) ?? 0,
          orgTurns.get(e.org_id) ?? -1,
          endpointTurns.get(e.id) ?? -1,
        ];
        const byTurn = (a: { id: string; org_id: string }, b: { id: string; org_id: string }) => {
          const [x, y] = [order(a), order(b)];
          for (let i = 0; i < x.length; i++)
            if ((x[i] as number) !== (y[i] as number)) return (x[i] as number) - (y[i] as number);
          return 0;
        };
        const tried = new Set<string>();
        for (;;) {
          // Chosen again from what the other lanes have taken meanwhile.
          const endpoint = endpoints.filter((e) => !tried.has(e.id)).sort(byTurn)[0];
          if (!endpoint) return null;
          tried.add(endpoint.id);
          const before = [orgTurns.get(endpoint.org_id), endpointTurns.get(endpoint.id)] as const;
          turn += 1;
          const mine = turn;
          orgTurns.set(endpoint.org_id, mine);
          endpointTurns.set(endpoint.id, mine);
          inFlight.set(endpoint.id, (inFlight.get(endpoint.id) ?? 0) + 1);
          reserved = endpoint.id;
          const row = await dueDeliveries(tx, now)
            .select("d.id")
            .where("d.endpoint_id", "=", endpoint.id)
            .orderBy("d.next_attempt_at")
            .orderBy("d.seq")
            .limit(1)
            .forUpdate("d")
            .skipLocked()
            .executeTakeFirst();
          if (!row) {
            // Another server (or lane) took its last due delivery meanwhile: no turn had, the next endpoint's.
            landed(endpoint.id);
            reserved = null;
            restoreTurn(orgTurns, endpoint.org_id, mine, before[0]);
            restoreTurn(endpointTurns, endpoint.id, mine, before[1]);
            continue;
          }
          // The attempt's time is now, when it starts, not the choosing's: its back-off is counted from it.
          const started = clock();
          await tx
            .updateTable("webhook_deliveries")
            .set((eb) => ({
              lease_owner: workerId,
              lease_until: new Date(started.getTime() + leaseMs),
              attempts: eb("attempts", "+", 1),
              last_attempt_at: started,
              updated_at: started,
            }))
            .where("id", "=", row.id)
            .execute();
          return { id: row.id, endpointId: endpoint.id };
        }
      });
    } catch (error) {
      if (reserved) landed(reserved);
      throw error;
    }
  }

  function restoreTurn(
    turns: Map<string, number>,
    key: string,
    mine: number,
    value: number | undefined,
  ): void {
    // Only if no other lane took a turn of it meanwhile.
    if (turns.get(key) !== mine) return;
    if (value === undefined) turns.delete(key);
    else turns.set(key, value);
  }

  /** This delivery is no longer in flight here (settled, or failed to settle: its lease runs out). */
  function landed(endpointId: string): void {
    const left = (inFlight.get(endpointId) ?? 1) - 1;
    if (left > 0) inFlight.set(endpointId, left);
    else inFlight.delete(endpointId);
  }

  /** The wait before attempt n + 1: base · 2^(n-1), capped, then between half and all of it (jitter). */
  const backoff = (attempts: number) =>
    Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.max(0, attempts - 1)) *
    (0.5 + random() / 2);

  async function settle(id: string, attempts: number, result: SendResult): Promise<keyof WebhookReport> {
    const now = clock();
    const outcome: keyof WebhookReport = result.ok
      ? "delivered"
      : attempts >= config.maxAttempts
        ? "failed"
        : "retrying";
    await db
      .updateTable("webhook_deliveries")
      .set({
        state: outcome === "retrying" ? "pending" : outcome,
        last_status: result.status,
        last_error: result.ok ? null : result.error.slice(0, 1000),
        delivered_at: result.ok ? now : null,
        next_attempt_at: outcome === "retrying" ? new Date(now.getTime() + backoff(attempts)) : now,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
      })
      .where("id", "=", id)
      .where("lease_owner", "=", workerId)
      .execute();
    return outcome;
  }

  async function deliver(id: string, report: WebhookReport): Promise<void> {
    const row = await db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_events as e", "e.id", "d.event_id")
      .innerJoin("webhook_endpoints as w", "w.id", "d.endpoint_id")
      .select(["d.attempts", "e.id as event_id", "e.type", "e.payload", "e.occurred_at", "w.url", "w.secret"])
      .where("d.id", "=", id)
      .executeTakeFirst();
    if (!row) return; // its endpoint was deleted meanwhile
    const body = JSON.stringify({
      id: row.event_id,
      type: row.type,
      occurredAt: row.occurred_at.toISOString(),
      data: row.payload,
    });
    const result = await sendDelivery(
      { url: row.url, secret: row.secret, eventId: row.event_id, eventType: row.type, body, at: clock() },
      { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate },
    );
    const outcome = await settle(id, row.attempts, result);
    report[outcome] += 1;
    if (!result.ok)
      deps.logger?.warn(
        { delivery: id, event: row.event_id, attempts: row.attempts, error: result.error, outcome },
        "a webhook delivery failed",
      );
  }

  async function prune(): Promise<void> {
    if (clock().getTime() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = clock().getTime();
    const now = clock();
    const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000);
    // A delivery nothing touched for as long (never attempted: a receiver that answers nothing, with more events
    // due than the lanes can try, leaves them waiting) is given up, so the outbox stays bounded; "send again"
    // still can.
    await db
      .updateTable("webhook_deliveries")
      .set({
        state: "failed",
        last_error: `not delivered within ${KEEP_DAYS} days`,
        next_attempt_at: now,
        updated_at: now,
      })
      .where("state", "=", "pending")
      .where("updated_at", "<", before)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .execute();
    await db
      .deleteFrom("webhook_deliveries")
      .where("state", "in", ["delivered", "failed"])
      .where("updated_at", "<", before)
      .execute();
    await db
      .deleteFrom("webhook_events as e")
      .where("e.occurred_at", "<", before)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("webhook_deliveries as d")
              .select(sql`1`.as("one"))
              .whereRef("d.event_id", "=", "e.id"),
          ),
        ),
      )
      .execute();
  }

  async function runOnce(): Promise<WebhookReport> {
    const report: WebhookReport = { delivered: 0, retrying: 0, failed: 0 };
    if (!leasesFreed) {
      await db
        .updateTable("webhook_deliveries")
        .set({ lease_owner: null, lease_until: null })
        .where("lease_until", "is not", null)
        .execute();
      leasesFreed = true;
    }
    const lane = async () => {
      for (;;) {
        if (loop.stopping) return;
        const claimed = await claim();
        if (!claimed) return;
        try {
          await deliver(claimed.id, report);
        } catch (error) {
          // Its lease runs out and it is tried again; one bad delivery must not stop the others.
          deps.logger?.error(
            { delivery: claimed.id, err: String(error) },
            "a webhook delivery could not be settled",
          );
        } finally {
          landed(claimed.endpointId);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, lane));
    await prune();
    return report;
  }

  const loop = periodicRun({
    intervalMs: config.intervalSeconds * 1000,
    run: runOnce,
    done: (report) => {
      if (report.delivered + report.failed > 0) deps.logger?.info(report, "webhooks delivered");
    },
    failed: (error) => deps.logger?.error({ err: String(error) }, "webhook run failed; the next one retries"),
  });
  return { runOnce: loop.runOnce, start: loop.start, stop: loop.stop };
}
