/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import type { DealNeedingAttention } from "../../src/shared/dashboard";
import { fakeWebServer, followUp, now, renderWebApp, stageIds } from "../helpers/webapp-fixtures";

// The chart library's d3 modules are ES modules only, which jest's CommonJS cannot load (Chromium draws them in
// test/e2e/webapp.test.ts). Here a chart stands in as what it would write: each series' legend and its axis title.
jest.mock("../../src/webapp/pages/reports/ReportChart", () => ({
  __esModule: true,
  default: ({ chart }: { chart: { yAxisTitle: string; series: { legend: string }[] } }) => (
    <ul aria-label="bars">
      {chart.series.map((s) => (
        <li key={s.legend}>{s.legend}</li>
      ))}
      <li>{`Axis: ${chart.yAxisTitle}`}</li>
    </ul>
  ),
}));

const call = followUp({ id: "7d000000-0000-4000-8000-000000000001", title: "Ring Anna", overdue: false });
const late = followUp({ id: "7d000000-0000-4000-8000-000000000002", title: "Skicka offert", overdue: true });
const unpriced: DealNeedingAttention = {
  id: "7e000000-0000-4000-8000-000000000001",
  name: "Utan valuta",
  amount: 5000,
  currency: null,
  expectedCloseDate: null,
  stage: { id: stageIds.proposal, name: "Proposal", probability: 50 },
  version: 1,
  reasons: ["no_recent_activity"],
  lastActivityAt: now,
  inStageSince: now,
  medianDaysInStage: null,
};

/** A cell's text with any kind of space as a plain one (Swedish groups thousands with a non-breaking space). */
const text = (element: Element) => (element.textContent ?? "").replace(/\s/g, " ");
// Read by element rather than by role: role queries weigh every element of the page and make a test slow.
const rows = (table: HTMLElement) =>
  [...table.querySelectorAll("tbody tr")].map((row) => [...row.querySelectorAll("td")].map(text));
const headers = (table: HTMLElement) => [...table.querySelectorAll("thead th")].map(text);
const items = (list: HTMLElement) => [...list.querySelectorAll("li")].map(text);

