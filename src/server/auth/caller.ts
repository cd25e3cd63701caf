import { type Kysely, type Transaction, sql } from "kysely";
import { canonicalDomain, domainOf, isFreeMailDomain } from "../../shared/email-address";
import { DEFAULT_PIPELINE } from "../../shared/pipelines";
import type { AdminGrant, Role } from "../../shared/users";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import type { AdminConfig } from "../config";
import type { DB } from "../db/tables";
import { adminGrantOf } from "./admin-grant";
import { internalDomainColumns } from "../organizations/service";
import type { Identity } from "./verify";

/**
 * The organisation and user a request acts for; every query is scoped by `orgId`. It carries no role: a role
 * can change between two requests (another admin, another server, the tenant), so an authorisation decision
 * reads the role as the store has it then (users/service.ts, currentRole).
 */
export interface Caller {
  orgId: string;
  userId: string;
  email: string | null;
  /** Signed in with Rapport's own account: the session the access token belongs to. */
  sessionId?: string;
  /**
   * How the caller signed in: Microsoft 365 (Entra ID), Rapport's own account, or the local issuer (development).
   * Only a Microsoft 365 sign-in may make Microsoft 365 the only way in (accounts/sign-in-policy.ts).
   */
  signedInWith?: Identity["issuer"];
}

/**
 * Maps a verified identity to its organisation and user, creating both on first sign-in, and brings the user's
 * role in line with what the sign-in grants (auth/admin-grant.ts). Each token is remembered once provisioned,
 * so a request costs no extra query (but one every half minute, whether the user was deactivated); a new token (about one an hour per user and app) is provisioned again,
 * on every server that sees it, so a grant the tenant gave or took away holds wherever the user turns up next.
 */
const MAX_KNOWN_TOKENS = 10_000;
/**
 * How long a remembered token is trusted before the store is asked again whether its user was deactivated: a
 * deactivation on this server forgets the user's tokens at once; another server's is seen within this time.
 */
const RECHECK_AFTER_MS = 30_000;

export interface CallerResolver {
  (identity: Identity): Promise<Caller>;
  /** Forgets every remembered token of a user (deactivated): their next request is checked again. */
  forgetUser(userId: string): void;
}

export function createCallerResolver(
  db: Kysely<DB>,
  admins: AdminConfig,
  now: () => number = Date.now,
): CallerResolver {
  const known = new Map<string, { caller: Caller; checkedAt: number }>();
  const resolve = async (identity: Identity): Promise<Caller> => {
    // Rapport's own sessions are checked at every request, never remembered: signing out, deactivation and a
    // reused refresh token end them at once, on every server.
    if (identity.issuer === "account") return openSessionCaller(db, identity);
    const grant = adminGrantOf(identity, admins);
    // A token is known by its user, issue time and grant (two tokens of one second may grant differently).
    const key = [identity.tenantId, identity.objectId, identity.issuedAt ?? "", grant ?? ""].join("\u0000");
    const cached = known.get(key);
    if (cached && now() - cached.checkedAt < RECHECK_AFTER_MS) return cached.caller;
    if (cached) {
      const user = await db
        .selectFrom("users")
        .select("deactivated_at")
        .where("org_id", "=", cached.caller.orgId)
        .where("id", "=", cached.caller.userId)
        .executeTakeFirst();
      if (!user || user.deactivated_at) {
        known.delete(key);
        throw deactivated();
      }
      cached.checkedAt = now();
      return cached.caller;
    }
    const caller: Caller = {
      ...(await db.transaction().execute((tx) => provision(tx, identity, grant))),
      signedInWith: identity.issuer,
    };
    // Bounded: forgetting costs one provisioning on the next request, never a wrong answer.
    if (known.size >= MAX_KNOWN_TOKENS) known.clear();
    known.set(key, { caller, checkedAt: now() });
    return caller;
  };
  return Object.assign(resolve, {
    forgetUser(userId: string) {
      for (const [key, entry] of known) if (entry.caller.userId === userId) known.delete(key);
    },
  });
}

async function openSessionCaller(db: Kysely<DB>, identity: Identity): Promise<Caller> {
  const sessionId = identity.sessionId ?? "";
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", (join) =>
      join.onRef("users.id", "=", "sessions.user_id").onRef("users.org_id", "=", "sessions.org_id"),
    )
    .select(["sessions.ended_at", "sessions.expires_at", "users.deactivated_at", "users.email"])
    .where("sessions.id", "=", sessionId)
    .where("sessions.org_id", "=", identity.tenantId)
    .where("sessions.user_id", "=", identity.objectId)
    .executeTakeFirst();
  if (row?.deactivated_at) throw deactivated();
  if (!row || row.ended_at !== null || row.expires_at <= new Date())
    throw new AppError("unauthenticated", 401, "The session has ended; sign in again.");
  return {
    orgId: identity.tenantId,
    userId: identity.objectId,
    email: row.email,
    sessionId,
    signedInWith: "account",
  };
}

