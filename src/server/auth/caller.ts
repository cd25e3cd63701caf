import { type Kysely, type Transaction, sql } from "kysely";
import { canonicalDomain, domainOf, isFreeMailDomain } from "../../shared/email-address";
import { DEFAULT_PIPELINE } from "../../shared/pipelines";
import type { DB } from "../db/tables";
import { internalDomainColumns } from "../organizations";
import type { Identity } from "./verify";

/** The organisation and user a request acts for; every query is scoped by `orgId`. */
export interface Caller {
  orgId: string;
  userId: string;
  role: "admin" | "member";
  email: string | null;
}

/**
 * Maps a verified identity to its organisation and user, creating both on first sign-in (the first user of
 * a new organisation becomes its admin). Known callers are remembered, so a request costs no extra query.
 */
const MAX_KNOWN_CALLERS = 10_000;

export function createCallerResolver(db: Kysely<DB>): (identity: Identity) => Promise<Caller> {
  const known = new Map<string, Caller>();
  return async (identity) => {
    const key = `${identity.tenantId}\u0000${identity.objectId}`;
    const cached = known.get(key);
    if (cached) return cached;
    const caller = await db.transaction().execute((tx) => provision(tx, identity));
    // Bounded: forgetting costs one query on the next request, never a wrong answer.
    if (known.size >= MAX_KNOWN_CALLERS) known.clear();
    known.set(key, caller);
    return caller;
  };
}

async function provision(tx: Transaction<DB>, identity: Identity): Promise<Caller> {
  const domain = identity.email ? domainOf(identity.email) : null;
  const orgName = identity.tenantId.startsWith("local:")
    ? identity.tenantId.slice("local:".length)
    : (domain ?? identity.tenantId);
  const canonical = domain ? canonicalDomain(domain) : null;
  const internalDomains =
    domain && canonical && !isFreeMailDomain(domain) ? [{ domain: canonical, written: domain }] : [];

  const createdOrg = await tx
    .insertInto("organizations")
    .values({ tenant_id: identity.tenantId, name: orgName, ...internalDomainColumns(internalDomains) })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (createdOrg) await seedDefaultPipeline(tx, createdOrg.id);
  const orgId =
    createdOrg?.id ??
    (
      await tx
        .selectFrom("organizations")
        .select("id")
        .where("tenant_id", "=", identity.tenantId)
        .executeTakeFirstOrThrow()
    ).id;

  await tx
    .insertInto("users")
    .values({
      org_id: orgId,
      external_id: identity.objectId,
      email: identity.email,
      display_name: identity.name,
      role: createdOrg ? "admin" : "member",
    })
    .onConflict((oc) =>
      oc.columns(["org_id", "external_id"]).doUpdateSet({
        email: sql`coalesce(excluded.email, users.email)`,
        display_name: sql`coalesce(excluded.display_name, users.display_name)`,
        last_seen_at: sql`now()`,
      }),
    )
    .execute();
  const user = await tx
    .selectFrom("users")
    .select(["id", "role", "email"])
    .where("org_id", "=", orgId)
    .where("external_id", "=", identity.objectId)
    .executeTakeFirstOrThrow();
  return { orgId, userId: user.id, role: user.role, email: user.email };
}

async function seedDefaultPipeline(tx: Transaction<DB>, orgId: string): Promise<void> {
  const pipeline = await tx
    .insertInto("pipelines")
    .values({ org_id: orgId, name: DEFAULT_PIPELINE.name, is_default: true, position: 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("stages")
    .values(
      DEFAULT_PIPELINE.stages.map((stage, position) => ({
        org_id: orgId,
        pipeline_id: pipeline.id,
        name: stage.name,
        position,
        probability: stage.probability,
        kind: stage.kind,
      })),
    )
    .execute();
}
