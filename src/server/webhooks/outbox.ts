import { type Kysely, sql } from "kysely";
import type { WebhookEventType } from "../../shared/webhooks";
import type { DB } from "../db/tables";

/** The record an event is about: the part of its type before the dot (`deal.won` → deal). */
const recordTypeOf = (type: WebhookEventType): string => type.slice(0, type.indexOf("."));

/**
 * Writes an event to the webhook outbox, in the caller's transaction: it commits with the write that caused it or
 * not at all. Each active endpoint subscribed to the type gets a delivery; an organisation without one pays a
 * single indexed read. Call it after the record's row is written (its lock held), so one record's events are
 * numbered in the order they happened.
 *
 * An erasure also takes the person's data out of the events kept about them (their contact's, and the tasks' and
 * interactions' that name them), delivered or not: what is still to be sent of those goes with the record's id only.
 */
export async function emitEvent(
  tx: Kysely<DB>,
  orgId: string,
  type: WebhookEventType,
  record: { id: string },
  /** The payload (the record as the API answers it), or how to read it: read only when an endpoint takes it. */
  data: object | (() => Promise<object>) = record,
  /** The endpoints that take the type, when the caller read them already (with its other checks). */
  subscribed?: readonly string[],
): Promise<void> {
  const recordType = recordTypeOf(type);
  if (type === "contact.erased")
    await tx
      .updateTable("webhook_events")
      .set({ payload: sql`jsonb_build_object('id', record_id)` })
      .where("org_id", "=", orgId)
      .where((eb) =>
        eb.or([
          eb.and([eb("record_type", "=", "contact"), eb("record_id", "=", record.id)]),
          eb.and([
            eb("record_type", "in", ["interaction", "task"]),
            eb(sql`strpos(payload::text, ${record.id})`, ">", 0),
          ]),
        ]),
      )
      .execute();
  const endpoints =
    subscribed ??
    (
      await tx
        .selectFrom("webhook_endpoints")
        .select("id")
        .where("org_id", "=", orgId)
        .where("active", "=", true)
        .where(sql<boolean>`${type} = any(events)`)
        .execute()
    ).map((endpoint) => endpoint.id);
  if (endpoints.length === 0) return;
  const payload = JSON.stringify(typeof data === "function" ? await data() : data);
  // The event and its deliveries in one statement: a write's event costs one round trip.
  await sql`
    with event as (
      insert into webhook_events (org_id, type, record_type, record_id, payload)
      values (${orgId}, ${type}, ${recordType}, ${record.id}, ${payload}::jsonb)
      returning id, seq
    )
    insert into webhook_deliveries (org_id, endpoint_id, event_id, seq, record_key)
    select ${orgId}::uuid, endpoint.id, event.id, event.seq, ${`${recordType}:${record.id}`}::text
    from event, unnest(${[...endpoints]}::uuid[]) as endpoint(id)`.execute(tx);
}

/** Records read per statement when a bulk write's events are written. */
const EMIT_BATCH = 500;

/**
 * The events of a bulk write (an import): one per record, as emitEvent writes them, read and written a batch at
 * a time, and nothing read at all when no endpoint takes the type.
 */
export async function emitEvents(
  tx: Kysely<DB>,
  orgId: string,
  type: WebhookEventType,
  ids: readonly string[],
  read: (ids: string[]) => Promise<{ id: string }[]>,
): Promise<void> {
  if (ids.length === 0) return;
  const recordType = recordTypeOf(type);
  const endpoints = await tx
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("org_id", "=", orgId)
    .where("active", "=", true)
    .where(sql<boolean>`${type} = any(events)`)
    .execute();
  if (endpoints.length === 0) return;
  for (let i = 0; i < ids.length; i += EMIT_BATCH) {
    const records = await read(ids.slice(i, i + EMIT_BATCH));
    if (records.length === 0) continue;
    const events = await tx
      .insertInto("webhook_events")
      .values(
        records.map((record) => ({
          org_id: orgId,
          type,
          record_type: recordType,
          record_id: record.id,
          payload: JSON.stringify(record),
        })),
      )
      .returning(["id", "seq", "record_id"])
      .execute();
    await tx
      .insertInto("webhook_deliveries")
      .values(
        events.flatMap((event) =>
          endpoints.map((endpoint) => ({
            org_id: orgId,
            endpoint_id: endpoint.id,
            event_id: event.id,
            seq: Number(event.seq),
            record_key: `${recordType}:${event.record_id}`,
          })),
        ),
      )
      .execute();
  }
}
