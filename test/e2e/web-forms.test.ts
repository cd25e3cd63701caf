import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { Page as ListPage } from "../../src/shared/common";
import { Task } from "../../src/shared/tasks";
import { Lead, WebFormList } from "../../src/shared/web-forms";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (web forms in Chromium)")
  ? describe
  : describe.skip;

/** A customer's own site: one page holding what the admin pasted, on an origin of its own. */
async function customerSite(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url !== "/" && !request.url?.startsWith("/?")) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // "localhost", not the address: a site's origin the form may allow over plain http is localhost only.
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

describeInBrowser("web forms: built in the web app, sent from another site (npm start, Chromium)", () => {
  let stack: RapportStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let snippet = "";
  let allowed: { server: Server; origin: string };
  let refused: { server: Server; origin: string };

  const api = async (route: string): Promise<unknown> => {
    const response = await fetch(`${stack.apiUrl}${route}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const leads = async () => ListPage(Lead).parse(await api("/api/v1/leads?limit=200")).items;
  const site =
    () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer site</title></head>
<body><h1>Pricing</h1>${snippet}</body></html>`;

  beforeAll(async () => {
    stack = await startRapport({ args: ["--no-demo"] });
    // The organisation's first user is its admin.
    token = await stack.token("ada@fabrikam.example", "Ada Admin");
    allowed = await customerSite(site);
    refused = await customerSite(site);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      ignoreHTTPSErrors: true,
      locale: "en-US",
      timezoneId: "UTC",
    });
    page = await context.newPage();
    await page.goto(stack.webAppUrl);
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email address").fill("ada@fabrikam.example");
    await form.getByLabel("Name").fill("Ada Admin");
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(
      [allowed, refused].map((s) => s && new Promise<void>((resolve) => s.server.close(() => resolve()))),
    );
    await stack?.stop();
  });

  it("lets an admin build a form and copy its snippet", async () => {
    const section = page.getByRole("region", { name: "Web forms" });
    await section.getByText("No web forms yet.").waitFor();
    await section.getByRole("button", { name: "New form" }).click();
    const editor = page.getByRole("region", { name: "New web form" });
    await editor.getByRole("textbox", { name: "Name" }).fill("Pricing page");
    await editor.getByRole("textbox", { name: "Title visitors see" }).fill("Talk to sales");
    await editor
      .getByRole("group", { name: "First name" })
      .getByRole("checkbox", { name: "Required" })
      .check();
    await editor.getByRole("textbox", { name: /^Consent text/ }).fill("You may contact me about Fabrikam.");
    await editor.getByRole("textbox", { name: "Thank-you message" }).fill("Thanks, we will call you.");
    await editor.getByRole("textbox", { name: /^Sites that may embed the form/ }).fill(allowed.origin);
    // Sent from the keyboard, as the whole form can be.
    await editor.getByRole("button", { name: "Create form" }).focus();
    await page.keyboard.press("Enter");
    const table = section.getByRole("table", { name: "Web forms" });
    await table.getByRole("cell", { name: "Ada Admin" }).waitFor();

    await section.getByRole("button", { name: "Show how to put Pricing page on a site" }).click();
    const box = section.getByRole("textbox", { name: /The snippet to paste into a page of your site/ });
    await box.waitFor();
    snippet = await box.inputValue();
    expect(snippet).toContain(`action="${stack.apiUrl}/f/`);
    expect(snippet).toContain(`<script src="${stack.apiUrl}/f/embed.js" defer></script>`);
    const hosted = await section
      .getByRole("textbox", { name: "The hosted page, to link to or open" })
      .inputValue();
    expect(hosted).toMatch(new RegExp(`^${stack.apiUrl}/f/[A-Za-z0-9_-]{22}$`));
    mkdirSync(screenshots, { recursive: true });
    await section.screenshot({ path: path.join(screenshots, "webapp-web-forms.png") });

    const forms = WebFormList.parse(
      await (
        await fetch(`${stack.apiUrl}/api/v1/web-forms`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json(),
    ).items;
    expect(forms.map((f) => [f.name, f.allowedOrigins, f.consentVersion])).toEqual([
      ["Pricing page", [allowed.origin], 1],
    ]);
  }, 120_000);

  it("takes a submission from the allowed site, answered on the site's own page", async () => {
    const visitor = await context.newPage();
    try {
      await visitor.goto(`${allowed.origin}/?utm_source=newsletter&utm_campaign=winter`);
      await visitor.getByLabel("Email address").fill("anna.berg@northwind.example");
      await visitor.getByLabel("First name").fill("Anna");
      await visitor.getByLabel("Last name").fill("Berg");
      await visitor.getByLabel("Company name").fill("Northwind");
      await visitor.getByRole("checkbox", { name: "You may contact me about Fabrikam." }).check();
      await visitor.getByRole("button", { name: "Send" }).click();
      // The script sends it and shows the answer in the page: the visitor never leaves the customer's site.
      await visitor
        .getByRole("status")
        .filter({ hasText: "Thanks, we will call you." })
        .waitFor({ timeout: 60_000 });
      expect(new URL(visitor.url()).origin).toBe(allowed.origin);
    } finally {
      await visitor.close();
    }
    const [lead] = await leads();
    expect(lead?.submitted["contact.email"]).toBe("anna.berg@northwind.example");
    expect([lead?.utm.source, lead?.utm.campaign, lead?.consentVersion]).toEqual(["newsletter", "winter", 1]);
    expect(lead?.pageUrl).toBe(`${allowed.origin}/?utm_source=newsletter&utm_campaign=winter`);
  }, 120_000);

  it("refuses the same form sent from a site that is not allowed, making nothing", async () => {
    const before = (await leads()).length;
    const visitor = await context.newPage();
    try {
      await visitor.goto(`${refused.origin}/`);
      await visitor.getByLabel("Email address").fill("mallory@elsewhere.example");
      await visitor.getByLabel("First name").fill("Mallory");
      await visitor.getByRole("checkbox", { name: "You may contact me about Fabrikam." }).check();
      // The script gets no token for this site (its answer is not shared with it), so the browser posts the form
      // itself, naming the site it comes from.
      await visitor.getByRole("button", { name: "Send" }).click();
      await visitor.getByText("This form cannot be sent from this site.").waitFor({ timeout: 60_000 });
      expect(new URL(visitor.url()).origin).toBe(stack.apiUrl);
    } finally {
      await visitor.close();
    }
    const after = await leads();
    expect(after).toHaveLength(before);
    expect(after.map((l) => l.submitted["contact.email"])).not.toContain("mallory@elsewhere.example");
  }, 120_000);

  it("puts the lead's task on the owner's Today, and the lead on the Leads page, linked to its contact", async () => {
    const [lead] = await leads();
    const me = (await api("/api/v1/me")) as { user: { id: string } };
    const task = Task.parse(await api(`/api/v1/tasks/${lead?.taskId}`));
    expect([task.title, task.assigneeId, lead?.ownerId]).toEqual([
      "New lead from the website: Anna Berg",
      me.user.id,
      me.user.id,
    ]);
    // The owner opens Rapport (the Today they saw at sign-in is a minute old: the web app holds a page's data
    // for half a minute before it asks again).
    await page.goto(stack.webAppUrl);
    await page.getByRole("heading", { level: 1, name: /^Today/ }).waitFor();
    await page
      .getByRole("list", { name: "Follow-ups due" })
      .getByRole("listitem")
      .filter({ hasText: "New lead from the website: Anna Berg" })
      .waitFor();

    const nav = page.getByRole("navigation", { name: "Rapport" });
    await nav.getByRole("link", { name: "Leads" }).click();
    const table = page.getByRole("table", { name: "Leads" });
    const row = table.getByRole("row").filter({ hasText: "anna.berg@northwind.example" });
    await row.getByRole("cell", { name: "Pricing page" }).waitFor();
    await row.getByRole("cell", { name: "newsletter · winter" }).waitFor();
    await row.getByRole("cell", { name: "Version 1" }).waitFor();
    await row.getByRole("cell", { name: "Ada Admin" }).waitFor();
    await page.screenshot({ path: path.join(screenshots, "webapp-leads.png") });
    await row.getByRole("link", { name: "Anna Berg (anna.berg@northwind.example)" }).click();
    await page.getByRole("heading", { name: "Anna Berg" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/contacts\/[0-9a-f-]{36}$/);
  }, 120_000);
});
