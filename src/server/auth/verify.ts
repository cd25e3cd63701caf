import {
  type JWTPayload,
  type JWTVerifyGetKey,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
} from "jose";
import { z } from "zod";
import { AppError } from "../errors";
import { type EntraConfig, PERSONAL_ACCOUNTS_TENANT } from "../config";
import type { LocalIssuer } from "./local-issuer";

/** Who is calling, as the token says; the store maps it to an organisation and a user. */
export interface Identity {
  issuer: "local" | "entra";
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
}

export type VerifyToken = (token: string) => Promise<Identity>;

const Claims = z.object({
  tid: z.string().min(1).max(200),
  oid: z.string().min(1).max(200),
  scp: z.string().max(2000).optional(),
  email: z.string().max(320).nullish(),
  preferred_username: z.string().max(320).nullish(),
  upn: z.string().max(320).nullish(),
  name: z.string().max(300).nullish(),
  iat: z.number().optional(),
  // Optional claims: one that is not as documented counts as absent rather than failing the sign-in.
  roles: z.array(z.string().max(200)).max(500).optional().catch(undefined),
  acct: z.union([z.number(), z.string()]).optional().catch(undefined),
  idp: z.string().max(500).optional().catch(undefined),
});

const MAX_TOKEN_LENGTH = 16 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const unauthenticated = (detail: string) => new AppError("unauthenticated", 401, detail);

/**
 * Verifies a bearer token against the issuer it names: the local issuer or Entra ID (signature from the JWKS,
 * issuer, audience, expiry, and the API scope). There is deliberately no path that skips any of these.
 */
export function createTokenVerifier(options: {
  local: LocalIssuer | null;
  entra: EntraConfig | null;
  scope: string;
  fetchImpl?: typeof fetch;
}): VerifyToken {
  const entraKeys = options.entra ? entraKeyResolver(options.entra, options.fetchImpl ?? fetch) : null;

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
      } else if (options.entra && entraKeys && typeof unverified.iss === "string") {
        const tenant = entraTenantOf(options.entra, unverified.iss);
        // Before any key is fetched: no token of that tenant is ever accepted, signed or not.
        if (tenant === PERSONAL_ACCOUNTS_TENANT) throw personalAccount();
        if (!tenant) throw unauthenticated("The token's issuer is not trusted by this Rapport server.");
        issuer = "entra";
        ({ payload } = await jwtVerify(token, entraKeys(tenant), {
          issuer: `${options.entra.authority}/${tenant}/v2.0`,
          audience: [options.entra.clientId, `api://${options.entra.clientId}`],
          algorithms: ["RS256"],
          requiredClaims: ["exp"],
        }));
        if (typeof payload.tid !== "string" || payload.tid.toLowerCase() !== tenant) {
          throw unauthenticated("The token's tenant does not match its issuer.");
        }
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
    const email = claims.data.email ?? claims.data.preferred_username ?? claims.data.upn ?? null;
    const tenantId = claims.data.tid.toLowerCase();
    return {
      issuer,
      tenantId,
      objectId: claims.data.oid,
      email: email && email.includes("@") ? email.toLowerCase() : null,
      name: claims.data.name ?? null,
      roles: claims.data.roles ?? [],
      guest: isGuest(claims.data, tenantId),
      issuedAt: claims.data.iat ?? null,
    };
  };
}

const personalAccount = () =>
  new AppError(
    "personal_account",
    403,
    "Rapport is for work and school accounts: sign in with your organisation's Microsoft 365 account, not a personal Microsoft account.",
  );

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

function entraTenantOf(entra: EntraConfig, iss: string): string | null {
  const prefix = `${entra.authority}/`;
  if (!iss.startsWith(prefix) || !iss.endsWith("/v2.0")) return null;
  const tenant = iss.slice(prefix.length, -"/v2.0".length).toLowerCase();
  if (!/^[0-9a-f-]{36}$/.test(tenant)) return null;
  if (entra.tenants !== null && !entra.tenants.includes(tenant)) return null;
  return tenant;
}

const MAX_TENANTS = 1000;
const UNKNOWN_TENANT_MS = 10 * 60 * 1000;
const UNREACHABLE_RETRY_MS = 30 * 1000;

/**
 * The JWKS location comes from each tenant's OpenID configuration, fetched once and kept. Failures are kept
 * too (an unknown tenant for ten minutes, an unreachable provider for half a minute): otherwise any unsigned
 * token naming a made-up tenant would make this server fetch from the identity provider again.
 */
function entraKeyResolver(entra: EntraConfig, fetchImpl: typeof fetch): (tenant: string) => JWTVerifyGetKey {
  const byTenant = new Map<string, { keys: Promise<JWTVerifyGetKey>; until: number }>();

  const load = async (tenant: string): Promise<JWTVerifyGetKey> => {
    const url = `${entra.authority}/${tenant}/v2.0/.well-known/openid-configuration`;
    const response = await fetchImpl(url);
    if (response.status >= 400 && response.status < 500) {
      throw unauthenticated("The token names a tenant the identity provider does not know.");
    }
    if (!response.ok) throw new Error(`OpenID configuration ${url} answered ${response.status}`);
    const { jwks_uri } = z.object({ jwks_uri: z.url() }).parse(await response.json());
    return createRemoteJWKSet(new URL(jwks_uri));
  };

  const keysOf = (tenant: string): Promise<JWTVerifyGetKey> => {
    const now = Date.now();
    const known = byTenant.get(tenant);
    if (known && now < known.until) return known.keys;
    if (byTenant.size >= MAX_TENANTS) byTenant.clear();
    const entry = { keys: load(tenant), until: Number.POSITIVE_INFINITY };
    entry.keys.catch((error: unknown) => {
      entry.until = Date.now() + (error instanceof AppError ? UNKNOWN_TENANT_MS : UNREACHABLE_RETRY_MS);
    });
    byTenant.set(tenant, entry);
    return entry.keys;
  };

  return (tenant) => async (header, token) => (await keysOf(tenant))(header, token);
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
