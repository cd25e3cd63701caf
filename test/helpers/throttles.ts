import { type AccountThrottles, DEFAULT_THROTTLES } from "../../src/server/accounts/throttle";

/**
 * The production throttles, but with a first wait of ten minutes: a test that counts how many guesses are heard
 * before the waits begin must not depend on how fast the machine hashes a password. With the one-second first wait,
 * a loaded machine answered the sixth guess after that second had passed, and a seventh was heard.
 */
export const PATIENT_THROTTLES: AccountThrottles = {
  address: { ...DEFAULT_THROTTLES.address, firstWaitMs: 10 * 60_000 },
  account: { ...DEFAULT_THROTTLES.account, firstWaitMs: 10 * 60_000 },
};
