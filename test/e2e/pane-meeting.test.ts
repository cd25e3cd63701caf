import { type Browser, type Page, chromium } from "playwright-core";
import { loadDemoData } from "../../scripts/demo-data";
import { MeetingBriefs } from "../../src/shared/meetings";
import { LookupResponse, Timeline } from "../../src/shared/people";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const describeInBrowser = browserAvailable("End-to-end suite (the pane on a meeting in Chromium)")
  ? describe
  : describe.skip;

describeInBrowser("the pane on a meeting, end to end (demo data, the preview, Chromium)", () => {
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

  beforeAll(async () => {
    stack = await startRapport({ apiSeparately: true });
    token = await stack.token("rita@contoso.example", "Rita Rep");
    await loadDemoData(stack.apiUrl, token);
    const lookup = LookupResponse.parse(await api("/api/v1/people/lookup?email=anna.berg@fabrikam.example"));
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

  it("shows an invited meeting's people, logs it with notes and its outcome, and Today briefs Rita on it", async () => {
    await page.locator('[data-appointment="meeting-review"]').click();
    await pane().getByRole("heading", { name: "Quarterly review" }).waitFor();
    // The organiser's profile first, the stranger on a tab of his own.
    await pane().getByText("CFO at Fabrikam AB").waitFor();
    const tabs = pane().getByRole("tablist", { name: "People at this meeting" });
    await tabs.getByRole("tab", { name: "Anna Berg" }).waitFor();
    await tabs.getByRole("tab", { name: /Jonas Lind|jonas\.lind/ }).waitFor();

    const form = pane().getByRole("form", { name: "Log this meeting" });
    await form.getByLabel("Notes").fill("Agreed on a pilot in January.");
    await form.getByLabel("How did it go?").selectOption("held");
    await form.getByRole("button", { name: "Log meeting" }).click();
    await pane().getByText("Meeting logged.").waitFor();

    // On the server: the meeting once on Anna's timeline (beside the demo data's), with the notes; a brief for today.
    const timeline = Timeline.parse(await api(`/api/v1/contacts/${annaId}/timeline?limit=100`)).items;
    const meetings = timeline.flatMap((item) =>
      item.type === "interaction" &&
      item.interaction.kind === "meeting" &&
      item.interaction.subject === "Quarterly review"
        ? [item.interaction]
        : [],
    );
    expect(meetings.map((m) => [m.subject, m.body, m.meeting?.outcome])).toEqual([
      ["Quarterly review", "Agreed on a pilot in January.", "held"],
    ]);
    const briefs = MeetingBriefs.parse(await api("/api/v1/meetings/today?timeZone=UTC"));
    expect(briefs.meetings.map((m) => [m.subject, m.contacts.map((c) => c.contact.displayName)])).toEqual([
      ["Quarterly review", ["Anna Berg"]],
    ]);

    // Logged again with another outcome: the same meeting, updated.
    await form.getByLabel("How did it go?").selectOption("rescheduled");
    await form.getByRole("button", { name: "Update the log" }).click();
    const outcomes = async () =>
      Timeline.parse(await api(`/api/v1/contacts/${annaId}/timeline?limit=100`)).items.flatMap((item) =>
        item.type === "interaction" && item.interaction.kind === "meeting"
          ? [item.interaction.meeting?.outcome]
          : [],
      );
    // Polls for the state; the test's timeout is the only limit.
    while ((await outcomes())[0] !== "rescheduled") await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outcomes()).toEqual(["rescheduled"]);

    // With nothing selected, the pane's Today lists the meeting with Anna's brief.
    await page.reload();
    const today = pane().getByRole("region", { name: "Today's meetings (1)" });
    await today.getByText(/Quarterly review/).waitFor();
    const brief = today.getByRole("group", { name: "Anna Berg" });
    await brief.getByText("CFO at Fabrikam AB").waitFor();
    await brief.getByText("Last contact").waitFor();
  }, 120_000);
});
