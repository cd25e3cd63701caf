import { sql } from "kysely";
import { Contact } from "../../src/shared/contacts";
import { ContactErased, PersonDataExport } from "../../src/shared/person-data";
import type { Problem } from "../../src/shared/errors";
import { Page } from "../../src/shared/common";
import { Task } from "../../src/shared/tasks";
import { Lead, WebForm, WebFormEmbed, type WebFormCreate } from "../../src/shared/web-forms";
import type { WebFormLimits } from "../../src/server/web-forms/public";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const ALLOWED = "https://www.customer-site.example";
const NOT_ALLOWED = "https://evil.example";
const GENEROUS: WebFormLimits = {
  perIpPerMinute: 100_000,
  perFormPerMinute: 100_000,
  perAddressPerHour: 100_000,
  pagesPerIpPerMinute: 100_000,
};

interface Raw {
  status: number;
  text: string;
  headers: Headers;
}

describe.each(storeKinds)("web forms (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let adminId: string;
  let memberId: string;
  // The server's clock: a page's signed timestamp and a submission are apart by what the test says.
  let now = new Date("2026-12-07T09:00:00Z");
  const later = (seconds = 10) => {
    now = new Date(now.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => now, webForms: GENEROUS });
    admin = await server.token("ada@forms.example");
    member = await server.token("max@forms.example");
    adminId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    memberId = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: member })).body
      .user.id;
    // The member reads Swedish: their follow-up tasks are titled in it.
    await server.request("PATCH", "/api/v1/me/settings", { token: member, body: { language: "sv" } });
    await server.request("POST", "/api/v1/custom-fields", {
      token: admin,
      body: {
        entity: "contact",
        key: "interest",
        label: "Interest",
        type: "choice",
        choices: ["CRM", "ERP"],
      },
    });
  });
  afterAll(() => server.close());

  const formBody = (overrides: Partial<WebFormCreate> = {}): WebFormCreate => ({
    name: "Contact us",
    title: "Talk to sales",
    fields: [
      { target: "contact.email", label: "Email", labels: { sv: "E-post" }, required: true },
      { target: "contact.firstName", label: "First name", labels: { sv: "Förnamn" }, required: true },
      { target: "contact.lastName", label: "Last name", labels: {}, required: false },
      { target: "contact.title", label: "Job title", labels: { sv: "Titel" }, required: false },
      { target: "company.name", label: "Company", labels: { sv: "Företag" }, required: false },
      { target: "contact.custom.interest", label: "Interest", labels: { sv: "Intresse" }, required: false },
    ],
    consentText: "You may contact me about Rapport.",
    afterSubmit: { kind: "message", message: "Thanks, we will be in touch." },
    owner: { kind: "user", userId: adminId },
    allowedOrigins: [ALLOWED],
    ...overrides,
  });

  const createForm = async (overrides: Partial<WebFormCreate> = {}, token = admin) => {
    const response = await server.request("POST", "/api/v1/web-forms", { token, body: formBody(overrides) });
    expect([response.status, response.body]).toEqual([
      201,
      expect.objectContaining({ id: expect.any(String) }),
    ]);
    return parse(WebForm, response);
  };

  const raw = async (path: string, init: RequestInit = {}): Promise<Raw> => {
    const response = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", ...init });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const actionIn = (html: string) =>
    (/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "").replaceAll("&amp;", "&");
  const tokenIn = (html: string) => /name="_rapport_t" value="([^"]+)"/.exec(html)?.[1] as string;
  const hiddenIn = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
    );

  /** Opens the hosted page, waits like a person, and posts the form as a browser without JavaScript would. */
  const submit = async (
    form: WebForm,
    values: Record<string, string>,
    options: { query?: string; headers?: Record<string, string>; wait?: number } = {},
  ) => {
    const page = await raw(`/f/${form.publicId}${options.query ?? ""}`);
    expect(page.status).toBe(200);
    later(options.wait ?? 10);
    const body = new URLSearchParams({ ...hiddenIn(page.text), consent: "yes", ...values });
    return raw(actionIn(page.text), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
      body: body.toString(),
    });
  };

  const counts = async () => {
    const db = server.database.db;
    const n = async (table: "contacts" | "companies" | "leads" | "tasks" | "audit_events") =>
      Number((await db.selectFrom(table).select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    return {
      contacts: await n("contacts"),
      companies: await n("companies"),
      leads: await n("leads"),
      tasks: await n("tasks"),
      audits: await n("audit_events"),
    };
  };
  const leadsOf = async (formId: string) =>
    parse(
      Page(Lead),
      await server.request("GET", `/api/v1/leads?formId=${formId}&limit=200`, { token: member }),
    ).items;
  const contactByAddress = async (address: string) => {
    const row = await server.database.db
      .selectFrom("contact_emails")
      .select("contact_id")
      .where("address", "=", address)
      .executeTakeFirst();
    if (!row) return null;
    return parse(
      Contact,
      await server.request("GET", `/api/v1/contacts/${row.contact_id}`, { token: admin }),
    );
  };

  describe("building forms", () => {
    it("lets an admin create a form with an unguessable public id and a first consent version", async () => {
      const form = await createForm();
      expect(form.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(form.consentVersion).toBe(1);
      expect(form.owner).toEqual({ kind: "user", userId: adminId });
      const again = await createForm();
      expect(again.publicId).not.toBe(form.publicId);
      const read = parse(
        WebForm,
        await server.request("GET", `/api/v1/web-forms/${form.id}`, { token: admin }),
      );
      expect(read).toEqual(form);
    });

    it("refuses a member every change and every read of forms, creating nothing", async () => {
      const before = await server.database.db.selectFrom("web_forms").select("id").execute();
      const created = await server.request("POST", "/api/v1/web-forms", { token: member, body: formBody() });
      expect([created.status, (created.body as Problem).code]).toEqual([403, "forbidden"]);
      const listed = await server.request("GET", "/api/v1/web-forms", { token: member });
      expect(listed.status).toBe(403);
      expect(await server.database.db.selectFrom("web_forms").select("id").execute()).toEqual(before);
    });

    it("refuses a form without a required email field, a redirect that is not https, an owner from nowhere", async () => {
      const cases: Partial<WebFormCreate>[] = [
        { fields: [{ target: "contact.firstName", label: "Name", labels: {}, required: true }] },
        { fields: [{ target: "contact.email", label: "Email", labels: {}, required: false }] },
        { afterSubmit: { kind: "redirect", url: "http://www.customer-site.example/thanks" } },
        { owner: { kind: "user", userId: "00000000-0000-4000-8000-000000000000" } },
        { allowedOrigins: ["https://www.customer-site.example/path"] },
        {
          fields: [
            { target: "contact.email", label: "Email", labels: {}, required: true },
            { target: "contact.custom.nope", label: "Nope", labels: {}, required: false },
          ],
        },
      ];
      for (const overrides of cases) {
        const response = await server.request("POST", "/api/v1/web-forms", {
          token: admin,
          body: formBody(overrides),
        });
        expect([JSON.stringify(overrides), response.status, (response.body as Problem).code]).toEqual([
          JSON.stringify(overrides),
          400,
          "invalid_request",
        ]);
      }
    });

    it("makes a new consent version when the text changes, and keeps it when it does not", async () => {
      const form = await createForm();
      const same = parse(
        WebForm,
        await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
          token: admin,
          body: { consentText: form.consentText, name: "Renamed", version: form.version },
        }),
      );
      expect(same.consentVersion).toBe(1);
      const changed = parse(
        WebForm,
        await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
          token: admin,
          body: { consentText: "New wording.", version: same.version },
        }),
      );
      expect([changed.consentVersion, changed.consentText]).toEqual([2, "New wording."]);
      const stale = await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
        token: admin,
        body: { consentText: "Lost wording.", version: form.version },
      });
      expect(stale.status).toBe(409);
      const versions = await server.database.db
        .selectFrom("web_form_consents")
        .select(["version", "text"])
        .where("form_id", "=", form.id)
        .orderBy("version")
        .execute();
      expect(versions).toEqual([
        { version: 1, text: "You may contact me about Rapport." },
        { version: 2, text: "New wording." },
      ]);
    });

    it("gives the snippet to paste: the plain form posting here, and the script's address", async () => {
      const form = await createForm();
      const embed = parse(
        WebFormEmbed,
        await server.request("GET", `/api/v1/web-forms/${form.id}/embed?lang=de`, { token: admin }),
      );
      expect(embed.hostedUrl).toBe(`${server.baseUrl}/f/${form.publicId}`);
      expect(embed.html).toContain(`action="${server.baseUrl}/f/${form.publicId}"`);
      expect(embed.html).toContain('name="contact.email"');
      expect(embed.html).toContain(">Senden<");
      expect(embed.html).not.toContain("<script");
      const script = await raw(new URL(embed.scriptUrl).pathname);
      expect([script.status, script.headers.get("content-type")]).toEqual([
        200,
        "text/javascript; charset=utf-8",
      ]);
      expect(script.text).toContain("data-rapport-form");
    });
  });

  describe("the hosted page", () => {
    it("renders in Swedish with the form's labels, under a policy that runs no script", async () => {
      const form = await createForm();
      for (const page of [
        await raw(`/f/${form.publicId}?lang=sv`),
        await raw(`/f/${form.publicId}`, { headers: { "accept-language": "fr-CH, sv-SE;q=0.8, en;q=0.5" } }),
      ]) {
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(page.text).toContain('<html lang="sv">');
        for (const label of [
          "E-post",
          "Förnamn",
          "Titel",
          "Företag",
          "Intresse",
          ">Skicka<",
          "Talk to sales",
        ])
          expect(page.text).toContain(label);
        expect(page.text).toContain("You may contact me about Rapport.");
        expect(page.text).not.toMatch(/<script|\son\w+=|javascript:/i);
        const csp = page.headers.get("content-security-policy") ?? "";
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toMatch(/script-src|unsafe-eval/);
        expect(csp).toContain("form-action 'self'");
        expect(csp).toContain(`frame-ancestors ${ALLOWED}`);
      }
    });

    it("answers an unknown form with a page in the visitor's language, not a stack of JSON", async () => {
      const page = await raw("/f/AAAAAAAAAAAAAAAAAAAAAA?lang=de");
      expect(page.status).toBe(404);
      expect(page.text).toContain("Dieses Formular gibt es nicht.");
    });
  });

  describe("a submission", () => {
    it("creates the contact, the company by domain, the lead with its source, the owner's task and the audit", async () => {
      const form = await createForm();
      const before = await counts();
      const answer = await submit(
        form,
        {
          "contact.email": "Anna.Berg@Acme-Forms.example",
          "contact.firstName": "Anna",
          "contact.lastName": "Berg",
          "company.name": "Acme",
          "contact.custom.interest": "CRM",
        },
        {
          query:
            "?lang=sv&utm_source=newsletter&utm_medium=email&utm_campaign=winter&utm_term=crm&utm_content=top",
          // The hosted page framed on the customer's pricing page posts from Rapport's own origin.
          headers: { referer: "https://www.customer-site.example/pricing?plan=team", origin: server.baseUrl },
        },
      );
      expect(answer.status).toBe(200);
      expect(answer.text).toContain("Thanks, we will be in touch.");
      const contact = await contactByAddress("anna.berg@acme-forms.example");
      expect(contact).toMatchObject({
        displayName: "Anna Berg",
        firstName: "Anna",
        lastName: "Berg",
        lifecycleStage: "lead",
        source: "web-form",
        ownerId: adminId,
        emails: ["anna.berg@acme-forms.example"],
        customFields: { interest: "CRM" },
      });
      const company = await server.database.db
        .selectFrom("companies")
        .select(["id", "name", "domain"])
        .where("id", "=", contact?.companyId as string)
        .executeTakeFirstOrThrow();
      expect(company).toMatchObject({ name: "Acme", domain: "acme-forms.example" });
      const [lead] = await leadsOf(form.id);
      expect(lead).toMatchObject({
        formId: form.id,
        contactId: contact?.id,
        companyId: company.id,
        ownerId: adminId,
        pageUrl: "https://www.customer-site.example/pricing?plan=team",
        utm: { source: "newsletter", medium: "email", campaign: "winter", term: "crm", content: "top" },
        consentVersion: 1,
        consentText: "You may contact me about Rapport.",
        submitted: expect.objectContaining({ "contact.firstName": "Anna", "company.name": "Acme" }),
      });
      const task = parse(
        Task,
        await server.request("GET", `/api/v1/tasks/${lead?.taskId}`, { token: admin }),
      );
      expect(task).toMatchObject({
        title: "New lead from the website: Anna Berg",
        assigneeId: adminId,
        contactId: contact?.id,
        done: false,
        dueAt: now.toISOString(),
      });
      const today = await server.request<{ tasks: { items?: unknown[] } | unknown[] }>(
        "GET",
        "/api/v1/dashboard?timeZone=Europe/Stockholm",
        { token: admin },
      );
      expect(JSON.stringify(today.body)).toContain(task.id);
      const audit = await server.database.db
        .selectFrom("audit_events")
        .select(["action", "actor_id", "details"])
        .where("entity_id", "=", lead?.id as string)
        .execute();
      expect(audit).toEqual([
        {
          action: "lead.created",
          actor_id: null,
          details: expect.objectContaining({ formId: form.id, contactCreated: true, consentVersion: 1 }),
        },
      ]);
      expect(await counts()).toEqual({
        contacts: before.contacts + 1,
        companies: before.companies + 1,
        leads: before.leads + 1,
        tasks: before.tasks + 1,
        // The lead's event and the company's.
        audits: before.audits + 2,
      });
    });

    it("keeps the page the hosted form was opened from, not the form's own address", async () => {
      const form = await createForm();
      const page = await raw(`/f/${form.publicId}`, {
        headers: { referer: "https://www.customer-site.example/campaign" },
      });
      later();
      const answer = await raw(actionIn(page.text), {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          // The browser's Referer of the post is the hosted page itself.
          referer: `${server.baseUrl}/f/${form.publicId}`,
        },
        body: new URLSearchParams({
          ...hiddenIn(page.text),
          "contact.email": "from@page-forms.example",
          "contact.firstName": "Fran",
          consent: "yes",
        }).toString(),
      });
      expect(answer.status).toBe(200);
      expect((await leadsOf(form.id))[0]?.pageUrl).toBe("https://www.customer-site.example/campaign");
    });

    it("changes nothing on a known contact or a matched company, makes no second one, and keeps what was sent on the lead", async () => {
      const form = await createForm({
        fields: [
          { target: "contact.email", label: "Email", labels: {}, required: true },
          { target: "contact.firstName", label: "First name", labels: {}, required: false },
          { target: "contact.title", label: "Title", labels: {}, required: false },
          { target: "contact.phone", label: "Phone", labels: {}, required: false },
          { target: "company.name", label: "Company", labels: {}, required: false },
          { target: "company.phone", label: "Company phone", labels: {}, required: false },
          { target: "company.address", label: "Address", labels: {}, required: false },
          { target: "contact.custom.interest", label: "Interest", labels: {}, required: false },
        ],
      });
      const company = await server.request<{ id: string }>("POST", "/api/v1/companies", {
        token: admin,
        body: { name: "Known Co", domain: "known-forms.example" },
      });
      expect(company.status).toBe(201);
      // A customer the rep entered by hand, with most fields still empty: a stranger who knows the address
      // must not fill them in.
      const created = await server.request<Contact>("POST", "/api/v1/contacts", {
        token: admin,
        body: { displayName: "Bo Known", emails: ["bo@known-forms.example"] },
      });
      const before = parse(Contact, created);
      const companyBefore = await server.request("GET", `/api/v1/companies/${company.body.id}`, {
        token: admin,
      });
      const counted = await counts();
      const answer = await submit(form, {
        "contact.email": "BO@Known-Forms.example",
        "contact.firstName": "Robert",
        "contact.title": "CTO",
        "contact.phone": "+46 70 000 00 00",
        "company.name": "Other name",
        "company.phone": "+46 8 000 00 00",
        "company.address": "Attacker street 1",
        "contact.custom.interest": "ERP",
      });
      expect(answer.status).toBe(200);
      const after = await contactByAddress("bo@known-forms.example");
      expect(after).toEqual(before);
      const companyAfter = await server.request("GET", `/api/v1/companies/${company.body.id}`, {
        token: admin,
      });
      expect(companyAfter.body).toEqual(companyBefore.body);
      expect(await counts()).toMatchObject({ contacts: counted.contacts, companies: counted.companies });
      const [lead] = await leadsOf(form.id);
      expect(lead).toMatchObject({ contactId: before.id, companyId: company.body.id });
      expect(lead?.submitted).toMatchObject({
        "contact.firstName": "Robert",
        "contact.title": "CTO",
        "company.phone": "+46 8 000 00 00",
      });
      // A new colleague of the known company is a new contact at it; the company itself stays as it was.
      await submit(form, { "contact.email": "new@known-forms.example", "company.phone": "+46 8 111" });
      expect((await contactByAddress("new@known-forms.example"))?.companyId).toBe(company.body.id);
      expect(
        (await server.request("GET", `/api/v1/companies/${company.body.id}`, { token: admin })).body,
      ).toEqual(companyBefore.body);
    });

    it("makes no contact for an address at the organisation's own domain: the lead stands alone", async () => {
      const form = await createForm();
      const before = await counts();
      const answer = await submit(form, {
        "contact.email": "someone@forms.example",
        "contact.firstName": "Inside",
        "company.name": "Us",
      });
      expect(answer.status).toBe(200);
      expect(await contactByAddress("someone@forms.example")).toBeNull();
      const [lead] = await leadsOf(form.id);
      expect(lead).toMatchObject({ contactId: null, companyId: null, ownerId: adminId });
      expect(lead?.submitted).toMatchObject({ "contact.email": "someone@forms.example" });
      const task = parse(
        Task,
        await server.request("GET", `/api/v1/tasks/${lead?.taskId}`, { token: admin }),
      );
      expect([task.title, task.contactId]).toEqual(["New lead from the website: Inside", null]);
      expect(await counts()).toMatchObject({
        contacts: before.contacts,
        companies: before.companies,
        leads: before.leads + 1,
      });
    });

    it("gives the new contact the emails already logged with its address", async () => {
      const logged = await server.request("POST", "/api/v1/emails", {
        token: admin,
        body: {
          internetMessageId: "<earlier-1@logged-forms.example>",
          subject: "A question before the form",
          from: { address: "earlier@logged-forms.example", name: "Earl Early" },
          to: [{ address: "ada@forms.example", name: "Ada" }],
          cc: [],
          sentAt: "2026-12-01T09:30:00.000Z",
          bodyText: "Hello",
        },
      });
      expect(logged.status).toBe(201);
      const form = await createForm({ consentText: null });
      expect(
        (await submit(form, { "contact.email": "Earlier@logged-forms.example", "contact.firstName": "Earl" }))
          .status,
      ).toBe(200);
      const contact = await contactByAddress("earlier@logged-forms.example");
      const participants = await server.database.db
        .selectFrom("interaction_participants")
        .select("contact_id")
        .where("address", "=", "earlier@logged-forms.example")
        .execute();
      expect(participants).toEqual([{ contact_id: contact?.id }]);
    });

    it("answers a known and an unknown address alike", async () => {
      const form = await createForm();
      await submit(form, { "contact.email": "known@alike-forms.example", "contact.firstName": "Known" });
      const known = await submit(form, {
        "contact.email": "known@alike-forms.example",
        "contact.firstName": "K",
      });
      const unknown = await submit(form, {
        "contact.email": "new@alike-forms.example",
        "contact.firstName": "N",
      });
      expect([known.status, known.text]).toEqual([unknown.status, unknown.text]);
    });

    it("matches no company by a free-mail domain", async () => {
      const form = await createForm();
      await submit(form, { "contact.email": "freelancer@gmail.com", "contact.firstName": "Fay" });
      const contact = await contactByAddress("freelancer@gmail.com");
      expect(contact?.companyId).toBeNull();
      const byDomain = await server.database.db
        .selectFrom("companies")
        .select("id")
        .where("domain", "=", "gmail.com")
        .execute();
      expect(byDomain).toEqual([]);
    });

    it("answers spam in the honeypot like a success and creates nothing", async () => {
      const form = await createForm();
      const real = await submit(form, {
        "contact.email": "real@spam-forms.example",
        "contact.firstName": "Real",
      });
      const before = await counts();
      const spam = await submit(form, {
        "contact.email": "bot@spam-forms.example",
        "contact.firstName": "Bot",
        website_url_2: "https://cheap.example",
      });
      expect([spam.status, spam.text]).toEqual([real.status, real.text]);
      expect(await counts()).toEqual(before);
      expect(await contactByAddress("bot@spam-forms.example")).toBeNull();
    });

    it("asks a submission sent sooner than most people could to be sent again, and drops a forged one quietly", async () => {
      const form = await createForm();
      const before = await counts();
      const values = { "contact.email": "fast@spam-forms.example", "contact.firstName": "Fast" };
      const fast = await submit(form, values, { wait: 1 });
      expect(fast.status).toBe(200);
      expect(fast.text).toContain("Please check your details and send the form again.");
      expect(fast.text).toContain('value="fast@spam-forms.example"');
      expect(fast.text).toMatch(/name="consent" value="yes" required checked/);
      expect(await counts()).toEqual(before);
      later();
      const again = await raw(actionIn(fast.text), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...hiddenIn(fast.text), ...values, consent: "yes" }).toString(),
      });
      expect(again.text).toContain("Thanks, we will be in touch.");
      expect((await leadsOf(form.id)).map((l) => l.submitted["contact.email"])).toEqual([
        "fast@spam-forms.example",
      ]);
      // The script's JSON sent too soon gets the problem the script answers with a fresh token and one retry.
      const token = (await server.request<{ token: string }>("GET", `/f/${form.publicId}/token`)).body.token;
      const json = await server.request("POST", `/f/${form.publicId}`, {
        body: { _rapport_t: token, "contact.email": "json@spam-forms.example", consent: true },
      });
      expect([json.status, (json.body as Problem).code]).toEqual([400, "token_expired"]);
      const script = await raw("/f/embed.js");
      expect(script.text).toContain('result.answer.code === "token_expired"');
      const afterFast = await counts();
      const forged = await submit(form, {
        "contact.email": "forged@spam-forms.example",
        "contact.firstName": "F",
        _rapport_t: `${Math.floor(now.getTime() / 1000) - 60}.172800.1.${"A".repeat(16)}.${"A".repeat(43)}`,
      });
      expect([forged.status, forged.text]).toEqual([
        200,
        expect.stringContaining("Thanks, we will be in touch."),
      ]);
      expect(await counts()).toEqual(afterFast);
    });

    it("gives the form back with the error when a required field is missing, and creates nothing", async () => {
      const form = await createForm();
      const before = await counts();
      const page = await submit(
        form,
        { "contact.email": "half@missing-forms.example", "contact.firstName": "" },
        { query: "?lang=sv" },
      );
      expect(page.status).toBe(400);
      expect(page.text).toContain("Fyll i det här fältet.");
      expect(page.text).toContain('value="half@missing-forms.example"');
      const noConsent = await submit(form, {
        "contact.email": "half@missing-forms.example",
        "contact.firstName": "Half",
        consent: "",
      });
      expect(noConsent.status).toBe(400);
      // The script's JSON gets a problem naming the field.
      const token = (await server.request<{ token: string }>("GET", `/f/${form.publicId}/token`)).body.token;
      later();
      const json = await server.request("POST", `/f/${form.publicId}`, {
        body: {
          _rapport_t: token,
          "contact.email": "not an address",
          "contact.firstName": "X",
          consent: true,
        },
      });
      expect(json.status).toBe(400);
      expect(json.headers.get("content-type")).toContain("application/problem+json");
      expect((json.body as Problem).errors?.map((e) => e.path)).toEqual(["body.contact.email"]);
      expect(await counts()).toEqual(before);
    });

    it("keeps the consent version the visitor agreed to, also when the text changed while they were on the page", async () => {
      const form = await createForm({ consentText: null });
      const page = await raw(`/f/${form.publicId}`);
      expect(page.text).not.toContain('name="consent"');
      await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
        token: admin,
        body: { consentText: "Now you must agree.", version: form.version },
      });
      later();
      const post = (values: Record<string, string>, html: string) =>
        raw(actionIn(html), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...hiddenIn(html), ...values }).toString(),
        });
      const asked = await post(
        { "contact.email": "late@consent-forms.example", "contact.firstName": "Lea" },
        page.text,
      );
      expect(asked.status).toBe(409);
      expect(asked.text).toContain("The consent text has changed.");
      expect(asked.text).toContain("Now you must agree.");
      expect(await leadsOf(form.id)).toEqual([]);
      const agreed = await post(
        { "contact.email": "late@consent-forms.example", "contact.firstName": "Lea", consent: "yes" },
        asked.text,
      );
      expect(agreed.status).toBe(200);
      const [lead] = await leadsOf(form.id);
      expect([lead?.consentVersion, lead?.consentText]).toEqual([1, "Now you must agree."]);
    });

    it("records no consent to a text taken away while the visitor was on the page", async () => {
      const form = await createForm();
      const page = await raw(`/f/${form.publicId}`);
      await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
        token: admin,
        body: { consentText: null, version: form.version },
      });
      later();
      const post = (html: string) =>
        raw(actionIn(html), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            ...hiddenIn(html),
            "contact.email": "gone@consent-forms.example",
            "contact.firstName": "Gus",
          }).toString(),
        });
      const again = await post(page.text);
      expect(again.status).toBe(409);
      expect(again.text).not.toContain('name="consent"');
      expect(await leadsOf(form.id)).toEqual([]);
      const sent = await post(again.text);
      expect(sent.status).toBe(200);
      const [lead] = await leadsOf(form.id);
      expect([lead?.consentVersion, lead?.consentText]).toEqual([null, null]);
    });

    it("records no consent to a text a pasted form never showed, with its script or without", async () => {
      const form = await createForm();
      const embed = parse(
        WebFormEmbed,
        await server.request("GET", `/api/v1/web-forms/${form.id}/embed`, { token: admin }),
      );
      expect(embed.html).toContain('data-consent-version="1"');
      const pasted = hiddenIn(embed.html);
      expect(pasted._rapport_cv).toBe("1");
      await server.request("PATCH", `/api/v1/web-forms/${form.id}`, {
        token: admin,
        body: { consentText: "Version two.", version: form.version },
      });
      const values = { "contact.email": "seen@consent-forms.example", "contact.firstName": "Sia" };
      // The script fetches a token now (version two) and posts the pasted form, which showed version one.
      const token = (await server.request<{ token: string }>("GET", `/f/${form.publicId}/token`)).body.token;
      later();
      const json = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { origin: ALLOWED, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...pasted, _rapport_t: token, ...values, consent: "yes" }),
      });
      expect([json.status, (JSON.parse(json.text) as Problem).code]).toEqual([409, "version_conflict"]);
      expect(await leadsOf(form.id)).toEqual([]);
      // The script then posts the form itself: Rapport's page shows version two, unticked.
      const form2 = { ...pasted, _rapport_t: token, ...values, consent: "yes" };
      const shown = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { origin: ALLOWED, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form2).toString(),
      });
      expect(shown.status).toBe(409);
      expect(shown.text).toContain("Version two.");
      expect(shown.text).not.toMatch(/name="consent" value="yes" required checked/);
      // Without the script (no token), the page asking to send again does not tick version two either.
      const blind = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { origin: ALLOWED, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...pasted, ...values, consent: "yes" }).toString(),
      });
      expect(blind.text).toContain("Version two.");
      expect(blind.text).not.toMatch(/name="consent" value="yes" required checked/);
      expect(await leadsOf(form.id)).toEqual([]);
      later();
      const agreed = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...hiddenIn(shown.text), ...values, consent: "yes" }).toString(),
      });
      expect(agreed.status).toBe(200);
      const [lead] = await leadsOf(form.id);
      expect([lead?.consentVersion, lead?.consentText]).toEqual([2, "Version two."]);
    });

    it("asks a pasted form without its script to confirm once, then takes it", async () => {
      const form = await createForm();
      const before = await counts();
      const blind = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ALLOWED },
        body: new URLSearchParams({
          "contact.email": "pasted@paste-forms.example",
          "contact.firstName": "Pia",
          consent: "yes",
        }).toString(),
      });
      expect(blind.status).toBe(200);
      expect(blind.text).toContain('value="pasted@paste-forms.example"');
      expect(await counts()).toEqual(before);
      later();
      const confirmed = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ALLOWED },
        body: new URLSearchParams({
          ...hiddenIn(blind.text),
          "contact.email": "pasted@paste-forms.example",
          "contact.firstName": "Pia",
          consent: "yes",
        }).toString(),
      });
      expect(confirmed.status).toBe(200);
      expect((await contactByAddress("pasted@paste-forms.example"))?.firstName).toBe("Pia");
      expect(tokenIn(blind.text)).toBeDefined();
    });

    it("makes one lead from one token, allows a few retries after a problem, and never replays it", async () => {
      const form = await createForm({ consentText: null });
      const token = (await server.request<{ token: string }>("GET", `/f/${form.publicId}/token`)).body.token;
      later();
      const json = (email: string) =>
        server.request("POST", `/f/${form.publicId}`, {
          body: { _rapport_t: token, "contact.email": email, "contact.firstName": "Rita" },
        });
      expect((await json("not an address")).status).toBe(400);
      expect((await json("one@replay-forms.example")).status).toBe(200);
      const replayed = [];
      for (let i = 0; i < 5; i++) replayed.push(await json(`again${i}@replay-forms.example`));
      expect(replayed.map((r) => [r.status, (r.body as Problem).code])).toEqual(
        Array(5).fill([400, "token_expired"]),
      );
      const html = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          _rapport_t: token,
          "contact.email": "html@replay-forms.example",
          "contact.firstName": "Rita",
        }).toString(),
      });
      expect(html.text).toContain("Please check your details and send the form again.");
      expect((await leadsOf(form.id)).map((l) => l.submitted["contact.email"])).toEqual([
        "one@replay-forms.example",
      ]);

      // A page's token: three posts with problems use it up; the fourth comes back with a fresh one that works.
      const page = await raw(`/f/${form.publicId}`);
      later();
      let html2 = page.text;
      for (let i = 0; i < 3; i++) {
        const answer = await raw(actionIn(page.text), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...hiddenIn(page.text), "contact.email": "broken" }).toString(),
        });
        expect(answer.status).toBe(400);
        html2 = answer.text;
      }
      const values = { "contact.email": "retry@replay-forms.example", "contact.firstName": "Rut" };
      const usedUp = await raw(actionIn(html2), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...hiddenIn(html2), ...values }).toString(),
      });
      expect([usedUp.status, usedUp.text]).toEqual([200, expect.stringContaining("send the form again")]);
      expect(tokenIn(usedUp.text)).not.toBe(tokenIn(html2));
      later();
      const sent = await raw(actionIn(usedUp.text), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...hiddenIn(usedUp.text), ...values }).toString(),
      });
      expect(sent.text).toContain("Thanks, we will be in touch.");
      expect(await leadsOf(form.id)).toHaveLength(2);
    });

    it("gives the script's token a shorter life than a page's", async () => {
      const form = await createForm({ consentText: null });
      const page = await raw(`/f/${form.publicId}`);
      const token = (await server.request<{ token: string }>("GET", `/f/${form.publicId}/token`)).body.token;
      later(3 * 60 * 60);
      const fromScript = await server.request("POST", `/f/${form.publicId}`, {
        body: { _rapport_t: token, "contact.email": "script@life-forms.example", "contact.firstName": "S" },
      });
      expect([fromScript.status, (fromScript.body as Problem).code]).toEqual([400, "token_expired"]);
      const fromPage = await raw(actionIn(page.text), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          ...hiddenIn(page.text),
          "contact.email": "page@life-forms.example",
          "contact.firstName": "P",
        }).toString(),
      });
      expect(fromPage.text).toContain("Thanks, we will be in touch.");
      expect((await leadsOf(form.id)).map((l) => l.submitted["contact.email"])).toEqual([
        "page@life-forms.example",
      ]);
    });

    it("redirects to the form's own thank-you page after a submission", async () => {
      const form = await createForm({
        afterSubmit: { kind: "redirect", url: "https://www.customer-site.example/thanks" },
      });
      const page = await raw(`/f/${form.publicId}`);
      expect(page.headers.get("content-security-policy")).toContain(
        "form-action 'self' https://www.customer-site.example",
      );
      // Behind a TLS proxy the browser's origin says https where the server sees http: still its own page.
      const answer = await submit(
        form,
        { "contact.email": "redirect@redirect-forms.example", "contact.firstName": "R" },
        { headers: { origin: server.baseUrl.replace("http:", "https:") } },
      );
      expect([answer.status, answer.headers.get("location")]).toEqual([
        303,
        "https://www.customer-site.example/thanks",
      ]);
      expect(await contactByAddress("redirect@redirect-forms.example")).not.toBeNull();
    });

    it("takes a long text box full of non-ASCII letters, and refuses a body past the limit with 413", async () => {
      await server.request("POST", "/api/v1/custom-fields", {
        token: admin,
        body: { entity: "contact", key: "message", label: "Message", type: "text" },
      });
      const form = await createForm({
        consentText: null,
        fields: [
          { target: "contact.email", label: "Email", labels: {}, required: true },
          { target: "contact.custom.message", label: "Message", labels: {}, required: false },
        ],
      });
      const long = await submit(form, {
        "contact.email": "long@big-forms.example",
        "contact.custom.message": "ö".repeat(3000),
      });
      expect(long.text).toContain("Thanks, we will be in touch.");
      expect((await contactByAddress("long@big-forms.example"))?.customFields).toEqual({
        message: "ö".repeat(3000),
      });
      const before = await counts();
      const response = await submit(form, {
        "contact.email": "big@big-forms.example",
        "contact.custom.message": "x".repeat(300_000),
      });
      expect(response.status).toBe(413);
      expect(await counts()).toEqual(before);
    });

    it("answers a form post past the limit, or in an encoding it does not take, with a page in the form's language", async () => {
      const form = await createForm({ consentText: null, title: "Kontakt" });
      const before = await counts();
      const page = await raw(`/f/${form.publicId}?lang=de`);
      later();
      const body = new URLSearchParams({
        ...hiddenIn(page.text),
        "contact.email": "big@pages-forms.example",
        "contact.firstName": "x".repeat(300_000),
      });
      const tooLarge = await raw(actionIn(page.text), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      });
      expect([tooLarge.status, tooLarge.headers.get("content-type")]).toEqual([
        413,
        "text/html; charset=utf-8",
      ]);
      expect(tooLarge.text).toContain('<html lang="de">');
      expect(tooLarge.text).toContain("<h1>Kontakt</h1>");
      expect(tooLarge.text).toContain("Ihre Eingaben sind zu lang");
      expect(tooLarge.headers.get("content-security-policy")).toContain("default-src 'none'");

      const multipart = new FormData();
      multipart.set("contact.email", "multi@pages-forms.example");
      const unsupported = await raw(`/f/${form.publicId}?lang=sv`, { method: "POST", body: multipart });
      expect([unsupported.status, unsupported.headers.get("content-type")]).toEqual([
        415,
        "text/html; charset=utf-8",
      ]);
      expect(unsupported.text).toContain("Formuläret skickades på ett sätt som servern inte tar emot");

      // The script posts JSON: it is answered a problem it can read, not a page.
      const json = await raw(`/f/${form.publicId}?lang=de`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ "contact.email": "json@pages-forms.example", note: "x".repeat(300_000) }),
      });
      expect([json.status, json.headers.get("content-type")]).toEqual([
        413,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect((JSON.parse(json.text) as Problem).code).toBe("payload_too_large");
      const xml = await raw(`/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: "<form/>",
      });
      expect([xml.status, (JSON.parse(xml.text) as Problem).code]).toEqual([415, "unsupported_media_type"]);
      expect(await counts()).toEqual(before);
    });

    it("gives each input the server's own length limit as its maxlength, and refuses one past it", async () => {
      await server.request("POST", "/api/v1/custom-fields", {
        token: admin,
        body: { entity: "company", key: "notes", label: "Notes", type: "text" },
      });
      const form = await createForm({
        consentText: null,
        fields: [
          { target: "contact.email", label: "Email", labels: {}, required: true },
          { target: "contact.firstName", label: "First name", labels: {}, required: false },
          { target: "contact.phone", label: "Phone", labels: {}, required: false },
          { target: "company.website", label: "Website", labels: {}, required: false },
          { target: "company.address", label: "Address", labels: {}, required: false },
          { target: "company.custom.notes", label: "Notes", labels: {}, required: false },
        ],
      });
      const page = await raw(`/f/${form.publicId}`);
      const maxlengthOf = (name: string) =>
        new RegExp(`name="${name.replace(".", "\\.")}"[^>]* maxlength="(\\d+)"`).exec(page.text)?.[1];
      expect(
        Object.fromEntries(
          [
            "contact.email",
            "contact.firstName",
            "contact.phone",
            "company.website",
            "company.address",
            "company.custom.notes",
          ].map((name) => [name, maxlengthOf(name)]),
        ),
      ).toEqual({
        "contact.email": "320",
        "contact.firstName": "100",
        "contact.phone": "50",
        "company.website": "500",
        "company.address": "1000",
        "company.custom.notes": "5000",
      });
      const before = await counts();
      // 101 characters: the page would have stopped a person at 100, and the contacts' API refuses it too.
      const tooLong = await submit(form, {
        "contact.email": "long-name@limits-forms.example",
        "contact.firstName": "n".repeat(101),
      });
      expect(tooLong.status).toBe(400);
      expect(await counts()).toEqual(before);
      const justRight = await submit(form, {
        "contact.email": "long-name@limits-forms.example",
        "contact.firstName": "n".repeat(100),
      });
      expect(justRight.status).toBe(200);
      expect((await contactByAddress("long-name@limits-forms.example"))?.firstName).toBe("n".repeat(100));
    });

    it("takes controls and bidi overrides out of names and text, keeping a text box's line breaks", async () => {
      const form = await createForm({
        consentText: null,
        fields: [
          { target: "contact.email", label: "Email", labels: {}, required: true },
          { target: "contact.firstName", label: "First name", labels: {}, required: true },
          { target: "contact.lastName", label: "Last name", labels: {}, required: false },
          { target: "company.name", label: "Company", labels: {}, required: false },
          { target: "company.address", label: "Address", labels: {}, required: false },
        ],
      });
      const answer = await submit(
        form,
        {
          "contact.email": "bidi@bidi-forms.example",
          "contact.firstName": "\u202Eanna\u202C",
          "contact.lastName": "Berg\u0007\u2066son\u2069\u200F",
          "company.name": "Bidi\r\nAB\u0085",
          "company.address": "Storgatan 1\r\n\u202D111 22 Stockholm",
        },
        { query: "?utm_source=news%E2%80%AEletter" },
      );
      expect(answer.status).toBe(200);
      const contact = await contactByAddress("bidi@bidi-forms.example");
      expect([contact?.firstName, contact?.lastName, contact?.displayName]).toEqual([
        "anna",
        "Bergson",
        "anna Bergson",
      ]);
      const company = await server.request<{ name: string; address: string }>(
        "GET",
        `/api/v1/companies/${contact?.companyId}`,
        { token: admin },
      );
      expect([company.body.name, company.body.address]).toEqual(["Bidi AB", "Storgatan 1\n111 22 Stockholm"]);
      const [lead] = await leadsOf(form.id);
      expect(lead?.submitted["contact.firstName"]).toBe("anna");
      expect(lead?.utm.source).toBe("newsletter");
      const tasks = parse(
        Page(Task),
        await server.request("GET", `/api/v1/tasks?limit=200`, { token: admin }),
      ).items;
      expect(tasks.find((t) => t.id === lead?.taskId)?.title).toBe("New lead from the website: anna Bergson");
    });

    it("refuses a NUL in a field with a clear problem beside it, storing nothing", async () => {
      const form = await createForm({ consentText: null });
      const before = await counts();
      const answer = await submit(
        form,
        { "contact.email": "nul@chars-forms.example", "contact.firstName": "Nu\u0000ll" },
        { query: "?lang=de" },
      );
      expect(answer.status).toBe(400);
      expect(answer.text).toContain("Dieses Feld enthält Zeichen, die nicht gespeichert werden können");
      expect(await counts()).toEqual(before);
    });
  });

  describe("webhooks", () => {
    it("sends what a submission makes to the endpoints that take it, and nothing an endpoint does not take", async () => {
      const endpoint = await server.request<{ endpoint: { id: string } }>("POST", "/api/v1/webhooks", {
        token: admin,
        body: { url: "https://erp.example.com/in", events: ["contact.created", "company.created"] },
      });
      expect(endpoint.status).toBe(201);
      try {
        const form = await createForm({ consentText: null });
        const answer = await submit(form, {
          "contact.email": "hooked@hooked-forms.example",
          "contact.firstName": "Hooked",
          "company.name": "Hooked AB",
        });
        expect(answer.status).toBe(200);
        const [lead] = await leadsOf(form.id);
        const events = await server.database.db
          .selectFrom("webhook_events")
          .select(["type", "record_id"])
          .where("record_id", "in", [lead?.contactId, lead?.companyId, lead?.taskId] as string[])
          .orderBy("type")
          .execute();
        expect(events).toEqual([
          { type: "company.created", record_id: lead?.companyId },
          { type: "contact.created", record_id: lead?.contactId },
        ]);
      } finally {
        await server.request("DELETE", `/api/v1/webhooks/${endpoint.body.endpoint.id}`, { token: admin });
      }
    });
  });

  describe("a person's data", () => {
    it("puts their leads in their export, and erasing them deletes what they sent", async () => {
      const form = await createForm();
      await submit(form, { "contact.email": "gdpr@person-forms.example", "contact.firstName": "Greta" });
      const contact = await contactByAddress("gdpr@person-forms.example");
      const exported = parse(
        PersonDataExport,
        await server.request("GET", `/api/v1/contacts/${contact?.id}/data-export`, { token: admin }),
      );
      expect(exported.leads.map((l) => l.submitted["contact.firstName"])).toEqual(["Greta"]);
      const erased = parse(
        ContactErased,
        await server.request("POST", `/api/v1/contacts/${contact?.id}/erase`, { token: admin }),
      );
      expect(erased.leadsDeleted).toBe(1);
      const left = await server.database.db
        .selectFrom("leads")
        .select("id")
        .where(
          sql<boolean>`submitted::text like '%gdpr@person-forms.example%' or submitted::text like '%Greta%'`,
        )
        .execute();
      expect(left).toEqual([]);
    });
  });

  describe("other sites", () => {
    it("lets the allowed origin read the answers (preflight included) and no other", async () => {
      const form = await createForm();
      const preflight = (origin: string) =>
        raw(`/f/${form.publicId}`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        });
      const allowed = await preflight(ALLOWED);
      expect([allowed.status, allowed.headers.get("access-control-allow-origin")]).toEqual([204, ALLOWED]);
      expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
      const refused = await preflight(NOT_ALLOWED);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();

      const token = await raw(`/f/${form.publicId}/token`, { headers: { origin: ALLOWED } });
      expect(token.headers.get("access-control-allow-origin")).toBe(ALLOWED);
      const foreignToken = await raw(`/f/${form.publicId}/token`, { headers: { origin: NOT_ALLOWED } });
      expect(foreignToken.headers.get("access-control-allow-origin")).toBeNull();

      later();
      const post = (origin: string, email: string) =>
        raw(`/f/${form.publicId}`, {
          method: "POST",
          headers: { origin, "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({
            _rapport_t: (JSON.parse(token.text) as { token: string }).token,
            "contact.email": email,
            "contact.firstName": "Cora",
            consent: true,
            page_url: `${origin}/contact`,
          }),
        });
      const fromSite = await post(ALLOWED, "cora@cors-forms.example");
      expect([fromSite.status, fromSite.headers.get("access-control-allow-origin")]).toEqual([200, ALLOWED]);
      expect(JSON.parse(fromSite.text)).toEqual({
        status: "received",
        message: "Thanks, we will be in touch.",
        redirectUrl: null,
      });
      expect((await leadsOf(form.id))[0]?.pageUrl).toBe(`${ALLOWED}/contact`);
      const before = await counts();
      const fromElsewhere = await post(NOT_ALLOWED, "cora2@cors-forms.example");
      expect([fromElsewhere.status, fromElsewhere.headers.get("access-control-allow-origin")]).toEqual([
        403,
        null,
      ]);
      expect(await counts()).toEqual(before);
    });
  });

  describe("owners", () => {
    it("hands concurrent submissions to two owners in turn, in the owner's language", async () => {
      const form = await createForm({ owner: { kind: "roundRobin", userIds: [adminId, memberId] } });
      const pages = await Promise.all(Array.from({ length: 12 }, () => raw(`/f/${form.publicId}`)));
      later();
      const answers = await Promise.all(
        pages.map((page, i) =>
          raw(`/f/${form.publicId}`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              ...hiddenIn(page.text),
              "contact.email": `turn${i}@turns-forms.example`,
              "contact.firstName": `Turn ${i}`,
              consent: "yes",
            }).toString(),
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
      const rows = await server.database.db
        .selectFrom("leads")
        .innerJoin("tasks", "tasks.id", "leads.task_id")
        .select(["leads.owner_id", "tasks.assignee_id", "tasks.title"])
        .where("leads.form_id", "=", form.id)
        .execute();
      expect(rows.filter((r) => r.owner_id === adminId)).toHaveLength(6);
      expect(rows.filter((r) => r.owner_id === memberId)).toHaveLength(6);
      expect(rows.every((r) => r.assignee_id === r.owner_id)).toBe(true);
      expect(
        rows
          .filter((r) => r.owner_id === memberId)
          .every((r) => r.title.startsWith("Nytt lead från webbplatsen: Turn")),
      ).toBe(true);
      const turns = await server.database.db
        .selectFrom("web_forms")
        .select("turns")
        .where("id", "=", form.id)
        .executeTakeFirstOrThrow();
      expect(Number(turns.turns)).toBe(12);
    });
  });

  describe("organisations", () => {
    it("lands a form's submission in its own organisation only", async () => {
      const otherAdmin = await server.token("olga@other-forms.example");
      await server.request("GET", "/api/v1/me", { token: otherAdmin });
      const otherId = (
        await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: otherAdmin })
      ).body.user.id;
      // The same person is already a contact of this organisation.
      const ours = await server.request<Contact>("POST", "/api/v1/contacts", {
        token: admin,
        body: { displayName: "Shared Person", emails: ["shared@both-forms.example"] },
      });
      expect(ours.status).toBe(201);
      const theirs = await createForm(
        {
          owner: { kind: "user", userId: otherId },
          consentText: null,
          fields: [
            { target: "contact.email", label: "Email", labels: {}, required: true },
            { target: "contact.firstName", label: "First name", labels: {}, required: false },
          ],
        },
        otherAdmin,
      );
      const answer = await submit(theirs, {
        "contact.email": "shared@both-forms.example",
        "contact.firstName": "Their",
      });
      expect(answer.status).toBe(200);
      const rows = await server.database.db
        .selectFrom("contact_emails")
        .innerJoin("contacts", "contacts.id", "contact_emails.contact_id")
        .select(["contacts.org_id", "contacts.first_name"])
        .where("contact_emails.address", "=", "shared@both-forms.example")
        .execute();
      const ourOrg = (
        await server.request<{ organization: { id: string } }>("GET", "/api/v1/me", { token: admin })
      ).body.organization.id;
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.org_id === ourOrg)?.first_name).toBeNull();
      expect(rows.find((r) => r.org_id !== ourOrg)?.first_name).toBe("Their");
      expect((await leadsOf(theirs.id)).length).toBe(0);
      const theirLeads = parse(
        Page(Lead),
        await server.request("GET", `/api/v1/leads?formId=${theirs.id}`, { token: otherAdmin }),
      ).items;
      expect(theirLeads).toHaveLength(1);
      const foreign = await server.request("GET", `/api/v1/web-forms/${theirs.id}`, { token: admin });
      expect(foreign.status).toBe(404);
    });
  });
});

describe.each(storeKinds)("web form floods (%s)", (kind) => {
  let server: TestServer;
  let now = new Date("2026-12-07T09:00:00Z");

  beforeAll(async () => {
    server = await startTestServer(kind, {
      clock: () => now,
      webForms: {
        perIpPerMinute: 1000,
        perFormPerMinute: 6,
        perAddressPerHour: 2,
        pagesPerIpPerMinute: 1000,
      },
    });
  });
  afterAll(() => server.close());

  it("answers 429 with Retry-After past the per-address and per-form limits, never a 5xx", async () => {
    const admin = await server.token("ada@flood-forms.example");
    const me = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    const created = await server.request("POST", "/api/v1/web-forms", {
      token: admin,
      body: {
        name: "Flood",
        title: null,
        fields: [{ target: "contact.email", label: "Email", required: true }],
        consentText: null,
        afterSubmit: { kind: "message", message: "Thanks" },
        owner: { kind: "user", userId: me },
        allowedOrigins: [],
      },
    });
    const form = parse(WebForm, created);
    // Each post from a page of its own: a token is good for a few posts only.
    const pages = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${server.baseUrl}/f/${form.publicId}`).then((r) => r.text())),
    );
    const tokens = pages.map((page) => /name="_rapport_t" value="([^"]+)"/.exec(page)?.[1] as string);
    const nextToken = () => tokens.shift() as string;
    now = new Date(now.getTime() + 10_000);
    const post = (email: string) =>
      fetch(`${server.baseUrl}/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _rapport_t: nextToken(), "contact.email": email }).toString(),
      });
    const sameAddress = [];
    for (let i = 0; i < 3; i++) sameAddress.push(await post("same@flood-forms.example"));
    expect(sameAddress.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(Number(sameAddress[2]?.headers.get("retry-after"))).toBeGreaterThan(0);
    const rest = [];
    for (let i = 0; i < 6; i++) rest.push((await post(`other${i}@flood-forms.example`)).status);
    expect(rest.filter((s) => s >= 500)).toEqual([]);
    // Six accepted a minute: the two above and four more (the refused third of one address is not counted).
    expect(rest.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(rest.slice(4)).toEqual([429, 429]);
    const leads = await server.database.db.selectFrom("leads").select("id").execute();
    expect(leads).toHaveLength(6);
  });
});

describe.each(storeKinds)("web form floods behind a proxy (%s)", (kind) => {
  let server: TestServer;
  let now = new Date("2026-12-07T09:00:00Z");

  beforeAll(async () => {
    // One proxy in front (on loopback, as Caddy is): the client is the address it adds to X-Forwarded-For.
    server = await startTestServer(kind, {
      clock: () => now,
      trustProxy: 1,
      webForms: {
        perIpPerMinute: 2,
        perFormPerMinute: 1000,
        perAddressPerHour: 1000,
        pagesPerIpPerMinute: 1000,
      },
    });
  });
  afterAll(() => server.close());

  it("counts each client behind the trusted proxy on its own, and a client's own X-Forwarded-For not at all", async () => {
    const admin = await server.token("ada@proxy-forms.example");
    const me = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    const form = parse(
      WebForm,
      await server.request("POST", "/api/v1/web-forms", {
        token: admin,
        body: {
          name: "Proxy",
          title: null,
          fields: [{ target: "contact.email", label: "Email", required: true }],
          consentText: null,
          afterSubmit: { kind: "message", message: "Thanks" },
          owner: { kind: "user", userId: me },
          allowedOrigins: [],
        },
      }),
    );
    // Each post from a page of its own: a token is good for a few posts only.
    const pages = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${server.baseUrl}/f/${form.publicId}`).then((r) => r.text())),
    );
    const tokens = pages.map((page) => /name="_rapport_t" value="([^"]+)"/.exec(page)?.[1] as string);
    const nextToken = () => tokens.shift() as string;
    now = new Date(now.getTime() + 10_000);
    const post = (client: string, i: number) =>
      fetch(`${server.baseUrl}/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": client },
        body: new URLSearchParams({
          _rapport_t: nextToken(),
          "contact.email": `p${i}@proxy-forms.example`,
        }).toString(),
      }).then((r) => r.status);
    const first = [await post("203.0.113.7", 1), await post("203.0.113.7", 2), await post("203.0.113.7", 3)];
    expect(first).toEqual([200, 200, 429]);
    // Another client behind the same proxy has its own count; a forged entry before the proxy's changes nothing.
    expect(await post("198.51.100.9", 4)).toBe(200);
    expect(await post("198.51.100.1, 203.0.113.7", 5)).toBe(429);
    // An IPv6 client may take any address of its /64: they are one client.
    const sixes = ["2001:db8:5:1::1", "2001:db8:5:1::2", "2001:db8:5:1:ffff:1:2:3"];
    const fromSixes = [];
    for (const [i, client] of sixes.entries()) fromSixes.push(await post(client, 6 + i));
    expect(fromSixes).toEqual([200, 200, 429]);
    const leads = await server.database.db.selectFrom("leads").select("id").execute();
    expect(leads).toHaveLength(5);
  });
});

describe.each(storeKinds)("web form floods of spam (%s)", (kind) => {
  let server: TestServer;
  let now = new Date("2026-12-07T09:00:00Z");

  beforeAll(async () => {
    server = await startTestServer(kind, {
      clock: () => now,
      trustProxy: 1,
      webForms: {
        perIpPerMinute: 1000,
        perFormPerMinute: 3,
        perAddressPerHour: 1,
        pagesPerIpPerMinute: 1000,
      },
    });
  });
  afterAll(() => server.close());

  it("counts only accepted submissions against the form, and an address only with the client sending it", async () => {
    const admin = await server.token("ada@spam-flood-forms.example");
    const me = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    const form = parse(
      WebForm,
      await server.request("POST", "/api/v1/web-forms", {
        token: admin,
        body: {
          name: "Spam",
          title: null,
          fields: [{ target: "contact.email", label: "Email", required: true }],
          consentText: null,
          afterSubmit: { kind: "message", message: "Thanks" },
          owner: { kind: "user", userId: me },
          allowedOrigins: [],
        },
      }),
    );
    // Each post from a page of its own: a token is good for a few posts only.
    const pages = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${server.baseUrl}/f/${form.publicId}`).then((r) => r.text())),
    );
    const tokens = pages.map((page) => /name="_rapport_t" value="([^"]+)"/.exec(page)?.[1] as string);
    const nextToken = () => tokens.shift() as string;
    now = new Date(now.getTime() + 10_000);
    const post = (client: string, values: Record<string, string>) =>
      fetch(`${server.baseUrl}/f/${form.publicId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": client },
        body: new URLSearchParams({ _rapport_t: nextToken(), _rapport_cv: "0", ...values }).toString(),
      }).then((r) => r.status);
    const spam = [];
    for (let i = 0; i < 5; i++)
      spam.push(await post("203.0.113.66", { "contact.email": `bot${i}@x.example`, website_url_2: "spam" }));
    for (let i = 0; i < 5; i++) spam.push(await post("203.0.113.66", { "contact.email": "not an address" }));
    expect(spam).toEqual([...Array(5).fill(200), ...Array(5).fill(400)]);
    // The spammer sends the victim's address first; the victim's own submission still goes through.
    expect(await post("203.0.113.66", { "contact.email": "victim@spam-flood-forms.example" })).toBe(200);
    expect(await post("203.0.113.66", { "contact.email": "victim@spam-flood-forms.example" })).toBe(429);
    expect(await post("198.51.100.5", { "contact.email": "victim@spam-flood-forms.example" })).toBe(200);
    expect(await post("198.51.100.6", { "contact.email": "third@spam-flood-forms.example" })).toBe(200);
    expect(await post("198.51.100.7", { "contact.email": "fourth@spam-flood-forms.example" })).toBe(429);
    const leads = await server.database.db.selectFrom("leads").select("id").execute();
    expect(leads).toHaveLength(3);
  });
});

describe.each(storeKinds)("web form pages and tokens handed out (%s)", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, {
      webForms: {
        perIpPerMinute: 1000,
        perFormPerMinute: 1000,
        perAddressPerHour: 1000,
        pagesPerIpPerMinute: 3,
      },
    });
  });
  afterAll(() => server.close());

  it("limits the pages and tokens one client is handed, each a fresh token", async () => {
    const admin = await server.token("ada@pages-forms.example");
    const me = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token: admin })).body
      .user.id;
    const form = parse(
      WebForm,
      await server.request("POST", "/api/v1/web-forms", {
        token: admin,
        body: {
          name: "Pages",
          title: null,
          fields: [{ target: "contact.email", label: "Email", required: true }],
          consentText: null,
          afterSubmit: { kind: "message", message: "Thanks" },
          owner: { kind: "user", userId: me },
          allowedOrigins: [],
        },
      }),
    );
    const statuses = [];
    for (const path of ["", "/token", "", "/token", ""]) {
      const response = await fetch(`${server.baseUrl}/f/${form.publicId}${path}`);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
