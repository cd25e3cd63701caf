import { createApiClient } from "../../src/client/api-client";
import { type Outbox, createOutbox } from "../../src/addin/core/outbox";
import { memoryStorage } from "../../src/addin/core/storage";
import { logOnSend } from "../../src/addin/commands/log-on-send";
import { logToRapport } from "../../src/addin/commands/log-to-rapport";
import { type SimulatedMessage, createSimulatedMailbox } from "../../src/addin/office/simulated-mailbox";
import { createI18n } from "../../src/addin/core/i18n";
import { Timeline } from "../../src/shared/people";
import { type TestServer, parse, startTestServer } from "../helpers/server";

const REP = "rita@contoso.example";
/**
 * What each step of logging on send waits for the server (Outlook's patience is 2 s): for these tests, without
 * end, so the answer checked is the server's on a machine of any speed; the wait running out has its own test.
 */
const UNTIL_ANSWERED = Number.POSITIVE_INFINITY;

describe("the ribbon's Log to Rapport and logging on send, against the real server", () => {
  let server: TestServer;
  let token: string;
  let annaId: string;
  const outboxes: Outbox[] = [];

  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token(REP);
    const anna = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
    annaId = anna.body.id;
  });
  afterEach(() => outboxes.splice(0).forEach((o) => o.close()));
  afterAll(() => server.close());

  /** The command's world: a mailbox, the API over a line the test can cut, an outbox, English. */
  function setup(messages: SimulatedMessage[], selected: string) {
    /** Down: the request fails at once; hung: it never gets an answer. */
    const line = { up: true, hung: false };
    /** The emails logged, as the server received them. */
    const logged: Record<string, unknown>[] = [];
    const api = createApiClient({
      baseUrl: server.baseUrl,
      getToken: async () => token,
      fetch: async (input, init) => {
        if (!line.up) throw new TypeError("fetch failed");
        if (line.hung) return new Promise<Response>(() => undefined);
        if (
          init?.method === "POST" &&
          String(input).endsWith("/api/v1/emails") &&
          typeof init.body === "string"
        )
          logged.push(JSON.parse(init.body) as Record<string, unknown>);
        return fetch(input, init);
      },
    });
    const mailbox = createSimulatedMailbox({ messages, userAddress: REP, selected });
    const outbox = createOutbox({ api, storage: memoryStorage(), owner: REP, retryDelaysMs: [60_000] });
    outboxes.push(outbox);
    return { line, logged, mailbox, outbox, services: { mailbox, api, outbox, t: createI18n("en-US").t } };
  }
  const received = (id: string, from = "anna@fabrikam.example"): SimulatedMessage => ({
    id,
    internetMessageId: `<${id}@fabrikam.example>`,
    conversationId: null,
    subject: `About ${id}`,
    from: { address: from, name: from === "anna@fabrikam.example" ? "Anna Berg" : null },
    to: [{ address: REP, name: "Rita Rep" }],
    cc: [],
    sentAt: "2026-11-20T09:30:00.000Z",
    mode: "read",
    bodyText: "Hello Rita",
  });
  const annasEmails = async () =>
    parse(
      Timeline,
      await server.request("GET", `/api/v1/contacts/${annaId}/timeline?limit=100`, { token }),
    ).items.flatMap((i) =>
      i.type === "interaction" && i.interaction.kind === "email" ? [i.interaction] : [],
    );

  it("logs the open email in one click and says who it was logged for", async () => {
    const { services } = setup([received("one")], "one");
    expect(await logToRapport(services)).toEqual({ kind: "info", text: "Logged to Rapport · Anna Berg" });
    expect(
      (await annasEmails()).filter((e) => e.internetMessageId === "<one@fabrikam.example>"),
    ).toHaveLength(1);
    // Again: still one.
    await logToRapport(services);
    expect(
      (await annasEmails()).filter((e) => e.internetMessageId === "<one@fabrikam.example>"),
    ).toHaveLength(1);
  });

  it("logs nothing when nobody on the email is in Rapport, and sends the rep to the pane", async () => {
    const { services } = setup([received("stranger", "jonas@northwind.example")], "stranger");
    expect(await logToRapport(services)).toEqual({
      kind: "info",
      text: "Not in Rapport yet: open Rapport to add them.",
    });
    const logged = await server.request("GET", "/api/v1/people/lookup?email=jonas@northwind.example", {
      token,
    });
    expect(logged.status).toBe(200);
    expect(
      (
        await server.database.db
          .selectFrom("interactions")
          .select("id")
          .where("internet_message_id", "=", "<stranger@fabrikam.example>")
          .execute()
      ).length,
    ).toBe(0);
  });

  it("queues the log when Rapport is down, says so, and the email arrives once when it is back", async () => {
    const { line, outbox, services } = setup([received("offline")], "offline");
    line.up = false;
    expect(await logToRapport(services)).toEqual({
      kind: "info",
      text: "Rapport cannot be reached: the email is logged when it is back.",
    });
    line.up = true;
    await outbox.flush();
    expect(
      (await annasEmails()).filter((e) => e.internetMessageId === "<offline@fabrikam.example>"),
    ).toHaveLength(1);
  });

  it("says a draft cannot be logged from the ribbon", async () => {
    const draft: SimulatedMessage = {
      ...received("d"),
      mode: "compose",
      internetMessageId: null,
      from: null,
    };
    const { services } = setup([draft], "d");
    expect(await logToRapport(services)).toEqual({
      kind: "error",
      text: "Only a received or sent email can be logged.",
    });
  });

  it("logs a ticked draft on send under a Rapport key, and the sent copy later joins it: one email", async () => {
    const draft: SimulatedMessage = {
      id: "draft",
      internetMessageId: null,
      conversationId: "conv-offer",
      subject: "Our offer",
      from: null,
      to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
      cc: [],
      sentAt: null,
      mode: "compose",
      bodyText: "Hi Anna, here is our offer.",
    };
    const { mailbox, services } = setup([draft], "draft");
    expect(await logOnSend(services, UNTIL_ANSWERED)).toBe("skipped");
    expect((await mailbox.readOpenMessage())?.rapportKey).toBeUndefined();

    await mailbox.setLogOnSend(true);
    expect(await logOnSend(services, UNTIL_ANSWERED)).toBe("sent");
    const key = (await mailbox.readOpenMessage())?.rapportKey;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const onSend = (await annasEmails()).filter((e) => e.rapportKey === key);
    expect(onSend).toMatchObject([
      { internetMessageId: null, direction: "out", source: "on-send", subject: "Our offer" },
    ]);

    // The sent copy, read later in Sent Items, carries the key: logging it from the ribbon joins the same email.
    const copy: SimulatedMessage = {
      ...received("sent-copy"),
      from: { address: REP, name: "Rita Rep" },
      to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
      subject: "Our offer",
      rapportKey: key ?? null,
    };
    const reader = setup([copy], "sent-copy");
    expect((await logToRapport(reader.services)).kind).toBe("info");
    const joined = (await annasEmails()).filter((e) => e.rapportKey === key);
    expect(joined).toMatchObject([{ id: onSend[0]?.id, internetMessageId: "<sent-copy@fabrikam.example>" }]);
  });

  it("lets the mail go at once when Rapport is down, with the log kept in the outbox", async () => {
    const draft: SimulatedMessage = {
      id: "down",
      internetMessageId: null,
      conversationId: null,
      subject: "Sent while down",
      from: null,
      to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
      cc: [],
      sentAt: null,
      mode: "compose",
      bodyText: "",
      logOnSend: true,
    };
    const { line, outbox, services } = setup([draft], "down");
    line.up = false;
    expect(await logOnSend(services, UNTIL_ANSWERED)).toBe("queued");
    expect(outbox.entries().map((e) => e.action.kind)).toEqual(["logEmail"]);
    line.up = true;
    await outbox.flush();
    expect((await annasEmails()).filter((e) => e.subject === "Sent while down")).toHaveLength(1);
  });

  it("lets the mail go when Rapport does not answer within the wait: a ticked log waits in the outbox, a policy's is not made", async () => {
    const draft = (id: string, logOnSend: boolean): SimulatedMessage => ({
      id,
      internetMessageId: null,
      conversationId: null,
      subject: `Hung ${id}`,
      from: null,
      to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
      cc: [],
      sentAt: null,
      mode: "compose",
      bodyText: "",
      logOnSend,
    });
    // No wait at all: whatever the machine's speed, a server that never answers has not answered by then.
    const ticked = setup([draft("h1", true)], "h1");
    ticked.line.hung = true;
    expect(await logOnSend(ticked.services, 0)).toBe("queued");
    expect(ticked.outbox.entries().map((e) => e.action.kind)).toEqual(["logEmail"]);
    const byPolicy = setup([draft("h2", false)], "h2");
    byPolicy.line.hung = true;
    expect(await logOnSend(byPolicy.services, 0)).toBe("skipped");
    expect(byPolicy.outbox.entries()).toEqual([]);
    expect((await byPolicy.mailbox.readOpenMessage())?.rapportKey).toBeUndefined();
  });

  it("logs an unticked draft on send when the organisation's policy says so, and only to a known contact", async () => {
    const setPolicy = (on: boolean) =>
      server.request("PATCH", "/api/v1/organization/logging-policy", {
        token,
        body: { logOnSendToKnownContacts: on },
      });
    const draftTo = (id: string, address: string): SimulatedMessage => ({
      id,
      internetMessageId: null,
      conversationId: null,
      subject: `Policy ${id}`,
      from: null,
      to: [{ address, name: null }],
      cc: [],
      sentAt: null,
      mode: "compose",
      bodyText: "",
    });
    expect((await setPolicy(true)).status).toBe(200);
    try {
      const toAnna = setup([draftTo("p1", "anna@fabrikam.example")], "p1");
      expect(await logOnSend(toAnna.services, UNTIL_ANSWERED)).toBe("sent");
      const key = (await toAnna.mailbox.readOpenMessage())?.rapportKey;
      expect((await annasEmails()).filter((e) => e.rapportKey === key)).toMatchObject([
        { subject: "Policy p1", source: "on-send" },
      ]);
      // Sent as the policy's, not the rep's choice: the server checks the privacy rules on it too.
      expect(toAnna.logged).toMatchObject([{ rapportKey: key, source: "on-send", byPolicy: true }]);

      const toStranger = setup([draftTo("p2", "jonas@northwind.example")], "p2");
      expect(await logOnSend(toStranger.services, UNTIL_ANSWERED)).toBe("skipped");
      expect((await toStranger.mailbox.readOpenMessage())?.rapportKey).toBeUndefined();

      // The rep blocked Anna: the policy never logs mail to her by itself (a tick still would).
      const blocked = await server.request<{ id: string }>("POST", "/api/v1/blocklist", {
        token,
        body: { scope: "personal", entry: "anna@fabrikam.example" },
      });
      expect(blocked.status).toBe(201);
      const toBlocked = setup([draftTo("p4", "anna@fabrikam.example")], "p4");
      expect(await logOnSend(toBlocked.services, UNTIL_ANSWERED)).toBe("skipped");
      await server.request("DELETE", `/api/v1/blocklist/${blocked.body.id}`, { token });
    } finally {
      await setPolicy(false);
    }
    const off = setup([draftTo("p3", "anna@fabrikam.example")], "p3");
    expect(await logOnSend(off.services, UNTIL_ANSWERED)).toBe("skipped");
  });
});
