import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PASSWORD_MIN_LENGTH } from "../../shared/accounts";

/**
 * Passwords are kept as scrypt hashes with a salt of their own and the parameters they were made with:
 * `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url). A hash made with weaker parameters still verifies, so the
 * cost can be raised for new passwords without locking anyone out.
 */
export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

/** About 32 MiB and a few tens of milliseconds per hash: OWASP's floor for scrypt is N=2^17 at r=8 with p=1, or
 * the same memory-time product split differently; Rapport's servers run on small machines, so N=2^15 with r=8. */
export const DEFAULT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  return new Promise((resolve, reject) => {
    scryptCallback(
      password.normalize("NFC"),
      salt,
      KEY_LENGTH,
      // Node refuses more than 32 MiB by default, which N=2^15 at r=8 needs exactly.
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, cost);
  return ["scrypt", cost.log2N, cost.r, cost.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

const STORED = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{1,64})\$([A-Za-z0-9_-]{1,128})$/;

/** Whether the password is the one the stored hash was made from; a hash Rapport cannot read matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match) return false;
  const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (cost.log2N < 10 || cost.log2N > 20 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16)
    return false;
  const expected = Buffer.from(match[5] ?? "", "base64url");
  const key = await scrypt(password, Buffer.from(match[4] ?? "", "base64url"), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let decoy: Promise<string> | null = null;

/**
 * A hash no password matches, to check a password against when the address has no account: the answer then
 * takes as long as for an address that has one.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(32).toString("base64url"));
  return decoy;
}

let common: Set<string> | null = null;

/** The bundled list of common passwords (common-passwords.txt), read once. */
function commonPasswords(): Set<string> {
  if (common) return common;
  const text = readFileSync(path.join(__dirname, "common-passwords.txt"), "utf8");
  common = new Set(
    text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
  return common;
}

const isLetter = (char: string) => char.toLowerCase() !== char.toUpperCase();

/** The password without the digits and symbols around it ("Password123!" → "password"), in one pass each way. */
function stem(lowered: string): string {
  let start = 0;
  let end = lowered.length;
  while (start < end && !isLetter(lowered[start] ?? "")) start++;
  while (end > start && !isLetter(lowered[end - 1] ?? "")) end--;
  return lowered.slice(start, end);
}

/** A few characters said over and over ("aaaaaaaaaaaa", "abcabcabcabc", "123412341234"). */
function isRepetition(value: string): boolean {
  for (let unit = 1; unit <= 4 && unit < value.length; unit++) {
    let repeated = true;
    for (let i = unit; i < value.length && repeated; i++) repeated = value[i] === value[i - unit];
    if (repeated) return true;
  }
  return false;
}

/**
 * Why a new password is refused, or null when it is acceptable: too short, a common password (or one with
 * digits and symbols around a common word), a repetition, or the user's own address.
 */
export function passwordWeakness(password: string, email: string | null): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  const lowered = password.normalize("NFC").toLowerCase();
  const list = commonPasswords();
  const bare = stem(lowered);
  if (list.has(lowered) || (bare.length >= 4 && list.has(bare)))
    return "That password is one of the most common ones; choose another.";
  if (isRepetition(lowered)) return "That password repeats a few characters; choose another.";
  if (email) {
    const local = email.split("@")[0] ?? "";
    if (lowered === email || (local.length >= 4 && bare === local))
      return "A password must not be your email address; choose another.";
  }
  return null;
}
