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
  // The organisation's lock, shared, first: an import holds it exclusively, and these writers wait for it.
  await sql`select pg_advisory_xact_lock_shared(${organizationKey(orgId)})`.execute(tx);
  await sql`
    select pg_advisory_xact_lock(k) from (
      select distinct hashtextextended(${orgId} || ':' || a, 0) as k from unnest(${[...addresses]}::text[]) as a
    ) keys order by k`.execute(tx);
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
