import { ApiError } from "../../src/client/problems";
import { type ApiClient, createApiClient } from "../../src/client/api-client";
import {
  type Outbox,
  type OutboxAction,
  type OutboxActionInput,
  createOutbox,
} from "../../src/addin/core/outbox";
import { type KeyValueStorage, memoryStorage } from "../../src/addin/core/storage";
import { Page } from "../../src/shared/common";
import { Interaction } from "../../src/shared/interactions";
import { Timeline } from "../../src/shared/people";
import { Task } from "../../src/shared/tasks";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const OWNER = "rita@contoso.example";

/**
 * The real server, reached through a network the test can cut: "down" fails every request before it leaves,
 * as a lost connection does; "every other answer lost" lets requests reach the server but loses half the answers.
 */
function network(server: TestServer, token: string) {
  const state = {
    mode: "up" as "up" | "down" | "every other answer lost",
    requests: 0,
    /** A slow line: each request waits this long before it leaves. */
    delayMs: 0,
    /** Creates (POST) the server refused: an idempotent one sent again is answered as a success. */
    refusedCreates: 0,
  };
  const api = createApiClient({
    baseUrl: server.baseUrl,
    getToken: async () => token,
    fetch: async (input, init) => {
      state.requests++;
      if (state.mode === "down") throw new TypeError("fetch failed");
      if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      const response = await fetch(input, init);
      if (init?.method === "POST" && !response.ok) state.refusedCreates++;
      if (state.mode === "every other answer lost" && state.requests % 2 === 1)
        throw new TypeError("connection reset");
      return response;
    },
  });
  return { state, api };
}

/**
 * Two panes (two Outlook windows) open on one storage with a full queue, both draining it at once, while the rep
 * adds one more action in the second: every action reaches the store once, however often it was sent, the rep
 * hears it was sent whichever window sent it, and the queue ends empty in storage and in both panes. At the same
 * speed both send nearly everything; with the second much slower, the first sends what the second queued.
 */
