import ExcelJS from "exceljs";
import { Me } from "../../src/shared/routes";
import { ContactErased, PersonDataExport } from "../../src/shared/person-data";
import { RatingLink, RatingSummary, RatingsReport } from "../../src/shared/ratings";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Customer ratings: a rep makes a signed survey link for a contact (from the pane, or a template's merge field),
 * the contact answers on a public page without signing in or running a script, may change that answer while the
 * link is good, and the scores show on the contact's and the company's profile and in the report.
 */
describe.each(storeKinds)("customer ratings (%s)", (kind) => {
  let server: TestServer;
  let rita: string; // admin, owns Anna
  let max: string; // member, owns Bo
  let eve: string; // another organisation
  let maxId: string;
  let ritaId: string;
  let company: string;
  let anna: string; // reads Swedish
  let bo: string; // no language: the rep's (English)
  let evesContact: string;
  let now = new Date("2026-11-02T10:00:00Z");

  type Body = Record<string, unknown>;
  const post = async <T = Body>(path: string, body: unknown, token = rita) => {
    const response = await server.request<T>("POST", path, { token, body });
    expect([path, response.status < 300]).toEqual([path, true]);
    return response;
  };
  const link = async (contact: string, kindOf: "nps" | "csat", token = rita) =>
    parse(RatingLink, await post(`/api/v1/contacts/${contact}/rating-links`, { kind: kindOf }, token));
  const pathOf = (url: string) => new URL(url).pathname;
  const page = (path: string) => fetch(`${server.baseUrl}${path}`);
  const answer = (path: string, body: string) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  const ratingsOf = async (what: "contacts" | "companies", id: string, token = rita) =>
    parse(RatingSummary, await server.request("GET", `/api/v1/${what}/${id}/ratings`, { token }));
  const rows = async () =>
    (
      await server.database.db
        .selectFrom("ratings")
        .select(["contact_id", "kind", "score", "comment", "owner_id"])
        .orderBy("answered_at")
        .orderBy("score")
        .execute()
    ).map((r) => ({ ...r }));

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => now, surveys: { perIpPerMinute: 200 } });
    rita = await server.token("rita@contoso.example");
    max = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    ritaId = parse(Me, await server.request("GET", "/api/v1/me", { token: rita })).user.id;
    maxId = parse(Me, await server.request("GET", "/api/v1/me", { token: max })).user.id;
    company = ((await post("/api/v1/companies", { name: "Kund AB", domain: "kund.example" })).body as Body)
      .id as string;
    anna = (
      (
        await post("/api/v1/contacts", {
          displayName: "Anna Berg",
          emails: ["anna@kund.example"],
          companyId: company,
          language: "sv",
          ownerId: ritaId,
        })
      ).body as Body
    ).id as string;
    bo = (
      (
        await post("/api/v1/contacts", {
          displayName: "Bo Ek",
          emails: ["bo@kund.example"],
          companyId: company,
          ownerId: maxId,
        })
      ).body as Body
    ).id as string;
    evesContact = (
      (await post("/api/v1/contacts", { displayName: "Eve's customer", emails: ["c@evil.example"] }, eve))
        .body as Body
    ).id as string;
  });
  afterAll(() => server.close());

  let first: RatingLink;

  it("makes a signed link for a contact in their language, good for 30 days", async () => {
    first = await link(anna, "nps");
    expect(first.language).toBe("sv");
    expect(first.url).toMatch(new RegExp(`^${server.baseUrl}/s/[A-Za-z0-9_-]{70}\\.[A-Za-z0-9_-]{22}$`));
    expect(first.expiresAt).toBe("2026-12-02T10:00:00.000Z");
    // A contact without a language gets the rep's (here none chosen: English).
    expect((await link(bo, "csat")).language).toBe("en");
    expect(await rows()).toEqual([]);
  });

  it("shows the question on a page with no script, no sign-in and nothing about the contact", async () => {
    const response = await page(pathOf(first.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("script-src");
    expect(policy).toContain("form-action 'self'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).not.toMatch(/<script|onclick|onload|javascript:/i);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain("Hur troligt är det att du skulle rekommendera oss");
    expect(html).toContain(`<form method="post" action="${pathOf(first.url)}"`);
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(11);
    expect(html).toContain('<textarea id="comment" name="comment"');
    for (const secret of ["Anna", "Berg", "anna@kund.example", "Kund AB", anna])
      expect(html).not.toContain(secret);
  });

  it("records an answer and thanks the contact, then shows it on her profile and her company's", async () => {
    const response = await answer(pathOf(first.url), "score=9&comment=Snabba+svar+%C3%A5terigen");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Tack för ditt svar.");
    expect(html).toContain("Du svarade 9.");
    expect(await rows()).toEqual([
      { contact_id: anna, kind: "nps", score: 9, comment: "Snabba svar återigen", owner_id: ritaId },
    ]);
    const summary = await ratingsOf("contacts", anna);
    expect(summary.nps).toEqual({
      latest: 9,
      latestAt: now.toISOString(),
      previous: null,
      change: null,
      count: 1,
    });
    expect(summary.csat).toBeNull();
    expect(summary.recent.map((r) => [r.kind, r.score, r.comment])).toEqual([
      ["nps", 9, "Snabba svar återigen"],
    ]);
    expect((await ratingsOf("companies", company)).nps?.latest).toBe(9);
    // The page opened again shows the answer given, to change.
    const again = await (await page(pathOf(first.url))).text();
    expect(again).toContain('value="9" required checked');
    expect(again).toContain("Snabba svar återigen");
  });

  it("replaces the first answer with a second through the same link", async () => {
    now = new Date("2026-11-03T10:00:00Z");
    expect((await answer(pathOf(first.url), "score=6")).status).toBe(200);
    expect(await rows()).toEqual([
      { contact_id: anna, kind: "nps", score: 6, comment: null, owner_id: ritaId },
    ]);
    const summary = await ratingsOf("contacts", anna);
    expect(summary.nps).toMatchObject({ latest: 6, previous: null, count: 1 });
  });

  it("gives a trend across links: the latest score, the one before and the change", async () => {
    now = new Date("2026-11-10T10:00:00Z");
    const second = await link(anna, "nps");
    expect((await answer(pathOf(second.url), "score=10")).status).toBe(200);
    expect((await ratingsOf("contacts", anna)).nps).toEqual({
      latest: 10,
      latestAt: now.toISOString(),
      previous: 6,
      change: 4,
      count: 2,
    });
    // Bo's two satisfaction answers: the company's CSAT is its contacts' together.
    for (const score of ["4", "2"]) {
      now = new Date(now.getTime() + 60_000);
      const made = await link(bo, "csat", max);
      expect((await answer(pathOf(made.url), `score=${score}`)).status).toBe(200);
    }
    const companyRatings = await ratingsOf("companies", company);
    expect(companyRatings.csat).toMatchObject({ latest: 2, previous: 4, change: -2, count: 2 });
    expect(companyRatings.nps).toMatchObject({ latest: 10, previous: 6, count: 2 });
    expect(companyRatings.recent.map((r) => [r.contactName, r.kind, r.score])).toEqual([
      ["Bo Ek", "csat", 2],
      ["Bo Ek", "csat", 4],
      ["Anna Berg", "nps", 10],
      ["Anna Berg", "nps", 6],
    ]);
  });

  it("refuses a score off the question's scale and stores nothing", async () => {
    const csat = await link(bo, "csat");
    const before = await rows();
    for (const body of ["score=0", "score=6", "score=", "score=4.5", "score=%2B4", "comment=only", ""]) {
      const response = await answer(pathOf(csat.url), body);
      expect([body, response.status]).toEqual([body, 400]);
      expect(await response.text()).toContain("Please choose a score.");
    }
    expect((await answer(pathOf(first.url), "score=11")).status).toBe(400);
    expect(await rows()).toEqual(before);
  });

  it("refuses a forged or altered link with a 404 page and stores nothing", async () => {
    const before = await rows();
    const [payload, signature] = pathOf(first.url).slice(3).split(".") as [string, string];
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const forged = [
      `${payload}.${flip(signature, 5)}`,
      // The contact's id changed (byte 17 on): the signature no longer matches.
      `${flip(payload, 24)}.${signature}`,
      // The kind changed from NPS to CSAT.
      `${flip(payload, 45)}.${signature}`,
      `${payload}.${signature}x`,
      "not-a-token",
      `${"A".repeat(70)}.${"A".repeat(22)}`,
    ];
    for (const token of forged) {
      const shown = await page(`/s/${token}`);
      expect([token, shown.status]).toEqual([token, 404]);
      expect(await shown.text()).toContain("This survey link is not valid.");
      expect((await answer(`/s/${token}`, "score=0")).status).toBe(404);
    }
    // Another organisation's signature over this organisation's claims is no better.
    const evesLink = await link(evesContact, "nps", eve);
    const [, evesSignature] = pathOf(evesLink.url).slice(3).split(".") as [string, string];
    expect((await answer(`/s/${payload}.${evesSignature}`, "score=0")).status).toBe(404);
    expect(await rows()).toEqual(before);
  });

  it("keeps organisations apart: no link, scores or answers for another organisation's contact", async () => {
    expect(
      (
        await server.request("POST", `/api/v1/contacts/${anna}/rating-links`, {
          token: eve,
          body: { kind: "nps" },
        })
      ).status,
    ).toBe(404);
    expect((await server.request("GET", `/api/v1/contacts/${anna}/ratings`, { token: eve })).status).toBe(
      404,
    );
    expect((await server.request("GET", `/api/v1/companies/${company}/ratings`, { token: eve })).status).toBe(
      404,
    );
    const evesLink = await link(evesContact, "nps", eve);
    expect((await answer(pathOf(evesLink.url), "score=0")).status).toBe(200);
    const evesReport = parse(
      RatingsReport,
      await server.request("GET", "/api/v1/reports/ratings", { token: eve }),
    );
    expect(evesReport.total).toMatchObject({ npsAnswers: 1, detractors: 1, nps: -100 });
    const ours = parse(
      RatingsReport,
      await server.request("GET", "/api/v1/reports/ratings", { token: rita }),
    );
    expect(ours.total.npsAnswers).toBe(2);
    await server.database.db.deleteFrom("ratings").where("contact_id", "=", evesContact).execute();
  });

  it("says an expired link has expired, in the contact's language, and takes no answer", async () => {
    now = new Date("2026-12-05T10:00:00Z");
    const before = await rows();
    const shown = await page(pathOf(first.url));
    expect(shown.status).toBe(410);
    expect(await shown.text()).toContain("Den här enkätlänken har gått ut.");
    const posted = await answer(pathOf(first.url), "score=10");
    expect(posted.status).toBe(410);
    expect(await rows()).toEqual(before);
  });

  it("reports NPS and CSAT by month and owner, and exports the same figures", async () => {
    const december = await link(anna, "nps");
    expect((await answer(pathOf(december.url), "score=9")).status).toBe(200);
    const report = parse(
      RatingsReport,
      await server.request("GET", "/api/v1/reports/ratings", { token: max }),
    );
    const empty = { npsAnswers: 0, promoters: 0, passives: 0, detractors: 0, nps: null };
    const noCsat = { csatAnswers: 0, csatAverage: null, csatSatisfied: null };
    expect(report.rows).toEqual([
      {
        month: "2026-11",
        ownerId: maxId,
        ownerName: "max@contoso.example",
        ...empty,
        csatAnswers: 2,
        csatAverage: 3,
        csatSatisfied: 0.5,
      },
      {
        month: "2026-11",
        ownerId: ritaId,
        ownerName: "rita@contoso.example",
        npsAnswers: 2,
        promoters: 1,
        passives: 0,
        detractors: 1,
        nps: 0,
        ...noCsat,
      },
      {
        month: "2026-12",
        ownerId: ritaId,
        ownerName: "rita@contoso.example",
        npsAnswers: 1,
        promoters: 1,
        passives: 0,
        detractors: 0,
        nps: 100,
        ...noCsat,
      },
    ]);
    expect(report.total).toEqual({
      npsAnswers: 3,
      promoters: 2,
      passives: 0,
      detractors: 1,
      nps: 33.3,
      csatAnswers: 2,
      csatAverage: 3,
      csatSatisfied: 0.5,
    });
    const december2026 = parse(
      RatingsReport,
      await server.request("GET", "/api/v1/reports/ratings?from=2026-12-01", { token: max }),
    );
    expect(december2026.rows.map((r) => r.month)).toEqual(["2026-12"]);
    const maxOnly = parse(
      RatingsReport,
      await server.request("GET", `/api/v1/reports/ratings?ownerId=${maxId}`, { token: max }),
    );
    expect(maxOnly.total).toMatchObject({ npsAnswers: 0, csatAnswers: 2 });

    const csv = await fetch(`${server.baseUrl}/api/v1/reports/ratings.csv`, {
      headers: { authorization: `Bearer ${max}` },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Month,Owner,NPS answers,Promoters,Passives,Detractors,NPS,CSAT answers,CSAT average,CSAT satisfied,Owner id",
    );
    expect(lines.slice(1)).toEqual([
      `2026-11,max@contoso.example,0,0,0,0,,2,3,0.5,${maxId}`,
      `2026-11,rita@contoso.example,2,1,0,1,0,0,,,${ritaId}`,
      `2026-12,rita@contoso.example,1,1,0,0,100,0,,,${ritaId}`,
    ]);
    const xlsx = await fetch(`${server.baseUrl}/api/v1/reports/ratings.xlsx`, {
      headers: { authorization: `Bearer ${max}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(2).getCell(10).value).toBe(0.5);
    expect(sheet?.getRow(4).getCell(7).value).toBe(100);
  });

  it("reports the answers of a saved segment's members, and no other organisation's segment", async () => {
    const ritas = (
      await post("/api/v1/segments", {
        name: "Rita's contacts",
        filter: { conditions: [{ field: "owner", values: [ritaId] }] },
      })
    ).body as Body;
    const bySegment = async (id: string, token = max) =>
      server.request("GET", `/api/v1/reports/ratings?segmentId=${id}`, { token });
    const report = parse(RatingsReport, await bySegment(ritas.id as string));
    // Anna (Rita's) answered NPS three times; Bo (Max's) answered the CSAT questions.
    expect(report.total).toMatchObject({ npsAnswers: 3, csatAnswers: 0 });
    expect(report.rows.map((r) => r.ownerId)).toEqual([ritaId, ritaId]);
    const csv = await fetch(`${server.baseUrl}/api/v1/reports/ratings.csv?segmentId=${ritas.id as string}`, {
      headers: { authorization: `Bearer ${max}` },
    });
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(3);

    const eves = (await post("/api/v1/segments", { name: "Eve's", filter: { conditions: [] } }, eve))
      .body as Body;
    expect((await bySegment(eves.id as string)).status).toBe(404);
    expect((await bySegment("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("fills a template's survey field with a link for each recipient that answers like the pane's", async () => {
    const template = (
      (
        await post("/api/v1/templates", {
          name: "How did we do?",
          scope: "organization",
          variants: {
            en: {
              subject: "How did we do?",
              html: "<p>Hi {{contact.firstName}}, tell us: {{survey.csat}}</p>",
            },
            sv: { subject: "Hur gick det?", html: "<p>Hej! {{survey.csat}}</p>" },
          },
        })
      ).body as Body
    ).id as string;
    const rendered = async (contactId: string) =>
      (
        await post<{ html: string; unfilled: string[]; language: string }>(
          `/api/v1/templates/${template}/render`,
          {
            contactId,
          },
        )
      ).body;
    const forAnna = await rendered(anna);
    const forBo = await rendered(bo);
    expect(forAnna.unfilled).toEqual([]);
    const href = (html: string) => /<a href="([^"]+)">/.exec(html)?.[1] as string;
    expect(href(forAnna.html)).toMatch(new RegExp(`^${server.baseUrl}/s/`));
    expect(href(forAnna.html)).not.toBe(href(forBo.html));
    const annasPage = await (await page(pathOf(href(forAnna.html)))).text();
    expect(annasPage).toContain("Hur nöjd är du med oss?");
    expect(annasPage.match(/type="radio" name="score"/g)).toHaveLength(5);
    expect((await answer(pathOf(href(forBo.html)), "score=5")).status).toBe(200);
    expect((await ratingsOf("contacts", bo)).csat).toMatchObject({ latest: 5, previous: 2, count: 3 });
  });

  it("refuses a body past the page's limit and stores nothing", async () => {
    const made = await link(bo, "csat");
    const before = await rows();
    const response = await answer(pathOf(made.url), `score=5&comment=${"a".repeat(40 * 1024)}`);
    expect(response.status).toBe(413);
    expect(await rows()).toEqual(before);
  });

  it("keeps at most 2,000 characters of a comment, and none of its control characters", async () => {
    const made = await link(bo, "csat");
    const long = `\u0000\u0007${"é".repeat(2100)}`;
    expect((await answer(pathOf(made.url), `score=3&comment=${encodeURIComponent(long)}`)).status).toBe(200);
    const kept = await server.database.db
      .selectFrom("ratings")
      .select("comment")
      .where("score", "=", 3)
      .executeTakeFirstOrThrow();
    expect(kept.comment).toBe("é".repeat(2000));
  });

  it("includes the ratings in the person's data export and erases them with the person", async () => {
    const exported = parse(
      PersonDataExport,
      await server.request("GET", `/api/v1/contacts/${anna}/data-export`, { token: rita }),
    );
    expect(exported.ratings.map((r) => [r.kind, r.score])).toEqual([
      ["nps", 9],
      ["nps", 10],
      ["nps", 6],
    ]);
    expect(exported.description.ratings).toContain("surveys");
    const erased = parse(
      ContactErased,
      await server.request("POST", `/api/v1/contacts/${anna}/erase`, { token: rita }),
    );
    expect(erased.ratingsDeleted).toBe(3);
    expect((await rows()).filter((r) => r.contact_id === anna)).toEqual([]);
    // Her links now answer like links that never existed.
    expect((await page(pathOf(first.url))).status).toBe(404);
  });

  it("limits how often one address may open or answer survey pages", async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 201 && !limited; i++) {
      const response = await page("/s/nothing");
      if (response.status === 429) limited = response;
      else await response.text();
    }
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await limited?.text()).toContain("Too many answers.");
  });
});
