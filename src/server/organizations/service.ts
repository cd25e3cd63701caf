import { type Kysely, sql } from "kysely";
import {
  LoggingPolicy,
  type LoggingPolicyUpdate,
  type Organization,
  type OrganizationUpdate,
} from "../../shared/organizations";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { versionConflict } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";

/**
 * The organisation's own mail domains, canonical: mail among them is internal, and they never suggest a company.
 */
export async function internalDomainsOf(db: Kysely<DB>, orgId: string): Promise<string[]> {
  const org = await db
    .selectFrom("organizations")
    .select("internal_domains")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return org.internal_domains;
}

/** The organisation's own domains and its logging policy, in one read, for a write that needs both. */
export async function loggingRulesOf(
  db: Kysely<DB>,
  orgId: string,
): Promise<{ internalDomains: string[]; policy: LoggingPolicy }> {
  const org = await db
    .selectFrom("organizations")
    .select(["internal_domains", "logging_policy"])
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { internalDomains: org.internal_domains, policy: loggingPolicyOf(org.logging_policy) };
}

/** The organisation's logging policy; a stored value from an older release reads with today's defaults. */
export function loggingPolicyOf(stored: unknown): LoggingPolicy {
  const parsed = LoggingPolicy.safeParse(stored ?? {});
  return parsed.success ? parsed.data : LoggingPolicy.parse({});
}

export async function updateLoggingPolicy(scope: Scope, input: LoggingPolicyUpdate): Promise<LoggingPolicy> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "changes what it logs");
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

export async function getOrganization(db: Kysely<DB>, orgId: string): Promise<Organization> {
  const org = await db
    .selectFrom("organizations")
    .select(["id", "name", "internal_domains", "internal_domains_as_written", "version"])
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { id: org.id, name: org.name, internalDomains: internalDomainsAsWritten(org), version: org.version };
}

/** The internal domains as the admin wrote them, for showing (the canonical list is what is compared). */
export function internalDomainsAsWritten(org: {
  internal_domains: string[];
  internal_domains_as_written: string[] | null;
}): string[] {
  return org.internal_domains_as_written ?? org.internal_domains;
}

/** The stored columns of a list of internal domains: canonical to compare, as written to show. */
export function internalDomainColumns(domains: readonly { domain: string; written: string }[]) {
  const canonical = domains.map((d) => d.domain);
  const written = domains.map((d) => d.written);
  return {
    internal_domains: canonical,
    internal_domains_as_written: written.every((w, i) => w === canonical[i]) ? null : written,
  };
}

/**
 * Renames the organisation or replaces its internal domains (already validated, lower-cased and deduplicated by
 * the contract). The list is replaced whole, so it takes the version read: two admins editing it at once would
 * otherwise drop each other's domains.
 */
export async function updateOrganization(
  scope: Scope,
  version: number,
  input: OrganizationUpdate,
): Promise<Organization> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "changes its settings");
    const row = await tx
      .updateTable("organizations")
      .set({
        name: input.name,
        ...(input.internalDomains ? internalDomainColumns(input.internalDomains) : {}),
        version: sql`version + 1`,
      })
      .where("id", "=", orgId)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw versionConflict(await getOrganization(tx, orgId));
    await recordAudit(
      tx,
      scope.caller,
      "organization.updated",
      { type: "organization", id: orgId },
      {
        ...input,
        ...(input.internalDomains ? { internalDomains: input.internalDomains.map((d) => d.written) } : {}),
      },
    );
    return getOrganization(tx, orgId);
  });
}
