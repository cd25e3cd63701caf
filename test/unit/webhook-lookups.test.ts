import { MAX_LOOKUPS, type ResolveAll, guardedLookup } from "../../src/server/webhooks/address";

/*
 * A delivery's name lookup (getaddrinfo) takes one of the four threads of libuv's pool that the whole server
 * shares until the receiver's name servers answer: seconds for one that never does. Webhooks run only a few at
 * once, so that reading files and hashing passwords for users' requests always find a thread.
 */
describe("webhooks' name lookups", () => {
  it("run at most MAX_LOOKUPS at once, the rest in turn as each answers", () => {
    const unanswered: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const slow: ResolveAll = (_hostname, _options, callback) => {
      running += 1;
      most = Math.max(most, running);
      unanswered.push(() => {
        running -= 1;
        callback(null, [{ address: "93.184.215.14", family: 4 }]);
      });
    };
    const lookup = guardedLookup(false, 60_000, slow);
    const answers: unknown[] = [];
    for (let i = 0; i < 6; i++)
      lookup(`slow${i}.example`, { all: false }, (error, address) => answers.push(error ?? address));
    expect(MAX_LOOKUPS).toBeLessThan(4);
    expect(unanswered).toHaveLength(MAX_LOOKUPS);
    while (unanswered.length) unanswered.shift()?.();
    expect(answers).toEqual(Array(6).fill("93.184.215.14"));
    expect(most).toBe(MAX_LOOKUPS);
  });

  it("answers a lookup that waited past the attempt's time with an error, without asking the name servers", async () => {
    const unanswered: (() => void)[] = [];
    let asked = 0;
    const slow: ResolveAll = (_hostname, _options, callback) => {
      asked += 1;
      unanswered.push(() => callback(null, [{ address: "93.184.215.14", family: 4 }]));
    };
    const lookup = guardedLookup(false, 10, slow);
    const answers: unknown[] = [];
    for (let i = 0; i < 5; i++)
      lookup(`late${i}.example`, { all: false }, (error, address) => answers.push(error?.message ?? address));
    await new Promise((resolve) => setTimeout(resolve, 40));
    while (unanswered.length) unanswered.shift()?.();
    expect(asked).toBe(MAX_LOOKUPS);
    expect(answers.filter((a) => a === "93.184.215.14")).toHaveLength(MAX_LOOKUPS);
    expect(
      answers.filter((a) => /^no turn to look late\d\.example up within 10 ms$/.test(String(a))),
    ).toHaveLength(5 - MAX_LOOKUPS);
  });

  it("still refuses a name with a private address among its answers", () => {
    const answers: unknown[] = [];
    const resolve: ResolveAll = (_hostname, _options, callback) =>
      callback(null, [
        { address: "93.184.215.14", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ]);
    guardedLookup(false, 60_000, resolve)("mixed.example", { all: true }, (error) =>
      answers.push(error?.message),
    );
    expect(answers).toEqual([expect.stringMatching(/10\.0\.0\.7, which webhooks may not reach/)]);
  });
});
