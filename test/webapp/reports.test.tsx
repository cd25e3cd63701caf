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
  it("shows the pipeline report as a table with a caption and the server's figures", async () => {
    renderWebApp(fakeWebServer(), "/app/reports");
    const table = await screen.findByRole("table", { name: "Pipeline by stage · Sales" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ["Prospecting", "10 %", "1", "1,000.5", "100.05"],
      ["Proposal", "50 %", "2", "2,001", "1,000.5"],
      ["Won", "100 %", "3", "3,001.5", "3,001.5"],
      ["Lost", "0 %", "4", "4,002", "0"],
    ]);
    const figure = screen.getByRole("figure", { name: "Pipeline by stage · Sales, chart" });
    expect(
      within(await within(figure).findByRole("list", { name: "bars" })).getAllByRole("listitem"),
    ).toHaveLength(4);
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
