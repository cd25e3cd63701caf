import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../db/tables";

/**
 * The organisation's link key, made the first time it is needed. Two servers making the first link at once both
 * insert; the loser's row is dropped by the conflict and both read the one that stayed, so no link is ever signed
 * with a key the store does not keep.
 */
export async function ratingKey(db: Kysely<DB>, orgId: string): Promise<Buffer> {
  const existing = await findRatingKey(db, orgId);
  if (existing) return existing;
  await db
    .insertInto("rating_keys")
    .values({ org_id: orgId, key: randomBytes(32) })
    .onConflict((oc) => oc.column("org_id").doNothing())
    .execute();
  const made = await findRatingKey(db, orgId);
  if (!made) throw new Error("the organisation's rating key was not kept");
  return made;
}

/** The key, or null for an organisation that never made a link (or does not exist). */
export async function findRatingKey(db: Kysely<DB>, orgId: string): Promise<Buffer | null> {
  const row = await db.selectFrom("rating_keys").select("key").where("org_id", "=", orgId).executeTakeFirst();
  return row?.key ?? null;
}
