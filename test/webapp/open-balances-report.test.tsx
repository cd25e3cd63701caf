/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { OpenBalanceRow } from "../../src/shared/reports";
import { fakeWebServer, ids, renderWebApp } from "../helpers/webapp-fixtures";

// As in reports.test.tsx: the chart library cannot load in jest; a list of what it would draw stands in.
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

/**
 * Fabrikam (Rita's) owes EUR 2,200.50, nothing of it late, and SEK 26,500, of which 14,500 is overdue (no SEK
 * rate: never converted at a guess); Woodgrove (Bo's) owes DKK 12,000, all of it overdue, at the DKK rate.
 */
const rows = [
  {
    companyId: "7c000000-0000-4000-8000-000000000400",
    companyName: "Fabrikam AB",
    ownerId: ids.rita,
    ownerName: "Rita Rep",
    currency: "EUR",
    openInvoices: 1,
    openBalance: "2200.50",
    overdueInvoices: 0,
    overdueAmount: "0.00",
    oldestDaysOverdue: null,
    inBase: { openBalance: "2200.50", overdueAmount: "0.00" },
  },
  {
    companyId: "7c000000-0000-4000-8000-000000000400",
    companyName: "Fabrikam AB",
    ownerId: ids.rita,
    ownerName: "Rita Rep",
    currency: "SEK",
    openInvoices: 3,
    openBalance: "26500.00",
    overdueInvoices: 2,
    overdueAmount: "14500.00",
    oldestDaysOverdue: 23,
    inBase: null,
  },
  {
    companyId: "7c000000-0000-4000-8000-000000000401",
    companyName: "Woodgrove Bank A/S",
    ownerId: ids.bo,
    ownerName: "Bo Admin",
    currency: "DKK",
    openInvoices: 1,
    openBalance: "12000.00",
    overdueInvoices: 1,
    overdueAmount: "12000.00",
    oldestDaysOverdue: 4,
    inBase: { openBalance: "1609.20", overdueAmount: "1609.20" },
  },
].map((r) => OpenBalanceRow.parse(r));

describe("the open balances report in the web app", () => {
  it("lists each company's open balance and overdue amounts with its owner, in the base currency where there is a rate", async () => {
    const server = fakeWebServer();
    server.openBalances = rows;
    renderWebApp(server, "/app/reports/open-balances", { timeZone: "Europe/Stockholm" });
    const table = await screen.findByRole("table", { name: "Open balances" });
    expect(headers(table)).toEqual([
      "Company",
      "Owner",
      "Open invoices",
      "Open balance (EUR)",
      "Overdue invoices",
      "Overdue (EUR)",
      "Oldest overdue (days)",
      "Not converted",
    ]);
    expect(cells(table)).toEqual([
      ["Fabrikam AB", "Rita Rep", "4", "2,200.50", "2", "0.00", "23", "SEK 26,500.00 (overdue 14,500.00)"],
      ["Woodgrove Bank A/S", "Bo Admin", "1", "1,609.20", "1", "1,609.20", "4", "–"],
    ]);
    expect(screen.getByText(/^Not converted, for want of a rate to EUR: SEK\./)).toBeTruthy();
    // Overdue counts against the reader's today; a report of the present has no period to pick.
    expect(server.received("reportOpenBalances")).toEqual([{ query: { timeZone: "Europe/Stockholm" } }]);
    expect(screen.queryByLabelText("From (inclusive)")).toBeNull();
  });

  it("shows a line per company and currency when asked for amounts per currency, adding none together", async () => {
    const server = fakeWebServer();
    server.openBalances = rows;
    renderWebApp(server, "/app/reports/open-balances");
    await screen.findByRole("table", { name: "Open balances" });
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    const table = screen.getByRole("table", { name: "Open balances" });
    expect(headers(table)).toEqual([
      "Company",
      "Owner",
      "Currency",
      "Open invoices",
      "Open balance",
      "Overdue invoices",
      "Overdue",
      "Oldest overdue (days)",
    ]);
    expect(cells(table)).toEqual([
      ["Fabrikam AB", "Rita Rep", "EUR", "1", "2,200.50", "0", "0.00", "–"],
      ["Fabrikam AB", "Rita Rep", "SEK", "3", "26,500.00", "2", "14,500.00", "23"],
      ["Woodgrove Bank A/S", "Bo Admin", "DKK", "1", "12,000.00", "1", "12,000.00", "4"],
    ]);
    // A chart per currency, each on its own scale.
    const charts = screen.getByRole("group", { name: "Open balances, a chart per currency" });
    expect(
      within(charts)
        .getAllByRole("figure")
        .map((f) => f.querySelector("figcaption")?.textContent),
    ).toEqual(["DKK", "EUR", "SEK"]);
  });

  it("writes each currency's amounts with its own decimals: none for yen, three for dinars, never rounded", async () => {
    const server = fakeWebServer();
    const woodgrove = rows[2] as OpenBalanceRow;
    server.openBalances = [
      { ...woodgrove, currency: "JPY", openBalance: "150000", overdueAmount: "150000", inBase: null },
      { ...woodgrove, currency: "KWD", openBalance: "1234.567", overdueAmount: "0.005", inBase: null },
    ];
    renderWebApp(server, "/app/reports/open-balances");
    const inBase = await screen.findByRole("table", { name: "Open balances" });
    expect(cells(inBase)[0]?.at(-1)).toBe("JPY 150,000 (overdue 150,000), KWD 1,234.567 (overdue 0.005)");
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    const table = screen.getByRole("table", { name: "Open balances" });
    expect(cells(table).map((r) => r.slice(2, 7))).toEqual([
      ["JPY", "1", "150,000", "1", "150,000"],
      ["KWD", "1", "1,234.567", "1", "0.005"],
    ]);
  });

  it("filters by owner and exports what it shows", async () => {
    const server = fakeWebServer();
    server.openBalances = rows;
    renderWebApp(server, "/app/reports/open-balances", { timeZone: "UTC" });
    await screen.findByRole("table", { name: "Open balances" });
    fireEvent.click(screen.getByRole("combobox", { name: "Owner" }));
    fireEvent.click(await screen.findByRole("option", { name: "Bo Admin" }));
    await waitFor(() =>
      expect(cells(screen.getByRole("table", { name: "Open balances" }))).toEqual([
        ["Woodgrove Bank A/S", "Bo Admin", "1", "1,609.20", "1", "1,609.20", "4"],
      ]),
    );
    expect(server.received("reportOpenBalances").at(-1)).toEqual({
      query: { ownerId: ids.bo, timeZone: "UTC" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Downloaded report.csv")).toBeTruthy();
    expect(server.received("reportOpenBalancesCsv")).toEqual([
      { query: { ownerId: ids.bo, timeZone: "UTC" } },
    ]);
    expect(clicked).toEqual([{ href: "blob:report", download: "report.csv" }]);
  });
});