async function twoPanesDrainOneQueue(
  server: TestServer,
  token: string,
  contactId: string,
  /** How much slower the second window's line is than the first's. */
  secondSlowerByMs: number,
) {
  const storage = memoryStorage();
  const offline = network(server, token);
  offline.state.mode = "down";
  const queuer = createOutbox({ api: offline.api, storage, owner: OWNER, retryDelaysMs: [60_000] });
  const run = crypto.randomUUID().slice(0, 8);
  const messageIds = Array.from({ length: 4 }, (_, i) => `<two-panes-${run}-${i}@fabrikam.example>`);
  const rapportKey = crypto.randomUUID();
  const noteIds = Array.from({ length: 4 }, () => crypto.randomUUID());
  const taskIds = Array.from({ length: 2 }, () => crypto.randomUUID());
  const toComplete = parse(
    Task,
    await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: `Done in two panes ${run}`, contactId, dueAt: null },
    }),
  );
  const actions: OutboxActionInput[] = [
    ...messageIds.map((internetMessageId): OutboxActionInput => ({
      kind: "logEmail",
      body: {
        internetMessageId,
        subject: `Two panes ${internetMessageId}`,
        from: { address: "anna@fabrikam.example" },
        to: [{ address: OWNER }],
        sentAt: "2026-11-20T09:00:00Z",
        source: "manual",
      },
    })),
    // Logged on send: no message id yet, only the sender's Rapport key to dedupe it by.
    {
      kind: "logEmail",
      body: {
        rapportKey,
        subject: `On send ${run}`,
        from: { address: OWNER },
        to: [{ address: "anna@fabrikam.example" }],
        sentAt: "2026-11-20T09:05:00Z",
        source: "on-send",
      },
    },
    ...noteIds.map((id): OutboxActionInput => ({
      kind: "createNote",
      body: { id, kind: "note", contactId, body: `Note ${id}`, outcome: null },
    })),
    ...taskIds.map((id): OutboxActionInput => ({
      kind: "createTask",
      body: { id, title: `Task ${id}`, contactId, dueAt: null },
    })),
    { kind: "completeTask", task: toComplete },
  ];
  for (const action of actions) expect((await queuer.submit(action)).status).toBe("queued");
  queuer.close();

  const [first, second] = [network(server, token), network(server, token)];
  second.state.delayMs = secondSlowerByMs;
  // Both start sending what waits as they open, before either has taken anything out of storage.
  const panes = [first, second].map(({ api }) =>
    createOutbox({ api, storage, owner: OWNER, retryDelaysMs: [60_000] }),
  );
  try {
    const [a, b] = panes as [Outbox, Outbox];
    const lateNote = crypto.randomUUID();
    const late = b.submit({
      kind: "createNote",
      body: { id: lateNote, kind: "note", contactId, body: "Added while both drain" },
    });
    for (let round = 0; round < 10 && (a.entries().length > 0 || b.entries().length > 0); round++)
      await Promise.all([a.flush(), b.flush()]);
    // The rep who clicked in the second window hears it was sent, whichever window sent it.
    expect(await Promise.race([late, Promise.resolve("still waiting")])).toEqual({ status: "sent" });
    expect([
      a.entries(),
      b.entries(),
      JSON.parse(storage.getItem(`rapport.outbox.v1:${OWNER}`) ?? ""),
    ]).toEqual([[], [], []]);
    // Both panes sent, and the same action reached the server twice: the race this test is about took place.
    expect(first.state.requests).toBeGreaterThan(0);
    expect(second.state.requests).toBeGreaterThan(0);
    expect(first.state.requests + second.state.requests).toBeGreaterThan(actions.length + 1);
    // Sent twice, a log, note or task is taken as the same one again, not refused as a duplicate.
    expect([first.state.refusedCreates, second.state.refusedCreates]).toEqual([0, 0]);

    const db = server.database.db;
    const count = async (query: Promise<{ id: string }[]>) => (await query).length;
    for (const id of messageIds)
      expect([
        id,
        await count(
          db.selectFrom("interactions").select("id").where("internet_message_id", "=", id).execute(),
        ),
      ]).toEqual([id, 1]);
    expect(
      await count(db.selectFrom("interactions").select("id").where("rapport_key", "=", rapportKey).execute()),
    ).toBe(1);
    for (const id of [...noteIds, lateNote])
      expect([
        id,
        await count(db.selectFrom("interactions").select("id").where("id", "=", id).execute()),
      ]).toEqual([id, 1]);
    for (const id of taskIds)
      expect([id, await count(db.selectFrom("tasks").select("id").where("id", "=", id).execute())]).toEqual([
        id,
        1,
      ]);
    const completed = await db
      .selectFrom("tasks")
      .select("done_at")
      .where("id", "=", toComplete.id)
      .executeTakeFirst();
    expect(completed?.done_at).toBeInstanceOf(Date);
  } finally {
    panes.forEach((p) => p.close());
  }
}

/** An API client whose requests wait until released: a pane that lags behind another. */
function stalledClient(baseUrl: string, token: string): { api: ApiClient; release(): void } {
  let release = () => {};
  const stalled = new Promise<void>((resolve) => (release = resolve));
  const api = createApiClient({
    baseUrl,
    getToken: async () => token,
    fetch: async (input, init) => {
      await stalled;
      return fetch(input, init);
    },
  });
  return { api, release };
}

