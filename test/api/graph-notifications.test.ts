import { createHash } from "node:crypto";
import type { KyselyPlugin } from "kysely";
import type { NotificationsConfig, SyncConfig } from "../../src/server/config";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { createGraphSubscriptions } from "../../src/server/sync/graph-subscriptions";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { Wakeups } from "../../src/server/sync/wakeups";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { GraphTestServer, type TestMessage } from "../helpers/graph-server";
import { type TestServer, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { trustingFetch } from "../helpers/trusting-fetch";

// Graph change notifications (issue 17), with the real Graph client against the local Graph server, which
// validates the notification URL, posts a notification to the server under test when a message arrives, and
// sends lifecycle notifications on demand. The worker's minute is an hour here: only a notification can make a
// message arrive while a test waits.

const TENANT = "0b5c1e2d-3f4a-4b6c-8d9e-0f1a2b3c4d5e";
const RITA = "rita@contoso.example";
const FLOOD_LIMIT = 60;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}
const deferred = (): Deferred => {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Polls until the check holds; the test's own timeout is the only limit. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.each(storeKinds)("Graph change notifications (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let worker: SyncWorker;
  let rita: string;
  let ritaId: string;
  let seq = 0;
  const wakeups = new Wakeups();
  const realFetch = globalThis.fetch;

  const syncConfig = (notifications: NotificationsConfig): SyncConfig => ({
    graph: {
      clientId: graph.clientId,
      credential: { kind: "secret", secret: graph.secret },
      tenantId: TENANT,
      authority: graph.url,
      graphUrl: graph.url,
    },
    notifications,
    intervalSeconds: 3600,
    backfillDays: 30,
    concurrency: 4,
    leaseSeconds: 120,
  });

  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    // The app serves the endpoint; the address Graph is given is known once the server listens (the worker's).
    server = await startTestServer(kind, {
      sync: syncConfig({ url: "http://127.0.0.1/graph/notifications", subscriptionMinutes: 4320 }),
      graphNotifications: { wakeups, limits: { perIpPerMinute: FLOOD_LIMIT } },
    });
    rita = await server.token(RITA);
    ritaId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: rita })).body.user
      .id;
    const config = syncConfig({ url: `${server.baseUrl}/graph/notifications`, subscriptionMinutes: 4320 });
    const g = config.graph;
    if (!g) throw new Error("unreachable");
    const tokens = clientCredentialTokens(g);
    worker = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: g.graphUrl, tokens }),
      config: { ...config, tenantId: g.tenantId },
      subscriptions: createGraphSubscriptions({ graphUrl: g.graphUrl, tokens }),
      notifications: config.notifications ?? null,
      wakeups,
      wakePollMs: 200,
    });
    // The first run finds nothing enabled; the next comes in an hour: every run later is a test's or a wake's.
    worker.start();
    const contact = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Anna Berg", emails: ["anna.berg@fabrikam.example"] },
    });
    expect(contact.status).toBe(201);
    graph.addMailbox(TENANT, RITA);
  });
  afterAll(async () => {
    await worker.stop();
    await graph.delivered();
    globalThis.fetch = realFetch;
    await server.close();
    await graph.close();
  });

  const mail = (subject: string): TestMessage => ({
    internetMessageId: `<notify-${++seq}-${Date.now()}@fabrikam.example>`,
    subject,
    bodyPreview: "Hi Rita",
    from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    to: [{ address: RITA }],
    receivedDateTime: new Date().toISOString(),
  });
  const stored = async (m: TestMessage) =>
    (
      await server.database.db
        .selectFrom("interactions")
        .select("id")
        .where("internet_message_id", "=", m.internetMessageId)
        .execute()
    ).length;
  const rows = () =>
    server.database.db.selectFrom("graph_subscriptions").selectAll().orderBy("resource").execute();
  const subscriptionOf = (resource: "messages" | "events") => {
    const sub = graph.subscriptionsOf(TENANT, RITA).find((s) => s.kind === resource);
    if (!sub) throw new Error(`no ${resource} subscription`);
    return sub;
  };
  const inboxRuns = () =>
    graph.requests.filter((r) => r.user === RITA && r.folder === "inbox" && r.status === 200).length;
  const wakeAt = async () =>
    (
      await server.database.db
        .selectFrom("mailboxes")
        .select("wake_at")
        .where("user_id", "=", ritaId)
        .executeTakeFirstOrThrow()
    ).wake_at;
  const post = (body: unknown, query = "") =>
    server.request("POST", `/graph/notifications${query}`, { body });
  const changeOf = (
    subscriptionId: string,
    clientState: string | null,
    itemId = "AAMkforged",
    etag = "1",
  ) => ({
    value: [
      {
        subscriptionId,
        clientState,
        changeType: "created",
        resource: `Users/${RITA}/Messages/${itemId}`,
        resourceData: { "@odata.etag": `W/"${etag}"`, id: itemId },
        tenantId: TENANT,
      },
    ],
  });

  it("answers Graph's validation handshake with the token as plain text, and refuses a token Graph never sends", async () => {
    const token = "Validation: Testing client application reachability <b>&amp;</b>";
    const answer = await fetch(
      `${server.baseUrl}/graph/notifications?validationToken=${encodeURIComponent(token)}`,
      { method: "POST", headers: { "content-type": "text/plain" } },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await answer.text()).toBe(token);
    for (const bad of ["", "x".repeat(5000)])
      expect(
        (
          await fetch(`${server.baseUrl}/graph/notifications?validationToken=${bad}`, {
            method: "POST",
            headers: { "content-type": "text/plain" },
          })
        ).status,
      ).toBe(400);
  });

  it("subscribes an enabled mailbox's messages and events, keeping only a hash of each clientState", async () => {
    expect(graph.subscriptions.size).toBe(0);
    const enabled = await server.request("PATCH", `/api/v1/mailboxes/${ritaId}`, {
      token: rita,
      body: { enabled: true },
    });
    expect(enabled.status).toBe(200);
    await worker.runOnce();
    const subs = graph.subscriptionsOf(TENANT, RITA).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(subs.map((s) => [s.kind, s.resource, s.notificationUrl, s.lifecycleNotificationUrl])).toEqual([
      [
        "events",
        `/users/${encodeURIComponent(RITA)}/events`,
        `${server.baseUrl}/graph/notifications`,
        `${server.baseUrl}/graph/notifications`,
      ],
      [
        "messages",
        `/users/${encodeURIComponent(RITA)}/messages`,
        `${server.baseUrl}/graph/notifications`,
        `${server.baseUrl}/graph/notifications`,
      ],
    ]);
    // Graph validated the URL before it made each subscription, and the server answered the handshake.
    expect(graph.sent.filter((s) => s.kind === "validation").map((s) => s.status)).toEqual([200, 200]);
    // Each subscription has its own secret; the store keeps its SHA-256, never the secret.
    // A message wakes a run when it arrives; a meeting also when it is moved or cancelled.
    expect(subs.map((s) => s.changeType)).toEqual(["created,updated,deleted", "created"]);
    const stored = await rows();
    expect(stored.map((r) => [r.resource, r.subscription_id, r.user_id])).toEqual(
      subs.map((s) => [s.kind, s.id, ritaId]),
    );
    expect(new Set(subs.map((s) => s.clientState)).size).toBe(2);
    for (const [i, sub] of subs.entries()) {
      const secret = sub.clientState ?? "";
      expect(secret.length).toBeGreaterThanOrEqual(43);
      expect(stored[i]?.client_state_hash.equals(createHash("sha256").update(secret).digest())).toBe(true);
      expect(stored[i]?.client_state_hash.toString("latin1")).not.toContain(secret);
    }
    // A second run within the lifetime makes and renews nothing.
    const calls = graph.subscriptionCalls.length;
    await worker.runOnce();
    expect(graph.subscriptionCalls.length).toBe(calls);
  });

  it("stores a new message at once on its notification, long before the next run", async () => {
    const fresh = mail("Signed contract");
    graph.add(TENANT, RITA, "inbox", fresh);
    await until(async () => (await stored(fresh)) === 1);
    const change = graph.sent.findLast((s) => s.kind === "change");
    expect(change?.subscriptionId).toBe(subscriptionOf("messages").id);
    expect(change?.status).toBe(202);
  });

  it("reaches the worker of another server: the wake is in the store, which every server's worker polls", async () => {
    // This server's worker is gone (another server behind the load balancer received the notification); a
    // worker that hears nothing from this process's endpoint still runs the mailbox.
    await worker.stop();
    const g = syncConfig({ url: `${server.baseUrl}/graph/notifications`, subscriptionMinutes: 4320 });
    const graphConfig = g.graph;
    if (!graphConfig) throw new Error("unreachable");
    const tokens = clientCredentialTokens(graphConfig);
    const other = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: graphConfig.graphUrl, tokens }),
      config: { ...g, tenantId: graphConfig.tenantId },
      subscriptions: createGraphSubscriptions({ graphUrl: graphConfig.graphUrl, tokens }),
      notifications: g.notifications ?? null,
      wakeups: new Wakeups(),
      wakePollMs: 200,
    });
    other.start();
    try {
      const elsewhere = mail("Received by the other server");
      graph.add(TENANT, RITA, "inbox", elsewhere);
      await until(async () => (await stored(elsewhere)) === 1);
      expect(graph.sent.findLast((s) => s.kind === "change")?.status).toBe(202);
    } finally {
      await other.stop();
      worker.start();
    }
  });

  it("runs once more for any number of notifications arriving during a run", async () => {
    await worker.runWoken();
    const before = inboxRuns();
    const started = deferred();
    const hold = deferred();
    graph.beforePage = async ({ user, folder }) => {
      if (user !== RITA || folder !== "inbox") return;
      started.resolve();
      await hold.promise;
    };
    const first = mail("First");
    graph.add(TENANT, RITA, "inbox", first);
    await started.promise;
    const during = [mail("Second"), mail("Third"), mail("Fourth")];
    for (const m of during) graph.add(TENANT, RITA, "inbox", m);
    await graph.delivered();
    graph.beforePage = null;
    hold.resolve();
    await until(async () => (await stored(during[2] as TestMessage)) === 1);
    await worker.runWoken();
    for (const m of [first, ...during]) expect(await stored(m)).toBe(1);
    // The run held, and exactly one after it for the three that came meanwhile.
    expect(inboxRuns() - before).toBe(2);
  });

  it("refuses forged, unknown and replayed notifications without a run", async () => {
    await worker.runWoken();
    const messages = subscriptionOf("messages");
    const receipts = async () =>
      Number(
        (
          await server.database.db
            .selectFrom("graph_notification_receipts")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = { runs: graph.requests.length, receipts: await receipts() };
    // The right subscription with a wrong, empty or missing secret; an unknown subscription with a real secret.
    for (const body of [
      changeOf(messages.id, "not-the-secret"),
      changeOf(messages.id, ""),
      changeOf(messages.id, null),
      changeOf("7d0e4a4e-0000-4000-8000-000000000000", messages.clientState),
      changeOf(subscriptionOf("events").id, messages.clientState),
    ]) {
      const answer = await post(body);
      expect([answer.status, (answer.body as { code?: string }).code]).toEqual([403, "forbidden"]);
    }
    // What Graph really sent, posted again: acknowledged, and nothing done.
    const real = graph.sent.findLast((s) => s.kind === "change" && s.subscriptionId === messages.id);
    expect(real?.status).toBe(202);
    const replay = await server.request("POST", "/graph/notifications", {
      raw: real?.body ?? "",
      headers: { "content-type": "application/json" },
    });
    expect(replay.status).toBe(202);
    // Not a batch at all.
    for (const body of [{ value: "x" }, { nope: [] }, [1, 2]]) expect((await post(body)).status).toBe(400);
    expect(await wakeAt()).toBeNull();
    await worker.runWoken();
    expect(graph.requests.length).toBe(before.runs);
    expect(await receipts()).toBe(before.receipts);
  });

  it("looks each subscription up once, stops at the first notification not ours, and caps a batch", async () => {
    await worker.runWoken();
    const messages = subscriptionOf("messages");
    // Counts the lookups of a notification's subscription that reach the store while the posts below run.
    let lookups = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        const node = JSON.stringify(args.node);
        if (args.node.kind === "SelectQueryNode" && node.includes('"graph_subscriptions"')) lookups++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const owner = server.database.db;
    server.database.db = owner.withPlugin(counting);
    try {
      const entry = (subscriptionId: string, clientState: string | null, itemId: string) =>
        changeOf(subscriptionId, clientState, itemId, "1").value[0];
      const receipts = async () =>
        (await owner.selectFrom("graph_notification_receipts").select("digest").execute()).length;
      const before = await receipts();
      // An unknown subscription first: refused after one lookup, whatever follows it.
      lookups = 0;
      const unknown = await post({
        value: [
          entry("7d0e4a4e-0000-4000-8000-000000000001", messages.clientState, "AAMkunknown"),
          ...Array.from({ length: 40 }, (_, i) => entry(`guess-${i}`, "guess", `AAMkguess${i}`)),
        ],
      });
      expect([unknown.status, lookups]).toEqual([403, 1]);
      // A real notification, then a forged one of the same subscription: the whole post is refused, nothing kept,
      // and the subscription was looked up once.
      lookups = 0;
      const mixed = await post({
        value: [
          entry(messages.id, messages.clientState, "AAMkrealbeforeforged"),
          entry(messages.id, "not-the-secret", "AAMkforgedafter"),
          entry("7d0e4a4e-0000-4000-8000-000000000002", messages.clientState, "AAMkneverread"),
        ],
      });
      expect([mixed.status, lookups]).toEqual([403, 1]);
      expect(await receipts()).toBe(before);
      expect(await wakeAt()).toBeNull();
      // More than a batch Graph sends: refused before any lookup.
      lookups = 0;
      const oversized = await post({
        value: Array.from({ length: 51 }, (_, i) => entry(messages.id, messages.clientState, `AAMkmany${i}`)),
      });
      expect([oversized.status, lookups]).toEqual([400, 0]);
      // A full batch of one subscription: one lookup, every notification taken.
      const full = await post({
        value: Array.from({ length: 50 }, (_, i) => entry(messages.id, messages.clientState, `AAMkfull${i}`)),
      });
      expect([full.status, lookups]).toEqual([202, 1]);
      expect(await receipts()).toBe(before + 50);
    } finally {
      server.database.db = owner;
    }
    await worker.runWoken();
  });

  it("renews a subscription before it expires, and makes a new one when Graph no longer has it", async () => {
    await worker.runWoken();
    const messages = subscriptionOf("messages");
    const oldExpiry = Date.parse(messages.expirationDateTime);
    // Past half its lifetime (as two days later): the next run renews it at Graph.
    await server.database.db
      .updateTable("graph_subscriptions")
      .set({ expires_at: new Date(Date.now() + 3600_000) })
      .where("subscription_id", "=", messages.id)
      .execute();
    await worker.runOnce();
    expect(graph.subscriptionCalls.at(-1)).toMatchObject({
      kind: "renew",
      status: 200,
      subscriptionId: messages.id,
    });
    expect(messages.renewals).toBe(1);
    expect(Date.parse(messages.expirationDateTime)).toBeGreaterThanOrEqual(oldExpiry);
    const row = (await rows()).find((r) => r.resource === "messages");
    expect(row?.subscription_id).toBe(messages.id);
    expect(row?.expires_at.getTime()).toBe(Date.parse(messages.expirationDateTime));
    expect(row?.renewed_at).not.toBeNull();

    // Expired at Graph (a server down for days): the renewal is refused, and a new subscription replaces it.
    messages.expirationDateTime = new Date(Date.now() - 1000).toISOString();
    await server.database.db
      .updateTable("graph_subscriptions")
      .set({ expires_at: new Date(Date.now() + 1000) })
      .where("subscription_id", "=", messages.id)
      .execute();
    await worker.runOnce();
    const fresh = graph
      .subscriptionsOf(TENANT, RITA)
      .find((s) => s.kind === "messages" && Date.parse(s.expirationDateTime) > Date.now());
    expect(fresh).toBeDefined();
    expect(fresh?.id).not.toBe(messages.id);
    expect((await rows()).find((r) => r.resource === "messages")?.subscription_id).toBe(fresh?.id);
    // The old one's notifications are no longer accepted.
    expect((await post(changeOf(messages.id, messages.clientState, "AAMkold", "9"))).status).toBe(403);
    const arrived = mail("After the new subscription");
    graph.add(TENANT, RITA, "inbox", arrived);
    await until(async () => (await stored(arrived)) === 1);
  });

  it("handles lifecycle notifications: reauthorisation, missed notifications and a removed subscription", async () => {
    await worker.runWoken();
    const messages = subscriptionOf("messages");
    const renewals = messages.renewals;
    expect(await graph.lifecycle(messages.id, "reauthorizationRequired")).toBe(202);
    await until(() => !messages.needsReauthorization);
    expect(messages.renewals).toBe(renewals + 1);

    // Graph could not deliver some: the run it triggers reads them.
    graph.notificationsPaused = true;
    const missed = mail("Missed notification");
    graph.add(TENANT, RITA, "inbox", missed);
    graph.notificationsPaused = false;
    expect(await stored(missed)).toBe(0);
    expect(await graph.lifecycle(messages.id, "missed")).toBe(202);
    await until(async () => (await stored(missed)) === 1);

    // Graph removed it: forgotten here, and the mailbox is subscribed again at once.
    expect(await graph.lifecycle(messages.id, "subscriptionRemoved")).toBe(202);
    await until(() => graph.subscriptionsOf(TENANT, RITA).some((s) => s.kind === "messages"));
    const again = subscriptionOf("messages");
    expect(again.id).not.toBe(messages.id);
    await until(async () => (await rows()).some((r) => r.subscription_id === again.id));
    expect((await rows()).map((r) => r.resource)).toEqual(["events", "messages"]);
  });

  it("deletes the subscriptions of a mailbox no longer synced, and refuses their notifications", async () => {
    await worker.runWoken();
    const subs = graph.subscriptionsOf(TENANT, RITA);
    expect(subs).toHaveLength(2);
    const disabled = await server.request("PATCH", `/api/v1/mailboxes/${ritaId}`, {
      token: rita,
      body: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    await worker.runOnce();
    expect(graph.subscriptionsOf(TENANT, RITA)).toEqual([]);
    expect(
      graph.subscriptionCalls
        .filter((c) => c.kind === "delete")
        .map((c) => c.subscriptionId)
        .sort(),
    ).toEqual(subs.map((s) => s.id).sort());
    expect(await rows()).toEqual([]);
    expect(await server.database.db.selectFrom("graph_notification_receipts").selectAll().execute()).toEqual(
      [],
    );
    const [first] = subs;
    expect((await post(changeOf(first?.id ?? "", first?.clientState ?? null, "AAMklate", "42"))).status).toBe(
      403,
    );
  });

  it("limits a flood of posts per client address, and refuses an oversized body", async () => {
    await worker.runWoken();
    const runs = graph.requests.length;
    const big = await server.request("POST", "/graph/notifications", {
      raw: JSON.stringify({ value: [], padding: "x".repeat(300 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    const answers = await Promise.all(
      Array.from({ length: FLOOD_LIMIT + 20 }, (_, i) =>
        post(changeOf(`flood-${i}`, "guess")).then((r) => [r.status, r.headers.get("retry-after")] as const),
      ),
    );
    const limited = answers.filter(([status]) => status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(limited.every(([, retryAfter]) => Number(retryAfter) > 0)).toBe(true);
    expect(answers.every(([status]) => status === 403 || status === 429)).toBe(true);
    await worker.runWoken();
    expect(graph.requests.length).toBe(runs);
    expect(await wakeAt()).toBeNull();
  });
});

describe.each(storeKinds)("without a notification address (%s)", (kind) => {
  it("serves no notification endpoint, subscribes nothing, and deletes subscriptions left from before", async () => {
    const graph = await new GraphTestServer(ADDIN_ID).start();
    const realFetch = globalThis.fetch;
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    const sync: SyncConfig = {
      graph: {
        clientId: graph.clientId,
        credential: { kind: "secret", secret: graph.secret },
        tenantId: TENANT,
        authority: graph.url,
        graphUrl: graph.url,
      },
      intervalSeconds: 3600,
      backfillDays: 30,
      concurrency: 4,
      leaseSeconds: 120,
    };
    const server = await startTestServer(kind, { sync });
    try {
      const token = await server.token(RITA);
      const userId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body
        .user.id;
      expect(
        (await server.request("PATCH", `/api/v1/mailboxes/${userId}`, { token, body: { enabled: true } }))
          .status,
      ).toBe(200);
      graph.addMailbox(TENANT, RITA);
      const g = sync.graph;
      if (!g) throw new Error("unreachable");
      const tokens = clientCredentialTokens(g);
      const make = (withNotifications: boolean) =>
        createSyncWorker({
          database: server.database,
          graph: createMailGraph({ graphUrl: g.graphUrl, tokens }),
          config: { ...sync, tenantId: g.tenantId },
          subscriptions: createGraphSubscriptions({ graphUrl: g.graphUrl, tokens }),
          notifications: withNotifications
            ? { url: `${server.baseUrl}/graph/notifications`, subscriptionMinutes: 60 }
            : null,
        });
      const plain = make(false);
      const report = await plain.runOnce();
      expect(report.mailboxes).toBe(1);
      expect(graph.subscriptionCalls).toEqual([]);
      // The endpoint is not there: a Graph validation of it fails, so no subscription can be made.
      expect((await server.request("POST", "/graph/notifications?validationToken=abc")).status).toBe(404);
      await make(true).runOnce();
      expect(graph.subscriptionCalls.map((c) => [c.kind, c.status])).toEqual([
        ["create", 400],
        ["create", 400],
      ]);
      expect(await server.database.db.selectFrom("graph_subscriptions").selectAll().execute()).toEqual([]);
      // A subscription from when notifications were on: the worker without them deletes it at Graph and here.
      await server.database.db
        .insertInto("graph_subscriptions")
        .values({
          org_id: (
            await server.database.db
              .selectFrom("users")
              .select("org_id")
              .where("id", "=", userId)
              .executeTakeFirstOrThrow()
          ).org_id,
          user_id: userId,
          resource: "messages",
          subscription_id: "left-from-before",
          client_state_hash: Buffer.alloc(32, 1),
          expires_at: new Date(Date.now() + 3600_000),
        })
        .execute();
      await plain.runOnce();
      expect(graph.subscriptionCalls.at(-1)).toMatchObject({
        kind: "delete",
        status: 404,
        subscriptionId: "left-from-before",
      });
      expect(await server.database.db.selectFrom("graph_subscriptions").selectAll().execute()).toEqual([]);
      await plain.stop();
    } finally {
      globalThis.fetch = realFetch;
      await server.close();
      await graph.close();
    }
  });
});
