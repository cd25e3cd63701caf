import { createHmac, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { normalizeEmailAddress } from "../../shared/email-address";
import type { DB } from "../db/tables";

/*
 * The addresses of the people an organisation erased, kept as digests (migration 0034 says why a keyed one) so
 * that what Rapport captures by itself never records them again: the calendar capture reads the same month of
 * meetings every day, and would otherwise put an erased attendee back on every meeting they shared with a contact
 * who stays. What a rep logs by hand is theirs to log (docs/api.md, "Erasure").
 */

/** The organisation's key, made at its first erasure; two erasures making it at once keep the one stored. */
async function erasureKey(db: Kysely<DB>, orgId: string, make: boolean): Promise<Buffer | null> {
  const read = async () =>
    (await db.selectFrom("erasure_keys").select("key").where("org_id", "=", orgId).executeTakeFirst())?.key ??
    null;
  const existing = await read();
  if (existing || !make) return existing;
  await db
    .insertInto("erasure_keys")
    .values({ org_id: orgId, key: randomBytes(32) })
    .onConflict((oc) => oc.column("org_id").doNothing())
    .execute();
  const made = await read();
  if (!made) throw new Error("the organisation's erasure key was not kept");
  return made;
}

/** Canonical, so "Anna@Müller.example" and "anna@xn--mller-kva.example" are one address; null: not an address. */
const canonical = (address: string) => normalizeEmailAddress(address.trim());

const digestOf = (key: Buffer, address: string) => createHmac("sha256", key).update(address, "utf8").digest();

/** Keeps the erased person's addresses (canonical or as written) out of every later capture. */
export async function rememberErasedAddresses(
  tx: Kysely<DB>,
  orgId: string,
  addresses: readonly string[],
): Promise<void> {
  const unique = [...new Set(addresses.map(canonical).filter((a): a is string => a !== null))];
  if (unique.length === 0) return;
  const key = await erasureKey(tx, orgId, true);
  if (!key) return;
  await tx
    .insertInto("erased_addresses")
    .values(unique.map((address) => ({ org_id: orgId, digest: digestOf(key, address) })))
    .onConflict((oc) => oc.columns(["org_id", "digest"]).doNothing())
    .execute();
}

/**
 * Which of these canonical addresses belong to someone the organisation erased and who is not a contact again. A
 * person a rep adds back (by hand or by an import: they came back, or gave their consent again) is recorded like
 * any contact, so the list never needs lifting by hand. One read of the key, one of the digests by the primary key
 * and, when any is found, one of the contacts' addresses, whatever the number of addresses.
 */
export async function erasedAmong(
  db: Kysely<DB>,
  orgId: string,
  addresses: readonly string[],
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const key = await erasureKey(db, orgId, false);
  if (!key) return new Set();
  const byDigest = new Map<string, string>();
  for (const address of new Set(addresses)) {
    const normal = canonical(address);
    if (normal !== null) byDigest.set(digestOf(key, normal).toString("hex"), address);
  }
  if (byDigest.size === 0) return new Set();
  const found = await db
    .selectFrom("erased_addresses")
    .select("digest")
    .where("org_id", "=", orgId)
    .where(
      "digest",
      "in",
      [...byDigest.keys()].map((hex) => Buffer.from(hex, "hex")),
    )
    .execute();
  const erased = found.flatMap((row) => byDigest.get(row.digest.toString("hex")) ?? []);
  if (erased.length === 0) return new Set();
  const canonicalOf = new Map(erased.map((address) => [canonical(address) ?? address, address]));
  const back = await db
    .selectFrom("contact_emails")
    .select("address")
    .where("org_id", "=", orgId)
    .where("address", "in", [...canonicalOf.keys()])
    .execute();
  for (const row of back) canonicalOf.delete(row.address);
  return new Set(canonicalOf.values());
}
