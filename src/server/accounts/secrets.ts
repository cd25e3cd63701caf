import { createHash, randomBytes } from "node:crypto";

/**
 * A one-time secret (a link's token, a refresh token): 32 random bytes as base64url, and the SHA-256 that is all
 * the store keeps. 256 random bits need no slow hash: nobody guesses them, and a stolen hash opens nothing.
 */
export function newSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashSecret(token) };
}

export const hashSecret = (token: string): string => createHash("sha256").update(token).digest("base64url");
