import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { type Browser, type Page, chromium } from "playwright-core";
import { z } from "zod";
import { loadDemoData } from "../../scripts/demo-data";
import { Page as ListPage } from "../../src/shared/common";
import { Contact } from "../../src/shared/contacts";
import { DealWithStage } from "../../src/shared/deals";
import { PipelineList } from "../../src/shared/pipelines";
import { Task } from "../../src/shared/tasks";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const describeInBrowser = browserAvailable("End-to-end suite (web app lists in Chromium)")
  ? describe
  : describe.skip;

describeInBrowser("the web app's record lists: filter, edit, export (npm start, Chromium)", () => {
  let stack: RapportStack;
  let browser: Browser;
  let page: Page;
  let token: string;
  let proposalStage: string;

  const api = async <T extends z.ZodType>(schema: T, route: string, init: RequestInit = {}) => {
    const response = await fetch(`${stack.apiUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return schema.parse(await response.json()) as z.output<T>;
  };

  beforeAll(async () => {
    stack = await startRapport();
    token = await stack.token("rita@contoso.example", "Rita Rep");
    await loadDemoData(stack.apiUrl, token);
    const { pipelines } = await api(PipelineList, "/api/v1/pipelines");
    proposalStage = pipelines[0]?.stages.find((s) => s.name === "Proposal")?.id as string;
    await api(z.unknown(), "/api/v1/custom-fields", {
      method: "POST",
      body: JSON.stringify({ entity: "deal", key: "region", label: "Region", type: "text" }),
    });
    // Two deals in the stage at least, so the file's rows are more than one by chance.
    for (const name of ["Aurora rollout", "Borealis pilot"])
      await api(DealWithStage, "/api/v1/deals", {
        method: "POST",
        body: JSON.stringify({ name, amount: 5000, currency: "EUR", stageId: proposalStage }),
      });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      ignoreHTTPSErrors: true,
      locale: "en-US",
      timezoneId: "UTC",
      acceptDownloads: true,
    });
    page = await context.newPage();
    await page.goto(stack.webAppUrl);
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email address").fill("rita@contoso.example");
    await form.getByLabel("Name").fill("Rita Rep");
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Rapport" }).waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("filters the deals by stage, and exports exactly those rows as XLSX", async () => {
    const all = await api(ListPage(DealWithStage), "/api/v1/deals?limit=200");
    const inProposal = await api(ListPage(DealWithStage), `/api/v1/deals?stageId=${proposalStage}&limit=200`);
    expect(inProposal.items.length).toBeGreaterThanOrEqual(2);
    expect(all.items.length).toBeGreaterThan(inProposal.items.length);

    await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Deals" }).click();
    const grid = page.getByRole("grid", { name: "Deals" });
    await grid.getByRole("link").first().waitFor();
    await page.getByRole("combobox", { name: "Stage", exact: true }).click();
    await page.getByRole("option", { name: "Proposal", exact: true }).click();
    await page.waitForURL(`**/app/deals?stageId=${proposalStage}`);
    const names = inProposal.items.map((d) => d.name);
    // The rows of the filter replace the others once its page arrives: polled until they have, the test's own
    // timeout the only limit.
    const shown = () => grid.getByRole("link").allTextContents();
    while (JSON.stringify(await shown()) !== JSON.stringify(names)) await page.waitForTimeout(200);
    expect(await shown()).toEqual(names);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export the deals shown as XLSX" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("deals.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("no worksheet");
    expect(sheet.getRow(1).getCell(2).value).toBe("Name");
    expect(sheet.getRow(1).getCell(6).value).toBe("Stage");
    expect(sheet.rowCount).toBe(names.length + 1);
    const rows = Array.from({ length: names.length }, (_, i) => sheet.getRow(i + 2));
    expect(rows.map((r) => r.getCell(2).value)).toEqual(names);
    expect(rows.map((r) => r.getCell(6).value)).toEqual(names.map(() => "Proposal"));
  }, 120_000);

  it("opens a deal from the list, edits its custom field, and the server has it", async () => {
    const grid = page.getByRole("grid", { name: "Deals" });
    await grid.getByRole("link", { name: "Aurora rollout" }).click();
    const form = page.getByRole("form", { name: "Edit Aurora rollout" });
    await form.getByRole("textbox", { name: "Region" }).fill("Nordics");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByRole("status").getByText("Saved.").waitFor();
    const onServer = await api(ListPage(DealWithStage), "/api/v1/deals?q=Aurora");
    expect(onServer.items.map((d) => [d.name, d.customFields.region, d.version])).toEqual([
      ["Aurora rollout", "Nordics", 2],
    ]);
    // Back to the list as it was left: the stage filter still applies.
    await page.getByRole("link", { name: "All deals" }).click();
    await page.waitForURL(`**/app/deals?stageId=${proposalStage}`);
  }, 60_000);

  it("creates a contact with a required custom field from the web app, and the API finds it", async () => {
    await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("button", { name: "New contact" }).click();
    const form = page.getByRole("form", { name: "New contact" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Greta Lind");
    await form.getByRole("textbox", { name: "Email addresses" }).fill("greta.lind@fabrikam.example");
    // An admin adds a required field while the form is open: the server asks for it, and the form shows it.
    await api(z.unknown(), "/api/v1/custom-fields", {
      method: "POST",
      body: JSON.stringify({
        entity: "contact",
        key: "tier",
        label: "Tier",
        type: "choice",
        choices: ["Gold", "Silver"],
        required: true,
      }),
    });
    await form.getByRole("button", { name: "Create contact" }).click();
    await form.getByText('"Tier" is required').waitFor();
    await form.getByRole("combobox", { name: "Tier" }).selectOption("Gold");
    await form.getByRole("button", { name: "Create contact" }).click();
    await page.getByRole("form", { name: "Edit Greta Lind" }).waitFor();
    const found = await api(ListPage(Contact), "/api/v1/contacts?q=greta.lind%40fabrikam.example");
    expect(found.items.map((c) => [c.displayName, c.emails, c.customFields, c.lifecycleStage])).toEqual([
      ["Greta Lind", ["greta.lind@fabrikam.example"], { tier: "Gold" }, "lead"],
    ]);
    expect(page.url()).toMatch(new RegExp(`/app/contacts/${found.items[0]?.id}$`));
  }, 60_000);

  it("creates a task linked to a contact picked by name, and the API has the link", async () => {
    const [greta] = (await api(ListPage(Contact), "/api/v1/contacts?q=Greta%20Lind")).items;
    if (!greta) throw new Error("the previous step's contact is missing");
    await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Tasks" }).click();
    await page.getByRole("button", { name: "New task" }).click();
    const form = page.getByRole("form", { name: "New task" });
    await form.getByRole("textbox", { name: "Title" }).fill("Send Greta the offer");
    const picker = form.getByRole("combobox", { name: "Contact" });
    await picker.pressSequentially("greta", { delay: 30 });
    // Picked from the keyboard: the search's first answer is the one Enter takes.
    await page.getByRole("option", { name: /^Greta Lind/ }).waitFor();
    await picker.press("Enter");
    await expect(picker.inputValue()).resolves.toBe("Greta Lind");
    await form.getByRole("button", { name: "Create task" }).click();
    const record = page.getByRole("form", { name: "Edit Send Greta the offer" });
    await record.getByRole("link", { name: "Greta Lind" }).waitFor();
    const id = new URL(page.url()).pathname.split("/").at(-1) as string;
    const task = await api(Task, `/api/v1/tasks/${id}`);
    expect([task.title, task.contactId, task.dealId]).toEqual(["Send Greta the offer", greta.id, null]);
  }, 60_000);
});
