import { Writable } from "node:stream";
import pino from "pino";
import { InvitationCreated, PasswordResetRequested, SessionTokens } from "../../src/shared/accounts";
import type { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { createFirstAdmin } from "../../src/server/accounts/first-admin";
import { LOG_REDACTION } from "../../src/server/logging";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { startSmtpSink } from "../helpers/smtp-sink";
import { storeKinds } from "../helpers/stores";

const tokenIn = (text: string, page: "accept-invitation" | "reset-password") => {
  const match = new RegExp(`https://crm\\.example\\.com/app/${page}#token=([A-Za-z0-9_-]{43})`).exec(text);
  expect(match).not.toBeNull();
  return match?.[1] ?? "";
};

describe.each(storeKinds)("invitations and reset links by mail (%s)", (kind) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const log: string[] = [];
  const tokensSeen: string[] = [];
  let clients = 0;
  const newClient = () => `203.0.113.${++clients}`;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString());
        done();
      },
    });
    server = await startTestServer(kind, {
      trustProxy: 1,
      publicUrl: "https://crm.example.com",
      loggerInstance: pino({ level: "trace", redact: LOG_REDACTION }, sink),
      mail: {
        host: "127.0.0.1",
        port: smtp.port,
        security: "off",
        auth: { user: "rapport", pass: "mail server secret" },
        from: { name: "Rapport", address: "noreply@crm.example.com" },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  const send = (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; client?: string } = {},
  ) =>
    server.request(method, path, {
      token: options.token,
      body: options.body,
      headers: { "x-forwarded-for": options.client ?? "192.0.2.9", "user-agent": "jest" },
    });
  const audits = (orgId: string, action: string) =>
    server.database.db
      .selectFrom("audit_events")
      .select(["entity_id", "details"])
      .where("org_id", "=", orgId)
      .where("action", "=", action)
      .execute();

  async function newOrganization(name: string, displayName = "Ada Admin") {
    const first = await createFirstAdmin(server.database.db, {
      email: `admin@${name}`,
      org: name,
      linkBase: "https://crm.example.com",
    });
    const accepted = await send("POST", "/api/v1/invitations/accept", {
      body: {
        token: new URL(first.link).hash.slice("#token=".length),
        password: "correct horse battery staple",
        displayName,
      },
      client: newClient(),
    });
    return { orgId: first.organization.id, tokens: parse(SessionTokens, accepted) };
  }

  it("mails an invitation in the language asked for, whose link works once", async () => {
    const admin = await newOrganization("mailed.example");
    const since = smtp.received.length;
    const created = parse(
      InvitationCreated,
      await send("POST", "/api/v1/invitations", {
        token: admin.tokens.accessToken,
        body: { email: "Rita@Mailed.example", language: "sv" },
      }),
    );
    expect(created.mail).toBe("sent");
    const mail = await smtp.mailTo("rita@mailed.example", since);
    expect(mail.from).toBe("noreply@crm.example.com");
    expect(mail.to).toEqual(["rita@mailed.example"]);
    expect(mail.headers).toMatch(/^Subject: .*(Rapport)/m);
    expect(mail.text).toContain("Ada Admin har bjudit in dig till mailed.example i Rapport");
    expect(mail.html).toContain(`href="${created.link}"`);
    const token = tokenIn(mail.text, "accept-invitation");
    tokensSeen.push(token);
    expect(created.link).toBe(`https://crm.example.com/app/accept-invitation#token=${token}`);

    const accept = () =>
      send("POST", "/api/v1/invitations/accept", {
        body: { token, password: "rita's own long passphrase" },
        client: newClient(),
      });
    expect((await accept()).status).toBe(200);
    expect((await accept()).status).toBe(410);
    expect(await audits(admin.orgId, "invitation.mailed")).toEqual([
      expect.objectContaining({
        entity_id: created.invitation.id,
        details: { email: "rita@mailed.example", language: "sv" },
      }),
    ]);
  }, 60_000);

  it("mails a reset link to an active account only, answering every address alike", async () => {
    const admin = await newOrganization("reset-mail.example");
    const invite = async (email: string) => {
      const created = parse(
        InvitationCreated,
        await send("POST", "/api/v1/invitations", { token: admin.tokens.accessToken, body: { email } }),
      );
      const token = tokenIn((await smtp.mailTo(email)).text, "accept-invitation");
      tokensSeen.push(token);
      const joined = parse(
        SessionTokens,
        await send("POST", "/api/v1/invitations/accept", {
          body: { token, password: "a long and quiet river" },
          client: newClient(),
        }),
      );
      expect(created.mail).toBe("sent");
      return joined;
    };
    await invite("cy@reset-mail.example");
    const gone = await invite("gone@reset-mail.example");
    const goneId = parse(Me, await send("GET", "/api/v1/me", { token: gone.accessToken })).user.id;
    expect(
      (await send("POST", `/api/v1/users/${goneId}/deactivate`, { token: admin.tokens.accessToken })).status,
    ).toBe(200);

    const since = smtp.received.length;
    const ask = (email: string) =>
      send("POST", "/api/v1/account/password-reset/request", { body: { email }, client: newClient() });
    const unknown = await ask("nobody@reset-mail.example");
    const deactivated = await ask("gone@reset-mail.example");
    const known = await ask("cy@reset-mail.example");
    for (const answer of [unknown, deactivated, known]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(known.body);
    }
    expect(parse(PasswordResetRequested, known).message).toMatch(/on its way/);

    // The requests are followed up one after another: once Cy's mail is here, the two before it are done.
    const mail = await smtp.mailTo("cy@reset-mail.example", since);
    expect(smtp.received.slice(since).map((m) => m.to)).toEqual([["cy@reset-mail.example"]]);
    const token = tokenIn(mail.text, "reset-password");
    tokensSeen.push(token);
    const reset = () =>
      send("POST", "/api/v1/account/password-reset", {
        body: { token, password: "a brand new long password" },
        client: newClient(),
      });
    expect((await reset()).status).toBe(200);
    expect((await reset()).status).toBe(410);
    expect(
      (
        await send("POST", "/api/v1/account/sign-in", {
          body: { email: "cy@reset-mail.example", password: "a brand new long password" },
          client: newClient(),
        })
      ).status,
    ).toBe(200);
    const requested = await audits(admin.orgId, "account.password_reset_requested");
    expect(requested.map((r) => (r.details as { reason?: string }).reason).sort()).toEqual([
      "deactivated",
      undefined,
    ]);
    expect(await audits(admin.orgId, "account.password_reset_mailed")).toHaveLength(1);
  }, 90_000);

  it("writes no header from a name or an address: a line break in either stays inside its value", async () => {
    const admin = await newOrganization("inject.example", "Ada\r\nBcc: victim@evil.example\r\nX-Evil: 1");
    const since = smtp.received.length;
    const created = parse(
      InvitationCreated,
      await send("POST", "/api/v1/invitations", {
        token: admin.tokens.accessToken,
        body: { email: "ivo@inject.example", language: "hr" },
      }),
    );
    tokensSeen.push(tokenIn(created.link, "accept-invitation"));
    const mail = await smtp.mailTo("ivo@inject.example", since);
    expect(mail.to).toEqual(["ivo@inject.example"]);
    expect(mail.headers).not.toMatch(/^(Bcc|X-Evil):/im);
    expect(smtp.received.slice(since).flatMap((m) => m.to)).not.toContain("victim@evil.example");

    const crafted = await send("POST", "/api/v1/invitations", {
      token: admin.tokens.accessToken,
      body: { email: "ivo@inject.example\r\nBcc: victim@evil.example" },
    });
    expect([crafted.status, (crafted.body as Problem).code]).toEqual([400, "invalid_request"]);
    const asked = await send("POST", "/api/v1/account/password-reset/request", {
      body: { email: "ivo@inject.example\nBcc: victim@evil.example" },
      client: newClient(),
    });
    expect(asked.status).toBe(400);
    expect(smtp.received.flatMap((m) => m.to)).not.toContain("victim@evil.example");
  }, 60_000);

  it("says when an invitation could not be mailed, logs and audits why, and still gives the link", async () => {
    const broken = await startTestServer(kind, {
      publicUrl: "https://crm.example.com",
      loggerInstance: pino(
        { level: "trace", redact: LOG_REDACTION },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            log.push(chunk.toString());
            done();
          },
        }),
      ),
      // The right server, the wrong password: it refuses to take the message.
      mail: {
        host: "127.0.0.1",
        port: smtp.port,
        security: "off",
        auth: { user: "rapport", pass: "not the password" },
        from: { name: "Rapport", address: "noreply@crm.example.com" },
      },
    });
    try {
      const first = await createFirstAdmin(broken.database.db, {
        email: "admin@unsent.example",
        org: "unsent.example",
        linkBase: "https://crm.example.com",
      });
      const tokens = parse(
        SessionTokens,
        await broken.request("POST", "/api/v1/invitations/accept", {
          body: { token: new URL(first.link).hash.slice(7), password: "correct horse battery staple" },
        }),
      );
      const response = await broken.request("POST", "/api/v1/invitations", {
        token: tokens.accessToken,
        body: { email: "una@unsent.example" },
      });
      expect(response.status).toBe(201);
      const created = parse(InvitationCreated, response);
      expect(created.mail).toBe("failed");
      tokensSeen.push(tokenIn(created.link, "accept-invitation"));
      const failed = await broken.database.db
        .selectFrom("audit_events")
        .select("details")
        .where("org_id", "=", first.organization.id)
        .where("action", "=", "invitation.mail_failed")
        .execute();
      expect(failed).toHaveLength(1);
      expect(JSON.stringify(failed)).toMatch(/EAUTH|535|Invalid/);
      expect(log.join("")).toMatch(/invitation not mailed/);
    } finally {
      await broken.close();
    }
  }, 60_000);

  it("writes no link's token into its log", () => {
    const written = log.join("");
    expect(written.length).toBeGreaterThan(0);
    expect(tokensSeen.length).toBeGreaterThanOrEqual(5);
    for (const token of tokensSeen) expect(written).not.toContain(token);
    expect(written).not.toMatch(/token=[A-Za-z0-9_-]{20}/);
    expect(written).not.toContain("mail server secret");
  });
});
