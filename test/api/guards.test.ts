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
});
