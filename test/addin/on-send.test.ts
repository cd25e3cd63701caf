import { type Server, createServer as createHttpServer } from "node:http";
import { type AddressInfo, type Socket, createServer as createTcpServer } from "node:net";
import { createApiClient } from "../../src/client/api-client";
import { logOnSend } from "../../src/addin/commands/log-on-send";
import { type Outbox, createOutbox } from "../../src/addin/core/outbox";
import { type KeyValueStorage, memoryStorage } from "../../src/addin/core/storage";
import { RAPPORT_KEY_PROPERTY, createOfficeMailbox } from "../../src/addin/office/office-mailbox";
import { onMessageSend } from "../../src/addin/office/on-send";
import { type TestServer, startTestServer } from "../helpers/server";

// The on-send handler as Outlook runs it (commands.html): Outlook calls what the page associated with
// "onMessageSendHandler" and holds the email until the handler calls event.completed. Each test waits for that
// call, however long the handler takes: a handler that never calls it fails by the suite's timeout.

const REP = "rita@contoso.example";
type Callback<T> = (result: { status: string; value: T }) => void;
const ok = <T>(value: T) => ({ status: "succeeded", value });
type SendEvent = { completed(options: { allowEvent: boolean }): void };

/** Outlook on the web sending a draft to Anna: Office.js as the handler's page sees it. */
function outlookSending(ticked: boolean) {
  const handlers = new Map<string, (event: SendEvent) => void>();
  const properties = new Map<string, unknown>();
  const address = (emailAddress: string, displayName: string) => ({ emailAddress, displayName });
  (globalThis as { Office?: unknown }).Office = {
    actions: {
      associate: (name: string, handler: (event: SendEvent) => void) => handlers.set(name, handler),
    },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text" },
    MailboxEnums: { ItemType: { Message: "message" } },
    context: {
      requirements: { isSetSupported: (_set: string, version: string) => ["1.11", "1.12"].includes(version) },
      mailbox: {
        userProfile: { emailAddress: REP },
        item: {
          itemType: "message",
          conversationId: "conv-on-send",
          subject: { getAsync: (cb: Callback<string>) => cb(ok("Our offer")) },
          to: {
            getAsync: (cb: Callback<unknown[]>) => cb(ok([address("anna@fabrikam.example", "Anna Berg")])),
          },
          cc: { getAsync: (cb: Callback<unknown[]>) => cb(ok([])) },
          body: { getAsync: (_type: string, cb: Callback<string>) => cb(ok("Hi Anna, here is our offer.")) },
          sessionData: {
            getAsync: (_name: string, cb: Callback<string>) => cb(ok(ticked ? "1" : "")),
          },
          loadCustomPropertiesAsync: (cb: Callback<unknown>) =>
            cb(
              ok({
                get: (k: string) => properties.get(k),
                set: (k: string, v: unknown) => properties.set(k, v),
                saveAsync: (done: Callback<void>) => done(ok(undefined)),
              }),
            ),
        },
      },
    },
  };
  return {
    /** The key the handler left on the draft, for the sent copy to join its log. */
    rapportKey: () => properties.get(RAPPORT_KEY_PROPERTY) as string | undefined,
    /** Outlook pressing Send: resolves with what the handler told it, once it does. */
    send: () =>
      new Promise<{ allowEvent: boolean }>((resolve) => {
        const handler = handlers.get("onMessageSendHandler");
        if (!handler) throw new Error("no on-send handler associated");
        handler({ completed: resolve });
      }),
  };
}

