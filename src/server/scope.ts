import type { Kysely } from "kysely";
import type { Caller } from "./auth/caller";
import type { DB } from "./db/tables";

/** What every service call gets: the store and the caller whose organisation scopes every query. */
export interface Scope {
  db: Kysely<DB>;
  caller: Caller;
}

export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
