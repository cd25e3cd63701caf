import { type Browser, type Page, chromium } from "playwright-core";
import { Page as ListPage } from "../../src/shared/common";
import { Template } from "../../src/shared/templates";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const describeInBrowser = browserAvailable("End-to-end suite (the template editor in Chromium)")
  ? describe
  : describe.skip;

const NAME = "Thanks for the call";

describeInBrowser(
  "the web app's template editor: rich text, merge fields, preview (npm start, Chromium)",
  () => {
    let stack: RapportStack;
    let browser: Browser;
    let page: Page;
    let token: string;

    const api = async (route: string, init: RequestInit = {}): Promise<unknown> => {
      const response = await fetch(`${stack.apiUrl}${route}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      });
      if (!response.ok)
        throw new Error(`${init.method ?? "GET"} ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    };

    beforeAll(async () => {
      stack = await startRapport();
      token = await stack.token("rita@contoso.example", "Rita Rep");
      await api("/api/v1/contacts", {
        method: "POST",
        body: JSON.stringify({ displayName: "Anna Berg", firstName: "Anna", lastName: "Berg" }),
      });
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
      await form.getByLabel("Email address").fill("rita@contoso.example");
      await form.getByLabel("Name").fill("Rita Rep");
      await form.getByRole("button", { name: "Sign in" }).click();
      await page
        .getByRole("navigation", { name: "Rapport" })
        .getByRole("link", { name: "Templates" })
        .click();
      await page.getByRole("heading", { name: "Email templates" }).waitFor();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it("types a body with bold words and a merge field, saves it, and finds both after a reload", async () => {
      await page.getByRole("button", { name: "New template" }).click();
      // A required field's label carries Fluent's asterisk, so its accessible name is "Name *".
      await page.getByRole("textbox", { name: /^Name\b/ }).fill(NAME);
      await page.getByRole("textbox", { name: "Subject", exact: true }).fill("Our call");
      const body = page.getByRole("textbox", { name: "Body", exact: true });
      await body.click();
      await page.keyboard.type("Hello ");
      await page.keyboard.press("Control+b");
      await page.keyboard.type("dear");
      await page.keyboard.press("Control+b");
      await page.keyboard.type(" ");
      await page.getByRole("button", { name: "Insert merge field" }).click();
      await page.getByRole("menuitem", { name: /^First name/ }).click();
      // The caret is after the field: typing goes on there.
      await page.keyboard.type(", thanks.");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByRole("button", { name: `Edit ${NAME}` }).waitFor();

      const saved = ListPage(Template).parse(await api("/api/v1/templates?limit=200"));
      expect(saved.items.map((t) => [t.name, t.variants.en?.html])).toEqual([
        [NAME, "<p>Hello <b><strong>dear</strong></b> {{contact.firstName}}, thanks.</p>"],
      ]);

      await page.reload();
      await page.getByRole("button", { name: `Edit ${NAME}` }).click();
      const reloaded = page.getByRole("textbox", { name: "Body", exact: true });
      await expect(reloaded.locator("strong").textContent()).resolves.toBe("dear");
      await expect(reloaded.textContent()).resolves.toBe("Hello dear {{contact.firstName}}, thanks.");
      // The field came back as a token of its own, not as text among the words.
      await expect(reloaded.getByText("{{contact.firstName}}", { exact: true }).count()).resolves.toBe(1);
    }, 180_000);

    it("previews the saved template for a contact with the field filled in", async () => {
      const picker = page.getByRole("combobox", { name: "Contact to preview for" });
      await picker.fill("Anna");
      await page.getByRole("option", { name: /Anna Berg/ }).click();
      await page.getByRole("button", { name: "Show preview" }).click();
      const frame = page.frameLocator('iframe[title="The email as the contact would get it"]');
      await frame.locator("p").waitFor();
      await expect(frame.locator("p").textContent()).resolves.toBe("Hello dear Anna, thanks.");
      await expect(frame.locator("strong").textContent()).resolves.toBe("dear");
    }, 120_000);
  },
);
