import { Writable } from "node:stream";
import pino from "pino";
import {
  Invitation,
  InvitationCreated,
  InvitationList,
  OneTimeLink,
  SessionList,
  SessionTokens,
} from "../../src/shared/accounts";
import type { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { User, UserList } from "../../src/shared/users";
import { createFirstAdmin } from "../../src/server/accounts/first-admin";
import { LOG_REDACTION } from "../../src/server/logging";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { PATIENT_THROTTLES } from "../helpers/throttles";
import { storeKinds } from "../helpers/stores";

const tokenOf = (link: string) => {
  const token = new URL(link).hash.replace(/^#token=/, "");
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
};

describe.each(storeKinds)("Rapport's own accounts (%s)", (kind) => {
  let server: TestServer;
  const log: string[] = [];
  // Every client address a test uses is its own, so one test's failures never hold back another's.
  let clients = 0;
  const newClient = () => {
    clients += 1;
    return `198.51.100.${clients}`;
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString());
        done();
      },
    });
    server = await startTestServer(kind, {
      trustProxy: 1,
      publicUrl: "https://crm.example.com",
      accountThrottles: PATIENT_THROTTLES,
      loggerInstance: pino({ level: "trace", redact: LOG_REDACTION }, sink),
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
  const problem = (response: Response) => response.body as Problem;
  const expectProblem = (response: Response, status: number, code: Problem["code"]) => {
    expect([response.status, problem(response).code]).toEqual([status, code]);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  };
  const audits = (orgId: string, action: string) =>
    server.database.db
      .selectFrom("audit_events")
      .select(["actor_id", "entity_id", "details"])
      .where("org_id", "=", orgId)
      .where("action", "=", action)
      .orderBy("at")
      .execute();

  /** An organisation with its first admin signed in, as `npm run admin` and the link make it. */
  async function newOrganization(name: string) {
    const email = `admin@${name}`;
    const first = await createFirstAdmin(server.database.db, {
      email,
      org: name,
      linkBase: "https://crm.example.com",
    });
    const accepted = await send("POST", "/api/v1/invitations/accept", {
      body: {
        token: tokenOf(first.link),
        password: "correct horse battery staple",
        displayName: "Ada Admin",
      },
      client: newClient(),
    });
    const tokens = parse(SessionTokens, accepted);
    return { orgId: first.organization.id, email, tokens };
  }

  async function invite(adminToken: string, email: string, role: "admin" | "member" = "member") {
    const created = await send("POST", "/api/v1/invitations", { token: adminToken, body: { email, role } });
    expect(created.status).toBe(201);
    return parse(InvitationCreated, created);
  }

  async function join(adminToken: string, email: string, password: string) {
    const { link } = await invite(adminToken, email);
    const response = await send("POST", "/api/v1/invitations/accept", {
      body: { token: tokenOf(link), password },
      client: newClient(),
    });
    return parse(SessionTokens, response);
  }

  it("takes an invitee from the link to a session, rotates refresh tokens, and ends the family on reuse", async () => {
    const admin = await newOrganization("flow.example");
    const created = await invite(admin.tokens.accessToken, "Rita@Flow.example");
    expect(created.link.startsWith("https://crm.example.com/app/accept-invitation#token=")).toBe(true);
    expect(created.invitation).toMatchObject({
      email: "rita@flow.example",
      role: "member",
      status: "pending",
    });

    const accepted = parse(
      SessionTokens,
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(created.link), password: "a long and quiet river", displayName: "Rita Rep" },
        client: newClient(),
      }),
    );
    const me = parse(Me, await send("GET", "/api/v1/me", { token: accepted.accessToken }));
    expect(me.user).toMatchObject({ email: "rita@flow.example", displayName: "Rita Rep", role: "member" });
    expect(me.organization.id).toBe(admin.orgId);

    // The link is used up.
    expectProblem(
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(created.link), password: "another long password" },
        client: newClient(),
      }),
      410,
      "link_invalid",
    );

    const signedIn = parse(
      SessionTokens,
      await send("POST", "/api/v1/account/sign-in", {
        body: { email: "rita@flow.example", password: "a long and quiet river" },
        client: newClient(),
      }),
    );
    expect(signedIn.expiresIn).toBeLessThanOrEqual(600);
    const first = signedIn.refreshToken;
    const second = parse(
      SessionTokens,
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: first } }),
    );
    expect(second.refreshToken).not.toBe(first);
    expect(second.sessionId).toBe(signedIn.sessionId);
    expect((await send("GET", "/api/v1/me", { token: second.accessToken })).status).toBe(200);
    const third = parse(
      SessionTokens,
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: second.refreshToken } }),
    );

    // The first token again: someone holds a copy. The family ends, the newest token and its access token too.
    expectProblem(
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: first } }),
      401,
      "unauthenticated",
    );
    expectProblem(
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: third.refreshToken } }),
      401,
      "unauthenticated",
    );
    expectProblem(await send("GET", "/api/v1/me", { token: third.accessToken }), 401, "unauthenticated");
    // The other session (from accepting) goes on.
    expect((await send("GET", "/api/v1/me", { token: accepted.accessToken })).status).toBe(200);
    expect(await audits(admin.orgId, "session.refresh_reused")).toEqual([
      expect.objectContaining({ entity_id: signedIn.sessionId }),
    ]);
    expect((await audits(admin.orgId, "invitation.created")).length).toBe(2);
    expect(await audits(admin.orgId, "invitation.accepted")).toHaveLength(2);
    expect((await audits(admin.orgId, "account.signed_in")).length).toBeGreaterThanOrEqual(3);
  });

  it("ends a deactivated user's sessions at once: access and refresh are refused", async () => {
    const admin = await newOrganization("deactivate.example");
    const bo = await join(admin.tokens.accessToken, "bo@deactivate.example", "bo's own long password");
    const boMe = parse(Me, await send("GET", "/api/v1/me", { token: bo.accessToken }));

    const deactivated = await send("POST", `/api/v1/users/${boMe.user.id}/deactivate`, {
      token: admin.tokens.accessToken,
    });
    expect(parse(User, deactivated).deactivatedAt).not.toBeNull();
    expectProblem(await send("GET", "/api/v1/me", { token: bo.accessToken }), 401, "account_deactivated");
    expectProblem(
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: bo.refreshToken } }),
      401,
      "unauthenticated",
    );
    // Nor can they sign in again, and the answer is the one for a wrong password.
    expectProblem(
      await send("POST", "/api/v1/account/sign-in", {
        body: { email: "bo@deactivate.example", password: "bo's own long password" },
        client: newClient(),
      }),
      401,
      "invalid_credentials",
    );
    expect(await audits(admin.orgId, "user.deactivated")).toEqual([
      expect.objectContaining({ entity_id: boMe.user.id, details: { sessionsEnded: 1 } }),
    ]);

    // Reactivated, they sign in again.
    expect(
      (await send("POST", `/api/v1/users/${boMe.user.id}/reactivate`, { token: admin.tokens.accessToken }))
        .status,
    ).toBe(200);
    expect(
      (
        await send("POST", "/api/v1/account/sign-in", {
          body: { email: "bo@deactivate.example", password: "bo's own long password" },
          client: newClient(),
        })
      ).status,
    ).toBe(200);
    // The last admin stays, and an admin cannot lock themselves out.
    const adminMe = parse(Me, await send("GET", "/api/v1/me", { token: admin.tokens.accessToken }));
    expect(
      (await send("POST", `/api/v1/users/${adminMe.user.id}/deactivate`, { token: admin.tokens.accessToken }))
        .status,
    ).toBe(409);
  });

  it("keeps an active admin: a deactivated admin does not count when the last active one is demoted", async () => {
    const ada = await newOrganization("last-active.example");
    const { link } = await invite(ada.tokens.accessToken, "ben@last-active.example", "admin");
    const ben = parse(
      SessionTokens,
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(link), password: "ben's long admin passphrase" },
        client: newClient(),
      }),
    );
    const benId = parse(Me, await send("GET", "/api/v1/me", { token: ben.accessToken })).user.id;
    const adaId = parse(Me, await send("GET", "/api/v1/me", { token: ada.tokens.accessToken })).user.id;
    expect(
      (await send("POST", `/api/v1/users/${benId}/deactivate`, { token: ada.tokens.accessToken })).status,
    ).toBe(200);
    // Ben is still an admin on paper, but cannot sign in: Ada is the only admin who can.
    expectProblem(
      await send("PATCH", `/api/v1/users/${adaId}`, {
        token: ada.tokens.accessToken,
        body: { role: "member" },
      }),
      409,
      "last_admin",
    );
    expectProblem(
      await send("POST", `/api/v1/users/${adaId}/deactivate`, { token: ada.tokens.accessToken }),
      409,
      "invalid_request",
    );
    const users = parse(UserList, await send("GET", "/api/v1/users", { token: ada.tokens.accessToken }));
    expect(users.items.find((u) => u.id === adaId)).toMatchObject({ role: "admin", deactivatedAt: null });
    // Ben back, Ada may step down.
    expect(
      (await send("POST", `/api/v1/users/${benId}/reactivate`, { token: ada.tokens.accessToken })).status,
    ).toBe(200);
    expect(
      (
        await send("PATCH", `/api/v1/users/${adaId}`, {
          token: ada.tokens.accessToken,
          body: { role: "member" },
        })
      ).status,
    ).toBe(200);
  });

  it("refuses a deactivated user who signs in another way (Microsoft 365, the local issuer) from their next request", async () => {
    const lead = await server.token("lead@elsewhere.example");
    const repToken = await server.token("rep@elsewhere.example");
    expect(parse(Me, await send("GET", "/api/v1/me", { token: lead })).user.role).toBe("admin");
    const rep = parse(Me, await send("GET", "/api/v1/me", { token: repToken })).user;
    expect((await send("POST", `/api/v1/users/${rep.id}/deactivate`, { token: lead })).status).toBe(200);
    // The token the server had remembered, and a fresh one.
    expectProblem(await send("GET", "/api/v1/me", { token: repToken }), 401, "account_deactivated");
    expectProblem(
      await send("GET", "/api/v1/me", { token: await server.token("rep@elsewhere.example") }),
      401,
      "account_deactivated",
    );
    expect((await send("POST", `/api/v1/users/${rep.id}/reactivate`, { token: lead })).status).toBe(200);
    expect((await send("GET", "/api/v1/me", { token: repToken })).status).toBe(200);
    const users = parse(UserList, await send("GET", "/api/v1/users", { token: lead })).items;
    expect(users.find((u) => u.id === rep.id)?.deactivatedAt).toBeNull();
  });

  it("resets a password by a one-time link: once, within the hour, ending every session", async () => {
    const admin = await newOrganization("reset.example");
    const cy = await join(admin.tokens.accessToken, "cy@reset.example", "the old long password");
    const cyId = parse(Me, await send("GET", "/api/v1/me", { token: cy.accessToken })).user.id;

    // Asked for at the sign-in page: the same answer as for an address without an account; admins see it.
    const asked = await send("POST", "/api/v1/account/password-reset/request", {
      body: { email: "cy@reset.example" },
      client: newClient(),
    });
    const unknown = await send("POST", "/api/v1/account/password-reset/request", {
      body: { email: "nobody@reset.example" },
      client: newClient(),
    });
    expect([asked.status, asked.body]).toEqual([unknown.status, unknown.body]);
    // Recorded after the answer has gone (so its time says nothing either).
    let requested = await audits(admin.orgId, "account.password_reset_requested");
    while (requested.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      requested = await audits(admin.orgId, "account.password_reset_requested");
    }
    expect(requested).toHaveLength(1);

    const made = await send("POST", `/api/v1/users/${cyId}/password-reset-link`, {
      token: admin.tokens.accessToken,
    });
    expect(made.status).toBe(201);
    const { link } = parse(OneTimeLink, made);
    expect(link.startsWith("https://crm.example.com/app/reset-password#token=")).toBe(true);

    // Refused passwords leave the link usable.
    expectProblem(
      await send("POST", "/api/v1/account/password-reset", {
        body: { token: tokenOf(link), password: "password1234" },
        client: newClient(),
      }),
      400,
      "weak_password",
    );
    const reset = await send("POST", "/api/v1/account/password-reset", {
      body: { token: tokenOf(link), password: "the new long password" },
      client: newClient(),
    });
    expect([reset.status, reset.body]).toEqual([200, { reset: true }]);
    expectProblem(await send("GET", "/api/v1/me", { token: cy.accessToken }), 401, "unauthenticated");
    expectProblem(
      await send("POST", "/api/v1/account/password-reset", {
        body: { token: tokenOf(link), password: "a third long password" },
        client: newClient(),
      }),
      410,
      "link_invalid",
    );
    const signIn = (password: string) =>
      send("POST", "/api/v1/account/sign-in", {
        body: { email: "cy@reset.example", password },
        client: newClient(),
      });
    expectProblem(await signIn("the old long password"), 401, "invalid_credentials");
    expect((await signIn("the new long password")).status).toBe(200);

    // A link past its hour no longer works.
    const late = parse(
      OneTimeLink,
      await send("POST", `/api/v1/users/${cyId}/password-reset-link`, { token: admin.tokens.accessToken }),
    );
    await server.database.db
      .updateTable("password_resets")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", cyId)
      .where("used_at", "is", null)
      .execute();
    expectProblem(
      await send("POST", "/api/v1/account/password-reset", {
        body: { token: tokenOf(late.link), password: "a fourth long password" },
        client: newClient(),
      }),
      410,
      "link_invalid",
    );
    expect(await audits(admin.orgId, "account.password_reset")).toHaveLength(1);
    expect(await audits(admin.orgId, "account.password_reset_link_created")).toHaveLength(2);
  });

  it("refuses short and common passwords, and a wrong one, without saying which part was wrong", async () => {
    const admin = await newOrganization("weak.example");
    const { link } = await invite(admin.tokens.accessToken, "di@weak.example");
    for (const password of ["short pass", "password1234", "Qwertyuiop123!", "aaaaaaaaaaaaaaa"]) {
      const refused = await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(link), password },
        client: newClient(),
      });
      expect([password, refused.status]).toEqual([password, 400]);
      expect(["invalid_request", "weak_password"]).toContain(problem(refused).code);
    }
    expect(
      (
        await send("POST", "/api/v1/invitations/accept", {
          body: { token: tokenOf(link), password: "di's perfectly fine passphrase" },
          client: newClient(),
        })
      ).status,
    ).toBe(200);

    const client = newClient();
    const wrong = await send("POST", "/api/v1/account/sign-in", {
      body: { email: "di@weak.example", password: "not di's passphrase" },
      client,
    });
    const nobody = await send("POST", "/api/v1/account/sign-in", {
      body: { email: "nobody@weak.example", password: "not di's passphrase" },
      client,
    });
    expectProblem(wrong, 401, "invalid_credentials");
    expect(nobody.status).toBe(wrong.status);
    expect(nobody.body).toEqual(wrong.body);
    const failures = await audits(admin.orgId, "account.sign_in_failed");
    expect(failures).toEqual([
      expect.objectContaining({
        actor_id: null,
        details: expect.objectContaining({ reason: "wrong_password" }),
      }),
    ]);
  });

  it("meets 50 wrong passwords with growing waits (429 with Retry-After), never a 5xx, the right one too", async () => {
    const admin = await newOrganization("brute.example");
    await join(admin.tokens.accessToken, "eve@brute.example", "eve's real passphrase");
    const client = newClient();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 50; i++) {
      const response = await send("POST", "/api/v1/account/sign-in", {
        body: { email: "eve@brute.example", password: `guess number ${i}` },
        client,
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The account waits whatever address the next guess comes from, and the right password waits too.
    expectProblem(
      await send("POST", "/api/v1/account/sign-in", {
        body: { email: "eve@brute.example", password: "eve's real passphrase" },
        client: newClient(),
      }),
      429,
      "rate_limited",
    );
    // An unknown address meets the same waits: the limits do not tell which addresses have accounts.
    const ghost: number[] = [];
    const ghostClient = newClient();
    for (let i = 0; i < 10; i++)
      ghost.push(
        (
          await send("POST", "/api/v1/account/sign-in", {
            body: { email: "ghost@brute.example", password: `guess number ${i}` },
            client: ghostClient,
          })
        ).status,
      );
    expect(ghost.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(ghost.slice(6)).toEqual([429, 429, 429, 429]);
    // Invitation links are guessed no better: a client address that keeps failing waits too.
    const guesser = newClient();
    const accepts: number[] = [];
    for (let i = 0; i < 30; i++)
      accepts.push(
        (
          await send("POST", "/api/v1/invitations/accept", {
            body: { token: "A".repeat(42) + String(i % 10), password: "a long enough password" },
            client: guesser,
          })
        ).status,
      );
    expect(accepts.filter((s) => s >= 500)).toEqual([]);
    expect(accepts.slice(0, 20).every((s) => s === 410)).toBe(true);
    expect(accepts.slice(21)).toEqual(Array(9).fill(429));
  });

  it("lets only an organisation's admins invite, and only into their own organisation", async () => {
    const one = await newOrganization("one.example");
    const two = await newOrganization("two.example");
    const member = await join(one.tokens.accessToken, "mo@one.example", "mo's long passphrase");
    expectProblem(
      await send("POST", "/api/v1/invitations", {
        token: member.accessToken,
        body: { email: "x@one.example" },
      }),
      403,
      "forbidden",
    );
    expectProblem(await send("GET", "/api/v1/invitations", { token: member.accessToken }), 403, "forbidden");

    // Two's admin invites: the invitation is two's, whatever the address, and one's admin cannot see or revoke it.
    const { invitation, link } = await invite(two.tokens.accessToken, "new@one.example");
    const listed = parse(
      InvitationList,
      await send("GET", "/api/v1/invitations", { token: one.tokens.accessToken }),
    );
    expect(listed.items.map((i) => i.id)).not.toContain(invitation.id);
    expectProblem(
      await send("DELETE", `/api/v1/invitations/${invitation.id}`, { token: one.tokens.accessToken }),
      404,
      "not_found",
    );
    const joined = parse(
      SessionTokens,
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(link), password: "new's own passphrase" },
        client: newClient(),
      }),
    );
    expect(parse(Me, await send("GET", "/api/v1/me", { token: joined.accessToken })).organization.id).toBe(
      two.orgId,
    );
    // One's admin sees no user of two's, and cannot deactivate one.
    const twoUsers = parse(UserList, await send("GET", "/api/v1/users", { token: two.tokens.accessToken }));
    for (const user of twoUsers.items)
      expect(
        (await send("POST", `/api/v1/users/${user.id}/deactivate`, { token: one.tokens.accessToken })).status,
      ).toBe(404);

    // A withdrawn invitation's link stops working.
    const withdrawn = await invite(one.tokens.accessToken, "late@one.example");
    const revoked = await send("DELETE", `/api/v1/invitations/${withdrawn.invitation.id}`, {
      token: one.tokens.accessToken,
    });
    expect(parse(Invitation, revoked).status).toBe("revoked");
    expectProblem(
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(withdrawn.link), password: "late's own passphrase" },
        client: newClient(),
      }),
      410,
      "link_invalid",
    );
    expect(await audits(one.orgId, "invitation.revoked")).toHaveLength(1);
    // An invitation past its seven days no longer works either.
    const old = await invite(one.tokens.accessToken, "old@one.example");
    await server.database.db
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", old.invitation.id)
      .execute();
    expectProblem(
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: tokenOf(old.link), password: "old's own passphrase" },
        client: newClient(),
      }),
      410,
      "link_invalid",
    );
  });

  it("signs out one session, lists and ends the others, and signs out everywhere", async () => {
    const admin = await newOrganization("sessions.example");
    const signIn = async () =>
      parse(
        SessionTokens,
        await send("POST", "/api/v1/account/sign-in", {
          body: { email: admin.email, password: "correct horse battery staple" },
          client: newClient(),
        }),
      );
    const laptop = await signIn();
    const phone = await signIn();
    const tablet = await signIn();
    const listed = parse(
      SessionList,
      await send("GET", "/api/v1/account/sessions", { token: laptop.accessToken }),
    );
    expect(listed.items.length).toBe(4);
    expect(listed.items.filter((s) => s.current).map((s) => s.id)).toEqual([laptop.sessionId]);
    expect(listed.items[0]?.userAgent).toBe("jest");

    expect(
      (await send("DELETE", `/api/v1/account/sessions/${phone.sessionId}`, { token: laptop.accessToken }))
        .body,
    ).toEqual({ ended: 1 });
    expectProblem(await send("GET", "/api/v1/me", { token: phone.accessToken }), 401, "unauthenticated");

    expect((await send("POST", "/api/v1/account/sign-out", { token: tablet.accessToken })).body).toEqual({
      ended: 1,
    });
    expectProblem(
      await send("POST", "/api/v1/account/refresh", { body: { refreshToken: tablet.refreshToken } }),
      401,
      "unauthenticated",
    );
    expect((await send("GET", "/api/v1/me", { token: laptop.accessToken })).status).toBe(200);

    expect(
      (await send("POST", "/api/v1/account/sign-out-everywhere", { token: laptop.accessToken })).body,
    ).toEqual({ ended: 2 });
    expectProblem(await send("GET", "/api/v1/me", { token: laptop.accessToken }), 401, "unauthenticated");
    expectProblem(
      await send("GET", "/api/v1/me", { token: admin.tokens.accessToken }),
      401,
      "unauthenticated",
    );
  });

  it("changes a password with the current one, ending the user's other sessions and keeping this one", async () => {
    const admin = await newOrganization("change.example");
    const here = parse(
      SessionTokens,
      await send("POST", "/api/v1/account/sign-in", {
        body: { email: admin.email, password: "correct horse battery staple" },
        client: newClient(),
      }),
    );
    const change = (currentPassword: string, newPassword: string) =>
      send("POST", "/api/v1/account/password", {
        token: here.accessToken,
        body: { currentPassword, newPassword },
        client: newClient(),
      });
    expectProblem(
      await change("not the password at all", "a brand new passphrase"),
      401,
      "invalid_credentials",
    );
    expectProblem(await change("correct horse battery staple", "password12345"), 400, "weak_password");
    const changed = await change("correct horse battery staple", "a brand new passphrase");
    expect([changed.status, changed.body]).toEqual([200, { ended: 1 }]);
    expect((await send("GET", "/api/v1/me", { token: here.accessToken })).status).toBe(200);
    expectProblem(
      await send("GET", "/api/v1/me", { token: admin.tokens.accessToken }),
      401,
      "unauthenticated",
    );
    const signIn = (password: string) =>
      send("POST", "/api/v1/account/sign-in", {
        body: { email: admin.email, password },
        client: newClient(),
      });
    expectProblem(await signIn("correct horse battery staple"), 401, "invalid_credentials");
    expect((await signIn("a brand new passphrase")).status).toBe(200);
    expect(await audits(admin.orgId, "account.password_changed")).toHaveLength(1);
    expect(await audits(admin.orgId, "account.password_change_failed")).toHaveLength(1);
    // Someone who signs in with Microsoft 365 or the local issuer has no password here.
    expect(
      (
        await send("POST", "/api/v1/account/password", {
          token: await server.token("lead@nopassword.example"),
          body: { currentPassword: "whatever it is", newPassword: "a brand new passphrase" },
        })
      ).status,
    ).toBe(409);
  });

  it("refuses an access token that Rapport did not sign, or that was altered", async () => {
    const admin = await newOrganization("forged.example");
    const [header, payload, signature] = admin.tokens.accessToken.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, org: "00000000-0000-4000-8000-000000000000" })).toString("base64url")}.${signature}`;
    expectProblem(await send("GET", "/api/v1/me", { token: altered }), 401, "unauthenticated");
    const other = await startTestServer("pglite");
    try {
      const foreign = await other.accounts.sign({
        ...claims,
        orgId: admin.orgId,
        userId: claims.sub,
        sessionId: claims.sid,
      });
      expectProblem(await send("GET", "/api/v1/me", { token: foreign }), 401, "unauthenticated");
    } finally {
      await other.close();
    }
  });

  it("writes no token or password into its log", async () => {
    const written = log.join("");
    expect(written.length).toBeGreaterThan(0);
    expect(written).not.toMatch(/correct horse|long password|passphrase/);
    expect(written).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(written).not.toMatch(/token=/);
  });
});
