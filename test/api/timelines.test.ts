import {
  Interaction,
  InteractionPage,
  RelationshipGlance,
  TimelinePeople,
} from "../../src/shared/interactions";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(storeKinds)("company and deal timelines, relationship at a glance (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let ritaId: string;
  let seq = 0;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    ritaId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: rita })).body.user
      .id;
  });
  afterAll(() => server.close());

  const created = async <T = { id: string }>(path: string, body: unknown): Promise<T> => {
    const response = await server.request<T>("POST", path, { token: rita, body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const company = (name: string, domain: string) => created("/api/v1/companies", { name, domain });
  const contact = (displayName: string, address: string, companyId?: string) =>
    created<{ id: string }>("/api/v1/contacts", {
      displayName,
      emails: [address],
      ...(companyId ? { companyId } : {}),
    });
  const email = async (from: string, to: string, sentAt: string, dealId: string | null = null) => {
    const response = await server.request<{ interaction: Interaction }>("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: `<timeline-${++seq}@example>`,
        subject: `Mail ${seq}`,
        from: { address: from },
        to: [{ address: to }],
        sentAt,
        dealId,
      },
    });
    expect(response.status).toBe(201);
    return response.body.interaction;
  };
  const note = (contactId: string, occurredAt: string, noteKind = "call") =>
    created<Interaction>("/api/v1/notes", { kind: noteKind, contactId, body: "Talked", occurredAt });
  const page = async (path: string) => {
    const response = await server.request("GET", path, { token: rita });
    expect(response.status).toBe(200);
    return parse(InteractionPage, response);
  };
  const all = async (path: string, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const next: InteractionPage = await page(
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(next.items.length).toBeLessThanOrEqual(limit);
      ids.push(...next.items.map((i) => i.id));
      cursor = next.nextCursor;
    } while (cursor);
    return ids;
  };
  const glance = async (path: string) => {
    const response = await server.request("GET", path, { token: rita });
    expect(response.status).toBe(200);
    return parse(RelationshipGlance, response);
  };

  it("shows a company's people's interactions and those linked to it, filtered by kind and person, paged", async () => {
    const fabrikam = await company("Fabrikam", "fabrikam-tl.example");
    const other = await company("Other", "other-tl.example");
    const anna = await contact("Anna", "anna@fabrikam-tl.example", fabrikam.id);
    const bo = await contact("Bo", "bo@fabrikam-tl.example", fabrikam.id);
    const olle = await contact("Olle", "olle@other-tl.example", other.id);
    const a1 = await email("anna@fabrikam-tl.example", "rita@contoso.example", daysAgo(10));
    const a2 = await note(anna.id, daysAgo(8));
    const b1 = await email("rita@contoso.example", "bo@fabrikam-tl.example", daysAgo(6));
    const both = await email("anna@fabrikam-tl.example", "bo@fabrikam-tl.example", daysAgo(4));
    const o1 = await email("olle@other-tl.example", "rita@contoso.example", daysAgo(3));
    const o2 = await email("olle@other-tl.example", "rita@contoso.example", daysAgo(2));
    // Olle's second mail is about Fabrikam too: linked, it joins Fabrikam's timeline.
    const linked = await server.request("PUT", `/api/v1/interactions/${o2.id}/links`, {
      token: rita,
      body: { companyId: fabrikam.id },
    });
    expect(linked.status).toBe(200);

    const base = `/api/v1/companies/${fabrikam.id}/timeline`;
    const newestFirst = [o2.id, both.id, b1.id, a2.id, a1.id];
    expect(await all(base, 100)).toEqual(newestFirst);
    // Pages of two, and of one, give the same order with nothing twice or missing.
    expect(await all(base, 2)).toEqual(newestFirst);
    expect(await all(base, 1)).toEqual(newestFirst);
    expect(await all(`${base}?kind=email`, 2)).toEqual([o2.id, both.id, b1.id, a1.id]);
    expect(await all(`${base}?kind=call`, 2)).toEqual([a2.id]);
    expect(await all(`${base}?contactId=${bo.id}`, 2)).toEqual([both.id, b1.id]);
    expect(await all(`${base}?contactId=${olle.id}`, 2)).toEqual([o2.id]);
    expect(await all(`${base}?kind=call&contactId=${bo.id}`, 2)).toEqual([]);
    expect(await all(`/api/v1/companies/${other.id}/timeline`, 5)).toEqual([o2.id, o1.id]);
    // A person who moves to another company takes their interactions' place on the timelines with them.
    const moved = await server.request("PATCH", `/api/v1/contacts/${bo.id}`, {
      token: rita,
      body: { companyId: other.id, version: 1 },
    });
    expect(moved.status).toBe(200);
    expect(await all(base, 10)).toEqual([o2.id, both.id, a2.id, a1.id]);

    const unknown = "7b0e3f3c-9d0a-4c38-9a55-2c1d7e1f4b11";
    for (const path of [`/api/v1/companies/${unknown}/timeline`, `/api/v1/deals/${unknown}/timeline`])
      expect((await server.request("GET", path, { token: rita })).status).toBe(404);
    for (const query of ["kind=fax", "contactId=x", "limit=0", "limit=101", "cursor=bogus", "other=1"])
      expect((await server.request("GET", `${base}?${query}`, { token: rita })).status).toBe(400);
    // A company without interactions answers an empty page, not a 404.
    const quiet = await company("Quiet", "quiet-tl.example");
    expect(await page(`/api/v1/companies/${quiet.id}/timeline`)).toEqual({ items: [], nextCursor: null });
  });

  it("shows a deal's interactions: those with it as primary deal and those linked to it", async () => {
    const person = await contact("Dora", "dora@deal-tl.example");
    const dealOf = (name: string) =>
      created<{ id: string }>("/api/v1/deals", { name, contactIds: [person.id] });
    const main = await dealOf("Main");
    const side = await dealOf("Side");
    const first = await email("dora@deal-tl.example", "rita@contoso.example", daysAgo(5), main.id);
    const second = await email("dora@deal-tl.example", "rita@contoso.example", daysAgo(4), side.id);
    const third = await note(person.id, daysAgo(3), "meeting");
    for (const id of [second.id, third.id]) {
      const response = await server.request("PUT", `/api/v1/interactions/${id}/links`, {
        token: rita,
        body: { dealId: main.id },
      });
      expect(response.status).toBe(200);
    }
    expect(await all(`/api/v1/deals/${main.id}/timeline`, 2)).toEqual([third.id, second.id, first.id]);
    expect(await all(`/api/v1/deals/${main.id}/timeline?kind=meeting`, 2)).toEqual([third.id]);
    expect(await all(`/api/v1/deals/${side.id}/timeline`, 2)).toEqual([second.id]);
    const items = (await page(`/api/v1/deals/${main.id}/timeline`)).items;
    expect(items.find((i) => i.id === second.id)?.dealIds).toEqual([side.id, main.id]);
  });

  it("names everyone taking part in a company's or a deal's interactions, for the person filter, and no one else's", async () => {
    const initech = await company("Initech", "initech-tl.example");
    const peter = await contact("Peter", "peter@initech-tl.example", initech.id);
    await contact("Quiet Quinn", "quinn@initech-tl.example", initech.id);
    const samir = await contact("Samir", "samir@outside-tl.example");
    const deal = await created<{ id: string }>("/api/v1/deals", { name: "Initech", contactIds: [peter.id] });
    await email("peter@initech-tl.example", "rita@contoso.example", daysAgo(9), deal.id);
    // Samir writes about Initech from outside: linked to the company, he is one of the people on its timeline.
    const outside = await email("samir@outside-tl.example", "rita@contoso.example", daysAgo(7));
    const linked = await server.request("PUT", `/api/v1/interactions/${outside.id}/links`, {
      token: rita,
      body: { companyId: initech.id },
    });
    expect(linked.status).toBe(200);
    const people = async (path: string, token = rita) => {
      const response = await server.request("GET", path, { token });
      expect(response.status).toBe(200);
      return parse(TimelinePeople, response);
    };
    expect(await people(`/api/v1/companies/${initech.id}/timeline/people`)).toEqual({
      items: [
        { id: peter.id, displayName: "Peter" },
        { id: samir.id, displayName: "Samir" },
      ],
      more: false,
    });
    expect(await people(`/api/v1/deals/${deal.id}/timeline/people`)).toEqual({
      items: [{ id: peter.id, displayName: "Peter" }],
      more: false,
    });
    const quiet = await company("Silent", "silent-tl.example");
    expect(await people(`/api/v1/companies/${quiet.id}/timeline/people`)).toEqual({ items: [], more: false });
    // Another organisation's record is unknown here, like one that does not exist.
    const intruder = await server.token("rep@elsewhere-tl.example");
    const unknown = "7b0e3f3c-9d0a-4c38-9a55-2c1d7e1f4b11";
    for (const [path, token] of [
      [`/api/v1/companies/${initech.id}/timeline/people`, intruder],
      [`/api/v1/deals/${deal.id}/timeline/people`, intruder],
      [`/api/v1/companies/${unknown}/timeline/people`, rita],
      [`/api/v1/deals/${unknown}/timeline/people`, rita],
    ] as const)
      expect((await server.request("GET", path, { token })).status).toBe(404);
    // A malformed id is no record either, as everywhere in the API.
    expect((await server.request("GET", "/api/v1/deals/x/timeline/people", { token: rita })).status).toBe(
      404,
    );
  });

  it("tells a contact's and a company's last contact, last reply, recent counts and rhythm", async () => {
    const acme = await company("Acme", "acme-gl.example");
    const eva = await contact("Eva", "eva@acme-gl.example", acme.id);
    const fred = await contact("Fred", "fred@acme-gl.example", acme.id);
    const empty = await glance(`/api/v1/contacts/${eva.id}/glance`);
    expect(empty).toEqual({
      lastContact: null,
      lastReply: null,
      last30Days: 0,
      last90Days: 0,
      rhythm: { state: "not_enough_history", activeDays: 0, medianGapDays: null, daysSinceLast: null },
    });

    // Eva wrote every 10 days for two months; Rita answered last, 40 days ago: cooling (40 > 2 × 10).
    for (const days of [100, 90, 80, 70, 60, 50])
      await email("eva@acme-gl.example", "rita@contoso.example", daysAgo(days));
    const lastOut = await email("rita@contoso.example", "eva@acme-gl.example", daysAgo(40));
    const cooling = await glance(`/api/v1/contacts/${eva.id}/glance`);
    expect(cooling.lastContact).toMatchObject({
      interactionId: lastOut.id,
      kind: "email",
      direction: "out",
      user: { id: ritaId },
      contact: { id: eva.id, displayName: "Eva" },
    });
    expect(cooling.lastReply).toMatchObject({ direction: "in", contact: { id: eva.id } });
    expect(Date.parse(cooling.lastReply?.at ?? "")).toBeCloseTo(Date.parse(daysAgo(50)), -5);
    expect([cooling.last30Days, cooling.last90Days]).toEqual([0, 5]);
    expect(cooling.rhythm).toEqual({ state: "cooling", activeDays: 7, medianGapDays: 10, daysSinceLast: 40 });

    // Fred's call yesterday makes the company steady while Eva stays cooling.
    await note(fred.id, daysAgo(1));
    await email("fred@acme-gl.example", "rita@contoso.example", daysAgo(0.5));
    const byCompany = await glance(`/api/v1/companies/${acme.id}/glance`);
    expect(byCompany.rhythm.state).toBe("steady");
    expect(byCompany.lastContact?.contact).toEqual({ id: fred.id, displayName: "Fred" });
    expect(byCompany.lastReply?.contact).toEqual({ id: fred.id, displayName: "Fred" });
    expect([byCompany.last30Days, byCompany.last90Days]).toEqual([2, 7]);
    expect((await glance(`/api/v1/contacts/${eva.id}/glance`)).rhythm.state).toBe("cooling");

    // Three days of history is too little to call a rhythm, however long the silence.
    const gus = await contact("Gus", "gus@acme-gl.example");
    for (const days of [200, 190, 180])
      await email("gus@acme-gl.example", "rita@contoso.example", daysAgo(days));
    expect((await glance(`/api/v1/contacts/${gus.id}/glance`)).rhythm).toEqual({
      state: "not_enough_history",
      activeDays: 3,
      medianGapDays: 10,
      daysSinceLast: 180,
    });
    // The year is counted up to the last interaction: older history does not make a rhythm.
    const hal = await contact("Hal", "hal@acme-gl.example");
    for (const days of [800, 790, 780, 20, 18])
      await email("hal@acme-gl.example", "rita@contoso.example", daysAgo(days));
    expect((await glance(`/api/v1/contacts/${hal.id}/glance`)).rhythm).toMatchObject({
      state: "not_enough_history",
      activeDays: 2,
    });
    const unknown = "7b0e3f3c-9d0a-4c38-9a55-2c1d7e1f4b11";
    for (const path of [`/api/v1/contacts/${unknown}/glance`, `/api/v1/companies/${unknown}/glance`])
      expect((await server.request("GET", path, { token: rita })).status).toBe(404);
  });
});
