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
  // The organisation's lock, shared, first (an import holds it exclusively, and these writers wait for it), then
  // the addresses' in key order: one statement, whose locks PostgreSQL takes in the sorted order (a select list's
  // volatile calls run after its sort).
  await sql`
    select case when shared then pg_advisory_xact_lock_shared(k) else pg_advisory_xact_lock(k) end
    from (
      select ${organizationKey(orgId)} as k, true as shared, 0 as turn
      union all
      select distinct hashtextextended(${orgId} || ':' || a, 0), false, 1 from unnest(${[...addresses]}::text[]) as a
    ) keys
    order by turn, k`.execute(tx);
}

const organizationKey = (orgId: string) => sql`hashtextextended(${`rapport.addresses:${orgId}`}, 0)`;

/**
 * Every address of the organisation at once, until the transaction ends: an import, which may give 100,000
 * addresses to contacts, could not take one lock each (PostgreSQL's lock table holds a few thousand). Writers of
 * single addresses hold the same lock shared, so they wait for the import and it waits for them; two imports take
 * turns, and the second sees the first's contacts as duplicates.
 */
export async function lockOrganizationAddresses(tx: Kysely<DB>, orgId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${organizationKey(orgId)})`.execute(tx);
}
