/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { ApiError } from "../../src/addin/api/client";
import { Problem } from "../../src/shared/errors";
import {
  customFieldDefinition,
  deal,
  fakeWebServer,
  followUp,
  ids,
  renderWebApp,
  stageIds,
} from "../helpers/webapp-fixtures";

const alpha = deal({
  id: "7f000000-0000-4000-8000-000000000001",
  name: "Alpha deal",
  stage: "prospecting",
  version: 3,
  customFields: { region: "North" },
});
const beta = deal({ id: "7f000000-0000-4000-8000-000000000002", name: "Beta deal", stage: "proposal" });
const region = customFieldDefinition({ key: "region", label: "Region", type: "text" });
const size = customFieldDefinition({ key: "size", label: "Size", type: "number" });

describe("the web app's record lists", () => {
  it("lists deals, and sends the chosen filters to the list and to the export", async () => {
    const server = fakeWebServer({ deals: [alpha, beta] });
    renderWebApp(server, "/app/deals");
    const grid = await screen.findByRole("grid", { name: "Deals" });
    expect(within(grid).getByRole("link", { name: "Alpha deal" }).getAttribute("href")).toBe(
      `/app/deals/${alpha.id}`,
    );
    fireEvent.click(screen.getByRole("combobox", { name: "Stage" }));
    fireEvent.click(await screen.findByRole("option", { name: "Proposal" }));
    await waitFor(() =>
      expect(server.received("listDeals").at(-1)).toEqual({
        query: { stageId: stageIds.proposal, limit: "50" },
      }),
    );
    await waitFor(() =>
      expect(within(screen.getByRole("grid", { name: "Deals" })).queryByText("Alpha deal")).toBeNull(),
    );
    expect(location.search).toBe(`?stageId=${stageIds.proposal}`);
    fireEvent.click(screen.getByRole("combobox", { name: "Owner" }));
    fireEvent.click(await screen.findByRole("option", { name: "Rita Rep" }));
    fireEvent.click(screen.getByRole("button", { name: "Export the deals shown as XLSX" }));
    await waitFor(() =>
      expect(server.received("exportDealsXlsx")).toEqual([
        { query: { stageId: stageIds.proposal, ownerId: ids.rita } },
      ]),
    );
  });

  it("says when there are no deals, and when none matches the filters", async () => {
    const first = renderWebApp(fakeWebServer(), "/app/deals");
    expect(await screen.findByText("No deals yet.")).toBeTruthy();
    first.unmount();
    const server = fakeWebServer({ deals: [alpha] });
    renderWebApp(server, "/app/deals?status=lost&colour=red");
    expect(await screen.findByText("No deal matches these filters.")).toBeTruthy();
    // What the contract does not know is not sent.
    expect(server.received("listDeals")).toEqual([{ query: { status: "lost", limit: "50" } }]);
  });

  it("shows a failed list with a retry", async () => {
    const server = fakeWebServer({ deals: [alpha] });
    server.failNext(
      "listDeals",
      new ApiError(
        503,
        Problem.parse({
          type: "about:blank",
          title: "x",
          status: 503,
          detail: "Restarting.",
          code: "store_unavailable",
        }),
      ),
      4,
    );
    renderWebApp(server, "/app/deals");
    expect(
      await screen.findByText("The deals could not be loaded: Restarting.", {}, { timeout: 15_000 }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Alpha deal" })).toBeTruthy();
  }, 30_000);

  it("edits a deal's custom field with the version it read; a colleague's newer value is shown, then saved over on request", async () => {
    const server = fakeWebServer({ deals: [alpha], customFields: [region, size] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    const regionInput = await within(form).findByRole("textbox", { name: "Region" });
    expect((regionInput as HTMLInputElement).value).toBe("North");
    // A colleague saves meanwhile.
    server.deals = [{ ...alpha, customFields: { region: "South" }, version: 4 }];
    fireEvent.change(regionInput, { target: { value: "West" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("A colleague changed this meanwhile to “South”.")).toBeTruthy();
    expect((regionInput as HTMLInputElement).value).toBe("West");
    expect(server.received("updateDeal")).toEqual([
      { params: { id: alpha.id }, body: { version: 3, customFields: { region: "West" } } },
    ]);
    fireEvent.click(within(form).getByRole("button", { name: "Save mine again" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateDeal").at(-1)).toEqual({
      params: { id: alpha.id },
      body: { version: 4, customFields: { region: "West" } },
    });
    expect(server.deals[0]?.customFields).toEqual({ region: "West" });
  });

  it("shows the server's refusal next to the field it names", async () => {
    const server = fakeWebServer({ deals: [alpha], customFields: [region, size] });
    server.failNext(
      "updateDeal",
      new ApiError(
        400,
        Problem.parse({
          type: "about:blank",
          title: "invalid_request",
          status: 400,
          detail: "The request body is not valid.",
          code: "invalid_request",
          errors: [{ path: "body.customFields.size", message: "at most 1000" }],
        }),
      ),
    );
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    fireEvent.change(await within(form).findByRole("spinbutton", { name: "Size" }), {
      target: { value: "5000" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("at most 1000")).toBeTruthy();
  });

  it("moves a deal to another stage with the version it read", async () => {
    const server = fakeWebServer({ deals: [alpha] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const stage = await screen.findByRole("combobox", { name: "Stage of Sales" });
    await waitFor(() => expect(within(stage).getAllByRole("option")).toHaveLength(4));
    server.failNext("moveDealToStage", new ApiError(0, null));
    fireEvent.change(stage, { target: { value: stageIds.proposal } });
    expect(await screen.findByText(/The deal was not moved/)).toBeTruthy();
    expect(server.received("moveDealToStage")).toEqual([
      { params: { id: alpha.id }, body: { stageId: stageIds.proposal, version: 3, source: "web" } },
    ]);
  });

  it("marks a task done from the list with the version it read", async () => {
    const call = followUp({
      id: "7d000000-0000-4000-8000-000000000001",
      title: "Call Anna",
      overdue: false,
      version: 2,
    });
    const server = fakeWebServer({ followUps: [call] });
    renderWebApp(server, "/app/tasks");
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Call Anna” done" }));
    await waitFor(() =>
      expect(server.received("updateTask")).toEqual([
        { params: { id: call.id }, body: { done: true, version: 2 } },
      ]),
    );
    expect(await screen.findByText("No open tasks: all done.")).toBeTruthy();
  });
});
