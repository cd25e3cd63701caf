/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { fakeWebServer, followUp, problem, renderWebApp } from "../helpers/webapp-fixtures";

const call = followUp({
  id: "7d000000-0000-4000-8000-000000000001",
  title: "Call Anna",
  overdue: false,
  version: 4,
});
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
