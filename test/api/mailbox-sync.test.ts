import { Interaction } from "../../src/shared/interactions";
import { Blocklist, BlocklistEntry, Mailbox, MailboxList, MySettings } from "../../src/shared/mailboxes";
import type { SyncConfig } from "../../src/server/config";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { claimMailbox, dueMailboxes, releaseLease, savePage } from "../../src/server/sync/mailbox-store";
import { GraphTestServer, type TestMessage } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { trustingFetch } from "../helpers/trusting-fetch";
import { storeKinds } from "../helpers/stores";

const TENANT = "0b5c1e2d-3f4a-4b6c-8d9e-0f1a2b3c4d5e";
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(storeKinds)("mailbox sync through Microsoft Graph (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let worker: SyncWorker;
  let rita: string;
  let sam: string;
  let ids: { rita: string; sam: string };
  let seq = 0;
  const messageId = () => `<sync-${++seq}-${Date.now()}@fabrikam.example>`;

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
    sam = await server.token("sam@contoso.example");
    const me = async (token: string) =>
      (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
    ids = { rita: await me(rita), sam: await me(sam) };
    const config = syncConfig();
    const g = config.graph;
    if (!g) throw new Error("unreachable");
    worker = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: g.graphUrl, tokens: clientCredentialTokens(g) }),
      config: { ...config, tenantId: g.tenantId },
    });
    for (const [name, emails] of [
      ["Anna Berg", ["anna.berg@fabrikam.example", "Anna@Fabrikam-Group.example"]],
      ["Bo Ek", ["bo@northwind.example"]],
      ["Nils News", ["news@lists.fabrikam.example"]],
      ["Pia Private", ["pia@private.example"]],
      ["Olle Blocked", ["olle@blocked.example"]],
    ] as const) {
      const response = await server.request("POST", "/api/v1/contacts", {
        token: rita,
        body: { displayName: name, emails },
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await worker.stop();
    await server.close();
    await graph.close();
  });

  const mail = (overrides: Partial<TestMessage> = {}): TestMessage => ({
    internetMessageId: messageId(),
    subject: "Proposal for Q3",
    bodyPreview: "Hi Rita, here is the proposal.",
    from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    to: [{ address: "rita@contoso.example", name: "Rita Rep" }],
    receivedDateTime: daysAgo(1),
    ...overrides,
  });
  const emailsWith = async (internetMessageId: string) =>
    server.database.db
      .selectFrom("interactions")
      .select(["id", "source", "subject", "body", "deal_id", "rapport_key"])
      .where("internet_message_id", "=", internetMessageId)
      .execute();
  const loggersOf = async (interactionId: string) =>
    (
      await server.database.db
        .selectFrom("interaction_loggers")
        .select("user_id")
        .where("interaction_id", "=", interactionId)
        .execute()
    )
      .map((r) => r.user_id)
      .sort();
  const emailCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom("interactions")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("kind", "=", "email")
          .executeTakeFirstOrThrow()
      ).n,
    );
  const mailboxes = async (token = rita) => {
    const response = await server.request("GET", "/api/v1/mailboxes", { token });
    expect(response.status).toBe(200);
    return parse(MailboxList, response);
  };
  const enable = async (userId: string, enabled = true) => {
    const response = await server.request("PATCH", `/api/v1/mailboxes/${userId}`, {
      token: rita,
      body: { enabled },
    });
    expect(response.status).toBe(200);
    return parse(Mailbox, response);
  };
  const block = async (token: string, scope: "organization" | "personal", entry: string) => {
    const response = await server.request("POST", "/api/v1/blocklist", { token, body: { scope, entry } });
    expect(response.status).toBe(201);
    return parse(BlocklistEntry, response);
  };
  // Every mailbox may run again at once: the tests stand in for the minute between runs.
  const dueNow = () => server.database.db.updateTable("mailboxes").set({ retry_at: null }).execute();

  it("backfills 30 days of a newly enabled mailbox: mail with contacts logged, the rest skipped by the rules", async () => {
    await block(rita, "organization", "@blocked.example");
    await block(rita, "personal", "pia@private.example");
    const known = mail({ cc: [{ address: "someone@else.example" }] });
    const second = mail({ from: { address: "ANNA@fabrikam-group.example" }, subject: "Second address" });
    // Bo's mail carries a Rapport key (a copy of someone's sent mail, say): it is not Rita's to use.
    const fromBo = mail({
      from: { address: "bo@northwind.example" },
      subject: "Bo writes",
      rapportKey: "0d9e7a52-3f4b-4c1d-9e8f-7a6b5c4d3e2f",
    });
    const unknown = mail({ from: { address: "stranger@nowhere.example" } });
    const tooOld = mail({ receivedDateTime: daysAgo(45) });
    const internal = mail({
      from: { address: "carl@contoso.example" },
      to: [{ address: "rita@contoso.example" }],
    });
    const bulk = mail({
      from: { address: "news@lists.fabrikam.example" },
      headers: { "List-Unsubscribe": "<mailto:u@x>" },
    });
    const autoReply = mail({ headers: { "Auto-Submitted": "auto-replied" } });
    const orgBlocked = mail({ from: { address: "olle@blocked.example" } });
    const personalBlocked = mail({ from: { address: "pia@private.example" } });
    for (const m of [
      known,
      second,
      fromBo,
      unknown,
      tooOld,
      internal,
      bulk,
      autoReply,
      orgBlocked,
      personalBlocked,
    ])
      graph.add(TENANT, "rita@contoso.example", "inbox", m);
    // Sent by Rita with "log on send": the add-in logged it under a Rapport key and set the key on the message.
    const rapportKey = "7b0e3f3c-9d0a-4c38-9a55-2c1d7e1f4b10";
    const sentId = messageId();
    const onSend = await server.request<{ interaction: { id: string } }>("POST", "/api/v1/emails", {
      token: rita,
      body: {
        rapportKey,
        subject: "Our offer",
        from: { address: "rita@contoso.example" },
        to: [{ address: "bo@northwind.example" }],
        sentAt: daysAgo(2),
        source: "on-send",
      },
    });
    expect(onSend.status).toBe(201);
    graph.add(TENANT, "rita@contoso.example", "sentitems", {
      internetMessageId: sentId,
      subject: "Our offer",
      from: { address: "rita@contoso.example" },
      to: [{ address: "bo@northwind.example" }],
      receivedDateTime: daysAgo(2),
      rapportKey,
    });
    // Sam's mailbox is not enabled: nothing of it is read.
    graph.add(TENANT, "sam@contoso.example", "inbox", mail());

    const before = await emailCount();
    expect((await mailboxes()).items.find((m) => m.userId === ids.rita)?.status).toBe("not_enabled");
    expect((await enable(ids.rita)).status).toBe("pending");
    const report = await worker.runOnce();

    expect((await mailboxes()).items.find((m) => m.userId === ids.rita)?.lastError).toBeNull();
    expect(report).toMatchObject({ mailboxes: 1, failed: 0, logged: 4 });
    expect(report.skipped).toMatchObject({
      no_contact: 1,
      internal_only: 1,
      bulk_or_automated: 2,
      blocked_participant: 2,
    });
    expect(await emailCount()).toBe(before + 3);
    for (const m of [known, second, fromBo]) {
      const [logged, ...more] = await emailsWith(m.internetMessageId);
      expect(more).toEqual([]);
      expect(logged).toMatchObject({
        source: "auto",
        subject: m.subject,
        body: m.bodyPreview,
        rapport_key: null,
      });
      expect(await loggersOf(logged?.id ?? "")).toEqual([ids.rita]);
    }
    for (const m of [unknown, tooOld, internal, bulk, autoReply, orgBlocked, personalBlocked])
      expect(await emailsWith(m.internetMessageId)).toEqual([]);
    // The sent copy joined the interaction its Rapport key made, and completed it with its message id.
    const sent = await emailsWith(sentId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.id).toBe(onSend.body.interaction.id);
    expect(sent[0]?.rapport_key).toBe(rapportKey);
    expect(graph.requests.every((r) => r.user === "rita@contoso.example")).toBe(true);

    const status = (await mailboxes()).items.find((m) => m.userId === ids.rita);
    expect(status).toMatchObject({ syncing: true, enabledForUser: true, status: "ok", lastError: null });
    expect(status?.folders.map((f) => [f.folder, f.messagesSeen, f.messagesLogged])).toEqual([
      ["inbox", 9, 3],
      ["sentitems", 1, 1],
    ]);
    expect(Date.now() - Date.parse(status?.folders[0]?.backfillFrom ?? "")).toBeGreaterThan(29.9 * DAY);
  });

  it("syncs what changed since: new mail logged, changes and removals never duplicate or delete", async () => {
    await dueNow();
    const earlier = graph.requests.length;
    const [first] = await server.database.db
      .selectFrom("interactions")
      .select(["id", "internet_message_id"])
      .where("source", "=", "auto")
      .orderBy("created_at")
      .execute();
    const inbox = graph.requests.length;
    expect(inbox).toBe(earlier);
    const fresh = mail({ subject: "New today", receivedDateTime: new Date().toISOString() });
    const freshId = graph.add(TENANT, "rita@contoso.example", "inbox", fresh);
    const noise = mail({ from: { address: "stranger@nowhere.example" } });
    const noiseId = graph.add(TENANT, "rita@contoso.example", "inbox", noise);
    graph.markRead(TENANT, "rita@contoso.example", "inbox", freshId);
    graph.change(TENANT, "rita@contoso.example", "inbox", noiseId, { subject: "Edited" });
    const before = await emailCount();
    const report = await worker.runOnce();
    expect(report).toMatchObject({ mailboxes: 1, failed: 0, logged: 1 });
    expect(await emailsWith(fresh.internetMessageId)).toHaveLength(1);
    expect(await emailCount()).toBe(before + 1);

    // Rita deletes the logged email from her inbox: the interaction is the CRM's record, and stays.
    await dueNow();
    graph.remove(TENANT, "rita@contoso.example", "inbox", freshId);
    graph.markRead(TENANT, "rita@contoso.example", "inbox", noiseId);
    const removal = await worker.runOnce();
    expect(removal.skipped).toMatchObject({ removed: 1, changed_only: 1 });
    expect(removal.logged).toBe(0);
    expect(await emailsWith(fresh.internetMessageId)).toHaveLength(1);
    expect(await emailCount()).toBe(before + 1);
    expect(first).toBeDefined();
    // Incremental runs asked for changes only: every request after the first run went by a delta link.
    expect(graph.requests.slice(earlier).every((r) => r.kind === "delta")).toBe(true);
  });

  it("makes one interaction with two loggers of a message in two colleagues' mailboxes", async () => {
    await dueNow();
    const policy = await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { syncAllMailboxes: true },
    });
    expect(policy.status).toBe(200);
    const shared = mail({ to: [{ address: "rita@contoso.example" }, { address: "sam@contoso.example" }] });
    graph.add(TENANT, "rita@contoso.example", "inbox", shared);
    graph.add(TENANT, "sam@contoso.example", "inbox", shared);
    const report = await worker.runOnce();
    expect(report.failed).toBe(0);
    const logged = await emailsWith(shared.internetMessageId);
    expect(logged).toHaveLength(1);
    expect(await loggersOf(logged[0]?.id ?? "")).toEqual([ids.rita, ids.sam].sort());
    // Sam is synced because the organisation turned every mailbox on, not one by one.
    const samBox = (await mailboxes()).items.find((m) => m.userId === ids.sam);
    expect(samBox).toMatchObject({ syncing: true, enabledForUser: false, status: "ok" });
    // A member sees their own mailbox only.
    expect((await mailboxes(sam)).items.map((m) => m.userId)).toEqual([ids.sam]);
  });

  it("links mail logged by hand first instead of logging it twice, and never guesses between deals", async () => {
    await dueNow();
    const byHand = mail({ from: { address: "bo@northwind.example" } });
    const manual = await server.request<{ interaction: { id: string } }>("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: byHand.internetMessageId,
        subject: byHand.subject,
        from: byHand.from,
        to: byHand.to,
        sentAt: byHand.receivedDateTime,
      },
    });
    expect(manual.status).toBe(201);
    graph.add(TENANT, "rita@contoso.example", "inbox", byHand);
    // Bo has two open deals: the synced email is left for Rita to pick ("needs a deal").
    const bo = (
      await server.request<{ items: { id: string }[] }>("GET", "/api/v1/contacts?q=Bo%20Ek", { token: rita })
    ).body.items[0]?.id;
    for (const name of ["Northwind renewal", "Northwind expansion"]) {
      const deal = await server.request("POST", "/api/v1/deals", {
        token: rita,
        body: { name, contactIds: [bo] },
      });
      expect(deal.status).toBe(201);
    }
    const ambiguous = mail({ from: { address: "bo@northwind.example" }, subject: "Which deal?" });
    graph.add(TENANT, "rita@contoso.example", "inbox", ambiguous);
    await worker.runOnce();
    const linked = await emailsWith(byHand.internetMessageId);
    expect(linked.map((e) => [e.id, e.source])).toEqual([[manual.body.interaction.id, "manual"]]);
    expect(await loggersOf(manual.body.interaction.id)).toEqual([ids.rita]);
    const [needsDeal] = await emailsWith(ambiguous.internetMessageId);
    expect(needsDeal?.deal_id).toBeNull();
    const read = await server.request("GET", `/api/v1/emails/${needsDeal?.id}`, { token: rita });
    expect(parse(Interaction, read).dealId).toBeNull();
  });

  it("stores only what the organisation chose: metadata, subject, or subject and excerpt", async () => {
    for (const [content, subject, body] of [
      ["metadata", "", null],
      ["subject", "Subject only", null],
    ] as const) {
      await dueNow();
      await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: rita,
        body: { autoLoggedContent: content },
      });
      const m = mail({ subject: "Subject only", bodyPreview: "Secret numbers 1234" });
      graph.add(TENANT, "rita@contoso.example", "inbox", m);
      await worker.runOnce();
      expect(await emailsWith(m.internetMessageId)).toEqual([expect.objectContaining({ subject, body })]);
      // The pane's auto-log (source "auto") is held to the same choice by the server.
      const fromPane = `<pane-${content}@fabrikam.example>`;
      const posted = await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: {
          internetMessageId: fromPane,
          subject: "Subject only",
          from: { address: "anna.berg@fabrikam.example" },
          to: [{ address: "rita@contoso.example" }],
          sentAt: daysAgo(1),
          bodyText: "Secret numbers 1234",
          source: "auto",
        },
      });
      expect(posted.status).toBe(201);
      expect(await emailsWith(fromPane)).toEqual([expect.objectContaining({ subject, body })]);
      // So is a log the policy makes on send (byPolicy); one the rep ticked keeps the subject and excerpt.
      for (const byPolicy of [true, false]) {
        const key = crypto.randomUUID();
        const sent = await server.request("POST", "/api/v1/emails", {
          token: rita,
          body: {
            rapportKey: key,
            subject: "Subject only",
            from: { address: "rita@contoso.example" },
            to: [{ address: "anna.berg@fabrikam.example" }],
            sentAt: daysAgo(1),
            bodyText: "Secret numbers 1234",
            source: "on-send",
            ...(byPolicy ? { byPolicy } : {}),
          },
        });
        expect(sent.status).toBe(201);
        const stored = await server.database.db
          .selectFrom("interactions")
          .select(["subject", "body"])
          .where("rapport_key", "=", key)
          .execute();
        expect(stored).toEqual([
          byPolicy ? { subject, body } : { subject: "Subject only", body: "Secret numbers 1234" },
        ]);
      }
    }
    await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { autoLoggedContent: "excerpt" },
    });
  });

  it("waits as Graph asks on 429 and 503, and one throttled mailbox holds up no other", async () => {
    await dueNow();
    // Short waits are honoured within the request by the Graph client's retry handler.
    graph.faults.push({ status: 429, retryAfter: 1 }, { status: 503, retryAfter: 1 });
    const short = mail({ subject: "After a short wait" });
    graph.add(TENANT, "rita@contoso.example", "inbox", short);
    const first = await worker.runOnce();
    expect(first.failed).toBe(0);
    expect(await emailsWith(short.internetMessageId)).toHaveLength(1);

    // A long wait is the worker's: that mailbox backs off until then, and the other one carries on.
    await dueNow();
    const statuses = graph.requests.length;
    graph.faults.push({ status: 429, retryAfter: 120 });
    const forSam = mail({ to: [{ address: "sam@contoso.example" }], subject: "For Sam" });
    graph.add(TENANT, "sam@contoso.example", "inbox", forSam);
    const forRita = mail({ subject: "For Rita, later" });
    graph.add(TENANT, "rita@contoso.example", "inbox", forRita);
    // The wait is counted from before the run, so however long the run and the checks take it still shows.
    const beforeThrottled = Date.now();
    const throttled = await worker.runOnce();
    expect(throttled).toMatchObject({ mailboxes: 2, failed: 1, logged: 1 });
    expect(graph.requests.slice(statuses).filter((r) => r.status === 429)).toHaveLength(1);
    const list = (await mailboxes()).items.filter((m) => m.syncing);
    const [backingOff, other] = [...list].sort((a) => (a.status === "backing_off" ? -1 : 1));
    expect(backingOff?.status).toBe("backing_off");
    expect(backingOff?.lastError).toMatch(/429/);
    expect(Date.parse(backingOff?.retryAt ?? "") - beforeThrottled).toBeGreaterThan(100_000);
    expect(other?.status).toBe("ok");
    const [waiting, carriedOn] = backingOff?.userId === ids.rita ? [forRita, forSam] : [forSam, forRita];
    expect(await emailsWith(carriedOn.internetMessageId)).toHaveLength(1);
    expect(await emailsWith(waiting.internetMessageId)).toEqual([]);
    // Not due yet: a run now leaves the waiting mailbox alone.
    const during = graph.requests.length;
    await worker.runOnce();
    expect(graph.requests.slice(during).some((r) => r.user === backingOff?.email)).toBe(false);
    // Once the wait is over, the run picks up where the mailbox left off: nothing lost, nothing twice.
    await dueNow();
    const after = await worker.runOnce();
    expect(after.failed).toBe(0);
    expect(await emailsWith(forSam.internetMessageId)).toHaveLength(1);
    expect(await emailsWith(forRita.internetMessageId)).toHaveLength(1);
    expect((await mailboxes()).items.filter((m) => m.syncing).map((m) => m.status)).toEqual(["ok", "ok"]);
  });

  it("reads a folder again within the window when Graph expires its delta (410), with no gaps and no duplicates", async () => {
    await dueNow();
    const before = await emailCount();
    graph.expireDeltaTokens();
    const during = mail({ subject: "Arrived while the delta expired" });
    graph.add(TENANT, "rita@contoso.example", "inbox", during);
    const report = await worker.runOnce();
    expect(report.failed).toBe(0);
    expect(await emailsWith(during.internetMessageId)).toHaveLength(1);
    expect(await emailCount()).toBe(before + 1);
    const rita410 = (await mailboxes()).items.find((m) => m.userId === ids.rita);
    expect(rita410?.folders.map((f) => f.restarts)).toEqual([1, 1]);
    expect(graph.requests.filter((r) => r.status === 410).length).toBe(4);
  });

  it("skips an opted-out mailbox, and the API enforces who may change what", async () => {
    await dueNow();
    const optOut = await server.request("PATCH", "/api/v1/me/settings", {
      token: sam,
      body: { syncOptedOut: true },
    });
    expect(parse(MySettings, optOut)).toEqual({
      autoLogOpened: false,
      syncOptedOut: true,
      language: null,
      timeZone: null,
    });
    // The web app's language is the user's own, on every device; a language Rapport does not speak changes nothing.
    const swedish = await server.request("PATCH", "/api/v1/me/settings", {
      token: sam,
      body: { language: "sv" },
    });
    expect(parse(MySettings, swedish)).toEqual({
      autoLogOpened: false,
      syncOptedOut: true,
      language: "sv",
      timeZone: null,
    });
    const french = await server.request("PATCH", "/api/v1/me/settings", {
      token: sam,
      body: { language: "fr" },
    });
    expect(french.status).toBe(400);
    expect(french.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const samsAccount = await server.request("GET", "/api/v1/me", { token: sam });
    expect(samsAccount.body).toMatchObject({ settings: { language: "sv", syncOptedOut: true } });
    expect((await server.request("GET", "/api/v1/me", { token: rita })).body).toMatchObject({
      settings: { language: null },
    });
    const forSam = mail({ to: [{ address: "sam@contoso.example" }], subject: "Sam opted out" });
    graph.add(TENANT, "sam@contoso.example", "inbox", forSam);
    const during = graph.requests.length;
    await worker.runOnce();
    expect(graph.requests.slice(during).some((r) => r.user === "sam@contoso.example")).toBe(false);
    expect(await emailsWith(forSam.internetMessageId)).toEqual([]);
    expect((await mailboxes()).items.find((m) => m.userId === ids.sam)).toMatchObject({
      syncing: false,
      optedOut: true,
      status: "opted_out",
    });

    // Members change neither mailboxes nor the organisation's blocklist; personal lists are private.
    expect(
      (
        await server.request("PATCH", `/api/v1/mailboxes/${ids.rita}`, {
          token: sam,
          body: { enabled: false },
        })
      ).status,
    ).toBe(403);
    const orgEntry = await server.request("POST", "/api/v1/blocklist", {
      token: sam,
      body: { scope: "organization", entry: "@x.example" },
    });
    expect(orgEntry.status).toBe(403);
    const samsOwn = await block(sam, "personal", "@sams-secret.example");
    const ritasView = await server.request("GET", "/api/v1/blocklist?scope=personal", { token: rita });
    expect(parse(Blocklist, ritasView).items.map((e) => e.entry)).toEqual(["pia@private.example"]);
    expect((await server.request("DELETE", `/api/v1/blocklist/${samsOwn.id}`, { token: rita })).status).toBe(
      404,
    );
    const orgList = parse(
      Blocklist,
      await server.request("GET", "/api/v1/blocklist?scope=organization", { token: sam }),
    );
    expect(orgList.items.map((e) => e.entry)).toEqual(["@blocked.example"]);
    expect(
      (await server.request("DELETE", `/api/v1/blocklist/${orgList.items[0]?.id}`, { token: sam })).status,
    ).toBe(403);
    // Bad entries are refused with the reason, and nothing is stored.
    const bad = await server.request<{ code: string; detail: string }>("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "personal", entry: "not an address" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_request");
    expect(bad.body.detail).toMatch(/neither an address/);
    // Adding an entry again returns it (200), in any case.
    const again = await server.request("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "personal", entry: "PIA@Private.example" },
    });
    expect(again.status).toBe(200);
    // /me carries what the pane needs to apply the same rules.
    const me = await server.request<{ privacy: { blocklist: string[] } }>("GET", "/api/v1/me", {
      token: sam,
    });
    expect(me.body.privacy.blocklist.sort()).toEqual(["@blocked.example", "@sams-secret.example"]);
    // Opting in again reads from that moment on: what came while opted out stays unlogged.
    await server.request("PATCH", "/api/v1/me/settings", { token: sam, body: { syncOptedOut: false } });
    const afterOptIn = mail({
      to: [{ address: "sam@contoso.example" }],
      subject: "After opting in",
      receivedDateTime: new Date(Date.now() + 1000).toISOString(),
    });
    graph.add(TENANT, "sam@contoso.example", "inbox", afterOptIn);
    const back = await worker.runOnce();
    expect(back.failed).toBe(0);
    expect(await emailsWith(afterOptIn.internetMessageId)).toHaveLength(1);
    expect(await emailsWith(forSam.internetMessageId)).toEqual([]);
  });

  it("takes a mailbox only if it is still due at that moment: not opted out since, not waiting, not held", async () => {
    await dueNow();
    const due = (await dueMailboxes(server.database.db)).find((m) => m.userId === ids.sam);
    if (!due) throw new Error("Sam's mailbox should be due");
    const db = server.database.db;
    await db.updateTable("mailboxes").set({ opted_out: true }).where("user_id", "=", ids.sam).execute();
    expect(await claimMailbox(db, due, "worker-a", 60)).toBe(false);
    await db
      .updateTable("mailboxes")
      .set({ opted_out: false, retry_at: new Date(Date.now() + 60_000) })
      .where("user_id", "=", ids.sam)
      .execute();
    expect(await claimMailbox(db, due, "worker-a", 60)).toBe(false);
    await dueNow();
    expect(await claimMailbox(db, due, "worker-a", 60)).toBe(true);
    // Held by worker-a: another worker cannot take it, nor save a page in its name.
    expect(await claimMailbox(db, due, "worker-b", 60)).toBe(false);
    expect(
      await savePage(db, due, "inbox", "worker-b", { link: "x", kind: "next", seen: 0, logged: 0 }),
    ).toBe(false);
    await releaseLease(db, due, "worker-a");
    expect(await claimMailbox(db, due, "worker-b", 60)).toBe(true);
    await releaseLease(db, due, "worker-b");
  });

  it("skips a message the server refuses, and syncs the rest of the mailbox", async () => {
    await dueNow();
    // A Rapport key already completed by one sent email shows up on another (a copy): the server refuses it.
    const key = "2c6f8a1e-4b3d-4e5f-8a9b-0c1d2e3f4a5b";
    const original = mail({
      from: { address: "rita@contoso.example" },
      to: [{ address: "bo@northwind.example" }],
    });
    graph.add(TENANT, "rita@contoso.example", "sentitems", { ...original, rapportKey: key });
    const copy = mail({
      from: { address: "rita@contoso.example" },
      to: [{ address: "bo@northwind.example" }],
    });
    graph.add(TENANT, "rita@contoso.example", "sentitems", { ...copy, rapportKey: key });
    const fine = mail({ subject: "Fine" });
    graph.add(TENANT, "rita@contoso.example", "inbox", fine);
    const report = await worker.runOnce();
    expect(report.failed).toBe(0);
    expect(report.skipped.rejected).toBe(1);
    expect(await emailsWith(fine.internetMessageId)).toHaveLength(1);
    const logged = [
      ...(await emailsWith(original.internetMessageId)),
      ...(await emailsWith(copy.internetMessageId)),
    ];
    expect(logged).toHaveLength(1);
    expect((await mailboxes()).items.find((m) => m.userId === ids.rita)?.status).toBe("ok");
  });

  it("reports a mailbox Graph cannot read, and keeps syncing the others", async () => {
    await dueNow();
    await server.token("gone@contoso.example");
    const gone = (
      await server.request<{ user: { id: string } }>("GET", "/api/v1/me", {
        token: await server.token("gone@contoso.example"),
      })
    ).body.user.id;
    await enable(gone);
    // Graph has no mailbox for this user (404); Rita's is read all the same.
    const forRita = mail({ subject: "Still synced" });
    graph.add(TENANT, "rita@contoso.example", "inbox", forRita);
    const beforeRun = Date.now();
    const report = await worker.runOnce();
    expect(report.failed).toBe(1);
    expect(await emailsWith(forRita.internetMessageId)).toHaveLength(1);
    const failing = (await mailboxes()).items.find((m) => m.userId === gone);
    expect(failing?.status).toBe("failing");
    expect(failing?.lastError).toMatch(/404/);
    expect(Date.parse(failing?.retryAt ?? "") - beforeRun).toBeGreaterThan(50_000);
    await server.database.db.deleteFrom("mailboxes").where("user_id", "=", gone).execute();
    await server.database.db.deleteFrom("users").where("id", "=", gone).execute();
  });

  it("skips mail with a participant it cannot read, and blocks an address written with a root dot", async () => {
    await dueNow();
    await enable(ids.rita);
    // The organisation blocks @blocked.example (the first test): a Cc written bob@blocked.example. is that domain.
    const rootDot = mail({ cc: [{ address: "bob@blocked.example." }] });
    const unreadable = mail({ cc: [{ address: "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=bob" }] });
    const readable = mail({ cc: [{ address: "bob@northwind.example." }] });
    for (const m of [rootDot, unreadable, readable]) graph.add(TENANT, "rita@contoso.example", "inbox", m);
    const report = await worker.runOnce();
    expect(report).toMatchObject({ failed: 0, logged: 1 });
    expect(report.skipped).toMatchObject({ blocked_participant: 1, unreadable_participant: 1 });
    expect(await emailsWith(rootDot.internetMessageId)).toEqual([]);
    expect(await emailsWith(unreadable.internetMessageId)).toEqual([]);
    const [logged] = await emailsWith(readable.internetMessageId);
    const interaction = parse(
      Interaction,
      await server.request("GET", `/api/v1/emails/${logged?.id}`, { token: rita }),
    );
    expect(interaction.participants.map((p) => p.address)).toEqual([
      "anna.berg@fabrikam.example",
      "rita@contoso.example",
      "bob@northwind.example",
    ]);
  });

  it("knows a contact and the blocklist in either spelling of an internationalised domain", async () => {
    await dueNow();
    await enable(ids.rita);
    const jorg = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Jörg Müller", emails: ["jorg@müller.example"] },
    });
    expect(jorg.status).toBe(201);
    // Typed in Unicode, kept as typed; the other spelling is the same entry; Graph hands the punycode one.
    const bakery = await block(rita, "organization", "@Bäckerei.example");
    expect(bakery.entry).toBe("@bäckerei.example");
    const again = await server.request("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "organization", entry: "@xn--bckerei-5wa.example" },
    });
    expect([again.status, parse(BlocklistEntry, again)]).toEqual([200, bakery]);
    const list = parse(
      Blocklist,
      await server.request("GET", "/api/v1/blocklist?scope=organization", { token: rita }),
    );
    expect(list.items.filter((i) => i.entry.includes("ckerei"))).toEqual([bakery]);
    const fromJorg = mail({ from: { address: "jorg@xn--mller-kva.example", name: "Jörg Müller" } });
    const withBakery = mail({
      from: { address: "jorg@müller.example" },
      cc: [{ address: "ceo@xn--bckerei-5wa.example" }],
    });
    graph.add(TENANT, "rita@contoso.example", "inbox", fromJorg);
    graph.add(TENANT, "rita@contoso.example", "inbox", withBakery);
    const report = await worker.runOnce();
    expect(report.failed).toBe(0);
    expect(await emailsWith(withBakery.internetMessageId)).toEqual([]);
    const [logged, ...more] = await emailsWith(fromJorg.internetMessageId);
    expect([logged?.source, more]).toEqual(["auto", []]);
    const interaction = parse(
      Interaction,
      await server.request("GET", `/api/v1/emails/${logged?.id}`, { token: rita }),
    );
    expect(interaction.participants[0]).toMatchObject({
      address: "jorg@xn--mller-kva.example",
      contactId: jorg.body.id,
    });
  });
});
