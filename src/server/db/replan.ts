import { type Kysely, sql } from "kysely";
import type { DB } from "./tables";

/**
 * Call after a transaction has written thousands of rows to a table that others reference, before writing those
 * others. PostgreSQL checks each foreign key with a plan it keeps for the session; one made while the referenced
 * table was small may scan it whole, and nothing replans it when the table grows inside a transaction. Checking
 * 100,000 addresses against 100,000 contacts that way never ends (seen on PGlite, whose one session lives as long
 * as the server). Discarding the session's plans makes the next check plan against the table as it now is.
 */
export async function replanAfterBulkWrite(tx: Kysely<DB>): Promise<void> {
  await sql`discard plans`.execute(tx);
}
