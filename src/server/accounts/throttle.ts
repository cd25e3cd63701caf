import { isIPv6 } from "node:net";
import { AppError } from "../errors";

/**
 * Growing waits after failures, per key (a client address, an account's address): the first few failures cost
 * nothing, then each one doubles the wait before the next attempt is heard, up to a ceiling. A wait answers
 * 429 rate_limited with Retry-After at once; nothing sleeps on the server, so a flood holds no connection or
 * store time. A key is forgotten a while after its last failure, and a success clears an account's count (not an
 * address's: one right password must not buy a shared address another round of guesses).
 *
 * Kept in the server's memory, like the request limits: behind a load balancer each server counts its own.
 */
export interface ThrottleSettings {
  /** Failures a key may have before waits begin. */
  freeFailures: number;
  firstWaitMs: number;
  maxWaitMs: number;
  /** How long after its last failure a key is forgotten. */
  forgetAfterMs: number;
}

export interface AccountThrottles {
  /** Per client address: a shared office address gets more room than one account. */
  address: ThrottleSettings;
  account: ThrottleSettings;
}

export const DEFAULT_THROTTLES: AccountThrottles = {
  address: { freeFailures: 20, firstWaitMs: 1_000, maxWaitMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
  account: { freeFailures: 5, firstWaitMs: 1_000, maxWaitMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
};

interface Entry {
  failures: number;
  waitUntil: number;
  lastFailure: number;
}

const MAX_KEYS = 100_000;

export class Throttle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitFor(key: string): number {
    const entry = this.current(key);
    return entry ? Math.max(0, entry.waitUntil - this.now()) : 0;
  }

  fail(key: string): void {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, waitUntil: 0, lastFailure: now };
    entry.failures += 1;
    entry.lastFailure = now;
    const over = entry.failures - this.settings.freeFailures;
    if (over > 0) {
      const wait = Math.min(this.settings.maxWaitMs, this.settings.firstWaitMs * 2 ** Math.min(over - 1, 30));
      entry.waitUntil = now + wait;
    }
    if (!this.entries.has(key) && this.entries.size >= MAX_KEYS) this.forgetOld(now);
    this.entries.set(key, entry);
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  /** Takes back one failure counted ahead of an attempt that then succeeded. */
  refund(key: string): void {
    const entry = this.current(key);
    if (!entry) return;
    entry.failures -= 1;
    if (entry.failures <= 0) this.entries.delete(key);
    else if (entry.failures <= this.settings.freeFailures) entry.waitUntil = 0;
  }

  private current(key: string): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.now() - entry.lastFailure > this.settings.forgetAfterMs && entry.waitUntil <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  /** Full: the keys not waiting go first; were every key waiting, the oldest half. */
  private forgetOld(now: number): void {
    for (const [key, entry] of this.entries) if (entry.waitUntil <= now) this.entries.delete(key);
    if (this.entries.size < MAX_KEYS) return;
    let drop = Math.floor(this.entries.size / 2);
    for (const key of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(key);
    }
  }
}

/**
 * The key a client address is counted under. One IPv6 host commonly holds a whole /64 and may take any address in
 * it, so each of its addresses counted apart would give it endless fresh starts: the /64 is the address. An IPv4
 * address written as IPv6 (::ffff:192.0.2.1) is the IPv4 address.
 */
export function clientKey(address: string): string {
  if (!isIPv6(address)) return address;
  const plain = (address.split("%")[0] ?? "").toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail] = plain.split("::");
  // A dotted IPv4 tail is the last two groups.
  const groups = (part: string | undefined) =>
    part ? part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group])) : [];
  const before = groups(head);
  const after = groups(tail);
  const all =
    tail === undefined ? before : [...before, ...Array(8 - before.length - after.length).fill("0"), ...after];
  return `${all
    .slice(0, 4)
    .map((group) => group.padStart(4, "0"))
    .join(":")}::/64`;
}

/** The address's and the account's throttles together, as the public account routes use them. */
export class SignInThrottle {
  private readonly byAddress: Throttle;
  private readonly byAccount: Throttle;

  constructor(settings: AccountThrottles = DEFAULT_THROTTLES, now: () => number = Date.now) {
    this.byAddress = new Throttle(settings.address, now);
    this.byAccount = new Throttle(settings.account, now);
  }

  /** Refuses (429 with the wait) while the client address or the named account must wait. */
  check(address: string, account: string | null): void {
    const wait = Math.max(
      this.byAddress.waitFor(clientKey(address)),
      account === null ? 0 : this.byAccount.waitFor(account),
    );
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError("rate_limited", 429, `Too many failed attempts; try again in ${seconds} s.`, {
        retryAfter: seconds,
      });
    }
  }

  fail(address: string, account: string | null): void {
    this.byAddress.fail(clientKey(address));
    if (account !== null) this.byAccount.fail(account);
  }

  /**
   * Checks, then counts the attempt as a failure before its password is checked: attempts sent together are all
   * counted before any is answered, so a burst gets no more guesses than a sequence. `succeeded` takes it back.
   */
  charge(address: string, account: string): void {
    this.check(address, account);
    this.fail(address, account);
  }

  /** The charged attempt was right: the address's failure is taken back, the account's count cleared. */
  succeeded(address: string, account: string): void {
    this.byAddress.refund(clientKey(address));
    this.byAccount.succeed(account);
  }

  succeed(account: string): void {
    this.byAccount.succeed(account);
  }
}
