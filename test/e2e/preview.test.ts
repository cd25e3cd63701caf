import { existsSync, mkdirSync } from "node:fs";
import { get as httpsGet } from "node:https";
import path from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { Contact } from "../../src/shared/contacts";
import { Dashboard } from "../../src/shared/dashboard";
import { Timeline } from "../../src/shared/people";
import { Task } from "../../src/shared/tasks";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";
import { docScreenshot } from "../helpers/doc-screenshots";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (preview in Chromium)")
  ? describe
  : describe.skip;

describeInBrowser("the browser preview, end to end (npm start on a fresh store, Chromium)", () => {
  let stack: RapportStack;
  let browser: Browser;
  let page: Page;
  let token: string;
  let annaId: string;
  let followUpIds: { overdue: string; today: string };

  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    stack = await startRapport();
    // The rep the preview signs in as, and a customer the sample emails come from.
    token = await stack.token("rita@contoso.example", "Rita Rep");
    const company = await api<{ id: string }>("POST", "/api/v1/companies", {
      name: "Fabrikam",
      domain: "fabrikam.example",
    });
    const anna = await api<{ id: string }>("POST", "/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna.berg@fabrikam.example"],
      title: "CFO",
      companyId: company.id,
    });
    annaId = anna.id;
    // What the accounting system says Fabrikam owes: two invoices past their due date, in the rep's own today
    // (this machine's zone, which Chromium shares), the oldest 23 days late.
    const daysAgo = (days: number) => {
      const day = new Date(Date.now() - days * 86_400_000);
      const two = (n: number) => String(n).padStart(2, "0");
      return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
    };
    await api("POST", "/api/v1/accounting/batch", {
      invoices: [
        { externalId: "F-1", number: "1001", issueDate: daysAgo(53), dueDate: daysAgo(23), amount: "8000" },
        { externalId: "F-2", number: "1002", issueDate: daysAgo(40), dueDate: daysAgo(10), amount: "6500" },
      ].map((invoice) => ({ ...invoice, companyId: company.id, currency: "SEK", status: "open" })),
    });
    await api("POST", "/api/v1/deals", {
      name: "Fabrikam renewal",
      amount: 12000,
      currency: "EUR",
      contactIds: [anna.id],
    });
    await api("POST", "/api/v1/tasks", {
      title: "Send the contract",
      dueAt: "2026-12-01T09:00:00Z",
      contactId: anna.id,
    });
    // Two follow-ups of the rep's for Today, whatever day the suite runs: one two days late, one due now.
    const late = await api<{ id: string }>("POST", "/api/v1/tasks", {
      title: "Chase the signed order",
      dueAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      contactId: anna.id,
    });
    const now = await api<{ id: string }>("POST", "/api/v1/tasks", {
      title: "Call Anna about the renewal",
      dueAt: new Date().toISOString(),
      contactId: anna.id,
    });
    followUpIds = { overdue: late.id, today: now.id };

    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1000, height: 720 }, ignoreHTTPSErrors: true });
    await page.goto(stack.previewUrl);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const pane = () => page.getByRole("complementary", { name: "Rapport" });

  it("shows Today while no email is selected: the rep's follow-ups, the late one marked, one marked done on the server", async () => {
    const today = pane().getByRole("region", { name: "Today", exact: true });
    await today.getByRole("heading", { name: "Today", exact: true }).waitFor();
    const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const dashboard = Dashboard.parse(
      await api("GET", `/api/v1/dashboard?timeZone=${encodeURIComponent(timeZone)}`),
    );
    const followUps = today.getByRole("region", { name: `Follow-ups due (${dashboard.followUps.total})` });
    const late = followUps.getByRole("listitem").filter({ hasText: "Chase the signed order" });
    await late.getByText(/^Overdue · /).waitFor();
    const due = followUps.getByRole("listitem").filter({ hasText: "Call Anna about the renewal" });
    await due.getByText("Due today").waitFor();
    await today.getByRole("region", { name: "My pipeline" }).getByText("Open deals: 1").waitFor();

    // Done with one click (by keyboard, as a rep tabbing through would), then checked on the server.
    await due.getByRole("checkbox", { name: "Mark “Call Anna about the renewal” done" }).press("Space");
    await due.getByRole("status").getByText("Done").waitFor();
    await due.getByRole("button", { name: "Undo" }).waitFor();
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "pane-today.png") });
    const task = Task.parse(await api("GET", `/api/v1/tasks/${followUpIds.today}`));
    expect([task.done, task.version]).toEqual([true, 2]);
    const other = Task.parse(await api("GET", `/api/v1/tasks/${followUpIds.overdue}`));
    expect(other.done).toBe(false);
  }, 60_000);

  it("shows the sender's profile with the open deal and task when a known contact's email is selected", async () => {
    await pane().getByText("Select an email to see who it is from.").waitFor();
    await page.locator('[data-message="known"]').click();
    await pane().getByText("CFO at Fabrikam").waitFor();
    await pane().getByText("Fabrikam renewal", { exact: true }).waitFor();
    await pane().getByText("Send the contract", { exact: true }).waitFor();
    // The company's money at a glance: the overdue flag, from the accounting system's invoices.
    const invoices = pane().getByRole("region", { name: "Fabrikam: invoices" });
    const flag = invoices.getByText(/invoices overdue/);
    await flag.waitFor();
    expect((await flag.textContent())?.replace(/\s/g, " ")).toBe(
      "2 invoices overdue: SEK 14,500, oldest 23 days",
    );
  }, 60_000);

  it("logs the email in one click, and it stays one entry when the email is selected again", async () => {
    await pane().getByRole("button", { name: "Log this email" }).click();
    await pane().getByRole("button", { name: "Logged" }).waitFor();
    await pane().getByText("Re: Proposal for Q3").waitFor();

    await page.locator('[data-message="unknown"]').click();
    await pane().getByText("Not in Rapport yet").waitFor();
    await page.locator('[data-message="known"]').click();
    await pane().getByRole("button", { name: "Logged" }).waitFor();
    expect(await pane().getByText("Re: Proposal for Q3").count()).toBe(1);

    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "pane-logged.png") });
    // The README's picture of the pane: the pane alone, at the width the preview gives it (Outlook's pane width).
    await docScreenshot({ element: pane() }, "pane.png");

    const timeline = Timeline.parse(await api("GET", `/api/v1/contacts/${annaId}/timeline`));
    const emails = timeline.items.filter(
      (i) => i.type === "interaction" && i.interaction.subject === "Re: Proposal for Q3",
    );
    expect(emails).toHaveLength(1);
  }, 60_000);

  it("moves the deal to another stage from the mail, and the server has it there", async () => {
    await page.locator('[data-message="known"]').click();
    const stage = pane().getByRole("combobox", { name: "Stage of Fabrikam renewal" });
    await stage.click();
    await page.getByRole("option", { name: "Negotiation" }).click();
    await pane()
      .getByRole("combobox", { name: "Stage of Fabrikam renewal" })
      .filter({ hasText: "Negotiation" })
      .waitFor();
    const deals = await api<{ items: { name: string; stage: { name: string }; version: number }[] }>(
      "GET",
      "/api/v1/deals?q=Fabrikam",
    );
    expect(deals.items.map((d) => [d.name, d.stage.name, d.version])).toEqual([
      ["Fabrikam renewal", "Negotiation", 2],
    ]);
  }, 60_000);

  it("adds an unknown sender from the form filled from the email and its signature", async () => {
    await page.locator('[data-message="unknown"]').click();
    await pane().getByText("Not in Rapport yet").waitFor();
    const form = pane().getByRole("form", { name: "Add to Rapport" });
    await form.waitFor();
    expect(await form.getByLabel("Name").inputValue()).toBe("Jonas Lind");
    expect(await form.getByLabel("Title").inputValue()).toBe("Head of Sales");
    expect(await form.getByLabel("Phone").inputValue()).toBe("+47 91 23 45 67");
    expect(await form.getByLabel("Company").inputValue()).toBe("Northwind Traders");
    await form.getByRole("button", { name: "Add to Rapport" }).click();
    await pane().getByText("Head of Sales at Northwind Traders").waitFor();
    await page.screenshot({ path: path.join(screenshots, "pane-added.png") });

    const lookup = await api<{
      results: {
        contact: {
          displayName: string;
          phones: string[];
          company: { name: string; domain: string } | null;
        } | null;
      }[];
    }>("GET", "/api/v1/people/lookup?email=jonas.lind@northwind.example");
    expect(lookup.results[0]?.contact).toMatchObject({
      displayName: "Jonas Lind",
      phones: ["+47 91 23 45 67"],
      company: { name: "Northwind Traders", domain: "northwind.example" },
    });
  }, 60_000);

  it("shows a custom field defined through the API on the contact, and saves the rep's edit to the server", async () => {
    await api("POST", "/api/v1/custom-fields", {
      entity: "contact",
      key: "contract_tier",
      label: "Contract tier",
      type: "choice",
      choices: ["Bronze", "Silver", "Gold"],
    });
    // The rep opens the pane again: it reads the organisation's fields afresh.
    await page.reload();
    await page.locator('[data-message="known"]').click();
    const details = pane().getByRole("region", { name: "Details" });
    await details.getByText("Contract tier").waitFor();
    await details.getByText("Not set").waitFor();
    await details.getByRole("button", { name: "Edit Contract tier" }).click();
    const form = pane().getByRole("form", { name: "Edit Contract tier" });
    await form.getByRole("combobox").selectOption("Gold");
    await form.getByRole("button", { name: "Save" }).click();
    await details.getByText("Gold", { exact: true }).waitFor();
    const anna = Contact.parse(await api("GET", `/api/v1/contacts/${annaId}`));
    expect(anna.customFields).toEqual({ contract_tier: "Gold" });
  }, 60_000);

  it("serves the page Outlook loads: Office.js from the CDN's path, and outside Outlook a clear word instead of a pane", async () => {
    // No network here: the CDN's files are the ones npm installed with @microsoft/office-js.
    const officeJs = path.resolve(__dirname, "../../node_modules/@microsoft/office-js/dist");
    const serveOfficeJs = (page: Page, served: string[]) =>
      page.route("https://appsforoffice.microsoft.com/lib/1/hosted/**", async (route) => {
        const file = path.join(
          officeJs,
          new URL(route.request().url()).pathname.replace("/lib/1/hosted/", ""),
        );
        served.push(path.basename(file));
        if (existsSync(file)) await route.fulfill({ path: file, contentType: "text/javascript" });
        else await route.fulfill({ status: 404 });
      });
    const served: string[] = [];
    const outlookPage = await browser.newPage({ ignoreHTTPSErrors: true });
    await serveOfficeJs(outlookPage, served);
    const chunks: string[] = [];
    outlookPage.on("request", (request) => chunks.push(new URL(request.url()).pathname));
    await outlookPage.goto(stack.previewUrl.replace("preview.html", "taskpane.html"));
    await outlookPage
      .getByText("This is Rapport's Outlook task pane: open it from Outlook.", { exact: false })
      .waitFor();
    expect(served).toContain("office.js");
    // The Office.js mailbox is a chunk Outlook alone fetches; English is in the first load, no language chunk.
    expect(chunks.some((c) => c.includes("office-mailbox"))).toBe(false);
    expect(chunks.filter((c) => /pane-(sv|de|nb|hr)/.test(c))).toEqual([]);

    // A Swedish reader's page fetches the Swedish words, and only those, before it paints.
    const swedishPage = await browser.newPage({ ignoreHTTPSErrors: true, locale: "sv-SE" });
    await serveOfficeJs(swedishPage, []);
    const swedishChunks: string[] = [];
    swedishPage.on("request", (request) => swedishChunks.push(new URL(request.url()).pathname));
    await swedishPage.goto(stack.previewUrl.replace("preview.html", "taskpane.html"));
    await swedishPage.getByText("Det här är Rapports åtgärdsfönster för Outlook", { exact: false }).waitFor();
    expect(
      swedishChunks.filter((c) => /pane-(sv|de|nb|hr)/.test(c)).map((c) => /pane-(\w+)/.exec(c)?.[1]),
    ).toEqual(["sv"]);
    await swedishPage.close();

    // The ribbon command's and on-send handler's page loads and registers both without an error.
    const errors: string[] = [];
    outlookPage.on("pageerror", (error) => errors.push(error.message));
    served.length = 0;
    await outlookPage.goto(stack.previewUrl.replace("preview.html", "commands.html"));
    await outlookPage.waitForFunction(
      () => typeof (globalThis as { Office?: unknown }).Office !== "undefined",
    );
    await outlookPage.waitForLoadState("networkidle");
    expect(served).toContain("office.js");
    expect(errors).toEqual([]);
    await outlookPage.close();
  }, 60_000);

  it("mints the preview's tokens for its own pages only, never for another site's", async () => {
    const tokenUrl = stack.previewUrl.replace(
      "preview.html",
      "preview/token?email=mallory%40contoso.example",
    );
    const ask = (headers: Record<string, string>) =>
      new Promise<{ status: number; allowOrigin: string | undefined; body: string }>((resolve, reject) => {
        httpsGet(tokenUrl, { rejectUnauthorized: false, headers }, (answer) => {
          let body = "";
          answer.on("data", (chunk: Buffer) => (body += chunk.toString()));
          answer.on("end", () =>
            resolve({
              status: answer.statusCode ?? 0,
              allowOrigin: answer.headers["access-control-allow-origin"] as string | undefined,
              body,
            }),
          );
        }).on("error", reject);
      });
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "https://localhost:1" },
    ];
    for (const headers of crossSite) {
      const refused = await ask(headers);
      expect([headers, refused.status, refused.allowOrigin]).toEqual([headers, 403, undefined]);
      expect(refused.body).not.toMatch(/"token"/);
    }
    // The page's own request, as the preview makes it.
    const own = await page.evaluate(async () => {
      const response = await fetch("/preview/token?email=rita%40contoso.example");
      return { status: response.status, allowOrigin: response.headers.get("access-control-allow-origin") };
    });
    expect(own).toEqual({ status: 200, allowOrigin: null });
  });
});
