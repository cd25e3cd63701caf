import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { type Kysely, sql } from "kysely";
import type { Passkey, SessionTokens } from "../../shared/accounts";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import { type Scope, iso, isoOrNull } from "../scope";
import { recordAccountEvent } from "./events";
import type { AccountsContext, Client } from "./service";
import { checkCurrentPassword, ownAccount } from "./current-password";
import { isMicrosoft365Only, microsoft365Only } from "./microsoft365-only";
import { openSession } from "./sessions";

/** Who the passkeys are for: the web app's origin and its host name (WebAuthn's relying party). */
export interface RelyingParty {
  origin: string;
  id: string;
  name: string;
}

const CHALLENGE_MINUTES = 5;
const challengeExpiry = () => new Date(Date.now() + CHALLENGE_MINUTES * 60 * 1000);

const passkeyRefused = () =>
  new AppError("invalid_credentials", 401, "The passkey was not accepted; sign in another way.");

/** Takes a challenge this server gave, once: a response to any other (or a replayed one) is refused. */
/**
 * Stores a challenge, clearing those past their five minutes first: the sign-in options are public, so the table
 * holds at most what the request limits let through in five minutes.
 */
async function storeChallenge(
  db: Kysely<DB>,
  challenge: string,
  purpose: "registration" | "authentication",
  userId: string | null,
): Promise<void> {
  await db.deleteFrom("webauthn_challenges").where("expires_at", "<=", new Date()).execute();
  await db
    .insertInto("webauthn_challenges")
    .values({ challenge, purpose, user_id: userId, expires_at: challengeExpiry() })
    .execute();
}

async function takeChallenge(
  db: Kysely<DB>,
  challenge: string,
  purpose: "registration" | "authentication",
  userId: string | null,
): Promise<boolean> {
  let query = db
    .deleteFrom("webauthn_challenges")
    .where("challenge", "=", challenge)
    .where("purpose", "=", purpose)
    .where("expires_at", ">", new Date());
  query = userId === null ? query.where("user_id", "is", null) : query.where("user_id", "=", userId);
  const taken = await query.returning("challenge").executeTakeFirst();
  return taken !== undefined;
}

/** The challenge a response answers, as its client data says (checked against the store, then by the library). */
function challengeOf(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8")) as {
      challenge?: unknown;
    };
    return typeof data.challenge === "string" && data.challenge.length <= 512 ? data.challenge : null;
  } catch {
    return null;
  }
}

/** WebAuthn's options as JSON, for the contract's outline. */
type OptionsJson = { challenge: string } & Record<string, unknown>;

export async function passkeyRegistrationOptions(
  owner: Kysely<DB>,
  scope: Scope,
  rp: RelyingParty,
): Promise<OptionsJson> {
  const { orgId, userId } = scope.caller;
  const user = await scope.db
    .selectFrom("users")
    .select(["email", "display_name"])
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const existing = await scope.db
    .selectFrom("passkeys")
    .select(["credential_id", "transports"])
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .execute();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email ?? userId,
    userDisplayName: user.display_name ?? user.email ?? "",
    userID: new TextEncoder().encode(userId),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({
      id: c.credential_id,
      transports: c.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge(owner, options.challenge, "registration", userId);
  return { ...options };
}

export async function registerPasskey(
  context: AccountsContext,
  scope: Scope,
  rp: RelyingParty,
  input: {
    response: Record<string, unknown>;
    name?: string | undefined;
    currentPassword?: string | undefined;
  },
  client: Client,
): Promise<Passkey> {
  const owner = context.db;
  const { orgId, userId } = scope.caller;
  await confirmPassword(context, scope, input.currentPassword, client);
  const response = input.response as unknown as RegistrationResponseJSON;
  const challenge = challengeOf(response);
  if (challenge === null || !(await takeChallenge(owner, challenge, "registration", userId)))
    throw new AppError("invalid_request", 400, "The passkey answers no registration this server asked for.");
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new AppError(
      "invalid_request",
      400,
      `The passkey was not registered: ${error instanceof Error ? error.message.slice(0, 200) : "not valid"}.`,
    );
  }
  if (!verified.verified || !verified.registrationInfo)
    throw new AppError("invalid_request", 400, "The passkey was not registered: its response is not valid.");
  const { credential } = verified.registrationInfo;
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("passkeys")
      .values({
        org_id: orgId,
        user_id: userId,
        credential_id: credential.id,
        public_key: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name: input.name ?? null,
      })
      .returning(["id", "name", "created_at", "last_used_at"])
      .executeTakeFirstOrThrow();
    await recordAccountEvent(
      tx,
      orgId,
      userId,
      "passkey.registered",
      { type: "user", id: userId },
      {
        passkeyId: row.id,
      },
    );
    return toPasskey(row);
  });
}

