import { type Kysely, sql } from "kysely";

// The delivery loop takes endpoints in turn (a dead receiver's backlog must not hold every other organisation's
// deliveries behind it), so it asks, per endpoint, for its deliveries due now: this index answers that from the
// due ones alone, not from every pending delivery of the endpoint (thousands, waiting for their retries).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index webhook_deliveries_endpoint_due on webhook_deliveries (endpoint_id, next_attempt_at, seq)
      where state = 'pending';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index webhook_deliveries_endpoint_due`.execute(db);
}
