import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Language } from "../../shared/languages";
import type { Mailer } from "../mail/smtp";
import type {
  AcceptInvitation,
  ChangePassword,
  Invitation,
  InvitationCreate,
  MailOutcome,
  SessionTokens,
  SignInRequest,
} from "../../shared/accounts";
import type { Role, User } from "../../shared/users";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import { type Scope, iso } from "../scope";
import { USER_COLUMNS, isLastActiveAdmin, lockActiveAdmins, requireAdmin, toUser } from "../users/service";
import type { AccountIssuer } from "./account-issuer";
import { checkCurrentPassword, ownAccount } from "./current-password";
import { recordAccountEvent } from "./events";
import { invitationMail, passwordResetMail } from "./account-mail";
import { type AfterAnswer, describeError } from "./after-answer";
import { isMicrosoft365Only, microsoft365Only } from "./microsoft365-only";
import { decoyHash, hashPassword, passwordWeakness, verifyPassword } from "./passwords";
import { hashSecret, newSecret } from "./secrets";
import { endSessions, openSession } from "./sessions";
import type { SignInThrottle } from "./throttle";

export const INVITATION_DAYS = 7;
export const RESET_LINK_MINUTES = 60;

/** What the public account routes work with: the whole store (the organisation is not known yet), the issuer. */
export interface AccountsContext {
  db: Kysely<DB>;
  issuer: AccountIssuer;
  throttles: { signIn: SignInThrottle; reset: SignInThrottle; accept: SignInThrottle };
  /** Forgets the tokens this server remembers of a user (auth/caller.ts), once they are deactivated. */
  forgetUser(userId: string): void;
  /**
   * Where one-time links are mailed: the mail server, and the public address the links are made on (never a
   * request's Host header, which whoever asks for a reset could choose). null: links are only shown to copy.
   */
  mail: { mailer: Mailer; publicUrl: string } | null;
  /** Work after the answer: a reset request's look-up, link and mail. */
  afterAnswer: AfterAnswer;
  log: FastifyBaseLogger;
}

/** Where a request came from: its client address (throttled) and what browser (shown in the sessions list). */
export interface Client {
  address: string;
  userAgent: string | null;
}

const invalidCredentials = () =>
  new AppError("invalid_credentials", 401, "The email address or the password is not right.");
const linkInvalid = () =>
  new AppError(
    "link_invalid",
    410,
    "The link has been used, has run out or was withdrawn; ask an admin of the organisation for a new one.",
  );
const weak = (why: string) => new AppError("weak_password", 400, why);

/** A one-time link into the web app. The token follows `#`, which a browser never sends to a server or a log. */
export function oneTimeLink(
  base: string,
  page: "accept-invitation" | "reset-password",
  token: string,
): string {
  return `${base.replace(/\/+$/, "")}/app/${page}#token=${token}`;
}

export async function signIn(
  context: AccountsContext,
  input: SignInRequest,
  client: Client,
): Promise<SessionTokens> {
  const { signIn: throttle } = context.throttles;
  throttle.charge(client.address, input.email);
  const account = await context.db
    .selectFrom("accounts")
    .innerJoin("users", (join) =>
      join.onRef("users.id", "=", "accounts.user_id").onRef("users.org_id", "=", "accounts.org_id"),
    )
    .select(["accounts.org_id", "accounts.user_id", "accounts.password_hash", "users.deactivated_at"])
    .where("accounts.email", "=", input.email)
    .executeTakeFirst();
  // The same work and the same answer whether or not the address has an account, a password, or access.
  const matches = await verifyPassword(input.password, account?.password_hash ?? (await decoyHash()));
  if (!account || !matches || account.deactivated_at !== null) {
    if (account)
      await recordAccountEvent(
        context.db,
        account.org_id,
        null,
        "account.sign_in_failed",
        { type: "user", id: account.user_id },
        { reason: matches ? "deactivated" : "wrong_password", address: client.address },
      );
    throw invalidCredentials();
  }
  if (await isMicrosoft365Only(context.db, account.org_id)) {
    await recordAccountEvent(
      context.db,
      account.org_id,
      null,
      "account.sign_in_failed",
      { type: "user", id: account.user_id },
      { reason: "microsoft365_only", address: client.address },
    );
    throw microsoft365Only();
  }
  throttle.succeeded(client.address, input.email);
  const user = { orgId: account.org_id, userId: account.user_id, email: input.email };
  return context.db.transaction().execute(async (tx) => {
    const tokens = await openSession(tx, context.issuer, user, client.userAgent);
    await recordAccountEvent(
      tx,
      user.orgId,
      user.userId,
      "account.signed_in",
      { type: "user", id: user.userId },
      { sessionId: tokens.sessionId, address: client.address },
    );
    return tokens;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Invitations

type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
};
const INVITATION_COLUMNS = [
  "id",
  "email",
  "role",
  "invited_by",
  "created_at",
  "expires_at",
  "accepted_at",
  "revoked_at",
] as const;

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: row.accepted_at
    ? "accepted"
    : row.revoked_at
      ? "revoked"
      : row.expires_at <= new Date()
        ? "expired"
        : "pending",
  invitedBy: row.invited_by,
  createdAt: iso(row.created_at),
  expiresAt: iso(row.expires_at),
});

