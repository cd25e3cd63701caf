import { LoggedEmail } from "../../src/shared/interactions";
import type { SyncConfig } from "../../src/server/config";
import { createFollowUpWorker } from "../../src/server/follow-ups/worker";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { GraphTestServer } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { trustingFetch } from "../helpers/trusting-fetch";

const TENANT = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const RITA = "rita@contoso.example";
const DAY = 86_400_000;

/** The rules of follow-ups with replies read by the mailbox sync: the real Graph client against the local Graph. */
describe.each(storeKinds)("follow-ups with the mailbox sync (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let sync: SyncWorker;
  let rita: string;
  let seq = 0;
  const realFetch = globalThis.fetch;
  const syncConfig = (): SyncConfig => ({
    graph: {
      clientId: graph.clientId,
      credential: { kind: "secret", secret: graph.secret },
      tenantId: TENANT,
      authority: graph.url,
      graphUrl: graph.url,
    },
    intervalSeconds: 60,
    backfillDays: 30,
    concurrency: 2,
    leaseSeconds: 120,
  });

  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    server = await startTestServer(kind, { sync: syncConfig() });
    rita = await server.token(RITA);
    const me = await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: rita });
    const config = syncConfig();
    const g = config.graph;
    if (!g) throw new Error("unreachable");
    sync = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: g.graphUrl, tokens: clientCredentialTokens(g) }),
      config: { ...config, tenantId: g.tenantId },
    });
    graph.addMailbox(TENANT, RITA);
    expect(
      (
        await server.request("PATCH", `/api/v1/mailboxes/${me.body.user.id}`, {
          token: rita,
          body: { enabled: true },
        })
      ).status,
    ).toBe(200);
    for (const [name, address] of [
      ["Anna Berg", "anna.berg@fabrikam.example"],
      ["Bo Ek", "bo@northwind.example"],
      ["Cleo Dahl", "cleo@northwind.example"],
      ["Dan Ek", "dan@northwind.example"],
      ["Eva Berg", "eva@fabrikam.example"],
    ])
      await server.request("POST", "/api/v1/contacts", {
        token: rita,
        body: { displayName: name, emails: [address] },
      });
  }, 120_000);
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await sync.stop();
    await server.close();
    await graph.close();
  });

  const sentAt = () => new Date(Date.now() - 2 * 3_600_000).toISOString();
  /** Rita sends a contact a proposal: it is in her Sent Items, and she logs it with a reminder (the pane's tick). */
  const sendWithReminder = async (to: string) => {
    const message = {
      internetMessageId: `<proposal-${++seq}-${Date.now()}@contoso.example>`,
      conversationId: `conversation-${seq}`,
      subject: "Proposal for Q3",
      from: { address: RITA, name: "Rita Rep" },
      to: [{ address: to }],
      receivedDateTime: sentAt(),
    };
    graph.add(TENANT, RITA, "sentitems", message);
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: {
          internetMessageId: message.internetMessageId,
          conversationId: message.conversationId,
          subject: message.subject,
          from: message.from,
          to: message.to,
          sentAt: message.receivedDateTime,
          followUp: { days: 2 },
        },
      }),
    );
    expect(logged.followUp?.state).toBe("waiting");
    return { message, emailId: logged.interaction.id, dueAt: new Date(logged.followUp?.dueAt ?? "") };
  };
  /** The contact's answer arriving in Rita's inbox. */
  const answer = (
    from: string,
    to: { internetMessageId: string; conversationId: string },
    headers: Record<string, string> = {},
    conversationId = to.conversationId,
  ) =>
    graph.add(TENANT, RITA, "inbox", {
      internetMessageId: `<answer-${++seq}-${Date.now()}@northwind.example>`,
      conversationId,
      subject: "RE: Proposal for Q3",
      from: { address: from },
      to: [{ address: RITA }],
      receivedDateTime: new Date(Date.now() - 3_600_000).toISOString(),
      headers,
    });
  const runSync = async () => {
    await server.database.db.updateTable("mailboxes").set({ retry_at: null }).execute();
    await sync.runOnce();
  };
  const fireAt = (when: Date) =>
    createFollowUpWorker({ database: server.database, clock: () => when }).runOnce();
  const tasksAbout = async (emailId: string) =>
    server.database.db
      .selectFrom("tasks")
      .select(["title", "done_at", "notes"])
      .where("interaction_id", "=", emailId)
      .execute();

  it("a sent mail with no reply becomes a task once due", async () => {
    const { message, emailId, dueAt } = await sendWithReminder("anna.berg@fabrikam.example");
    await runSync();
    // The synced sent copy is the same email: still one reminder.
    expect(
      await server.database.db
        .selectFrom("follow_ups")
        .select("id")
        .where("interaction_id", "=", emailId)
        .execute(),
    ).toHaveLength(1);
    await fireAt(new Date(dueAt.getTime() - DAY));
    expect(await tasksAbout(emailId)).toEqual([]);
    await fireAt(dueAt);
    const tasks = await tasksAbout(emailId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toMatch(new RegExp(`^No reply from Anna Berg to '${message.subject}' since `));
  });

  it("a reply synced before it is due cancels it: no task", async () => {
    const { message, emailId, dueAt } = await sendWithReminder("bo@northwind.example");
    answer("bo@northwind.example", message);
    await runSync();
    await fireAt(new Date(dueAt.getTime() + DAY));
    expect(await tasksAbout(emailId)).toEqual([]);
  });

  it("a reply found by its In-Reply-To header, under another conversation id, cancels it too", async () => {
    const { message, emailId, dueAt } = await sendWithReminder("cleo@northwind.example");
    answer(
      "cleo@northwind.example",
      message,
      { "In-Reply-To": message.internetMessageId },
      "another-conversation",
    );
    await runSync();
    await fireAt(new Date(dueAt.getTime() + DAY));
    expect(await tasksAbout(emailId)).toEqual([]);
  });

  it("an automatic answer synced (out of office) is no reply: the task still comes", async () => {
    const { message, emailId, dueAt } = await sendWithReminder("dan@northwind.example");
    // Auto-Submitted: the sync does not even log it (the privacy rules); X-Auto-Response-Suppress alone: it logs
    // it, and the follow-up rule does not take it for a reply.
    answer("dan@northwind.example", message, { "Auto-Submitted": "auto-replied" });
    answer("dan@northwind.example", message, { "X-Auto-Response-Suppress": "All" });
    await runSync();
    const loggedAnswers = await server.database.db
      .selectFrom("interactions")
      .select("id")
      .where("conversation_id", "=", message.conversationId)
      .where("direction", "=", "in")
      .execute();
    expect(loggedAnswers).toHaveLength(1);
    await fireAt(dueAt);
    expect(await tasksAbout(emailId)).toHaveLength(1);
  });

  it("a reply synced after the task fired closes the task", async () => {
    const { message, emailId, dueAt } = await sendWithReminder("eva@fabrikam.example");
    await runSync();
    await fireAt(dueAt);
    expect((await tasksAbout(emailId))[0]?.done_at).toBeNull();
    answer("eva@fabrikam.example", message);
    await runSync();
    const [task] = await tasksAbout(emailId);
    expect(task?.done_at).not.toBeNull();
    expect(task?.notes).toContain("Eva Berg replied on");
  });
});
