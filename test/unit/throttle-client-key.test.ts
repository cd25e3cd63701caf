import { clientKey } from "../../src/server/accounts/throttle";

describe("the key a client address is throttled under", () => {
  it("is an IPv4 address itself, written either way", () => {
    expect(clientKey("192.0.2.1")).toBe("192.0.2.1");
    expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("is an IPv6 address's /64, however the address is written", () => {
    const key = "2001:0db8:0005:0007::/64";
    expect(clientKey("2001:db8:5:7::1")).toBe(key);
    expect(clientKey("2001:db8:5:7:a:b:c:d")).toBe(key);
    expect(clientKey("2001:0DB8:0005:0007::ff")).toBe(key);
    expect(clientKey("2001:db8:5:8::1")).not.toBe(key);
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0000:0000:0000::/64");
    expect(clientKey("64:ff9b::192.0.2.1")).toBe("0064:ff9b:0000:0000::/64");
  });
});
