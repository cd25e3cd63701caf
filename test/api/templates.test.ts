import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { Page } from "../../src/shared/common";
import { DealWithStage } from "../../src/shared/deals";
import type { Problem } from "../../src/shared/errors";
import { LoggedEmail } from "../../src/shared/interactions";
import { RenderedTemplate, SenderProfile, Template, TemplateStats } from "../../src/shared/templates";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const NOW = new Date("2026-12-06T10:00:00Z");
const NBSP = "\u00a0";

describe.each(storeKinds)("email templates (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let colleague: string;
  let outsider: string;
  let adminId: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => NOW });
    // The first user of an organisation is its admin; the next ones are members.
    admin = await server.issuer.sign({ email: "ada@tpl.example", org: "tpl.example", name: "Ada Admin" });
    member = await server.issuer.sign({ email: "max@tpl.example", org: "tpl.example", name: "Max Member" });
    colleague = await server.token("cleo@tpl.example");
    outsider = await server.token("olga@other.example");
    adminId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    for (const token of [member, colleague, outsider]) await server.request("GET", "/api/v1/me", { token });
  });
  afterAll(() => server.close());

  const call = (token: string, method: string, path: string, body?: unknown) =>
    server.request(method, path, { token, body });
  const problem = (response: Response) => response.body as Problem;
  const templateCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom("templates")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const create = async (token: string, body: Record<string, unknown>) => {
    const response = await call(token, "POST", "/api/v1/templates", body);
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    return parse(Template, response);
  };
  const list = async (token: string, query = "") =>
    parse(Page(Template), await call(token, "GET", `/api/v1/templates${query}`)).items;
  const render = (token: string, id: string, body: Record<string, unknown>) =>
    call(token, "POST", `/api/v1/templates/${id}/render`, body);
  const newContact = async (token: string, body: Record<string, unknown>) => {
    const response = await call(token, "POST", "/api/v1/contacts", body);
    expect(response.status).toBe(201);
    return parse(Contact, response);
  };

  describe("writing templates", () => {
    it("creates an organisation template in two languages, edits it with its version, and finds it by name or subject", async () => {
      const template = await create(admin, {
        name: "Offer follow-up",
        scope: "organization",
        folder: "Offers",
        tags: ["offer", "q3"],
        variants: {
          en: { subject: "Your offer, {{contact.firstName}}", html: "<p>Hello {{contact.firstName}}</p>" },
          sv: { subject: "Din offert från Contoso", html: "<p>Hej {{ contact.firstName }}</p>" },
        },
      });
      expect(template).toMatchObject({
        scope: "organization",
        ownerId: null,
        folder: "Offers",
        tags: ["offer", "q3"],
        archived: false,
        version: 1,
        variants: {
          en: { subject: "Your offer, {{contact.firstName}}" },
          sv: { html: "<p>Hej {{ contact.firstName }}</p>" },
        },
      });
      expect(Object.keys(template.variants)).toEqual(["en", "sv"]);

      expect((await list(member, "?q=follow-UP")).map((t) => t.id)).toEqual([template.id]);
      expect((await list(member, `?q=${encodeURIComponent("offert från")}`)).map((t) => t.id)).toEqual([
        template.id,
      ]);
      expect((await list(member, "?q=nothing-like-this")).length).toBe(0);
      expect((await list(member, "?folder=Offers&tag=q3")).map((t) => t.id)).toEqual([template.id]);

      const edited = await call(admin, "PATCH", `/api/v1/templates/${template.id}`, {
        name: "Offer follow-up (short)",
        variants: { de: { subject: "Ihr Angebot", html: "<p>Guten Tag {{contact.lastName}}</p>" } },
        version: 1,
      });
      expect(edited.status).toBe(200);
      expect(parse(Template, edited)).toMatchObject({ name: "Offer follow-up (short)", version: 2 });
      expect(Object.keys(parse(Template, edited).variants)).toEqual(["de"]);

      const stale = await call(admin, "PATCH", `/api/v1/templates/${template.id}`, {
        name: "Lost",
        version: 1,
      });
      expect(stale.status).toBe(409);
      expect(problem(stale)).toMatchObject({
        code: "version_conflict",
        current: { name: "Offer follow-up (short)" },
      });
    });

    it("archives a template out of the list and restores it", async () => {
      const template = await create(admin, {
        name: "Seasonal greeting",
        scope: "organization",
        variants: { en: { subject: "Season's greetings", html: "<p>Warm wishes</p>" } },
      });
      const archived = parse(
        Template,
        await call(admin, "PATCH", `/api/v1/templates/${template.id}`, { archived: true, version: 1 }),
      );
      expect(archived).toMatchObject({ archived: true, version: 2 });
      expect(archived.archivedAt).not.toBeNull();
      expect((await list(member, "?q=Seasonal")).length).toBe(0);
      expect((await list(member, "?q=Seasonal&archived=true")).map((t) => t.id)).toEqual([template.id]);
      expect((await list(member, "?q=Seasonal&archived=all")).map((t) => t.id)).toEqual([template.id]);
      const restored = await call(admin, "PATCH", `/api/v1/templates/${template.id}`, {
        archived: false,
        version: 2,
      });
      expect(parse(Template, restored)).toMatchObject({ archived: false, archivedAt: null });
      expect((await list(member, "?q=Seasonal")).map((t) => t.id)).toEqual([template.id]);
    });

    it("pages the list by name with a cursor that visits each template once", async () => {
      for (const name of ["Page C", "page a", "Page B", "PAGE D", "page e"])
        await create(member, {
          name,
          scope: "personal",
          variants: { en: { subject: name, html: "<p>x</p>" } },
        });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?q=page&scope=personal&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const page = parse(Page(Template), await call(member, "GET", `/api/v1/templates${query}`));
        seen.push(...page.items.map((t) => t.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["page a", "Page B", "Page C", "PAGE D", "page e"]);
    });

    it("lets only admins write the organisation's templates; a member's personal template is theirs alone", async () => {
      const before = await templateCount();
      const refused = await call(member, "POST", "/api/v1/templates", {
        name: "Member's org template",
        scope: "organization",
        variants: { en: { subject: "x", html: "x" } },
      });
      expect(refused.status).toBe(403);
      expect(problem(refused).code).toBe("forbidden");
      expect(await templateCount()).toBe(before);

      const orgTemplate = await create(admin, {
        name: "Visible to all",
        scope: "organization",
        variants: { en: { subject: "Hi", html: "<p>Hi</p>" } },
      });
      const memberEdit = await call(member, "PATCH", `/api/v1/templates/${orgTemplate.id}`, {
        name: "Mine",
        version: 1,
      });
      expect(memberEdit.status).toBe(403);
      expect((await call(member, "DELETE", `/api/v1/templates/${orgTemplate.id}`)).status).toBe(403);
      expect(parse(Template, await call(member, "GET", `/api/v1/templates/${orgTemplate.id}`)).name).toBe(
        "Visible to all",
      );

      const own = await create(member, {
        name: "Max's own opener",
        scope: "personal",
        variants: { en: { subject: "Quick question", html: "<p>Hi</p>" } },
      });
      expect(own.ownerId).not.toBeNull();
      // Nobody else sees it: not the admin, not a colleague; for them it does not exist.
      for (const other of [admin, colleague]) {
        expect((await list(other, "?q=opener")).length).toBe(0);
        expect((await call(other, "GET", `/api/v1/templates/${own.id}`)).status).toBe(404);
        expect(
          (await call(other, "PATCH", `/api/v1/templates/${own.id}`, { name: "Taken", version: 1 })).status,
        ).toBe(404);
        expect((await call(other, "DELETE", `/api/v1/templates/${own.id}`)).status).toBe(404);
        expect((await call(other, "GET", `/api/v1/templates/${own.id}/stats`)).status).toBe(404);
      }
      expect((await list(member, "?q=opener")).map((t) => t.id)).toEqual([own.id]);
      const edited = await call(member, "PATCH", `/api/v1/templates/${own.id}`, {
        name: "Max's opener",
        version: 1,
      });
      expect(parse(Template, edited).name).toBe("Max's opener");
      expect((await call(member, "DELETE", `/api/v1/templates/${own.id}`)).status).toBe(200);
      expect((await call(member, "GET", `/api/v1/templates/${own.id}`)).status).toBe(404);
    });
  });

  describe("merge fields and HTML on save", () => {
    it("refuses a merge field that does not exist, naming it, and stores nothing", async () => {
      const before = await templateCount();
      const refused = await call(admin, "POST", "/api/v1/templates", {
        name: "Typo",
        scope: "organization",
        variants: {
          en: { subject: "Hi {{contact.firstName}}", html: "<p>Dear {{contact.firstName}}</p>" },
          sv: { subject: "Hej {{contact.förnamn}}", html: "<p>{{deal.custom.tier}} {{rep.signature}}</p>" },
        },
      });
      expect(refused.status).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      const body = problem(refused);
      expect(body.code).toBe("invalid_request");
      expect(body.detail).toContain("contact.förnamn");
      expect(body.detail).toContain("deal.custom.tier");
      expect(body.errors).toEqual([
        { path: "body.variants.sv.subject", message: "{{contact.förnamn}} is not a merge field" },
        { path: "body.variants.sv.html", message: "{{deal.custom.tier}} is not a merge field" },
      ]);
      expect(await templateCount()).toBe(before);
    });

    it("takes a custom field once it is defined, and refuses a field inside a link's address", async () => {
      const early = await call(admin, "POST", "/api/v1/templates", {
        name: "Tiered",
        scope: "organization",
        variants: { en: { subject: "Tier", html: "<p>Your tier: {{deal.custom.tier}}</p>" } },
      });
      expect(early.status).toBe(400);
      expect(
        (
          await call(admin, "POST", "/api/v1/custom-fields", {
            entity: "deal",
            key: "tier",
            label: "Tier",
            type: "text",
          })
        ).status,
      ).toBe(201);
      await create(admin, {
        name: "Tiered",
        scope: "organization",
        variants: { en: { subject: "Tier", html: "<p>Your tier: {{deal.custom.tier}}</p>" } },
      });

      const before = await templateCount();
      const inLink = await call(admin, "POST", "/api/v1/templates", {
        name: "Linked",
        scope: "organization",
        variants: {
          en: { subject: "x", html: '<a href="https://contoso.example/{{contact.firstName}}">offer</a>' },
        },
      });
      expect(inLink.status).toBe(400);
      expect(problem(inLink).errors).toEqual([
        {
          path: "body.variants.en.html",
          message: "{{contact.firstName}} is inside a tag; merge fields go in the text",
        },
      ]);
      expect(await templateCount()).toBe(before);
    });

    it("sanitises hostile HTML on save: no script, event attribute, javascript: address or remote content but images", async () => {
      const hostile = [
        '<p onclick="steal()">Hello <script>alert(document.cookie)</script>{{contact.firstName}}</p>',
        '<img src="https://cdn.contoso.example/logo.png" alt="Contoso" onerror="steal()">',
        '<img src="//evil.example/pixel.png">',
        '<a href="javascript:alert(1)">one</a><a href="JaVaScRiPt&#58;alert(2)">two</a>',
        '<a href=" javascript:alert(3)">three</a><a href="https://contoso.example/offer">offer</a>',
        '<iframe src="https://evil.example"></iframe><object data="https://evil.example/x.swf"></object>',
        '<embed src="https://evil.example/x"><link rel="stylesheet" href="https://evil.example/x.css">',
        "<style>body { background: url(https://evil.example/track.png) }</style>",
        '<span style="background-image: url(https://evil.example/t.png); color: #c00">red</span>',
        '<form action="https://evil.example"><input name="password"></form>',
        '<svg onload="steal()"><script>steal()</script></svg>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<base href="https://evil.example/"><div style="width: expression(alert(1))">x</div>',
        "<!-- {{contact.nothing}} -->",
      ].join("");
      const template = await create(admin, {
        name: "Hostile",
        scope: "organization",
        variants: { en: { subject: "Hostile", html: hostile } },
      });
      const html = template.variants.en?.html ?? "";
      for (const banned of [
        "<script",
        "onclick",
        "onerror",
        "onload",
        "javascript",
        "<iframe",
        "<object",
        "<embed",
        "<link",
        "<style",
        "url(",
        "evil.example",
        "<form",
        "<input",
        "<svg",
        "<meta",
        "<base",
        "expression",
        "<!--",
        "steal",
      ])
        expect([banned, html.toLowerCase().includes(banned.toLowerCase())]).toEqual([banned, false]);
      expect(html).toContain('<img src="https://cdn.contoso.example/logo.png" alt="Contoso" />');
      expect(html).toContain('<a href="https://contoso.example/offer">offer</a>');
      expect(html).toContain('<span style="color:#c00">red</span>');
      expect(html).toContain("Hello {{contact.firstName}}");
      // What was stored is what is read: the sanitised text.
      const stored = await server.database.db
        .selectFrom("template_variants")
        .select("html")
        .where("template_id", "=", template.id)
        .executeTakeFirstOrThrow();
      expect(stored.html).toBe(html);
    });

    it("refuses HTML nested past the bound and a body past the logged mail's bound, storing nothing", async () => {
      const before = await templateCount();
      const deep = await call(admin, "POST", "/api/v1/templates", {
        name: "Deep",
        scope: "organization",
        variants: { en: { subject: "x", html: `${"<b>".repeat(1000)}${"</i>".repeat(1000)}` } },
      });
      expect(deep.status).toBe(400);
      expect(problem(deep).errors?.[0]?.path).toBe("body.variants.en.html");
      const huge = await call(admin, "POST", "/api/v1/templates", {
        name: "Huge",
        scope: "organization",
        variants: { en: { subject: "x", html: "a".repeat(1_000_001) } },
      });
      expect([400, 413]).toContain(huge.status);
      expect(await templateCount()).toBe(before);
    });
  });

  describe("rendering for a contact", () => {
    let company: string;
    let template: Template;

    beforeAll(async () => {
      company = parse(
        Company,
        await call(admin, "POST", "/api/v1/companies", { name: "Fabrikam AB", domain: "fabrikam.example" }),
      ).id;
      template = await create(admin, {
        name: "Proposal",
        scope: "organization",
        variants: {
          en: {
            subject: "Proposal for {{company.name}}",
            html: "<p>Dear {{contact.firstName}}, {{deal.name}} comes to {{deal.amount}} ({{deal.stage}}).</p><p>{{today}}</p><p>{{rep.signature}}</p>",
          },
          sv: {
            subject: "Offert till {{company.name}}, {{contact.title}}",
            html: "<p>Hej {{contact.firstName}}! {{deal.name}} landar på {{deal.amount}} ({{deal.stage}}).</p><p>{{today}}</p><p>{{contact.title}}</p><p>{{rep.name}}<br>{{rep.signature}}</p>",
          },
          de: { subject: "Angebot", html: "<p>Guten Tag {{contact.lastName}}</p>" },
        },
      });
      const profile = await call(admin, "PATCH", "/api/v1/me/sender-profile", {
        title: "Key account manager",
        phone: "+46 8 123 45 67",
        signature: "Ada Admin\nContoso <Nordic>",
      });
      expect(parse(SenderProfile, profile)).toEqual({
        name: "Ada Admin",
        title: "Key account manager",
        phone: "+46 8 123 45 67",
        signature: "Ada Admin\nContoso <Nordic>",
      });
    });

    it("writes a Swedish contact's template in Swedish, with the amount and the date as Swedish writes them", async () => {
      const anna = await newContact(admin, {
        displayName: "Åsa <b>Berg</b>",
        firstName: "Åsa <b>",
        lastName: "Berg",
        title: "Inköpschef",
        companyId: company,
        language: "sv",
        emails: ["asa@fabrikam.example"],
      });
      expect(anna.language).toBe("sv");
      const deal = parse(
        DealWithStage,
        await call(admin, "POST", "/api/v1/deals", {
          name: "Ramavtal 2027",
          amount: 12345.5,
          currency: "SEK",
          contactIds: [anna.id],
          companyId: company,
        }),
      );
      const response = await render(admin, template.id, { contactId: anna.id, timeZone: "Europe/Stockholm" });
      expect(response.status).toBe(200);
      const rendered = parse(RenderedTemplate, response);
      expect(rendered).toMatchObject({ language: "sv", dealId: deal.id, contactId: anna.id, unfilled: [] });
      expect(rendered.subject).toBe("Offert till Fabrikam AB, Inköpschef");
      expect(rendered.html).toBe(
        `<p>Hej Åsa &lt;b&gt;! Ramavtal 2027 landar på 12${NBSP}345,50${NBSP}kr (${deal.stage.name}).</p>` +
          "<p>6 december 2026</p><p>Inköpschef</p><p>Ada Admin<br />Ada Admin<br>Contoso &lt;Nordic&gt;</p>",
      );
    });

    it("falls back to the rep's language, then English, and writes amounts in the variant's language", async () => {
      const noLanguage = await newContact(admin, {
        displayName: "Pat Doe",
        firstName: "Pat",
        companyId: company,
      });
      const english = parse(
        RenderedTemplate,
        await render(admin, template.id, { contactId: noLanguage.id, dealId: null }),
      );
      expect(english.language).toBe("en");
      expect(english.subject).toBe("Proposal for Fabrikam AB");

      expect((await call(admin, "PATCH", "/api/v1/me/settings", { language: "de" })).status).toBe(200);
      const german = parse(RenderedTemplate, await render(admin, template.id, { contactId: noLanguage.id }));
      expect(german.language).toBe("de");
      expect((await call(admin, "PATCH", "/api/v1/me/settings", { language: null })).status).toBe(200);

      const croatian = await newContact(admin, {
        displayName: "Ivo Horvat",
        firstName: "Ivo",
        language: "hr",
      });
      const deal = parse(
        DealWithStage,
        await call(admin, "POST", "/api/v1/deals", { name: "Licence", amount: 1000, currency: "EUR" }),
      );
      const fallback = parse(
        RenderedTemplate,
        await render(admin, template.id, { contactId: croatian.id, dealId: deal.id }),
      );
      expect(fallback.language).toBe("en");
      expect(fallback.html).toContain("Licence comes to €1,000.00");
    });

    it("marks a field without a value in the text and lists it, in the subject too", async () => {
      const bare = await newContact(admin, { displayName: "Bo Bare", firstName: "Bo", language: "sv" });
      const rendered = parse(RenderedTemplate, await render(admin, template.id, { contactId: bare.id }));
      expect(rendered.language).toBe("sv");
      expect(rendered.unfilled).toEqual([
        "company.name",
        "contact.title",
        "deal.name",
        "deal.amount",
        "deal.stage",
      ]);
      expect(rendered.subject).toBe("Offert till [company.name], [contact.title]");
      expect(rendered.html).toContain('<mark data-rapport-unfilled="contact.title">[contact.title]</mark>');
      expect(rendered.html).toContain(
        'Hej Bo! <mark data-rapport-unfilled="deal.name">[deal.name]</mark> landar på <mark data-rapport-unfilled="deal.amount">[deal.amount]</mark>',
      );
    });

    it("fills custom fields, written in the variant's language", async () => {
      await call(admin, "POST", "/api/v1/custom-fields", {
        entity: "contact",
        key: "seats",
        label: "Seats",
        type: "number",
      });
      await call(admin, "POST", "/api/v1/custom-fields", {
        entity: "contact",
        key: "renewal",
        label: "Renewal",
        type: "date",
      });
      const custom = await create(admin, {
        name: "Renewal",
        scope: "organization",
        variants: {
          sv: {
            subject: "Förnyelse",
            html: "<p>{{contact.custom.seats}} platser, {{contact.custom.renewal}}</p>",
          },
        },
      });
      const erik = await newContact(admin, {
        displayName: "Erik",
        language: "sv",
        customFields: { seats: 1500, renewal: "2027-03-01" },
      });
      const rendered = parse(RenderedTemplate, await render(admin, custom.id, { contactId: erik.id }));
      expect(rendered.html).toBe(`<p>1${NBSP}500 platser, 1 mars 2027</p>`);
    });

    it("refuses to render a body that its values would make longer than a template's bound", async () => {
      // Five characters each once escaped: 2,000 of them in each of 101 places pass 1,000,000 characters, from
      // a template of 2 KB. Without a bound, a few more places and a few such requests fill the server's memory.
      const profile = await call(member, "PATCH", "/api/v1/me/sender-profile", {
        signature: "&".repeat(2000),
      });
      expect(profile.status).toBe(200);
      const repeated = await create(member, {
        name: "Signature everywhere",
        scope: "personal",
        variants: { en: { subject: "Hi", html: "<p>{{rep.signature}}</p>".repeat(101) } },
      });
      const contact = await newContact(member, { displayName: "Long Read", firstName: "Long" });
      const refused = await render(member, repeated.id, { contactId: contact.id });
      expect([refused.status, problem(refused).code, problem(refused).detail]).toEqual([
        422,
        "invalid_request",
        expect.stringContaining("longer than 1000000 characters"),
      ]);
      // One place fewer fits, and renders in full.
      const fits = await call(member, "PATCH", `/api/v1/templates/${repeated.id}`, {
        variants: { en: { subject: "Hi", html: "<p>{{rep.signature}}</p>".repeat(99) } },
        version: repeated.version,
      });
      expect(fits.status).toBe(200);
      const rendered = parse(RenderedTemplate, await render(member, repeated.id, { contactId: contact.id }));
      expect(rendered.html.length).toBe(99 * (7 + 2000 * 5));
      await call(member, "PATCH", "/api/v1/me/sender-profile", { signature: null });
    });

    it("refuses a contact or deal it cannot find with 404", async () => {
      const contact = await newContact(admin, { displayName: "Found" });
      expect(
        (await render(admin, template.id, { contactId: "00000000-0000-4000-8000-000000000000" })).status,
      ).toBe(404);
      expect(
        (
          await render(admin, template.id, {
            contactId: contact.id,
            dealId: "00000000-0000-4000-8000-000000000000",
          })
        ).status,
      ).toBe(404);
      expect(
        (await render(admin, template.id, { contactId: contact.id, timeZone: "Mars/Olympus" })).status,
      ).toBe(400);
    });
  });

  describe("another organisation", () => {
    it("sees, renders, counts and logs with none of this organisation's templates", async () => {
      const template = await create(admin, {
        name: "Internal only",
        scope: "organization",
        variants: { en: { subject: "Internal", html: "<p>{{contact.firstName}}</p>" } },
      });
      const theirContact = await newContact(outsider, { displayName: "Theirs", firstName: "T" });
      const ourContact = await newContact(admin, { displayName: "Ours", firstName: "O" });
      expect((await list(outsider, "?q=Internal")).length).toBe(0);
      expect((await list(outsider)).length).toBe(0);
      expect((await call(outsider, "GET", `/api/v1/templates/${template.id}`)).status).toBe(404);
      expect(
        (await call(outsider, "PATCH", `/api/v1/templates/${template.id}`, { name: "x", version: 1 })).status,
      ).toBe(404);
      expect((await call(outsider, "DELETE", `/api/v1/templates/${template.id}`)).status).toBe(404);
      expect((await render(outsider, template.id, { contactId: theirContact.id })).status).toBe(404);
      expect((await call(outsider, "GET", `/api/v1/templates/${template.id}/stats`)).status).toBe(404);
      // Nor does our template render one of their contacts.
      expect((await render(admin, template.id, { contactId: theirContact.id })).status).toBe(404);
      expect((await render(admin, template.id, { contactId: ourContact.id })).status).toBe(200);

      const interactionsBefore = await server.database.db
        .selectFrom("interactions")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      const logged = await call(outsider, "POST", "/api/v1/emails", {
        internetMessageId: "<cross-org@other.example>",
        from: { address: "olga@other.example" },
        to: [{ address: "someone@customer.example" }],
        sentAt: "2026-12-01T10:00:00Z",
        templateId: template.id,
      });
      // Their email is logged in their organisation, and our template counts no use of theirs.
      expect(logged.status).toBe(201);
      const interactionsAfter = await server.database.db
        .selectFrom("interactions")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(interactionsAfter.n)).toBe(Number(interactionsBefore.n) + 1);
      const stats = await call(admin, "GET", `/api/v1/templates/${template.id}/stats`);
      expect(stats.body).toMatchObject({ used: 0, answered: 0 });
    });
  });

  describe("usage", () => {
    it("logs an email whose template was deleted after it went into the draft, counting no use", async () => {
      const template = await create(member, {
        name: "Short-lived",
        scope: "personal",
        variants: { en: { subject: "Short-lived", html: "<p>Hi {{contact.firstName}}</p>" } },
      });
      expect((await call(member, "DELETE", `/api/v1/templates/${template.id}`)).status).toBe(200);
      // The send's log, from the outbox (or classic Outlook's queue, hours later) after the deletion.
      const logged = await call(member, "POST", "/api/v1/emails", {
        internetMessageId: "<after-the-template@tpl.example>",
        subject: "Short-lived",
        from: { address: "max@tpl.example" },
        to: [{ address: "someone@customer.example" }],
        sentAt: "2026-12-03T09:00:00Z",
        source: "on-send",
        templateId: template.id,
      });
      expect(logged.status).toBe(201);
      const stored = await server.database.db
        .selectFrom("interactions")
        .leftJoin("template_uses", "template_uses.interaction_id", "interactions.id")
        .select(["interactions.subject", "template_uses.template_id"])
        .where("interactions.id", "=", (logged.body as { interaction: { id: string } }).interaction.id)
        .execute();
      expect(stored).toEqual([{ subject: "Short-lived", template_id: null }]);
    });

    it("records a template's use on the logged email and counts the answers", async () => {
      const template = await create(admin, {
        name: "Counted",
        scope: "organization",
        variants: { en: { subject: "Counted", html: "<p>Hi {{contact.firstName}}</p>" } },
      });
      await newContact(admin, {
        displayName: "Reply Rita",
        firstName: "Rita",
        emails: ["rita@replies.example"],
      });
      await newContact(admin, {
        displayName: "Silent Sam",
        firstName: "Sam",
        emails: ["sam@silent.example"],
      });
      const stats = async () =>
        parse(TemplateStats, await call(member, "GET", `/api/v1/templates/${template.id}/stats`));
      expect(await stats()).toEqual({ templateId: template.id, used: 0, answered: 0, lastUsedAt: null });

      const logEmail = (token: string, body: Record<string, unknown>) =>
        call(token, "POST", "/api/v1/emails", body);
      const toRita = await logEmail(admin, {
        internetMessageId: "<offer-rita@tpl.example>",
        conversationId: "conv-rita",
        subject: "Counted",
        from: { address: "ada@tpl.example" },
        to: [{ address: "rita@replies.example" }],
        sentAt: "2026-12-01T09:00:00Z",
        source: "on-send",
        templateId: template.id,
      });
      expect(toRita.status).toBe(201);
      const toSam = await logEmail(admin, {
        internetMessageId: "<offer-sam@tpl.example>",
        conversationId: "conv-sam",
        subject: "Counted",
        from: { address: "ada@tpl.example" },
        to: [{ address: "sam@silent.example" }],
        sentAt: "2026-12-02T09:00:00Z",
        templateId: template.id,
      });
      expect(toSam.status).toBe(201);
      // The same email logged again (the sent copy, a colleague) is still one use.
      const again = await logEmail(colleague, {
        internetMessageId: "<offer-rita@tpl.example>",
        from: { address: "ada@tpl.example" },
        to: [{ address: "rita@replies.example" }],
        sentAt: "2026-12-01T09:00:00Z",
        templateId: template.id,
      });
      expect(again.status).toBe(200);
      expect(await stats()).toEqual({
        templateId: template.id,
        used: 2,
        answered: 0,
        lastUsedAt: "2026-12-02T09:00:00.000Z",
      });

      // Sam writes in another conversation: not an answer to the template's mail. Rita answers in hers.
      await logEmail(admin, {
        internetMessageId: "<sam-other@silent.example>",
        conversationId: "conv-unrelated",
        from: { address: "sam@silent.example" },
        to: [{ address: "ada@tpl.example" }],
        sentAt: "2026-12-03T09:00:00Z",
      });
      // An answer before the mail was sent is none either.
      await logEmail(admin, {
        internetMessageId: "<rita-earlier@replies.example>",
        conversationId: "conv-rita",
        from: { address: "rita@replies.example" },
        to: [{ address: "ada@tpl.example" }],
        sentAt: "2026-11-30T09:00:00Z",
      });
      expect((await stats()).answered).toBe(0);
      const reply = parse(
        LoggedEmail,
        await logEmail(admin, {
          internetMessageId: "<rita-reply@replies.example>",
          conversationId: "conv-rita",
          subject: "RE: Counted",
          from: { address: "rita@replies.example" },
          to: [{ address: "ada@tpl.example" }],
          sentAt: "2026-12-01T15:00:00Z",
        }),
      );
      expect(reply.interaction.direction).toBe("in");
      expect(await stats()).toMatchObject({ used: 2, answered: 1 });

      const uses = await server.database.db
        .selectFrom("template_uses")
        .select(["template_id", "used_by"])
        .where("template_id", "=", template.id)
        .execute();
      expect(uses).toEqual([
        { template_id: template.id, used_by: adminId },
        { template_id: template.id, used_by: adminId },
      ]);
    });

    it("offers the templates the caller sent last first, then the rest by name, each page once", async () => {
      const rep = await server.issuer.sign({
        email: "rex@recent.example",
        org: "recent.example",
        name: "Rex",
      });
      const names = ["Alpha", "Bravo", "Charlie", "Delta"];
      const made: Record<string, string> = {};
      for (const name of names)
        made[name] = (
          await create(rep, {
            name,
            scope: "personal",
            variants: { en: { subject: name, html: "<p>x</p>" } },
          })
        ).id;
      // Charlie sent last, then Alpha; Bravo and Delta never.
      for (const [name, sentAt] of [
        ["Alpha", "2026-12-02T09:00:00Z"],
        ["Charlie", "2026-12-03T09:00:00Z"],
        ["Alpha", "2026-11-01T09:00:00Z"],
      ] as const) {
        const logged = await call(rep, "POST", "/api/v1/emails", {
          internetMessageId: `<${name}-${sentAt}@recent.example>`,
          from: { address: "rex@recent.example" },
          to: [{ address: "buyer@customer.example" }],
          sentAt,
          templateId: made[name],
        });
        expect(logged.status).toBe(201);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?order=recent&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
        const page = parse(Page(Template), await call(rep, "GET", `/api/v1/templates${query}`));
        seen.push(...page.items.map((t) => t.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["Charlie", "Alpha", "Bravo", "Delta"]);
    });

    it("logs an email naming a template the logger cannot see, and counts no use of it", async () => {
      const own = await create(member, {
        name: "Max's private",
        scope: "personal",
        variants: { en: { subject: "Private", html: "<p>x</p>" } },
      });
      const logged = await call(colleague, "POST", "/api/v1/emails", {
        internetMessageId: "<private-use@tpl.example>",
        from: { address: "cleo@tpl.example" },
        to: [{ address: "anyone@customer.example" }],
        sentAt: "2026-12-01T10:00:00Z",
        templateId: own.id,
      });
      expect(logged.status).toBe(201);
      const stored = await server.database.db
        .selectFrom("interactions")
        .leftJoin("template_uses", "template_uses.interaction_id", "interactions.id")
        .select("template_uses.template_id")
        .where("internet_message_id", "=", "<private-use@tpl.example>")
        .execute();
      expect(stored).toEqual([{ template_id: null }]);
      expect((await call(member, "GET", `/api/v1/templates/${own.id}/stats`)).body).toMatchObject({
        used: 0,
      });
    });
  });
});
