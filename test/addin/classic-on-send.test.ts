import { syncWithClassicOutlook } from "../../src/addin/core/classic-sends";
import { createApiClient } from "../../src/client/api-client";
import { createOutbox } from "../../src/addin/core/outbox";
import { memoryStorage } from "../../src/addin/core/storage";
import { queueDraftOnSend } from "../../src/addin/office/classic-on-send";
import { RAPPORT_KEY_PROPERTY } from "../../src/addin/office/office-mailbox";
import { ON_SEND_QUEUE_KEY } from "../../src/addin/office/on-send-queue";
import { LookupResponse } from "../../src/shared/people";
import { type TestServer, parse, startTestServer } from "../helpers/server";

type Callback<T> = (result: { status: string; value: T }) => void;
const ok = <T>(value: T) => ({ status: "succeeded", value });
const REP = "rita@contoso.example";

/** Classic Outlook's JavaScript-only runtime as the handler sees it: a draft, session data, OfficeRuntime.storage. */
function classicOutlook(ticked: boolean, recipient = "anna@fabrikam.example") {
  const runtimeStorage = new Map<string, string>();
  const properties = new Map<string, unknown>();
  const g = globalThis as { Office?: unknown; OfficeRuntime?: unknown };
  g.OfficeRuntime = {
    storage: {
      getItem: async (key: string) => runtimeStorage.get(key) ?? null,
      setItem: async (key: string, value: string) => void runtimeStorage.set(key, value),
      removeItem: async (key: string) => void runtimeStorage.delete(key),
    },
  };
  g.Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text" },
    MailboxEnums: { ItemType: { Message: "message" } },
    context: {
      requirements: {
        isSetSupported: (_set: string, version: string) => ["1.5", "1.11", "1.12"].includes(version),
      },
      mailbox: {
        userProfile: { emailAddress: REP },
        item: {
          itemType: "message",
          conversationId: "conv-1",
          subject: { getAsync: (cb: Callback<string>) => cb(ok("Our offer")) },
          to: {
            getAsync: (cb: Callback<unknown[]>) =>
              cb(ok([{ emailAddress: recipient, displayName: recipient }])),
          },
          cc: { getAsync: (cb: Callback<unknown[]>) => cb(ok([])) },
          body: { getAsync: (_type: string, cb: Callback<string>) => cb(ok("Hi Anna, here is our offer.")) },
          sessionData: { getAsync: (_name: string, cb: Callback<string>) => cb(ok(ticked ? "1" : "")) },
          loadCustomPropertiesAsync: (cb: Callback<unknown>) =>
            cb(
              ok({
                set: (k: string, v: unknown) => properties.set(k, v),
                saveAsync: (done: Callback<void>) => done(ok(undefined)),
              }),
            ),
        },
      },
    },
  };
  return { runtimeStorage, properties };
}

