import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { MailboxList } from "../../src/shared/mailboxes";
import { LookupResponse, Timeline } from "../../src/shared/people";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { ADDIN_ID } from "../../src/server/sync/mail-graph";
import { GraphTestServer, type TestMessage } from "../helpers/graph-server";
import { type ServerProcess, graphSyncEnv, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";

const TENANT = "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7";
const RITA = "rita@contoso.example";
const SAM = "sam@contoso.example";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describeOnPostgres = storeKinds.includes("postgres") ? describe : describe.skip;

describeOnPostgres("two servers on one PostgreSQL", () => {
  let graph: GraphTestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-scale-"));
    const database = await createTestDatabase();
    drop = database.drop;
    databaseUrl = database.url;
    env = {
      // One local issuer for both, as one key in a shared secret store would be for N instances.
      RAPPORT_DATA_DIR: path.join(dir, "data"),
      DATABASE_URL: database.url,
      RAPPORT_ADDIN_DIR: path.join(dir, "no-addin"),
      ...graphSyncEnv(graph, TENANT, dir),
      RAPPORT_DRAIN_SECONDS: "1",
    };
  });
  afterAll(async () => {
    for (const s of servers) s.process.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.exited));
    await graph.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves every request on either; a mailbox syncs on one at a time, and the other takes over from one killed", async () => {
    const a = await startServerProcess(env);
    servers.push(a);
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    const rita = await issuer.sign({ email: RITA, org: "contoso.example" });
    const call = async (server: ServerProcess, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${rita}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
      return JSON.parse(text) as unknown;
    };
    const me = (await call(a, "GET", "/api/v1/me")) as { user: { id: string } };
    const contact = (await call(a, "POST", "/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna@fabrikam.example"],
    })) as { id: string };

    // 120 messages from Anna: three pages. The second page is held until the test lets it go.
    const messages: TestMessage[] = Array.from({ length: 120 }, (_, i) => ({
      internetMessageId: `<scale-${i}@fabrikam.example>`,
      subject: `Message ${i}`,
      from: { address: "anna@fabrikam.example" },
      to: [{ address: RITA }],
      receivedDateTime: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    }));
    for (const m of messages) graph.add(TENANT, RITA, "inbox", m);
    let reached: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (reached = resolve));
    let inboxPages = 0;
    graph.beforePage = async ({ user, folder }) => {
      if (user !== RITA || folder !== "inbox" || ++inboxPages !== 2) return;
      reached();
      await new Promise(() => undefined);
    };
    await call(a, "PATCH", `/api/v1/mailboxes/${me.user.id}`, { enabled: true });
    await held;

    // A second server on the same database: every request works on it too.
    const b = await startServerProcess(env);
    servers.push(b);
    expect(((await call(b, "GET", `/api/v1/contacts/${contact.id}`)) as { id: string }).id).toBe(contact.id);
    await call(b, "POST", "/api/v1/emails", {
      internetMessageId: "<by-hand@fabrikam.example>",
      subject: "Logged on B",
      from: { address: "anna@fabrikam.example" },
      to: [{ address: RITA }],
      sentAt: new Date().toISOString(),
    });
    const onA = LookupResponse.parse(
      await call(a, "GET", "/api/v1/people/lookup?email=anna@fabrikam.example"),
    );
    expect(onA.results[0]?.contact?.recentInteractions.map((i) => i.subject)).toContain("Logged on B");

    // Longer than a lease and two of B's runs: A still holds the mailbox (it is alive), B never touches it.
    const requestsWhileHeld = graph.requests.filter((r) => r.user === RITA).length;
    await sleep(13_000);
    expect(graph.requests.filter((r) => r.user === RITA).length).toBe(requestsWhileHeld);

    // A dies mid-page. B takes the mailbox over once A's lease runs out, from the saved link.
    a.process.kill("SIGKILL");
    await a.exited;
    graph.beforePage = null;
    // Polled until B has synced it: the test's own timeout is the only limit.
    let synced = false;
    while (!synced) {
      await sleep(500);
      const list = MailboxList.parse(await call(b, "GET", "/api/v1/mailboxes"));
      const box = list.items.find((m) => m.userId === me.user.id);
      synced =
        box?.status === "ok" &&
        box.folders.every((f) => f.lastSuccessAt !== null) &&
        box.folders.length === 2;
    }
    const afterKill = graph.requests
      .filter((r) => r.user === RITA && r.folder === "inbox")
      .slice(requestsWhileHeld);
    expect(afterKill[0]?.kind).toBe("next");

    // Every message once: no gap, no duplicate.
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = Timeline.parse(
        await call(b, "GET", `/api/v1/contacts/${contact.id}/timeline?limit=100${query}`),
      );
      for (const item of page.items)
        if (item.type === "interaction" && item.interaction.internetMessageId)
          seen.set(
            item.interaction.internetMessageId,
            (seen.get(item.interaction.internetMessageId) ?? 0) + 1,
          );
      cursor = page.nextCursor;
    } while (cursor);
    for (const m of messages)
      expect([m.internetMessageId, seen.get(m.internetMessageId)]).toEqual([m.internetMessageId, 1]);
    b.process.kill("SIGKILL");
    await b.exited;
  }, 120_000);

  it("on SIGTERM goes unready, finishes the sync's page in hand, then exits cleanly", async () => {
    const c = await startServerProcess({ ...env, RAPPORT_DRAIN_SECONDS: "2" });
    servers.push(c);
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    const sam = await issuer.sign({ email: SAM, org: "contoso.example" });
    const rita = await issuer.sign({ email: RITA, org: "contoso.example" });
    const samId = (
      (await (await fetch(`${c.url}/api/v1/me`, { headers: { authorization: `Bearer ${sam}` } })).json()) as {
        user: { id: string };
      }
    ).user.id;
    for (let i = 0; i < 30; i++)
      graph.add(TENANT, SAM, "inbox", {
        internetMessageId: `<term-${i}@fabrikam.example>`,
        from: { address: "anna@fabrikam.example" },
        to: [{ address: SAM }],
        receivedDateTime: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      });
    let reached: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    graph.beforePage = async ({ user }) => {
      if (user !== SAM) return;
      reached();
      await released;
    };
    const enabled = await fetch(`${c.url}/api/v1/mailboxes/${samId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${rita}`, "content-type": "application/json" },
      body: JSON.stringify({ enabled: true }),
    });
    expect(enabled.status).toBe(200);
    // The only server now: the page held is this one's.
    await held;
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
    c.process.kill("SIGTERM");
    // Unready while it drains (RAPPORT_DRAIN_SECONDS), still answering: polled until the probe says so. The
    // held page keeps it from exiting meanwhile, and a refused connection would fail the test.
    for (let ready = 200; ready !== 503; await sleep(50)) {
      ready = (await fetch(`${c.url}/readyz`)).status;
      expect([200, 503]).toContain(ready);
    }
    release();
    graph.beforePage = null;
    expect(await c.exited).toBe(0);
    // The page it was waiting for was logged and its link saved before it exited.
    const store = new pg.Client({ connectionString: databaseUrl });
    await store.connect();
    try {
      const { rows } = await store.query(
        "select s.link_kind, s.messages_seen, s.messages_logged from mailbox_sync s join users u on u.id = s.user_id where u.email = $1 and s.folder = 'inbox'",
        [SAM],
      );
      expect(rows).toEqual([{ link_kind: "delta", messages_seen: 30, messages_logged: 30 }]);
    } finally {
      await store.end();
    }
  }, 60_000);
});
