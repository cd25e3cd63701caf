import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import {
  InvitationCreated,
  OneTimeLink,
  SessionTokens,
  SignInPolicy,
  SignInPolicyChanged,
} from "../../src/shared/accounts";
import type { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const tenant = "11111111-2222-4333-8444-555555555555";
const clientId = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

/** Entra ID as far as Rapport asks it: the tenant's OpenID configuration and its key set, on a local port. */
async function startIdentityProvider() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  let authority = "";
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === `/${tenant}/v2.0/.well-known/openid-configuration`)
      res.end(
        JSON.stringify({
          issuer: `${authority}/${tenant}/v2.0`,
          jwks_uri: `${authority}/common/discovery/v2.0/keys`,
        }),
      );
    else if (req.url === "/common/discovery/v2.0/keys") res.end(JSON.stringify({ keys: [jwk] }));
    else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authority,
    /** A Microsoft 365 user's access token for Rapport's API, as Entra signs it. */
    token: (oid: string, email: string) =>
      new SignJWT({
        ver: "2.0",
        tid: tenant,
        oid,
        scp: "access_as_user",
        preferred_username: email,
        name: email,
      })
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(`${authority}/${tenant}/v2.0`)
        .setAudience(clientId)
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(storeKinds)("Microsoft 365 as the only way in (%s)", (kind) => {
  let server: TestServer;
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  let clients = 0;
  const newClient = () => `198.18.0.${++clients}`;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    server = await startTestServer(kind, {
      trustProxy: 1,
      publicUrl: "https://crm.example.com",
      entra: { clientId, appIdUri: `api://${clientId}`, tenants: [tenant], authority: idp.authority },
      admins: { appRole: "Rapport.Admin", listed: ["lena@contoso.example"] },
    });
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await idp.close();
  });

  const send = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    server.request(method, path, {
      token: options.token,
      body: options.body,
      headers: { "x-forwarded-for": newClient(), "user-agent": "jest" },
    });
  const expectProblem = (response: Response, status: number, code: Problem["code"]) =>
    expect([response.status, (response.body as Problem).code]).toEqual([status, code]);
  const tokenOf = (link: string) => new URL(link).hash.slice("#token=".length);

  it("is turned on by a Microsoft 365 admin only, ends own-account sessions at once, and refuses every own-account way in until turned off", async () => {
    const lena = await idp.token("lena-object-id", "lena@contoso.example");
    const lenaMe = parse(Me, await send("GET", "/api/v1/me", { token: lena }));
    expect(lenaMe.user.role).toBe("admin");
    const orgId = lenaMe.organization.id;

    // Rita joins the tenant's organisation with a Rapport password, as an admin.
    const invited = parse(
      InvitationCreated,
      await send("POST", "/api/v1/invitations", {
        token: lena,
        body: { email: "rita@contoso.example", role: "admin" },
      }),
    );
    expect(invited.mail).toBe("not_configured");
    const rita = parse(
      SessionTokens,
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(invited.link), password: "rita's own long passphrase" },
      }),
    );
    const ritaId = parse(Me, await send("GET", "/api/v1/me", { token: rita.accessToken })).user.id;
    const pending = parse(
      InvitationCreated,
      await send("POST", "/api/v1/invitations", { token: lena, body: { email: "pia@contoso.example" } }),
    );
    const resetLink = parse(
      OneTimeLink,
      await send("POST", `/api/v1/users/${ritaId}/password-reset-link`, { token: lena }),
    );

    // An admin signed in with a Rapport password cannot turn it on: they could lock everyone out.
    expectProblem(
      await send("PATCH", "/api/v1/organization/sign-in-policy", {
        token: rita.accessToken,
        body: { microsoft365Only: true },
      }),
      403,
      "forbidden",
    );
    // Nor can a member signed in with Microsoft 365.
    const mo = await idp.token("mo-object-id", "mo@contoso.example");
    expectProblem(
      await send("PATCH", "/api/v1/organization/sign-in-policy", {
        token: mo,
        body: { microsoft365Only: true },
      }),
      403,
      "forbidden",
    );
    expect(
      parse(SignInPolicy, await send("GET", "/api/v1/organization/sign-in-policy", { token: mo })),
    ).toEqual({
      microsoft365Only: false,
    });

    const turnedOn = parse(
      SignInPolicyChanged,
      await send("PATCH", "/api/v1/organization/sign-in-policy", {
        token: lena,
        body: { microsoft365Only: true },
      }),
    );
    expect(turnedOn).toEqual({ microsoft365Only: true, sessionsEnded: 1 });

    // Rita's session ended at once; each way back in is refused, and says why to whoever proved the account theirs.
    expectProblem(await send("GET", "/api/v1/me", { token: rita.accessToken }), 401, "unauthenticated");
    expectProblem(
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: rita.refreshToken } }),
      403,
      "microsoft365_only",
    );
    const signIn = (email: string, password: string) =>
      send("POST", "/api/v1/account/sign-in", { body: { email, password } });
    expectProblem(
      await signIn("rita@contoso.example", "rita's own long passphrase"),
      403,
      "microsoft365_only",
    );
    // A wrong password, or an address without an account, hears what it always hears.
    expectProblem(
      await signIn("rita@contoso.example", "a wrong long passphrase"),
      401,
      "invalid_credentials",
    );
    expectProblem(
      await signIn("nobody@contoso.example", "a wrong long passphrase"),
      401,
      "invalid_credentials",
    );
    expectProblem(
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(pending.link), password: "pia's own long passphrase" },
      }),
      403,
      "microsoft365_only",
    );
    // Unused reset links were withdrawn with the switch.
    expectProblem(
      await send("POST", "/api/v1/account/password-reset", {
        body: { token: tokenOf(resetLink.link), password: "a brand new passphrase" },
      }),
      410,
      "link_invalid",
    );
    const askedKnown = await send("POST", "/api/v1/account/password-reset/request", {
      body: { email: "rita@contoso.example" },
    });
    const askedUnknown = await send("POST", "/api/v1/account/password-reset/request", {
      body: { email: "nobody@contoso.example" },
    });
    expect([askedKnown.status, askedKnown.body]).toEqual([askedUnknown.status, askedUnknown.body]);
    expectProblem(
      await send("POST", "/api/v1/invitations", { token: lena, body: { email: "new@contoso.example" } }),
      409,
      "microsoft365_only",
    );
    expectProblem(
      await send("POST", `/api/v1/users/${ritaId}/password-reset-link`, { token: lena }),
      409,
      "microsoft365_only",
    );
    // Microsoft 365 still lets people in.
    expect((await send("GET", "/api/v1/me", { token: lena })).status).toBe(200);
    expect((await send("GET", "/api/v1/me", { token: mo })).status).toBe(200);

    // Turned off, Rita signs in again.
    expect(
      parse(
        SignInPolicyChanged,
        await send("PATCH", "/api/v1/organization/sign-in-policy", {
          token: lena,
          body: { microsoft365Only: false },
        }),
      ),
    ).toEqual({ microsoft365Only: false, sessionsEnded: 0 });
    expect((await signIn("rita@contoso.example", "rita's own long passphrase")).status).toBe(200);

    const events = await server.database.db
      .selectFrom("audit_events")
      .select(["action", "details"])
      .where("org_id", "=", orgId)
      .where("action", "in", ["organization.sign_in_policy", "account.sign_in_failed"])
      .orderBy("at")
      .execute();
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ["organization.sign_in_policy", { microsoft365Only: true, sessionsEnded: 1 }],
      ["account.sign_in_failed", expect.objectContaining({ reason: "microsoft365_only" })],
      ["account.sign_in_failed", expect.objectContaining({ reason: "wrong_password" })],
      ["organization.sign_in_policy", { microsoft365Only: false, sessionsEnded: 0 }],
    ]);
  }, 120_000);

  it("does not count the development sign-in (the local issuer) as Microsoft 365", async () => {
    const lead = await server.token("lead@elsewhere.example");
    expect(parse(Me, await send("GET", "/api/v1/me", { token: lead })).user.role).toBe("admin");
    expectProblem(
      await send("PATCH", "/api/v1/organization/sign-in-policy", {
        token: lead,
        body: { microsoft365Only: true },
      }),
      403,
      "forbidden",
    );
    expect(
      parse(SignInPolicy, await send("GET", "/api/v1/organization/sign-in-policy", { token: lead })),
    ).toEqual({
      microsoft365Only: false,
    });
  }, 60_000);
});
