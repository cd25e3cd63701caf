import { type LookupAddress, lookup as dnsLookup } from "node:dns";
import { BlockList, type LookupFunction, isIP } from "node:net";
import { networkInterfaces } from "node:os";

// Where a webhook may never go unless the server's configuration allows it (RAPPORT_WEBHOOKS_ALLOW_PRIVATE): an
// admin's URL must not become a way to reach the server's own network (request forgery).
// Two lists: Node checks an IPv4 address against a list's IPv6 rules too (as ::ffff:a.b.c.d), and the IPv6 list
// refuses every IPv4-mapped address.
const REFUSED_V4 = new BlockList();
const REFUSED_V6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", the unspecified address
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
] as const)
  REFUSED_V4.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated): an IPv4 address in disguise
  ["::ffff:0:0", 96], // IPv4-mapped: the same
  ["64:ff9b::", 96], // NAT64: an IPv4 address behind a translator
  ["64:ff9b:1::", 48], // NAT64 for a network's own use (RFC 8215): its private IPv4 addresses too
  ["::ffff:0:0:0", 96], // IPv4-translated (SIIT): an IPv4 address in disguise
  ["2002::", 16], // 6to4: an IPv4 address inside
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  REFUSED_V6.addSubnet(network, prefix, "ipv6");

/** The addresses of this machine's network interfaces, as they are now (an address may come and go). */
export const ownAddresses = (): string[] =>
  Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));

/** Addresses as a BlockList, which compares addresses, not their spellings (an IPv6 address is written many ways). */
function addressList(addresses: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of addresses) {
    const kind = isIP(entry);
    if (kind !== 0) list.addAddress(entry, kind === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

function refusedBy(address: string, own: BlockList): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const kind = family === 4 ? "ipv4" : "ipv6";
  return (family === 4 ? REFUSED_V4 : REFUSED_V6).check(address, kind) || own.check(address, kind);
}

/**
 * Whether an IP address is one webhooks may not reach; anything that is not an IP address is refused too. So is
 * any address of the server's own machine, a public one included: services listening there may be shut off from
 * the internet by a firewall that a request from the machine itself never meets.
 */
export function isRefusedAddress(address: string, own: readonly string[] = ownAddresses()): boolean {
  return refusedBy(address, addressList(own));
}

/** The first of a name's addresses that webhooks may not reach, the machine's own addresses read once for all. */
function firstRefused(addresses: readonly LookupAddress[]): LookupAddress | undefined {
  const own = addressList(ownAddresses());
  return addresses.find((a) => refusedBy(a.address, own));
}

/** A URL's host as the resolver and isIP take it: IPv6 without its brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, "$1");

const REGISTRATION_LOOKUP_MS = 5000;

/** What a delivery refused for its address says of the way out: an admin reads it in Settings beside the error. */
export const ALLOW_PRIVATE_HINT = "the server's RAPPORT_WEBHOOKS_ALLOW_PRIVATE=1 allows private addresses";

/** A resolver of every address of a name, as node:dns's lookup with `all: true` (replaced in tests). */
export type ResolveAll = (
  hostname: string,
  options: { family?: number | "IPv4" | "IPv6"; hints?: number; verbatim?: boolean },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: ResolveAll = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, callback);

/**
 * The most of webhooks' name lookups that run at once. A lookup (getaddrinfo) takes one of libuv's four threads,
 * which the whole server shares (reading files, hashing passwords, zlib), until the name servers answer or the
 * resolver gives up: seconds for a receiver's name server that never answers, whatever the attempt's timeout.
 * Every lane on such names would leave users' requests waiting for a thread; past this many, lookups queue.
 */
export const MAX_LOOKUPS = 2;
let lookupsRunning = 0;
const lookupsWaiting: (() => void)[] = [];

/**
 * A lookup in its turn. One that waited longer than `maxWaitMs` for it is answered with an error at once, without
 * a thread: whoever asked (an attempt with its timeout, a registration with its own) has given up on it, and a
 * queue of such lookups would otherwise keep fresh ones waiting long after the name servers answer again.
 */
function limitedLookup(
  resolve: ResolveAll,
  maxWaitMs: number,
  ...[hostname, options, callback]: Parameters<ResolveAll>
): void {
  const queuedAt = Date.now();
  const next = () => lookupsWaiting.shift()?.();
  const start = () => {
    if (Date.now() - queuedAt > maxWaitMs) {
      callback(
        Object.assign(new Error(`no turn to look ${hostname} up within ${maxWaitMs} ms`), {
          code: "ETIMEOUT",
        }),
        [],
      );
      next();
      return;
    }
    lookupsRunning += 1;
    resolve(hostname, options, (error, addresses) => {
      lookupsRunning -= 1;
      next();
      callback(error, addresses);
    });
  };
  if (lookupsRunning < MAX_LOOKUPS) start();
  else lookupsWaiting.push(start);
}

export class RefusedAddressError extends Error {
  readonly code = "WEBHOOK_REFUSED_ADDRESS";
}

/**
 * Why an endpoint's host may not be registered, or null. A name is resolved and every address it has is checked;
 * a name that does not resolve (yet) is taken: every delivery checks the address it actually connects to.
 */
export async function refusedHost(
  url: URL,
  allowPrivate: boolean,
  resolve: ResolveAll = systemResolver,
): Promise<string | null> {
  if (allowPrivate) return null;
  const host = hostOf(url);
  if (isIP(host))
    return isRefusedAddress(host)
      ? `${host} is a private, loopback or reserved address, or this server's own`
      : null;
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is the server itself`;
  let addresses: LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      new Promise<LookupAddress[]>((done, reject) =>
        limitedLookup(resolve, REGISTRATION_LOOKUP_MS, host, { verbatim: true }, (error, found) =>
          error ? reject(error) : done(found),
        ),
      ),
      // A slow name server must not hold the admin's request: every delivery checks the name again anyway.
      new Promise<LookupAddress[]>((done) => {
        timer = setTimeout(() => done([]), REGISTRATION_LOOKUP_MS);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
  const refused = firstRefused(addresses);
  return refused
    ? `${host} resolves to ${refused.address}, a private, loopback or reserved address, or this server's own`
    : null;
}

/**
 * The resolver a delivery connects through: the name is resolved once, every address checked, and the socket
 * connects to an address checked here, never to one a second resolution returns (DNS rebinding).
 */
export function guardedLookup(
  allowPrivate: boolean,
  /** How long a lookup may wait for its turn: the attempt's timeout, after which nobody waits for its answer. */
  maxWaitMs: number,
  resolve: ResolveAll = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    limitedLookup(
      resolve,
      maxWaitMs,
      hostname,
      { family: options.family, hints: options.hints },
      (error, addresses) => {
        if (error) return callback(error, []);
        const refused = allowPrivate ? undefined : firstRefused(addresses);
        if (refused)
          return callback(
            new RefusedAddressError(
              `${hostname} resolves to ${refused.address}, which webhooks may not reach (${ALLOW_PRIVATE_HINT})`,
            ),
            [],
          );
        const first = addresses[0];
        if (!first) return callback(new RefusedAddressError(`${hostname} has no address`), []);
        if (options.all) return callback(null, addresses);
        callback(null, first.address, first.family);
      },
    );
  };
}
