import { LoggedEmail } from "../../src/shared/interactions";
import { Dashboard } from "../../src/shared/dashboard";
import { Task } from "../../src/shared/tasks";
import { createFollowUpWorker } from "../../src/server/follow-ups/worker";
import { sql } from "kysely";
import { openPostgres } from "../../src/server/db/database";
import { storeKinds } from "../helpers/stores";
import { type TestServer, parse, startTestServer } from "../helpers/server";

const DAY = 86_400_000;
// A Tuesday, 09:30 in Stockholm (08:30 UTC in winter).
const TUESDAY = "2026-11-17T08:30:00.000Z";

describe.each(storeKinds)("no-reply follow-ups (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let ritaId: string;
  let carl: string;
  let seq = 0;
  const messageId = () => `<fu-${++seq}-${Date.now()}@mail.contoso.example>`;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    carl = await server.token("carl@contoso.example");
    ritaId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: rita })).body.user
      .id;
    await server.request("GET", "/api/v1/me", { token: carl });
    await server.request("PATCH", "/api/v1/organization", {
      token: rita,
      body: { internalDomains: ["contoso.example"] },
      headers: { "if-match": "1" },
    });
    const zone = await server.request("PATCH", "/api/v1/me/settings", {
      token: rita,
      body: { timeZone: "Europe/Stockholm" },
    });
    expect(zone.status).toBe(200);
    expect(zone.body).toMatchObject({ timeZone: "Europe/Stockholm" });
  }, 120_000);
  afterAll(() => server.close());

  const contact = async (displayName: string, address: string) => {
    const response = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName, emails: [address] },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  /** Rita writes to a contact. */
  const sent = (to: string, overrides: Record<string, unknown> = {}) => ({
    internetMessageId: messageId(),
    conversationId: `conv-${++seq}`,
    subject: "Proposal for Q3",
    from: { address: "rita@contoso.example", name: "Rita Rep" },
    to: [{ address: to }],
    sentAt: TUESDAY,
    ...overrides,
  });
  /** The contact answers. */
  const reply = (from: string, to: ReturnType<typeof sent>, overrides: Record<string, unknown> = {}) => ({
    internetMessageId: messageId(),
    conversationId: to.conversationId,
    subject: `RE: ${to.subject}`,
    from: { address: from },
    to: [{ address: "rita@contoso.example" }],
    sentAt: new Date(Date.parse(TUESDAY) + DAY).toISOString(),
    ...overrides,
  });
  const log = async (body: unknown, token = rita) => {
    const response = await server.request("POST", "/api/v1/emails", { token, body });
    expect([200, 201]).toContain(response.status);
    return parse(LoggedEmail, response);
  };
  const worker = (now: Date) => createFollowUpWorker({ database: server.database, clock: () => now });
  const farFuture = new Date("2027-06-01T00:00:00.000Z");
  const tasksAbout = async (emailId: string) =>
    (
      await server.database.db.selectFrom("tasks").selectAll().where("interaction_id", "=", emailId).execute()
    ).map((row) => ({ title: row.title, done: row.done_at !== null, notes: row.notes, id: row.id }));

  it("sets a reminder three working days on, at the same local time: Tuesday's mail is due Friday", async () => {
    await contact("Anna Berg", "anna.berg@fabrikam.example");
    const logged = await log(sent("anna.berg@fabrikam.example", { followUp: { days: 3 } }));
    expect(logged.followUp).toMatchObject({ days: 3, state: "waiting", ownerId: ritaId, taskId: null });
    expect(logged.followUp?.dueAt).toBe("2026-11-20T08:30:00.000Z");

    const friday = await log(
      sent("anna.berg@fabrikam.example", { followUp: { days: 3 }, sentAt: "2026-11-20T15:00:00.000Z" }),
    );
    // Friday 16:00 in Stockholm + 3 working days: Wednesday 16:00.
    expect(friday.followUp?.dueAt).toBe("2026-11-25T15:00:00.000Z");
  });

  it("keeps one reminder when the same email is logged again, by the rep or a colleague", async () => {
    const body = sent("anna.berg@fabrikam.example", { followUp: { days: 2 } });
    const first = await log(body);
    const again = await log(body);
    const other = await log({ ...body, followUp: { days: 5 } }, carl);
    expect(again.followUp?.id).toBe(first.followUp?.id);
    expect(again.followUp?.days).toBe(2);
    // Carl sees no reminder of his own: it is Rita's.
    expect(other.followUp).toBeNull();
    const rows = await server.database.db
      .selectFrom("follow_ups")
      .select("id")
      .where("interaction_id", "=", first.interaction.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("fires once due: a task on the owner's Today, titled in their language, linked to contact, deal and email", async () => {
    const annaId = await contact("Anna Lind", "anna.lind@fabrikam.example");
    const deal = await server.request<{ id: string }>("POST", "/api/v1/deals", {
      token: rita,
      body: { name: "Q3 licences", contactIds: [annaId] },
    });
    const logged = await log(sent("anna.lind@fabrikam.example", { followUp: { days: 3 } }));
    expect(logged.interaction.dealId).toBe(deal.body.id);
    const dueAt = new Date(logged.followUp?.dueAt ?? "");

    // A second early, other reminders may fire (earlier tests'), not this one.
    await worker(new Date(dueAt.getTime() - 1000)).runOnce();
    expect(await tasksAbout(logged.interaction.id)).toEqual([]);

    await server.request("PATCH", "/api/v1/me/settings", { token: rita, body: { language: "sv" } });
    const fired = await worker(dueAt).runOnce();
    expect(fired).toBeGreaterThanOrEqual(1);
    const [task] = await tasksAbout(logged.interaction.id);
    expect(task?.title).toBe("Inget svar från Anna Lind på 'Proposal for Q3' sedan tisdag");
    await server.request("PATCH", "/api/v1/me/settings", { token: rita, body: { language: null } });

    const read = parse(Task, await server.request("GET", `/api/v1/tasks/${task?.id}`, { token: rita }));
    expect(read).toMatchObject({
      assigneeId: ritaId,
      contactId: annaId,
      dealId: deal.body.id,
      emailId: logged.interaction.id,
      done: false,
    });
    const today = parse(
      Dashboard,
      await server.request("GET", `/api/v1/dashboard?timeZone=Europe/Stockholm`, { token: rita }),
    );
    // The task is due the moment it fired (in the past of the real clock): it is on Today, overdue.
    expect(today.followUps.items.map((t) => t.id)).toContain(task?.id);

    // Fired once: later runs find nothing left to fire for it.
    await worker(farFuture).runOnce();
    expect(await tasksAbout(logged.interaction.id)).toHaveLength(1);
  });

  it("a reply in the conversation from the addressee cancels the reminder before it fires", async () => {
    await contact("Bo Ek", "bo@northwind.example");
    const mail = sent("bo@northwind.example", { followUp: { days: 3 } });
    const logged = await log(mail);
    await log(reply("bo@northwind.example", mail));
    const row = await server.database.db
      .selectFrom("follow_ups")
      .select(["state", "reply_id"])
      .where("interaction_id", "=", logged.interaction.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("cancelled");
    await worker(farFuture).runOnce();
    expect(await tasksAbout(logged.interaction.id)).toEqual([]);
  });

  it("a reply found by In-Reply-To (another conversation id) cancels it; one from someone else does not", async () => {
    await contact("Cleo Dahl", "cleo@northwind.example");
    const mail = sent("cleo@northwind.example", { followUp: { days: 1 } });
    expect((await log(mail)).followUp?.state).toBe("waiting");
    // A stranger in the same thread: not an addressee, not a reply to wait for.
    await log(reply("someone@northwind.example", mail, { cc: [{ address: "cleo@northwind.example" }] }));
    const stillWaiting = await log(
      sent("cleo@northwind.example", { internetMessageId: mail.internetMessageId }),
    );
    expect(stillWaiting.followUp?.state).toBe("waiting");
    await log(
      reply("cleo@northwind.example", mail, {
        conversationId: "a-different-client-id",
        headers: [{ name: "In-Reply-To", value: mail.internetMessageId }],
      }),
    );
    const after = await log(sent("cleo@northwind.example", { internetMessageId: mail.internetMessageId }));
    expect(after.followUp?.state).toBe("cancelled");
  });

  it("an automatic answer (Auto-Submitted, X-Auto-Response-Suppress) is not a reply: the task still comes", async () => {
    await contact("Dan Ek", "dan@northwind.example");
    const mail = sent("dan@northwind.example", { followUp: { days: 1 } });
    const logged = await log(mail);
    await log(
      reply("dan@northwind.example", mail, {
        headers: [{ name: "Auto-Submitted", value: "auto-replied" }],
        subject: "Automatic reply: Proposal",
      }),
    );
    await log(
      reply("dan@northwind.example", mail, {
        headers: [{ name: "X-Auto-Response-Suppress", value: "All" }],
        subject: "Out of office",
      }),
    );
    // A person's reply can say Auto-Submitted: no.
    expect(
      (await log(sent("dan@northwind.example", { internetMessageId: mail.internetMessageId }))).followUp
        ?.state,
    ).toBe("waiting");
    await worker(farFuture).runOnce();
    expect(await tasksAbout(logged.interaction.id)).toHaveLength(1);
  });

  it("a reply after the task fired closes it, with a note why", async () => {
    await contact("Eva Berg", "eva@fabrikam.example");
    const mail = sent("eva@fabrikam.example", { followUp: { days: 1 } });
    const logged = await log(mail);
    await worker(farFuture).runOnce();
    const [open] = await tasksAbout(logged.interaction.id);
    expect(open?.done).toBe(false);
    await log(
      reply("eva@fabrikam.example", mail, {
        sentAt: "2026-11-30T10:00:00.000Z",
        headers: [{ name: "Auto-Submitted", value: "no" }],
      }),
    );
    const [closed] = await tasksAbout(logged.interaction.id);
    expect(closed?.done).toBe(true);
    expect(closed?.notes).toContain("Eva Berg replied on 30 November 2026");
    const row = await server.database.db
      .selectFrom("follow_ups")
      .select(["state", "reply_id"])
      .where("interaction_id", "=", logged.interaction.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("fired");
    expect(row.reply_id).not.toBeNull();
  });

  it("a reply logged before the reminder is asked for settles it at once; an older message in the thread does not", async () => {
    await contact("Finn Ahl", "finn@fabrikam.example");
    const mail = sent("finn@fabrikam.example");
    const earlier = reply("finn@fabrikam.example", mail, { sentAt: "2026-11-10T10:00:00.000Z" });
    await log(earlier);
    await log(mail);
    const asked = await log({ ...mail, followUp: { days: 3 } });
    expect(asked.followUp?.state).toBe("waiting");
    await log(reply("finn@fabrikam.example", mail));
    const mail2 = sent("finn@fabrikam.example");
    await log(reply("finn@fabrikam.example", mail2));
    expect((await log({ ...mail2, followUp: { days: 3 } })).followUp?.state).toBe("cancelled");
  });

  it("applies the organisation's default to outgoing mail on an open deal unless the rep says null", async () => {
    const gretaId = await contact("Greta Holm", "greta@fabrikam.example");
    const none = await log(sent("greta@fabrikam.example"));
    expect(none.followUp).toBeNull();
    const policy = await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { followUpOpenDeals: true, followUpDays: 5 },
    });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ followUpOpenDeals: true, followUpDays: 5 });
    // No open deal: no default.
    expect((await log(sent("greta@fabrikam.example"))).followUp).toBeNull();
    await server.request("POST", "/api/v1/deals", {
      token: rita,
      body: { name: "Greta's deal", contactIds: [gretaId] },
    });
    const onDeal = await log(sent("greta@fabrikam.example"));
    expect(onDeal.followUp).toMatchObject({ days: 5, state: "waiting" });
    expect((await log(sent("greta@fabrikam.example", { followUp: null }))).followUp).toBeNull();
    // Inbound mail is never followed up.
    expect(
      (await log(reply("greta@fabrikam.example", sent("greta@fabrikam.example"), { followUp: { days: 2 } })))
        .followUp,
    ).toBeNull();
    await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { followUpOpenDeals: false },
    });
  });

  it("refuses a follow-up outside 1..30 days, an unknown time zone and oversized headers, storing nothing", async () => {
    const before = await server.database.db.selectFrom("follow_ups").select("id").execute();
    for (const followUp of [
      { days: 0 },
      { days: 31 },
      { days: 2.5 },
      { days: "3" },
      {},
      { days: 3, extra: 1 },
    ]) {
      const response = await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: sent("anna.berg@fabrikam.example", { followUp }),
      });
      expect(response.status).toBe(400);
    }
    const headers = Array.from({ length: 51 }, () => ({ name: "References", value: "<a@b>" }));
    expect(
      (
        await server.request("POST", "/api/v1/emails", {
          token: rita,
          body: sent("x@y.example", { headers }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await server.request("PATCH", "/api/v1/me/settings", {
          token: rita,
          body: { timeZone: "Mars/Olympus" },
        })
      ).status,
    ).toBe(400);
    expect(await server.database.db.selectFrom("follow_ups").select("id").execute()).toHaveLength(
      before.length,
    );
  });

  it("moves the on-send reminder to the sent copy, which brings the conversation id its replies carry", async () => {
    await contact("Hedda Ek", "hedda@fabrikam.example");
    const key = crypto.randomUUID();
    const onSend = await log({
      rapportKey: key,
      subject: "Proposal",
      from: { address: "rita@contoso.example" },
      to: [{ address: "hedda@fabrikam.example" }],
      sentAt: TUESDAY,
      source: "on-send",
      followUp: { days: 2 },
    });
    expect(onSend.followUp?.state).toBe("waiting");
    const copy = sent("hedda@fabrikam.example", { rapportKey: key });
    const synced = await log(copy);
    expect(synced.interaction.id).toBe(onSend.interaction.id);
    await log(reply("hedda@fabrikam.example", copy));
    expect((await log(copy)).followUp?.state).toBe("cancelled");
  });
});