export const deactivated = () =>
  new AppError("account_deactivated", 401, "An admin of the organisation has ended this user's access.");

type UserRole = { role: Role; admin_grant: AdminGrant | null };

/**
 * The role a sign-in leaves: a grant makes an admin whose role follows the grant from then on (the tenant's
 * assignment is the source of truth for whoever holds it); a sign-in without a grant takes away what an earlier
 * grant gave, and leaves an admin's choice (or a member) as it is. An admin by an admin's choice stays one by
 * that choice when a grant comes too: recorded as the grant's, the tenant's removal of the role would take away
 * what the tenant never gave.
 */
function roleAfterSignIn(user: UserRole, grant: AdminGrant | null): UserRole {
  if (grant) return user.role === "admin" && !user.admin_grant ? user : { role: "admin", admin_grant: grant };
  if (user.admin_grant) return { role: "member", admin_grant: null };
  return user;
}

async function provision(tx: Transaction<DB>, identity: Identity, grant: AdminGrant | null): Promise<Caller> {
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

  // A token without `iat` (Entra always sends one) counts as the oldest: it never overrules a newer token.
  const issuedAt = new Date((identity.issuedAt ?? 0) * 1000);
  // Locked, so the role is decided on the row as it is, after any change in flight (another admin, server).
  const existing = () =>
    tx
      .selectFrom("users")
      .select(["id", "email", "role", "admin_grant", "grant_token_issued_at", "deactivated_at"])
      .where("org_id", "=", orgId)
      .where("external_id", "=", identity.objectId)
      .forUpdate()
      .executeTakeFirst();

  let user = await existing();
  if (!user) {
    // The local issuer serves one trusted machine (npm start, tests): its first user is the admin.
    const firstLocal = createdOrg !== undefined && identity.issuer === "local";
    const created = await tx
      .insertInto("users")
      .values({
        org_id: orgId,
        external_id: identity.objectId,
        email: identity.email,
        display_name: identity.name,
        role: grant || firstLocal ? "admin" : "member",
        admin_grant: grant,
        grant_token_issued_at: issuedAt,
        // Signing in is being seen: a new user is never "last seen: never" while signed in.
        last_seen_at: sql`now()`,
      })
      .onConflict((oc) => oc.columns(["org_id", "external_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (created) {
      const caller = { orgId, userId: created.id, email: identity.email };
      if (grant) await roleChanged(tx, caller, { from: null, to: "admin", grant });
      return caller;
    }
    // A first request of the same user, at the same moment, created the row.
    user = await existing();
    if (!user) throw new Error("The user's row was neither found nor created");
  }
  // Deactivated by an admin: no sign-in of any kind lets them back in (an admin reactivates them).
  if (user.deactivated_at) throw deactivated();

  // Tokens live for an hour or so and a user holds several: an older one than the token that last decided
  // the role says nothing about it (the newest token decides, on whichever server it arrives first).
  const decides = user.grant_token_issued_at === null || issuedAt >= user.grant_token_issued_at;
  const next = decides ? roleAfterSignIn(user, grant) : user;
  await tx
    .updateTable("users")
    .set({
      email: sql`coalesce(${identity.email}, email)`,
      display_name: sql`coalesce(${identity.name}, display_name)`,
      last_seen_at: sql`now()`,
      role: next.role,
      admin_grant: next.admin_grant,
      grant_token_issued_at: decides ? issuedAt : user.grant_token_issued_at,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", user.id)
    .execute();
  const caller = { orgId, userId: user.id, email: identity.email ?? user.email };
  if (next.role !== user.role)
    await roleChanged(tx, caller, {
      from: user.role,
      to: next.role,
      grant: next.admin_grant ?? user.admin_grant,
    });
  return caller;
}

/** Audited as the user's own change: nobody in Rapport made it, their sign-in did. */
function roleChanged(
  tx: Transaction<DB>,
  caller: Caller,
  change: { from: Role | null; to: Role; grant: AdminGrant | null },
): Promise<void> {
  return recordAudit(
    tx,
    caller,
    "user.role_changed",
    { type: "user", id: caller.userId },
    { ...change, atSignIn: true },
  );
}

export async function seedDefaultPipeline(tx: Transaction<DB>, orgId: string): Promise<void> {
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