describe("logging on send in classic Outlook on Windows (launchevent.js), sent by the next pane", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token(REP);
    await server.request("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    const g = globalThis as { Office?: unknown; OfficeRuntime?: unknown };
    delete g.Office;
    delete g.OfficeRuntime;
  });

  it("leaves an unticked draft alone", async () => {
    const { runtimeStorage, properties } = classicOutlook(false);
    expect(await queueDraftOnSend()).toBe(false);
    expect([runtimeStorage.size, properties.size]).toEqual([0, 0]);
  });

  it("keys a ticked draft and keeps its log for the pane, which sends it once; the draft's key matches", async () => {
    const { runtimeStorage, properties } = classicOutlook(true);
    expect(await queueDraftOnSend()).toBe(true);
    const key = properties.get(RAPPORT_KEY_PROPERTY);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toMatchObject([
      { rapportKey: key, subject: "Our offer", from: REP, to: [{ address: "anna@fabrikam.example" }] },
    ]);

    // The next pane (or ribbon command) opens: the log moves into its outbox and out of the shared storage.
    const api = createApiClient({ baseUrl: server.baseUrl, getToken: async () => token });
    const outbox = createOutbox({ api, storage: memoryStorage(), owner: REP, retryDelaysMs: [60_000] });
    expect(await syncWithClassicOutlook(outbox, api)).toBe(1);
    expect(JSON.parse(runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toEqual([]);
    await outbox.flush();
    outbox.close();
    const lookup = parse(
      LookupResponse,
      await server.request("GET", "/api/v1/people/lookup?email=anna@fabrikam.example", { token }),
    );
    const logged = lookup.results[0]?.contact?.recentInteractions.filter((i) => i.rapportKey === key);
    expect(logged).toMatchObject([
      { subject: "Our offer", source: "on-send", direction: "out", internetMessageId: null },
    ]);
  });

  describe("by the organisation's policy (no tick)", () => {
    let admin: string;
    beforeAll(async () => {
      admin = token; // the organisation's first user, its admin
      await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: admin,
        body: { logOnSendToKnownContacts: true },
      });
    });
    afterAll(async () => {
      await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: admin,
        body: { logOnSendToKnownContacts: false },
      });
    });

    const pane = () => {
      /** The emails this pane logged, as the server received them. */
      const logged: Record<string, unknown>[] = [];
      const api = createApiClient({
        baseUrl: server.baseUrl,
        getToken: async () => token,
        fetch: async (input, init) => {
          if (
            init?.method === "POST" &&
            String(input).endsWith("/api/v1/emails") &&
            typeof init.body === "string"
          )
            logged.push(JSON.parse(init.body) as Record<string, unknown>);
          return fetch(input, init);
        },
      });
      return {
        api,
        logged,
        outbox: createOutbox({ api, storage: memoryStorage(), owner: REP, retryDelaysMs: [60_000] }),
      };
    };

    it("queues an unticked draft once a pane has told the handler the policy, and the pane sends it only to a known contact", async () => {
      const known = classicOutlook(false, "anna@fabrikam.example");
      expect(await queueDraftOnSend()).toBe(false); // nobody told the handler the policy yet
      const first = pane();
      await syncWithClassicOutlook(first.outbox, first.api); // a pane opens: the policy is left for the handler
      expect(await queueDraftOnSend()).toBe(true);
      const key = known.properties.get(RAPPORT_KEY_PROPERTY);
      expect(JSON.parse(known.runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toMatchObject([
        { rapportKey: key, ifKnownContacts: true },
      ]);
      const next = pane();
      expect(await syncWithClassicOutlook(next.outbox, next.api)).toBe(1);
      await next.outbox.flush();
      // Sent as the policy's, not the rep's choice: the server checks the privacy rules on it too.
      expect(next.logged).toMatchObject([{ rapportKey: key, source: "on-send", byPolicy: true }]);
      first.outbox.close();
      next.outbox.close();
      const lookup = parse(
        LookupResponse,
        await server.request("GET", "/api/v1/people/lookup?email=anna@fabrikam.example", { token }),
      );
      expect(lookup.results[0]?.contact?.recentInteractions.filter((i) => i.rapportKey === key)).toHaveLength(
        1,
      );
    });

    it("drops what the policy queued when nobody on it is a known contact", async () => {
      const stranger = classicOutlook(false, "jonas@northwind.example");
      const p = pane();
      await syncWithClassicOutlook(p.outbox, p.api);
      expect(await queueDraftOnSend()).toBe(true);
      expect(await syncWithClassicOutlook(p.outbox, p.api)).toBe(1);
      expect(p.outbox.entries()).toEqual([]);
      expect(JSON.parse(stranger.runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toEqual([]);
      p.outbox.close();
    });

    it("drops what the policy queued for a blocklisted contact: an automatic path never logs it", async () => {
      const blocked = await server.request<{ id: string }>("POST", "/api/v1/blocklist", {
        token,
        body: { scope: "personal", entry: "@fabrikam.example" },
      });
      expect(blocked.status).toBe(201);
      try {
        const toAnna = classicOutlook(false, "anna@fabrikam.example");
        const p = pane();
        await syncWithClassicOutlook(p.outbox, p.api);
        expect(await queueDraftOnSend()).toBe(true);
        expect(await syncWithClassicOutlook(p.outbox, p.api)).toBe(1);
        expect(p.outbox.entries()).toEqual([]);
        expect(JSON.parse(toAnna.runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toEqual([]);
        p.outbox.close();
      } finally {
        await server.request("DELETE", `/api/v1/blocklist/${blocked.body.id}`, { token });
      }
    });
  });
});
