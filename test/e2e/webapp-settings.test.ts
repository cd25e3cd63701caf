import path from "node:path";
import { mkdirSync, readFileSync } from "node:fs";
import { type Browser, type Page, chromium } from "playwright-core";
import { CustomFieldDefinition, CustomFieldDefinitionList } from "../../src/shared/custom-fields";
import { DealWithStage } from "../../src/shared/deals";
import { PipelineList } from "../../src/shared/pipelines";
import { pdfText } from "../helpers/pdf-text";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (web app settings in Chromium)")
  ? describe
  : describe.skip;

describeInBrowser("the web app's Settings: pipelines and custom fields (npm start, Chromium)", () => {
  let stack: RapportStack;
  let browser: Browser;
  let page: Page;
  let token: string;
  let source: CustomFieldDefinition;
  let heldBy: DealWithStage;

  const api = async (route: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${stack.apiUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    });
    if (!response.ok)
      throw new Error(`${init.method ?? "GET"} ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const pipelines = async () => PipelineList.parse(await api("/api/v1/pipelines")).pipelines;
  const post = (route: string, body: unknown) => api(route, { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    stack = await startRapport();
    // The organisation's first user is its admin.
    token = await stack.token("ada@fabrikam.example", "Ada Admin");
    source = CustomFieldDefinition.parse(
      await post("/api/v1/custom-fields", {
        entity: "deal",
        key: "source",
        label: "Lead source",
        type: "choice",
        choices: ["web", "fair"],
      }),
    );
    // A deal holds "fair": the server will not let it be taken away.
    heldBy = DealWithStage.parse(
      await post("/api/v1/deals", { name: "Fair lead", customFields: { source: "fair" } }),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    const context = await browser.newContext({
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
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("creates a pipeline, makes it the default, and a deal created afterwards without a stage starts in it", async () => {
    const section = page.getByRole("region", { name: "Pipelines and stages" });
    await section.getByRole("button", { name: "New pipeline…" }).click();
    const dialog = page.getByRole("dialog", { name: "New pipeline" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Partners");
    // From the default stages, without Negotiation, and the first one renamed; all by keyboard.
    await dialog.getByRole("button", { name: "Remove new stage 4" }).click();
    await dialog.getByLabel("Name of new stage 1").fill("Introduced");
    await dialog.getByRole("button", { name: "Create pipeline" }).focus();
    await page.keyboard.press("Enter");
    await section.getByText("Pipeline “Partners” created.").waitFor();
    await dialog.waitFor({ state: "detached" });
    await section.getByRole("tab", { name: "Partners", selected: true }).waitFor();
    await section.getByRole("table", { name: "Stages of Partners, in order" }).waitFor();

    const partners = (await pipelines()).find((p) => p.name === "Partners");
    expect(partners?.stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
      ["Introduced", 10, "open"],
      ["Qualification", 25, "open"],
      ["Proposal", 50, "open"],
      ["Won", 100, "won"],
      ["Lost", 0, "lost"],
    ]);
    expect(partners?.isDefault).toBe(false);

    await section.getByRole("button", { name: "Make “Partners” the default" }).click();
    await section.getByText("“Partners” is the default: new deals start in it.").waitFor();
    await section.getByRole("tab", { name: "Partners (default)" }).waitFor();
    mkdirSync(screenshots, { recursive: true });
    await section.screenshot({ path: path.join(screenshots, "webapp-settings-pipelines.png") });
    const after = await pipelines();
    expect(after.filter((p) => p.isDefault).map((p) => p.name)).toEqual(["Partners"]);

    const deal = DealWithStage.parse(await post("/api/v1/deals", { name: "Partner referral" }));
    expect([deal.pipelineId, deal.stage.name]).toEqual([partners?.id, "Introduced"]);
  }, 90_000);

  it("deletes the old pipeline after a confirmation, its deal moving to the stage chosen", async () => {
    const section = page.getByRole("region", { name: "Pipelines and stages" });
    await section.getByRole("tab", { name: "Sales" }).click();
    await section.getByRole("button", { name: "Delete pipeline “Sales”…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete pipeline “Sales”?" });
    const target = dialog.getByRole("combobox", { name: "Move its deals to" });
    expect(await target.textContent()).toBe("Partners: Introduced");
    // By keyboard: open the list on the stage chosen for it, two stages down, take it.
    await target.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("listbox").waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("listbox").waitFor({ state: "detached" });
    expect(await target.textContent()).toBe("Partners: Proposal");
    await dialog.getByRole("button", { name: "Delete pipeline" }).click();
    await section.getByText("Pipeline “Sales” deleted; 1 deal moved to Partners: Proposal.").waitFor();
    expect((await pipelines()).map((p) => p.name)).toEqual(["Partners"]);
    const moved = DealWithStage.parse(await api(`/api/v1/deals/${heldBy.id}`));
    expect(moved.stage.name).toBe("Proposal");
    await section.getByRole("tab", { name: "Partners (default)", selected: true }).waitFor();

    // The last pipeline is the default: the server says why it stays.
    await section.getByRole("button", { name: "Delete pipeline “Partners”…" }).click();
    const last = page.getByRole("dialog", { name: "Delete pipeline “Partners”?" });
    await last.getByRole("button", { name: "Delete pipeline" }).click();
    await last
      .getByText(
        "The pipeline was not deleted: New deals start in the default pipeline: make another pipeline the default first.",
      )
      .waitFor();
    await last.getByRole("button", { name: "Try again" }).waitFor();
    await page.keyboard.press("Escape");
    await last.waitFor({ state: "detached" });
    expect((await pipelines()).map((p) => p.name)).toEqual(["Partners"]);
  }, 60_000);

  it("edits a choice field's choices, and shows the server's refusal to take away one a deal holds", async () => {
    const section = page.getByRole("region", { name: "Custom fields" });
    await section.getByRole("button", { name: "Edit choices of “Lead source”" }).click();
    const dialog = page.getByRole("dialog", { name: "Choices of “Lead source”" });
    await dialog.getByLabel("Choice “web”", { exact: true }).fill("website");
    await dialog.getByRole("button", { name: "Add a choice" }).click();
    // The new choice has the focus.
    await page.keyboard.type("referral");
    await dialog.getByRole("button", { name: "Save choices" }).click();
    await section.getByText("Choices saved.").waitFor();
    await dialog.waitFor({ state: "detached" });
    await section.getByText("Choice: website, fair, referral").waitFor();
    const stored = () =>
      api("/api/v1/custom-fields?entity=deal").then(
        (list) =>
          CustomFieldDefinitionList.parse(list).items.find(
            (f) => f.id === source.id,
          ) as CustomFieldDefinition,
      );
    expect((await stored()).choices).toEqual(["website", "fair", "referral"]);

    await section.getByRole("button", { name: "Edit choices of “Lead source”" }).click();
    await dialog.getByRole("button", { name: "Remove choice “fair”" }).click();
    await dialog.getByRole("button", { name: "Save choices" }).click();
    await dialog
      .getByText(
        "The choices were not saved: 1 record(s) hold a choice being taken away (fair); change them first.",
      )
      .waitFor();
    await dialog.getByRole("button", { name: "Try again" }).waitFor();
    await page.screenshot({ path: path.join(screenshots, "webapp-settings-choices.png") });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await stored()).choices).toEqual(["website", "fair", "referral"]);

    await section.getByRole("checkbox", { name: "“Lead source” is required" }).check();
    await section.getByText("Now required.").waitFor();
    expect((await stored()).required).toBe(true);
  }, 60_000);
  it("creates a product, prices a deal's lines with it, makes a quote and opens its PDF in the customer's language", async () => {
    // The quote template and the product, in the settings, as an admin sets them.
    const quotes = page.getByRole("region", { name: "Quotes" });
    const template = quotes.getByRole("form", { name: "Quote template" });
    await template.getByRole("textbox", { name: "Company name" }).fill("Fabrikam Øst AS");
    await template.getByRole("textbox", { name: "Terms in Hrvatski" }).fill("Plaćanje u roku od 30 dana.");
    await template.getByRole("button", { name: "Save quote template" }).click();
    await template.getByText("Saved.").waitFor();
    const products = page.getByRole("region", { name: "Products" });
    await products.getByRole("button", { name: "New product" }).click();
    const form = products.getByRole("form", { name: "New product" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Podrška Straße");
    await form.getByRole("textbox", { name: "Code" }).fill("SUP-Ž");
    await form.getByRole("textbox", { name: "Tax rate (%)" }).fill("25");
    await form.getByRole("textbox", { name: "Price in EUR" }).fill("1499,50");
    await form.getByRole("button", { name: "Create product" }).click();
    await products.getByRole("cell", { name: "SUP-Ž" }).waitFor();

    // A Croatian customer's deal; its lines picked from the catalogue on its page.
    const company = (await post("/api/v1/companies", { name: "Đakovo Čelik d.o.o." })) as { id: string };
    const contact = (await post("/api/v1/contacts", {
      displayName: "Ana Šarić",
      emails: ["ana@celik.example"],
      companyId: company.id,
      language: "hr",
    })) as { id: string };
    const deal = DealWithStage.parse(
      await post("/api/v1/deals", {
        name: "Licence Šibenik",
        currency: "EUR",
        companyId: company.id,
        contactIds: [contact.id],
        // The tests above make the lead source required; "fair" is one of its choices before and after them.
        customFields: { source: "fair" },
      }),
    );
    await page.goto(`${stack.webAppUrl}/deals/${deal.id}`);
    const lines = page.getByRole("form", { name: "Lines" });
    await lines.getByRole("combobox", { name: "Add from the catalogue" }).click();
    await page.getByRole("option", { name: /^SUP-Ž · Podrška Straße/ }).click();
    await lines.getByRole("textbox", { name: "Line 1: Quantity" }).fill("2");
    await lines.getByRole("button", { name: "Save lines" }).click();
    await lines.getByText("Lines saved: the deal's amount is EUR\u00a02,999.00.").waitFor();

    const section = page.getByRole("region", { name: "Quotes" });
    await section.getByRole("button", { name: "Create quote" }).click();
    await section.getByText("Quote 1 made.").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      section.getByRole("button", { name: "Download quote 1" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("quote-1-licence-sibenik.pdf");
    const [text] = await pdfText(new Uint8Array(readFileSync(await download.path())));
    for (const expected of [
      "Ponuda",
      "Fabrikam Øst AS",
      "Đakovo Čelik d.o.o.",
      "Ana Šarić",
      "Podrška Straße",
      "PDV 25 % na 2.999,00",
      "EUR 3.748,75",
      "Plaćanje u roku od 30 dana.",
    ])
      expect([expected, text?.includes(expected)]).toEqual([expected, true]);
    await page.screenshot({ path: path.join(screenshots, "webapp-deal-quotes.png") });
  }, 120_000);
});
