import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet } from "jose";
import { z } from "zod";
import { AppError } from "../errors";
import { type EntraConfig, PERSONAL_ACCOUNTS_TENANT, isTenantId } from "../config";

/**
 * Entra issues two formats of access token, and which one an API receives is the API's registration's choice
 * (`accessTokenAcceptedVersion`; unset, a custom API gets v1.0): they differ in issuer, audience and some claims.
 */
export type EntraTokenVersion = "1.0" | "2.0";

/** What a token of one tenant and version must be issued and signed by. */
export interface EntraIssuer {
  issuer: string;
  keys: JWTVerifyGetKey;
}

const unauthenticated = (detail: string) => new AppError("unauthenticated", 401, detail);

/**
 * The tenant and version a token claims, read before its signature is checked: they only choose which issuer
 * and keys check it, and a tenant this server does not admit is refused before anything is fetched.
 */
export function claimedOrigin(
  entra: EntraConfig,
  unverified: JWTPayload,
): { tenant: string; version: EntraTokenVersion } {
  const tenant = typeof unverified.tid === "string" ? unverified.tid.toLowerCase() : "";
  if (!isTenantId(tenant))
    throw unauthenticated("The token names no Entra tenant (tid) and no other issuer this server trusts.");
  // No token of that tenant is ever accepted, signed or not.
  if (tenant === PERSONAL_ACCOUNTS_TENANT) throw personalAccount();
  if (entra.tenants !== null && !entra.tenants.includes(tenant)) {
    throw unauthenticated("The token's tenant is not one this Rapport server admits.");
  }
  const version = unverified.ver;
  if (version !== "1.0" && version !== "2.0") {
    throw unauthenticated('The token does not say which Entra token version it is (ver "1.0" or "2.0").');
  }
  return { tenant, version };
}

export const personalAccount = () =>
  new AppError(
    "personal_account",
    403,
    "Rapport is for work and school accounts: sign in with your organisation's Microsoft 365 account, not a personal Microsoft account.",
  );

const OpenIdConfiguration = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

const MAX_ENTRIES = 1000;
const UNKNOWN_TENANT_MS = 10 * 60 * 1000;
const UNREACHABLE_RETRY_MS = 30 * 1000;

/**
 * Each tenant's issuer and keys for each version, from the tenant's OpenID configuration for that version
 * (`<authority>/<tenant>/v2.0/...` and `<authority>/<tenant>/...`). The issuer is the one the document declares,
 * not one built here: v1.0's is another host (`https://sts.windows.net/<tenant>/` in the public cloud, another
 * in each national cloud), and only the document knows which.
 *
 * Documents are fetched once and kept, and so are failures (an unknown tenant for ten minutes, an unreachable
 * or throttling provider for half a minute): otherwise any unsigned token naming a made-up tenant would make this
 * server fetch from the identity provider again. When the cache is full, failures make room before any tenant's
 * document does. Key sets are shared by their address (every tenant's document
 * names the same few).
 */
export function entraIssuerResolver(
  entra: EntraConfig,
  fetchImpl: typeof fetch,
): (tenant: string, version: EntraTokenVersion) => Promise<EntraIssuer> {
  const issuers = new Map<string, { issuer: Promise<EntraIssuer>; until: number; loaded: boolean }>();
  const keySets = new Map<string, JWTVerifyGetKey>();

  const keysAt = (jwksUri: string): JWTVerifyGetKey => {
    const known = keySets.get(jwksUri);
    if (known) return known;
    if (keySets.size >= MAX_ENTRIES) keySets.clear();
    const keys = createRemoteJWKSet(new URL(jwksUri));
    keySets.set(jwksUri, keys);
    return keys;
  };

  const load = async (tenant: string, version: EntraTokenVersion): Promise<EntraIssuer> => {
    const url = `${entra.authority}/${tenant}${version === "2.0" ? "/v2.0" : ""}/.well-known/openid-configuration`;
    const response = await fetchImpl(url);
    // Throttled (429) or timed out (408) says nothing about the tenant: out of reach for now, retried soon.
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 429 &&
      response.status !== 408
    ) {
      throw unauthenticated("The token names a tenant the identity provider does not know.");
    }
    if (!response.ok) throw new Error(`OpenID configuration ${url} answered ${response.status}`);
    const document = OpenIdConfiguration.parse(await response.json());
    const issuer = document.issuer.replace("{tenantid}", tenant);
    // The document is the identity provider's, but it decides what a token must say: one that does not name
    // this tenant, or names the other version's issuer, is a misconfigured authority, not a reason to accept.
    const ofVersion = version === "2.0" ? issuer.endsWith("/v2.0") : !issuer.endsWith("/v2.0");
    if (!issuer.toLowerCase().includes(`/${tenant}/`) || !ofVersion) {
      throw new Error(
        `OpenID configuration ${url} declares the issuer ${issuer}, not one of tenant ${tenant} v${version}`,
      );
    }
    return { issuer, keys: keysAt(document.jwks_uri) };
  };

  /**
   * Room for one more: failures and loads in flight go first. Under "*" anyone can name a thousand made-up
   * tenants with unsigned tokens; were everything forgotten, each real tenant's next sign-in would fetch again
   * (from a provider that may by then be throttling this server).
   */
  const makeRoom = () => {
    if (issuers.size < MAX_ENTRIES) return;
    for (const [key, entry] of issuers) if (!entry.loaded) issuers.delete(key);
    if (issuers.size >= MAX_ENTRIES) issuers.clear();
  };

  return (tenant, version) => {
    const key = `${version} ${tenant}`;
    const now = Date.now();
    const known = issuers.get(key);
    if (known && now < known.until) return known.issuer;
    makeRoom();
    const entry = { issuer: load(tenant, version), until: Number.POSITIVE_INFINITY, loaded: false };
    entry.issuer.then(
      () => {
        entry.loaded = true;
      },
      (error: unknown) => {
        entry.until = Date.now() + (error instanceof AppError ? UNKNOWN_TENANT_MS : UNREACHABLE_RETRY_MS);
      },
    );
    issuers.set(key, entry);
    return entry.issuer;
  };
}