describe("the add-in's outbox against the real server", () => {
  let server: TestServer;
  let token: string;
  let contactId: string;
  const outboxes: Outbox[] = [];

  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token(OWNER);
    const created = await server.request("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
    contactId = (created.body as { id: string }).id;
  });
  afterEach(() => outboxes.splice(0).forEach((o) => o.close()));
  afterAll(() => server.close());

  const open = (
    api: ReturnType<typeof network>["api"],
    storage: KeyValueStorage,
    retryDelaysMs = [60_000],
  ) => {
    const outbox = createOutbox({ api, storage, owner: OWNER, retryDelaysMs });
    outboxes.push(outbox);
    return outbox;
  };
  const notesOf = async (id: string) =>
    parse(
      Page(Interaction),
      await server.request("GET", `/api/v1/notes?contactId=${id}&limit=100`, { token }),
    ).items;
  const emailsOf = async (id: string) =>
    parse(Timeline, await server.request("GET", `/api/v1/contacts/${id}/timeline?limit=100`, { token }))
      .items.filter((i) => i.type === "interaction" && i.interaction.kind === "email")
      .map((i) => (i.type === "interaction" ? i.interaction.internetMessageId : null));
  const nextSent = (outbox: Outbox) =>
    new Promise<OutboxAction>((resolve) => {
      const stop = outbox.onSent((action) => {
        stop();
        resolve(action);
      });
    });

  it("sends at once when the server answers, and keeps nothing queued", async () => {
    const { api } = network(server, token);
    const outbox = open(api, memoryStorage());
    const id = crypto.randomUUID();
    await expect(
      outbox.submit({ kind: "createNote", body: { id, kind: "note", contactId, body: "Sent at once" } }),
    ).resolves.toEqual({ status: "sent" });
    expect(outbox.entries()).toEqual([]);
    expect((await notesOf(contactId)).map((n) => n.id)).toContain(id);
  });

  it("queues what the rep does while the server is down, keeps it over a restart of the pane, then sends each once", async () => {
    const storage = memoryStorage();
    const { state, api } = network(server, token);
    state.mode = "down";
    const first = open(api, storage);
    const task = parse(
      Task,
      await server.request("POST", "/api/v1/tasks", {
        token,
        body: { title: "Old task", contactId, dueAt: null },
      }),
    );
    const noteId = crypto.randomUUID();
    const taskId = crypto.randomUUID();
    const results = [
      await first.submit({
        kind: "logEmail",
        body: {
          internetMessageId: "<offline-1@fabrikam.example>",
          subject: "Logged offline",
          from: { address: "anna@fabrikam.example" },
          sentAt: "2026-11-20T09:00:00Z",
        },
      }),
      await first.submit({
        kind: "createNote",
        body: { id: noteId, kind: "call", contactId, body: "", outcome: "no_answer" },
      }),
      await first.submit({
        kind: "createTask",
        body: { id: taskId, title: "Call back", contactId, dueAt: "2026-11-26T09:00:00Z" },
      }),
      await first.submit({ kind: "completeTask", task }),
    ];
    expect(results.map((r) => r.status)).toEqual(["queued", "queued", "queued", "queued"]);
    // Each names its own entry in the outbox, in order.
    expect(results.map((r) => (r.status === "queued" ? r.entryId : null))).toEqual(
      first.entries().map((e) => e.id),
    );
    expect(first.entries().map((e) => e.action.kind)).toEqual([
      "logEmail",
      "createNote",
      "createTask",
      "completeTask",
    ]);
    first.close();

    // The pane is opened again later, on a line that loses the answer to every first try: each action reaches
    // the server twice.
    state.mode = "every other answer lost";
    state.requests = 0;
    const second = open(api, storage);
    for (let round = 0; round < 10 && second.entries().length > 0; round++) await second.flush();
    expect(second.entries()).toEqual([]);
    expect(state.requests).toBe(8);

    expect(await emailsOf(contactId)).toEqual(["<offline-1@fabrikam.example>"]);
    expect((await notesOf(contactId)).filter((n) => n.id === noteId)).toHaveLength(1);
    const tasks = parse(
      Page(Task),
      await server.request("GET", `/api/v1/tasks?contactId=${contactId}&status=all`, { token }),
    ).items;
    expect(tasks.filter((t) => t.id === taskId)).toMatchObject([{ title: "Call back", done: false }]);
    expect(tasks.find((t) => t.id === task.id)?.done).toBe(true);
  });

  it("lands what it queued for a contact merged away meanwhile on the kept contact", async () => {
    const storage = memoryStorage();
    const { state, api } = network(server, token);
    state.mode = "down";
    const outbox = open(api, storage);
    const twin = (
      await server.request<{ id: string; version: number }>("POST", "/api/v1/contacts", {
        token,
        body: { displayName: "Anna B", emails: ["anna+twin@fabrikam.example"] },
      })
    ).body;
    const noteId = crypto.randomUUID();
    const taskId = crypto.randomUUID();
    await outbox.submit({
      kind: "createNote",
      body: { id: noteId, kind: "call", contactId: twin.id, body: "Queued" },
    });
    await outbox.submit({
      kind: "createTask",
      body: { id: taskId, title: "Queued task", contactId: twin.id, dueAt: null },
    });
    // While the pane is offline, a colleague merges the twin into Anna.
    const kept = (
      await server.request<{ version: number }>("GET", `/api/v1/contacts/${contactId}`, { token })
    ).body;
    const merged = await server.request("POST", `/api/v1/contacts/${contactId}/merge`, {
      token,
      body: { version: kept.version, mergedId: twin.id, mergedVersion: twin.version },
    });
    expect(merged.status).toBe(200);
    state.mode = "up";
    await outbox.flush();
    expect(outbox.entries()).toEqual([]);
    expect((await notesOf(contactId)).filter((n) => n.id === noteId)).toHaveLength(1);
    const task = parse(Task, await server.request("GET", `/api/v1/tasks/${taskId}`, { token }));
    expect(task.contactId).toBe(contactId);
  });

  it("retries by itself after a pause, and tells who listens what was sent", async () => {
    const { state, api } = network(server, token);
    state.mode = "down";
    const outbox = open(api, memoryStorage(), [20]);
    const id = crypto.randomUUID();
    expect(
      await outbox.submit({ kind: "createNote", body: { id, kind: "note", contactId, body: "Later" } }),
    ).toMatchObject({ status: "queued" });
    const sent = nextSent(outbox);
    state.mode = "up";
    expect(await sent).toMatchObject({ kind: "createNote", body: { id } });
    expect((await notesOf(contactId)).map((n) => n.id)).toContain(id);
  });

  it("hands a refusal back to the rep who is waiting, and queues nothing", async () => {
    const { api } = network(server, token);
    const outbox = open(api, memoryStorage());
    const missing = "00000000-0000-4000-8000-00000000abcd";
    const refused = outbox.submit({
      kind: "createNote",
      body: { id: crypto.randomUUID(), kind: "note", contactId: missing, body: "x" },
    });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 404 });
    expect(outbox.entries()).toEqual([]);
  });

  it("keeps a queued action the server later refuses, with why, until the rep dismisses it, and sends the rest", async () => {
    const storage = memoryStorage();
    const { state, api } = network(server, token);
    const doomed = (
      await server.request("POST", "/api/v1/contacts", {
        token,
        body: { displayName: "Soon Gone", emails: ["gone@fabrikam.example"] },
      })
    ).body as { id: string };
    state.mode = "down";
    const first = open(api, storage);
    await first.submit({
      kind: "createNote",
      body: { id: crypto.randomUUID(), kind: "note", contactId: doomed.id, body: "About someone deleted" },
    });
    const kept = crypto.randomUUID();
    await first.submit({
      kind: "createNote",
      body: { id: kept, kind: "note", contactId, body: "Still fine" },
    });
    first.close();
    await server.request("DELETE", `/api/v1/contacts/${doomed.id}`, { token });

    state.mode = "up";
    const second = open(api, storage);
    await second.flush();
    const [refused, ...rest] = second.entries();
    expect(rest).toEqual([]);
    expect(refused?.refused).toBe("The contact does not exist.");
    expect((await notesOf(contactId)).map((n) => n.id)).toContain(kept);
    second.dismiss(refused?.id ?? "");
    expect(second.entries()).toEqual([]);
  });

  it("marks a task done that someone changed meanwhile, and takes done-by-someone-else as done", async () => {
    const { api } = network(server, token);
    const outbox = open(api, memoryStorage());
    const create = async (title: string) =>
      parse(
        Task,
        await server.request("POST", "/api/v1/tasks", { token, body: { title, contactId, dueAt: null } }),
      );
    const renamed = await create("Renamed meanwhile");
    await server.request("PATCH", `/api/v1/tasks/${renamed.id}`, {
      token,
      body: { title: "New name", version: 1 },
    });
    const done = await create("Done meanwhile");
    await server.request("PATCH", `/api/v1/tasks/${done.id}`, { token, body: { done: true, version: 1 } });

    await expect(outbox.submit({ kind: "completeTask", task: renamed })).resolves.toEqual({ status: "sent" });
    await expect(outbox.submit({ kind: "completeTask", task: done })).resolves.toEqual({ status: "sent" });
    const read = async (id: string) =>
      parse(Task, await server.request("GET", `/api/v1/tasks/${id}`, { token }));
    expect(await read(renamed.id)).toMatchObject({ title: "New name", done: true, version: 3 });
    expect(await read(done.id)).toMatchObject({ done: true, version: 2 });
  });

  it("reopens a task done (Today's undo), also one someone changed meanwhile, and takes reopened-by-someone-else as open", async () => {
    const { api } = network(server, token);
    const outbox = open(api, memoryStorage());
    const create = async (title: string) =>
      parse(
        Task,
        await server.request("POST", "/api/v1/tasks", { token, body: { title, contactId, dueAt: null } }),
      );
    const read = async (id: string) =>
      parse(Task, await server.request("GET", `/api/v1/tasks/${id}`, { token }));
    const task = await create("Done, then undone");
    await outbox.submit({ kind: "completeTask", task });
    // The undo names the version the done left: 2.
    await expect(outbox.submit({ kind: "reopenTask", task: { ...task, version: 2 } })).resolves.toEqual({
      status: "sent",
    });
    expect(await read(task.id)).toMatchObject({ done: false, doneAt: null, version: 3 });

    const renamed = await create("Renamed after the done");
    await outbox.submit({ kind: "completeTask", task: renamed });
    await server.request("PATCH", `/api/v1/tasks/${renamed.id}`, {
      token,
      body: { title: "New", version: 2 },
    });
    await outbox.submit({ kind: "reopenTask", task: { ...renamed, version: 2 } });
    expect(await read(renamed.id)).toMatchObject({ title: "New", done: false, version: 4 });

    const reopened = await create("Reopened by a colleague");
    await outbox.submit({ kind: "completeTask", task: reopened });
    await server.request("PATCH", `/api/v1/tasks/${reopened.id}`, {
      token,
      body: { done: false, version: 2 },
    });
    await outbox.submit({ kind: "reopenTask", task: { ...reopened, version: 2 } });
    expect(await read(reopened.id)).toMatchObject({ done: false, version: 3 });
  });

  it("reads a damaged queue as empty, and keeps an entry it cannot read (an older release's) instead of dropping it", async () => {
    const key = `rapport.outbox.v1:${OWNER}`;
    const storage = memoryStorage();
    storage.setItem(key, "{not json");
    const { state, api } = network(server, token);
    expect(open(api, storage).entries()).toEqual([]);

    state.mode = "down";
    const foreign = { id: "from-an-older-release", action: { kind: "somethingNew" } };
    storage.setItem(key, JSON.stringify([foreign]));
    const outbox = open(api, storage);
    expect(outbox.entries()).toEqual([]);
    await outbox.submit({
      kind: "createNote",
      body: { id: crypto.randomUUID(), kind: "note", contactId, body: "Next to the old one" },
    });
    const stored = JSON.parse(storage.getItem(key) ?? "[]") as { id: string }[];
    expect(stored[0]).toEqual(foreign);
    expect(stored).toHaveLength(2);
  });

  it("keeps both windows' actions when two panes share one storage, and each is sent once", async () => {
    const storage = memoryStorage();
    const { state, api } = network(server, token);
    state.mode = "down";
    const first = open(api, storage);
    const second = open(api, storage);
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await first.submit({
      kind: "createNote",
      body: { id: a, kind: "note", contactId, body: "From window A" },
    });
    await second.submit({
      kind: "createNote",
      body: { id: b, kind: "note", contactId, body: "From window B" },
    });
    first.close();
    second.close();

    state.mode = "up";
    const reopened = open(api, storage);
    expect(reopened.entries().map((e) => e.action.kind === "createNote" && e.action.body.id)).toEqual([a, b]);
    await reopened.flush();
    expect(reopened.entries()).toEqual([]);
    const ids = (await notesOf(contactId)).map((n) => n.id);
    expect(ids.filter((id) => id === a || id === b).sort()).toEqual([a, b].sort());
  });

  it("queues, never refuses, when the sign-in cannot be reached either", async () => {
    const storage = memoryStorage();
    const api = createApiClient({
      baseUrl: server.baseUrl,
      getToken: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const outbox = open(api, storage);
    const result = await outbox.submit({
      kind: "createNote",
      body: { id: crypto.randomUUID(), kind: "note", contactId, body: "Token endpoint down" },
    });
    expect(result.status).toBe("queued");
    expect(outbox.entries().map((e) => e.refused)).toEqual([null]);
  });

  it("keeps a refusal in the outbox when nobody watches the action any more (the rep moved on)", async () => {
    const { api } = network(server, token);
    const outbox = open(api, memoryStorage());
    const refused = outbox.submit(
      {
        kind: "createNote",
        body: {
          id: crypto.randomUUID(),
          kind: "note",
          contactId: "00000000-0000-4000-8000-00000000abce",
          body: "x",
        },
      },
      { watched: () => false },
    );
    await expect(refused).rejects.toMatchObject({ status: 404 });
    expect(outbox.entries().map((e) => e.refused)).toEqual(["The contact does not exist."]);
  });

  it("leaves a task as the rep's last action left it when the other pane's copy of an earlier one arrives late", async () => {
    // Done, then undone, queued while offline; two panes open on the queue. The second one's line stalls with its
    // copy of the "done" on the way, while the first sends the "done" and then the undo.
    const storage = memoryStorage();
    const offline = network(server, token);
    offline.state.mode = "down";
    const task = parse(
      Task,
      await server.request("POST", "/api/v1/tasks", {
        token,
        body: { title: `Done, then undone ${crypto.randomUUID()}`, contactId, dueAt: null },
      }),
    );
    const queuer = open(offline.api, storage);
    expect((await queuer.submit({ kind: "completeTask", task })).status).toBe("queued");
    const afterDone = { ...task, version: task.version + 1 };
    expect((await queuer.submit({ kind: "reopenTask", task: afterDone })).status).toBe("queued");
    queuer.close();

    const { api: slow, release: releaseStalled } = stalledClient(server.baseUrl, token);
    const second = open(slow, storage);
    const first = open(network(server, token).api, storage);
    await first.flush();
    expect(JSON.parse(storage.getItem(`rapport.outbox.v1:${OWNER}`) ?? "")).toEqual([]);
    const undone = parse(Task, await server.request("GET", `/api/v1/tasks/${task.id}`, { token }));
    expect(undone.done).toBe(false);
    releaseStalled();
    await second.flush();
    const now = parse(Task, await server.request("GET", `/api/v1/tasks/${task.id}`, { token }));
    expect(now.done).toBe(false);
  });

  it("tells the rep an action is in the outbox, refused, when the other pane sent it and the server refused it", async () => {
    const storage = memoryStorage();
    const { api: slow, release: releaseStalled } = stalledClient(server.baseUrl, token);
    const first = open(slow, storage);
    const sent = first.submit({
      kind: "createNote",
      body: { id: crypto.randomUUID(), kind: "note", contactId, body: "On its way" },
    });
    const toRefuse = first.submit({
      kind: "createNote",
      body: {
        id: crypto.randomUUID(),
        kind: "note",
        contactId: "00000000-0000-4000-8000-00000000abcf",
        body: "x",
      },
    });
    // The second pane opens and sends both while the first one's line stalls: the server refuses the second.
    const second = open(network(server, token).api, storage);
    await second.flush();
    expect(second.entries().map((e) => e.refused)).toEqual(["The contact does not exist."]);
    releaseStalled();
    expect(await sent).toEqual({ status: "sent" });
    const still = "still waiting";
    const heard = await Promise.race([
      toRefuse,
      new Promise((resolve) => setImmediate(() => resolve(still))),
    ]);
    expect(heard).toEqual({ status: "queued", entryId: second.entries()[0]?.id });
    // Dismissed in the other pane: the first never says it was sent.
    second.dismiss(second.entries()[0]?.id ?? "");
    expect(await toRefuse).toMatchObject({ status: "queued" });
  });

  it("sends every queued action once when two panes drain one queue at once", () =>
    twoPanesDrainOneQueue(server, token, contactId, 0));

  it("tells the rep an action was sent when the other pane, faster, sent it", () =>
    twoPanesDrainOneQueue(server, token, contactId, 300));
});

// On PostgreSQL the two panes' requests run in parallel transactions, where a duplicate would race to be stored.
if (storeKinds.includes("postgres"))
  describe("two panes draining one queue, on PostgreSQL", () => {
    let server: TestServer;
    let token: string;
    let contactId: string;
    beforeAll(async () => {
      server = await startTestServer("postgres");
      token = await server.token(OWNER);
      const created = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
        token,
        body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
      });
      contactId = created.body.id;
    });
    afterAll(() => server.close());

    it("sends every queued action once when two panes drain one queue at once", () =>
      twoPanesDrainOneQueue(server, token, contactId, 0));
  });
