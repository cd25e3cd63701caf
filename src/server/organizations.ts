import { type Kysely, sql } from "kysely";
import { type AutoLoggedContent, LoggingPolicy, type LoggingPolicyUpdate } from "../shared/organizations";
import { recordAudit } from "./audit";
import type { DB } from "./db/tables";
import { AppError } from "./errors";
import type { Scope } from "./scope";

/** The organisation's own mail domains: mail among them is internal, and they never suggest a company. */
export async function internalDomainsOf(db: Kysely<DB>, orgId: string): Promise<string[]> {
  const org = await db
    .selectFrom("organizations")
    .select("internal_domains")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return org.internal_domains;
}

/** What the organisation keeps of automatically logged mail. */
export async function autoLoggedContentOf(db: Kysely<DB>, orgId: string): Promise<AutoLoggedContent> {
  const org = await db
    .selectFrom("organizations")
    .select("logging_policy")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return loggingPolicyOf(org.logging_policy).autoLoggedContent;
}

/** The organisation's logging policy; a stored value from an older release reads with today's defaults. */
export function loggingPolicyOf(stored: unknown): LoggingPolicy {
  const parsed = LoggingPolicy.safeParse(stored ?? {});
  return parsed.success ? parsed.data : LoggingPolicy.parse({});
}

export async function updateLoggingPolicy(scope: Scope, input: LoggingPolicyUpdate): Promise<LoggingPolicy> {
  if (scope.caller.role !== "admin")
    throw new AppError("forbidden", 403, "Only an admin of the organisation changes what it logs.");
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("organizations")
      .set({ logging_policy: sql`logging_policy || ${JSON.stringify(input)}::jsonb` })
      .where("id", "=", scope.caller.orgId)
      .returning("logging_policy")
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      scope.caller,
      "organization.logging_policy",
      { type: "organization", id: scope.caller.orgId },
      input,
    );
    return loggingPolicyOf(row.logging_policy);
  });
}
