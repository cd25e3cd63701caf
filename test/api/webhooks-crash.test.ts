import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { WebhookDeliveryList, WebhookEndpointWithSecret } from "../../src/shared/webhooks";
import { type ServerProcess, apiCaller, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";
import { WebhookReceiver } from "../helpers/webhook-receiver";

/** Polls until `done` holds: the test's own timeout is the only limit (servers start under tsx on a busy machine). */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 300));
}

describe.each(storeKinds)("webhook deliveries over a kill -9 and over two servers (%s)", (kind) => {
  let receiver: WebhookReceiver;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const servers: ServerProcess[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;
  let call: ReturnType<typeof apiCaller>;
  let url: string | undefined;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-webhooks-"));
    let databaseUrl: string | undefined;
    if (kind === "postgres") {
      const created = await createTestDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    env = {
      RAPPORT_DATA_DIR: path.join(dataDir, "data"),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      RAPPORT_ADDIN_DIR: path.join(dataDir, "no-addin"),
      // The receiver listens on 127.0.0.1.
      RAPPORT_WEBHOOKS_ALLOW_PRIVATE: "1",
      RAPPORT_WEBHOOKS_INTERVAL_SECONDS: "1",
      // A short timeout makes a short lease: a killed PostgreSQL server's delivery is taken over within seconds.
      RAPPORT_WEBHOOKS_TIMEOUT_SECONDS: "1",
      RAPPORT_WEBHOOKS_RETRY_BASE_SECONDS: "0.2",
    };
    servers.push(await startServerProcess(env));
    url = servers[0]?.url;
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    call = apiCaller(() => url, await issuer.sign({ email: "ada@crash.example", org: "crash.example" }));
    await call("GET", "/api/v1/me");
  }, 300_000);
  afterAll(async () => {
    for (const server of servers) server.process.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.exited));
    await receiver.close();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const register = async (at: string) =>
    WebhookEndpointWithSecret.parse(
      await call("POST", "/api/v1/webhooks", {
        url: receiver.url(at),
        events: ["contact.created", "contact.updated"],
      }),
    ).endpoint.id;
  const deliveries = async (endpointId: string) =>
    WebhookDeliveryList.parse(await call("GET", `/api/v1/webhooks/${endpointId}/deliveries?limit=200`)).items;
  const contact = (name: string) =>
    call<{ id: string; version: number }>("POST", "/api/v1/contacts", { displayName: name });

  it("delivers every event when the server is killed mid-delivery, again with the same event id", async () => {
    const endpoint = await register("/crash");
    // The first request is held, unanswered, while its server is killed; the rest are answered.
    let held = false;
    const reached = new Promise<void>((resolve) =>
      receiver.answer("/crash", () => {
        if (held) return 200;
        held = true;
        resolve();
        return "hang";
      }),
    );
    const first = await contact("Anna");
    await call("PATCH", `/api/v1/contacts/${first.id}`, { version: first.version, title: "CFO" });
    const others = await Promise.all(["Bo", "Cleo", "Dan"].map(contact));
    await reached;
    const server = servers.pop();
    server?.process.kill("SIGKILL");
    await server?.exited;
    servers.push(await startServerProcess(env));
    url = servers.at(-1)?.url;
    const eve = await contact("Eve");

    await until(async () => (await deliveries(endpoint)).every((d) => d.state === "delivered"));
    const sent = await deliveries(endpoint);
    expect(sent).toHaveLength(6);
    const received = receiver.at("/crash");
    const receivedIds = new Set(received.map((r) => r.headers["rapport-event-id"]));
    // None lost: every event arrived; the held one twice, both times with its own id.
    expect(receivedIds).toEqual(new Set(sent.map((d) => d.eventId)));
    for (const record of [first, ...others, eve])
      expect(received.some((r) => r.event.data.id === record.id)).toBe(true);
    expect(received.length).toBeGreaterThanOrEqual(sent.length + 1);
    // In order for Anna: her creation was delivered before her update was sent.
    const anna = received.filter((r) => r.event.data.id === first.id).map((r) => r.event.type);
    expect(anna.at(-1)).toBe("contact.updated");
    expect(anna.indexOf("contact.updated")).toBeGreaterThan(anna.indexOf("contact.created"));
  }, 300_000);

  // Two servers share a store only on PostgreSQL (the embedded one is one process's).
  if (kind === "postgres")
    it("sends each delivery once when two servers deliver from the same outbox", async () => {
      servers.push(await startServerProcess(env));
      const endpoint = await register("/shared");
      const people = await Promise.all(Array.from({ length: 16 }, (_, i) => contact(`Guest ${i}`)));
      await until(async () => {
        const list = await deliveries(endpoint);
        return list.length === people.length && list.every((d) => d.state === "delivered");
      });
      const ids = receiver.at("/shared").map((r) => r.headers["rapport-event-id"]);
      expect(ids).toHaveLength(people.length);
      expect(new Set(ids).size).toBe(people.length);
    }, 300_000);
});
