import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { buildApp } from "../../src/server/app";
import { createTokenVerifier } from "../../src/server/auth/verify";
import type { Database } from "../../src/server/db/database";
import { Me } from "../../src/shared/routes";
import { UserList } from "../../src/shared/users";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { openTestStore, storeKinds } from "../helpers/stores";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe.each(storeKinds)("signing in with the local issuer (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  const me = (token: string) =>
    server.request("GET", "/api/v1/me", { headers: { authorization: `Bearer ${token}` } });

  it("creates the organisation and the user on first sign-in; the first user is the admin", async () => {
    const first = parse(
      Me,
      await me(
        await server.issuer.sign({ email: "Ada@Acme.example", name: "Ada Admin", org: "acme.example" }),
      ),
    );
    expect(first.user).toMatchObject({ email: "ada@acme.example", displayName: "Ada Admin", role: "admin" });
    expect(first.organization).toMatchObject({ name: "acme.example", internalDomains: ["acme.example"] });
    const second = parse(
      Me,
      await me(await server.issuer.sign({ email: "bo@acme.example", org: "acme.example" })),
    );
    expect(second.user.role).toBe("member");
    expect(second.organization.id).toBe(first.organization.id);
    const again = parse(
      Me,
      await me(await server.issuer.sign({ email: "ada@acme.example", org: "acme.example" })),
    );
    expect(again.user.id).toBe(first.user.id);
  });

  it("answers 401 with a problem when there is no token", async () => {
    const response = await server.request("GET", "/api/v1/contacts");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(response.body).toMatchObject({ code: "unauthenticated", status: 401 });
  });

  it("checks the token before the body, so an anonymous caller learns nothing from validation", async () => {
    const response = await server.request("POST", "/api/v1/contacts", { body: { nonsense: true } });
    expect(response.status).toBe(401);
  });

  it("rejects an expired token with token_expired", async () => {
    const token = await server.issuer.sign(
      { email: "old@acme.example", org: "acme.example" },
      { expiresIn: "-1m" },
    );
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: "token_expired" });
  });

  it("rejects a token without the API scope with 403", async () => {
    const token = await server.issuer.sign(
      { email: "scope@acme.example", org: "acme.example" },
      { scope: "User.Read" },
    );
    const response = await me(token);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: "insufficient_scope" });
  });

  it("rejects a tampered token, an unsigned (alg: none) token and garbage", async () => {
    const token = await server.issuer.sign({ email: "ada@acme.example", org: "acme.example" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const tampered = `${header}.${b64({ ...claims, tid: "local:evil.example" })}.${signature}`;
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
    for (const bad of [tampered, unsigned, "not-a-jwt", `${header}.${payload}.AAAA`]) {
      const response = await me(bad);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: "unauthenticated" });
    }
  });

  it("rejects a token signed by another local issuer (another data directory's key)", async () => {
    const other = await startTestServer("pglite");
    try {
      const foreign = await other.issuer.sign({ email: "ada@acme.example", org: "acme.example" });
      expect((await me(foreign)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("serves health and the OpenAPI document without a token", async () => {
    const health = await server.request("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok", store: kind });
    const openapi = await server.request<{ paths: Record<string, Record<string, unknown>> }>(
      "GET",
      "/api/v1/openapi.json",
    );
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/people/lookup",
        "/api/v1/emails",
        "/api/v1/contacts/{id}/timeline",
        "/api/v1/deals/{id}/stage",
        "/api/v1/pipelines",
      ]),
    );
    expect(openapi.body.paths["/api/v1/emails"]?.post).toMatchObject({
      operationId: "logEmail",
      requestBody: { required: true },
    });
  });
});

