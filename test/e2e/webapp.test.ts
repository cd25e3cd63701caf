import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { loadDemoData } from "../../scripts/demo-data";
import { Page as ListPage } from "../../src/shared/common";
import { Contact } from "../../src/shared/contacts";
import { Currencies } from "../../src/shared/currencies";
import { Dashboard } from "../../src/shared/dashboard";
import { PipelineList } from "../../src/shared/pipelines";
import { PipelineByStage } from "../../src/shared/reports";
import { Task } from "../../src/shared/tasks";
import { WEBHOOK_EVENTS } from "../../src/shared/webhooks";
import { englishIn, englishTextsNotIn, settled, shownText, textsOf } from "./language-walk";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";
import { WEB_APP_PICTURE, docScreenshot } from "../helpers/doc-screenshots";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (web app in Chromium)")
  ? describe
  : describe.skip;

const ContactPage = ListPage(Contact);

/** Figures as the web app writes them in an en-US browser. */
const figure = (value: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value);
/** Amounts (exact decimals from the server) as the web app writes them, to the cent. */
const money = (decimal: string) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    decimal as `${number}`,
  );

describeInBrowser(
  "the web app at /app: today, reports with charts and exports, settings (npm start, Chromium)",
  () => {
    let stack: RapportStack;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let token: string;
    let dueToday: Task;

    const api = async (route: string, init: RequestInit = {}, as = token): Promise<unknown> => {
      const response = await fetch(`${stack.apiUrl}${route}`, {
        ...init,
        headers: { authorization: `Bearer ${as}`, "content-type": "application/json", ...init.headers },
      });
      if (!response.ok)
        throw new Error(`${init.method ?? "GET"} ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    };

    beforeAll(async () => {
      stack = await startRapport();
      // The organisation's first user is its admin.
      token = await stack.token("rita@contoso.example", "Rita Rep");
      await loadDemoData(stack.apiUrl, token);
      // Due now: today in any time zone's reckoning of it, as the browser (UTC here) asks.
      dueToday = Task.parse(
        await api("/api/v1/tasks", {
          method: "POST",
          body: JSON.stringify({
            title: "Call Anna about the January start",
            dueAt: new Date().toISOString(),
          }),
        }),
      );
      browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
      context = await browser.newContext({
        viewport: { width: 1280, height: 1000 },
        ignoreHTTPSErrors: true,
        locale: "en-US",
        timezoneId: "UTC",
        acceptDownloads: true,
      });
      page = await context.newPage();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    const signIn = async (email: string, name: string) => {
      await page.goto(stack.webAppUrl);
      const form = page.getByRole("form", { name: "Sign in" });
      await form.getByLabel("Email address").fill(email);
      await form.getByLabel("Name").fill(name);
      await form.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("navigation", { name: "Rapport" }).waitFor();
    };

    it("signs in with the local issuer and shows the day: a follow-up due today is done in one click, on the server", async () => {
      await signIn("rita@contoso.example", "Rita Rep");
      await page.getByRole("heading", { level: 1, name: /^Today/ }).waitFor();
      const followUps = page.getByRole("list", { name: "Follow-ups due" });
      const done = followUps.getByRole("checkbox", { name: `Mark “${dueToday.title}” done` });
      await done.waitFor();
      // The demo's overdue follow-ups are there too, and the deals that need a push.
      const dashboard = Dashboard.parse(await api("/api/v1/dashboard?timeZone=UTC"));
      expect(await followUps.getByRole("listitem").count()).toBe(dashboard.followUps.items.length);
      expect(dashboard.followUps.items.some((t) => t.overdue)).toBe(true);
      if (dashboard.dealsNeedingAttention.total > 0)
        await page
          .getByRole("list", { name: "Deals needing attention" })
          .getByRole("listitem")
          .first()
          .waitFor();
      else await page.getByText("Every open deal is moving.").waitFor();
      const weighted = dashboard.pipeline[0]?.weighted ?? 0;
      expect(weighted).toBeGreaterThan(0);
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, "webapp-today.png"), fullPage: true });
      await docScreenshot({ page, clip: WEB_APP_PICTURE }, "webapp-today.png");

      await done.click();
      await page.getByRole("status").getByText(`“${dueToday.title}” is done.`).waitFor();
      await done.waitFor({ state: "detached" });
      const onServer = Task.parse(await api(`/api/v1/tasks/${dueToday.id}`));
      expect(onServer.done).toBe(true);
    }, 120_000);

    it("fits the day on a 1366-pixel laptop screen, also at /app/today: no figure runs into the next", async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      try {
        await page.goto(`${stack.webAppUrl}/today`);
        await page.getByRole("heading", { level: 1, name: /^Today/ }).waitFor();
        const navigation = page.getByRole("navigation", { name: "Rapport" });
        expect(await navigation.getByRole("link", { name: "Today" }).getAttribute("aria-current")).toBe(
          "page",
        );
        const pipeline = page.getByRole("table", { name: "My open deals, per currency" });
        await pipeline.waitFor();
        const overflowing = await pipeline.evaluate((table) => {
          const card = table.closest("section") ?? table.parentElement;
          const bounds = card?.getBoundingClientRect();
          const out: string[] = [];
          if (bounds && table.getBoundingClientRect().right > bounds.right + 0.5)
            out.push(`the table ends ${table.getBoundingClientRect().right - bounds.right} px past its card`);
          for (const cell of Array.from(table.querySelectorAll("th, td")))
            if (cell.scrollWidth > cell.clientWidth + 0.5)
              out.push(`"${cell.textContent ?? ""}" needs ${cell.scrollWidth} px of ${cell.clientWidth}`);
          return out;
        });
        expect(overflowing).toEqual([]);
        await page.screenshot({ path: path.join(screenshots, "webapp-today-1366.png"), fullPage: true });
      } finally {
        await page.setViewportSize({ width: 1280, height: 1000 });
      }
    });

    it("shows the pipeline report as bars and as a table with the API's figures in the base currency and per currency, and exports them as XLSX", async () => {
      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Reports" }).click();
      await page.getByRole("tab", { name: "Pipeline by stage", selected: true }).waitFor();
      const report = PipelineByStage.parse(await api("/api/v1/reports/pipeline-by-stage"));
      expect(report.rows.some((r) => Number(r.inBase.amount) > 0)).toBe(true);
      // The demo sets rates for its Danish and Norwegian deals: everything converts into EUR.
      expect(report.conversion).toMatchObject({ baseCurrency: "EUR", notConverted: [] });

      const chart = page.getByRole("figure", { name: /Pipeline by stage .* chart/ });
      await chart.locator("svg rect").first().waitFor();
      expect(await chart.locator("svg rect").count()).toBeGreaterThanOrEqual(
        report.rows.filter((r) => Number(r.inBase.amount) > 0).length,
      );

      const table = page.getByRole("table", { name: /Pipeline by stage/ });
      expect(await table.locator("thead th").allTextContents()).toEqual([
        "Stage",
        "Probability",
        "Deals",
        "Amount (EUR)",
        "Weighted amount (EUR)",
      ]);
      const rows = table.locator("tbody tr");
      expect(await rows.count()).toBe(report.rows.length);
      for (const [i, row] of report.rows.entries()) {
        expect(await rows.nth(i).locator("td").allTextContents()).toEqual([
          row.stageName,
          `${row.probability} %`,
          figure(row.deals),
          money(row.inBase.amount),
          money(row.inBase.weightedAmount),
        ]);
      }
      await page.getByText(/^Amounts in EUR, the base currency\. Converted at 1 DKK = 0\.1341 EUR/).waitFor();
      await page.screenshot({ path: path.join(screenshots, "webapp-pipeline-report.png"), fullPage: true });
      await docScreenshot({ page, clip: WEB_APP_PICTURE }, "webapp-report.png");

      // Per currency: Qualification's DKK 95,000 and EUR 6,000 each on its own line, never added up.
      await page.getByRole("radio", { name: "Per currency" }).check();
      await table.locator("thead th", { hasText: "Currency" }).waitFor();
      // A small chart per currency, headed by its code, each drawn on its own scale.
      const multiples = page.getByRole("group", { name: /a chart per currency/ });
      const named = new Set(report.rows.flatMap((r) => r.currencies.map((c) => c.currency)));
      expect(await multiples.locator("figcaption").allTextContents()).toEqual([
        ...[...named].filter((c): c is string => c !== null).sort(),
        ...(named.has(null) ? ["No currency"] : []),
      ]);
      await multiples.locator("figure").last().locator("svg rect").first().waitFor();
      const lines = (await table
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
        )) as string[][];
      const qualification = lines.filter((l) => l[0] === "Qualification").map((l) => [l[2], l[4]]);
      expect(qualification).toEqual([
        ["DKK", "95,000.00"],
        ["EUR", "6,000.00"],
      ]);
      expect(JSON.stringify(lines)).not.toContain("101,000");
      await page.getByRole("radio", { name: /base currency/ }).check();

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export XLSX" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("pipeline-by-stage.xlsx");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error("no worksheet");
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(expect.arrayContaining(["Currency", "Amount", "Rate to EUR", "Amount in EUR"]));
      const at = (name: string) => header.indexOf(name) + 1;
      // A line per stage and currency (a stage without deals: one line of zeros in EUR).
      const expected = report.rows.flatMap((row) =>
        row.currencies.length
          ? row.currencies.map((c) => [
              row.stageName,
              c.currency,
              c.deals,
              Number(c.amount),
              Number(c.inBase?.amount),
            ])
          : [[row.stageName, "EUR", 0, 0, 0]],
      );
      expect(sheet.rowCount).toBe(expected.length + 1);
      for (const [i, line] of expected.entries()) {
        const cells = sheet.getRow(i + 2);
        expect(
          ["Stage", "Currency", "Deals", "Amount", "Amount in EUR"].map(
            (name) => cells.getCell(at(name)).value,
          ),
        ).toEqual(line);
      }
      await page.getByRole("status").getByText("Downloaded pipeline-by-stage.xlsx").waitFor();
    }, 120_000);

    it("imports a CSV with duplicates: the preview flags them, the rep resolves them, every row lands once, and the contacts export reads back", async () => {
      await page
        .getByRole("navigation", { name: "Rapport" })
        .getByRole("link", { name: "Import and export" })
        .click();
      await page.getByRole("heading", { name: "Import and export" }).waitFor();
      // Semicolons, a byte order mark, a quoted line break, a column no header rule knows, a known contact, and
      // a row that repeats an earlier one (its address in other case).
      const csv =
        "\uFEFFName;Email;Rolle;Company\r\n" +
        "Anna Berg;anna.berg@fabrikam.example;Head of IT;Fabrikam\r\n" +
        'Petra Lind;petra.lind@northwind.example;"Buyer,\nNordics";Northwind\r\n' +
        "Petra Lind;PETRA.LIND@northwind.example;Buyer;Northwind\r\n" +
        "Olle Strand;olle.strand@northwind.example;CTO;Northwind\r\n";
      await page
        .getByTestId("import-file")
        .setInputFiles({ name: "fair-leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

      // The unknown column is left out until the rep maps it.
      const rolle = page.getByLabel("Field for the column Rolle");
      await rolle.waitFor();
      expect(await rolle.inputValue()).toBe("");
      await rolle.selectOption({ label: "Job title" });
      await page
        .getByRole("cell", { name: "Buyer, Nordics" })
        .or(page.getByText("Head of IT"))
        .first()
        .waitFor();

      const rows = page.getByRole("table", { name: /rows$/ });
      const row = (line: number) =>
        rows.locator("tbody tr").filter({ has: page.getByRole("cell", { name: String(line), exact: true }) });
      await row(2).getByRole("cell", { name: "Anna Berg (anna.berg@fabrikam.example)" }).waitFor();
      // Petra's first row spans lines 3 and 4; the repeat starts on line 5.
      await row(5)
        .getByRole("cell", { name: /^Line 3 of the file/ })
        .waitFor();
      await page.getByText("4 rows, 2 to create, 0 to update, 2 to skip", { exact: false }).waitFor();

      // Anna is already known: update her from the file; the repeat stays skipped.
      await page.getByLabel("What to do with line 2").selectOption("update");
      await page.getByText("4 rows, 2 to create, 1 to update, 1 to skip", { exact: false }).waitFor();
      await page.screenshot({ path: path.join(screenshots, "webapp-import-preview.png"), fullPage: true });
      await page.getByRole("button", { name: "Import 3 contacts" }).click();
      await page.getByText(/^fair-leads\.csv: 2 created, 1 updated, 1 skipped/).waitFor();

      const find = async (q: string) =>
        ContactPage.parse(await api(`/api/v1/contacts?q=${encodeURIComponent(q)}`)).items;
      const petras = await find("petra.lind");
      expect(petras.map((c) => [c.displayName, c.title])).toEqual([["Petra Lind", "Buyer,\nNordics"]]);
      expect((await find("olle.strand")).map((c) => c.title)).toEqual(["CTO"]);
      const annas = await find("anna.berg@fabrikam.example");
      expect(annas.map((c) => c.title)).toEqual(["Head of IT"]);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export contacts as XLSX" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error("no worksheet");
      const lines: string[] = [];
      sheet.eachRow((r) => lines.push(JSON.stringify(r.values)));
      expect(lines.filter((l) => l.includes("petra.lind@northwind.example"))).toHaveLength(1);
      expect(lines.filter((l) => l.includes("olle.strand@northwind.example"))).toHaveLength(1);
      expect(lines.some((l) => l.includes("anna.berg@fabrikam.example") && l.includes("Head of IT"))).toBe(
        true,
      );
      await page.getByRole("status").getByText(`Downloaded ${download.suggestedFilename()}`).waitFor();
    }, 120_000);

    it("lists a file's row errors by line and imports nothing until they are corrected", async () => {
      await page.getByRole("button", { name: "Import another file" }).click();
      const before = ContactPage.parse(await api("/api/v1/contacts?q=northwind")).items.length;
      const csv = "Name,Email\r\nKaj Holm,kaj.holm@northwind.example\r\nNo Address,not an address\r\n";
      await page
        .getByTestId("import-file")
        .setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      const errors = page.getByRole("table", { name: "Row errors by line" });
      await errors.waitFor();
      expect(await errors.locator("tbody tr").first().locator("td").first().textContent()).toBe("3");
      await page.getByText("1 row has errors.", { exact: false }).waitFor();
      expect(await page.getByRole("button", { name: /^Import \d+ contacts?$/ }).isDisabled()).toBe(true);
      expect(ContactPage.parse(await api("/api/v1/contacts?q=northwind")).items.length).toBe(before);
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("button", { name: "Choose a file" }).waitFor();
    }, 60_000);

    it("lets an admin rename a stage in Settings, and the report shows the new name", async () => {
      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "Settings" }).waitFor();
      await page.getByLabel("Name of stage “Proposal”").fill("Proposal sent");
      await page.getByRole("button", { name: "Save stage “Proposal”" }).click();
      await page.getByRole("button", { name: "Save stage “Proposal sent”" }).waitFor();
      const { pipelines } = PipelineList.parse(await api("/api/v1/pipelines"));
      expect(pipelines[0]?.stages.map((s) => s.name)).toContain("Proposal sent");

      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Reports" }).click();
      await page
        .getByRole("table", { name: /Pipeline by stage/ })
        .getByRole("cell", { name: "Proposal sent" })
        .waitFor();
    }, 60_000);

    it("lets an admin change an exchange rate in Settings, and the report converts at the new one", async () => {
      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Settings" }).click();
      const section = page.getByRole("region", { name: "Currencies and exchange rates" });
      const nok = section.getByLabel("Rate of NOK in EUR");
      await nok.fill("0,09");
      await section.getByRole("row", { name: /NOK/ }).getByRole("button", { name: "Save rate" }).click();
      await section.getByRole("status").getByText("Saved.").waitFor();
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: path.join(screenshots, "webapp-settings-currencies.png"),
        fullPage: true,
      });
      expect(Currencies.parse(await api("/api/v1/currencies")).rates).toContainEqual(
        expect.objectContaining({ currency: "NOK", rate: "0.09" }),
      );

      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Reports" }).click();
      // Litware's NOK 180,000 in Negotiation: 180,000 × 0.09 = 16,200.00 EUR.
      await page
        .getByRole("table", { name: /Pipeline by stage/ })
        .getByRole("row", { name: /Negotiation/ })
        .getByRole("cell", { name: "16,200.00" })
        .waitFor();
      await page.getByText(/1 NOK = 0\.09 EUR/).waitFor();
    }, 60_000);

    it("hands an admin one person's data as JSON, and erases them everywhere after a confirmation", async () => {
      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Settings" }).click();
      const section = page.getByRole("region", { name: "A person's data" });
      await section.getByLabel("Their email address").fill("olle.strand@northwind.example");
      await section.getByRole("button", { name: "Find" }).click();
      await section.getByText("Olle Strand (olle.strand@northwind.example)").waitFor();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        section.getByRole("button", { name: "Download their data (JSON)" }).click(),
      ]);
      const data = JSON.parse(readFileSync(await download.path(), "utf8")) as {
        contact: { displayName: string; title: string | null };
      };
      expect(data.contact).toMatchObject({ displayName: "Olle Strand", title: "CTO" });

      await section.getByRole("button", { name: "Erase everywhere…" }).click();
      const dialog = page.getByRole("dialog", { name: "Erase Olle Strand everywhere?" });
      await dialog.getByRole("button", { name: "Erase", exact: true }).click();
      await section.getByText(/^Erased\. Interactions deleted: /).waitFor();
      expect(ContactPage.parse(await api("/api/v1/contacts?q=olle.strand")).items).toEqual([]);
    }, 60_000);

    it("shows a member the settings read only, with why", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await signIn("bo.member@contoso.example", "Bo Member");
      await page.getByRole("navigation", { name: "Rapport" }).getByRole("link", { name: "Settings" }).click();
      await page.getByText("Only admins change the organisation's settings", { exact: false }).waitFor();
      await page
        .getByRole("table", { name: /Stages of/ })
        .getByRole("cell", { name: "Proposal sent" })
        .waitFor();
      expect(await page.getByRole("button", { name: /^Save stage/ }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Add stage" }).count()).toBe(0);
      expect(await page.getByRole("textbox").count()).toBe(0);
      expect(
        await page.getByRole("switch", { name: "Sync every user's mail and meetings" }).isDisabled(),
      ).toBe(true);
      // The rates, as the admin set them, with no way to change them.
      const currencies = page.getByRole("region", { name: "Currencies and exchange rates" });
      await currencies.getByRole("cell", { name: "0.09 EUR" }).waitFor();
      expect(await currencies.getByRole("button").count()).toBe(0);
      await page.screenshot({ path: path.join(screenshots, "webapp-settings-member.png"), fullPage: true });
    }, 60_000);

    it.each(["sv", "hr"] as const)(
      "speaks %s from the browser's language on Today, a list, a record, Reports, Import, Templates and Settings, with no English left",
      async (language) => {
        // Names and data aside: the records' own words, as the API answers them (names, titles, subjects,
        // notes, the stages as the organisation named them).
        const records = await Promise.all(
          ["contacts", "companies", "deals", "tasks", "users"].map((list) =>
            api(`/api/v1/${list}?limit=200`),
          ),
        );
        const contacts = ContactPage.parse(records[0]).items;
        const timelines = await Promise.all(
          contacts.map((c) => api(`/api/v1/contacts/${c.id}/timeline?limit=100`)),
        );
        const data = [
          ...new Set(textsOf([records, timelines, await api("/api/v1/pipelines"), await api("/api/v1/me")])),
          // The webhook events' codes beside their words in Settings: what a receiver reads, never translated.
          ...WEBHOOK_EVENTS,
        ];
        const english = await englishTextsNotIn(language, data);
        const translated = await browser.newContext({
          ignoreHTTPSErrors: true,
          locale: language === "sv" ? "sv-SE" : "hr-HR",
          timezoneId: "UTC",
          viewport: { width: 1366, height: 900 },
        });
        const inLanguage = await translated.newPage();
        const found: string[] = [];
        const look = async (where: string) => {
          await settled(inLanguage);
          found.push(
            ...englishIn(await shownText(inLanguage, data), english).map((text) => `${where}: ${text}`),
          );
        };
        // The sign-in page, before anyone is known, in the browser's language too.
        await inLanguage.goto(stack.webAppUrl);
        // The local issuer's form (the own-account form beside it asks for an address too).
        const form = inLanguage
          .getByRole("form")
          .filter({ has: inLanguage.locator('input[type="email"][autocomplete="email"]') });
        await form.locator('input[type="email"]').waitFor();
        found.push(
          ...englishIn(await shownText(inLanguage, data), english).map((text) => `sign-in: ${text}`),
        );
        await form.locator('input[type="email"]').fill("rita@contoso.example");
        await form.locator('button[type="submit"]').click();
        await inLanguage.getByRole("navigation", { name: "Rapport" }).waitFor();
        expect(await inLanguage.evaluate(() => document.documentElement.lang)).toBe(language);
        await look("Today");
        for (const [where, path] of [
          ["contacts", "/contacts"],
          ["reports", "/reports"],
          ["import", "/import"],
          ["templates", "/templates"],
          ["settings", "/settings"],
        ] as const) {
          await inLanguage.goto(`${stack.webAppUrl}${path}`);
          await look(where);
          if (where === "contacts") {
            await inLanguage.getByRole("link", { name: "Anna Berg" }).first().click();
            await inLanguage.getByRole("heading", { name: "Anna Berg" }).waitFor();
            await look("a contact");
          }
        }
        await inLanguage.screenshot({
          path: path.join(screenshots, `webapp-settings-${language}.png`),
          fullPage: true,
        });
        await translated.close();
        expect(found).toEqual([]);
      },
      120_000,
    );

    it("follows the system's dark theme, and the toggle", async () => {
      const dark = await browser.newContext({
        ignoreHTTPSErrors: true,
        colorScheme: "dark",
        locale: "en-US",
      });
      const darkPage = await dark.newPage();
      await darkPage.goto(stack.webAppUrl);
      const signIn = darkPage.getByRole("form", { name: "Sign in", exact: true });
      await signIn.getByLabel("Email address").fill("rita@contoso.example");
      await signIn.getByRole("button", { name: "Sign in" }).click();
      const toggle = darkPage.getByRole("switch", { name: "Dark theme" });
      await toggle.waitFor();
      expect(await toggle.isChecked()).toBe(true);
      const background = () =>
        darkPage
          .locator(".fui-FluentProvider")
          .first()
          .evaluate((e) => getComputedStyle(e).backgroundColor);
      const darkBackground = await background();
      // The chart in the dark theme, to look at: axis text and grid follow the theme.
      await darkPage.getByRole("link", { name: "Reports" }).click();
      await darkPage.getByRole("figure").locator("svg rect").first().waitFor();
      await darkPage.screenshot({ path: path.join(screenshots, "webapp-report-dark.png"), fullPage: true });
      await toggle.click();
      await darkPage.waitForFunction(
        (before) =>
          getComputedStyle(document.querySelector(".fui-FluentProvider") as Element).backgroundColor !==
          before,
        darkBackground,
      );
      expect(await toggle.isChecked()).toBe(false);
      await dark.close();
    }, 60_000);
  },
);
