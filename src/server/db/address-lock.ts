import { type Kysely, sql } from "kysely";
import type { DB } from "./tables";

/**
 * Serialises the two writers that meet on an address: logging an email with it and giving it to a contact.
 * Without this, on PostgreSQL each can miss the other's uncommitted rows and the email stays unlinked. Locks are
 * taken in one sorted order so two writers never wait on each other in a circle; they end with the transaction.
 */
export async function lockAddresses(
  tx: Kysely<DB>,
  orgId: string,
  addresses: readonly string[],
): Promise<void> {
  if (addresses.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(k) from (
      select distinct hashtextextended(${orgId} || ':' || a, 0) as k from unnest(${[...addresses]}::text[]) as a
    ) keys order by k`.execute(tx);
}
