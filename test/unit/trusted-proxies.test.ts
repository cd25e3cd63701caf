import { fastifyTrustProxy, isPrivateAddress } from "../../src/server/http/trusted-proxies";

describe("which X-Forwarded-For entry is the client", () => {
  it("trusts a hop count only through proxies on a private network, never a client that connects directly", () => {
    const oneHop = fastifyTrustProxy(1) as (address: string, hop: number) => boolean;
    expect(oneHop("10.0.0.5", 0)).toBe(true);
    expect(oneHop("::ffff:192.168.1.4", 0)).toBe(true);
    expect(oneHop("127.0.0.1", 0)).toBe(true);
    // An internet client reaching the server itself: its own address counts, whatever it wrote.
    expect(oneHop("203.0.113.5", 0)).toBe(false);
    // Past the count, nobody is a proxy.
    expect(oneHop("10.0.0.6", 1)).toBe(false);
  });

  it("knows the private, shared, link-local and loopback ranges, and nothing else", () => {
    for (const address of [
      "10.1.2.3",
      "172.31.0.1",
      "192.168.0.1",
      "100.64.0.1",
      "169.254.1.1",
      "::1",
      "fd00::1",
    ])
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    for (const address of ["172.32.0.1", "8.8.8.8", "2001:db8::1", "::ffff:8.8.8.8", "not an address", ""])
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
  });

  it("passes addresses and off through to Fastify as they are", () => {
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(["10.0.0.1"])).toEqual(["10.0.0.1"]);
  });
});
