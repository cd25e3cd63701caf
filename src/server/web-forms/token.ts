import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// The submit-time check. Every page (and every script that fills a pasted form) carries a token: when it was
// handed out, how long it lasts, the consent version the visitor was shown and a random id, signed with the form's
// own key. A submission that comes back sooner than a person could fill the form is asked to be sent again; a
// forged token is dropped quietly. Each token is good for a few posts only (counted in the store by its id: see submit.ts).

/** A person needs longer than this to read a form and fill it in. */
export const MIN_FILL_SECONDS = 3;
/** A page's token: a hosted page may be left open for a while; older, it is asked to be sent again. */
export const PAGE_TOKEN_SECONDS = 2 * 24 * 60 * 60;
/** A token the embed script fetches when the site's page loads: it fetches a new one when this one is over. */
export const SCRIPT_TOKEN_SECONDS = 2 * 60 * 60;
/** Posts one token is good for: the first, and retries after a problem the form came back with. */
export const MAX_TOKEN_USES = 3;

interface TokenParts {
  issuedAt: number;
  lifetime: number;
  consentVersion: number | null;
  id: string;
}

const sign = (key: Buffer, publicId: string, p: TokenParts) =>
  createHmac("sha256", key)
    .update(`${publicId}.${p.issuedAt}.${p.lifetime}.${p.consentVersion ?? 0}.${p.id}`)
    .digest("base64url");

const write = (key: Buffer, publicId: string, p: TokenParts) =>
  `${p.issuedAt}.${p.lifetime}.${p.consentVersion ?? 0}.${p.id}.${sign(key, publicId, p)}`;

export function issueToken(
  key: Buffer,
  publicId: string,
  now: Date,
  consentVersion: number | null,
  lifetime: number = PAGE_TOKEN_SECONDS,
): string {
  return write(key, publicId, {
    issuedAt: Math.floor(now.getTime() / 1000),
    lifetime,
    consentVersion,
    id: randomBytes(12).toString("base64url"),
  });
}

/**
 * The same token again, for the form given back with a problem: its time, lifetime and id stay (the visitor has
 * been at it since, and its posts are counted together), and the consent version becomes the one the page now
 * shows them.
 */
export function reissueToken(
  key: Buffer,
  publicId: string,
  token: TokenParts,
  consentVersion: number | null,
): string {
  return write(key, publicId, { ...token, consentVersion });
}

export type TokenVerdict =
  | ({ kind: "ok" } & TokenParts)
  | { kind: "missing" }
  | { kind: "expired"; consentVersion: number | null }
  | { kind: "forged" }
  | { kind: "tooFast"; consentVersion: number | null };

export function checkToken(
  key: Buffer,
  publicId: string,
  token: string | undefined,
  now: Date,
): TokenVerdict {
  if (token === undefined || token === "") return { kind: "missing" };
  // A page handed out before tokens had an id and a lifetime: sent again with a fresh token, not dropped.
  if (/^\d{1,12}\.\d{1,9}\.[A-Za-z0-9_-]{43}$/.test(token)) return { kind: "expired", consentVersion: null };
  const match = /^(\d{1,12})\.(\d{1,7})\.(\d{1,9})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { kind: "forged" };
  const version = Number(match[3]);
  const parts: TokenParts = {
    issuedAt: Number(match[1]),
    lifetime: Number(match[2]),
    consentVersion: version === 0 ? null : version,
    id: match[4] as string,
  };
  const expected = Buffer.from(sign(key, publicId, parts));
  const given = Buffer.from(match[5] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: "forged" };
  const age = now.getTime() / 1000 - parts.issuedAt;
  if (age < MIN_FILL_SECONDS) return { kind: "tooFast", consentVersion: parts.consentVersion };
  if (age > Math.min(parts.lifetime, PAGE_TOKEN_SECONDS))
    return { kind: "expired", consentVersion: parts.consentVersion };
  return { kind: "ok", ...parts };
}

/** When a token stops being good: its use count in the store may go then. */
export const tokenExpiry = (token: TokenParts): Date =>
  new Date((token.issuedAt + Math.min(token.lifetime, PAGE_TOKEN_SECONDS)) * 1000);
