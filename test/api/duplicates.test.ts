import { Page } from "../../src/shared/common";
import { CompanyDuplicate, ContactDuplicate } from "../../src/shared/duplicates";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Likely duplicates through the API: each rule finds its pair (and only its pair), a pair is listed once with
 * every reason, pages follow each other, a dismissed pair stays away, and the import flags by the same rules.
 */

const ContactPairs = Page(ContactDuplicate);
const CompanyPairs = Page(CompanyDuplicate);

describe.each(storeKinds)("duplicates (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  const ok = <T>(status: number, response: Response<T>): T => {
    expect([response.status, response.body]).toEqual([status, expect.anything()]);
    return response.body;
  };
  const contact = async (token: string, body: Record<string, unknown>) =>
    ok(201, await server.request<{ id: string }>("POST", "/api/v1/contacts", { token, body })).id;
  const company = async (token: string, body: Record<string, unknown>) =>
    ok(201, await server.request<{ id: string }>("POST", "/api/v1/companies", { token, body })).id;
  const contactPairs = async (token: string, query = "") =>
    parse(ContactPairs, await server.request("GET", `/api/v1/duplicates/contacts${query}`, { token }));
  const companyPairs = async (token: string, query = "") =>
    parse(CompanyPairs, await server.request("GET", `/api/v1/duplicates/companies${query}`, { token }));
  /** The pairs as sets of names with their rules, whatever the id order. */
  const named = (
    items: { first: { id: string }; second: { id: string }; reasons: { rule: string }[] }[],
    names: Map<string, string>,
  ) =>
    items
      .map((p) => [
        [names.get(p.first.id), names.get(p.second.id)].sort().join(" + "),
        p.reasons.map((r) => r.rule).join(","),
      ])
      .sort();

  it("finds contacts whose addresses differ only by a plus tag, case or Gmail's dots", async () => {
    const token = await server.token("rita@emails.example");
    const names = new Map<string, string>();
    names.set(await contact(token, { displayName: "Anna", emails: ["anna@fabrikam.example"] }), "Anna");
    names.set(
      await contact(token, { displayName: "Anna B", emails: ["Anna+News@Fabrikam.example"] }),
      "Anna B",
    );
    names.set(await contact(token, { displayName: "Bo", emails: ["bo.lund@gmail.com"] }), "Bo");
    names.set(await contact(token, { displayName: "Bo L", emails: ["BoLund+crm@googlemail.com"] }), "Bo L");
    // Dots count outside Gmail: another mailbox.
    names.set(await contact(token, { displayName: "Cy", emails: ["c.y@fabrikam.example"] }), "Cy");
    names.set(await contact(token, { displayName: "Cy 2", emails: ["cy@fabrikam.example"] }), "Cy 2");
    const page = await contactPairs(token);
    expect(named(page.items, names)).toEqual([
      ["Anna + Anna B", "email"],
      ["Bo + Bo L", "email"],
    ]);
    const anna = page.items.find((p) => names.get(p.first.id)?.startsWith("Anna"));
    expect(anna?.reasons).toEqual([{ rule: "email", value: "anna@fabrikam.example" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("finds contacts with one phone in another form, in the contact's country", async () => {
    const token = await server.token("rita@phones.example");
    const names = new Map<string, string>();
    names.set(await contact(token, { displayName: "Dag", phones: ["+46 70-123 45 67"] }), "Dag");
    names.set(
      await contact(token, { displayName: "Dag H", phones: ["070 123 45 67"], country: "SE" }),
      "Dag H",
    );
    names.set(await contact(token, { displayName: "Dag Hem", phones: ["0046 (0)70 1234567"] }), "Dag Hem");
    // The same national digits without a country: no calling code to give them, so no pair.
    names.set(await contact(token, { displayName: "Eva", phones: ["070 123 45 67"] }), "Eva");
    // Too short to say anything.
    names.set(await contact(token, { displayName: "Ext 1", phones: ["123"] }), "Ext 1");
    names.set(await contact(token, { displayName: "Ext 2", phones: ["1-2-3"] }), "Ext 2");
    expect(named((await contactPairs(token)).items, names)).toEqual([
      ["Dag + Dag H", "phone"],
      ["Dag + Dag Hem", "phone"],
      ["Dag H + Dag Hem", "phone"],
    ]);
  });

  it("finds the same name at the same company, in any case and accents, and not at another company", async () => {
    const token = await server.token("rita@names.example");
    const acme = await company(token, { name: "Acme" });
    const other = await company(token, { name: "Other" });
    const names = new Map<string, string>();
    names.set(await contact(token, { displayName: "Jörg Müller", companyId: acme }), "Jörg");
    names.set(await contact(token, { displayName: "jorg  muller", companyId: acme }), "jorg");
    names.set(await contact(token, { displayName: "Jörg Müller", companyId: other }), "Jörg elsewhere");
    names.set(await contact(token, { displayName: "Jörg Müller" }), "Jörg nowhere");
    expect(named((await contactPairs(token)).items, names)).toEqual([["Jörg + jorg", "name_at_company"]]);
  });

  it("lists a pair once with every rule that pairs it", async () => {
    const token = await server.token("rita@once.example");
    const acme = await company(token, { name: "Acme" });
    const names = new Map<string, string>();
    names.set(
      await contact(token, {
        displayName: "Fia",
        companyId: acme,
        emails: ["fia@once.example"],
        phones: ["+4611223344"],
      }),
      "Fia",
    );
    names.set(
      await contact(token, {
        displayName: "FIA",
        companyId: acme,
        emails: ["fia+x@once.example"],
        phones: ["004611223344"],
      }),
      "FIA",
    );
    const page = await contactPairs(token);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.reasons.map((r) => r.rule)).toEqual(["email", "phone", "name_at_company"]);
  });

  it("finds companies with one domain or website, and near-identical names without legal forms", async () => {
    const token = await server.token("rita@firms.example");
    const names = new Map<string, string>();
    names.set(await company(token, { name: "Contoso", domain: "contoso.example" }), "Contoso");
    names.set(
      await company(token, { name: "Contoso Nordic", website: "https://www.Contoso.example/about" }),
      "Contoso Nordic",
    );
    names.set(await company(token, { name: "Ćevapi d.o.o." }), "Ćevapi d.o.o.");
    names.set(await company(token, { name: "CEVAPI" }), "CEVAPI");
    names.set(await company(token, { name: "Volvo AB (publ)" }), "Volvo AB");
    names.set(await company(token, { name: "AB Volvo" }), "AB Volvo");
    names.set(await company(token, { name: "Müller GmbH & Co. KG" }), "Müller GmbH");
    names.set(await company(token, { name: "Muller Inc." }), "Muller Inc");
    names.set(await company(token, { name: "Mullerton Ltd" }), "Mullerton");
    const page = await companyPairs(token);
    expect(named(page.items, names)).toEqual([
      ["AB Volvo + Volvo AB", "name"],
      ["CEVAPI + Ćevapi d.o.o.", "name"],
      ["Contoso + Contoso Nordic", "domain"],
      ["Muller Inc + Müller GmbH", "name"],
    ]);
  });

  it("pages through the pairs, each once, and leaves a dismissed pair out in either order", async () => {
    const token = await server.token("rita@pages.example");
    for (let i = 0; i < 7; i++) {
      await contact(token, { displayName: `P${i}`, emails: [`p${i}@pages.example`] });
      await contact(token, { displayName: `P${i} again`, emails: [`p${i}+again@pages.example`] });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await contactPairs(token, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((p) => `${p.first.id}/${p.second.id}`));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect([seen.length, new Set(seen).size, pages]).toEqual([7, 7, 3]);

    const first = (await contactPairs(token)).items[0];
    if (!first) throw new Error("no pair");
    const dismissed = ok(
      200,
      await server.request("POST", "/api/v1/duplicates/contacts/dismissals", {
        token,
        body: { ids: [first.second.id, first.first.id] },
      }),
    );
    expect(dismissed).toEqual({ ids: [first.first.id, first.second.id], dismissed: true });
    // Twice is once.
    ok(
      200,
      await server.request("POST", "/api/v1/duplicates/contacts/dismissals", {
        token,
        body: { ids: [first.first.id, first.second.id] },
      }),
    );
    const after = await contactPairs(token, "?limit=100");
    expect(after.items).toHaveLength(6);
    expect(after.items.some((p) => p.first.id === first.first.id && p.second.id === first.second.id)).toBe(
      false,
    );
    const audit = await server.database.db
      .selectFrom("audit_events")
      .select(["action", "entity_id", "details"])
      .where("action", "=", "contact.duplicate_dismissed")
      .where("entity_id", "=", first.first.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("dismisses a company pair, and refuses a pair that is one record, unknown, or another organisation's", async () => {
    const token = await server.token("rita@dismiss.example");
    const a = await company(token, { name: "Fabrikam AS" });
    const b = await company(token, { name: "Fabrikam" });
    expect((await companyPairs(token)).items).toHaveLength(1);
    ok(
      200,
      await server.request("POST", "/api/v1/duplicates/companies/dismissals", {
        token,
        body: { ids: [a, b] },
      }),
    );
    expect((await companyPairs(token)).items).toEqual([]);

    const same = await server.request("POST", "/api/v1/duplicates/companies/dismissals", {
      token,
      body: { ids: [a, a] },
    });
    expect(same.status).toBe(400);
    const strangerToken = await server.token("eve@elsewhere.example");
    const stranger = await server.request("POST", "/api/v1/duplicates/companies/dismissals", {
      token: strangerToken,
      body: { ids: [a, b] },
    });
    expect(stranger.status).toBe(404);
    // Nor does another organisation see the pairs.
    await company(strangerToken, { name: "Fabrikam Ltd" });
    expect((await companyPairs(strangerToken)).items).toEqual([]);
  });

  it("leaves out a key so many records share that it says nothing (a switchboard's number)", async () => {
    const token = await server.token("rita@switchboard.example");
    for (let i = 0; i < 30; i++)
      await contact(token, { displayName: `Desk ${i}`, phones: ["+46 8 555 000 00"] });
    expect((await contactPairs(token)).items).toEqual([]);
  });

  it("lists a merged or deleted record's pairs no more, and a record's new key at once", async () => {
    const token = await server.token("rita@kept-pairs.example");
    const names = new Map<string, string>();
    const ann = await contact(token, { displayName: "Ann", emails: ["ann@kept.example"] });
    const annB = await contact(token, { displayName: "Ann B", emails: ["ann+b@kept.example"] });
    const annC = await contact(token, { displayName: "Ann C", phones: ["+46 70 765 43 21"] });
    const annD = await contact(token, { displayName: "Ann D", phones: ["0046 70 765 43 21"] });
    for (const [id, name] of [
      [ann, "Ann"],
      [annB, "Ann B"],
      [annC, "Ann C"],
      [annD, "Ann D"],
    ] as const)
      names.set(id, name);
    expect(named((await contactPairs(token)).items, names)).toEqual([
      ["Ann + Ann B", "email"],
      ["Ann C + Ann D", "phone"],
    ]);
    // Ann C takes Ann's address in another form: a pair with each of Ann and Ann B, listed at once.
    const { body: annCNow } = await server.request<{ version: number }>("GET", `/api/v1/contacts/${annC}`, {
      token,
    });
    ok(
      200,
      await server.request("PATCH", `/api/v1/contacts/${annC}`, {
        token,
        body: { version: annCNow.version, emails: ["ANN+c@kept.example"] },
      }),
    );
    expect(named((await contactPairs(token)).items, names)).toEqual([
      ["Ann + Ann B", "email"],
      ["Ann + Ann C", "email"],
      ["Ann B + Ann C", "email"],
      ["Ann C + Ann D", "phone"],
    ]);
    // Ann B merged into Ann: her pairs go, Ann keeps hers with Ann C.
    ok(
      200,
      await server.request("POST", `/api/v1/contacts/${ann}/merge`, {
        token,
        body: { version: 1, mergedId: annB, mergedVersion: 1 },
      }),
    );
    expect(named((await contactPairs(token)).items, names)).toEqual([
      ["Ann + Ann C", "email"],
      ["Ann C + Ann D", "phone"],
    ]);
    // Ann D deleted: her pair goes.
    expect((await server.request("DELETE", `/api/v1/contacts/${annD}`, { token })).status).toBe(200);
    expect(named((await contactPairs(token)).items, names)).toEqual([["Ann + Ann C", "email"]]);
  });

  it("flags an import row that an address in another form or a phone makes a duplicate of a stored contact", async () => {
    const token = await server.token("rita@import.example");
    const anna = await contact(token, { displayName: "Anna", emails: ["anna@import.example"] });
    const dag = await contact(token, { displayName: "Dag", phones: ["+46 70 123 45 67"] });
    const preview = ok(
      200,
      await server.request<{ rows: { line: number; duplicate: unknown; action: string }[] }>(
        "POST",
        "/api/v1/imports/preview",
        {
          token,
          body: {
            format: "csv",
            entity: "contacts",
            onDuplicate: "update",
            content:
              "Name,Email,Phone\n" +
              "Anna Berg,ANNA+import@import.example,\n" +
              "Dag H,,0046 70 123 45 67\n" +
              "New Person,new@import.example,\n" +
              "New Again,new+again@import.example,\n",
          },
        },
      ),
    );
    expect(preview.rows.map((r) => [r.line, r.duplicate, r.action])).toEqual([
      [2, { kind: "record", id: anna, name: "Anna", match: "anna@import.example" }, "update"],
      [3, { kind: "record", id: dag, name: "Dag", match: "+46701234567" }, "update"],
      [4, null, "create"],
      [5, { kind: "row", line: 4, match: "new@import.example" }, "update"],
    ]);
  });

  it("flags an import row with the same name at the same company as a stored contact or an earlier row", async () => {
    const token = await server.token("rita@import-names.example");
    const acme = await company(token, { name: "Acme", domain: "acme.example" });
    const jorg = await contact(token, { displayName: "Jörg Müller", companyId: acme });
    await contact(token, { displayName: "Jörg Müller" });
    const preview = ok(
      200,
      await server.request<{ rows: { line: number; duplicate: unknown; action: string }[] }>(
        "POST",
        "/api/v1/imports/preview",
        {
          token,
          body: {
            format: "csv",
            entity: "contacts",
            onDuplicate: "update",
            content:
              "Name,Company,Company domain\n" +
              "jorg  muller,ACME,\n" +
              "JÖRG MÜLLER,Acme Sales,acme.example\n" +
              "Jörg Müller,Other,\n" +
              "Jorg Muller,other,\n" +
              "Jörg Müller,,\n",
          },
        },
      ),
    );
    expect(preview.rows.map((r) => [r.line, r.duplicate, r.action])).toEqual([
      [2, { kind: "record", id: jorg, name: "Jörg Müller", match: "jorg muller" }, "update"],
      // Its domain is Acme's: the same company, whatever its name says.
      [3, { kind: "record", id: jorg, name: "Jörg Müller", match: "jorg muller" }, "update"],
      // A company not stored yet, which the next row names too.
      [4, null, "create"],
      [5, { kind: "row", line: 4, match: "jorg muller" }, "update"],
      // No company: no name to be the same at (the stored Jörg without one is not him either).
      [6, null, "create"],
    ]);
  });

  it("reads an imported phone without a country code in the importing user's country, and stores that country", async () => {
    const token = await server.token("rita@import-phones.example");
    const orgId = (await server.request<{ organization: { id: string } }>("GET", "/api/v1/me", { token }))
      .body.organization.id;
    const dag = await contact(token, { displayName: "Dag", phones: ["+46 70 123 45 67"] });
    const office = await contact(token, { displayName: "Office", phones: ["+46 8 555 123 45"] });
    const content = "Name,Phone\nDag H,070 123 45 67\nEva,08 555 123 45\nOla,+47 22 33 44 55\n";
    const preview = async (extra: Record<string, unknown> = {}) =>
      ok(
        200,
        await server.request<{ country: string | null; rows: { line: number; duplicate: unknown }[] }>(
          "POST",
          "/api/v1/imports/preview",
          { token, body: { format: "csv", entity: "contacts", content, ...extra } },
        ),
      );
    // Nothing says where the user is: national numbers stay without a country, and meet no one.
    const unknown = await preview();
    expect([unknown.country, unknown.rows.map((r) => r.duplicate)]).toEqual([null, [null, null, null]]);
    // The user's mailbox is in Stockholm: 070 … is +46 70 …
    await server.database.db
      .updateTable("users")
      .set({ time_zone: "Europe/Stockholm" })
      .where("org_id", "=", orgId)
      .execute();
    const swedish = await preview();
    expect([swedish.country, swedish.rows.map((r) => [r.line, r.duplicate])]).toEqual([
      "SE",
      [
        [2, { kind: "record", id: dag, name: "Dag", match: "+46701234567" }],
        [3, { kind: "record", id: office, name: "Office", match: "+46855512345" }],
        [4, null],
      ],
    ]);
    // The import may name another country, or none.
    expect((await preview({ country: "no" })).rows.map((r) => r.duplicate)).toEqual([null, null, null]);
    expect((await preview({ country: null })).country).toBeNull();

    const committed = await server.request<{ created: number }>("POST", "/api/v1/imports/commit", {
      token,
      body: { format: "csv", entity: "contacts", content, onDuplicate: "create" },
    });
    expect([committed.status, committed.body.created]).toEqual([200, 3]);
    const stored = await server.database.db
      .selectFrom("contacts")
      .select(["display_name", "country", "phone_keys"])
      .where("org_id", "=", orgId)
      .where("display_name", "in", ["Dag H", "Eva", "Ola"])
      .orderBy("display_name")
      .execute();
    // Only a contact with a number that needed its country is given one.
    expect(stored).toEqual([
      { display_name: "Dag H", country: "SE", phone_keys: ["+46701234567"] },
      { display_name: "Eva", country: "SE", phone_keys: ["+46855512345"] },
      { display_name: "Ola", country: null, phone_keys: ["+4722334455"] },
    ]);
    const names = new Map([
      [dag, "Dag"],
      [office, "Office"],
    ]);
    const listed = await contactPairs(token);
    for (const pair of listed.items)
      for (const side of [pair.first, pair.second]) names.set(side.id, side.displayName);
    expect(named(listed.items, names)).toEqual([
      ["Dag + Dag H", "phone"],
      ["Eva + Office", "phone"],
    ]);
  });

  it("flags an import row of a company whose name differs only by its legal form", async () => {
    const token = await server.token("rita@import-firms.example");
    const acme = await company(token, { name: "Acme AB" });
    const preview = ok(
      200,
      await server.request<{ rows: { line: number; duplicate: unknown }[] }>(
        "POST",
        "/api/v1/imports/preview",
        {
          token,
          body: {
            format: "csv",
            entity: "companies",
            content: "Name,Domain\nACME Ltd.,\nBeta,beta.example\n",
          },
        },
      ),
    );
    expect(preview.rows.map((r) => [r.line, r.duplicate])).toEqual([
      [2, { kind: "record", id: acme, name: "Acme AB", match: "acme" }],
      [3, null],
    ]);
  });
});
