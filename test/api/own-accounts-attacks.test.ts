import { SessionTokens } from "../../src/shared/accounts";
import { createFirstAdmin } from "../../src/server/accounts/first-admin";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { PATIENT_THROTTLES } from "../helpers/throttles";
import { storeKinds } from "../helpers/stores";

const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");

describe.each(storeKinds)("Own accounts under attack (%s)", (kind) => {
  let server: TestServer;
  let clients = 0;
  const newClient = () => {
    clients += 1;
    return `203.0.113.${clients}`;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, {
      trustProxy: 1,
      publicUrl: "https://crm.example.com",
      accountThrottles: PATIENT_THROTTLES,
    });
  });
  afterAll(() => server.close());

  const send = (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; client?: string } = {},
  ) =>
    server.request(method, path, {
      token: options.token,
      body: options.body,
      headers: { "x-forwarded-for": options.client ?? "192.0.2.1", "user-agent": "jest" },
    });

  async function newOrganization(name: string) {
    const first = await createFirstAdmin(server.database.db, {
      email: `admin@${name}`,
      org: name,
      linkBase: "https://crm.example.com",
    });
    const accepted = await send("POST", "/api/v1/invitations/accept", {
      body: { token: tokenOf(first.link), password: "correct horse battery staple" },
      client: newClient(),
    });
    return { orgId: first.organization.id, tokens: parse(SessionTokens, accepted) };
  }

  it("gives one of two concurrent refreshes with one token a new pair, and ends the family when either pair is used after", async () => {
    const admin = await newOrganization("race.example");
    const refreshToken = admin.tokens.refreshToken;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => send("POST", "/api/v1/account/refresh", { body: { refreshToken } })),
    );
    const won = answers.filter((a) => a.status === 200).map((a) => parse(SessionTokens, a));
    expect(won.length).toBeLessThanOrEqual(1);
    // The others were reuses: the family ended, the winner's pair with it.
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(3);
    for (const pair of won) {
      const next = await send("POST", "/api/v1/account/refresh", {
        body: { refreshToken: pair.refreshToken },
      });
      expect(next.status).toBe(401);
      expect((await send("GET", "/api/v1/me", { token: pair.accessToken })).status).toBe(401);
    }
  });

  it("counts concurrent wrong passwords for one account before any is answered", async () => {
    await newOrganization("flood.example");
    const client = newClient();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send("POST", "/api/v1/account/sign-in", {
          body: { email: "admin@flood.example", password: `wrong guess number ${i}` },
          client,
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(24);
  });

  it("counts a client's IPv6 network (/64) as one address: one password tried on many accounts meets the waits", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const response = await send("POST", "/api/v1/account/sign-in", {
        body: { email: `user${i}@spray.example`, password: "Summer2026 is here!" },
        client: `2001:db8:5:7::${(i + 1).toString(16)}`,
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(21)).toEqual(Array(4).fill(429));
  });
});
