import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { LookupResponse, Timeline, timelineItemId } from "../../src/shared/people";
import { type TestServer, lookupPeople, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("looking people up (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let annaId: string;
  let fabrikamId: string;
  const loggedIds: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    const company = await server.request<{ id: string }>("POST", "/api/v1/companies", {
      token: rita,
      body: { name: "Fabrikam", domain: "https://www.Fabrikam.example/about" },
    });
    fabrikamId = company.body.id;
    const anna = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: {
        displayName: "Anna Berg",
        emails: ["Anna.Berg@Fabrikam.example", "anna@private.example"],
        title: "CFO",
        phone: "+46 70 123 45 67",
        companyId: fabrikamId,
      },
    });
    annaId = anna.body.id;
    const deal = await server.request<{ id: string }>("POST", "/api/v1/deals", {
      token: rita,
      body: {
        name: "Fabrikam renewal",
        amount: 12000,
        currency: "eur",
        contactIds: [annaId],
        companyId: fabrikamId,
      },
    });
    expect(deal.status).toBe(201);
    await server.request("POST", "/api/v1/tasks", {
      token: rita,
      body: { title: "Send the contract", dueAt: "2026-12-01T09:00:00Z", contactId: annaId },
    });
    const done = await server.request<{ id: string; version: number }>("POST", "/api/v1/tasks", {
      token: rita,
      body: { title: "Done already", dueAt: null, contactId: annaId },
    });
    await server.request("PATCH", `/api/v1/tasks/${done.body.id}`, {
      token: rita,
      body: { done: true, version: done.body.version },
    });
    for (let i = 0; i < 25; i++) {
      const sentAt = new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString();
      const logged = await server.request<{ interaction: { id: string } }>("POST", "/api/v1/emails", {
        token: rita,
        body: {
          internetMessageId: `<lookup-${i}@fabrikam.example>`,
          subject: `Mail ${i}`,
          from: { address: "anna.berg@fabrikam.example" },
          to: [{ address: "rita@contoso.example" }],
          sentAt,
        },
      });
      loggedIds.push(logged.body.interaction.id);
    }
  });
  afterAll(() => server.close());

  const lookup = (...emails: string[]) => lookupPeople(server, rita, emails);

  it("shows a known sender with company, open deals with their stage, open tasks and the last 20 interactions", async () => {
    const [result] = await lookup("ANNA.BERG@fabrikam.example");
    const contact = result?.contact;
    expect(result?.suggestion).toBeNull();
    expect(contact?.id).toBe(annaId);
    expect(contact?.emails).toEqual(["anna.berg@fabrikam.example", "anna@private.example"]);
    expect(contact?.phones).toEqual(["+46 70 123 45 67"]);
    expect(contact?.company).toMatchObject({ id: fabrikamId, name: "Fabrikam", domain: "fabrikam.example" });
    // Whoever adds a contact owns it unless they say otherwise; the profile names them.
    expect(contact?.owner).toEqual({
      id: contact?.ownerId,
      displayName: null,
      email: "rita@contoso.example",
    });
    expect(contact?.openDeals).toHaveLength(1);
    expect(contact?.openDeals[0]).toMatchObject({
      name: "Fabrikam renewal",
      amount: 12000,
      currency: "EUR",
      status: "open",
    });
    expect(contact?.openDeals[0]?.stage).toMatchObject({
      name: "Prospecting",
      probability: 10,
      kind: "open",
    });
    expect(contact?.openTasks.map((t) => t.title)).toEqual(["Send the contract"]);
    expect(contact?.recentInteractions).toHaveLength(20);
    expect(contact?.recentInteractions.map((i) => i.id)).toEqual([...loggedIds].reverse().slice(0, 20));
  });

  it("recognises the contact by any of their addresses", async () => {
    const [result] = await lookup("anna@private.example");
    expect(result?.contact?.id).toBe(annaId);
  });

  it("answers every address in the order asked, once each", async () => {
    const results = await lookup(
      "nobody@fabrikam.example",
      "anna.berg@fabrikam.example",
      "Nobody@Fabrikam.example",
    );
    expect(results.map((r) => r.email)).toEqual(["nobody@fabrikam.example", "anna.berg@fabrikam.example"]);
    expect(results[0]?.contact).toBeNull();
    expect(results[1]?.contact?.id).toBe(annaId);
  });

  it("suggests the company whose domain matches an unknown sender, subdomains included, and a name", async () => {
    const [direct, sub] = await lookup("Bo Ek <bo.ek@fabrikam.example>", "carl.sund@eu.fabrikam.example");
    expect(direct?.suggestion).toMatchObject({
      displayName: "Bo Ek",
      firstName: "Bo",
      lastName: "Ek",
      freeMail: false,
      internal: false,
    });
    expect(direct?.suggestion?.company?.id).toBe(fabrikamId);
    expect(sub?.suggestion?.company?.id).toBe(fabrikamId);
    expect(sub?.suggestion?.displayName).toBe("Carl Sund");
  });

  it("never matches a company for free-mail or the organisation's own domain", async () => {
    await server.request("POST", "/api/v1/companies", {
      token: rita,
      body: { name: "Gmail as a company", domain: "gmail.com" },
    });
    const [free, own] = await lookup("someone@gmail.com", "colleague@contoso.example");
    expect(free?.suggestion).toMatchObject({ freeMail: true, company: null });
    expect(own?.suggestion).toMatchObject({ internal: true, company: null });
  });

  describe("internationalised addresses, which Outlook hands in either spelling", () => {
    const create = (path: string, body: unknown) =>
      server.request<{ id: string }>("POST", path, { token: rita, body });

    it("finds a contact by either spelling, shows the address as it was written, and keeps one contact per address", async () => {
      const jorg = parse(
        Contact,
        await create("/api/v1/contacts", {
          displayName: "Jörg Müller",
          emails: ["Jorg@Müller.example"],
        }),
      );
      expect(jorg.emails).toEqual(["jorg@müller.example"]);
      const [byPunycode, byUnicode] = await lookup(
        "jorg@xn--mller-kva.example",
        "Jörg <JORG@müller.example>",
      );
      expect(byPunycode?.contact?.id).toBe(jorg.id);
      expect(byPunycode?.contact?.emails).toEqual(["jorg@müller.example"]);
      // One person, one answer, whichever spelling each recipient line carried.
      expect(byUnicode).toBeUndefined();
      expect((await lookup("Jörg <JORG@müller.example>"))[0]?.contact?.id).toBe(jorg.id);

      const twin = await create("/api/v1/contacts", {
        displayName: "Jörg",
        emails: ["jorg@xn--mller-kva.example"],
      });
      expect([twin.status, (twin.body as unknown as { code: string }).code]).toEqual([
        409,
        "email_address_taken",
      ]);

      const asPunycode = parse(
        Contact,
        await create("/api/v1/contacts", {
          displayName: "Åsa Punycode",
          emails: ["asa@xn--sa-xia.example", "asa@åsa.example"],
        }),
      );
      // Two spellings of one address are one address, kept as first written.
      expect(asPunycode.emails).toEqual(["asa@xn--sa-xia.example"]);
      expect((await lookup("asa@åsa.example"))[0]?.contact?.id).toBe(asPunycode.id);

      for (const q of ["müller", "xn--mller"]) {
        const found = await server.request<{ items: { id: string }[] }>(
          "GET",
          `/api/v1/contacts?q=${encodeURIComponent(q)}`,
          {
            token: rita,
          },
        );
        expect(found.body.items.map((c) => c.id)).toEqual([jorg.id]);
      }
    });

    it("suggests the company by its domain in either spelling, and shows the domain as written", async () => {
      const bakery = parse(
        Company,
        await create("/api/v1/companies", { name: "Bäckerei", domain: "www.Bäckerei.example" }),
      );
      expect(bakery.domain).toBe("bäckerei.example");
      const grona = parse(
        Company,
        await create("/api/v1/companies", { name: "Gröna", domain: "xn--grna-6qa.example" }),
      );
      expect(grona.domain).toBe("xn--grna-6qa.example");
      const taken = await create("/api/v1/companies", {
        name: "Bakery twin",
        domain: "xn--bckerei-5wa.example",
      });
      expect([taken.status, (taken.body as unknown as { code: string }).code]).toEqual([
        409,
        "company_domain_taken",
      ]);

      const [toBakery, toGrona] = await lookup(
        "Anna Bäcker <anna@xn--bckerei-5wa.example>",
        "ulla@eu.gröna.example",
      );
      expect(toBakery).toMatchObject({
        email: "anna@xn--bckerei-5wa.example",
        suggestion: {
          email: "anna@xn--bckerei-5wa.example",
          domain: "xn--bckerei-5wa.example",
          company: { id: bakery.id },
        },
      });
      // The suggestion is what the pane fills "Add to Rapport" with: the address and domain as the email wrote them.
      expect(toGrona).toMatchObject({
        email: "ulla@eu.xn--grna-6qa.example",
        suggestion: { email: "ulla@eu.gröna.example", domain: "eu.gröna.example", company: { id: grona.id } },
      });
    });
  });

  it("refuses more than 50 addresses and invalid ones with a clear error", async () => {
    const many = Array.from({ length: 51 }, (_, i) => `email=p${i}@x.example`).join("&");
    const tooMany = await server.request("GET", `/api/v1/people/lookup?${many}`, { token: rita });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: "invalid_request" });
    const invalid = await server.request("GET", "/api/v1/people/lookup?email=not-an-address", {
      token: rita,
    });
    expect(invalid.status).toBe(400);
    const none = await server.request("GET", "/api/v1/people/lookup", { token: rita });
    expect(none.status).toBe(400);
  });

  it("shows another organisation nothing of this one's contacts", async () => {
    const outsider = await server.token("eve@evil.example");
    const response = await server.request("GET", "/api/v1/people/lookup?email=anna.berg@fabrikam.example", {
      token: outsider,
    });
    const [result] = parse(LookupResponse, response).results;
    expect(result?.contact).toBeNull();
    expect(result?.suggestion?.company).toBeNull();
  });

  it("pages the timeline newest first without gaps or repeats, stage changes and tasks included", async () => {
    const seen: string[] = [];
    const types = new Set<string>();
    let cursor: string | null = null;
    let previousAt = "9999";
    do {
      const url: string = `/api/v1/contacts/${annaId}/timeline?limit=7${cursor ? `&cursor=${cursor}` : ""}`;
      const page = parse(Timeline, await server.request("GET", url, { token: rita }));
      for (const item of page.items) {
        expect(item.at <= previousAt).toBe(true);
        previousAt = item.at;
        types.add(item.type);
        seen.push(timelineItemId(item));
      }
      cursor = page.nextCursor;
    } while (cursor);
    // 25 emails, 2 tasks, 1 stage change (the deal's creation)
    expect(seen).toHaveLength(28);
    expect(new Set(seen).size).toBe(28);
    expect(types).toEqual(new Set(["interaction", "task", "stage_change"]));
  });

  it("refuses a cursor it did not hand out", async () => {
    const response = await server.request("GET", `/api/v1/contacts/${annaId}/timeline?cursor=garbage`, {
      token: rita,
    });
    expect(response.status).toBe(400);
  });
});
