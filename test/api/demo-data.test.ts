import { readFileSync } from "node:fs";
import path from "node:path";
import { PREVIEW_USER, sampleMail } from "../../src/addin/preview/sample-mail";
import { Page } from "../../src/shared/common";
import { Dashboard } from "../../src/shared/dashboard";
import { DealWithStage } from "../../src/shared/deals";
import { CompanyAccount } from "../../src/shared/invoices";
import { Timeline } from "../../src/shared/people";
import { PipelineByStage } from "../../src/shared/reports";
import { loadDemoData, mintPreviewToken, storeIsEmpty } from "../../scripts/demo-data";
import { type TestServer, lookupPeople, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("demo data (%s)", (kind) => {
  let server: TestServer;
  let rita: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    // The token `npm start` and `npm run demo` use, from the server's own local issuer.
    rita = await mintPreviewToken(server.dataDir);
  });
  afterAll(() => server.close());

  const lookup = (...emails: string[]) => lookupPeople(server, rita, emails);

  it("loads into an empty store, after which the store is no longer empty", async () => {
    expect(await storeIsEmpty(server.baseUrl, rita)).toBe(true);
    const lines: string[] = [];
    const summary = await loadDemoData(server.baseUrl, rita, (line) => lines.push(line));
    expect(summary).toEqual({
      companies: expect.any(Number),
      contacts: expect.any(Number),
      deals: expect.any(Number),
      tasks: expect.any(Number),
      interactions: expect.any(Number),
    });
    expect(summary.companies).toBeGreaterThanOrEqual(3);
    expect(summary.contacts).toBeGreaterThanOrEqual(10);
    expect(summary.deals).toBeGreaterThanOrEqual(5);
    expect(summary.interactions).toBeGreaterThanOrEqual(10);
    expect(lines.length).toBeGreaterThan(0);
    expect(await storeIsEmpty(server.baseUrl, rita)).toBe(false);
  });

  it("makes Anna Berg a known customer at Fabrikam with one open deal and recent history", async () => {
    const [anna] = await lookup("anna.berg@fabrikam.example");
    const contact = anna?.contact;
    expect(contact).toMatchObject({
      displayName: "Anna Berg",
      title: "CFO",
      phones: ["+46 70 123 45 67"],
      lifecycleStage: "customer",
      company: { name: "Fabrikam AB", domain: "fabrikam.example" },
    });
    expect(contact?.openDeals.map((d) => [d.name, d.amount, d.currency])).toEqual([
      ["Fabrikam renewal", 12000, "EUR"],
    ]);
    expect(contact?.openTasks.length).toBeGreaterThan(0);
    const interactions = contact?.recentInteractions ?? [];
    expect(new Set(interactions.map((i) => i.kind))).toEqual(new Set(["email", "call", "meeting"]));
    const monthAgo = Date.now() - 40 * 24 * 3600 * 1000;
    for (const interaction of interactions) {
      expect(Date.parse(interaction.occurredAt)).toBeGreaterThan(monthAgo);
      expect(Date.parse(interaction.occurredAt)).toBeLessThanOrEqual(Date.now());
    }
  });

  it("knows everyone in the sample thread, but not the preview's unknown sender or his company", async () => {
    const results = await lookup(
      "bo.ek@fabrikam.example",
      "carl.sund@eu.fabrikam.example",
      "jonas.lind@northwind.example",
    );
    expect(results[0]?.contact?.company?.name).toBe("Fabrikam AB");
    expect(results[1]?.contact?.company?.name).toBe("Fabrikam AB");
    expect(results[2]?.contact).toBeNull();
    expect(results[2]?.suggestion?.company).toBeNull();
  });

  it("leaves the sample emails unlogged, for the rep to log in the preview", async () => {
    const addresses = [
      ...new Set(sampleMail.flatMap((m) => [m.from, ...m.to, ...m.cc]).map((m) => m?.address)),
    ].filter((a): a is string => a !== undefined && a !== PREVIEW_USER);
    const results = await lookup(...addresses);
    const logged = new Set(
      results.flatMap((r) => r.contact?.recentInteractions.map((i) => i.internetMessageId) ?? []),
    );
    expect(logged.size).toBeGreaterThan(0);
    for (const mail of sampleMail) {
      if (mail.internetMessageId) expect(logged).not.toContain(mail.internetMessageId);
    }
  });

  it("gives Anna's company two overdue invoices, so the preview's pane flags them on her mail", async () => {
    const [anna] = await lookup("anna.berg@fabrikam.example");
    const companyId = anna?.contact?.company?.id;
    const account = parse(
      CompanyAccount,
      await server.request("GET", `/api/v1/companies/${companyId}/account`, { token: rita }),
    );
    expect(account.overdue).toMatchObject({
      invoices: 2,
      amounts: [{ currency: "SEK", invoices: 2, balance: "14500.00" }],
    });
    // 23 days, or one more when the day turned between the loading and this request.
    expect(account.overdue.oldestDaysOverdue).toBeGreaterThanOrEqual(23);
    expect(account.overdue.oldestDaysOverdue).toBeLessThanOrEqual(24);
    // The EUR invoice of the won first year, part paid: a balance of its own, never added to the SEK one.
    expect(account.openBalances).toEqual([
      { currency: "EUR", invoices: 1, balance: "5500.00" },
      { currency: "SEK", invoices: 3, balance: "26500.00" },
    ]);
    expect(account.purchaseFrequency.invoices).toBeGreaterThanOrEqual(5);
    expect(account.purchaseFrequency.medianDaysBetween).not.toBeNull();
  });

  it("spreads the deals over the pipeline", async () => {
    const response = await server.request("GET", "/api/v1/deals?limit=200", { token: rita });
    expect(response.status).toBe(200);
    const deals = parse(Page(DealWithStage), response).items;
    const stages = new Set(deals.map((d) => d.stage.name));
    expect(stages.size).toBeGreaterThanOrEqual(3);
    expect(new Set(deals.map((d) => d.status))).toEqual(new Set(["open", "won", "lost"]));
  });

  it("dates the deals' history in the past, so the pane and Today look as they will in real use", async () => {
    const [anna] = await lookup("anna.berg@fabrikam.example");
    const timeline = parse(
      Timeline,
      await server.request("GET", `/api/v1/contacts/${anna?.contact?.id}/timeline?limit=50`, { token: rita }),
    );
    const moves = timeline.items.filter((item) => item.type === "stage_change");
    expect(moves.length).toBeGreaterThan(3);
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const move of moves) expect(Date.parse(move.at)).toBeLessThan(dayAgo);
    // Newest first, and not a run of the deals' moves at the top: the latest emails and calls come before them.
    expect(timeline.items[0]?.type).not.toBe("stage_change");

    const today = parse(Dashboard, await server.request("GET", "/api/v1/dashboard", { token: rita }));
    const open = parse(
      Page(DealWithStage),
      await server.request("GET", "/api/v1/deals?status=open", { token: rita }),
    ).items;
    const slow = today.dealsNeedingAttention.items.filter((d) => d.reasons.includes("stuck_in_stage"));
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.length).toBeLessThan(open.length);
  });

  it("reports the Danish and the euro deal in Qualification apart and converted at the demo's rates, never as 101,000", async () => {
    const response = await server.request("GET", "/api/v1/reports/pipeline-by-stage", { token: rita });
    expect(JSON.stringify(response.body)).not.toMatch(/101000/);
    const report = parse(PipelineByStage, response);
    expect(report.conversion).toMatchObject({
      baseCurrency: "EUR",
      rates: [
        { currency: "DKK", rate: "0.1341" },
        { currency: "NOK", rate: "0.0855" },
      ],
      notConverted: [],
    });
    const qualification = report.rows.find((r) => r.stageName === "Qualification");
    expect(qualification?.currencies.map((c) => [c.currency, c.amount, c.inBase?.amount])).toEqual([
      ["DKK", "95000.00", "12739.50"],
      ["EUR", "6000.00", "6000.00"],
    ]);
    expect(qualification?.inBase).toMatchObject({ deals: 2, amount: "18739.50" });
  });

  it("refuses to load twice, naming what exists, without creating anything", async () => {
    const before = await server.request("GET", "/api/v1/companies?limit=200", { token: rita });
    await expect(loadDemoData(server.baseUrl, rita)).rejects.toThrow(/already.*anna\.berg@fabrikam\.example/);
    const after = await server.request("GET", "/api/v1/companies?limit=200", { token: rita });
    expect(after.body).toEqual(before.body);
  });

  it("asks a member to sign in as the admin before it creates anything", async () => {
    const mia = await server.token("mia@contoso.example");
    const before = await server.request("GET", "/api/v1/contacts?limit=200", { token: rita });
    await expect(loadDemoData(server.baseUrl, mia)).rejects.toThrow(/loaded by an admin of the organisation/);
    const after = await server.request("GET", "/api/v1/contacts?limit=200", { token: rita });
    expect(after.body).toEqual(before.body);
  });

  it("names the request, the status and the problem when the API refuses", async () => {
    const other = await server.token("someone@elsewhere.example");
    await expect(storeIsEmpty(server.baseUrl, "not-a-token")).rejects.toThrow(
      /Checking for contacts \(GET \/api\/v1\/contacts\?limit=1\) failed with 401: unauthenticated/,
    );
    // Another organisation's store is its own: empty, whatever the rep's holds.
    expect(await storeIsEmpty(server.baseUrl, other)).toBe(true);
  });

  it("leaves room for docs/accounting.md's walk-through: its company and its batch answer as the page says", async () => {
    // `npm start` offers the demo data on a first start, so the page's commands run beside it.
    const page = readFileSync(path.join(__dirname, "..", "..", "docs", "accounting.md"), "utf8");
    const company = /-d '(\{"name":[^']*\})' http:\/\/127\.0\.0\.1:3001\/api\/v1\/companies/.exec(page)?.[1];
    const batch =
      /-d '(\{\n[\s\S]*?\})' http:\/\/127\.0\.0\.1:3001\/api\/v1\/accounting\/batch\n# (\{.*\})/.exec(page);
    const again = /# the same request again\n# (\{.*\})/.exec(page)?.[1];
    expect([typeof company, typeof batch?.[1], typeof batch?.[2], typeof again]).toEqual(
      Array(4).fill("string"),
    );
    const made = await server.request<{ id: string }>("POST", "/api/v1/companies", {
      token: rita,
      body: JSON.parse(company ?? ""),
    });
    expect([made.status, made.body]).toEqual([201, expect.objectContaining({ id: expect.any(String) })]);
    // The shell splices the company's id into the JSON where the page writes '"$COMPANY"'.
    const body: unknown = JSON.parse((batch?.[1] ?? "").replace(`'"$COMPANY"'`, made.body.id));
    const first = await server.request("POST", "/api/v1/accounting/batch", { token: rita, body });
    expect(first.body).toEqual(JSON.parse(batch?.[2] ?? ""));
    const second = await server.request("POST", "/api/v1/accounting/batch", { token: rita, body });
    expect(second.body).toEqual(JSON.parse(again ?? ""));
  });
});
