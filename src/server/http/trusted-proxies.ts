import { BlockList, isIP } from "node:net";
import type { TrustProxy } from "../config";

/**
 * Where a load balancer can be: loopback and the private, shared and link-local ranges. A hop count trusts only a
 * hop from there, so a client on the internet that reaches the server directly is its own address, whatever it
 * writes in X-Forwarded-For.
 */
const PRIVATE_NETWORKS = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ["127.0.0.0", 8],
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["100.64.0.0", 10],
    ["169.254.0.0", 16],
  ] as const)
    list.addSubnet(network, prefix, "ipv4");
  for (const [network, prefix] of [
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
  ] as const)
    list.addSubnet(network, prefix, "ipv6");
  return list;
})();

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  return family !== 0 && PRIVATE_NETWORKS.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Fastify refuses a bare hop count (it cannot tell a proxy from a client that connects directly), so the count is
 * given as the rule it means: the nearest `hops` addresses are proxies, if they are on a private network, and the
 * next one is the client.
 */
export function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== "number") return trust;
  return (address, hop) => hop < trust && isPrivateAddress(address);
}
