import { type Kysely, type Transaction, sql } from "kysely";
import type { Session, SessionTokens } from "../../shared/accounts";
import type { DB, SessionEndReason } from "../db/tables";
import { AppError, notFound } from "../errors";
import type { Scope } from "../scope";
import { iso } from "../scope";
import { ACCESS_TOKEN_SECONDS, type AccountIssuer } from "./account-issuer";
import { recordAccountEvent } from "./events";
import { isMicrosoft365Only, microsoft365Only } from "./microsoft365-only";
import { hashSecret, newSecret } from "./secrets";

/** A refresh token not used for this long runs out, and its session with it. */
export const REFRESH_TOKEN_DAYS = 30;
const refreshExpiry = () => new Date(Date.now() + REFRESH_TOKEN_DAYS * 24 * 60 * 60 * 1000);
const MAX_USER_AGENT = 300;

export interface SessionUser {
  orgId: string;
  userId: string;
  email: string;
}

async function tokensFor(
  issuer: AccountIssuer,
  user: SessionUser,
  sessionId: string,
  refresh: { token: string },
  expiresAt: Date,
): Promise<SessionTokens> {
  return {
    tokenType: "Bearer",
    accessToken: await issuer.sign({ ...user, sessionId }),
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshToken: refresh.token,
    refreshExpiresAt: iso(expiresAt),
    sessionId,
  };
}

/** A new session family for a user who just proved who they are. */
export async function openSession(
  tx: Transaction<DB>,
  issuer: AccountIssuer,
  user: SessionUser,
  userAgent: string | null,
): Promise<SessionTokens> {
  // Every way into a session passes here: the organisation's "Microsoft 365 only" holds at the write too.
  if (await isMicrosoft365Only(tx, user.orgId, true)) throw microsoft365Only();
  const expiresAt = refreshExpiry();
  const session = await tx
    .insertInto("sessions")
    .values({
      org_id: user.orgId,
      user_id: user.userId,
      user_agent: userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null,
      expires_at: expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const refresh = newSecret();
  await tx
    .insertInto("refresh_tokens")
    .values({ token_hash: refresh.hash, session_id: session.id, org_id: user.orgId })
    .execute();
  await tx
    .updateTable("users")
    .set({ last_seen_at: sql`now()` })
    .where("org_id", "=", user.orgId)
    .where("id", "=", user.userId)
    .execute();
  return tokensFor(issuer, user, session.id, refresh, expiresAt);
}

const sessionEnded = () => new AppError("unauthenticated", 401, "The session has ended; sign in again.");

/**
 * The next pair for a refresh token, which is used up by it. A token already used means two parties hold the
 * family (one of them a thief, and the server cannot tell which): the whole family ends, and both sign in again.
 */
export async function refreshSession(
  db: Kysely<DB>,
  issuer: AccountIssuer,
  refreshToken: string,
): Promise<SessionTokens> {
  const hash = hashSecret(refreshToken);
  const outcome = await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("refresh_tokens")
      .innerJoin("sessions", "sessions.id", "refresh_tokens.session_id")
      .innerJoin("users", (join) =>
        join.onRef("users.id", "=", "sessions.user_id").onRef("users.org_id", "=", "sessions.org_id"),
      )
      .select([
        "refresh_tokens.replaced_at",
        "sessions.id as session_id",
        "sessions.org_id",
        "sessions.user_id",
        "sessions.ended_at",
        "sessions.end_reason",
        "sessions.expires_at",
        "users.email",
        "users.deactivated_at",
      ])
      .where("refresh_tokens.token_hash", "=", hash)
      // The family's row, so two refreshes of one family are taken one after the other.
      .forUpdate("sessions")
      .executeTakeFirst();
    if (!row) return { kind: "unknown" as const };
    if (row.end_reason === "microsoft365_only") return { kind: "microsoft365_only" as const };
    if (row.ended_at !== null || row.expires_at <= new Date() || row.deactivated_at !== null)
      return { kind: "ended" as const };
    const user = { orgId: row.org_id, userId: row.user_id, email: row.email ?? "" };
    // Used up only while unused. A refresh that waited for the family's lock read the token before the other one
    // replaced it (PostgreSQL re-reads only the locked row): it finds no row to update, and is a reuse like any other.
    const replaced =
      row.replaced_at === null
        ? await tx
            .updateTable("refresh_tokens")
            .set({ replaced_at: sql`now()` })
            .where("token_hash", "=", hash)
            .where("replaced_at", "is", null)
            .executeTakeFirst()
        : null;
    if (replaced === null || Number(replaced.numUpdatedRows) === 0) {
      await endSessions(tx, { orgId: row.org_id, sessionIds: [row.session_id] }, "refresh_reused");
      await recordAccountEvent(
        tx,
        row.org_id,
        null,
        "session.refresh_reused",
        {
          type: "session",
          id: row.session_id,
        },
        { userId: row.user_id },
      );
      return { kind: "reused" as const };
    }
    const next = newSecret();
    await tx
      .insertInto("refresh_tokens")
      .values({ token_hash: next.hash, session_id: row.session_id, org_id: row.org_id })
      .execute();
    const expiresAt = refreshExpiry();
    await tx
      .updateTable("sessions")
      .set({ last_used_at: sql`now()`, expires_at: expiresAt })
      .where("id", "=", row.session_id)
      .execute();
    await tx
      .updateTable("users")
      .set({ last_seen_at: sql`now()` })
      .where("org_id", "=", row.org_id)
      .where("id", "=", row.user_id)
      .execute();
    return {
      kind: "refreshed" as const,
      tokens: await tokensFor(issuer, user, row.session_id, next, expiresAt),
    };
  });
  // Outside the transaction: the family's end must be committed before the refusal is sent.
  if (outcome.kind === "refreshed") return outcome.tokens;
  if (outcome.kind === "reused")
    throw new AppError(
      "unauthenticated",
      401,
      "This refresh token was used before: the session has been ended on every device; sign in again.",
    );
  if (outcome.kind === "ended") throw sessionEnded();
  if (outcome.kind === "microsoft365_only") throw microsoft365Only();
  throw new AppError("unauthenticated", 401, "The refresh token is not valid; sign in again.");
}

