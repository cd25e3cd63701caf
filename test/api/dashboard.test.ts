import { randomUUID } from "node:crypto";
import { Dashboard } from "../../src/shared/dashboard";
import { PipelineList } from "../../src/shared/pipelines";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

// The dashboard's clock is fixed: "today" and every day count below are computed by hand from it.
// 05:30 UTC on Tuesday 10 March 2026 is 22:30 on Monday 9 March in Los Angeles (PDT, UTC−7 since 8 March).
const NOW = new Date("2026-03-10T05:30:00.000Z");
const LA = "America/Los_Angeles";

type Ids = Record<string, string>;

describe.each(storeKinds)("the daily dashboard (%s)", (kind) => {
  let server: TestServer;
  let rita: string; // admin of contoso (first to sign in)
  let max: string; // member of contoso
  let eve: string; // admin of another organisation
  const users: Ids = {};
  const deals: Ids = {};
  const tasks: Ids = {};
  const contacts: Ids = {};
  const interactions: Ids = {};
  const stages: Ids = {};

  const request = async <T = Record<string, unknown>>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await server.request<T>(method, path, { token, body });
    expect([method, path, response.status < 300]).toEqual([method, path, true]);
    return response.body;
  };
  const idOf = async (token: string, path: string, body: unknown) =>
    (await request<{ id: string }>(token, "POST", path, body)).id;

  const stageChangedAt = (deal: string, stage: string, at: string) =>
    server.database.db
      .updateTable("deal_stage_changes")
      .set({ changed_at: at })
      .where("deal_id", "=", deal)
      .where("to_stage_id", "=", stage)
      .execute();
  const taskDoneAt = (task: string, at: string) =>
    server.database.db.updateTable("tasks").set({ done_at: at }).where("id", "=", task).execute();

  /** Creates a deal in a stage (no stage history before it) and dates its entry into that stage. */
  const deal = async (
    token: string,
    name: string,
    stage: string,
    enteredAt: string,
    fields: Record<string, unknown> = {},
  ) => {
    const id = await idOf(token, "/api/v1/deals", { name, stageId: stages[stage], ...fields });
    await stageChangedAt(id, stages[stage] as string, enteredAt);
    deals[name] = id;
    return id;
  };
  const moveDeal = async (token: string, id: string, stage: string) => {
    const current = await request<{ version: number }>(token, "GET", `/api/v1/deals/${id}`);
    await request(token, "POST", `/api/v1/deals/${id}/stage`, {
      stageId: stages[stage],
      version: current.version,
    });
  };
  const note = async (
    token: string,
    subject: string,
    occurredAt: string,
    fields: { kind?: string; dealId?: string; contactId?: string } = {},
  ) => {
    interactions[subject] = await idOf(token, "/api/v1/notes", {
      kind: "note",
      contactId: contacts.anna,
      body: subject,
      subject,
      occurredAt,
      ...fields,
    });
  };
  const task = async (
    token: string,
    title: string,
    dueAt: string | null,
    fields: Record<string, unknown> = {},
  ) => {
    tasks[title] = await idOf(token, "/api/v1/tasks", { title, dueAt, ...fields });
    return tasks[title] as string;
  };
  const completeTask = async (token: string, id: string) => {
    const current = await request<{ version: number }>(token, "GET", `/api/v1/tasks/${id}`);
    return request<{ done: boolean }>(token, "PATCH", `/api/v1/tasks/${id}`, {
      done: true,
      version: current.version,
    });
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => NOW });
    rita = await server.token("rita@contoso.example");
    max = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    for (const [name, token] of [
      ["rita", rita],
      ["max", max],
      ["eve", eve],
    ] as const)
      users[name] = (await request<{ user: { id: string } }>(token, "GET", "/api/v1/me")).user.id;
    const { pipelines } = parse(
      PipelineList,
      await server.request("GET", "/api/v1/pipelines", { token: rita }),
    );
    for (const stage of pipelines[0]?.stages ?? []) stages[stage.name] = stage.id;

    contacts.anna = await idOf(rita, "/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna@fabrikam.example"],
    });
    contacts.bert = await idOf(rita, "/api/v1/contacts", {
      displayName: "Bert Olsen",
      emails: ["bert@fabrikam.example"],
    });

    // The organisation's history in Qualification: four stays that ended, of 2, 4, 6 and 10 days (median 5 days,
    // between 4 and 6); in Prospecting only two, of a day each (too few for a median). Max's deals: a median is
    // the team's, not the owner's.
    for (const [name, days] of [
      ["H2", 2],
      ["H4", 4],
      ["H6", 6],
      ["H10", 10],
    ] as const) {
      const id = await deal(max, name, "Qualification", "2026-01-01T00:00:00.000Z");
      await moveDeal(max, id, "Won");
      await stageChangedAt(
        id,
        stages.Won as string,
        `2026-01-${String(1 + days).padStart(2, "0")}T00:00:00.000Z`,
      );
    }
    for (const name of ["P1", "P2"]) {
      const id = await deal(max, name, "Prospecting", "2026-01-01T00:00:00.000Z");
      await moveDeal(max, id, "Lost");
      await stageChangedAt(id, stages.Lost as string, "2026-01-02T00:00:00.000Z");
    }

    // Rita's open deals, each on one side of one rule's boundary.
    await deal(rita, "Stuck just above the median", "Qualification", "2026-03-05T04:30:00.000Z", {
      amount: 10000,
      currency: "EUR",
    }); // 5 days 1 hour in the stage
    await deal(rita, "Just below the median", "Qualification", "2026-03-05T06:30:00.000Z", {
      amount: 2000.5,
      currency: "eur",
    }); // 4 days 23 hours
    await deal(rita, "Quiet for 15 days", "Prospecting", "2026-02-23T05:30:00.000Z", {
      amount: 1000,
      currency: "USD",
    });
    await deal(rita, "Quiet for 13 days", "Prospecting", "2026-02-25T05:30:00.000Z", {
      amount: 333.33,
      currency: "USD",
    });
    await deal(rita, "Closes yesterday", "Prospecting", "2026-03-09T12:00:00.000Z", {
      expectedCloseDate: "2026-03-09",
      currency: "EUR",
    });
    await deal(rita, "Closes today", "Prospecting", "2026-03-09T12:00:00.000Z", {
      expectedCloseDate: "2026-03-10",
    });
    await deal(rita, "Everything wrong", "Qualification", "2026-02-08T05:30:00.000Z", {
      amount: 500,
      currency: "EUR",
      expectedCloseDate: "2026-01-31",
    });
    await deal(rita, "Task done 3 days ago", "Prospecting", "2026-02-18T05:30:00.000Z");
    await deal(rita, "Interaction 2 days ago", "Prospecting", "2026-02-18T05:30:00.000Z");
    // 60 days in Prospecting, far beyond its two one-day stays: no median there, so not stuck.
    await deal(rita, "Long in Prospecting", "Prospecting", "2026-01-09T05:30:00.000Z");
    await deal(rita, "Won long ago", "Won", "2026-01-09T05:30:00.000Z", { amount: 99999, currency: "EUR" });
    await deal(max, "Max's quiet deal", "Prospecting", "2026-02-01T00:00:00.000Z", {
      amount: 700,
      currency: "GBP",
    });

    // Activity: interactions linked to deals, and tasks of deals done (an open task is not activity).
    await note(rita, "Call about the stuck deal", "2026-03-09T05:30:00.000Z", {
      kind: "call",
      dealId: deals["Stuck just above the median"],
    });
    await note(rita, "Note on the deal below the median", "2026-03-09T04:00:00.000Z", {
      dealId: deals["Just below the median"],
    });
    await note(rita, "Meeting 20 days ago", "2026-02-18T05:30:00.000Z", {
      kind: "meeting",
      dealId: deals["Everything wrong"],
    });
    await note(rita, "Visit 2 days ago", "2026-03-08T05:30:00.000Z", {
      kind: "visit",
      dealId: deals["Interaction 2 days ago"],
    });
    await note(rita, "Note on the long deal", "2026-03-09T03:00:00.000Z", {
      dealId: deals["Long in Prospecting"],
    });
    for (let day = 1; day <= 6; day++) await note(rita, `Old note ${day}`, `2026-01-0${day}T12:00:00.000Z`);
    const done3 = await task(rita, "Done for the task deal", null, { dealId: deals["Task done 3 days ago"] });
    await completeTask(rita, done3);
    await taskDoneAt(done3, "2026-03-07T05:30:00.000Z");
    const done16 = await task(rita, "Done for everything wrong", null, { dealId: deals["Everything wrong"] });
    await completeTask(rita, done16);
    await taskDoneAt(done16, "2026-02-22T05:30:00.000Z"); // 16 days ago: its last activity
    await task(rita, "Open task on the quiet deal", "2026-04-01T00:00:00.000Z", {
      dealId: deals["Quiet for 15 days"],
    });

    // An email Bert sent to Rita (Anna in copy), logged by Rita and by Max: both logged it.
    const email = {
      internetMessageId: "<shared@fabrikam.example>",
      subject: "Shared email",
      from: { address: "bert@fabrikam.example" },
      to: [{ address: "rita@contoso.example" }, { address: "max@contoso.example" }],
      cc: [{ address: "anna@fabrikam.example" }, { address: "bert@fabrikam.example" }],
      sentAt: "2026-03-10T05:00:00.000Z",
      dealId: null,
    };
    interactions["Shared email"] = (
      await request<{ interaction: { id: string } }>(rita, "POST", "/api/v1/emails", email)
    ).interaction.id;
    await request(max, "POST", "/api/v1/emails", email);
    await request(max, "POST", "/api/v1/emails", {
      ...email,
      internetMessageId: "<max-only@fabrikam.example>",
      subject: "Max's own email",
      sentAt: "2026-03-10T05:10:00.000Z",
    });

    // Follow-ups, due around the day's ends in UTC and in Los Angeles.
    await task(rita, "Send the contract", "2026-03-05T09:00:00.000Z", { contactId: contacts.bert });
    await task(rita, "Overdue call", "2026-03-09T06:59:00.000Z", {
      contactId: contacts.anna,
      dealId: deals["Stuck just above the median"],
    }); // 23:59 on 8 March in LA
    await task(rita, "Afternoon in LA", "2026-03-09T23:00:00.000Z"); // 16:00 on 9 March in LA
    await task(rita, "Late tonight in LA", "2026-03-10T06:30:00.000Z"); // 23:30 on 9 March in LA, 10 March in UTC
    await task(rita, "Just after LA midnight", "2026-03-10T07:00:00.000Z"); // 00:00 on 10 March in LA
    await task(rita, "Last UTC minute", "2026-03-10T23:59:00.000Z");
    await task(rita, "Tomorrow in UTC", "2026-03-11T00:00:00.000Z");
    await task(rita, "No due date", null);
    await completeTask(rita, await task(rita, "Already done", "2026-03-01T00:00:00.000Z"));
    await task(rita, "Max's task", "2026-03-01T00:00:00.000Z", { assigneeId: users.max });

    // Another organisation, with data that would qualify everywhere.
    tasks["Eve's overdue task"] = await idOf(eve, "/api/v1/tasks", {
      title: "Eve's overdue task",
      dueAt: "2026-03-01T00:00:00.000Z",
    });
    const eveDeal = await idOf(eve, "/api/v1/deals", {
      name: "Eve's quiet deal",
      amount: 5,
      currency: "EUR",
    });
    await server.database.db
      .updateTable("deal_stage_changes")
      .set({ changed_at: "2026-01-01T00:00:00.000Z" })
      .where("deal_id", "=", eveDeal)
      .execute();
    deals["Eve's quiet deal"] = eveDeal;
  }, 120_000);
  afterAll(() => server.close());

  const dashboard = async (token: string, query = "") =>
    parse(Dashboard, await server.request("GET", `/api/v1/dashboard${query}`, { token }));

  it("lists my open tasks due today and overdue in UTC by default, with their contact and deal", async () => {
    const view = await dashboard(rita);
    expect(view).toMatchObject({
      timeZone: "UTC",
      today: "2026-03-10",
      generatedAt: "2026-03-10T05:30:00.000Z",
    });
    expect(view.followUps.total).toBe(6);
    expect(view.followUps.items.map((t) => [t.title, t.dueAt, t.overdue])).toEqual([
      ["Send the contract", "2026-03-05T09:00:00.000Z", true],
      ["Overdue call", "2026-03-09T06:59:00.000Z", true],
      ["Afternoon in LA", "2026-03-09T23:00:00.000Z", true],
      ["Late tonight in LA", "2026-03-10T06:30:00.000Z", false],
      ["Just after LA midnight", "2026-03-10T07:00:00.000Z", false],
      ["Last UTC minute", "2026-03-10T23:59:00.000Z", false],
    ]);
    const call = view.followUps.items[1];
    expect(call).toMatchObject({
      id: tasks["Overdue call"],
      contact: { id: contacts.anna, displayName: "Anna Berg" },
      deal: { id: deals["Stuck just above the median"], name: "Stuck just above the median" },
      assigneeId: users.rita,
      done: false,
      version: 1,
    });
    expect(view.followUps.items[0]).toMatchObject({
      contact: { id: contacts.bert, displayName: "Bert Olsen" },
      deal: null,
    });
    expect(view.followUps.items[2]).toMatchObject({ contact: null, deal: null });
  });

  it("takes today's bounds from the caller's time zone: late tonight in Los Angeles is today there", async () => {
    const view = await dashboard(rita, `?timeZone=${encodeURIComponent("america/los_angeles")}`);
    expect(view).toMatchObject({ timeZone: LA, today: "2026-03-09" });
    expect(view.followUps.total).toBe(4);
    expect(view.followUps.items.map((t) => [t.title, t.overdue])).toEqual([
      ["Send the contract", true],
      ["Overdue call", true],
      ["Afternoon in LA", false],
      ["Late tonight in LA", false],
    ]);
  });

  it("names the deals that need attention, each with the rules that hold, at each rule's boundary", async () => {
    const view = await dashboard(rita);
    expect(view.dealsNeedingAttention.total).toBe(4);
    expect(
      view.dealsNeedingAttention.items.map((d) => [d.name, d.reasons, d.lastActivityAt, d.medianDaysInStage]),
    ).toEqual([
      [
        "Everything wrong",
        ["no_recent_activity", "close_date_passed", "stuck_in_stage"],
        "2026-02-22T05:30:00.000Z",
        5,
      ],
      ["Quiet for 15 days", ["no_recent_activity"], "2026-02-23T05:30:00.000Z", null],
      ["Stuck just above the median", ["stuck_in_stage"], "2026-03-09T05:30:00.000Z", 5],
      ["Closes yesterday", ["close_date_passed"], "2026-03-09T12:00:00.000Z", null],
    ]);
    expect(view.dealsNeedingAttention.items[2]).toMatchObject({
      id: deals["Stuck just above the median"],
      amount: 10000,
      currency: "EUR",
      expectedCloseDate: null,
      stage: { id: stages.Qualification, name: "Qualification", probability: 25 },
      inStageSince: "2026-03-05T04:30:00.000Z",
      version: 1,
    });
  });

  it("judges a close date by the caller's date: yesterday in UTC is today in Los Angeles", async () => {
    const view = await dashboard(rita, `?timeZone=${LA}`);
    expect(view.dealsNeedingAttention.items.map((d) => [d.name, d.reasons])).toEqual([
      ["Everything wrong", ["no_recent_activity", "close_date_passed", "stuck_in_stage"]],
      ["Quiet for 15 days", ["no_recent_activity"]],
      ["Stuck just above the median", ["stuck_in_stage"]],
    ]);
  });

  it("shows the ten interactions I logged last, newest first, with their contacts", async () => {
    const view = await dashboard(rita);
    expect(
      view.recentInteractions.map((i) => [i.subject, i.kind, i.contacts.map((c) => c.displayName)]),
    ).toEqual([
      ["Shared email", "email", ["Bert Olsen", "Anna Berg"]],
      ["Call about the stuck deal", "call", ["Anna Berg"]],
      ["Note on the deal below the median", "note", ["Anna Berg"]],
      ["Note on the long deal", "note", ["Anna Berg"]],
      ["Visit 2 days ago", "visit", ["Anna Berg"]],
      ["Meeting 20 days ago", "meeting", ["Anna Berg"]],
      ["Old note 6", "note", ["Anna Berg"]],
      ["Old note 5", "note", ["Anna Berg"]],
      ["Old note 4", "note", ["Anna Berg"]],
      ["Old note 3", "note", ["Anna Berg"]],
    ]);
    expect(view.recentInteractions[0]).toMatchObject({
      id: interactions["Shared email"],
      occurredAt: "2026-03-10T05:00:00.000Z",
      deal: null,
    });
    expect(view.recentInteractions[1]).toMatchObject({
      deal: { id: deals["Stuck just above the median"], name: "Stuck just above the median" },
    });
  });

  it("sums my open pipeline per currency, never across currencies", async () => {
    const view = await dashboard(rita);
    expect(view.pipeline).toEqual([
      // 10000 + 2000.50 + 500 (Qualification, 25 %) and an amountless deal; weighted 3125.125, rounded.
      { currency: "EUR", openDeals: 4, total: 12500.5, weighted: 3125.13 },
      // 1000 + 333.33 in Prospecting (10 %): weighted 133.333.
      { currency: "USD", openDeals: 2, total: 1333.33, weighted: 133.33 },
      { currency: null, openDeals: 4, total: 0, weighted: 0 },
    ]);
  });

  it("shows an admin a colleague's dashboard", async () => {
    const view = await dashboard(rita, `?ownerId=${users.max}`);
    expect(view.owner).toEqual({ id: users.max, email: "max@contoso.example", displayName: null });
    expect(view.followUps.items.map((t) => t.title)).toEqual(["Max's task"]);
    expect(view.dealsNeedingAttention.items.map((d) => [d.name, d.reasons])).toEqual([
      ["Max's quiet deal", ["no_recent_activity"]],
    ]);
    expect(view.recentInteractions.map((i) => i.subject)).toEqual(["Max's own email", "Shared email"]);
    expect(view.pipeline).toEqual([{ currency: "GBP", openDeals: 1, total: 700, weighted: 70 }]);
  });

  it("shows a member their own dashboard and refuses them a colleague's with 403", async () => {
    const own = await dashboard(max, `?ownerId=${users.max?.toUpperCase()}`);
    expect(own.owner.id).toBe(users.max);
    const refused = await server.request("GET", `/api/v1/dashboard?ownerId=${users.rita}`, { token: max });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body).toMatchObject({ code: "forbidden" });
  });

  it("decides on the role as it is now: a demoted admin is refused a colleague's dashboard at once, a promoted member shown it", async () => {
    const colleagues = (token: string, ownerId: string | undefined) =>
      server.request("GET", `/api/v1/dashboard?ownerId=${ownerId}`, { token });
    const setRole = (token: string, id: string | undefined, role: "admin" | "member") =>
      request(token, "PATCH", `/api/v1/users/${id}`, { role });
    // Both have made requests already, so the server knows them (as an admin and as a member).
    expect((await colleagues(rita, users.max)).status).toBe(200);
    expect((await colleagues(max, users.rita)).status).toBe(403);
    await setRole(rita, users.max, "admin");
    expect((await colleagues(max, users.rita)).status).toBe(200);
    await setRole(max, users.rita, "member");
    const refused = await colleagues(rita, users.max);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "forbidden" });
    await setRole(max, users.rita, "admin");
    await setRole(rita, users.max, "member");
    expect((await colleagues(rita, users.max)).status).toBe(200);
    expect((await colleagues(max, users.rita)).status).toBe(403);
  });

  it("answers another organisation's user, or an unknown one, with 404, and never shows its data", async () => {
    for (const ownerId of [users.eve, randomUUID()]) {
      const response = await server.request("GET", `/api/v1/dashboard?ownerId=${ownerId}`, { token: rita });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: "not_found" });
    }
    for (const view of [await dashboard(rita), await dashboard(rita, `?ownerId=${users.max}`)]) {
      const text = JSON.stringify(view);
      for (const foreign of [users.eve, tasks["Eve's overdue task"], deals["Eve's quiet deal"], "Eve's"])
        expect(text).not.toContain(foreign);
    }
    const theirs = await dashboard(eve);
    expect(theirs.followUps.items.map((t) => t.title)).toEqual(["Eve's overdue task"]);
    expect(theirs.dealsNeedingAttention.items.map((d) => d.name)).toEqual(["Eve's quiet deal"]);
    expect(theirs.recentInteractions).toEqual([]);
    expect(theirs.pipeline).toEqual([{ currency: "EUR", openDeals: 1, total: 5, weighted: 0.5 }]);
  });

  it("refuses a time zone that is not one with a 400 problem", async () => {
    for (const timeZone of ["Mars/Olympus_Mons", "+01:00", "", "x".repeat(65)]) {
      const response = await server.request(
        "GET",
        `/api/v1/dashboard?timeZone=${encodeURIComponent(timeZone)}`,
        {
          token: rita,
        },
      );
      expect([timeZone, response.status]).toEqual([timeZone, 400]);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body).toMatchObject({ code: "invalid_request" });
    }
  });

  it("drops a follow-up once it is completed with PATCH /tasks/:id", async () => {
    const done = await completeTask(rita, tasks["Send the contract"] as string);
    expect(done.done).toBe(true);
    const view = await dashboard(rita);
    expect(view.followUps.total).toBe(5);
    expect(view.followUps.items.map((t) => t.title)).not.toContain("Send the contract");
  });
});
