import { type JWTPayload, decodeJwt, errors, jwtVerify } from "jose";
import { z } from "zod";
import { AppError } from "../errors";
import type { EntraConfig } from "../config";
import { claimedOrigin, entraIssuerResolver } from "./entra-issuers";
import type { LocalIssuer } from "./local-issuer";
import type { AccountIssuer } from "../accounts/account-issuer";

/** Who is calling, as the token says; the store maps it to an organisation and a user. */
export interface Identity {
  issuer: "local" | "entra" | "account";
  tenantId: string;
  objectId: string;
  email: string | null;
  name: string | null;
  /** The app roles the tenant assigned the user in Rapport's app registration (`roles`). */
  roles: string[];
  /** A guest of the tenant (B2B), not one of its members: never made an admin by address. */
  guest: boolean;
  /** When the token was issued (`iat`, seconds): tells one token from the next, and the newer from the older. */
  issuedAt: number | null;
  /** Rapport's own accounts: the session the access token belongs to (checked at every request). */
  sessionId?: string;
}

export type VerifyToken = (token: string) => Promise<Identity>;

const Claims = z.object({
  tid: z.string().min(1).max(200),
  oid: z.string().min(1).max(200),
  scp: z.string().max(2000).optional(),
  email: z.string().max(320).nullish(),
  // v2.0 tokens name the user in preferred_username, v1.0 tokens in upn (members) or unique_name.
  preferred_username: z.string().max(320).nullish(),
  upn: z.string().max(320).nullish(),
  unique_name: z.string().max(320).nullish(),
  name: z.string().max(300).nullish(),
  iat: z.number().optional(),
  // Optional claims: one that is not as documented counts as absent rather than failing the sign-in.
  roles: z.array(z.string().max(200)).max(500).optional().catch(undefined),
  acct: z.union([z.number(), z.string()]).optional().catch(undefined),
  idp: z.string().max(500).optional().catch(undefined),
});

/** What Rapport's own access tokens say (accounts/account-issuer.ts): the user, their organisation, the session. */
const AccountClaims = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  sid: z.uuid(),
  email: z.string().max(320),
  iat: z.number().optional(),
});

const MAX_TOKEN_LENGTH = 16 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const unauthenticated = (detail: string) => new AppError("unauthenticated", 401, detail);

/**
 * Verifies a bearer token against the issuer it names: the local issuer or Entra ID (signature from the JWKS,
 * issuer, audience, expiry, and the API scope). There is deliberately no path that skips any of these.
 * Entra's v1.0 and v2.0 access tokens pass the same checks, each against its own version's issuer.
 */
