import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OccasionMailList, OccasionRule } from "../../src/shared/occasions";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { OCCASION_PROPERTY_ID } from "../../src/server/occasions/mail-drafts";
import { ADDIN_ID } from "../../src/server/sync/mail-graph";
import { GraphTestServer, type WriteRequest } from "../helpers/graph-server";
import { type ServerProcess, apiCaller, graphSyncEnv, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";

const TENANT = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
const RITA = "rita@occasions.example";

/** Polls until `done` holds: the test's own timeout is the only limit (servers start under tsx on a busy machine). */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 300));
}

describe.each(storeKinds)("occasion mails over a kill -9 and over two servers (%s)", (kind) => {
  let graph: GraphTestServer;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const servers: ServerProcess[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;
  let call: ReturnType<typeof apiCaller>;
  let templateId: string;
  let url: string | undefined;

  // Today, as the servers' real clock sees it: the reps have no time zone (UTC), and the morning starts at 0:00.
  const today = new Date();
  const birthday = { day: today.getUTCDate(), month: today.getUTCMonth() + 1 };

  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    graph.addMailbox(TENANT, RITA);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-occasions-"));
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
      ...graphSyncEnv(graph, TENANT, dataDir),
      RAPPORT_OCCASIONS_INTERVAL_SECONDS: "1",
      RAPPORT_OCCASIONS_MORNING_HOUR: "0",
    };
    servers.push(await startServerProcess(env));
    url = servers[0]?.url;
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    call = apiCaller(() => url, await issuer.sign({ email: RITA, org: "occasions.example" }));
    await call("GET", "/api/v1/me");
    templateId = (
      await call<{ id: string }>("POST", "/api/v1/templates", {
        name: "Birthday",
        scope: "organization",
        variants: {
          en: {
            subject: "Happy birthday, {{contact.firstName}}",
            html: "<p>All the best, {{contact.firstName}}!</p>",
          },
        },
      })
    ).id;
  }, 300_000);
  afterAll(async () => {
    for (const server of servers) server.process.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.exited));
    await graph.close();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const contact = (name: string, address: string) =>
    call<{ id: string }>("POST", "/api/v1/contacts", {
      displayName: name,
      firstName: name,
      emails: [address],
      birthday,
    });
  const rule = (body: Record<string, unknown>) =>
    call<OccasionRule>("POST", "/api/v1/occasion-rules", {
      scope: "organization",
      kind: "birthday",
      templateId,
      ...body,
    });
  const stateOf = async (contactId: string) =>
    OccasionMailList.parse(await call("GET", "/api/v1/occasion-mails")).items.find(
      (m) => m.contactId === contactId,
    )?.state;
  const marked = (address: string) => graph.written.filter((m) => m.to.includes(address));
  /** Holds the answer to the next write of this kind, for ever: the server asking is killed while it waits. */
  const holdNext = (kindOfWrite: WriteRequest["kind"]) =>
    new Promise<void>((reached) => {
      graph.afterWrite = async (request) => {
        if (request.kind !== kindOfWrite) return;
        graph.afterWrite = null;
        reached();
        await new Promise(() => undefined);
      };
    });
  const killAndRestart = async () => {
    const server = servers.pop();
    server?.process.kill("SIGKILL");
    await server?.exited;
    servers.push(await startServerProcess(env));
    url = servers.at(-1)?.url;
  };

  it("writes one draft when the server is killed after Graph made it and before the store knew", async () => {
    const anna = await contact("Anna", "anna@fabrikam.example");
    const held = holdNext("create");
    const drafting = await rule({ name: "Birthday drafts" });
    await held;
    await killAndRestart();
    await until(async () => (await stateOf(anna.id)) === "drafted");
    const drafts = marked("anna@fabrikam.example");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ isDraft: true, sends: 0, subject: "Happy birthday, Anna" });
    expect(graph.writes.filter((w) => w.kind === "create" && w.messageId === drafts[0]?.id)).toHaveLength(1);
    await call("PATCH", `/api/v1/occasion-rules/${drafting.id}`, {
      active: false,
      version: drafting.version,
    });
  }, 300_000);

  it("sends once when the server is killed after Graph sent and before the store knew", async () => {
    const sending = await rule({ name: "Birthday wishes", mode: "send", active: false });
    await call("POST", `/api/v1/occasion-rules/${sending.id}/sending`, { enabled: true });
    const bo = await contact("Bo", "bo@fabrikam.example");
    const held = holdNext("send");
    await call("PATCH", `/api/v1/occasion-rules/${sending.id}`, { active: true, version: sending.version });
    await held;
    await killAndRestart();
    await until(async () => (await stateOf(bo.id)) === "sent");
    const sent = marked("bo@fabrikam.example");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ isDraft: false, sends: 1 });
    expect(sent[0]?.properties[OCCASION_PROPERTY_ID]).toEqual(expect.any(String));
    expect(graph.writes.filter((w) => w.kind === "send")).toHaveLength(1);
  }, 300_000);

  // Two servers share a store only on PostgreSQL (the embedded one is one process's).
  if (kind === "postgres")
    it("writes one mail per contact when two servers deliver the same morning", async () => {
      servers.push(await startServerProcess(env));
      const people = await Promise.all(
        Array.from({ length: 12 }, (_, i) => contact(`Guest${i}`, `guest${i}@fabrikam.example`)),
      );
      await until(async () => {
        const states = await Promise.all(people.map((p) => stateOf(p.id)));
        return states.every((s) => s === "sent");
      });
      for (let i = 0; i < people.length; i++) expect(marked(`guest${i}@fabrikam.example`)).toHaveLength(1);
      const guestIds = new Set(graph.written.filter((m) => m.to[0]?.startsWith("guest")).map((m) => m.id));
      expect(graph.writes.filter((w) => w.kind === "send" && guestIds.has(w.messageId))).toHaveLength(12);
    }, 300_000);
});
