/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { anna, closePanes, fabrikamRenewal, setup, stage, taskOf } from "../helpers/pane-fixtures";

afterEach(closePanes);

const id = (n: number) => `7c000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const DAY = 86_400_000;
const startOfTodayUtc = () => Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);

// The fake server's day is UTC's, as the server's is for a rep in UTC.
const overdue = () =>
  taskOf({
    id: id(1),
    title: "Send the contract",
    dueAt: new Date(startOfTodayUtc() - 2 * DAY).toISOString(),
  });
const dueToday = () =>
  taskOf({
    id: id(2),
    title: "Call about the renewal",
    dueAt: new Date(startOfTodayUtc() + 60_000).toISOString(),
  });
const later = () =>
  taskOf({
    id: id(3),
    title: "Quarterly check-in",
    dueAt: new Date(startOfTodayUtc() + 3 * DAY).toISOString(),
  });

const today = () => screen.findByRole("region", { name: "Today" });
const section = (name: RegExp) => screen.getByRole("region", { name });
const box = (title: string) =>
  screen.getByRole("checkbox", { name: `Mark “${title}” done` }) as HTMLInputElement;
const state = (input: HTMLInputElement) => [input.checked, input.disabled];

describe("Today, in the pane while no email is selected", () => {
  it("shows the follow-ups due today and overdue (marked), deals needing attention, what was logged and the pipeline", async () => {
    const pane = setup({
      tasks: [overdue(), dueToday(), later()],
      attention: [
        {
          id: fabrikamRenewal.id,
          name: "Fabrikam renewal",
          amount: 12000,
          currency: "EUR",
          expectedCloseDate: "2026-11-01",
          stage: { id: stage.id, name: "Proposal", probability: 50 },
          version: 1,
          reasons: ["no_recent_activity", "close_date_passed"],
          lastActivityAt: new Date(Date.now() - 20 * DAY - 3_600_000).toISOString(),
          inStageSince: new Date(Date.now() - 30 * DAY).toISOString(),
          medianDaysInStage: null,
        },
      ],
      recent: [
        {
          id: id(9),
          kind: "call",
          direction: "out",
          occurredAt: new Date().toISOString(),
          subject: "Pricing",
          contacts: [{ id: anna.id, displayName: "Anna Berg" }],
          deal: null,
        },
      ],
      pipeline: [{ currency: "EUR", openDeals: 2, total: 20000, weighted: 8500 }],
    });
    expect(await screen.findByText("Select an email to see who it is from.")).toBeTruthy();
    await today();

    const followUps = section(/^Follow-ups due \(2\)$/);
    const rows = within(followUps).getAllByRole("listitem");
    // Overdue first, then today's; nothing due later.
    expect(rows.map((r) => within(r).getByRole("checkbox").getAttribute("aria-label"))).toEqual([
      "Mark “Send the contract” done",
      "Mark “Call about the renewal” done",
    ]);
    expect(within(rows[0] as HTMLElement).getByText(/^Overdue · /)).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText("Due today")).toBeTruthy();
    expect(within(followUps).queryByText("Quarterly check-in")).toBeNull();

    const deals = section(/^Deals needing attention \(1\)$/);
    expect(within(deals).getByRole("button", { name: "Fabrikam renewal" })).toBeTruthy();
    expect(within(deals).getByText("No activity for 20 days · Close date passed (Nov 1, 2026)")).toBeTruthy();
    expect(within(section(/^Logged recently$/)).getByText("Call · Pricing")).toBeTruthy();
    const pipeline = section(/^My pipeline$/);
    expect(within(pipeline).getByText("Open deals: 2")).toBeTruthy();
    expect(within(pipeline).getByText("€20,000")).toBeTruthy();
    expect(within(pipeline).getByText("weighted €8,500")).toBeTruthy();

    // "Today" is the rep's own: their browser's time zone goes with the request.
    expect(pane.server.received("dashboard")).toEqual([
      { query: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone } },
    ]);
  });

  it("marks a follow-up done with one click (pending, then done), and undoes it", async () => {
    const pane = setup({ tasks: [dueToday()] });
    await today();
    expect(state(box("Call about the renewal"))).toEqual([false, false]);

    const release = pane.server.hold("updateTask");
    fireEvent.click(box("Call about the renewal"));
    // Checked at once, and not clickable again while it is sent.
    await waitFor(() => expect(state(box("Call about the renewal"))).toEqual([true, true]));
    expect(screen.queryByRole("button", { name: "Undo" })).toBeNull();
    release();
    expect((await screen.findByRole("status")).textContent).toBe("Done");
    expect(pane.server.tasks.get(id(2))).toMatchObject({ done: true, version: 2 });

    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(state(box("Call about the renewal"))).toEqual([false, false]));
    expect(pane.server.tasks.get(id(2))).toMatchObject({ done: false, doneAt: null, version: 3 });
    expect(pane.server.received("updateTask")).toEqual([
      { params: { id: id(2) }, body: { done: true, version: 1 } },
      { params: { id: id(2) }, body: { done: false, version: 2 } },
    ]);
    expect(screen.queryByRole("button", { name: "Undo" })).toBeNull();
  });

  it("keeps a done made offline in the outbox, and its undo takes it out before it was ever sent", async () => {
    const pane = setup({ tasks: [overdue()] });
    await today();
    pane.server.reachable = false;
    fireEvent.click(box("Send the contract"));
    expect(await screen.findByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    expect((await screen.findByRole("status")).textContent).toBe("Waiting to send");
    expect(state(box("Send the contract"))).toEqual([true, true]);

    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(state(box("Send the contract"))).toEqual([false, false]));
    expect(pane.services.outbox.entries()).toEqual([]);
    expect(screen.queryByText(/^Waiting to be sent/)).toBeNull();

    // Done again, and sent once Rapport is back.
    fireEvent.click(box("Send the contract"));
    expect(await screen.findByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    expect((await screen.findByRole("status")).textContent).toBe("Done");
    expect(pane.server.received("updateTask")).toEqual([
      { params: { id: id(1) }, body: { done: true, version: 1 } },
    ]);
  });

  it("says why a done was refused (the task was deleted meanwhile) and leaves it open to try again", async () => {
    const pane = setup({ tasks: [dueToday()] });
    await today();
    pane.server.tasks.delete(id(2));
    fireEvent.click(box("Call about the renewal"));
    expect(await screen.findByText("Something went wrong: The task was not found.")).toBeTruthy();
    expect(state(box("Call about the renewal"))).toEqual([false, false]);
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("says when Rapport cannot be reached with a retry, then shows each section's empty state", async () => {
    setup({ failDashboards: 4 });
    const retry = await screen.findByRole("button", { name: "Try again" });
    expect(screen.getByText("Rapport cannot be reached. Check your connection and try again.")).toBeTruthy();
    fireEvent.click(retry);
    await today();
    expect(within(section(/^Follow-ups due \(0\)$/)).getByText("Nothing due today")).toBeTruthy();
    expect(within(section(/^Deals needing attention/)).getByText("No deal needs attention")).toBeTruthy();
    expect(within(section(/^Logged recently$/)).getByText("Nothing logged recently")).toBeTruthy();
    expect(within(section(/^My pipeline$/)).getByText("No open deals")).toBeTruthy();
  }, 30000);

  it("opens a follow-up's contact in the pane, and a deal needing attention, each with a way back", async () => {
    setup({
      tasks: [dueToday()],
      attention: [
        {
          id: fabrikamRenewal.id,
          name: "Fabrikam renewal",
          amount: 12000,
          currency: "EUR",
          expectedCloseDate: "2026-11-01",
          stage: { id: stage.id, name: "Proposal", probability: 50 },
          version: 1,
          reasons: ["close_date_passed"],
          lastActivityAt: new Date().toISOString(),
          inStageSince: new Date().toISOString(),
          medianDaysInStage: null,
        },
      ],
    });
    await today();
    fireEvent.click(within(section(/^Follow-ups due/)).getByRole("button", { name: "Anna Berg" }));
    expect(await screen.findByText("CFO")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Stage of Fabrikam renewal" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Back to Today" }));

    await today();
    fireEvent.click(
      within(section(/^Deals needing attention/)).getByRole("button", { name: "Fabrikam renewal" }),
    );
    expect(await screen.findByRole("heading", { name: "Fabrikam renewal" })).toBeTruthy();
    expect(screen.getByText("€12,000")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Stage of Fabrikam renewal" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Back to Today" }));
    expect(await screen.findByRole("heading", { name: "Today" })).toBeTruthy();
  });

  it("gives way to the email's people when one is selected", async () => {
    const pane = setup({ tasks: [dueToday()] });
    await today();
    act(() => pane.mailbox.select("known"));
    await screen.findByText("Anna Berg");
    expect(screen.queryByRole("region", { name: "Today" })).toBeNull();
    act(() => pane.mailbox.select(null));
    expect(await screen.findByRole("heading", { name: "Today" })).toBeTruthy();
  });

  it("speaks Swedish in a Swedish Outlook", async () => {
    setup({ language: "sv-SE" });
    expect(await screen.findByRole("heading", { name: "Idag" })).toBeTruthy();
    expect(screen.getByText("Inget förfaller idag")).toBeTruthy();
    expect(screen.getByText("Ingen affär behöver uppmärksamhet")).toBeTruthy();
  });
});