export function createTokenVerifier(options: {
  local: LocalIssuer | null;
  entra: EntraConfig | null;
  /** Rapport's own accounts' issuer; its tokens carry no scope, only a session that the caller resolver checks. */
  accounts?: AccountIssuer | null;
  scope: string;
  fetchImpl?: typeof fetch;
}): VerifyToken {
  const entraIssuer = options.entra ? entraIssuerResolver(options.entra, options.fetchImpl ?? fetch) : null;

  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated("The token is too large.");
    // A JWS in compact form is three base64url parts without padding (RFC 7515). Decoders are lenient (a padded
    // signature decodes to the same bytes and would pass), so anything else is refused before it is read.
    if (!COMPACT_JWS.test(token)) throw unauthenticated("The bearer token is not a JWT.");
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw unauthenticated("The bearer token is not a JWT.");
    }

    const accounts = options.accounts;
    if (accounts && unverified.iss === accounts.issuer) {
      let verified: JWTPayload;
      try {
        ({ payload: verified } = await jwtVerify(token, accounts.keys, {
          issuer: accounts.issuer,
          audience: accounts.audience,
          algorithms: ["ES256"],
          requiredClaims: ["exp", "sub"],
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      const claims = AccountClaims.safeParse(verified);
      if (!claims.success) throw unauthenticated("The token lacks its user, organisation or session.");
      return {
        issuer: "account",
        tenantId: claims.data.org,
        objectId: claims.data.sub,
        email: claims.data.email,
        name: null,
        roles: [],
        guest: false,
        issuedAt: claims.data.iat ?? null,
        sessionId: claims.data.sid,
      };
    }

    let payload: JWTPayload;
    let issuer: Identity["issuer"];
    try {
      if (options.local && unverified.iss === options.local.issuer) {
        issuer = "local";
        ({ payload } = await jwtVerify(token, options.local.keys, {
          issuer: options.local.issuer,
          audience: options.local.audience,
          algorithms: ["ES256"],
          // jose checks expiry only when the claim is there; a token that never expires is refused outright.
          requiredClaims: ["exp"],
        }));
      } else if (options.entra && entraIssuer && typeof unverified.iss === "string") {
        const { tenant, version } = claimedOrigin(options.entra, unverified);
        issuer = "entra";
        const expected = await entraIssuer(tenant, version);
        // The issuer is the claimed tenant's for the claimed version, and both claims are signed: a token whose
        // tid, ver and iss do not agree fails here (a v1.0 token with a v2.0 issuer, another tenant's issuer).
        ({ payload } = await jwtVerify(token, expected.keys, {
          issuer: expected.issuer,
          // v2.0 tokens name the API by its client id; v1.0 tokens by the resource the client asked for, which
          // is the Application ID URI (or the client id).
          audience: [options.entra.clientId, options.entra.appIdUri],
          algorithms: ["RS256"],
          requiredClaims: ["exp"],
        }));
      } else {
        throw unauthenticated("The token's issuer is not trusted by this Rapport server.");
      }
    } catch (error) {
      throw toAuthError(error);
    }

    const claims = Claims.safeParse(payload);
    if (!claims.success) throw unauthenticated("The token lacks the tenant (tid) or user (oid) claim.");
    const scopes = (claims.data.scp ?? "").split(" ");
    if (!scopes.includes(options.scope)) {
      throw new AppError("insufficient_scope", 403, `The token does not carry the "${options.scope}" scope.`);
    }
    const signInName = signInNameOf(claims.data.unique_name);
    const email =
      claims.data.email ?? claims.data.preferred_username ?? claims.data.upn ?? signInName.address ?? null;
    const tenantId = claims.data.tid.toLowerCase();
    return {
      issuer,
      tenantId,
      objectId: claims.data.oid,
      email: email && email.includes("@") ? email.toLowerCase() : null,
      name: claims.data.name ?? null,
      roles: claims.data.roles ?? [],
      guest: signInName.external || isGuest(claims.data, tenantId),
      issuedAt: claims.data.iat ?? null,
    };
  };
}

/**
 * Entra says a guest two ways: the optional claim `acct` (1 for a guest, 0 for a member; the app registration
 * must ask for it), and `idp`, which names the identity provider that signed the user in when that is not the
 * tenant itself (a guest's home tenant, or "live.com" for a personal account invited as a guest). Either one
 * is enough; a member's token has no `idp` or one naming its own tenant.
 */
function isGuest(claims: { acct?: number | string | undefined; idp?: string | undefined }, tenantId: string) {
  if (String(claims.acct) === "1") return true;
  return claims.idp !== undefined && !claims.idp.toLowerCase().includes(tenantId);
}

/**
 * A v1.0 token's unique_name is the user's sign-in name, written `<identity provider>#<address>` for a guest
 * from outside Entra (`live.com#ana@outlook.com`): the address is what follows the provider, and the prefix says
 * the account is that provider's, not the tenant's, whatever idp and acct say or leave out. An address stripped
 * of it must never pass for a member's (the server's list of admins matches members by address).
 */
function signInNameOf(uniqueName: string | null | undefined): { address: string | null; external: boolean } {
  if (!uniqueName) return { address: null, external: false };
  const address = uniqueName.replace(/^[a-z0-9.-]+#(?=[^#]*@)/i, "");
  return { address, external: address !== uniqueName };
}

function toAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired)
    return new AppError("token_expired", 401, "The token has expired; sign in again.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(`The token's "${error.claim}" claim is not acceptable (${error.reason}).`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return unauthenticated("The token's signing algorithm is not accepted.");
  if (error instanceof errors.JWKSNoMatchingKey)
    return unauthenticated("The token was signed with an unknown key.");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated("The token's signature is not valid.");
  if (error instanceof errors.JOSEError) return unauthenticated(`The token is not valid (${error.code}).`);
  // The identity provider is out of reach: a retryable failure, not a reason to sign the user out.
  return new AppError("auth_unavailable", 503, "The sign-in keys could not be fetched right now; try again.");
}
