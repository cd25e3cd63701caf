import {
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
} from "jose";
import { type Kysely, sql } from "kysely";
import type { DB } from "../db/tables";

export const ACCOUNT_ISSUER = "urn:rapport:accounts";
export const ACCOUNT_AUDIENCE = "api://rapport";
/** Minutes, not an hour: a signed-out or deactivated session's access token is refused anyway (each request
 * checks its session), but a short life bounds what a copied token is worth if the store cannot be asked. */
export const ACCESS_TOKEN_SECONDS = 10 * 60;
const ALG = "ES256";

export interface AccessClaims {
  orgId: string;
  userId: string;
  sessionId: string;
  email: string;
}

/** Rapport's own issuer of access tokens: signs at sign-in and refresh, and gives the verifier its keys. */
export interface AccountIssuer {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  sign(claims: AccessClaims): Promise<string>;
}

/**
 * The signing key lives in the store (signing_keys), not in a server's data directory: every server of a
 * deployment must verify what another signed. The first server to start makes it, under an advisory lock so two
 * starting together make one.
 */
export async function loadAccountIssuer(db: Kysely<DB>): Promise<AccountIssuer> {
  const stored = await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('rapport.signing_keys'))`.execute(tx);
    const existing = await tx
      .selectFrom("signing_keys")
      .select(["kid", "private_jwk", "public_jwk"])
      .orderBy("created_at")
      .orderBy("kid")
      .executeTakeFirst();
    if (existing) return existing;
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const made = {
      kid: `accounts-${Date.now().toString(36)}`,
      private_jwk: (await exportJWK(privateKey)) as Record<string, unknown>,
      public_jwk: (await exportJWK(publicKey)) as Record<string, unknown>,
    };
    await tx
      .insertInto("signing_keys")
      .values({
        kid: made.kid,
        private_jwk: JSON.stringify(made.private_jwk),
        public_jwk: JSON.stringify(made.public_jwk),
      })
      .execute();
    return made;
  });
  const privateKey = await importJWK(stored.private_jwk as JWK, ALG);
  const keys = createLocalJWKSet({
    keys: [{ ...(stored.public_jwk as JWK), kid: stored.kid, alg: ALG, use: "sig" }],
  });
  return {
    issuer: ACCOUNT_ISSUER,
    audience: ACCOUNT_AUDIENCE,
    keys,
    sign: (claims) =>
      new SignJWT({ org: claims.orgId, sid: claims.sessionId, email: claims.email })
        .setProtectedHeader({ alg: ALG, kid: stored.kid, typ: "JWT" })
        .setIssuer(ACCOUNT_ISSUER)
        .setAudience(ACCOUNT_AUDIENCE)
        .setSubject(claims.userId)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
        .sign(privateKey),
  };
}
