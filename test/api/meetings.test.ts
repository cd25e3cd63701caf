import type { KyselyPlugin } from "kysely";
import { Interaction } from "../../src/shared/interactions";
import { meetingBriefs } from "../../src/server/meetings/briefs";
import { LoggedMeeting, MeetingBriefs } from "../../src/shared/meetings";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("meetings (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let carl: string;
  let ids: { rita: string; carl: string };
  let seq = 0;
  // Tomorrow's date stands for "today" in the briefs: the server's clock is fixed at it.
  const day = "2026-12-08";
  const at = (time: string) => `${day}T${time}:00.000Z`;
  const uid = () => `040000008200E00074C5B7101A82E0080000000${++seq}${Date.now()}`;

  beforeAll(async () => {
    server = await startTestServer(kind, {
      webhooks: { allowPrivate: true },
      clock: () => new Date(`${day}T07:00:00.000Z`),
    });
    rita = await server.token("rita@contoso.example");
    carl = await server.token("carl@contoso.example");
    const me = async (token: string) =>
      (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
    ids = { rita: await me(rita), carl: await me(carl) };
  });
  afterAll(() => server.close());

  const post = async <T = { id: string }>(path: string, body: unknown, token = rita) => {
    const response = await server.request<T>("POST", path, { token, body });
    expect([200, 201]).toContain(response.status);
    return response.body;
  };
  const contact = async (displayName: string, emails: string[], extra: Record<string, unknown> = {}) =>
    (await post("/api/v1/contacts", { displayName, emails, ...extra })).id;
  const meeting = (overrides: Record<string, unknown> = {}) => ({
    iCalUId: uid(),
    subject: "Quarterly review",
    startsAt: at("09:00"),
    endsAt: at("10:00"),
    location: "Fabrikam HQ, room 4",
    organizer: { address: "rita@contoso.example", name: "Rita Rep" },
    attendees: [
      { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
      { address: "carl@contoso.example", name: "Carl Colleague" },
    ],
    ...overrides,
  });
  const logMeeting = (body: unknown, token = rita) =>
    server.request("POST", "/api/v1/meetings", { token, body });
  const meetingCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom("interactions")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("kind", "=", "meeting")
          .executeTakeFirstOrThrow()
      ).n,
    );

  let annaId: string;
  beforeAll(async () => {
    annaId = await contact("Anna Berg", ["anna.berg@fabrikam.example"]);
  });

  it("logs a meeting with its attendees linked to contacts, and the meeting's details on the interaction", async () => {
    const body = meeting({ notes: "Anna wants the Q1 numbers.", outcome: "held" });
    const response = await logMeeting(body);
    expect(response.status).toBe(200);
    const logged = parse(LoggedMeeting, response);
    expect(logged.created).toBe(true);
    expect(logged.interaction.kind).toBe("meeting");
    expect(logged.interaction.direction).toBe("out");
    expect(logged.interaction.occurredAt).toBe(at("09:00"));
    expect(logged.interaction.body).toBe("Anna wants the Q1 numbers.");
    expect(logged.interaction.loggedBy).toEqual([ids.rita]);
    expect(logged.interaction.participants).toEqual([
      { address: "rita@contoso.example", name: "Rita Rep", contactId: null, role: "from" },
      { address: "anna.berg@fabrikam.example", name: "Anna Berg", contactId: annaId, role: "with" },
      { address: "carl@contoso.example", name: "Carl Colleague", contactId: null, role: "with" },
    ]);
    expect(logged.meeting).toEqual({
      startsAt: at("09:00"),
      endsAt: at("10:00"),
      location: "Fabrikam HQ, room 4",
      onlineUrl: null,
      iCalUId: body.iCalUId,
      cancelled: false,
      outcome: "held",
    });
    expect(logged.interaction.meeting).toEqual(logged.meeting);

    // The meeting is on Anna's timeline, carrying its details, as any interaction is.
    const timeline = await server.request<{ items: { type: string; interaction?: unknown }[] }>(
      "GET",
      `/api/v1/contacts/${annaId}/timeline`,
      { token: rita },
    );
    expect(timeline.status).toBe(200);
    const onTimeline = timeline.body.items
      .filter((i) => i.type === "interaction")
      .map((i) => Interaction.parse(i.interaction))
      .find((i) => i.id === logged.interaction.id);
    expect(onTimeline?.meeting).toEqual(logged.meeting);
  });

  it("updates the notes and outcome of the same meeting logged again, adding the logger, never a second one", async () => {
    const body = meeting({ notes: "First notes." });
    const first = parse(LoggedMeeting, await logMeeting(body));
    const before = await meetingCount();
    const again = await logMeeting({ ...body, notes: "Carl's notes.", outcome: "no_show" }, carl);
    expect(again.status).toBe(200);
    const second = parse(LoggedMeeting, again);
    expect(second.created).toBe(false);
    expect(second.interaction.id).toBe(first.interaction.id);
    expect(second.interaction.body).toBe("Carl's notes.");
    expect(second.meeting.outcome).toBe("no_show");
    expect(second.interaction.loggedBy.sort()).toEqual([ids.rita, ids.carl].sort());
    expect(await meetingCount()).toBe(before);

    // Without an iCalUId, the organiser, start and subject are the meeting's key.
    const { iCalUId: _, ...withoutUid } = meeting({
      subject: "No uid",
      startsAt: at("13:00"),
      endsAt: at("13:30"),
    });
    const a = parse(LoggedMeeting, await logMeeting(withoutUid));
    const b = parse(LoggedMeeting, await logMeeting({ ...withoutUid, outcome: "held" }, carl));
    expect([a.created, b.created, b.interaction.id]).toEqual([true, false, a.interaction.id]);
    // ... and it is completed with the iCalUId when one comes later.
    const later = meeting({ subject: "No uid", startsAt: at("13:00"), endsAt: at("13:30") });
    const c = parse(LoggedMeeting, await logMeeting(later));
    expect([c.created, c.interaction.id, c.meeting.iCalUId]).toEqual([
      false,
      a.interaction.id,
      later.iCalUId,
    ]);
  });

  it("never lets the same iCalUId from another organiser reach a meeting: it is another meeting", async () => {
    const body = meeting({ subject: "Board prep", notes: "Rita's notes.", outcome: "held" });
    const first = parse(LoggedMeeting, await logMeeting(body));
    // A stranger who learnt the UID invites Carl with it: their organiser, another time, another link.
    const forged = await logMeeting(
      {
        iCalUId: body.iCalUId,
        subject: "Forged",
        startsAt: at("16:00"),
        endsAt: at("17:00"),
        onlineUrl: "https://evil.example/join",
        organizer: { address: "eve@evil.example" },
        attendees: [{ address: "anna.berg@fabrikam.example" }, { address: "carl@contoso.example" }],
        notes: "Overwritten?",
        outcome: "no_show",
      },
      carl,
    );
    expect(forged.status).toBe(200);
    const second = parse(LoggedMeeting, forged);
    expect(second.created).toBe(true);
    expect(second.interaction.id).not.toBe(first.interaction.id);
    const row = await server.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("id", "=", first.interaction.id)
      .executeTakeFirstOrThrow();
    expect([
      row.subject,
      row.body,
      row.meeting_outcome,
      row.meeting_online_url,
      row.meeting_organizer,
    ]).toEqual(["Board prep", "Rita's notes.", "held", null, "rita@contoso.example"]);
    expect(row.occurred_at.toISOString()).toBe(at("09:00"));
    const loggers = await server.database.db
      .selectFrom("interaction_loggers")
      .select("user_id")
      .where("interaction_id", "=", first.interaction.id)
      .execute();
    expect(loggers.map((l) => l.user_id)).toEqual([ids.rita]);
    // The organiser compared canonical: the same organiser written otherwise is the same meeting.
    const again = parse(
      LoggedMeeting,
      await logMeeting({ ...body, organizer: { address: "Rita@Contoso.Example" }, notes: "More." }),
    );
    expect([again.created, again.interaction.id, again.interaction.body]).toEqual([
      false,
      first.interaction.id,
      "More.",
    ]);
  });

  it("finds a meeting a rep edited into a call when it is logged again, and never makes a second one", async () => {
    const body = meeting({ subject: "Edited into a call" });
    const first = parse(LoggedMeeting, await logMeeting(body));
    const edited = await server.request("PATCH", `/api/v1/notes/${first.interaction.id}`, {
      token: rita,
      body: { kind: "call", version: first.interaction.version },
    });
    expect(edited.status).toBe(200);
    expect(parse(Interaction, edited).meeting).toBeNull();
    const before = await meetingCount();
    const again = await logMeeting({ ...body, notes: "Still the same" }, carl);
    expect(again.status).toBe(200);
    const second = parse(LoggedMeeting, again);
    expect([second.created, second.interaction.id, second.meeting.iCalUId]).toEqual([
      false,
      first.interaction.id,
      body.iCalUId,
    ]);
    expect(await meetingCount()).toBe(before);
  });

  it("refuses a meeting without an external contact (422 no_contact) and stores nothing", async () => {
    const before = await meetingCount();
    const internal = await logMeeting(meeting({ attendees: [{ address: "carl@contoso.example" }] }));
    expect(internal.status).toBe(422);
    expect(internal.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((internal.body as { code: string }).code).toBe("no_contact");
    const stranger = await logMeeting(meeting({ attendees: [{ address: "who@unknown.example" }] }));
    expect(stranger.status).toBe(422);
    expect(await meetingCount()).toBe(before);
  });

  it("never stores a blocklisted attendee, and refuses when only blocked people would make it worth logging", async () => {
    const response = await server.request("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "organization", entry: "@blocked.example" },
    });
    expect(response.status).toBe(201);
    const olle = await contact("Olle Blocked", ["olle@blocked.example"]);
    const logged = parse(
      LoggedMeeting,
      await logMeeting(
        meeting({
          attendees: [
            { address: "anna.berg@fabrikam.example" },
            { address: "OLLE@blocked.example", name: "Olle" },
          ],
        }),
      ),
    );
    expect(logged.interaction.participants.map((p) => p.address)).toEqual([
      "rita@contoso.example",
      "anna.berg@fabrikam.example",
    ]);
    const stored = await server.database.db
      .selectFrom("interaction_participants")
      .select("address")
      .where("address", "=", "olle@blocked.example")
      .execute();
    expect(stored).toEqual([]);
    const before = await meetingCount();
    const onlyBlocked = await logMeeting(meeting({ attendees: [{ address: "olle@blocked.example" }] }));
    expect(onlyBlocked.status).toBe(422);
    expect((onlyBlocked.body as { code: string }).code).toBe("no_contact");
    expect(await meetingCount()).toBe(before);
    expect(olle).toBeTruthy();
  });

  it("answers bad input with 400 and leaves the store untouched", async () => {
    const before = await meetingCount();
    for (const body of [
      meeting({ endsAt: at("08:00") }),
      meeting({ startsAt: "tomorrow" }),
      meeting({ onlineUrl: "http://teams.example/join" }),
      meeting({ onlineUrl: "javascript:alert(1)" }),
      meeting({ organizer: { address: "not an address" } }),
      meeting({ attendees: "anna" }),
      meeting({ outcome: "great" }),
      meeting({ surprise: true }),
      meeting({ iCalUId: "" }),
      { subject: "nothing else" },
    ]) {
      const response = await logMeeting(body);
      expect(response.status).toBe(400);
      expect((response.body as { code: string }).code).toBe("invalid_request");
    }
    expect(await meetingCount()).toBe(before);
  });

  it("links the attendees' single open deal, and emits interaction.logged for webhooks", async () => {
    const bo = await contact("Bo Ek", ["bo@northwind.example"]);
    const deal = await post("/api/v1/deals", { name: "Northwind rollout", amount: 12000, contactIds: [bo] });
    const hook = await server.request<{ id: string }>("POST", "/api/v1/webhooks", {
      token: rita,
      body: { url: "http://127.0.0.1:9/hook", events: ["interaction.logged"] },
    });
    expect(hook.status).toBe(201);
    const logged = parse(
      LoggedMeeting,
      await logMeeting(meeting({ attendees: [{ address: "bo@northwind.example", name: "Bo Ek" }] })),
    );
    expect(logged.interaction.dealId).toBe(deal.id);
    const events = await server.database.db
      .selectFrom("webhook_events")
      .select(["type", "payload"])
      .where("record_id", "=", logged.interaction.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(["interaction.logged"]);
    const payload = (
      typeof events[0]?.payload === "string" ? JSON.parse(events[0].payload) : events[0]?.payload
    ) as {
      meeting: unknown;
    };
    expect(payload.meeting).toEqual(logged.meeting);
    // Named explicitly as none, no deal is linked.
    const none = parse(
      LoggedMeeting,
      await logMeeting(meeting({ dealId: null, attendees: [{ address: "bo@northwind.example" }] })),
    );
    expect(none.interaction.dealId).toBeNull();

    // Logged again, the deal the rep names wins (the pane says the meeting is logged as chosen); null unlinks;
    // a log that names none keeps it.
    const other = await post("/api/v1/deals", { name: "Northwind phase 2", amount: 3000, contactIds: [bo] });
    const unnamed = meeting({ attendees: [{ address: "bo@northwind.example" }] });
    const again = { ...unnamed, dealId: deal.id };
    const a = parse(LoggedMeeting, await logMeeting(again));
    expect(a.interaction.dealId).toBe(deal.id);
    const b = parse(LoggedMeeting, await logMeeting({ ...again, dealId: other.id }));
    expect([b.created, b.interaction.id, b.interaction.dealId]).toEqual([false, a.interaction.id, other.id]);
    const c = parse(LoggedMeeting, await logMeeting(unnamed));
    expect([c.interaction.id, c.interaction.dealId]).toEqual([a.interaction.id, other.id]);
    const d = parse(LoggedMeeting, await logMeeting({ ...again, dealId: null }));
    expect([d.interaction.id, d.interaction.dealId]).toEqual([a.interaction.id, null]);
  });

  it("briefs the caller's meetings of the day: who, company, open deals and stage, last three interactions, open tasks", async () => {
    const company = await post("/api/v1/companies", { name: "Litware", domain: "litware.example" });
    const lisa = await contact("Lisa Lind", ["lisa@litware.example"], {
      companyId: company.id,
      title: "CTO",
    });
    const deal = await post<{ id: string; stage: { id: string; name: string } }>("/api/v1/deals", {
      name: "Litware pilot",
      amount: 5000,
      currency: "EUR",
      contactIds: [lisa],
    });
    const task = await post("/api/v1/tasks", {
      title: "Send the pilot plan",
      dueAt: at("16:00"),
      contactId: lisa,
    });
    // Four earlier interactions with Lisa: the brief shows the last three, newest first.
    for (const [i, time] of ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"].entries())
      await post("/api/v1/notes", {
        kind: "call",
        contactId: lisa,
        body: `Call ${i + 1}`,
        subject: `Call ${i + 1}`,
        occurredAt: `${time}T10:00:00.000Z`,
      });
    // After the meeting's start: not "before the meeting".
    await post("/api/v1/notes", { kind: "note", contactId: lisa, body: "later", occurredAt: at("15:00") });

    const morning = parse(
      LoggedMeeting,
      await logMeeting(
        meeting({
          subject: "Pilot kick-off",
          startsAt: at("11:00"),
          endsAt: at("12:00"),
          onlineUrl: "https://teams.example/l/meetup-join/1",
          attendees: [
            { address: "lisa@litware.example", name: "Lisa Lind" },
            { address: "carl@contoso.example" },
          ],
        }),
      ),
    );
    // Another day's meeting and a colleague's own meeting are not in Rita's brief of today.
    await logMeeting(
      meeting({
        startsAt: "2026-12-09T11:00:00.000Z",
        endsAt: "2026-12-09T12:00:00.000Z",
        attendees: [{ address: "lisa@litware.example" }],
      }),
    );
    await logMeeting(
      meeting({
        organizer: { address: "carl@contoso.example" },
        subject: "Carl's own",
        startsAt: at("14:00"),
        endsAt: at("14:30"),
        attendees: [{ address: "lisa@litware.example" }],
      }),
      carl,
    );

    const response = await server.request("GET", "/api/v1/meetings/today", { token: rita });
    expect(response.status).toBe(200);
    const briefs = parse(MeetingBriefs, response);
    expect(briefs.date).toBe(day);
    expect(briefs.timeZone).toBe("UTC");
    expect(briefs.meetings.map((m) => m.startsAt)).toEqual(
      [...briefs.meetings.map((m) => m.startsAt)].sort(),
    );
    expect(briefs.meetings.some((m) => m.subject === "Carl's own")).toBe(false);
    const brief = briefs.meetings.find((m) => m.interactionId === morning.interaction.id);
    expect(brief).toMatchObject({
      subject: "Pilot kick-off",
      startsAt: at("11:00"),
      endsAt: at("12:00"),
      onlineUrl: "https://teams.example/l/meetup-join/1",
      cancelled: false,
    });
    expect(brief?.attendees.map((a) => [a.address, a.contactId])).toEqual([
      ["rita@contoso.example", null],
      ["lisa@litware.example", lisa],
      ["carl@contoso.example", null],
    ]);
    expect(brief?.contacts).toEqual([
      {
        contact: { id: lisa, displayName: "Lisa Lind", title: "CTO", email: "lisa@litware.example" },
        company: { id: company.id, name: "Litware" },
        openDeals: [
          {
            id: deal.id,
            name: "Litware pilot",
            amount: 5000,
            currency: "EUR",
            stage: { id: deal.stage.id, name: deal.stage.name },
          },
        ],
        lastInteractions: [
          expect.objectContaining({
            kind: "call",
            subject: "Call 4",
            occurredAt: "2026-12-04T10:00:00.000Z",
          }),
          expect.objectContaining({ kind: "call", subject: "Call 3" }),
          expect.objectContaining({ kind: "call", subject: "Call 2" }),
        ],
        openTasks: [{ id: task.id, title: "Send the pilot plan", dueAt: at("16:00") }],
      },
    ]);

    // Another day, and "today" in a time zone far east: its day starts at 10:00 UTC the day before.
    const tomorrow = parse(
      MeetingBriefs,
      await server.request("GET", "/api/v1/meetings/today?date=2026-12-09", { token: rita }),
    );
    expect(tomorrow.meetings.map((m) => m.startsAt)).toEqual(["2026-12-09T11:00:00.000Z"]);
    const kiritimati = parse(
      MeetingBriefs,
      await server.request("GET", "/api/v1/meetings/today?timeZone=Pacific/Kiritimati&date=2026-12-09", {
        token: rita,
      }),
    );
    // 2026-12-09 in UTC+14 runs from 2026-12-08T10:00Z to 2026-12-09T10:00Z: the 11:00 kick-off is in it.
    expect(kiritimati.meetings.map((m) => m.interactionId)).toContain(morning.interaction.id);
    expect(kiritimati.meetings.map((m) => m.startsAt)).not.toContain("2026-12-09T11:00:00.000Z");

    const bad = await server.request("GET", "/api/v1/meetings/today?timeZone=Mars/Olympus", { token: rita });
    expect(bad.status).toBe(400);
  });

  it("exports a person's meetings with their details, and erasure leaves no trace of them in a meeting others attended", async () => {
    const eva = await contact("Eva Erase", ["eva@erase.example"]);
    const shared = parse(
      LoggedMeeting,
      await logMeeting(
        meeting({
          subject: "Review with Eva Erase",
          location: "Eva Erase's office",
          onlineUrl: "https://teams.example/meet/eva.erase",
          organizer: { address: "eva@erase.example", name: "Eva Erase" },
          attendees: [{ address: "anna.berg@fabrikam.example" }, { address: "rita@contoso.example" }],
        }),
      ),
    );
    expect(shared.interaction.direction).toBe("in");
    const exported = await server.request<{ interactions: unknown[] }>(
      "GET",
      `/api/v1/contacts/${eva}/data-export`,
      {
        token: rita,
      },
    );
    expect(exported.status).toBe(200);
    const mine = exported.body.interactions
      .map((i) => Interaction.parse(i))
      .find((i) => i.id === shared.interaction.id);
    expect(mine?.meeting).toEqual(shared.meeting);

    const erased = await server.request("POST", `/api/v1/contacts/${eva}/erase`, { token: rita });
    expect(erased.status).toBe(200);
    const row = await server.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("id", "=", shared.interaction.id)
      .executeTakeFirstOrThrow();
    expect(row.meeting_organizer).toBeNull();
    // Their meeting's link (a personal room names them) goes with them as its organiser.
    expect(row.meeting_online_url).toBeNull();
    expect(`${row.subject} ${row.meeting_location}`).not.toMatch(/Eva|eva@erase/);
    const participants = await server.database.db
      .selectFrom("interaction_participants")
      .select("address")
      .where("interaction_id", "=", shared.interaction.id)
      .execute();
    expect(participants.map((p) => p.address).sort()).toEqual([
      "anna.berg@fabrikam.example",
      "rita@contoso.example",
    ]);
  });

  it("reads the briefs in a bounded number of statements, however many meetings and contacts", async () => {
    const user = await server.database.db
      .selectFrom("users")
      .select(["id", "org_id", "email"])
      .where("id", "=", ids.rita)
      .executeTakeFirstOrThrow();
    const statementsFor = async (date: string) => {
      let statements = 0;
      const counting: KyselyPlugin = {
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const scope = {
        db: server.database.forOrganization(user.org_id).withPlugin(counting),
        caller: { orgId: user.org_id, userId: user.id, email: user.email },
      };
      const briefs = await meetingBriefs(scope, { timeZone: "UTC", date }, new Date());
      return {
        statements,
        meetings: briefs.meetings.length,
        contacts: briefs.meetings.flatMap((m) => m.contacts).length,
      };
    };
    const date = "2026-12-14";
    const one = async (i: number, attendees: number) => {
      const addresses = Array.from({ length: attendees }, (_, j) => `p${i}-${j}@partner${i}.example`);
      for (const [j, address] of addresses.entries()) {
        const id = await contact(`Partner ${i}-${j}`, [address]);
        await post("/api/v1/deals", { name: `Deal ${i}-${j}`, contactIds: [id] });
        await post("/api/v1/tasks", { title: `Task ${i}-${j}`, dueAt: null, contactId: id });
        await post("/api/v1/notes", {
          kind: "call",
          contactId: id,
          body: "call",
          occurredAt: "2026-12-01T10:00:00.000Z",
        });
      }
      await logMeeting(
        meeting({
          startsAt: `${date}T${String(8 + i).padStart(2, "0")}:00:00.000Z`,
          endsAt: `${date}T${String(8 + i).padStart(2, "0")}:30:00.000Z`,
          attendees: addresses.map((address) => ({ address })),
        }),
      );
    };
    await one(0, 1);
    const small = await statementsFor(date);
    expect([small.meetings, small.contacts]).toEqual([1, 1]);
    for (let i = 1; i <= 4; i++) await one(i, 3);
    const large = await statementsFor(date);
    expect([large.meetings, large.contacts]).toEqual([5, 13]);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(8);
  });
});
