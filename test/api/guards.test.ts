import { request as httpRequest } from "node:http";
import type { FastifyInstance } from "fastify";
import type { KyselyPlugin } from "kysely";
import { buildApp } from "../../src/server/app";
import { loadConfig } from "../../src/server/config";
import { Problem } from "../../src/shared/errors";
import { type TestServer, parse, startTestServer } from "../helpers/server";

describe("rate limits, security headers and readiness", () => {
  let server: TestServer;
  const readiness = { draining: false };
  beforeAll(async () => {
    server = await startTestServer("pglite", { rateLimit: { perUser: 5, perIp: 12 }, readiness });
  });
  afterAll(() => server.close());

  it("answers 429 with Retry-After per user, then per address, bad tokens included", async () => {
    const anna = await server.token("anna@limits.example");
    const bo = await server.token("bo@limits.example");
    const statuses = async (token: string, n: number) => {
      const answers = [];
      for (let i = 0; i < n; i++) answers.push(await server.request("GET", "/api/v1/me", { token }));
      return answers;
    };
    const annas = await statuses(anna, 6);
    expect(annas.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = annas[5];
    expect(refused?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused?.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(parse(Problem, refused as NonNullable<typeof refused>).code).toBe("rate_limited");
    // Bo, from the same address, has his own allowance...
    expect((await statuses(bo, 5)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    // ...until the address as a whole has sent its 12: then everyone there waits, bad tokens too.
    const flood = await statuses("not-a-token", 3);
    expect(flood.map((a) => a.status)).toEqual([401, 429, 429]);
    // A load balancer's probes are never held back.
    expect((await server.request("GET", "/readyz")).status).toBe(200);
    expect((await server.request("GET", "/healthz")).status).toBe(200);
  });

  it("sends security headers that still let Outlook frame the pane and load the icons", async () => {
    const response = await server.request("GET", "/healthz");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-frame-options")).toBeNull();
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("is ready until it drains", async () => {
    const fresh = await startTestServer("pglite", { readiness: { draining: false } });
    try {
      expect((await fresh.request("GET", "/readyz")).status).toBe(200);
    } finally {
      await fresh.close();
    }
    readiness.draining = true;
    const draining = await server.request("GET", "/readyz");
    expect(draining.status).toBe(503);
    expect((await server.request("GET", "/healthz")).status).toBe(200);
    readiness.draining = false;
  });

  describe("behind a load balancer", () => {
    let behind: FastifyInstance | null = null;
    afterEach(async () => {
      await behind?.close();
      behind = null;
    });
    /** A server of its own on the suite's store, listening on loopback, where 127.0.0.1 plays the load balancer. */
    const serverTrusting = async (setting: string) => {
      await behind?.close();
      const { trustProxy } = loadConfig({ RAPPORT_TRUST_PROXY: setting });
      behind = await buildApp({
        database: server.database,
        verifyToken: () => Promise.reject(new Error("no tokens here")),
        trustProxy,
        rateLimit: { perUser: 0, perIp: 3 },
      });
      return new URL(await behind.listen({ port: 0, host: "127.0.0.1" }));
    };
    /** The statuses of requests sent from the loopback address `peer`, one per X-Forwarded-For value. */
    const statusesFrom = async (url: URL, peer: string, forwardedFor: string[]) => {
      const statuses = [];
      for (const header of forwardedFor)
        statuses.push(
          await new Promise<number>((resolve, reject) => {
            const outgoing = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                path: "/api/v1/sign-in",
                localAddress: peer,
                headers: { "x-forwarded-for": header },
              },
              (answer) => {
                answer.resume();
                answer.on("end", () => resolve(answer.statusCode ?? 0));
              },
            );
            outgoing.on("error", reject);
            outgoing.end();
          }),
        );
      return statuses;
    };

    it("limits the address the load balancer saw, whatever the client writes before it in X-Forwarded-For", async () => {
      const app = await serverTrusting("on");
      const forged = ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"].map((f) => `${f}, 198.51.100.7`);
      expect(await statusesFrom(app, "127.0.0.1", forged)).toEqual([200, 200, 200, 429]);
      // Another client behind the same balancer has an allowance of its own.
      expect(await statusesFrom(app, "127.0.0.1", ["1.1.1.1, 198.51.100.8"])).toEqual([200]);
    });

    it("counts an IPv6 client's whole /64 as one address: it may take any address in it", async () => {
      const app = await serverTrusting("on");
      const hops = ["2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::9", "2001:db8:7:1:a:b:c:d"];
      expect(await statusesFrom(app, "127.0.0.1", hops)).toEqual([200, 200, 200, 429]);
      expect(await statusesFrom(app, "127.0.0.1", ["2001:db8:7:2::1"])).toEqual([200]);
    });

    it("counts the proxies it is told of, by number or by address", async () => {
      const twoHops = await serverTrusting("2");
      const chain = (forged: string) => `${forged}, 198.51.100.9, 10.0.0.2`;
      expect(await statusesFrom(twoHops, "127.0.0.1", ["a", "b", "c", "d"].map(chain))).toEqual([
        200, 200, 200, 429,
      ]);
      const byAddress = await serverTrusting("127.0.0.1/32, 10.0.0.0/8");
      expect(await statusesFrom(byAddress, "127.0.0.1", ["a", "b", "c", "d"].map(chain))).toEqual([
        200, 200, 200, 429,
      ]);
      // A client that reaches the server directly is not a trusted proxy: its header counts for nothing.
      expect(await statusesFrom(byAddress, "127.0.0.5", ["198.51.100.10"])).toEqual([200]);
      expect(await statusesFrom(byAddress, "127.0.0.5", ["198.51.100.11", "198.51.100.12"])).toEqual([
        200, 200,
      ]);
      expect(await statusesFrom(byAddress, "127.0.0.5", ["198.51.100.13"])).toEqual([429]);
    });

    it("answers a flood of probes with one store check at a time", async () => {
      let statements = 0;
      const counting: KyselyPlugin = {
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      behind = await buildApp({
        database: { ...server.database, db: server.database.db.withPlugin(counting) },
        verifyToken: () => Promise.reject(new Error("no tokens here")),
      });
      const base = await behind.listen({ port: 0, host: "127.0.0.1" });
      const began = Date.now();
      const flood = await Promise.all(
        Array.from({ length: 400 }, (_, i) => fetch(`${base}${i % 2 ? "/healthz" : "/readyz"}`)),
      );
      const seconds = (Date.now() - began) / 1000;
      expect(flood.every((answer) => answer.status === 200)).toBe(true);
      expect(statements).toBeGreaterThanOrEqual(1);
      // One check, whose answer serves a second after it settles: a flood spread over more seconds by a busy
      // machine gets one more per second, never one per probe.
      expect(statements).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(statements).toBeLessThan(20);
    });
  });
});