/** Ends open sessions (of one user, or named ones); returns how many ended. */
export async function endSessions(
  tx: Kysely<DB>,
  which: { orgId: string; userId?: string; sessionIds?: string[] },
  reason: SessionEndReason,
): Promise<number> {
  let query = tx
    .updateTable("sessions")
    .set({ ended_at: sql`now()`, end_reason: reason })
    .where("org_id", "=", which.orgId)
    .where("ended_at", "is", null);
  if (which.userId !== undefined) query = query.where("user_id", "=", which.userId);
  if (which.sessionIds !== undefined) {
    if (which.sessionIds.length === 0) return 0;
    query = query.where("id", "in", which.sessionIds);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The caller's open sessions, the newest used first. */
export async function listSessions(scope: Scope): Promise<{ items: Session[] }> {
  const rows = await scope.db
    .selectFrom("sessions")
    .select(["id", "user_agent", "created_at", "last_used_at", "expires_at"])
    .where("org_id", "=", scope.caller.orgId)
    .where("user_id", "=", scope.caller.userId)
    .where("ended_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("last_used_at", "desc")
    .orderBy("id")
    .limit(500)
    .execute();
  return {
    items: rows.map((row) => ({
      id: row.id,
      userAgent: row.user_agent,
      createdAt: iso(row.created_at),
      lastUsedAt: iso(row.last_used_at),
      expiresAt: iso(row.expires_at),
      current: row.id === scope.caller.sessionId,
    })),
  };
}

/** Signing out: the caller's own session, one of theirs, or all of them. */
export async function endOwnSessions(
  scope: Scope,
  which: "current" | "all" | { id: string },
): Promise<{ ended: number }> {
  const { orgId, userId, sessionId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    let ended: number;
    if (which === "all") ended = await endSessions(tx, { orgId, userId }, "signed_out_everywhere");
    else if (which === "current")
      // Signed in some other way (Microsoft 365, the local issuer): no session of Rapport's to end.
      ended = sessionId ? await endSessions(tx, { orgId, userId, sessionIds: [sessionId] }, "signed_out") : 0;
    else {
      ended = await endSessions(tx, { orgId, userId, sessionIds: [which.id] }, "ended_by_user");
      if (ended === 0) {
        const exists = await tx
          .selectFrom("sessions")
          .select("id")
          .where("org_id", "=", orgId)
          .where("user_id", "=", userId)
          .where("id", "=", which.id)
          .executeTakeFirst();
        if (!exists) throw notFound("The session");
      }
    }
    if (ended > 0)
      await recordAccountEvent(
        tx,
        orgId,
        userId,
        which === "all" ? "session.signed_out_everywhere" : "session.signed_out",
        { type: "user", id: userId },
        { sessions: ended, ...(typeof which === "object" ? { sessionId: which.id } : {}) },
      );
    return { ended };
  });
}
