/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { fakeWebServer, ids, problem, renderWebApp } from "../helpers/webapp-fixtures";

// The chart library's d3 modules are ES modules only, which jest's CommonJS cannot load; the chart is drawn and
// checked in Chromium (test/e2e/webapp.test.ts). Here it stands in as the list of what it would draw.
jest.mock("../../src/webapp/pages/reports/ReportChart", () => ({
  __esModule: true,
  default: ({ chart }: { chart: { categories: string[] } }) => (
    <ol aria-label="bars">
      {chart.categories.map((c) => (
        <li key={c}>{c}</li>
      ))}
    </ol>
  ),
}));

let clicked: { href: string; download: string }[] = [];
beforeEach(() => {
  clicked = [];
  URL.createObjectURL = jest.fn(() => "blob:report");
  URL.revokeObjectURL = jest.fn();
  jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => jest.restoreAllMocks());

describe("the web app's reports", () => {
  const cells = (table: HTMLElement) =>
    within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      );
  const headers = (table: HTMLElement) =>
    within(table)
      .getAllByRole("columnheader")
      .map((c) => c.textContent);

  it("shows the pipeline report in the base currency, naming it, the rate used and what was not converted", async () => {
    renderWebApp(fakeWebServer(), "/app/reports");
    const table = await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    expect(headers(table)).toEqual([
      "Stage",
      "Probability",
      "Deals",
      "Amount (EUR)",
      "Weighted amount (EUR)",
      "Not converted",
    ]);
    // Proposal holds DKK 95,000 (converted at 0.1341), EUR 6,000 and USD 5,000 (no rate): never 101,000.
    expect(cells(table)).toEqual([
      ["Prospecting", "10 %", "1", "1,000.50", "100.05", "–"],
      ["Proposal", "50 %", "3", "18,739.50", "9,369.75", "USD 5,000.00"],
      ["Won", "100 %", "0", "0.00", "0.00", "–"],
      ["Lost", "0 %", "1", "4,002.00", "0.00", "–"],
    ]);
    expect(screen.queryByText(/101,000/)).toBeNull();
    expect(
      screen.getByText(
        /^Amounts in EUR, the base currency\. Converted at 1 DKK = 0\.1341 EUR \(set Nov 20, 2026\)\.$/,
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^Not converted, for want of a rate to EUR: USD\./)).toBeTruthy();
    expect(
      (screen.getByRole("radio", { name: "In EUR, the base currency" }) as HTMLInputElement).checked,
    ).toBe(true);
    const figure = screen.getByRole("figure", { name: "Pipeline by stage · Sales, chart" });
    expect(
      within(await within(figure).findByRole("list", { name: "bars" })).getAllByRole("listitem"),
    ).toHaveLength(4);
  });

  it("shows each currency on its own line when asked for amounts per currency, adding none together", async () => {
    const server = fakeWebServer();
    renderWebApp(server, "/app/reports");
    await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    const table = screen.getByRole("table", { name: "Pipeline by stage · Sales" });
    expect(headers(table)).toEqual([
      "Stage",
      "Probability",
      "Currency",
      "Deals",
      "Amount",
      "Weighted amount",
    ]);
    expect(cells(table)).toEqual([
      ["Prospecting", "10 %", "EUR", "1", "1,000.50", "100.05"],
      ["Proposal", "50 %", "DKK", "1", "95,000.00", "47,500.00"],
      ["Proposal", "50 %", "EUR", "1", "6,000.00", "3,000.00"],
      ["Proposal", "50 %", "USD", "1", "5,000.00", "2,500.00"],
      ["Won", "100 %", "–", "0", "0.00", "0.00"],
      ["Lost", "0 %", "EUR", "1", "4,002.00", "0.00"],
    ]);
    expect(screen.queryByText(/^Amounts in EUR/)).toBeNull();
    // The choice is the page's, not a filter: the report is not asked again.
    expect(server.received("reportPipelineByStage")).toHaveLength(1);
  });

  it("shows won and lost amounts per month in the base currency, and per currency on request", async () => {
    const server = fakeWebServer();
    server.wonLost = [
      {
        month: "2026-05",
        wonDeals: 2,
        lostDeals: 1,
        currencies: [
          {
            currency: "DKK",
            wonDeals: 1,
            wonAmount: "10000.00",
            lostDeals: 0,
            lostAmount: "0.00",
            inBase: { wonAmount: "1341.00", lostAmount: "0.00" },
          },
          {
            currency: "EUR",
            wonDeals: 1,
            wonAmount: "2000.00",
            lostDeals: 0,
            lostAmount: "0.00",
            inBase: { wonAmount: "2000.00", lostAmount: "0.00" },
          },
          {
            currency: "USD",
            wonDeals: 0,
            wonAmount: "0.00",
            lostDeals: 1,
            lostAmount: "1000.00",
            inBase: null,
          },
        ],
        inBase: { wonDeals: 2, wonAmount: "3341.00", lostDeals: 0, lostAmount: "0.00" },
      },
    ];
    renderWebApp(server, "/app/reports/won-lost-by-month");
    const table = await screen.findByRole("table", { name: "Won and lost by month · Sales" });
    expect(headers(table)).toEqual([
      "Month",
      "Won deals",
      "Won amount (EUR)",
      "Lost deals",
      "Lost amount (EUR)",
      "Not converted",
    ]);
    expect(cells(table)).toEqual([["2026-05", "2", "3,341.00", "1", "0.00", "USD 1,000.00"]]);
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    expect(cells(screen.getByRole("table", { name: "Won and lost by month · Sales" }))).toEqual([
      ["2026-05", "DKK", "1", "10,000.00", "0", "0.00"],
      ["2026-05", "EUR", "1", "2,000.00", "0", "0.00"],
      ["2026-05", "USD", "0", "0.00", "1", "1,000.00"],
    ]);
  });

  it("sends the filters to the report and to its export, and saves the server's file", async () => {
    const server = fakeWebServer();
    renderWebApp(server, "/app/reports/pipeline-by-stage");
    await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    fireEvent.change(screen.getByLabelText("From (inclusive)"), { target: { value: "2026-01-01" } });
    fireEvent.click(screen.getByRole("combobox", { name: "Owner" }));
    fireEvent.click(await screen.findByRole("option", { name: "Rita Rep" }));
    await waitFor(() =>
      expect(server.received("reportPipelineByStage").at(-1)).toEqual({
        query: { ownerId: ids.rita, from: "2026-01-01" },
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Export XLSX" }));
    expect(await screen.findByText("Downloaded report.xlsx")).toBeTruthy();
    expect(server.received("reportPipelineByStageXlsx")).toEqual([
      { query: { ownerId: ids.rita, from: "2026-01-01" } },
    ]);
    expect(clicked).toEqual([{ href: "blob:report", download: "report.xlsx" }]);
  });

  it("says when an export fails and exports again on request", async () => {
    const server = fakeWebServer();
    server.failNext(
      "reportPipelineByStageCsv",
      problem(429, "rate_limited", "Too many requests; try again in 5 s."),
    );
    renderWebApp(server, "/app/reports");
    await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("The export failed: Too many requests; try again in 5 s.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Downloaded report.csv")).toBeTruthy();
  });

  it("switches report by tab, sending only the filters that report takes, and says when it is empty", async () => {
    const server = fakeWebServer();
    renderWebApp(server, "/app/reports");
    await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    fireEvent.click(screen.getByRole("tab", { name: "Won and lost by month" }));
    expect(await screen.findByText("Nothing to report for these filters yet.")).toBeTruthy();
    expect(window.location.pathname).toBe("/app/reports/won-lost-by-month");
    expect(server.received("reportWonLostByMonth")).toEqual([{ query: {} }]);
  });
});
