import { Interaction } from "../../src/shared/interactions";
import { LoggedMeeting, MeetingBriefs } from "../../src/shared/meetings";
import type { SyncConfig } from "../../src/server/config";
import { createCalendarGraph } from "../../src/server/sync/calendar-graph";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, createMailGraph } from "../../src/server/sync/mail-graph";
import { type SyncWorker, createSyncWorker } from "../../src/server/sync/worker";
import { type TestEvent, instantIn } from "../helpers/graph-calendar";
import { GraphTestServer } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { trustingFetch } from "../helpers/trusting-fetch";

const TENANT = "0b5c1e2d-3f4a-4b6c-8d9e-0f1a2b3c4d5e";
const DAY = 86_400_000;
const RITA = "rita@contoso.example";
const SAM = "sam@contoso.example";

/** A date `days` from today (UTC), as YYYY-MM-DD. */
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describe.each(storeKinds)("calendar capture through Microsoft Graph (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let worker: SyncWorker;
  let rita: string;
  let sam: string;
  let ids: { rita: string; sam: string };
  let annaId: string;
  let seq = 0;

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

  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    server = await startTestServer(kind, { sync: syncConfig() });
    rita = await server.token(RITA);
    sam = await server.token(SAM);
    const me = async (token: string) =>
      (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
    ids = { rita: await me(rita), sam: await me(sam) };
    const g = syncConfig().graph;
    if (!g) throw new Error("unreachable");
    const tokens = clientCredentialTokens(g);
    worker = createSyncWorker({
      database: server.database,
      graph: createMailGraph({ graphUrl: g.graphUrl, tokens }),
      // Small pages: a calendar's first round comes in several.
      calendar: createCalendarGraph({ graphUrl: g.graphUrl, tokens, pageSize: 3 }),
      config: { ...syncConfig(), tenantId: g.tenantId },
    });
    for (const [name, emails] of [
      ["Anna Berg", ["anna.berg@fabrikam.example"]],
      ["Bo Ek", ["bo@northwind.example"]],
      ["Olle Blocked", ["olle@blocked.example"]],
    ] as const) {
      const response = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
        token: rita,
        body: { displayName: name, emails },
      });
      expect(response.status).toBe(201);
      if (name === "Anna Berg") annaId = response.body.id;
    }
    const blocked = await server.request("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "organization", entry: "@blocked.example" },
    });
    expect(blocked.status).toBe(201);
    for (const [user, id] of [
      [RITA, ids.rita],
      [SAM, ids.sam],
    ] as const) {
      graph.addMailbox(TENANT, user);
      const enabled = await server.request("PATCH", `/api/v1/mailboxes/${id}`, {
        token: rita,
        body: { enabled: true },
      });
      expect(enabled.status).toBe(200);
    }
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await worker.stop();
    await server.close();
    await graph.close();
  });

  // Every mailbox may run again at once: the tests stand in for the minute between runs.
  const run = async () => {
    await server.database.db.updateTable("mailboxes").set({ retry_at: null }).execute();
    const report = await worker.runOnce();
    expect(report.failed).toBe(0);
    return report;
  };
  const event = (overrides: Partial<TestEvent> = {}): TestEvent => ({
    iCalUId: `040000008200E00074C5B7101A82E008-${kind}-${++seq}`,
    subject: "Quarterly review",
    bodyPreview: "Agenda: the Q1 numbers.",
    start: { dateTime: `${dateIn(2)}T09:00:00.0000000`, timeZone: "UTC" },
    end: { dateTime: `${dateIn(2)}T10:00:00.0000000`, timeZone: "UTC" },
    organizer: { address: RITA, name: "Rita Rep" },
    attendees: [
      { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
      { address: "carl@contoso.example", name: "Carl Colleague", type: "optional" },
      { address: "room4@contoso.example", name: "Room 4", type: "resource" },
    ],
    location: "Room 4",
    ...overrides,
  });
  const meetingsWith = async (iCalUId: string) =>
    server.database.db
      .selectFrom("interactions")
      .selectAll()
      .where("meeting_ical_uid", "=", iCalUId)
      .execute();
  const readMeeting = async (id: string) => {
    const response = await server.request("GET", `/api/v1/notes/${id}`, { token: rita });
    expect(response.status).toBe(200);
    return parse(Interaction, response);
  };
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

  it("logs a meeting with an external contact: subject, start and end across time zones, place, online link, attendees", async () => {
    const plain = event({ joinUrl: "https://teams.microsoft.com/l/meetup-join/19%3ameeting" });
    // 18:00 in Tokyo (no summer time) is 09:00 UTC; 10:00 in Berlin by Windows' zone name, whatever the season.
    const tokyo = event({
      subject: "Tokyo call",
      start: { dateTime: `${dateIn(3)}T18:00:00.0000000`, timeZone: "Asia/Tokyo" },
      end: { dateTime: `${dateIn(3)}T18:30:00.0000000`, timeZone: "Tokyo Standard Time" },
    });
    const berlin = event({
      subject: "Berlin visit",
      start: { dateTime: `${dateIn(-3)}T10:00:00.0000000`, timeZone: "W. Europe Standard Time" },
      end: { dateTime: `${dateIn(-3)}T11:30:00.0000000`, timeZone: "W. Europe Standard Time" },
    });
    for (const e of [plain, tokyo, berlin]) graph.calendar.add(TENANT, RITA, e);

    const report = await run();
    expect(report.calendar?.logged).toBe(3);
    // The window was asked once, with times in UTC, and came in pages of three with a delta link at the end.
    const first = graph.calendar.requests.filter((r) => r.user === RITA);
    expect(first[0]).toMatchObject({ kind: "initial", status: 200, timeZone: "UTC" });

    const [stored] = await meetingsWith(plain.iCalUId ?? "");
    expect(stored).toBeDefined();
    const interaction = await readMeeting(stored?.id ?? "");
    expect(interaction).toMatchObject({
      kind: "meeting",
      direction: "out",
      source: "auto",
      subject: "Quarterly review",
      body: "Agenda: the Q1 numbers.",
      occurredAt: `${dateIn(2)}T09:00:00.000Z`,
      loggedBy: [ids.rita],
    });
    expect(interaction.meeting).toEqual({
      startsAt: `${dateIn(2)}T09:00:00.000Z`,
      endsAt: `${dateIn(2)}T10:00:00.000Z`,
      location: "Room 4",
      onlineUrl: "https://teams.microsoft.com/l/meetup-join/19%3ameeting",
      iCalUId: plain.iCalUId,
      cancelled: false,
      outcome: null,
    });
    // The room is not a participant; Anna is linked.
    expect(interaction.participants).toEqual([
      { address: RITA, name: "Rita Rep", contactId: null, role: "from" },
      { address: "anna.berg@fabrikam.example", name: "Anna Berg", contactId: annaId, role: "with" },
      { address: "carl@contoso.example", name: "Carl Colleague", contactId: null, role: "with" },
    ]);

    const [inTokyo] = await meetingsWith(tokyo.iCalUId ?? "");
    expect([inTokyo?.occurred_at.toISOString(), inTokyo?.meeting_ends_at?.toISOString()]).toEqual([
      `${dateIn(3)}T09:00:00.000Z`,
      `${dateIn(3)}T09:30:00.000Z`,
    ]);
    const [inBerlin] = await meetingsWith(berlin.iCalUId ?? "");
    expect(inBerlin?.occurred_at.getTime()).toBe(instantIn(berlin.start));
    expect(inBerlin?.meeting_ends_at?.getTime()).toBe(instantIn(berlin.end));
    expect([1, 2]).toContain((Date.parse(`${dateIn(-3)}T10:00:00Z`) - instantIn(berlin.start)) / 3_600_000);
  });

  it("never logs internal-only, private, blocklisted or contact-less meetings", async () => {
    const skipped = {
      internal: event({ attendees: [{ address: "carl@contoso.example" }] }),
      private: event({ sensitivity: "private" }),
      confidential: event({ sensitivity: "confidential" }),
      blocked: event({
        attendees: [{ address: "anna.berg@fabrikam.example" }, { address: "olle@blocked.example" }],
      }),
      stranger: event({ attendees: [{ address: "someone@unknown.example" }] }),
    };
    for (const e of Object.values(skipped)) graph.calendar.add(TENANT, RITA, e);
    const report = await run();
    expect(report.calendar?.skipped).toMatchObject({
      internal_only: 1,
      private: 2,
      blocked_participant: 1,
      no_contact: 1,
    });
    for (const e of Object.values(skipped)) expect(await meetingsWith(e.iCalUId ?? "")).toEqual([]);
    const olle = await server.database.db
      .selectFrom("interaction_participants")
      .select("id")
      .where("address", "=", "olle@blocked.example")
      .execute();
    expect(olle).toEqual([]);
  });

  it("updates a moved event's meeting, marks a cancelled or deleted one, and never makes a second one", async () => {
    const moved = event({ subject: "To be moved" });
    const cancelled = event({ subject: "To be cancelled" });
    const deleted = event({ subject: "To be deleted" });
    const outOfWindow = event({ subject: "Moved far ahead" });
    const eventIds = [moved, cancelled, deleted, outOfWindow].map((e) => graph.calendar.add(TENANT, RITA, e));
    await run();
    const idOf = async (e: TestEvent) => (await meetingsWith(e.iCalUId ?? ""))[0]?.id ?? "";
    const before = await Promise.all([moved, cancelled, deleted, outOfWindow].map(idOf));
    expect(before.every((id) => id.length > 0)).toBe(true);
    const count = async () =>
      Number(
        (
          await server.database.db
            .selectFrom("interactions")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("kind", "=", "meeting")
            .executeTakeFirstOrThrow()
        ).n,
      );
    const meetings = await count();

    const [movedId, cancelledId, deletedId, farId] = eventIds as [string, string, string, string];
    graph.calendar.change(movedId, {
      subject: "Moved",
      start: { dateTime: `${dateIn(4)}T13:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(4)}T14:00:00.0000000`, timeZone: "UTC" },
      location: "Fabrikam HQ",
      attendees: [
        { address: "anna.berg@fabrikam.example" },
        { address: "bo@northwind.example", name: "Bo Ek" },
      ],
    });
    graph.calendar.change(cancelledId, { isCancelled: true });
    graph.calendar.remove(deletedId);
    // Beyond the window: calendarView's delta says "removed", but the event is there.
    graph.calendar.change(farId, {
      start: { dateTime: `${dateIn(40)}T09:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(40)}T10:00:00.0000000`, timeZone: "UTC" },
    });
    const report = await run();
    expect(report.calendar?.logged).toBe(0);
    expect(await count()).toBe(meetings);
    // The two removals were each asked about: the deleted one is gone (404), the one moved ahead is there.
    expect(
      graph.calendar.requests
        .filter((r) => r.kind === "event")
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 404]);

    const [movedNow] = await meetingsWith(moved.iCalUId ?? "");
    expect(movedNow).toMatchObject({
      id: before[0],
      subject: "Moved",
      meeting_location: "Fabrikam HQ",
      meeting_cancelled: false,
    });
    expect(movedNow?.occurred_at.toISOString()).toBe(`${dateIn(4)}T13:00:00.000Z`);
    const moved2 = await readMeeting(before[0] ?? "");
    expect(moved2.participants.map((p) => [p.address, p.contactId !== null])).toEqual([
      [RITA, false],
      ["anna.berg@fabrikam.example", true],
      ["bo@northwind.example", true],
    ]);
    // Bo's timeline has it, at its new time.
    const participantTimes = await server.database.db
      .selectFrom("interaction_participants")
      .select("occurred_at")
      .where("interaction_id", "=", before[0] ?? "")
      .execute();
    expect(participantTimes.every((p) => p.occurred_at.toISOString() === `${dateIn(4)}T13:00:00.000Z`)).toBe(
      true,
    );

    expect((await readMeeting(before[1] ?? "")).meeting?.cancelled).toBe(true);
    expect((await readMeeting(before[2] ?? "")).meeting?.cancelled).toBe(true);
    const far = await readMeeting(before[3] ?? "");
    expect([far.meeting?.cancelled, far.meeting?.startsAt]).toEqual([false, `${dateIn(40)}T09:00:00.000Z`]);

    // Nothing changed since: the next run reads an empty delta and changes nothing.
    const quiet = await run();
    expect([quiet.calendar?.events, quiet.calendar?.logged, await count()]).toEqual([0, 0, meetings]);
  });

  it("logs each occurrence of a recurring series as its own meeting", async () => {
    const weekly = event({ subject: "Weekly sync", iCalUId: `weekly-${kind}` });
    const occurrences = graph.calendar.addSeries(TENANT, RITA, weekly, 3, 7);
    expect(occurrences).toHaveLength(3);
    await run();
    const rows = await server.database.db
      .selectFrom("interactions")
      .select(["occurred_at", "meeting_ical_uid"])
      .where("subject", "=", "Weekly sync")
      .orderBy("occurred_at")
      .execute();
    expect(rows.map((r) => r.occurred_at.toISOString())).toEqual(
      [`${dateIn(2)}T09:00:00.000Z`, `${dateIn(9)}T09:00:00.000Z`, `${dateIn(16)}T09:00:00.000Z`].filter(
        (t) => Date.parse(t) < Date.now() + 14 * DAY,
      ),
    );
    expect(new Set(rows.map((r) => r.meeting_ical_uid)).size).toBe(rows.length);
  });

  it("makes one meeting of the same meeting in two colleagues' calendars and the pane's log", async () => {
    const shared = event({
      subject: "Shared",
      organizer: { address: "anna.berg@fabrikam.example", name: "Anna" },
      attendees: [{ address: RITA }, { address: SAM }],
    });
    const logged = await server.request("POST", "/api/v1/meetings", {
      token: rita,
      body: {
        iCalUId: shared.iCalUId,
        subject: "Shared",
        startsAt: `${dateIn(2)}T09:00:00.000Z`,
        endsAt: `${dateIn(2)}T10:00:00.000Z`,
        organizer: { address: "anna.berg@fabrikam.example" },
        attendees: [{ address: RITA }, { address: SAM }],
        notes: "Rita's own notes",
        outcome: "held",
      },
    });
    expect(logged.status).toBe(200);
    const fromPane = parse(LoggedMeeting, logged);
    graph.calendar.add(TENANT, RITA, shared);
    graph.calendar.add(TENANT, SAM, shared);
    await run();
    const rows = await meetingsWith(shared.iCalUId ?? "");
    expect(rows.map((r) => r.id)).toEqual([fromPane.interaction.id]);
    expect(await loggersOf(fromPane.interaction.id)).toEqual([ids.rita, ids.sam].sort());
    // The capture never overwrites the rep's notes or outcome, and the meeting is inbound: Anna organised it.
    const read = await readMeeting(fromPane.interaction.id);
    expect([read.body, read.meeting?.outcome, read.direction]).toEqual(["Rita's own notes", "held", "in"]);

    // Today's briefs of that day show it to both, from their own calendars.
    for (const token of [rita, sam]) {
      const briefs = parse(
        MeetingBriefs,
        await server.request("GET", `/api/v1/meetings/today?date=${dateIn(2)}`, { token }),
      );
      expect(briefs.meetings.map((m) => m.interactionId)).toContain(fromPane.interaction.id);
    }
  });

  it("never lets an invitation reusing a meeting's iCalUId from another organiser rewrite it", async () => {
    const original = event({
      subject: "Roadmap",
      start: { dateTime: `${dateIn(3)}T09:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(3)}T10:00:00.0000000`, timeZone: "UTC" },
    });
    graph.calendar.add(TENANT, RITA, original);
    await run();
    const [kept] = await meetingsWith(original.iCalUId ?? "");
    if (!kept) throw new Error("the original meeting was not captured");
    const participantsOf = async (id: string) =>
      (
        await server.database.db
          .selectFrom("interaction_participants")
          .select("address")
          .where("interaction_id", "=", id)
          .orderBy("position")
          .execute()
      ).map((p) => p.address);
    const participantsBefore = await participantsOf(kept.id);

    // A stranger who learnt the UID sends Sam an invitation carrying it: another time, link, place, attendees.
    const forged = event({
      iCalUId: original.iCalUId,
      subject: "Forged",
      start: { dateTime: `${dateIn(3)}T15:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(3)}T16:00:00.0000000`, timeZone: "UTC" },
      organizer: { address: "Eve@Evil.example", name: "Eve" },
      attendees: [{ address: SAM }, { address: "anna.berg@fabrikam.example" }],
      location: "Elsewhere",
      joinUrl: "https://evil.example/join",
    });
    const forgedId = graph.calendar.add(TENANT, SAM, forged);
    await run();
    graph.calendar.change(forgedId, { isCancelled: true });
    await run();

    const rows = await meetingsWith(original.iCalUId ?? "");
    expect(rows).toHaveLength(2);
    const after = rows.find((r) => r.id === kept.id);
    expect(after).toMatchObject({
      subject: "Roadmap",
      meeting_location: "Room 4",
      meeting_online_url: null,
      meeting_cancelled: false,
      meeting_organizer: RITA,
      version: kept.version,
    });
    expect(after?.occurred_at.toISOString()).toBe(`${dateIn(3)}T09:00:00.000Z`);
    expect(await participantsOf(kept.id)).toEqual(participantsBefore);
    expect(await loggersOf(kept.id)).toEqual([ids.rita]);
    // The stranger's invitation is a meeting of its own, in Sam's calendar.
    expect(rows.find((r) => r.id !== kept.id)).toMatchObject({
      subject: "Forged",
      meeting_organizer: "eve@evil.example",
      meeting_cancelled: true,
    });
  });

  it("completes a captured meeting with the pane's log (no iCalUId there): one meeting, the rep's notes and deal, kept by the capture", async () => {
    const dora = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Dora Dahl", emails: ["dora@woodgrove.example"] },
    });
    expect(dora.status).toBe(201);
    const captured = event({
      subject: "Captured first",
      start: { dateTime: `${dateIn(3)}T11:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(3)}T12:00:00.0000000`, timeZone: "UTC" },
      attendees: [{ address: "dora@woodgrove.example", name: "Dora Dahl" }],
    });
    const eventId = graph.calendar.add(TENANT, RITA, captured);
    await run();
    const [row] = await meetingsWith(captured.iCalUId ?? "");
    if (!row) throw new Error("the meeting was not captured");
    const deal = await server.request<{ id: string }>("POST", "/api/v1/deals", {
      token: rita,
      body: { name: "Woodgrove pilot", amount: 800, contactIds: [dora.body.id] },
    });
    expect(deal.status).toBe(201);

    // Outlook's pane: no iCalUId, the organiser as Office.js writes it.
    const logged = await server.request("POST", "/api/v1/meetings", {
      token: rita,
      body: {
        subject: "Captured first",
        startsAt: `${dateIn(3)}T11:00:00.000Z`,
        endsAt: `${dateIn(3)}T12:00:00.000Z`,
        organizer: { address: "Rita@Contoso.Example" },
        attendees: [{ address: "dora@woodgrove.example" }],
        notes: "Dora signs next week.",
        outcome: "held",
        dealId: deal.body.id,
      },
    });
    expect(logged.status).toBe(200);
    const fromPane = parse(LoggedMeeting, logged);
    expect(fromPane.created).toBe(false);
    expect(fromPane.interaction.id).toBe(row.id);
    expect(fromPane.meeting.iCalUId).toBe(captured.iCalUId);
    expect([fromPane.interaction.body, fromPane.interaction.dealId]).toEqual([
      "Dora signs next week.",
      deal.body.id,
    ]);
    expect(await meetingsWith(captured.iCalUId ?? "")).toHaveLength(1);

    // The calendar brings the meeting as it now is; the rep's notes and deal stay.
    graph.calendar.change(eventId, { location: "Woodgrove office" });
    await run();
    const read = await readMeeting(row.id);
    expect([read.body, read.dealId, read.meeting?.location, read.meeting?.outcome]).toEqual([
      "Dora signs next week.",
      deal.body.id,
      "Woodgrove office",
      "held",
    ]);
  });

  it("keeps what the organisation chose of automatic logs: metadata only stores no subject, place or text", async () => {
    const policy = await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { autoLoggedContent: "metadata" },
    });
    expect(policy.status).toBe(200);
    const secret = event({
      subject: "Merger talks",
      bodyPreview: "Numbers",
      location: "Secret room",
      start: { dateTime: `${dateIn(5)}T09:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(5)}T10:00:00.0000000`, timeZone: "UTC" },
    });
    graph.calendar.add(TENANT, RITA, secret);
    await run();
    expect(await meetingsWith(secret.iCalUId ?? "")).toEqual([
      expect.objectContaining({ subject: "", body: null, meeting_location: null }),
    ]);
    // Today's briefs show no subject (null, never ""), so the UI's own title shows.
    const briefs = parse(
      MeetingBriefs,
      await server.request("GET", `/api/v1/meetings/today?date=${dateIn(5)}`, { token: rita }),
    );
    const [captured] = await meetingsWith(secret.iCalUId ?? "");
    expect(briefs.meetings.find((m) => m.interactionId === captured?.id)?.subject).toBeNull();
    // The pane's log of it (with its subject, never an iCalUId) finds it by organiser and start: no second copy.
    const fromPane = await server.request("POST", "/api/v1/meetings", {
      token: rita,
      body: {
        subject: "Merger talks",
        startsAt: `${dateIn(5)}T09:00:00.000Z`,
        endsAt: `${dateIn(5)}T10:00:00.000Z`,
        organizer: { address: RITA },
        attendees: [{ address: "anna.berg@fabrikam.example" }],
        notes: "Rita's notes",
      },
    });
    expect(fromPane.status).toBe(200);
    expect([parse(LoggedMeeting, fromPane).interaction.id, parse(LoggedMeeting, fromPane).created]).toEqual([
      captured?.id,
      false,
    ]);
    await server.request("PATCH", "/api/v1/organization/logging-policy", {
      token: rita,
      body: { autoLoggedContent: "excerpt" },
    });
  });

  /** The daily re-read of the whole window, as when the saved link's window has moved on. */
  const readWindowAgain = async () => {
    await server.database.db
      .updateTable("calendar_sync")
      .set({ link: null, link_kind: null })
      .where("user_id", "=", ids.rita)
      .execute();
    return run();
  };
  const participantsOf = async (interactionId: string) =>
    (
      await server.database.db
        .selectFrom("interaction_participants")
        .select("address")
        .where("interaction_id", "=", interactionId)
        .orderBy("position")
        .execute()
    ).map((p) => p.address);

  it("never records an erased person again: not on the meetings the window is read again for, nor on a new one", async () => {
    const ERIN = "erin.ek@fabrikam.example";
    const erin = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Erin Ek", emails: [ERIN] },
    });
    expect(erin.status).toBe(201);
    const anna = { address: "anna.berg@fabrikam.example", name: "Anna Berg" };
    const shared = event({
      subject: "Pricing with Erin Ek",
      location: "Erin Ek's office",
      attendees: [anna, { address: ERIN, name: "Erin Ek" }],
    });
    const hers = event({
      subject: "Erin Ek's demo",
      organizer: { address: ERIN, name: "Erin Ek" },
      attendees: [anna, { address: RITA, name: "Rita Rep" }],
      joinUrl: "https://teams.microsoft.com/l/meetup-join/erin-ek",
      start: { dateTime: `${dateIn(-2)}T13:00:00.0000000`, timeZone: "UTC" },
      end: { dateTime: `${dateIn(-2)}T14:00:00.0000000`, timeZone: "UTC" },
    });
    for (const e of [shared, hers]) graph.calendar.add(TENANT, RITA, e);
    // And an email from her to Rita and Anna, which the mailbox sync logs.
    const internetMessageId = `<erin-${kind}@fabrikam.example>`;
    graph.add(TENANT, RITA, "inbox", {
      internetMessageId,
      subject: "Prices",
      from: { address: ERIN, name: "Erin Ek" },
      to: [{ address: RITA }, { address: anna.address }],
      receivedDateTime: new Date(Date.now() - DAY).toISOString(),
    });
    await run();
    const mailRow = await server.database.db
      .selectFrom("interactions")
      .select("id")
      .where("internet_message_id", "=", internetMessageId)
      .executeTakeFirstOrThrow();
    expect(await participantsOf(mailRow.id)).toContain(ERIN);
    const [sharedRow] = await meetingsWith(shared.iCalUId ?? "");
    const [hersRow] = await meetingsWith(hers.iCalUId ?? "");
    if (!sharedRow || !hersRow) throw new Error("the meetings were not captured");
    expect(await participantsOf(sharedRow.id)).toContain(ERIN);

    const erased = await server.request("POST", `/api/v1/contacts/${erin.body.id}/erase`, { token: rita });
    expect(erased.status).toBe(200);
    const afterErasure = async () =>
      server.database.db
        .selectFrom("interactions")
        .select([
          "id",
          "subject",
          "body",
          "meeting_location",
          "meeting_organizer",
          "meeting_online_url",
          "version",
        ])
        .where("id", "in", [sharedRow.id, hersRow.id])
        .orderBy("occurred_at")
        .execute();
    const scrubbed = await afterErasure();
    expect(scrubbed).toEqual([
      expect.objectContaining({
        id: hersRow.id,
        subject: "[erased]'s demo",
        meeting_organizer: null,
        meeting_online_url: null,
      }),
      expect.objectContaining({
        id: sharedRow.id,
        subject: "Pricing with [erased]",
        meeting_location: "[erased]'s office",
      }),
    ]);
    // Only digests are kept, never the address.
    const kept = await server.database.db.selectFrom("erased_addresses").select("digest").execute();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.some((k) => k.digest.toString("utf8").includes(ERIN))).toBe(false);

    // The next day the window is read again: the meetings are found as the erasure left them, and left so.
    const again = await readWindowAgain();
    expect(again.calendar?.logged).toBe(0);
    expect(await afterErasure()).toEqual(scrubbed);
    expect(await meetingsWith(hers.iCalUId ?? "")).toHaveLength(1);
    for (const id of [sharedRow.id, hersRow.id]) expect(await participantsOf(id)).not.toContain(ERIN);
    // The mailbox read again from the start of its backfill: the email Anna shares is joined by its message id,
    // and Erin's entry is not added back.
    await server.database.db
      .updateTable("mailbox_sync")
      .set({ link: null, link_kind: null })
      .where("user_id", "=", ids.rita)
      .execute();
    await run();
    expect(await participantsOf(mailRow.id)).toEqual([RITA, anna.address]);

    // A new meeting with her and Anna is Anna's: logged without her.
    const later = event({
      subject: "Follow-up with Erin Ek",
      bodyPreview: "Erin Ek asked for the price list.",
      attendees: [anna, { address: ERIN, name: "Erin Ek" }],
    });
    graph.calendar.add(TENANT, RITA, later);
    expect((await run()).calendar?.logged).toBe(1);
    const [laterRow] = await meetingsWith(later.iCalUId ?? "");
    expect([laterRow?.subject, laterRow?.body]).toEqual(["Follow-up with [erased]", null]);
    expect(await participantsOf(laterRow?.id ?? "")).toEqual([RITA, anna.address]);
    const anywhere = await server.database.db
      .selectFrom("interaction_participants")
      .select("id")
      .where("address", "=", ERIN)
      .execute();
    expect(anywhere).toEqual([]);

    // What a rep logs by hand is theirs: the pane's log of a meeting with her records her.
    const byHand = await server.request("POST", "/api/v1/meetings", {
      token: rita,
      body: {
        subject: "Coffee",
        startsAt: `${dateIn(1)}T08:00:00.000Z`,
        endsAt: `${dateIn(1)}T08:30:00.000Z`,
        organizer: { address: RITA },
        attendees: [anna, { address: ERIN }],
      },
    });
    expect([byHand.status, parse(LoggedMeeting, byHand).created]).toEqual([200, true]);
    expect(await participantsOf(parse(LoggedMeeting, byHand).interaction.id)).toContain(ERIN);

    // She comes back as a contact (a rep adds her again): the capture records her like any contact once more.
    const back = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Erin Ek", emails: [ERIN] },
    });
    expect(back.status).toBe(201);
    const isBack = event({ subject: "Erin Ek is back", attendees: [{ address: ERIN, name: "Erin Ek" }] });
    graph.calendar.add(TENANT, RITA, isBack);
    expect((await run()).calendar?.logged).toBe(1);
    const [backRow] = await meetingsWith(isBack.iCalUId ?? "");
    expect(backRow?.subject).toBe("Erin Ek is back");
    expect(await participantsOf(backRow?.id ?? "")).toContain(ERIN);
  });

  it("takes back a captured meeting whose event became private, internal-only or blocklisted: deleted when nobody worked on it, kept without what the capture brought when a rep did", async () => {
    const anna = { address: "anna.berg@fabrikam.example", name: "Anna Berg" };
    const ulla = { address: "ulla@later-blocked.example", name: "Ulla Later" };
    const becomes = {
      private: event({ subject: "Becomes private" }),
      internal: event({ subject: "Becomes internal" }),
      blocked: event({ subject: "Gets a blocked attendee", attendees: [anna, ulla] }),
      workedPrivate: event({
        subject: "Worked on, then confidential",
        start: { dateTime: `${dateIn(-4)}T15:00:00.0000000`, timeZone: "UTC" },
        end: { dateTime: `${dateIn(-4)}T16:00:00.0000000`, timeZone: "UTC" },
        location: "Fabrikam HQ",
        joinUrl: "https://teams.microsoft.com/l/meetup-join/worked",
        attendees: [anna],
      }),
      workedBlocked: event({
        subject: "Worked on, then blocked",
        start: { dateTime: `${dateIn(-5)}T15:00:00.0000000`, timeZone: "UTC" },
        end: { dateTime: `${dateIn(-5)}T16:00:00.0000000`, timeZone: "UTC" },
        attendees: [anna, ulla],
      }),
    };
    const eventIds = Object.fromEntries(
      Object.entries(becomes).map(([name, e]) => [name, graph.calendar.add(TENANT, RITA, e)]),
    ) as Record<keyof typeof becomes, string>;
    await run();
    const idOf = async (e: TestEvent) => (await meetingsWith(e.iCalUId ?? ""))[0]?.id ?? "";
    const rows = Object.fromEntries(
      await Promise.all(Object.entries(becomes).map(async ([name, e]) => [name, await idOf(e)] as const)),
    ) as Record<keyof typeof becomes, string>;
    expect(Object.values(rows).every((id) => id.length > 0)).toBe(true);
    // The rep logs two of them from the pane, with notes.
    for (const [e, notes] of [
      [becomes.workedPrivate, "Anna wants the pilot in May."],
      [becomes.workedBlocked, "Olle will join next time."],
    ] as const) {
      const logged = await server.request("POST", "/api/v1/meetings", {
        token: rita,
        body: {
          subject: e.subject,
          startsAt: new Date(instantIn(e.start)).toISOString(),
          endsAt: new Date(instantIn(e.end)).toISOString(),
          organizer: { address: RITA },
          attendees: [{ address: anna.address }],
          notes,
        },
      });
      expect([logged.status, parse(LoggedMeeting, logged).created]).toEqual([200, false]);
    }

    graph.calendar.change(eventIds.private, { sensitivity: "private" });
    graph.calendar.change(eventIds.internal, { attendees: [{ address: "carl@contoso.example" }] });
    graph.calendar.change(eventIds.workedPrivate, { sensitivity: "confidential" });
    // Ulla was on two meetings from the start; the organisation blocks her domain since.
    expect(await participantsOf(rows.workedBlocked)).toContain(ulla.address);
    const blocking = await server.request("POST", "/api/v1/blocklist", {
      token: rita,
      body: { scope: "organization", entry: "@later-blocked.example" },
    });
    expect(blocking.status).toBe(201);
    const report = await readWindowAgain();
    expect(report.calendar?.withdrawn).toBe(5);
    for (const name of ["private", "internal", "blocked"] as const)
      expect(await meetingsWith(becomes[name].iCalUId ?? "")).toEqual([]);

    const worked = await readMeeting(rows.workedPrivate);
    expect([worked.subject, worked.body, worked.meeting?.location, worked.meeting?.onlineUrl]).toEqual([
      "",
      "Anna wants the pilot in May.",
      null,
      null,
    ]);
    expect(worked.participants.map((p) => p.address)).toEqual([RITA, anna.address]);
    const blocked = await readMeeting(rows.workedBlocked);
    expect(blocked.body).toBe("Olle will join next time.");
    expect(blocked.participants.map((p) => p.address)).toEqual([RITA, anna.address]);
    const withdrawn = await server.database.db
      .selectFrom("audit_events")
      .select("entity_id")
      .where("action", "=", "meeting.withdrawn")
      .where("entity_id", "in", Object.values(rows))
      .execute();
    expect(withdrawn).toHaveLength(5);

    // Read again, still refused: nothing more changes, and nothing comes back.
    const version = worked.version;
    const again = await readWindowAgain();
    expect([again.calendar?.logged, again.calendar?.withdrawn]).toEqual([0, 0]);
    expect((await readMeeting(rows.workedPrivate)).version).toBe(version);
    for (const name of ["private", "internal", "blocked"] as const)
      expect(await meetingsWith(becomes[name].iCalUId ?? "")).toEqual([]);
  });

  it("keeps a colleague's captured meeting when an attendee marks only their own copy private", async () => {
    const shared = event({
      subject: "Pricing review",
      attendees: [
        { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
        { address: SAM, name: "Sam" },
      ],
    });
    graph.calendar.add(TENANT, RITA, shared);
    await run();
    const [before] = await meetingsWith(shared.iCalUId ?? "");
    expect(before?.subject).toBe("Pricing review");
    // Sam marks his copy of Rita's meeting private: his calendar keeps it out, Rita's meeting stays as it was.
    graph.calendar.add(TENANT, SAM, { ...shared, sensitivity: "private" });
    const report = await run();
    expect(report.calendar?.withdrawn).toBe(0);
    const after = await meetingsWith(shared.iCalUId ?? "");
    expect(after.map((r) => [r.id, r.subject])).toEqual([[before?.id, "Pricing review"]]);
  });

  it("reads a new window after a 410, and goes on logging mail when the credentials lack Calendars.Read", async () => {
    graph.calendar.expireDeltaTokens();
    const after410 = event({ subject: "After 410" });
    graph.calendar.add(TENANT, RITA, after410);
    await run();
    expect(await meetingsWith(after410.iCalUId ?? "")).toHaveLength(1);
    const restarts = await server.database.db
      .selectFrom("calendar_sync")
      .select("restarts")
      .where("user_id", "=", ids.rita)
      .executeTakeFirstOrThrow();
    expect(restarts.restarts).toBeGreaterThanOrEqual(1);

    graph.calendar.faults.push({ status: 403 }, { status: 403 });
    const internetMessageId = `<cal-${kind}-${Date.now()}@fabrikam.example>`;
    graph.add(TENANT, RITA, "inbox", {
      internetMessageId,
      subject: "Mail still comes",
      from: { address: "anna.berg@fabrikam.example" },
      to: [{ address: RITA }],
      receivedDateTime: new Date().toISOString(),
    });
    await run();
    const mail = await server.database.db
      .selectFrom("interactions")
      .select("id")
      .where("internet_message_id", "=", internetMessageId)
      .execute();
    expect(mail).toHaveLength(1);
    const status = await server.database.db
      .selectFrom("mailboxes")
      .select("status")
      .where("user_id", "=", ids.rita)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("ok");
  });
});
