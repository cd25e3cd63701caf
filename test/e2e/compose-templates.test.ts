import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { Page as ListPage } from "../../src/shared/common";
import { Template } from "../../src/shared/templates";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (templates from the web app into a draft)")
  ? describe
  : describe.skip;

const REP = "rita@contoso.example";
const NAME = "Uppföljning efter mötet";

describeInBrowser(
  "a template written in the web app in Swedish, inserted into a draft from the pane (Chromium)",
  () => {
    let stack: RapportStack;
    let browser: Browser;
    let token: string;

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
      token = await stack.token(REP, "Rita Rep");
      // Anna reads Swedish, and has one open deal: its name fills {{deal.name}}.
      const anna = await api<{ id: string }>("POST", "/api/v1/contacts", {
        displayName: "Anna Berg",
        firstName: "Anna",
        lastName: "Berg",
        emails: ["anna.berg@fabrikam.example"],
        language: "sv",
      });
      await api("POST", "/api/v1/deals", {
        name: "Fabrikam förnyelse",
        amount: 12000,
        currency: "SEK",
        contactIds: [anna.id],
      });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    }, 480_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it("is written on the Templates page in Swedish, with a merge field, and saved as the rep's own", async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        locale: "sv-SE",
        timezoneId: "UTC",
        viewport: { width: 1366, height: 900 },
      });
      const page = await context.newPage();
      await page.goto(stack.webAppUrl);
      // The sign-in page also has the Rapport-account form: this is the Microsoft (dev) one.
      const form = page.getByRole("form", { name: "Logga in" });
      await form.locator('input[type="email"]').fill(REP);
      await form.locator('input[autocomplete="name"]').fill("Rita Rep");
      await form.locator('button[type="submit"]').click();
      await page.getByRole("navigation", { name: "Rapport" }).waitFor();
      await page.goto(`${stack.webAppUrl}/templates`);
      await page.getByRole("heading", { name: "E-postmallar" }).waitFor();

      await page.getByRole("button", { name: "Ny mall" }).click();
      // The editor's fields by their labels (the name is required: Fluent marks its label with an asterisk).
      const editor = page.getByRole("region", { name: "Ny mall", exact: true });
      await editor.getByRole("textbox", { name: /^Namn/ }).fill(NAME);
      await editor.getByRole("radio", { name: "Bara mig" }).check();
      await editor.getByRole("tab", { name: "Svenska" }).click();
      await editor.getByLabel("Ämne", { exact: true }).fill("Angående {{deal.name}}");
      // The body is a rich-text editor; its HTML source is a toolbar toggle away, and what is typed there is the body.
      await editor.getByRole("button", { name: "HTML-källa" }).click();
      await editor
        .getByRole("textbox", { name: "Innehåll (HTML)", exact: true })
        .fill(
          "<p>Hej {{contact.firstName}}!</p><p>Tack för mötet i dag.</p><p>{{rep.name}}, {{rep.title}}</p>",
        );
      await editor.getByRole("button", { name: "Spara", exact: true }).click();
      await page.getByRole("button", { name: `Redigera ${NAME}` }).waitFor();

      const saved = ListPage(Template).parse(await api("GET", "/api/v1/templates?limit=200"));
      expect(saved.items.map((t) => [t.name, t.scope, Object.keys(t.variants)])).toEqual([
        [NAME, "personal", ["sv"]],
      ]);
      await context.close();
    }, 180_000);

    it("is listed in compose, previewed with Anna's values and put into the preview's draft with its subject", async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, ignoreHTTPSErrors: true });
      await page.goto(stack.previewUrl);
      await page.locator('[data-message="new-draft"]').click();
      const pane = page.getByRole("complementary", { name: "Rapport" });
      const templates = pane.getByRole("region", { name: "Templates" });
      const list = templates.getByRole("list", { name: "Templates" });
      await list.getByRole("button", { name: NAME }).click();

      await templates.getByText("Filled in for Anna Berg").waitFor();
      await templates.getByText("Subject: Angående Fabrikam förnyelse").waitFor();
      // Rita has no title: the field is named here, and marked in the text.
      await templates
        .getByText(
          "Fields with no value (1): rep.title. They are marked in the text; fill them in before sending.",
        )
        .waitFor();
      const preview = page.frameLocator(`iframe[title="Preview of ${NAME}"]`);
      await preview.getByText("Hej Anna!").waitFor();

      await templates.getByRole("button", { name: "Insert into the email" }).press("Enter");
      await templates.getByRole("status").getByText("Inserted into the email").waitFor();

      const draft = page.getByRole("region", { name: "Draft" });
      expect(await draft.getByLabel("Draft subject").inputValue()).toBe("Angående Fabrikam förnyelse");
      const html = await draft.getByLabel("Draft body (HTML)").inputValue();
      expect(html).toContain("<p>Hej Anna!</p><p>Tack för mötet i dag.</p>");
      expect(html).toContain('<p>Rita Rep, <mark data-rapport-unfilled="rep.title">[rep.title]</mark></p>');
      // The draft shown as HTML, in a frame that runs nothing.
      expect(await page.locator('iframe[title="Draft as sent"]').getAttribute("sandbox")).toBe("");
      await page.frameLocator('iframe[title="Draft as sent"]').getByText("Tack för mötet i dag.").waitFor();
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, "pane-compose-template.png") });
      await page.close();
    }, 180_000);
  },
);