describe("Today and the reports in the user's language", () => {
  beforeEach(() => window.localStorage.clear());

  it("shows Today in Swedish: the cards, a follow-up's badge, amounts without a currency, marking done", async () => {
    renderWebApp(
      fakeWebServer({
        followUps: [late, call],
        pipeline: [
          { currency: "SEK", openDeals: 1, total: 120000, weighted: 60000 },
          { currency: null, openDeals: 2, total: 5000, weighted: 2500 },
        ],
        dealsNeedingAttention: [unpriced],
      }),
      "/app",
      { language: "sv" },
    );
    const list = await screen.findByRole("list", { name: "Uppföljningar att göra" });
    expect(screen.getByRole("heading", { level: 1, name: /^I dag · / })).toBeTruthy();
    expect(within(list).getByText(/^Försenad/)).toBeTruthy();
    const pipeline = screen.getByRole("table", { name: "Mina öppna affärer, per valuta" });
    expect(headers(pipeline)).toEqual(["Valuta", "Affärer", "Totalt", "Viktat"]);
    expect(rows(pipeline)).toEqual([
      ["SEK", "1", "120 000", "60 000"],
      ["Ingen valuta", "2", "5 000", "2 500"],
    ]);
    const deals = screen.getByRole("list", { name: "Affärer som behöver uppmärksamhet" });
    expect(
      within(deals).getByText((_, e) => e?.tagName === "SPAN" && text(e) === "5 000 (ingen valuta)"),
    ).toBeTruthy();
    expect(within(deals).getByText("Ingen aktivitet på 14 dagar")).toBeTruthy();
    expect(within(deals).getByText(/^Proposal \(50 %\) · senaste aktivitet /)).toBeTruthy();
    expect(screen.getByText(/^Du har inte loggat något än/)).toBeTruthy();
    for (const english of ["My pipeline", "Logged recently", "No currency", "Weighted", "Overdue"])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByText(/no currency|last activity/)).toBeNull();

    fireEvent.click(screen.getByRole("checkbox", { name: "Markera ”Ring Anna” som klar" }));
    expect(await screen.findByText("”Ring Anna” är klar.")).toBeTruthy();
  });

  it("says in Croatian that nothing is due, no deal needs attention and there are no open deals", async () => {
    renderWebApp(fakeWebServer({ pipeline: [] }), "/app", { language: "hr" });
    expect(await screen.findByText("Danas ništa ne dospijeva i ništa nije zakašnjelo.")).toBeTruthy();
    expect(screen.getByText("Svi otvoreni poslovi napreduju.")).toBeTruthy();
    expect(screen.getByText("Nema otvorenih poslova.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Moj prodajni lijevak" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Poslovi koji traže pažnju (0)" })).toBeTruthy();
    for (const english of ["No open deals.", "Every open deal is moving.", "My pipeline"])
      expect(screen.queryByText(english)).toBeNull();
  });

  it("shows the pipeline report in Croatian: columns, figures, the rate note, legends and exports", async () => {
    renderWebApp(fakeWebServer(), "/app/reports", { language: "hr" });
    const table = await screen.findByRole("table", { name: "Prodajni lijevak po fazama · Sales" });
    expect(screen.getByText("Izvješća", { selector: "h1" })).toBeTruthy();
    expect(screen.getAllByText("Dobiveno i izgubljeno po mjesecima")[0]).toBeTruthy();
    expect(headers(table)).toEqual([
      "Faza",
      "Vjerojatnost",
      "Poslovi",
      "Iznos (EUR)",
      "Ponderirani iznos (EUR)",
      "Nije preračunato",
    ]);
    expect(rows(table)[1]).toEqual(["Proposal", "50 %", "3", "18.739,50", "9.369,75", "USD 5.000,00"]);
    expect(
      screen.getByText(
        /^Iznosi u EUR, osnovnoj valuti\. Preračunato po tečaju 1 DKK = 0,1341 EUR \(postavljen /,
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^Nije preračunato jer nema tečaja prema EUR: USD\./)).toBeTruthy();
    expect((screen.getByLabelText("U EUR, osnovnoj valuti") as HTMLInputElement).checked).toBe(true);
    expect(screen.getByLabelText("Od (uključivo)")).toBeTruthy();
    expect(screen.getByText("Vlasnik")).toBeTruthy();
    expect(screen.getByLabelText("Izvezi CSV")).toBeTruthy();
    const figure = screen.getByLabelText("Prodajni lijevak po fazama · Sales, grafikon");
    expect(items(await within(figure).findByLabelText("bars"))).toEqual([
      "Iznos (EUR)",
      "Ponderirani iznos (EUR)",
      "Axis: Iznos (EUR)",
    ]);
    for (const english of ["Pipeline by stage", "Stage", "Not converted", "Per currency", "Owner", "Amounts"])
      expect(screen.queryByText(english)).toBeNull();
  });

  it("rewrites a report in the language chosen from the menu without asking the server again", async () => {
    const server = fakeWebServer();
    renderWebApp(server, "/app/reports", { language: "sv" });
    await screen.findByText("Pipeline per steg · Sales", { selector: "caption" });
    fireEvent.click(screen.getByLabelText("Per valuta"));
    const multiples = screen.getByLabelText("Pipeline per steg · Sales, ett diagram per valuta");
    const dkk = within(multiples).getByText("DKK").closest("figure") as HTMLElement;
    expect(items(await within(dkk).findByLabelText("bars"))).toEqual([
      "Belopp (DKK)",
      "Viktat belopp (DKK)",
      "Axis: Belopp (DKK)",
    ]);

    fireEvent.change(screen.getByRole("combobox", { name: "Språk" }), { target: { value: "hr" } });
    const caption = await screen.findByText("Prodajni lijevak po fazama · Sales", { selector: "caption" });
    const table = caption.closest("table") as HTMLElement;
    expect(headers(table)).toEqual([
      "Faza",
      "Vjerojatnost",
      "Valuta",
      "Poslovi",
      "Iznos",
      "Ponderirani iznos",
    ]);
    expect(rows(table)[1]).toEqual(["Proposal", "50 %", "DKK", "1", "95.000,00", "47.500,00"]);
    expect(await screen.findByText("Iznos (DKK)")).toBeTruthy();
    expect(server.received("reportPipelineByStage")).toHaveLength(1);
  });
});
