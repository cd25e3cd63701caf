/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { fakeWebServer, ids, problem, renderWebApp, stageIds } from "../helpers/webapp-fixtures";

describe("the web app's settings", () => {
  it("lets an admin rename a stage, sending the pipeline's version, and shows the new name", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const name = await screen.findByLabelText("Name of stage “Proposal”");
    const save = screen.getByRole("button", { name: "Save stage “Proposal”" });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(name, { target: { value: "Proposal sent" } });
    fireEvent.click(save);
    expect(await screen.findByRole("button", { name: "Save stage “Proposal sent”" })).toBeTruthy();
    expect(server.received("updateStage")).toEqual([
      {
        params: { id: ids.pipeline, stageId: stageIds.proposal },
        body: { name: "Proposal sent", version: 3 },
      },
    ]);
    expect(await screen.findByText("Saved.")).toBeTruthy();
  });

  it("says when a colleague changed the pipeline meanwhile, and saves with the new version on retry", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const probability = await screen.findByLabelText("Probability of stage “Proposal”, in per cent");
    // A colleague's change lands first.
    server.pipeline = { ...server.pipeline, version: 4 };
    fireEvent.change(probability, { target: { value: "60" } });
    fireEvent.click(screen.getByRole("button", { name: "Save stage “Proposal”" }));
    expect(
      await screen.findByText(
        "Stage “Proposal” was not saved: The pipeline changed meanwhile: review it and save again.",
      ),
    ).toBeTruthy();
    await waitFor(() => expect(server.received("listPipelines").length).toBeGreaterThan(1));
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(server.pipeline.stages[1]?.probability).toBe(60));
    expect(server.received("updateStage").map((c) => (c.body as { version: number }).version)).toEqual([
      3, 4,
    ]);
  });

  it("shows a member every setting read only, and who can change them", async () => {
    const server = fakeWebServer({ role: "member" });
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText(/Only admins change the organisation's settings/)).toBeTruthy();
    expect(await screen.findByText(/Ask Bo Admin to change something/)).toBeTruthy();
    const stages = await screen.findByRole("table", { name: "Stages of Sales, in order" });
    expect(within(stages).getByText("Proposal")).toBeTruthy();
    expect(await screen.findByText("key account")).toBeTruthy();
    expect(screen.queryAllByRole("textbox")).toHaveLength(0);
    expect(screen.queryByRole("button", { name: /^Save stage/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add stage" })).toBeNull();
    expect(
      (screen.getByRole("switch", { name: "Sync every user's mailbox" }) as HTMLInputElement).disabled,
    ).toBe(true);
  });

  it("says why a stage could not be deleted", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    fireEvent.click(await screen.findByRole("button", { name: "Delete stage “Proposal”" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete stage “Proposal”" });
    expect(within(dialog).getByRole("combobox", { name: "Move its deals to" }).textContent).toBe(
      "Prospecting",
    );
    server.failNext("deleteStage", problem(409, "stage_kinds_required", "A pipeline keeps an open stage."));
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete and move deals" }));
    expect(
      await within(dialog).findByText("The stage was not deleted: A pipeline keeps an open stage."),
    ).toBeTruthy();
    expect(server.received("deleteStage")).toEqual([
      {
        params: { id: ids.pipeline, stageId: stageIds.proposal },
        query: { moveDealsTo: stageIds.prospecting },
      },
    ]);
  });
});
