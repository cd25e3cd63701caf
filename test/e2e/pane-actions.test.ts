import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { loadDemoData } from "../../scripts/demo-data";
import { LookupResponse, Timeline } from "../../src/shared/people";
import { Page as ListPage } from "../../src/shared/common";
import { Task } from "../../src/shared/tasks";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const screenshots = path.resolve(__dirname, "../../test-results/e2e");
const describeInBrowser = browserAvailable("End-to-end suite (pane actions in Chromium)")
  ? describe
  : describe.skip;

describeInBrowser(
  "the pane's actions, offline queue, compose mode and theme, end to end (demo data, Chromium)",
  () => {
    let stack: RapportStack;
    let browser: Browser;
    let page: Page;
    let token: string;
    let annaId: string;

    const api = async (route: string): Promise<unknown> => {
      const response = await fetch(`${stack.apiUrl}${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const annasTimeline = async () =>
      Timeline.parse(await api(`/api/v1/contacts/${annaId}/timeline?limit=100`)).items;

    beforeAll(async () => {
      stack = await startRapport({ apiSeparately: true });
      token = await stack.token("rita@contoso.example", "Rita Rep");
      await loadDemoData(stack.apiUrl, token);
      const lookup = LookupResponse.parse(
        await api("/api/v1/people/lookup?email=anna.berg@fabrikam.example"),
      );
      annaId = lookup.results[0]?.contact?.id ?? "";
      browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
      page = await browser.newPage({ viewport: { width: 1000, height: 900 }, ignoreHTTPSErrors: true });
      await page.goto(stack.previewUrl);
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    const pane = () => page.getByRole("complementary", { name: "Rapport" });
    const history = () => pane().getByRole("region", { name: "History", exact: true });

    it("adds a note, logs a failed call and a follow-up in 3 days, and marks a task done, all on the server", async () => {
      await page.locator('[data-message="known"]').click();
      await pane().getByText("CFO at Fabrikam AB").waitFor();

      await pane().getByRole("button", { name: "Note" }).click();
      await pane()
        .getByRole("form", { name: "Note" })
        .getByRole("textbox")
        .fill("Wants the IT team in January.");
      await pane().getByRole("form", { name: "Note" }).getByRole("button", { name: "Save" }).click();
      await pane().getByRole("status").getByText("Saved").waitFor();
      await history().getByText("Note · Wants the IT team in January.").waitFor();

      await pane().getByRole("button", { name: "Call" }).click();
      await pane().getByRole("radio", { name: "No answer" }).check();
      await pane().getByRole("form", { name: "Call" }).getByRole("button", { name: "Save" }).click();
      await history().getByText("Call · No answer").first().waitFor();

      await pane().getByRole("button", { name: "Follow-up" }).click();
      const followUp = pane().getByRole("form", { name: "Follow-up" });
      expect(await followUp.getByRole("textbox", { name: "Task" }).inputValue()).toBe("Follow up with Anna");
      await followUp.getByRole("button", { name: "Save" }).click();
      await pane().getByRole("checkbox", { name: "Mark “Follow up with Anna” done" }).waitFor();

      await pane()
        .getByRole("checkbox", { name: "Mark “Send the revised proposal with a January start” done" })
        .click();
      await pane()
        .getByRole("checkbox", { name: "Mark “Send the revised proposal with a January start” done" })
        .waitFor({ state: "detached" });

      const items = await annasTimeline();
      const interactions = items.flatMap((i) => (i.type === "interaction" ? [i.interaction] : []));
      expect(interactions.filter((i) => i.body === "Wants the IT team in January.")).toHaveLength(1);
      expect(
        interactions.filter((i) => i.kind === "call" && i.outcome === "no_answer").length,
      ).toBeGreaterThan(0);
      const tasks = ListPage(Task).parse(await api(`/api/v1/tasks?contactId=${annaId}&status=all`)).items;
      const followUpTask = tasks.find((t) => t.title === "Follow up with Anna");
      // Due on the calendar day three days from today, in the morning: compared as local dates,
      // since the hours between now and that morning depend on when the test runs.
      const due = new Date(followUpTask?.dueAt ?? 0);
      const inThreeDays = new Date();
      inThreeDays.setDate(inThreeDays.getDate() + 3);
      expect(due.toDateString()).toBe(inThreeDays.toDateString());
      expect(due.getHours()).toBe(9);
      expect(tasks.find((t) => t.title.startsWith("Send the revised proposal"))?.done).toBe(true);
    }, 90_000);

    it("loads more history as the rep scrolls to its end", async () => {
      // More history than two pages of 20 hold: two years of monthly check-in calls.
      for (let month = 1; month <= 25; month++) {
        const response = await fetch(`${stack.apiUrl}/api/v1/notes`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            kind: "call",
            contactId: annaId,
            body: `Check-in ${month}`,
            outcome: "connected",
            occurredAt: new Date(Date.UTC(2024, month - 1, 15)).toISOString(),
          }),
        });
        expect(response.status).toBe(201);
      }
      await page.reload();
      await page.locator('[data-message="known"]').click();
      await history().getByRole("listitem").first().waitFor();
      const server = (await annasTimeline()).length;
      expect(server).toBeGreaterThan(40);
      // Scrolling to the end of the list, nothing clicked, brings the next page, as often as there is one.
      const shown = () => history().getByRole("listitem").count();
      const refused: string[] = [];
      page.on("response", (response) => {
        if (response.url().includes("/api/") && response.status() >= 300)
          refused.push(`${response.status()} ${response.url()}`);
      });
      // The first page, once the profile read on selection has replaced any copy cached before the notes above.
      await page.waitForFunction(
        () =>
          document.querySelectorAll('aside[aria-label="Rapport"] section[aria-label="History"] li').length >=
          20,
      );
      expect(await shown()).toBe(20);
      for (let pages = 1; (await shown()) < server && pages < 10; pages++) {
        const before = await shown();
        // The last item as it is at this moment: the list may re-render under a locator resolved a moment before.
        await page.evaluate(() =>
          [...document.querySelectorAll('aside[aria-label="Rapport"] section[aria-label="History"] li')]
            .at(-1)
            ?.scrollIntoView(),
        );
        await page
          .waitForFunction(
            (count) =>
              document.querySelectorAll('aside[aria-label="Rapport"] section[aria-label="History"] li')
                .length > count,
            before,
          )
          .catch(async (error: unknown) => {
            // What the rep would see, and what the API answered, say why no page came.
            const section = await page
              .locator('aside[aria-label="Rapport"] section[aria-label="History"]')
              .innerText()
              .catch(() => "(no History section)");
            throw new Error(
              `no more history after ${before} items (of ${server}); API answers other than 2xx: ` +
                `${JSON.stringify(refused)}; the section's end reads: ${section.slice(-300)}`,
              { cause: error },
            );
          });
      }
      expect(await shown()).toBe(server);
      expect(await pane().getByRole("button", { name: "Show more" }).count()).toBe(0);
    }, 60_000);

    it("queues an email logged while the server is down, keeps it over a reload, and sends it once when it is back", async () => {
      await page.locator('[data-message="known"]').click();
      await pane().getByText("CFO at Fabrikam AB").waitFor();
      await stack.stopApi();

      await page.locator('[data-message="thread"]').click();
      await pane().getByRole("button", { name: "Log this email" }).click();
      await pane().getByRole("button", { name: "Logs when Rapport is back" }).waitFor();
      await pane().getByText("Waiting to be sent when Rapport is back: 1").waitFor();
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, "pane-offline-queued.png") });

      // The pane is closed and opened again while the server is still down: the queue is still there.
      await page.reload();
      await pane().getByText("Waiting to be sent when Rapport is back: 1").waitFor();
      await page.locator('[data-message="known"]').click();
      await pane()
        .getByText("Rapport cannot be reached: showing what it knew on", { exact: false })
        .waitFor();
      await pane().getByText("CFO at Fabrikam AB").waitFor();

      await stack.startApi();
      // Nobody clicks: the outbox tries again by itself and the pane shows the email as logged.
      await pane()
        .getByText("Waiting to be sent when Rapport is back: 1")
        .waitFor({ state: "detached", timeout: 90_000 });
      await page.locator('[data-message="thread"]').click();
      await pane().getByRole("button", { name: "Logged · Fabrikam renewal" }).waitFor();

      const kickOffs = (await annasTimeline()).filter(
        (i) => i.type === "interaction" && i.interaction.internetMessageId === "<kickoff@fabrikam.example>",
      );
      expect(kickOffs).toHaveLength(1);
    }, 180_000);

    it("changes the deal a logged email went to from the pane: unlinked, then linked again, on the server", async () => {
      const kickOff = async () => {
        const found = (await annasTimeline()).find(
          (i) => i.type === "interaction" && i.interaction.internetMessageId === "<kickoff@fabrikam.example>",
        );
        return found?.type === "interaction" ? found.interaction : undefined;
      };
      await page.locator('[data-message="known"]').click();
      await page.locator('[data-message="thread"]').click();
      // Logged by the test before, by the server's choice: Anna's single open deal.
      await pane().getByRole("button", { name: "Logged · Fabrikam renewal" }).click();
      await page.getByRole("menuitem", { name: "Unlink from every deal" }).click();
      await pane().getByRole("button", { name: "Logged · no deal" }).waitFor();
      expect((await kickOff())?.dealIds).toEqual([]);

      // From the keyboard: the menu opens on Enter, the arrow keys reach the deal, Enter picks it.
      await pane().getByRole("button", { name: "Logged · no deal" }).focus();
      await page.keyboard.press("Enter");
      const renewal = page.getByRole("menuitemradio", { name: "Fabrikam renewal" });
      await renewal.waitFor();
      await renewal.focus();
      await page.keyboard.press("Enter");
      await pane().getByRole("button", { name: "Logged · Fabrikam renewal" }).waitFor();
      const linked = await kickOff();
      expect(linked?.dealIds).toHaveLength(1);
      expect(linked?.dealId).toBe(linked?.dealIds[0]);
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, "pane-logged-links.png") });
    }, 60_000);

    it("shows a draft's recipients' profiles as they are added (compose mode)", async () => {
      await page.locator('[data-message="draft"]').click();
      await pane().getByText("CFO at Fabrikam AB").waitFor();
      expect(await pane().getByRole("button", { name: "Log this email" }).count()).toBe(0);
      await page.getByLabel("Add a recipient to the draft").fill("Bo Ek <bo.ek@fabrikam.example>");
      await page.getByRole("form", { name: "Draft recipients" }).getByRole("button", { name: "Add" }).click();
      await pane().getByRole("tab", { name: "Bo Ek" }).click();
      await pane().getByText("Bo Ek", { exact: true }).first().waitFor();
    }, 60_000);

    it("follows Outlook's theme when the rep switches it", async () => {
      const background = () =>
        pane()
          .locator(".fui-FluentProvider")
          .first()
          .evaluate((element) => getComputedStyle(element).backgroundColor);
      const light = await background();
      await page.getByRole("switch", { name: "Dark theme (as Outlook's theme setting)" }).click();
      await page.waitForFunction((before) => {
        const provider = document.querySelector('aside[aria-label="Rapport"] .fui-FluentProvider');
        return provider !== null && getComputedStyle(provider).backgroundColor !== before;
      }, light);
      expect(await background()).not.toBe(light);
      await page.screenshot({ path: path.join(screenshots, "pane-dark.png") });
    }, 60_000);
  },
);