/** Two servers on one store fire the same due reminder: one task. A claim rolled back fires later, once. */
describe.each(storeKinds)("firing follow-ups across servers and crashes (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let seq = 0;
  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    await server.request("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Anna Berg", emails: ["anna.berg@fabrikam.example"] },
    });
  }, 120_000);
  afterAll(() => server.close());

  const remind = async () => {
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: `<race-${++seq}-${Date.now()}@contoso.example>`,
        subject: "Proposal for Q3",
        from: { address: "rita@contoso.example" },
        to: [{ address: "anna.berg@fabrikam.example" }],
        sentAt: TUESDAY,
        followUp: { days: 1 },
      },
    });
    return parse(LoggedEmail, response).interaction.id;
  };
  const tasksFor = async (id: string) =>
    (await server.database.db.selectFrom("tasks").select("id").where("interaction_id", "=", id).execute())
      .length;
  const now = () => new Date("2027-01-01T00:00:00.000Z");

  it("fires each reminder once when two workers run at the same moment", async () => {
    const ids = await Promise.all([remind(), remind(), remind()]);
    const a = createFollowUpWorker({ database: server.database, clock: now });
    const b = createFollowUpWorker({ database: server.database, clock: now });
    const [firedA, firedB] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(firedA + firedB).toBe(3);
    for (const id of ids) expect(await tasksFor(id)).toBe(1);
  });

  (kind === "postgres" ? it : it.skip)(
    "a second server's pool skips the reminder the first one holds, and neither fires it twice",
    async () => {
      const id = await remind();
      // The other server: its own pool on the same PostgreSQL database.
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
        server.database.db,
      );
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.pathname = `/${rows[0]?.name}`;
      const second = await openPostgres(url.toString(), { poolSize: 4 });
      try {
        let release = () => {};
        let holding = () => {};
        const held = new Promise<void>((resolve) => (holding = resolve));
        const gate = new Promise<void>((resolve) => (release = resolve));
        const first = createFollowUpWorker({
          database: server.database,
          clock: now,
          claimed: async () => {
            holding();
            await gate;
          },
        }).runOnce();
        await held;
        // While the first server holds it, the second finds it locked and leaves it.
        expect(await createFollowUpWorker({ database: second, clock: now }).runOnce()).toBe(0);
        release();
        expect(await first).toBe(1);
        expect(await createFollowUpWorker({ database: second, clock: now }).runOnce()).toBe(0);
        expect(await tasksFor(id)).toBe(1);
      } finally {
        await second.close();
      }
    },
  );

  it("a claim rolled back (a crash before the commit) leaves the reminder waiting; it fires once later", async () => {
    const id = await remind();
    const crashing = createFollowUpWorker({
      database: server.database,
      clock: now,
      claimed: async () => {
        throw new Error("the process died here");
      },
    });
    const errors: string[] = [];
    const crashingLogged = createFollowUpWorker({
      database: server.database,
      clock: now,
      logger: { info: () => undefined, error: (details: object) => errors.push(JSON.stringify(details)) },
      claimed: async () => {
        throw new Error("the process died here");
      },
    });
    expect(await crashing.runOnce()).toBe(0);
    expect(await crashingLogged.runOnce()).toBe(0);
    expect(errors.join("\n")).toContain("the process died here");
    expect(await tasksFor(id)).toBe(0);
    const row = await server.database.db
      .selectFrom("follow_ups")
      .select("state")
      .where("interaction_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("waiting");
    expect(await createFollowUpWorker({ database: server.database, clock: now }).runOnce()).toBe(1);
    expect(await createFollowUpWorker({ database: server.database, clock: now }).runOnce()).toBe(0);
    expect(await tasksFor(id)).toBe(1);
  });

  const followUpOf = async (interactionId: string) =>
    server.database.db
      .selectFrom("follow_ups")
      .selectAll()
      .where("interaction_id", "=", interactionId)
      .executeTakeFirstOrThrow();

  it("one reminder that cannot fire (a poisoned row) keeps none of the others from firing, in any run", async () => {
    const ids = [await remind(), await remind(), await remind()];
    const poisoned = (await followUpOf(ids[0] as string)).id;
    // Smallest pages, so the poisoned row would head every page it is read into.
    const failing = createFollowUpWorker({
      database: server.database,
      clock: now,
      batch: 1,
      claimed: async (id) => {
        if (id === poisoned) throw new Error("poisoned");
      },
    });
    expect(await failing.runOnce()).toBe(2);
    expect(await failing.runOnce()).toBe(0);
    expect(await tasksFor(ids[0] as string)).toBe(0);
    expect(await tasksFor(ids[1] as string)).toBe(1);
    expect(await tasksFor(ids[2] as string)).toBe(1);
    expect((await followUpOf(ids[0] as string)).state).toBe("waiting");
    // Once it can fire, it does, once.
    expect(await createFollowUpWorker({ database: server.database, clock: now }).runOnce()).toBe(1);
    expect(await tasksFor(ids[0] as string)).toBe(1);
  });

  it("a reminder whose stored time zone this runtime does not know still fires, its day named in UTC", async () => {
    const id = await remind();
    await server.database.db
      .updateTable("follow_ups")
      .set({ time_zone: "Mars/Olympus_Mons" })
      .where("interaction_id", "=", id)
      .execute();
    expect(await createFollowUpWorker({ database: server.database, clock: now }).runOnce()).toBe(1);
    const [task] = await server.database.db
      .selectFrom("tasks")
      .select("title")
      .where("interaction_id", "=", id)
      .execute();
    expect(task?.title).toBe("No reply from Anna Berg to 'Proposal for Q3' since 17 November");
  });

  it("a deactivated owner's reminder ends without a task instead of waiting for ever", async () => {
    const dave = await server.token("dave@contoso.example");
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: dave,
        body: {
          internetMessageId: `<gone-${++seq}-${Date.now()}@contoso.example>`,
          subject: "Proposal",
          from: { address: "dave@contoso.example" },
          to: [{ address: "anna.berg@fabrikam.example" }],
          sentAt: TUESDAY,
          followUp: { days: 1 },
        },
      }),
    );
    await server.database.db
      .updateTable("users")
      .set({ deactivated_at: new Date() })
      .where("id", "=", logged.followUp?.ownerId ?? "")
      .execute();
    await createFollowUpWorker({ database: server.database, clock: now }).runOnce();
    expect(await tasksFor(logged.interaction.id)).toBe(0);
    expect((await followUpOf(logged.interaction.id)).state).toBe("cancelled");
  });

  it("a subject full of controls and bidi overrides makes a one-line task title that reads as written", async () => {
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: `<bidi-${++seq}-${Date.now()}@contoso.example>`,
        subject: "Invoice\u202e fdp.exe\u202c\r\nBcc: x\u0007\u200b\u2066paid\u2069",
        from: { address: "rita@contoso.example" },
        to: [{ address: "anna.berg@fabrikam.example" }],
        sentAt: TUESDAY,
        followUp: { days: 1 },
      },
    });
    const id = parse(LoggedEmail, response).interaction.id;
    await createFollowUpWorker({ database: server.database, clock: now }).runOnce();
    const [task] = await server.database.db
      .selectFrom("tasks")
      .select("title")
      .where("interaction_id", "=", id)
      .execute();
    expect(task?.title).toBe("No reply from Anna Berg to 'Invoice fdp.exe Bcc: x paid' since 17 November");
  });
});
