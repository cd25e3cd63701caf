import type { SyncConfig } from "../../src/server/config";
import { createCalendarGraph } from "../../src/server/sync/calendar-graph";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { createGraphSubscriptions } from "../../src/server/sync/graph-subscriptions";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { Wakeups } from "../../src/server/sync/wakeups";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { Mailbox, MailboxList } from "../../src/shared/mailboxes";
import { GraphTestServer } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { trustingFetch } from "../helpers/trusting-fetch";

const TENANT = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99";
const RITA = "rita@contoso.example";
const SAM = "sam@contoso.example";

describe.each(storeKinds)(
  "a mailbox's calendar capture and change notifications, as the API reports them (%s)",
  (kind) => {
    let server: TestServer;
    let graph: GraphTestServer;
    let rita: string;
    let sam: string;
    let ids: { rita: string; sam: string };
    const workers: SyncWorker[] = [];
    const realFetch = globalThis.fetch;

    const syncConfig = (notificationUrl: string): SyncConfig => ({
      graph: {
        clientId: graph.clientId,
        credential: { kind: "secret", secret: graph.secret },
        tenantId: TENANT,
        authority: graph.url,
        graphUrl: graph.url,
      },
      notifications: { url: notificationUrl, subscriptionMinutes: 4320 },
      intervalSeconds: 3600,
      backfillDays: 30,
      concurrency: 2,
      leaseSeconds: 120,
    });

    /** A worker subscribing with `notificationUrl` (Graph validates it when the subscription is made). */
    const workerTo = (notificationUrl: string) => {
      const config = syncConfig(notificationUrl);
      const g = config.graph;
      if (!g) throw new Error("unreachable");
      const tokens = clientCredentialTokens(g);
      const worker = createSyncWorker({
        database: server.database,
        graph: createMailGraph({ graphUrl: g.graphUrl, tokens, inlineRetries: 0 }),
        calendar: createCalendarGraph({ graphUrl: g.graphUrl, tokens }),
        config: { ...config, tenantId: g.tenantId },
        subscriptions: createGraphSubscriptions({ graphUrl: g.graphUrl, tokens }),
        notifications: config.notifications ?? null,
      });
      workers.push(worker);
      return worker;
    };

    beforeAll(async () => {
      graph = await new GraphTestServer(ADDIN_ID).start();
      globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
      server = await startTestServer(kind, {
        sync: syncConfig("http://127.0.0.1/graph/notifications"),
        graphNotifications: { wakeups: new Wakeups() },
      });
      rita = await server.token(RITA);
      sam = await server.token(SAM);
      const me = async (token: string) =>
        (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
      ids = { rita: await me(rita), sam: await me(sam) };
      graph.addMailbox(TENANT, RITA);
      graph.addMailbox(TENANT, SAM);
      const enabled = await server.request("PATCH", `/api/v1/mailboxes/${ids.rita}`, {
        token: rita,
        body: { enabled: true },
      });
      expect(enabled.status).toBe(200);
    });
    afterAll(async () => {
      for (const worker of workers) await worker.stop();
      await graph.delivered();
      globalThis.fetch = realFetch;
      await server.close();
      await graph.close();
    });

    const mailboxes = async () => {
      const response = await server.request("GET", "/api/v1/mailboxes", { token: rita });
      expect(response.status).toBe(200);
      const list = parse(MailboxList, response);
      const of = (userId: string) => {
        const mailbox = list.items.find((m) => m.userId === userId);
        if (!mailbox) throw new Error(`no mailbox of ${userId}`);
        return mailbox;
      };
      return { list, rita: of(ids.rita), sam: of(ids.sam) };
    };
    const run = async (worker: SyncWorker) => {
      await server.database.db.updateTable("mailboxes").set({ retry_at: null }).execute();
      return worker.runOnce();
    };

    it("says a mailbox not yet run, and one not synced, apart", async () => {
      const { list, rita: r, sam: s } = await mailboxes();
      expect(list.notificationsConfigured).toBe(true);
      expect(r.status).toBe("pending");
      expect(r.calendar).toEqual({ state: "pending", syncedAt: null, error: null });
      expect(r.notifications).toMatchObject({ state: "pending", reason: null, expiresAt: null });
      expect(s.status).toBe("not_enabled");
      expect(s.calendar.state).toBe("off");
      expect(s.notifications).toMatchObject({ state: "off", reason: "mailbox_off" });
    });

    it("reports a calendar Graph refuses (no Calendars.Read) while mail goes on, and the subscriptions active until they expire", async () => {
      const worker = workerTo(`${server.baseUrl}/graph/notifications`);
      graph.calendar.faults.push({ status: 403 });
      const report = await run(worker);
      expect(report.failed).toBe(0);
      const { rita: r } = await mailboxes();
      expect(r.status).toBe("ok");
      expect(r.calendar).toEqual({ state: "no_consent", syncedAt: null, error: null });
      const live = graph.subscriptionsOf(TENANT, RITA);
      expect(live.map((s) => s.kind).sort()).toEqual(["events", "messages"]);
      const earliest = Math.min(...live.map((s) => Date.parse(s.expirationDateTime)));
      expect(r.notifications).toEqual({
        state: "active",
        reason: null,
        expiresAt: new Date(earliest).toISOString(),
        error: null,
      });

      // The member sees their own mailbox only, by the list and by /me/mailbox.
      const own = await server.request("GET", "/api/v1/me/mailbox", { token: sam });
      expect(own.status).toBe(200);
      expect(parse(Mailbox, own)).toMatchObject({ userId: ids.sam, calendar: { state: "off" } });
      const theirs = await server.request("GET", "/api/v1/mailboxes", { token: sam });
      expect(parse(MailboxList, theirs).items.map((m) => m.userId)).toEqual([ids.sam]);
    });

    it("reports the calendar synced once it is granted, with when", async () => {
      const before = Date.now();
      const report = await run(workers[0] ?? workerTo(`${server.baseUrl}/graph/notifications`));
      expect(report.failed).toBe(0);
      const mine = await server.request("GET", "/api/v1/me/mailbox", { token: rita });
      const r = parse(Mailbox, mine);
      expect(r.calendar.state).toBe("synced");
      expect(Date.parse(r.calendar.syncedAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    });

    it("reports the calendar failing with the mailbox's error when its runs fail, keeping when it was last read", async () => {
      const synced = (await mailboxes()).rita.calendar.syncedAt;
      graph.faults.push({ status: 503, retryAfter: 0 });
      const report = await run(workers[0] ?? workerTo(`${server.baseUrl}/graph/notifications`));
      expect(report.failed).toBe(1);
      const { rita: r } = await mailboxes();
      expect(r.status).toBe("backing_off");
      expect(r.calendar.state).toBe("failing");
      expect(r.calendar.error).toMatch(/503/);
      expect(r.calendar.error).toBe(r.lastError);
      expect(r.calendar.syncedAt).toBe(synced);
      // The subscriptions made before are still live at Graph.
      expect(r.notifications.state).toBe("active");
    });

    it("reports subscriptions Graph would not make (the notification URL unreachable) as failing, not active", async () => {
      // Graph forgets them (as after their expiry); this worker gives Graph an address that does not answer.
      for (const sub of graph.subscriptionsOf(TENANT, RITA)) graph.subscriptions.delete(sub.id);
      await server.database.db.deleteFrom("graph_subscriptions").execute();
      graph.faults.length = 0;
      const report = await run(workerTo(`${server.baseUrl}/graph/nowhere`));
      expect(report.failed).toBe(0);
      expect(graph.subscriptionsOf(TENANT, RITA)).toHaveLength(0);
      const { rita: r } = await mailboxes();
      expect(r.status).toBe("ok");
      expect(r.calendar.state).toBe("synced");
      expect(r.notifications).toEqual({ state: "failing", reason: "not_made", expiresAt: null, error: null });
    });
  },
);