/**
 * A user with a Rapport password proves it again before adding a passkey (as before changing the password); a
 * wrong one counts as a failed sign-in. A user without one signs in with Microsoft 365, which answers for them.
 */
async function confirmPassword(
  context: AccountsContext,
  scope: Scope,
  password: string | undefined,
  client: Client,
): Promise<void> {
  const account = await ownAccount(scope);
  if (!account?.password_hash) return;
  if (password === undefined)
    throw new AppError(
      "invalid_request",
      400,
      "Adding a passkey needs your current password (currentPassword).",
    );
  await checkCurrentPassword(context, scope, account, password, client, {
    failedEvent: "passkey.password_check_failed",
    detail: "The current password is not right.",
  });
}

const toPasskey = (row: {
  id: string;
  name: string | null;
  created_at: Date;
  last_used_at: Date | null;
}) => ({
  id: row.id,
  name: row.name,
  createdAt: iso(row.created_at),
  lastUsedAt: isoOrNull(row.last_used_at),
});

export async function listPasskeys(scope: Scope): Promise<{ items: Passkey[] }> {
  const rows = await scope.db
    .selectFrom("passkeys")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("org_id", "=", scope.caller.orgId)
    .where("user_id", "=", scope.caller.userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return { items: rows.map(toPasskey) };
}

export async function removePasskey(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom("passkeys")
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw notFound("The passkey");
    await recordAccountEvent(
      tx,
      orgId,
      userId,
      "passkey.removed",
      { type: "user", id: userId },
      { passkeyId: id },
    );
    return { id, deleted: true as const };
  });
}

export async function passkeySignInOptions(owner: Kysely<DB>, rp: RelyingParty): Promise<OptionsJson> {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: "required" });
  await storeChallenge(owner, options.challenge, "authentication", null);
  return { ...options };
}

/** A passkey sign-in: the challenge taken once, the signature checked against the stored key, the counter kept. */
export async function signInWithPasskey(
  context: AccountsContext,
  rp: RelyingParty,
  input: { response: Record<string, unknown> },
  client: Client,
): Promise<SessionTokens> {
  const { signIn: throttle } = context.throttles;
  throttle.check(client.address, null);
  const response = input.response as unknown as AuthenticationResponseJSON;
  const challenge = challengeOf(response);
  const passkey = await context.db
    .selectFrom("passkeys")
    .innerJoin("users", (join) =>
      join.onRef("users.id", "=", "passkeys.user_id").onRef("users.org_id", "=", "passkeys.org_id"),
    )
    .select([
      "passkeys.id",
      "passkeys.org_id",
      "passkeys.user_id",
      "passkeys.credential_id",
      "passkeys.public_key",
      "passkeys.counter",
      "passkeys.transports",
      "users.email",
      "users.deactivated_at",
    ])
    .where("passkeys.credential_id", "=", response.id)
    .executeTakeFirst();
  const refuse = () => {
    throttle.fail(client.address, null);
    return passkeyRefused();
  };
  if (challenge === null || !(await takeChallenge(context.db, challenge, "authentication", null)))
    throw refuse();
  if (!passkey || passkey.deactivated_at !== null) throw refuse();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: Number(passkey.counter),
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: true,
    });
  } catch {
    verified = null;
  }
  if (!verified?.verified) {
    await recordAccountEvent(
      context.db,
      passkey.org_id,
      null,
      "account.sign_in_failed",
      {
        type: "user",
        id: passkey.user_id,
      },
      { reason: "passkey_not_verified", address: client.address },
    );
    throw refuse();
  }
  if (await isMicrosoft365Only(context.db, passkey.org_id)) {
    await recordAccountEvent(
      context.db,
      passkey.org_id,
      null,
      "account.sign_in_failed",
      { type: "user", id: passkey.user_id },
      { reason: "microsoft365_only", address: client.address, with: "passkey" },
    );
    throw microsoft365Only();
  }
  const user = { orgId: passkey.org_id, userId: passkey.user_id, email: passkey.email ?? "" };
  return context.db.transaction().execute(async (tx) => {
    await tx
      .updateTable("passkeys")
      .set({ counter: verified.authenticationInfo.newCounter, last_used_at: sql`now()` })
      .where("id", "=", passkey.id)
      .execute();
    const tokens = await openSession(tx, context.issuer, user, client.userAgent);
    await recordAccountEvent(
      tx,
      user.orgId,
      user.userId,
      "account.signed_in",
      { type: "user", id: user.userId },
      {
        sessionId: tokens.sessionId,
        address: client.address,
        with: "passkey",
      },
    );
    return tokens;
  });
}
