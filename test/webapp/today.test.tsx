/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { DealNeedingAttention } from "../../src/shared/dashboard";
import { fakeWebServer, followUp, now, problem, renderWebApp, stageIds } from "../helpers/webapp-fixtures";

const call = followUp({
  id: "7d000000-0000-4000-8000-000000000001",
  title: "Call Anna",
  overdue: false,
  version: 4,
});
const stalled = (id: number, name: string, amount: number | null, currency: string | null) =>
  ({
    id: `7e000000-0000-4000-8000-00000000000${id}`,
    name,
    amount,
    currency,
    expectedCloseDate: null,
    stage: { id: stageIds.proposal, name: "Proposal", probability: 50 },
    version: 1,
    reasons: ["no_recent_activity"],
    lastActivityAt: now,
    inStageSince: now,
    medianDaysInStage: null,
  }) satisfies DealNeedingAttention;
const late = followUp({ id: "7d000000-0000-4000-8000-000000000002", title: "Send the quote", overdue: true });

describe("the web app's Today page", () => {
  it("lists follow-ups due today and overdue, and the pipeline's total and weighted value", async () => {
    renderWebApp(fakeWebServer({ followUps: [late, call] }));
    const list = await screen.findByRole("list", { name: "Follow-ups due" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(within(items[0] as HTMLElement).getByText(/^Overdue/)).toBeTruthy();
    expect(within(items[1] as HTMLElement).getByText(/^Today/)).toBeTruthy();
    const pipeline = screen.getByRole("table", { name: "My open deals, per currency" });
    expect(
      within(pipeline)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["EUR", "2", "30,000", "9,000"]);
    // Empty lists say so.
    expect(screen.getByText("Every open deal is moving.")).toBeTruthy();
    expect(screen.getByText(/You have not logged anything yet/)).toBeTruthy();
  });

  it("says there are no open deals instead of showing an empty pipeline table", async () => {
    renderWebApp(fakeWebServer({ pipeline: [] }));
    expect(await screen.findByText("No open deals.")).toBeTruthy();
    expect(screen.queryByRole("table", { name: "My open deals, per currency" })).toBeNull();
  });

  it("names the currency of every amount, the ISO code first, and says when a deal has none", async () => {
    renderWebApp(
      fakeWebServer({
        pipeline: [
          { currency: "SEK", openDeals: 1, total: 120000, weighted: 60000 },
          { currency: null, openDeals: 2, total: 5000, weighted: 2500 },
        ],
        dealsNeedingAttention: [
          stalled(1, "Unpriced", 5000, null),
          stalled(2, "In dollars", 1200.5, "USD"),
          stalled(3, "In euros", 30000, "EUR"),
          stalled(4, "No figure yet", null, "EUR"),
        ],
      }),
    );
    const deals = await screen.findByRole("list", { name: "Deals needing attention" });
    const amounts = within(deals)
      .getAllByRole("listitem")
      .map((item) => item.querySelector("div")?.textContent);
    expect(amounts).toEqual([
      "Unpriced5,000 (no currency)",
      "In dollarsUSD\u00a01,200.50",
      "In eurosEUR\u00a030,000",
      "No figure yetNo amount",
    ]);
    const pipeline = screen.getByRole("table", { name: "My open deals, per currency" });
    expect(
      within(pipeline)
        .getAllByRole("row")
        .slice(1)
        .map((row) =>
          within(row)
            .getAllByRole("cell")
            .map((c) => c.textContent),
        ),
    ).toEqual([
      ["SEK", "1", "120,000", "60,000"],
      ["No currency", "2", "5,000", "2,500"],
    ]);
  });

  it("says when nothing is due", async () => {
    renderWebApp(fakeWebServer());
    expect(await screen.findByText("Nothing due today and nothing overdue.")).toBeTruthy();
  });

  it("marks a follow-up done in one click with the version it read: pending, then done and gone", async () => {
    const server = fakeWebServer({ followUps: [call] });
    renderWebApp(server);
    const box = await screen.findByRole("checkbox", { name: "Mark “Call Anna” done" });
    const release = server.hold("updateTask");
    fireEvent.click(box);
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(true));
    expect(screen.getByLabelText("Marking done")).toBeTruthy();
    release();
    expect(await screen.findByText("“Call Anna” is done.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("checkbox", { name: "Mark “Call Anna” done" })).toBeNull());
    expect(server.received("updateTask")).toEqual([
      { params: { id: call.id }, body: { done: true, version: 4 } },
    ]);
  });

  it("says why a follow-up was not marked done, and tries again on request", async () => {
    const server = fakeWebServer({ followUps: [call] });
    server.failNext("updateTask", problem(503, "store_unavailable", "The store is restarting."));
    renderWebApp(server);
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Call Anna” done" }));
    expect(await screen.findByText("“Call Anna” was not marked done: The store is restarting.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("“Call Anna” is done.")).toBeTruthy();
    expect(server.received("updateTask")).toHaveLength(2);
  });

  it("shows a failed load with a retry", async () => {
    const server = fakeWebServer({ followUps: [call] });
    server.failNext("dashboard", problem(400, "invalid_request", "Bad time zone."));
    renderWebApp(server);
    expect(await screen.findByText("Your day could not be loaded: Bad time zone.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("checkbox", { name: "Mark “Call Anna” done" })).toBeTruthy();
  });
});
