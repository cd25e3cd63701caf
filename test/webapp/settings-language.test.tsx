/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { customField, fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

describe("the settings in the user's language", () => {
  beforeEach(() => window.localStorage.clear());

  // Found by label and text rather than by role: the admin's page is large, and role queries over it are slow in jsdom.
  it("speaks Swedish to an admin: sections, tables, controls, a change's status and a new pipeline's stages", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.customFields = [
      customField({ n: 1, key: "region", label: "Region", type: "text", entity: "company" }),
    ];
    renderWebApp(server, "/app/settings", { language: "sv" });

    const name = await screen.findByLabelText("Namn på steget ”Proposal”");
    expect(screen.getByText("Inställningar", { selector: "h1" })).toBeTruthy();
    expect(screen.getByText("Stegen i Sales, i ordning", { selector: "caption" })).toBeTruthy();
    expect(screen.getByLabelText("Typ för steget ”Won”").textContent).toContain("Vunnen");
    expect(await screen.findByText("Egna fält", { selector: "caption" })).toBeTruthy();
    expect(screen.getByText("Företag", { selector: "td" })).toBeTruthy();
    expect(await screen.findByLabelText("Synkronisera alla användares post och möten")).toBeTruthy();
    expect(await screen.findByLabelText("Roll för Rita Rep")).toBeTruthy();
    expect(screen.getByLabelText("Hitta en person")).toBeTruthy();

    // A change says how it went in the same language.
    fireEvent.change(name, { target: { value: "Offert skickad" } });
    fireEvent.click(screen.getByText("Spara steget ”Proposal”"));
    expect(await screen.findByText("Sparat.")).toBeTruthy();

    // The stages a new pipeline starts from are a suggestion in the admin's language.
    fireEvent.click(screen.getByText("Ny pipeline…"));
    const first = (await screen.findByLabelText("Namn på nytt steg 1")) as HTMLInputElement;
    expect(first.value).toBe("Prospektering");
    expect(screen.getByText("Skapa pipeline")).toBeTruthy();

    for (const english of [
      "Pipelines and stages",
      "Custom fields",
      "Users and roles",
      "Saved.",
      "Add stage",
      "Create pipeline",
    ])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByText(/^Save stage/)).toBeNull();
  }, 60_000);

  it("tells a Croatian member the settings are read only, and whom to ask", async () => {
    const server = fakeWebServer({ role: "member" });
    renderWebApp(server, "/app/settings", { language: "hr" });
    expect(await screen.findByText("Samo za čitanje")).toBeTruthy();
    expect(await screen.findByText(/Za promjene se obratite: Bo Admin\./)).toBeTruthy();
    const stages = await screen.findByRole("table", { name: "Faze lijevka „Sales”, redom" });
    expect(within(stages).getAllByRole("cell", { name: "Otvorena" }).length).toBeGreaterThan(0);
    expect(within(stages).getByRole("cell", { name: "Izgubljena" })).toBeTruthy();
    expect(await screen.findByRole("table", { name: "Korisnici i njihove uloge" })).toBeTruthy();
    expect(screen.queryByText("Read only")).toBeNull();
    expect(screen.queryByText(/Only admins change/)).toBeNull();
    expect(screen.queryByText("Open")).toBeNull();
  });
});
