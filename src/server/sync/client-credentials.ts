import { X509Certificate, createHash, createPrivateKey, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { z } from "zod";
import type { GraphSyncConfig } from "../config";

/** A token for Microsoft Graph in a tenant, with the app's own identity (OAuth 2.0 client credentials). */
export type TenantTokens = (tenantId: string) => Promise<string>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

export class TokenRequestError extends Error {}

/** Renew this long before the token runs out, so a request never leaves with one that expires in flight. */
const EARLY_RENEWAL_MS = 5 * 60_000;

interface CertificateCredential {
  key: ReturnType<typeof createPrivateKey>;
  /** SHA-1 and SHA-256 thumbprints of the certificate, base64url, as Entra matches them (x5t, x5t#S256). */
  x5t: string;
  x5tS256: string;
}

function loadCertificate(file: string): CertificateCredential {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    throw new TokenRequestError(
      `Cannot read the Graph certificate ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const certificate = new X509Certificate(pem);
  return {
    key: createPrivateKey(pem),
    x5t: createHash("sha1").update(certificate.raw).digest("base64url"),
    x5tS256: createHash("sha256").update(certificate.raw).digest("base64url"),
  };
}

/**
 * Tokens per tenant, each kept until shortly before it expires. A secret is sent as is; a certificate signs a
 * short-lived client assertion (RFC 7523), so the secret never leaves this machine.
 */
export function clientCredentialTokens(
  config: GraphSyncConfig,
  fetchImpl: typeof fetch = fetch,
): TenantTokens {
  const certificate =
    config.credential.kind === "certificate" ? loadCertificate(config.credential.path) : null;
  const cache = new Map<string, { token: string; renewAt: number }>();
  const inFlight = new Map<string, Promise<string>>();

  async function request(tenantId: string): Promise<string> {
    const endpoint = `${config.authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: config.clientId,
      scope: `${config.graphUrl}/.default`,
    });
    if (config.credential.kind === "secret") {
      form.set("client_secret", config.credential.secret);
    } else if (certificate) {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({
          alg: "RS256",
          typ: "JWT",
          x5t: certificate.x5t,
          "x5t#S256": certificate.x5tS256,
        })
        .setIssuer(config.clientId)
        .setSubject(config.clientId)
        .setAudience(endpoint)
        .setJti(randomUUID())
        .setNotBefore(now - 60)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(certificate.key);
      form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      form.set("client_assertion", assertion);
    }
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new TokenRequestError(
        `The sign-in service at ${config.authority} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const failure = TokenError.safeParse(body);
      throw new TokenRequestError(
        `Signing in to tenant ${tenantId} as app ${config.clientId} failed (HTTP ${response.status}` +
          (failure.success
            ? `, ${failure.data.error}): ${failure.data.error_description?.split("\n")[0] ?? ""}`
            : ")"),
      );
    }
    const token = TokenResponse.parse(body);
    cache.set(tenantId, {
      token: token.access_token,
      renewAt: Date.now() + Math.max(0, token.expires_in * 1000 - EARLY_RENEWAL_MS),
    });
    return token.access_token;
  }

  return async (tenantId) => {
    const cached = cache.get(tenantId);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    // Mailboxes of one tenant synced at once share one token request.
    let pending = inFlight.get(tenantId);
    if (!pending) {
      pending = request(tenantId).finally(() => inFlight.delete(tenantId));
      inFlight.set(tenantId, pending);
    }
    return pending;
  };
}
