import type { Kysely } from "kysely";
import type { DB } from "./db/tables";

/** The organisation's own mail domains: mail among them is internal, and they never suggest a company. */
export async function internalDomainsOf(db: Kysely<DB>, orgId: string): Promise<string[]> {
  const org = await db
    .selectFrom("organizations")
    .select("internal_domains")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return org.internal_domains;
}
