import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
} from "jose";

export const LOCAL_ISSUER = "urn:rapport:local-issuer";
export const LOCAL_AUDIENCE = "api://rapport";
const ALG = "ES256";
const KEY_FILE = "local-issuer-key.json";

export interface LocalIdentityClaims {
  email: string;
  name?: string;
  /** The organisation's domain; also its tenant in the local issuer's world. */
  org: string;
}

export interface LocalIssuer {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  sign(claims: LocalIdentityClaims, options?: { scope?: string; expiresIn?: string }): Promise<string>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The embedded default's own token issuer: a key pair in the data directory, so the browser preview, scripts
 * and tests sign in through the same verification as Entra ID tokens do.
 */
export async function loadLocalIssuer(dataDir: string): Promise<LocalIssuer> {
  const stored = await readOrCreateKey(path.join(dataDir, KEY_FILE));
  const privateKey = await importJWK(stored.privateJwk, ALG);
  const keys = createLocalJWKSet({ keys: [{ ...stored.publicJwk, kid: stored.kid, alg: ALG, use: "sig" }] });
  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    keys,
    sign(claims, options = {}) {
      const email = claims.email.toLowerCase();
      return new SignJWT({
        tid: `local:${claims.org.toLowerCase()}`,
        oid: `local:${email}`,
        email,
        preferred_username: email,
        name: claims.name ?? null,
        scp: options.scope ?? "access_as_user",
      })
        .setProtectedHeader({ alg: ALG, kid: stored.kid, typ: "JWT" })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(`local:${email}`)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "1h")
        .sign(privateKey);
    },
  };
}

async function readOrCreateKey(file: string): Promise<StoredKey> {
  const existing = readKey(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const key: StoredKey = {
    kid: `local-${Date.now().toString(36)}`,
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  try {
    // "wx": when the server and `npm run token` start together, one key wins and both use it.
    writeFileSync(file, JSON.stringify(key, null, 2), { flag: "wx", mode: 0o600 });
    return key;
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === "EEXIST" ? readKey(file) : null;
    if (raced) return raced;
    throw error;
  }
}

function readKey(file: string): StoredKey | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const key = JSON.parse(text) as StoredKey;
    if (typeof key.kid === "string" && key.privateJwk && key.publicJwk) return key;
  } catch {
    // reported below
  }
  throw new Error(`The local issuer's key file ${file} is damaged; move it away to create a new key.`);
}
