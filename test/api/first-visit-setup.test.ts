import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { SessionTokens, SetupStatus } from "../../src/shared/accounts";
import type { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const SETUP = {
  organizationName: "Northwind Traders",
  email: "Ada@Northwind.example",
  displayName: "Ada Admin",
  password: "a long and unusual passphrase",
};

describe.each(storeKinds)("setting Rapport up on the first visit from its own machine (%s)", (kind) => {
  let server: TestServer;

  // A fresh store for each case: the first visit happens once per store.
  beforeEach(async () => {
    server = await startTestServer(kind, { trustProxy: 1 });
  }, 120_000);
  afterEach(() => server.close());

  const problem = (response: Response) => response.body as Problem;
  const expectProblem = (response: Response, status: number, code: Problem["code"]) => {
    expect([response.status, problem(response).code]).toEqual([status, code]);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  };
  const count = async (table: "users" | "organizations" | "accounts" | "sessions") =>
    Number(
      (
        await server.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const nothingStored = async () => {
    expect(await count("users")).toBe(0);
    expect(await count("organizations")).toBe(0);
    expect(await count("accounts")).toBe(0);
  };

  it("is offered on this machine, and makes the organisation and its admin, signed in; then never again", async () => {
    expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup"))).toEqual({ open: true });

    const done = await server.request("POST", "/api/v1/setup", {
      body: SETUP,
      headers: { "user-agent": "jest" },
    });
    expect(done.status).toBe(200);
    const tokens = parse(SessionTokens, done);
    const me = parse(Me, await server.request("GET", "/api/v1/me", { token: tokens.accessToken }));
    expect(me.user).toMatchObject({
      email: "ada@northwind.example",
      displayName: "Ada Admin",
      role: "admin",
    });
    expect(me.organization.name).toBe("Northwind Traders");

    // The password works at the sign-in page; the audit log says how the organisation came to be.
    const signedIn = await server.request("POST", "/api/v1/account/sign-in", {
      body: { email: "ada@northwind.example", password: SETUP.password },
    });
    expect(signedIn.status).toBe(200);
    const events = await server.database.db
      .selectFrom("audit_events")
      .select(["action", "actor_id", "details"])
      .where("org_id", "=", me.organization.id)
      .where("action", "=", "organization.set_up")
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.actor_id).toBe(me.user.id);
    expect(JSON.stringify(events[0]?.details)).not.toContain(SETUP.password);

    expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup"))).toEqual({ open: false });
    const again = await server.request("POST", "/api/v1/setup", {
      body: { ...SETUP, organizationName: "Another", email: "eve@example.com" },
    });
    expectProblem(again, 409, "invalid_request");
    expect(await count("users")).toBe(1);
    expect(await count("organizations")).toBe(1);
  });

  it("is refused once anyone is a user here, however they came (the local issuer's first sign-in)", async () => {
    const token = await server.token("rita@contoso.example");
    expect((await server.request("GET", "/api/v1/me", { token })).status).toBe(200);
    expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup"))).toEqual({ open: false });
    expectProblem(await server.request("POST", "/api/v1/setup", { body: SETUP }), 409, "invalid_request");
    expect(await count("accounts")).toBe(0);
  });

  it("is refused through a proxy, even one on this machine: any forwarding header", async () => {
    const forwarded: Record<string, string>[] = [
      { "x-forwarded-for": "127.0.0.1" },
      { forwarded: "for=127.0.0.1" },
      { "x-real-ip": "127.0.0.1" },
      { "x-forwarded-host": "crm.example.com" },
    ];
    for (const headers of forwarded) {
      expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup", { headers }))).toEqual({
        open: false,
      });
      expectProblem(
        await server.request("POST", "/api/v1/setup", { body: SETUP, headers }),
        403,
        "forbidden",
      );
    }
    await nothingStored();
  });

  /** A request to /api/v1/setup with the Host header given, which fetch would not send. */
  const byHost = (method: string, headers: Record<string, string>, body?: unknown) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const sent = body === undefined ? undefined : JSON.stringify(body);
      const request = httpRequest(
        `${server.baseUrl}/api/v1/setup`,
        { method, headers: { ...headers, ...(sent ? { "content-type": "application/json" } : {}) } },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      request.on("error", reject);
      request.end(sent);
    });

  it("is refused to another site's page, even in a browser on this machine (DNS rebinding, cross-site posts)", async () => {
    const refused: Record<string, string>[] = [
      // A page of another site posting to this machine.
      { origin: "https://attacker.example", "sec-fetch-site": "cross-site" },
      { origin: "https://attacker.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ];
    for (const headers of refused) {
      expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup", { headers }))).toEqual({
        open: false,
      });
      expectProblem(
        await server.request("POST", "/api/v1/setup", { body: SETUP, headers }),
        403,
        "forbidden",
      );
    }
    // A site whose name now resolves to 127.0.0.1: the browser calls it same-origin, but asks by the site's name.
    // (fetch sends a Host of its own, so these go by node:http.)
    const rebound: Record<string, string>[] = [
      { host: "attacker.example", origin: "http://attacker.example", "sec-fetch-site": "same-origin" },
      { host: `attacker.example:${new URL(server.baseUrl).port}` },
    ];
    for (const headers of rebound) {
      expect(await byHost("GET", headers)).toEqual({ status: 200, body: { open: false } });
      expect(await byHost("POST", headers, SETUP)).toMatchObject({
        status: 403,
        body: { code: "forbidden" },
      });
    }
    await nothingStored();

    // This machine's own page, as a browser sends it (under npm start's dev server the page's origin is its own).
    const own = {
      origin: "https://localhost:3000",
      "sec-fetch-site": "same-origin",
    };
    expect(parse(SetupStatus, await server.request("GET", "/api/v1/setup", { headers: own }))).toEqual({
      open: true,
    });
    expect((await server.request("POST", "/api/v1/setup", { body: SETUP, headers: own })).status).toBe(200);
  });

  it("is refused from another machine", async () => {
    // Another machine as near as a test gets: this one's network address, so the socket is not loopback.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === "IPv4")?.address;
    if (!address) throw new Error("This machine has no network address besides loopback to come from.");
    const elsewhere = await startTestServer(kind, {}, { host: "0.0.0.0" });
    try {
      const url = `${elsewhere.baseUrl.replace("127.0.0.1", address)}/api/v1/setup`;
      // The same server answers its own machine: only the address the request comes from differs.
      expect(parse(SetupStatus, await elsewhere.request("GET", "/api/v1/setup"))).toEqual({ open: true });
      expect(await (await fetch(url)).json()).toEqual({ open: false });
      const refused = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(SETUP),
      });
      expect([refused.status, ((await refused.json()) as Problem).code]).toEqual([403, "forbidden"]);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(await elsewhere.database.db.selectFrom("users").select("id").execute()).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it("refuses a weak password and bad input, storing nothing", async () => {
    expectProblem(
      await server.request("POST", "/api/v1/setup", { body: { ...SETUP, password: "password1234" } }),
      400,
      "weak_password",
    );
    expectProblem(
      await server.request("POST", "/api/v1/setup", { body: { ...SETUP, organizationName: "  " } }),
      400,
      "invalid_request",
    );
    await nothingStored();
  });

  it("makes one admin when two set it up at once", async () => {
    const answers = await Promise.all(
      ["ada@northwind.example", "bob@northwind.example"].map((email) =>
        server.request("POST", "/api/v1/setup", { body: { ...SETUP, email } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await count("users")).toBe(1);
    expect(await count("organizations")).toBe(1);
    expect(await count("accounts")).toBe(1);
    expect(await count("sessions")).toBe(1);
  });
});