/**
 * A one-time link into the organisation for an address. An earlier pending invitation of the same address is
 * withdrawn: only the newest link works. `invitedBy` null is the command line (npm run admin).
 */
export async function inviteInto(
  tx: Kysely<DB>,
  orgId: string,
  invitedBy: string | null,
  input: InvitationCreate,
  linkBase: string,
): Promise<{ invitation: Invitation; link: string; expiresAt: string }> {
  await tx
    .updateTable("invitations")
    .set({ revoked_at: sql`now()` })
    .where("org_id", "=", orgId)
    .where("email", "=", input.email)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
  const secret = newSecret();
  const row = await tx
    .insertInto("invitations")
    .values({
      org_id: orgId,
      email: input.email,
      role: input.role,
      token_hash: secret.hash,
      invited_by: invitedBy,
      expires_at: new Date(Date.now() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
    })
    .returning(INVITATION_COLUMNS)
    .executeTakeFirstOrThrow();
  await recordAccountEvent(
    tx,
    orgId,
    invitedBy,
    "invitation.created",
    { type: "invitation", id: row.id },
    { email: input.email, role: input.role, ...(invitedBy === null ? { by: "command_line" } : {}) },
  );
  const invitation = toInvitation(row);
  return {
    invitation,
    link: oneTimeLink(linkBase, "accept-invitation", secret.token),
    expiresAt: invitation.expiresAt,
  };
}

/**
 * An admin's invitation: the link, shown to copy, and mailed where the server sends mail (in the language asked
 * for, or the admin's). A mail that cannot be sent is logged (without the link) and audited, and the answer says
 * so: the admin hands the link over another way. Never a failure of the invitation itself.
 */
export async function createInvitation(
  context: AccountsContext,
  scope: Scope,
  input: InvitationCreate,
  linkBase: string,
): Promise<{ invitation: Invitation; link: string; expiresAt: string; mail: MailOutcome }> {
  await requireAdmin(scope.db, scope.caller, "invites people");
  const { orgId, userId } = scope.caller;
  if (await isMicrosoft365Only(scope.db, orgId))
    throw new AppError(
      "microsoft365_only",
      409,
      "The organisation signs in with Microsoft 365 only: colleagues of its tenant sign in with Microsoft, without an invitation.",
    );
  const mail = context.mail;
  const created = await scope.db
    .transaction()
    .execute((tx) => inviteInto(tx, orgId, userId, input, mail?.publicUrl ?? linkBase));
  if (!mail) return { ...created, mail: "not_configured" };
  const sender = await scope.db
    .selectFrom("users")
    .innerJoin("organizations", "organizations.id", "users.org_id")
    .select(["users.display_name", "users.email", "users.language", "organizations.name"])
    .where("users.org_id", "=", orgId)
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  const language: Language = input.language ?? sender.language ?? "en";
  const message = invitationMail(language, {
    to: created.invitation.email,
    inviter: sender.display_name ?? sender.email ?? sender.name,
    organization: sender.name,
    days: INVITATION_DAYS,
    link: created.link,
  });
  const entity = { type: "invitation", id: created.invitation.id };
  try {
    await mail.mailer.send(message);
  } catch (error) {
    context.log.warn(
      { invitationId: created.invitation.id, error: describeError(error) },
      "invitation not mailed",
    );
    await recordAccountEvent(scope.db, orgId, userId, "invitation.mail_failed", entity, {
      email: created.invitation.email,
      error: describeError(error),
    });
    return { ...created, mail: "failed" };
  }
  await recordAccountEvent(scope.db, orgId, userId, "invitation.mailed", entity, {
    email: created.invitation.email,
    language,
  });
  return { ...created, mail: "sent" };
}

export async function listInvitations(scope: Scope): Promise<{ items: Invitation[] }> {
  await requireAdmin(scope.db, scope.caller, "sees invitations");
  const rows = await scope.db
    .selectFrom("invitations")
    .select(INVITATION_COLUMNS)
    .where("org_id", "=", scope.caller.orgId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(1000)
    .execute();
  return { items: rows.map(toInvitation) };
}

export async function revokeInvitation(scope: Scope, id: string): Promise<Invitation> {
  await requireAdmin(scope.db, scope.caller, "withdraws invitations");
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("invitations")
      .select(INVITATION_COLUMNS)
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound("The invitation");
    if (row.accepted_at)
      throw new AppError("invalid_request", 409, "The invitation was accepted: deactivate the user instead.");
    if (row.revoked_at) return toInvitation(row);
    const revoked = await tx
      .updateTable("invitations")
      .set({ revoked_at: sql`now()` })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .returning(INVITATION_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAccountEvent(
      tx,
      scope.caller.orgId,
      scope.caller.userId,
      "invitation.revoked",
      { type: "invitation", id },
      { email: row.email },
    );
    return toInvitation(revoked);
  });
}

/**
 * The invitation's address becomes an account of the organisation with the password chosen, signed in. A user
 * the organisation already has at that address (one who signed in with Microsoft 365) gets the account; an
 * admin's invitation is what vouches for that, as an admin's reset link would.
 */
export async function acceptInvitation(
  context: AccountsContext,
  input: AcceptInvitation,
  client: Client,
): Promise<SessionTokens> {
  const { accept: throttle } = context.throttles;
  throttle.check(client.address, null);
  const hash = hashSecret(input.token);
  const pending = await context.db
    .selectFrom("invitations")
    .select(["org_id", "email", "accepted_at", "revoked_at", "expires_at"])
    .where("token_hash", "=", hash)
    .executeTakeFirst();
  if (!pending || pending.accepted_at || pending.revoked_at || pending.expires_at <= new Date()) {
    throttle.fail(client.address, null);
    throw linkInvalid();
  }
  if (await isMicrosoft365Only(context.db, pending.org_id)) throw microsoft365Only();
  const weakness = passwordWeakness(input.password, pending.email);
  if (weakness) throw weak(weakness);
  // Hashed before the transaction: tens of milliseconds the embedded store's one connection need not wait.
  const passwordHash = await hashPassword(input.password);

  return context.db.transaction().execute(async (tx) => {
    const invitation = await tx
      .selectFrom("invitations")
      .select(["id", "org_id", "email", "role", "accepted_at", "revoked_at", "expires_at"])
      .where("token_hash", "=", hash)
      .forUpdate()
      .executeTakeFirst();
    // Accepted or withdrawn between the two reads.
    if (!invitation || invitation.accepted_at || invitation.revoked_at || invitation.expires_at <= new Date())
      throw linkInvalid();
    const taken = await tx
      .selectFrom("accounts")
      .select("user_id")
      .where("email", "=", invitation.email)
      .executeTakeFirst();
    if (taken)
      throw new AppError(
        "account_exists",
        409,
        "The address already has a Rapport account: sign in with it, or ask for a password reset.",
      );
    const userId = await userForInvitation(tx, invitation, input.displayName ?? null);
    await tx
      .insertInto("accounts")
      .values({
        user_id: userId,
        org_id: invitation.org_id,
        email: invitation.email,
        password_hash: passwordHash,
        password_changed_at: sql`now()`,
      })
      .execute();
    await tx
      .updateTable("invitations")
      .set({ accepted_at: sql`now()`, accepted_by: userId })
      .where("id", "=", invitation.id)
      .execute();
    await recordAccountEvent(
      tx,
      invitation.org_id,
      userId,
      "invitation.accepted",
      { type: "invitation", id: invitation.id },
      { email: invitation.email, role: invitation.role },
    );
    const user = { orgId: invitation.org_id, userId, email: invitation.email };
    const tokens = await openSession(tx, context.issuer, user, client.userAgent);
    await recordAccountEvent(
      tx,
      user.orgId,
      userId,
      "account.signed_in",
      { type: "user", id: userId },
      { sessionId: tokens.sessionId, address: client.address, first: true },
    );
    return tokens;
  });
}

async function userForInvitation(
  tx: Transaction<DB>,
  invitation: { org_id: string; email: string; role: Role },
  displayName: string | null,
): Promise<string> {
  const existing = await tx
    .selectFrom("users")
    .select(["id", "role"])
    .where("org_id", "=", invitation.org_id)
    .where(sql<string>`lower(email)`, "=", invitation.email)
    .orderBy("created_at")
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    await tx
      .updateTable("users")
      .set({
        // The invitation's role raises a member; it never lowers an admin.
        ...(invitation.role === "admin" && existing.role !== "admin" ? { role: "admin" as const } : {}),
        display_name: displayName === null ? sql`display_name` : displayName,
      })
      .where("org_id", "=", invitation.org_id)
      .where("id", "=", existing.id)
      .execute();
    return existing.id;
  }
  const created = await tx
    .insertInto("users")
    .values({
      org_id: invitation.org_id,
      external_id: `account:${randomUUID()}`,
      email: invitation.email,
      display_name: displayName,
      role: invitation.role,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return created.id;
}

// ---------------------------------------------------------------------------------------------------------
// Password resets

export const RESET_REQUESTED =
  "If the address has a Rapport account, its organisation's admins have been told; one of them sends a link to set a new password.";
export const RESET_MAILED =
  "If the address has a Rapport account, a link to set a new password is on its way to it; it works for an hour.";

/**
 * Someone at the sign-in page forgot their password. The answer is the same for any address, and is given before
 * the address is even looked up: whatever happens next (a link made and mailed where the server sends mail, the
 * request shown to the organisation's admins in the audit log) happens after the answer has gone, so neither its
 * words nor its time say whether the address has an account.
 */
export async function requestPasswordReset(
  context: AccountsContext,
  email: string,
  client: Client,
): Promise<{ accepted: true; message: string }> {
  const { reset: throttle } = context.throttles;
  throttle.check(client.address, email);
  // Every request counts: asking many times for one address, or for many addresses, meets growing waits.
  throttle.fail(client.address, email);
  context.afterAnswer.run("password reset request", () => followUpResetRequest(context, email, client));
  return { accepted: true, message: context.mail ? RESET_MAILED : RESET_REQUESTED };
}

/** After the answer: the request in the audit log, and where mail is sent, a link mailed to an active account. */
async function followUpResetRequest(context: AccountsContext, email: string, client: Client): Promise<void> {
  const account = await context.db
    .selectFrom("accounts")
    .innerJoin("users", (join) =>
      join.onRef("users.id", "=", "accounts.user_id").onRef("users.org_id", "=", "accounts.org_id"),
    )
    .innerJoin("organizations", "organizations.id", "accounts.org_id")
    .select([
      "accounts.org_id",
      "accounts.user_id",
      "users.deactivated_at",
      "users.language",
      "organizations.microsoft365_only",
    ])
    .where("accounts.email", "=", email)
    .executeTakeFirst();
  if (!account) return;
  const { org_id: orgId, user_id: userId } = account;
  const entity = { type: "user", id: userId };
  const refused = account.deactivated_at
    ? "deactivated"
    : account.microsoft365_only
      ? "microsoft365_only"
      : null;
  const mail = context.mail;
  if (refused || !mail) {
    await recordAccountEvent(context.db, orgId, null, "account.password_reset_requested", entity, {
      address: client.address,
      mail: refused ? "refused" : "not_configured",
      ...(refused ? { reason: refused } : {}),
    });
    return;
  }
  const made = await context.db.transaction().execute(async (tx) => {
    const link = await issueResetLink(tx, orgId, userId, null, mail.publicUrl);
    await recordAccountEvent(tx, orgId, null, "account.password_reset_requested", entity, {
      address: client.address,
      resetId: link.resetId,
    });
    return link;
  });
  try {
    await mail.mailer.send(
      passwordResetMail(account.language ?? "en", {
        to: email,
        minutes: RESET_LINK_MINUTES,
        link: made.link,
      }),
    );
  } catch (error) {
    context.log.warn(
      { resetId: made.resetId, error: describeError(error) },
      "password reset link not mailed",
    );
    await recordAccountEvent(context.db, orgId, null, "account.password_reset_mail_failed", entity, {
      resetId: made.resetId,
      error: describeError(error),
    });
    return;
  }
  await recordAccountEvent(context.db, orgId, null, "account.password_reset_mailed", entity, {
    resetId: made.resetId,
  });
}

/** A new one-time reset link for a user; their earlier unused ones stop working. */
async function issueResetLink(
  tx: Kysely<DB>,
  orgId: string,
  userId: string,
  createdBy: string | null,
  linkBase: string,
): Promise<{ link: string; expiresAt: string; resetId: string }> {
  await tx
    .deleteFrom("password_resets")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .execute();
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + RESET_LINK_MINUTES * 60 * 1000);
  const reset = await tx
    .insertInto("password_resets")
    .values({
      org_id: orgId,
      user_id: userId,
      token_hash: secret.hash,
      created_by: createdBy,
      expires_at: expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return {
    link: oneTimeLink(linkBase, "reset-password", secret.token),
    expiresAt: iso(expiresAt),
    resetId: reset.id,
  };
}

/** A one-time link for a user of the organisation to set a new password; earlier unused links stop working. */
export async function createPasswordResetLink(
  scope: Scope,
  userId: string,
  linkBase: string,
): Promise<{ link: string; expiresAt: string }> {
  await requireAdmin(scope.db, scope.caller, "makes password reset links");
  const { orgId } = scope.caller;
  if (await isMicrosoft365Only(scope.db, orgId))
    throw new AppError(
      "microsoft365_only",
      409,
      "The organisation signs in with Microsoft 365 only: passwords are reset in Microsoft 365, not in Rapport.",
    );
  return scope.db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom("users")
      .leftJoin("accounts", "accounts.user_id", "users.id")
      .select(["users.id", "users.deactivated_at", "accounts.user_id as account"])
      .where("users.org_id", "=", orgId)
      .where("users.id", "=", userId)
      .executeTakeFirst();
    if (!user) throw notFound("The user");
    if (!user.account)
      throw new AppError(
        "invalid_request",
        409,
        "The user has no Rapport account (they sign in with Microsoft 365): invite their address instead.",
      );
    if (user.deactivated_at)
      throw new AppError("invalid_request", 409, "The user is deactivated: reactivate them first.");
    const { link, expiresAt, resetId } = await issueResetLink(
      tx,
      orgId,
      userId,
      scope.caller.userId,
      linkBase,
    );
    await recordAccountEvent(
      tx,
      orgId,
      scope.caller.userId,
      "account.password_reset_link_created",
      { type: "user", id: userId },
      { resetId },
    );
    return { link, expiresAt };
  });
}

/** A new password through a reset link, which is used up; every session of the user ends. */
export async function resetPassword(
  context: AccountsContext,
  input: { token: string; password: string },
  client: Client,
): Promise<{ reset: true }> {
  const { reset: throttle } = context.throttles;
  throttle.check(client.address, null);
  const hash = hashSecret(input.token);
  const usable = (row: { used_at: Date | null; expires_at: Date; deactivated_at: Date | null } | undefined) =>
    row !== undefined && row.used_at === null && row.expires_at > new Date() && row.deactivated_at === null;
  const lookUp = (db: Kysely<DB>) =>
    db
      .selectFrom("password_resets")
      .innerJoin("accounts", "accounts.user_id", "password_resets.user_id")
      .innerJoin("users", "users.id", "password_resets.user_id")
      .select([
        "password_resets.id",
        "password_resets.org_id",
        "password_resets.user_id",
        "password_resets.used_at",
        "password_resets.expires_at",
        "accounts.email",
        "users.deactivated_at",
      ])
      .where("password_resets.token_hash", "=", hash);
  const found = await lookUp(context.db).executeTakeFirst();
  if (!found || !usable(found)) {
    throttle.fail(client.address, null);
    throw linkInvalid();
  }
  if (await isMicrosoft365Only(context.db, found.org_id)) throw microsoft365Only();
  const weakness = passwordWeakness(input.password, found.email);
  if (weakness) throw weak(weakness);
  const passwordHash = await hashPassword(input.password);
  await context.db.transaction().execute(async (tx) => {
    const row = await lookUp(tx).forUpdate("password_resets").executeTakeFirst();
    if (!row || !usable(row)) throw linkInvalid();
    await tx
      .updateTable("password_resets")
      .set({ used_at: sql`now()` })
      .where("id", "=", row.id)
      .execute();
    await tx
      .updateTable("accounts")
      .set({ password_hash: passwordHash, password_changed_at: sql`now()` })
      .where("user_id", "=", row.user_id)
      .execute();
    const ended = await endSessions(tx, { orgId: row.org_id, userId: row.user_id }, "password_reset");
    await recordAccountEvent(
      tx,
      row.org_id,
      row.user_id,
      "account.password_reset",
      { type: "user", id: row.user_id },
      { sessionsEnded: ended, address: client.address },
    );
  });
  throttle.succeed(found.email);
  return { reset: true };
}

/**
 * A signed-in user changes their password: the current one is asked for (and a wrong one counts as a failed
 * sign-in), and every other session of theirs ends, this one stays.
 */
export async function changePassword(
  context: AccountsContext,
  scope: Scope,
  input: ChangePassword,
  client: Client,
): Promise<{ ended: number }> {
  const { orgId, userId, sessionId } = scope.caller;
  const account = await ownAccount(scope);
  if (!account)
    throw new AppError(
      "invalid_request",
      409,
      "You sign in with Microsoft 365 here: your password is changed there, not in Rapport.",
    );
  await checkCurrentPassword(context, scope, account, input.currentPassword, client, {
    failedEvent: "account.password_change_failed",
    detail: "The email address or the password is not right.",
  });
  const weakness = passwordWeakness(input.newPassword, account.email);
  if (weakness) throw weak(weakness);
  const passwordHash = await hashPassword(input.newPassword);
  return scope.db.transaction().execute(async (tx) => {
    await tx
      .updateTable("accounts")
      .set({ password_hash: passwordHash, password_changed_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .execute();
    const others = await tx
      .selectFrom("sessions")
      .select("id")
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .where("ended_at", "is", null)
      .where("id", "!=", sessionId ?? "00000000-0000-0000-0000-000000000000")
      .execute();
    const ended = await endSessions(
      tx,
      { orgId, userId, sessionIds: others.map((s) => s.id) },
      "password_changed",
    );
    await recordAccountEvent(
      tx,
      orgId,
      userId,
      "account.password_changed",
      { type: "user", id: userId },
      {
        sessionsEnded: ended,
      },
    );
    return { ended };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Deactivation

/**
 * Ends a user's access: every session of theirs ends now, their reset links stop working, and no sign-in of any
 * kind lets them in until an admin reactivates them. The organisation keeps an active admin.
 */
export async function setUserActive(scope: Scope, id: string, active: boolean): Promise<User> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const admins = await lockActiveAdmins(tx, scope.caller, "deactivates users");
    const user = await tx
      .selectFrom("users")
      .select(USER_COLUMNS)
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw notFound("The user");
    if ((user.deactivated_at === null) === active) return toUser(user);
    if (!active && id === scope.caller.userId)
      throw new AppError("invalid_request", 409, "Admins cannot deactivate themselves: ask another admin.");
    // Unreachable while admins cannot deactivate themselves, and kept so that rule may change safely.
    if (!active && isLastActiveAdmin(admins, id))
      throw new AppError(
        "last_admin",
        409,
        "This is the organisation's only admin: make someone else an admin first.",
      );
    const updated = await tx
      .updateTable("users")
      .set({ deactivated_at: active ? null : sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    let sessionsEnded = 0;
    if (!active) {
      sessionsEnded = await endSessions(tx, { orgId, userId: id }, "deactivated");
      await tx
        .deleteFrom("password_resets")
        .where("org_id", "=", orgId)
        .where("user_id", "=", id)
        .where("used_at", "is", null)
        .execute();
    }
    await recordAccountEvent(
      tx,
      orgId,
      scope.caller.userId,
      active ? "user.reactivated" : "user.deactivated",
      { type: "user", id },
      active ? {} : { sessionsEnded },
    );
    return toUser(updated);
  });
}
