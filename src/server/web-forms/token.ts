import { createHmac, timingSafeEqual } from "node:crypto";

// The submit-time check. Every page (and every script that fills a pasted form) carries a token: when it was
// handed out and the consent version the visitor was shown, signed with the form's own key. A submission that
// comes back sooner than a person could fill the form is a bot's, and dropped quietly; a forged token too.

/** A person needs longer than this to read a form and fill it in. */
export const MIN_FILL_SECONDS = 3;
/** A page older than this is asked to be sent again (with a fresh token): a replayed token is not good for ever. */
export const MAX_TOKEN_AGE_SECONDS = 2 * 24 * 60 * 60;

const sign = (key: Buffer, publicId: string, issuedAt: number, consentVersion: number) =>
  createHmac("sha256", key).update(`${publicId}.${issuedAt}.${consentVersion}`).digest("base64url");

export function issueToken(key: Buffer, publicId: string, now: Date, consentVersion: number | null): string {
  return tokenFor(key, publicId, Math.floor(now.getTime() / 1000), consentVersion);
}

/**
 * The same page's token again, for the form given back with a problem: its time stays (the visitor has been at it
 * since), and the consent version becomes the one the page now shows them.
 */
export function reissueToken(
  key: Buffer,
  publicId: string,
  issuedAt: number,
  consentVersion: number | null,
): string {
  return tokenFor(key, publicId, issuedAt, consentVersion);
}

function tokenFor(key: Buffer, publicId: string, issuedAt: number, consentVersion: number | null): string {
  const version = consentVersion ?? 0;
  return `${issuedAt}.${version}.${sign(key, publicId, issuedAt, version)}`;
}

export type TokenVerdict =
  | { kind: "ok"; issuedAt: number; consentVersion: number | null }
  | { kind: "missing" }
  | { kind: "expired"; consentVersion: number | null }
  | { kind: "forged" }
  | { kind: "tooFast" };

export function checkToken(
  key: Buffer,
  publicId: string,
  token: string | undefined,
  now: Date,
): TokenVerdict {
  if (token === undefined || token === "") return { kind: "missing" };
  const match = /^(\d{1,12})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { kind: "forged" };
  const issuedAt = Number(match[1]);
  const version = Number(match[2]);
  const expected = Buffer.from(sign(key, publicId, issuedAt, version));
  const given = Buffer.from(match[3] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: "forged" };
  const age = now.getTime() / 1000 - issuedAt;
  if (age < MIN_FILL_SECONDS) return { kind: "tooFast" };
  const consentVersion = version === 0 ? null : version;
  if (age > MAX_TOKEN_AGE_SECONDS) return { kind: "expired", consentVersion };
  return { kind: "ok", issuedAt, consentVersion };
}
