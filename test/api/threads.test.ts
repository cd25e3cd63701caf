import { Interaction, LoggedEmail } from "../../src/shared/interactions";
import type { SyncConfig } from "../../src/server/config";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { GraphTestServer } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { trustingFetch } from "../helpers/trusting-fetch";
import { storeKinds } from "../helpers/stores";

const TENANT = "0b5c1e2d-3f4a-4b6c-8d9e-0f1a2b3c4d5e";
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(storeKinds)("threads and several records per interaction (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let worker: SyncWorker;
  let rita: string;
  let ritaId: string;
  let seq = 0;
  const messageId = () => `<thread-${++seq}-${Date.now()}@fabrikam.example>`;

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
    concurrency: 4,
    leaseSeconds: 120,
  });
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    server = await startTestServer(kind, { sync: syncConfig() });
    rita = await server.token("rita@contoso.example");
    ritaId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: rita })).body.user
      .id;
    const config = syncConfig();
    const g = config.graph;
    if (!g) throw new Error("unreachable");
    worker = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: g.graphUrl, tokens: clientCredentialTokens(g) }),
      config: { ...config, tenantId: g.tenantId },
    });
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await worker.stop();
    await server.close();
    await graph.close();
  });

  const created = async <T = { id: string }>(path: string, body: unknown): Promise<T> => {
    const response = await server.request<T>("POST", path, { token: rita, body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const company = (name: string, domain: string) => created("/api/v1/companies", { name, domain });
  const contact = (displayName: string, address: string, companyId?: string) =>
    created("/api/v1/contacts", { displayName, emails: [address], ...(companyId ? { companyId } : {}) });
  const deal = (name: string, contactIds: string[]) => created("/api/v1/deals", { name, contactIds });
  const log = async (address: string, overrides: Record<string, unknown> = {}) => {
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: messageId(),
        subject: "Proposal",
        from: { address },
        to: [{ address: "rita@contoso.example" }],
        sentAt: daysAgo(3),
        ...overrides,
      },
    });
    expect([200, 201]).toContain(response.status);
    return parse(LoggedEmail, response).interaction;
  };
  const link = async (id: string, body: unknown) => {
    const response = await server.request("PUT", `/api/v1/interactions/${id}/links`, { token: rita, body });
    expect(response.status).toBe(200);
    return parse(Interaction, response);
  };
  const refuse = async (id: string, body: unknown, status: number) => {
    const response = await server.request<{ code: string }>("PUT", `/api/v1/interactions/${id}/links`, {
      token: rita,
      body,
    });
    expect(response.status).toBe(status);
    return response.body;
  };
  const unlink = async (id: string, query: string) => {
    const response = await server.request("DELETE", `/api/v1/interactions/${id}/links?${query}`, {
      token: rita,
    });
    expect(response.status).toBe(200);
    return parse(Interaction, response);
  };

  /** A person with two open deals: no single open deal to fall back on, so only the thread can decide. */
  const twoDeals = async (name: string) => {
    const address = `${name.toLowerCase()}@fabrikam.example`;
    const person = await contact(name, address);
    const first = await deal(`${name} licences`, [person.id]);
    const second = await deal(`${name} services`, [person.id]);
    return { address, person, first, second };
  };

  it("links a later message of a conversation logged from the pane to the deal its first message has", async () => {
    const { address, second } = await twoDeals("Anna");
    const first = await log(address, { conversationId: "conv-anna", dealId: second.id });
    expect(first.dealId).toBe(second.id);
    // The reply, logged without a deal named (one click in the pane, or auto-log on open): the thread's deal.
    const reply = await log(address, { conversationId: "conv-anna", sentAt: daysAgo(2) });
    expect(reply.dealId).toBe(second.id);
    expect(reply.dealIds).toEqual([second.id]);
    // Another conversation with the same person: no single open deal, so none.
    expect((await log(address, { conversationId: "conv-other" })).dealId).toBeNull();
  });

  it("follows the In-Reply-To and References headers when the conversation id differs or is missing", async () => {
    const { address, first } = await twoDeals("Bo");
    const original = await log(address, { dealId: first.id });
    const originalId = original.internetMessageId ?? "";
    // Another client's conversation id, but it answers the logged email by its message id.
    const byReply = await log(address, {
      conversationId: "another-client",
      headers: [{ name: "In-Reply-To", value: ` ${originalId}` }],
    });
    expect(byReply.dealId).toBe(first.id);
    // Deep in a thread: References lists older ids first; one logged id among unknown ones is enough.
    const byReferences = await log(address, {
      headers: [{ name: "References", value: `<unknown-1@x.example> ${originalId} <unknown-2@x.example>` }],
    });
    expect(byReferences.dealId).toBe(first.id);
  });

  it("gives a thread's links only to mail from or to someone who was on it, never to an outsider naming its ids", async () => {
    // A person with two addresses and two open deals: only the thread can pick a deal.
    const address = "ivo@fabrikam.example";
    const other = "ivo.private@fabrikam-home.example";
    const person = await created("/api/v1/contacts", { displayName: "Ivo", emails: [address, other] });
    const first = await deal("Ivo licences", [person.id]);
    await deal("Ivo services", [person.id]);
    const partner = await company("Partner Ivo AB", "partner-ivo.example");
    const original = await log(address, {
      conversationId: "conv-ivo",
      dealId: first.id,
      cc: [{ address: "tom@contoso.example" }],
    });
    await link(original.id, { companyId: partner.id });
    const originalId = original.internetMessageId ?? "";
    // Someone who saw the message id (or the conversation id), writing to us and our colleague who was on it.
    const outsider = {
      from: { address: "mallory@evil.example" },
      cc: [{ address: "tom@contoso.example" }],
      sentAt: daysAgo(2),
    };
    for (const thread of [
      { headers: [{ name: "In-Reply-To", value: originalId }] },
      { headers: [{ name: "References", value: originalId }] },
      { conversationId: "conv-ivo" },
    ]) {
      const forged = await log("mallory@evil.example", { ...outsider, ...thread });
      expect([forged.dealId, forged.dealIds, forged.companies]).toEqual([null, [], []]);
    }
    // The contact writing from another address of theirs, and our reply to them, are the thread's.
    const fromOther = await log(other, { headers: [{ name: "In-Reply-To", value: originalId }] });
    expect([fromOther.dealId, fromOther.companies]).toEqual([first.id, [{ id: partner.id, via: "link" }]]);
    const ours = await log("rita@contoso.example", {
      conversationId: "conv-ivo",
      to: [{ address }],
      sentAt: daysAgo(1),
    });
    expect(ours.dealId).toBe(first.id);
  });

  it("keeps an outsider's mail under a colleague's address off the thread's deal, while colleagues' real mail follows", async () => {
    const { address, second } = await twoDeals("Greta");
    const original = await log(address, {
      conversationId: "conv-greta",
      dealId: second.id,
      cc: [{ address: "tom@contoso.example" }],
    });
    const originalId = original.internetMessageId ?? "";
    // Anyone can write a colleague's address (or the rep's own) as the From of mail sent to the rep: naming the
    // logged message does not put it on the thread's deal when the rep logs it. (The sync and the pane's auto-log
    // never log it: mail among our own addresses only is internal.)
    for (const thread of [
      { headers: [{ name: "In-Reply-To", value: originalId }] },
      { conversationId: "conv-greta" },
    ]) {
      for (const from of ["tom@contoso.example", "rita@contoso.example"]) {
        const forged = await log(from, { ...thread, sentAt: daysAgo(2), bodyText: "Pay this" });
        expect([forged.dealId, forged.dealIds, forged.companies]).toEqual([null, [], []]);
      }
    }
    // Tom's real reply is written to Greta, who was on the thread: it follows.
    const tomsReply = await log("tom@contoso.example", {
      to: [{ address }],
      cc: [{ address: "rita@contoso.example" }],
      headers: [{ name: "In-Reply-To", value: originalId }],
      sentAt: daysAgo(1),
    });
    expect(tomsReply.dealId).toBe(second.id);
    // Rita's note to Tom on the thread, logged as she sends it from her own mailbox: it follows too.
    const onSend = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        rapportKey: "7d2e4f60-8a1b-4c3d-9e5f-a6b7c8d9e0f1",
        conversationId: "conv-greta",
        subject: "RE: Proposal",
        from: { address: "rita@contoso.example" },
        to: [{ address: "tom@contoso.example" }],
        sentAt: daysAgo(1),
        source: "on-send",
      },
    });
    expect(onSend.status).toBe(201);
    expect(parse(LoggedEmail, onSend).interaction.dealId).toBe(second.id);
    // "On send" with a colleague's address as From is not Rita sending from her own mailbox: it stays off.
    const notHers = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        rapportKey: "8e3f5a71-9b2c-4d4e-8f0a-b7c8d9e0f1a2",
        conversationId: "conv-greta",
        subject: "RE: Proposal",
        from: { address: "tom@contoso.example" },
        to: [{ address: "rita@contoso.example" }],
        sentAt: daysAgo(1),
        source: "on-send",
      },
    });
    expect([notHers.status, parse(LoggedEmail, notHers).interaction.dealId]).toEqual([201, null]);
  });

  it("links a reply logged on send, under its Rapport key, to its conversation's deal, and its sent copy keeps it", async () => {
    const { address, second } = await twoDeals("Hanna");
    await log(address, { conversationId: "conv-hanna", dealId: second.id, sentAt: daysAgo(3) });
    const rapportKey = "5a1c3e2f-4b6d-4e8f-9a0b-1c2d3e4f5a6b";
    const onSend = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        rapportKey,
        conversationId: "conv-hanna",
        subject: "RE: Proposal",
        from: { address: "rita@contoso.example" },
        to: [{ address }],
        sentAt: daysAgo(2),
        source: "on-send",
      },
    });
    expect(onSend.status).toBe(201);
    const sent = parse(LoggedEmail, onSend).interaction;
    expect(sent.dealId).toBe(second.id);
    // The sent copy (the pane or the sync, with its message id) joins it and keeps the deal.
    const copy = await log(address, {
      rapportKey,
      conversationId: "conv-hanna",
      from: { address: "rita@contoso.example" },
      to: [{ address }],
      sentAt: daysAgo(2),
    });
    expect([copy.id, copy.dealId]).toEqual([sent.id, second.id]);
  });

  it("lets the rep's choice win: a deal named, or none, over the conversation's", async () => {
    const { address, first, second } = await twoDeals("Cleo");
    await log(address, { conversationId: "conv-cleo", dealId: first.id });
    expect((await log(address, { conversationId: "conv-cleo", dealId: second.id })).dealId).toBe(second.id);
    expect((await log(address, { conversationId: "conv-cleo", dealId: null })).dealId).toBeNull();
    // The rep moved the thread to the second deal: the messages after follow the latest choice.
    expect((await log(address, { conversationId: "conv-cleo", sentAt: daysAgo(1) })).dealId).toBe(second.id);
  });

  it("carries the conversation's further deals and linked companies to a later message", async () => {
    const { address, first, second } = await twoDeals("Dag");
    const partner = await company("Partner AB", "partner-dag.example");
    const opening = await log(address, { conversationId: "conv-dag", dealId: first.id });
    await link(opening.id, { dealId: second.id });
    await link(opening.id, { companyId: partner.id });
    const reply = await log(address, { conversationId: "conv-dag", sentAt: daysAgo(2) });
    expect(reply.dealIds).toEqual([first.id, second.id]);
    expect(reply.companies).toEqual([{ id: partner.id, via: "link" }]);
  });

  it("links a message the mailbox sync logs to the deal of the conversation logged from the pane", async () => {
    const { address, second } = await twoDeals("Eva");
    const fromPane = await log(address, {
      conversationId: "conv-eva",
      dealId: second.id,
      sentAt: daysAgo(3),
    });
    const inThread = messageId();
    const byHeader = messageId();
    graph.add(TENANT, "rita@contoso.example", "inbox", {
      internetMessageId: inThread,
      conversationId: "conv-eva",
      subject: "RE: Proposal",
      from: { address },
      to: [{ address: "rita@contoso.example" }],
      receivedDateTime: daysAgo(2),
    });
    graph.add(TENANT, "rita@contoso.example", "inbox", {
      internetMessageId: byHeader,
      subject: "RE: Proposal",
      from: { address },
      to: [{ address: "rita@contoso.example" }],
      receivedDateTime: daysAgo(1),
      headers: { "In-Reply-To": fromPane.internetMessageId ?? "" },
    });
    const enabled = await server.request("PATCH", `/api/v1/mailboxes/${ritaId}`, {
      token: rita,
      body: { enabled: true },
    });
    expect(enabled.status).toBe(200);
    const report = await worker.runOnce();
    expect(report).toMatchObject({ failed: 0 });
    const synced = await server.database.db
      .selectFrom("interactions")
      .select(["internet_message_id", "deal_id", "source"])
      .where("internet_message_id", "in", [inThread, byHeader])
      .orderBy("occurred_at")
      .execute();
    expect(synced).toEqual([
      { internet_message_id: inThread, deal_id: second.id, source: "auto" },
      { internet_message_id: byHeader, deal_id: second.id, source: "auto" },
    ]);
  });

  it("links an email to several deals and companies, the contacts' companies by default", async () => {
    const fabrikam = await company("Fabrikam", "fabrikam-multi.example");
    const northwind = await company("Northwind", "northwind-multi.example");
    const person = await contact("Frida", "frida@fabrikam-multi.example", fabrikam.id);
    const first = await deal("Frida one", [person.id]);
    const second = await deal("Frida two", [person.id]);
    const email = await log("frida@fabrikam-multi.example", { dealId: null });
    expect(email.dealIds).toEqual([]);
    expect(email.companies).toEqual([{ id: fabrikam.id, via: "contact" }]);

    // The first deal linked becomes the primary one; the next stays beside it; linking again changes nothing.
    expect((await link(email.id, { dealId: first.id })).dealId).toBe(first.id);
    const both = await link(email.id, { dealId: second.id });
    expect([both.dealId, both.dealIds]).toEqual([first.id, [first.id, second.id]]);
    const again = await link(email.id, { dealId: second.id });
    expect(again.version).toBe(both.version);
    const swapped = await link(email.id, { dealId: second.id, primary: true });
    expect([swapped.dealId, swapped.dealIds]).toEqual([second.id, [second.id, first.id]]);

    const withCompany = await link(email.id, { companyId: northwind.id });
    expect(withCompany.companies).toEqual([
      { id: northwind.id, via: "link" },
      { id: fabrikam.id, via: "contact" },
    ]);
    // Read back as every reader sees it: the email, the contact's timeline, the pane's lookup.
    const read = parse(
      Interaction,
      await server.request("GET", `/api/v1/emails/${email.id}`, { token: rita }),
    );
    expect([read.dealIds, read.companies]).toEqual([withCompany.dealIds, withCompany.companies]);
    const lookup = await server.request<{ results: { contact: { recentInteractions: Interaction[] } }[] }>(
      "GET",
      "/api/v1/people/lookup?email=frida@fabrikam-multi.example",
      { token: rita },
    );
    const recent = lookup.body.results[0]?.contact.recentInteractions.find((i) => i.id === email.id);
    expect([recent?.dealIds, recent?.companies]).toEqual([withCompany.dealIds, withCompany.companies]);

    // Unlinking the primary deal promotes the other; unlinking a company linked by its contact changes nothing.
    const promoted = await unlink(email.id, `dealId=${second.id}`);
    expect([promoted.dealId, promoted.dealIds]).toEqual([first.id, [first.id]]);
    const unchanged = await unlink(email.id, `companyId=${fabrikam.id}`);
    expect(unchanged.version).toBe(promoted.version);
    expect(unchanged.companies).toHaveLength(2);
    const noCompany = await unlink(email.id, `companyId=${northwind.id}`);
    expect(noCompany.companies).toEqual([{ id: fabrikam.id, via: "contact" }]);
    const none = await unlink(email.id, `dealId=${first.id}`);
    expect([none.dealId, none.dealIds]).toEqual([null, []]);

    // A deal's deletion takes its links along.
    await link(email.id, { dealId: first.id });
    await link(email.id, { dealId: second.id });
    expect((await server.request("DELETE", `/api/v1/deals/${second.id}`, { token: rita })).status).toBe(200);
    const afterDelete = parse(
      Interaction,
      await server.request("GET", `/api/v1/emails/${email.id}`, { token: rita }),
    );
    expect(afterDelete.dealIds).toEqual([first.id]);
  });

  it("links notes and refuses unknown records and bad requests without changing anything", async () => {
    const person = await contact("Gun", "gun@fabrikam.example");
    const note = await created<{ id: string; version: number }>("/api/v1/notes", {
      kind: "call",
      contactId: person.id,
      body: "Called about the renewal",
    });
    const unknown = "7b0e3f3c-9d0a-4c38-9a55-2c1d7e1f4b11";
    expect((await refuse(note.id, { dealId: unknown }, 404)).code).toBe("not_found");
    await refuse(note.id, { companyId: unknown }, 404);
    await refuse(unknown, { companyId: unknown }, 404);
    for (const body of [
      {},
      { dealId: unknown, companyId: unknown },
      { companyId: unknown, primary: true },
      { dealId: "x" },
    ])
      await refuse(note.id, body, 400);
    const after = parse(
      Interaction,
      await server.request("GET", `/api/v1/notes/${note.id}`, { token: rita }),
    );
    expect([after.version, after.dealIds, after.companies]).toEqual([note.version, [], []]);
    const refused = await server.request("DELETE", `/api/v1/interactions/${note.id}/links`, { token: rita });
    expect(refused.status).toBe(400);
  });
});
