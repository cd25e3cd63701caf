import { AppError } from "../../src/server/errors";
import { hashPassword, passwordWeakness, verifyPassword } from "../../src/server/accounts/passwords";
import { SignInThrottle, Throttle } from "../../src/server/accounts/throttle";

const CHEAP = { log2N: 10, r: 8, p: 1 };

describe("passwords", () => {
  it("verifies a password against its salted hash, which keeps its parameters", async () => {
    const one = await hashPassword("a long and quiet river", CHEAP);
    const two = await hashPassword("a long and quiet river", CHEAP);
    expect(one).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword("a long and quiet river", one)).toBe(true);
    expect(await verifyPassword("a long and quiet rivers", one)).toBe(false);
    // A hash made with the default cost verifies with it too.
    expect(await verifyPassword("x".repeat(20), await hashPassword("x".repeat(20)))).toBe(true);
    expect(await verifyPassword("anything", "not a hash")).toBe(false);
    expect(await verifyPassword("anything", "scrypt$40$8$1$AAAA$AAAA")).toBe(false);
  });

  it("refuses short, common, repeated and own-address passwords", () => {
    expect(passwordWeakness("short", null)).toMatch(/12 characters/);
    expect(passwordWeakness("qwertyuiop123", null)).toMatch(/common/);
    expect(passwordWeakness("Password2024!!", null)).toMatch(/common/);
    expect(passwordWeakness("123456789012", null)).not.toBeNull();
    expect(passwordWeakness("abcabcabcabcabc", null)).toMatch(/repeats/);
    expect(passwordWeakness("ada.lovelace@example.com", "ada.lovelace@example.com")).toMatch(/email/);
    expect(passwordWeakness("ada.lovelace2024", "ada.lovelace@example.com")).toMatch(/email/);
    expect(passwordWeakness("correct horse battery staple", null)).toBeNull();
  });
});

describe("growing waits", () => {
  it("lets a few failures pass, then doubles the wait up to the ceiling; a success clears an account", () => {
    let now = 0;
    const throttle = new Throttle(
      { freeFailures: 2, firstWaitMs: 1000, maxWaitMs: 8000, forgetAfterMs: 60_000 },
      () => now,
    );
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      throttle.fail("k");
      waits.push(throttle.waitFor("k"));
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
    now += 8000;
    expect(throttle.waitFor("k")).toBe(0);
    throttle.succeed("k");
    throttle.fail("k");
    expect(throttle.waitFor("k")).toBe(0);
    // Forgotten a while after the last failure.
    for (let i = 0; i < 5; i++) throttle.fail("j");
    now += 61_000;
    throttle.fail("j");
    expect(throttle.waitFor("j")).toBe(0);
  });

  it("refuses with 429 and Retry-After while the address or the account waits", () => {
    let now = 0;
    const settings = { freeFailures: 1, firstWaitMs: 1500, maxWaitMs: 60_000, forgetAfterMs: 600_000 };
    const limits = new SignInThrottle({ address: settings, account: settings }, () => now);
    limits.fail("10.0.0.1", "ada@example.com");
    limits.check("10.0.0.2", "ada@example.com");
    limits.fail("10.0.0.1", "ada@example.com");
    const refusal = (() => {
      try {
        limits.check("10.0.0.3", "ada@example.com");
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 429, code: "rate_limited", extras: { retryAfter: 2 } });
    expect(() => limits.check("10.0.0.1", "bo@example.com")).toThrow(AppError);
    limits.check("10.0.0.4", "bo@example.com");
    now += 1500;
    limits.check("10.0.0.1", "ada@example.com");
  });
});