describe("signing in with Microsoft Entra ID (local OpenID configuration and JWKS)", () => {
  const tenant = "11111111-2222-4333-8444-555555555555";
  // A tenant the identity provider knows and this server does not admit.
  const otherTenant = "22222222-3333-4444-8555-666666666666";
  /** A real tenant whose configuration the identity provider will not give now: it throttles this server (429). */
  const throttledTenant = "33333333-4444-4555-8666-777777777777";
  const clientId = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  const appIdUri = `api://${clientId}`;
  let oidc: Server;
  let authority: string;
  let database: Database;
  let baseUrl: string;
  let close: () => Promise<void>;
  let sign: (
    claims: Record<string, unknown>,
    options?: { iss?: string; aud?: string; exp?: string; kid?: string; iat?: number; nbf?: string },
  ) => Promise<string>;
  let jwksRequests = 0;
  let secondServer: FastifyInstance;
  let secondUrl: string;
  const guestOid = "0b0b0b0b-1111-4222-8333-444444444444";
  const configRequests = new Map<string, number>();
  let keys: { privateKey: CryptoKey };

  /**
   * Each version's issuer as Entra's OpenID configuration declares it: v2.0's under the authority, v1.0's on
   * another host (the public cloud's, as real v1.0 tokens carry it).
   */
  const issuerOf = (version: "1.0" | "2.0", tid = tenant) =>
    version === "2.0" ? `${authority}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`;

  /** The claims Entra writes about a user in each version (v1.0: upn and unique_name, appid for the client). */
  const userClaims = (version: "1.0" | "2.0") =>
    version === "2.0"
      ? { ver: "2.0", preferred_username: "rita@contoso.example", azp: "client-app-id" }
      : {
          ver: "1.0",
          upn: "rita@contoso.example",
          unique_name: "rita@contoso.example",
          appid: "client-app-id",
        };

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    keys = { privateKey };
    const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    oidc = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      const configuration = /^\/([0-9a-f-]{36})(\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(
        req.url ?? "",
      );
      const asked = configuration?.[1];
      if (asked) configRequests.set(asked, (configRequests.get(asked) ?? 0) + 1);
      if (configuration && (asked === tenant || asked === otherTenant)) {
        // As Entra's: v2.0 and v1.0 documents name their own issuer and key set address.
        const v2 = configuration[2] !== undefined;
        res.end(
          JSON.stringify({
            issuer: issuerOf(v2 ? "2.0" : "1.0", asked),
            jwks_uri: `${authority}/common/discovery/${v2 ? "v2.0/" : ""}keys`,
          }),
        );
      } else if (asked === throttledTenant) {
        res.statusCode = 429;
        res.end("{}");
      } else if (req.url === "/common/discovery/v2.0/keys" || req.url === "/common/discovery/keys") {
        jwksRequests++;
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
    await new Promise<void>((resolve) => oidc.listen(0, "127.0.0.1", resolve));
    authority = `http://127.0.0.1:${(oidc.address() as AddressInfo).port}`;
    sign = (claims, options = {}) => {
      const version = claims.ver === "1.0" ? "1.0" : "2.0";
      const jwt = new SignJWT({
        tid: tenant,
        oid: "user-object-id-1",
        scp: "access_as_user",
        name: "Rita Rep",
        ...userClaims(version),
        ...claims,
      })
        .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "test-key" })
        .setIssuer(options.iss ?? issuerOf(version))
        .setAudience(options.aud ?? (version === "2.0" ? clientId : appIdUri))
        .setIssuedAt(options.iat)
        .setExpirationTime(options.exp ?? "1h");
      return (options.nbf ? jwt.setNotBefore(options.nbf) : jwt).sign(privateKey);
    };

    database = await openTestStore("pglite");
    const verifyToken = createTokenVerifier({
      local: null,
      entra: { clientId, appIdUri, tenants: [tenant], authority },
      scope: "access_as_user",
    });
    const deps = {
      database,
      verifyToken,
      checkResponses: true,
      signIn: {
        entra: { clientId, authority, scope: `${appIdUri}/access_as_user` },
        localIssuer: false,
      },
      admins: {
        appRole: "Rapport.Admin",
        listed: ["lena@contoso.example", "gus@partner.example", guestOid, "jorg@xn--mller-kva.example"],
      },
    };
    const app = await buildApp(deps);
    baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
    // A second server over the same store, as behind a load balancer: each keeps its own memory of callers.
    secondServer = await buildApp(deps);
    secondUrl = await secondServer.listen({ port: 0, host: "127.0.0.1" });
    close = async () => {
      await app.close();
      await secondServer.close();
      await database.close();
      await new Promise((resolve) => oidc.close(resolve));
    };
  });
  afterAll(() => close());

  /** A verifier of its own, admitting these tenants (null: any) and naming the API by this URI. */
  const verifierFor = (tenants: string[] | null, uri = appIdUri) =>
    createTokenVerifier({
      local: null,
      entra: { clientId, appIdUri: uri, tenants, authority },
      scope: "access_as_user",
    });

  const me = async (token: string) => {
    const response = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("accepts a valid token and maps the tenant to an organisation and the object id to a user, who is not its admin for being first", async () => {
    const response = await me(await sign({}));
    expect(response.status).toBe(200);
    const body = Me.parse(response.body);
    expect(body.user).toMatchObject({
      email: "rita@contoso.example",
      displayName: "Rita Rep",
      role: "member",
    });
    // Until the tenant or the server names an admin, the web app says how to get one.
    expect(body.organization.hasAdmin).toBe(false);
    expect(body.adminAppRole).toBe("Rapport.Admin");
    const org = await database.db
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", body.organization.id)
      .executeTakeFirstOrThrow();
    expect(org.tenant_id).toBe(tenant);
    expect(jwksRequests).toBe(1);
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const userOf = async (token: string) => Me.parse((await me(token)).body).user;
  // Ada's tokens, the later one issued later (seconds since the epoch, as `iat`).
  let issued = Math.floor(Date.now() / 1000) - 3600;
  const ada = (roles?: string[], iat = ++issued) =>
    sign({ oid: "ada-object-id", preferred_username: "ada@contoso.example", name: "Ada", roles }, { iat });
  const onSecond = async (token: string, path: string) =>
    (await fetch(`${secondUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;

  it("makes the holder of the app role an admin at sign-in, whose role then follows the tenant's assignment", async () => {
    const admin = await ada(["Rapport.Admin", "Something.Else"]);
    expect(await userOf(admin)).toMatchObject({ role: "admin" });
    expect(Me.parse((await me(admin)).body).organization.hasAdmin).toBe(true);
    const { id: adaId } = await userOf(admin);
    const { id: ritaId } = await userOf(await sign({}));
    const audit = await database.db
      .selectFrom("audit_events")
      .select(["actor_id", "details"])
      .where("action", "=", "user.role_changed")
      .where("entity_id", "=", adaId)
      .execute();
    expect(audit).toEqual([
      { actor_id: adaId, details: { from: null, to: "admin", grant: "app_role", atSignIn: true } },
    ]);

    // An admin of the tenant's making makes Rita one in Rapport; Rita cannot take Ada's role away here.
    expect((await call(admin, "PATCH", `/api/v1/users/${ritaId}`, { role: "admin" })).status).toBe(200);
    const refused = await call(await sign({}), "PATCH", `/api/v1/users/${adaId}`, { role: "member" });
    expect(refused).toMatchObject({ status: 409, body: { code: "role_granted_at_sign_in" } });
    const users = UserList.parse((await call(admin, "GET", "/api/v1/users")).body).items;
    expect(users.map((u) => [u.displayName, u.role, u.adminGrant])).toEqual([
      ["Ada", "admin", "app_role"],
      ["Rita Rep", "admin", null],
    ]);

    // The tenant removes the assignment: Ada's next token comes without the role.
    expect(await onSecond(admin, `/api/v1/dashboard?ownerId=${ritaId}`)).toBe(200);
    const withoutRole = await ada();
    expect(await userOf(withoutRole)).toMatchObject({ role: "member" });
    // The other server, which knew Ada as an admin, decides on her role as it is now.
    expect(await onSecond(withoutRole, `/api/v1/dashboard?ownerId=${ritaId}`)).toBe(403);
    // A token issued before the one without the role still carries it, and is valid for a while: it decides
    // nothing, on a server that has seen it or not.
    expect(await userOf(admin)).toMatchObject({ role: "member" });
    expect(await userOf(await ada(["Rapport.Admin"], issued - 2))).toMatchObject({ role: "member" });
    // Rita, an admin by another admin's choice, stays one: no sign-in took it away.
    expect(await userOf(await sign({}))).toMatchObject({ role: "admin" });
  });

  it("keeps an admin of Rapport's making one when the tenant assigns the app role and then removes it", async () => {
    // Rita is an admin by Ada's choice (the test before). The tenant assigns her the role as well, then takes it
    // away: what the tenant did not give, its removal does not take.
    const adminGrantOfRita = async (token: string) => {
      const { id } = await userOf(token);
      const users = UserList.parse((await call(token, "GET", "/api/v1/users")).body).items;
      return users.find((u) => u.id === id)?.adminGrant;
    };
    // Issued later than any token of hers before (a second apart: one token is never taken for the other).
    const now = Math.floor(Date.now() / 1000);
    const withRole = await sign({ roles: ["Rapport.Admin"] }, { iat: now + 1 });
    expect(await userOf(withRole)).toMatchObject({ role: "admin" });
    expect(await adminGrantOfRita(withRole)).toBeNull();
    const withoutRole = await sign({}, { iat: now + 2 });
    expect(await userOf(withoutRole)).toMatchObject({ role: "admin" });
    expect(await adminGrantOfRita(withoutRole)).toBeNull();
  });

  it("applies each new token's grant on whichever server it reaches, even one that knew the user without it", async () => {
    const { id: ritaId } = await userOf(await sign({}));
    const colleague = `/api/v1/dashboard?ownerId=${ritaId}`;
    // The first server knows Ada as a member (from the test before); the second sees her new token with the role.
    const member = await ada();
    expect(await userOf(member)).toMatchObject({ role: "member" });
    const admin = await ada(["Rapport.Admin"]);
    expect(await onSecond(admin, colleague)).toBe(200);
    // The assignment is removed again; her newest token reaches the first server, which last saw her as a member.
    const removed = await ada();
    expect(await userOf(removed)).toMatchObject({ role: "member" });
    expect(await onSecond(admin, colleague)).toBe(403);
  });

  it("makes admins of the server's list: members by address or object id, guests by object id only", async () => {
    const guestIdp = "https://sts.windows.net/22222222-3333-4444-8555-666666666666/";
    const member = await sign({ oid: "lena-object-id", preferred_username: "Lena@Contoso.example" });
    const guestByIdp = await sign({
      oid: "gus-object-id",
      preferred_username: "gus@partner.example",
      idp: guestIdp,
    });
    const guestByAcct = await sign({ oid: "gus-2", email: "gus@partner.example", acct: 1 });
    const guestById = await sign({
      oid: guestOid,
      preferred_username: "gia@partner.example",
      idp: "live.com",
    });
    const guestWithRole = await sign({ oid: "gil-object-id", idp: guestIdp, roles: ["Rapport.Admin"] });
    // The list is canonical (config.ts); the token's address is compared in its canonical form too.
    const unicodeDomain = await sign({ oid: "jorg-object-id", preferred_username: "Jorg@Müller.example" });
    expect(await userOf(unicodeDomain)).toMatchObject({ role: "admin" });
    expect(await userOf(member)).toMatchObject({ role: "admin" });
    expect(await userOf(guestByIdp)).toMatchObject({ role: "member" });
    expect(await userOf(guestByAcct)).toMatchObject({ role: "member" });
    expect(await userOf(guestById)).toMatchObject({ role: "admin" });
    // The tenant assigned the role to this guest itself.
    expect(await userOf(guestWithRole)).toMatchObject({ role: "admin" });
    const users = UserList.parse((await call(member, "GET", "/api/v1/users")).body).items;
    expect(users.find((u) => u.email === "lena@contoso.example")?.adminGrant).toBe("server_list");
  });

  it("refuses personal Microsoft accounts under *, with 403 personal_account and no call to the identity provider", async () => {
    const anyTenant = verifierFor(null);
    const personal = "9188040d-6c67-4c5b-b112-36a304b66dad";
    const app = await buildApp({ database, verifyToken: anyTenant });
    try {
      const token = await sign({ tid: personal }, { iss: `${authority}/${personal}/v2.0` });
      const url = await app.listen({ port: 0, host: "127.0.0.1" });
      const response = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "personal_account" });
      expect(configRequests.get(personal) ?? 0).toBe(0);
    } finally {
      await app.close();
    }
  });

  describe.each(["1.0", "2.0"] as const)("v%s access tokens", (version) => {
    const other = version === "2.0" ? "1.0" : "2.0";
    const token = (claims: Record<string, unknown> = {}, options: Parameters<typeof sign>[1] = {}) =>
      sign({ ver: version, ...claims }, options);

    it("accepts one whose audience is the client id or the Application ID URI", async () => {
      for (const aud of [clientId, appIdUri]) {
        const response = await me(await token({}, { aud }));
        expect({ aud, status: response.status }).toEqual({ aud, status: 200 });
        expect(Me.parse(response.body).user).toMatchObject({
          email: "rita@contoso.example",
          displayName: "Rita Rep",
        });
      }
    });

    it.each([
      ["an expired one", () => token({}, { exp: "-5m" }), "token_expired", /expired/],
      ["one not valid yet (nbf)", () => token({}, { nbf: "10m" }), "unauthenticated", /"nbf" claim/],
      [
        "one with the other version's issuer",
        () => token({}, { iss: issuerOf(other) }),
        "unauthenticated",
        /"iss" claim/,
      ],
      [
        "one saying the other version, with this version's issuer",
        () => sign({ ver: other }, { iss: issuerOf(version), aud: clientId }),
        "unauthenticated",
        /"iss" claim/,
      ],
      [
        "one from another issuer",
        () => token({}, { iss: "https://evil.example/v2.0" }),
        "unauthenticated",
        /"iss" claim/,
      ],
      [
        "one for another app (its client id)",
        () => token({}, { aud: "99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee" }),
        "unauthenticated",
        /"aud" claim/,
      ],
      [
        "one for another Application ID URI",
        () => token({}, { aud: "api://someone-else" }),
        "unauthenticated",
        /"aud" claim/,
      ],
      [
        "one of a tenant this server does not admit",
        () => token({ tid: otherTenant }, { iss: issuerOf(version, otherTenant) }),
        "unauthenticated",
        /tenant is not one this Rapport server admits/,
      ],
      [
        "one signed with an unknown key",
        () => token({}, { kid: "other-key" }),
        "unauthenticated",
        /unknown key/,
      ],
    ])("refuses %s", async (_label, make, code, detail) => {
      const response = await me(await make());
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code });
      expect(response.body.detail).toMatch(detail);
    });

    it("refuses a token of one admitted tenant carrying another admitted tenant's issuer", async () => {
      // Both tenants admitted, both known to the identity provider: only the issuer check tells them apart.
      const both = verifierFor([tenant, otherTenant]);
      await expect(both(await token({}, { iss: issuerOf(version, otherTenant) }))).rejects.toMatchObject({
        code: "unauthenticated",
        detail: expect.stringMatching(/"iss" claim/),
      });
      await expect(both(await token({ tid: otherTenant }, { iss: issuerOf(version) }))).rejects.toMatchObject(
        {
          code: "unauthenticated",
        },
      );
      // The control: the other tenant's own token, with its own issuer.
      await expect(
        both(await token({ tid: otherTenant }, { iss: issuerOf(version, otherTenant) })),
      ).resolves.toMatchObject({ tenantId: otherTenant, issuer: "entra" });
    });
  });

  it("asks the identity provider nothing about a tenant it does not admit", async () => {
    const stranger = "99999999-2222-4333-8444-555555555555";
    for (const ver of ["1.0", "2.0"] as const) {
      const response = await me(await sign({ ver, tid: stranger }, { iss: issuerOf(ver, stranger) }));
      expect(response.status).toBe(401);
    }
    expect(configRequests.get(stranger)).toBeUndefined();
  });

  it("refuses a token that does not say its version (ver)", async () => {
    const response = await me(await sign({ ver: undefined }));
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/\bver\b/);
  });

  it("knows a user by their object id whichever version their token is", async () => {
    const vera = { oid: "vera-object-id", name: "Vera" };
    const v2 = await userOf(await sign({ ...vera, preferred_username: "vera@contoso.example" }));
    const v1 = await userOf(
      await sign({ ...vera, ver: "1.0", upn: "vera@contoso.example", unique_name: "vera@contoso.example" }),
    );
    expect(v1).toEqual(v2);
    expect(v1).toMatchObject({ email: "vera@contoso.example", displayName: "Vera" });
  });

  it("reads a v1.0 token's user as Entra writes it: upn for a member, the address in unique_name for a guest", async () => {
    const verify = verifierFor([tenant]);
    expect(
      await verify(
        await sign({ ver: "1.0", upn: "Vera@Contoso.example", unique_name: "Vera@Contoso.example" }),
      ),
    ).toMatchObject({
      tenantId: tenant,
      objectId: "user-object-id-1",
      email: "vera@contoso.example",
      name: "Rita Rep",
      guest: false,
    });
    // A member's v1.0 token may name its own tenant as the identity provider.
    expect(await verify(await sign({ ver: "1.0", idp: issuerOf("1.0") }))).toMatchObject({ guest: false });
    const personalGuest = await verify(
      await sign({
        ver: "1.0",
        oid: "gus-object-id",
        upn: undefined,
        unique_name: "live.com#Gus@Outlook.example",
        idp: "live.com",
      }),
    );
    expect(personalGuest).toMatchObject({ email: "gus@outlook.example", guest: true });
    // A guest's address in the optional email claim comes first.
    const withEmail = await verify(
      await sign({
        ver: "1.0",
        upn: undefined,
        unique_name: "live.com#gus@outlook.example",
        email: "Gus@Partner.example",
        idp: "live.com",
      }),
    );
    expect(withEmail.email).toBe("gus@partner.example");
    // The provider before '#' says the account is another identity provider's: a guest even when the token
    // carries neither idp nor acct, so the address after it (anyone's, as that provider let them write it) never
    // passes for a member's, on the server's list of admins above all.
    const prefixed = {
      ver: "1.0",
      oid: "gia-object-id",
      upn: undefined,
      unique_name: "live.com#lena@contoso.example",
    };
    expect(await verify(await sign(prefixed))).toMatchObject({ email: "lena@contoso.example", guest: true });
    expect(await userOf(await sign(prefixed))).toMatchObject({ role: "member" });
  });

  it("takes a configured Application ID URI (RAPPORT_ENTRA_APP_ID_URI) instead of api://<client id>", async () => {
    const custom = verifierFor([tenant], "api://crm.example.com/rapport");
    expect(await custom(await sign({ ver: "1.0" }, { aud: "api://crm.example.com/rapport" }))).toMatchObject({
      email: "rita@contoso.example",
    });
    expect(await custom(await sign({ ver: "2.0" }, { aud: clientId }))).toMatchObject({
      email: "rita@contoso.example",
    });
    await expect(custom(await sign({ ver: "1.0" }, { aud: appIdUri }))).rejects.toMatchObject({
      code: "unauthenticated",
      detail: expect.stringMatching(/"aud" claim/),
    });
  });

  it("rejects a token without an expiry", async () => {
    const { privateKey } = keys;
    const forever = await new SignJWT({ tid: tenant, oid: "x", scp: "access_as_user", ver: "2.0" })
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(`${authority}/${tenant}/v2.0`)
      .setAudience(clientId)
      .sign(privateKey);
    const response = await me(forever);
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/"exp" claim/);
  });

  it("admitting any tenant, asks the identity provider about a made-up tenant once, not once per token", async () => {
    const anyTenant = verifierFor(null);
    const madeUp = "99999999-8888-4777-8666-555555555555";
    const before = configRequests.get(madeUp) ?? 0;
    for (let i = 0; i < 3; i++) {
      const token = await sign({ tid: madeUp }, { iss: `${authority}/${madeUp}/v2.0` });
      await expect(anyTenant(token)).rejects.toMatchObject({ code: "unauthenticated", status: 401 });
    }
    expect((configRequests.get(madeUp) ?? 0) - before).toBe(1);
  });

  it("admitting any tenant, keeps a known tenant's configuration through a flood of made-up tenants", async () => {
    const anyTenant = verifierFor(null);
    await expect(anyTenant(await sign({}))).resolves.toMatchObject({ tenantId: tenant });
    const known = configRequests.get(tenant) ?? 0;
    // Unsigned: a made-up tenant is asked about before any signature is checked, so forging costs nothing.
    const unsigned = (tid: string) =>
      [{ alg: "RS256", kid: "test-key" }, { tid, ver: "2.0", iss: `${authority}/${tid}/v2.0` }, "x"]
        .map((part) =>
          Buffer.from(typeof part === "string" ? part : JSON.stringify(part)).toString("base64url"),
        )
        .join(".");
    for (let i = 0; i < 1100; i++) {
      const tid = `aaaaaaaa-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
      await expect(anyTenant(unsigned(tid))).rejects.toMatchObject({ status: 401 });
    }
    await expect(anyTenant(await sign({}))).resolves.toMatchObject({ tenantId: tenant });
    expect(configRequests.get(tenant) ?? 0).toBe(known);
  });

  it("takes an identity provider that throttles (429) for out of reach, not for a tenant it does not know", async () => {
    const anyTenant = verifierFor(null);
    const token = await sign({ tid: throttledTenant }, { iss: `${authority}/${throttledTenant}/v2.0` });
    await expect(anyTenant(token)).rejects.toMatchObject({ code: "auth_unavailable", status: 503 });
  });

  it("rejects an HS256 token signed with the public key (algorithm confusion)", async () => {
    const keys = (await (await fetch(`${authority}/common/discovery/v2.0/keys`)).json()) as {
      keys: { n: string }[];
    };
    const secret = new TextEncoder().encode(keys.keys[0]?.n ?? "");
    const forged = await new SignJWT({ tid: tenant, oid: "x", scp: "access_as_user", ver: "2.0" })
      .setProtectedHeader({ alg: "HS256", kid: "test-key" })
      .setIssuer(`${authority}/${tenant}/v2.0`)
      .setAudience(clientId)
      .setExpirationTime("1h")
      .sign(secret);
    expect((await me(forged)).status).toBe(401);
  });
});
