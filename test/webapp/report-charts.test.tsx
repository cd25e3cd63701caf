/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

// The chart library's d3 modules are ES modules only, which jest's CommonJS cannot load (Chromium draws them in
// test/e2e/webapp.test.ts). Here a chart stands in as what it would draw: its title, and each series' legend
// with its bars' values.
jest.mock("../../src/webapp/pages/reports/ReportChart", () => ({
  __esModule: true,
  default: ({
    chart,
    title,
  }: {
    chart: { yAxisTitle: string; series: { legend: string; values: number[] }[] };
    title: string;
  }) => (
    <ul aria-label={`bars of ${title}`}>
      {chart.series.map((s) => (
        <li key={s.legend}>{`${s.legend}: ${s.values.join(" ")}`}</li>
      ))}
      <li>{`Axis: ${chart.yAxisTitle}`}</li>
    </ul>
  ),
}));

const bars = (within_: HTMLElement) =>
  within(within_)
    .getAllByRole("listitem")
    .map((li) => li.textContent);

describe("the reports' charts", () => {
  it("draws one chart in the base currency, its legends naming the currency as the table's headings do", async () => {
    renderWebApp(fakeWebServer(), "/app/reports");
    const figure = await screen.findByRole("figure", { name: "Pipeline by stage · Sales, chart" });
    expect(bars(await within(figure).findByRole("list"))).toEqual([
      "Amount (EUR): 1000.5 18739.5 0 4002",
      "Weighted amount (EUR): 100.05 9369.75 0 0",
      "Axis: Amount (EUR)",
    ]);
  });

  it("draws a small chart per currency, each headed by its code and on its own scale, when amounts are per currency", async () => {
    renderWebApp(fakeWebServer(), "/app/reports");
    await screen.findByRole("figure", { name: "Pipeline by stage · Sales, chart" });
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    const multiples = screen.getByRole("group", { name: "Pipeline by stage · Sales, a chart per currency" });
    const figures = within(multiples).getAllByRole("figure");
    expect(figures.map((f) => f.querySelector("figcaption")?.textContent)).toEqual(["DKK", "EUR", "USD"]);
    const drawn = await Promise.all(figures.map(async (f) => bars(await within(f).findByRole("list"))));
    expect(drawn).toEqual([
      ["Amount (DKK): 0 95000 0 0", "Weighted amount (DKK): 0 47500 0 0", "Axis: Amount (DKK)"],
      ["Amount (EUR): 1000.5 6000 0 4002", "Weighted amount (EUR): 100.05 3000 0 0", "Axis: Amount (EUR)"],
      ["Amount (USD): 0 5000 0 0", "Weighted amount (USD): 0 2500 0 0", "Axis: Amount (USD)"],
    ]);
    expect(screen.queryByRole("figure", { name: "Pipeline by stage · Sales, chart" })).toBeNull();
  });

  it("draws won and lost amounts per month as a small chart per currency, deals without one last", async () => {
    const server = fakeWebServer();
    server.wonLost = [
      {
        month: "2026-05",
        wonDeals: 2,
        lostDeals: 1,
        currencies: [
          {
            currency: "SEK",
            wonDeals: 1,
            wonAmount: "10000.00",
            lostDeals: 0,
            lostAmount: "0.00",
            inBase: null,
          },
          {
            currency: null,
            wonDeals: 1,
            wonAmount: "300.00",
            lostDeals: 1,
            lostAmount: "50.00",
            inBase: null,
          },
        ],
        inBase: { wonDeals: 0, wonAmount: "0.00", lostDeals: 0, lostAmount: "0.00" },
      },
    ];
    renderWebApp(server, "/app/reports/won-lost-by-month");
    const counted = await screen.findByRole("figure", { name: "Won and lost by month · Sales, chart" });
    expect(bars(await within(counted).findByRole("list"))).toEqual([
      "Won deals: 2",
      "Lost deals: 1",
      "Axis: Deals",
    ]);
    fireEvent.click(screen.getByRole("radio", { name: "Per currency" }));
    const figures = within(
      screen.getByRole("group", { name: "Won and lost by month · Sales, a chart per currency" }),
    ).getAllByRole("figure");
    expect(figures.map((f) => f.querySelector("figcaption")?.textContent)).toEqual(["SEK", "No currency"]);
    expect(await Promise.all(figures.map(async (f) => bars(await within(f).findByRole("list"))))).toEqual([
      ["Won amount (SEK): 10000", "Lost amount (SEK): 0", "Axis: Amount (SEK)"],
      ["Won amount (no currency): 300", "Lost amount (no currency): 50", "Axis: Amount (no currency)"],
    ]);
  });
});