describe("the on-send handler lets the email go whatever Rapport does", () => {
  let server: TestServer;
  let token: string;
  /** Accepts connections and never answers a byte: a server hung on a lock, a proxy waiting on a dead host. */
  let hanging: Server | ReturnType<typeof createTcpServer>;
  const hungSockets = new Set<Socket>();
  let hangingUrl: string;
  /** A reverse proxy whose Rapport is down: 502 to everything. */
  let gateway: Server;
  let gatewayUrl: string;
  /** A port nothing listens on: connection refused. */
  let refusedUrl: string;
  const outboxes: Outbox[] = [];

  const listen = async (s: Server | ReturnType<typeof createTcpServer>) => {
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token(REP);
    await server.request("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
    hanging = createTcpServer((socket) => void hungSockets.add(socket));
    hangingUrl = await listen(hanging);
    gateway = createHttpServer((_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("Bad Gateway"),
    );
    gatewayUrl = await listen(gateway);
    const closed = createTcpServer();
    refusedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });
  afterEach(() => {
    outboxes.splice(0).forEach((o) => o.close());
    delete (globalThis as { Office?: unknown }).Office;
  });
  afterAll(async () => {
    for (const socket of hungSockets) socket.destroy();
    await new Promise((resolve) => hanging.close(resolve));
    await new Promise((resolve) => gateway.close(resolve));
    await server.close();
  });

  /** commands.html's wiring: the handler logs on send through the Office mailbox, the API at `baseUrl` and an outbox. */
  function commandsPage(
    baseUrl: string,
    storage: KeyValueStorage,
    beforeEmailIsLogged?: () => Promise<void>,
  ) {
    const api = createApiClient({
      baseUrl,
      getToken: async () => token,
      fetch: async (input, init) => {
        if (init?.method === "POST" && String(input).endsWith("/api/v1/emails"))
          await beforeEmailIsLogged?.();
        return fetch(input, init);
      },
    });
    const outbox = createOutbox({ api, storage, owner: REP, retryDelaysMs: [60_000] });
    outboxes.push(outbox);
    onMessageSend(() => logOnSend({ mailbox: createOfficeMailbox(), outbox, api }));
    return outbox;
  }

  /** The emails logged under this Rapport key, as stored. */
  const loggedUnder = (key: string | undefined) =>
    server.database.db
      .selectFrom("interactions")
      .select(["subject", "source"])
      .where("rapport_key", "=", key ?? "none")
      .execute();

  /** The next pane opening on the same storage, with Rapport reachable: it sends what waits. */
  async function nextPaneSends(storage: KeyValueStorage) {
    const api = createApiClient({ baseUrl: server.baseUrl, getToken: async () => token });
    const pane = createOutbox({ api, storage, owner: REP, retryDelaysMs: [60_000] });
    outboxes.push(pane);
    await pane.flush();
    expect(pane.entries()).toEqual([]);
  }

  it.each([
    ["hangs (accepts the connection, never answers)", () => hangingUrl],
    ["fails (its proxy answers 502)", () => gatewayUrl],
    ["cannot be reached (connection refused)", () => refusedUrl],
  ])(
    "lets a ticked email go when Rapport %s, and keeps its log in the outbox for the next pane",
    async (_how, url) => {
      const storage = memoryStorage();
      const outlook = outlookSending(true);
      const outbox = commandsPage(url(), storage);
      expect(await outlook.send()).toEqual({ allowEvent: true });

      const key = outlook.rapportKey();
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      expect(outbox.entries()).toMatchObject([
        { action: { kind: "logEmail", body: { rapportKey: key, subject: "Our offer" } }, refused: null },
      ]);
      expect(await loggedUnder(key)).toEqual([]);
      await nextPaneSends(storage);
      expect(await loggedUnder(key)).toEqual([{ subject: "Our offer", source: "on-send" }]);
    },
  );

  it("lets an unticked email go unlogged when Rapport hangs on the policy's questions", async () => {
    const storage = memoryStorage();
    const outlook = outlookSending(false);
    const outbox = commandsPage(hangingUrl, storage);
    expect(await outlook.send()).toEqual({ allowEvent: true });
    // Without the server's answers the policy logs nothing by itself (the rep's tick is the sure way).
    expect(outlook.rapportKey()).toBeUndefined();
    expect(outbox.entries()).toEqual([]);
  });

  it("lets the email go when the server refuses its log by the organisation's policy, and keeps nothing", async () => {
    const policy = (on: boolean) =>
      server.request("PATCH", "/api/v1/organization/logging-policy", {
        token,
        body: { logOnSendToKnownContacts: on },
      });
    expect((await policy(true)).status).toBe(200);
    let blocked: string | null = null;
    try {
      const storage = memoryStorage();
      const outlook = outlookSending(false);
      // Anna's domain is blocked for the whole organisation between the handler's check and its write.
      const outbox = commandsPage(server.baseUrl, storage, async () => {
        const entry = await server.request<{ id: string }>("POST", "/api/v1/blocklist", {
          token,
          body: { scope: "organization", entry: "@fabrikam.example" },
        });
        expect(entry.status).toBe(201);
        blocked = entry.body.id;
      });
      expect(await outlook.send()).toEqual({ allowEvent: true });
      expect(blocked).not.toBeNull();
      // Refused for good (422 not_logged_by_policy): nothing stays to be retried, and nothing was stored.
      expect(outbox.entries()).toEqual([]);
      expect(storage.getItem(`rapport.outbox.v1:${REP}`)).toBe("[]");
      expect(await loggedUnder(outlook.rapportKey())).toEqual([]);
    } finally {
      if (blocked) await server.request("DELETE", `/api/v1/blocklist/${blocked}`, { token });
      await policy(false);
    }
  });
});
