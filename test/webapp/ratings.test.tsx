/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { company, contact, fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

// The chart library's d3 modules are ES modules only (see reports.test.tsx): the chart stands in as its bars.
jest.mock("../../src/webapp/pages/reports/ReportChart", () => ({
  __esModule: true,
  default: ({
    chart,
  }: {
    chart: { categories: string[]; series: { legend: string; values: number[] }[] };
  }) => (
    <ol aria-label={`bars of ${chart.series.map((s) => s.legend).join(", ")}`}>
      {chart.categories.map((c, i) => (
        <li key={c}>
          {c}: {chart.series.map((s) => s.values[i]).join(", ")}
        </li>
      ))}
    </ol>
  ),
}));

const anna = contact({ id: "7c000000-0000-4000-8000-000000000501", displayName: "Anna Berg" });
const kund = company({ id: "7c000000-0000-4000-8000-000000000502", name: "Kund AB" });
const ritaId = "7c000000-0000-4000-8000-000000000503";

const answer = (n: number, kind: "nps" | "csat", score: number, comment: string | null, day: string) => ({
  id: `7c000000-0000-4000-8000-0000000006${String(n).padStart(2, "0")}`,
  contactId: anna.id,
  kind,
  score,
  comment,
  language: "sv" as const,
  answeredAt: `${day}T10:00:00.000Z`,
});

describe("customer ratings in the web app", () => {
  it("shows a contact's latest NPS, how it moved, and the latest answers with their comments", async () => {
    const server = fakeWebServer({ contacts: [anna] });
    server.ratings[anna.id] = {
      nps: { latest: 9, latestAt: "2026-11-10T10:00:00.000Z", previous: 6, change: 3, count: 2 },
      csat: null,
      recent: [answer(1, "nps", 9, "Quick answers", "2026-11-10"), answer(2, "nps", 6, null, "2026-10-01")],
    };
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    await within(section).findByText("9");
    expect(within(section).getByText(/Up 3 from 6/).textContent).toContain("2 answers");
    expect(within(section).getByText("Not answered")).toBeTruthy();
    const answers = within(within(section).getByRole("list", { name: "Latest answers" }))
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(answers).toEqual(["NPS 9 · Nov 10, 2026 · Quick answers", "NPS 6 · Oct 1, 2026 · No comment"]);
    expect(server.received("contactRatings")).toEqual([{ params: { id: anna.id } }]);
  });

  it("counts one answer as one", async () => {
    const server = fakeWebServer({ contacts: [anna] });
    server.ratings[anna.id] = {
      nps: null,
      csat: { latest: 4, latestAt: "2026-11-10T10:00:00.000Z", previous: null, change: null, count: 1 },
      recent: [answer(1, "csat", 4, null, "2026-11-10")],
    };
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    expect((await within(section).findByText(/First answer/)).textContent).toMatch(/· 1 answer$/);
  });

  it("says on a company's page which of its contacts gave each answer", async () => {
    const server = fakeWebServer({ companies: [kund] });
    server.ratings[kund.id] = {
      nps: { latest: 3, latestAt: "2026-11-10T10:00:00.000Z", previous: 9, change: -6, count: 2 },
      csat: null,
      recent: [
        { ...answer(1, "nps", 3, "Slow", "2026-11-10"), contactName: "Bo Ek" },
        { ...answer(2, "nps", 9, null, "2026-10-01"), contactName: "Anna Berg" },
      ],
    };
    renderWebApp(server, `/app/companies/${kund.id}`);
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    const list = await within(section).findByRole("list", { name: "Latest answers" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Bo Ek: NPS 3 · Nov 10, 2026 · Slow", "Anna Berg: NPS 9 · Oct 1, 2026 · No comment"]);
  });

  it("shows a company's ratings, its contacts' together, and says when there are none", async () => {
    const server = fakeWebServer({ companies: [kund] });
    renderWebApp(server, `/app/companies/${kund.id}`);
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    expect(await within(section).findByText("No survey answers yet.")).toBeTruthy();
    expect(server.received("companyRatings")).toEqual([{ params: { id: kund.id } }]);
  });

  it("reports NPS and CSAT by month and owner, and exports them", async () => {
    const server = fakeWebServer();
    const figures = {
      promoters: 1,
      passives: 0,
      detractors: 1,
      csatAnswers: 0,
      csatAverage: null,
      csatSatisfied: null,
    };
    server.ratingsReport = {
      rows: [
        { month: "2026-11", ownerId: ritaId, ownerName: "Rita Rep", npsAnswers: 2, nps: 0, ...figures },
        {
          month: "2026-12",
          ownerId: null,
          ownerName: null,
          npsAnswers: 0,
          promoters: 0,
          passives: 0,
          detractors: 0,
          nps: null,
          csatAnswers: 2,
          csatAverage: 3,
          csatSatisfied: 0.5,
        },
      ],
      total: { ...figures, npsAnswers: 2, nps: 0, csatAnswers: 2, csatAverage: 3, csatSatisfied: 0.5 },
    };
    renderWebApp(server, "/app/reports/ratings");
    const table = await screen.findByRole("table", { name: "Customer ratings" });
    const cells = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent?.replace(/\s/g, " ")),
      );
    expect(cells).toEqual([
      ["2026-11", "Rita Rep", "2", "0", "0", "–", "–"],
      ["2026-12", "No owner", "0", "–", "2", "3", "50%"],
      ["Total", "", "2", "0", "2", "3", "50%"],
    ]);
    fireEvent.change(screen.getByLabelText("From (inclusive)"), { target: { value: "2026-12-01" } });
    await waitFor(() =>
      expect(server.received("reportRatings").at(-1)).toEqual({ query: { from: "2026-12-01" } }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() =>
      expect(server.calls.filter((c) => c.name === "reportRatingsCsv").map((c) => c.input)).toEqual([
        { query: { from: "2026-12-01" } },
      ]),
    );
  });

  it("charts NPS and CSAT apart, never a month without answers as 0, and shows the whole period's total", async () => {
    const server = fakeWebServer();
    const none = { csatAnswers: 0, csatAverage: null, csatSatisfied: null };
    server.ratingsReport = {
      rows: [
        // November: only NPS answers (NPS −50); December: only CSAT answers (mean 4.5).
        {
          month: "2026-11",
          ownerId: ritaId,
          ownerName: "Rita Rep",
          npsAnswers: 2,
          promoters: 0,
          passives: 1,
          detractors: 1,
          nps: -50,
          ...none,
        },
        {
          month: "2026-12",
          ownerId: ritaId,
          ownerName: "Rita Rep",
          npsAnswers: 0,
          promoters: 0,
          passives: 0,
          detractors: 0,
          nps: null,
          csatAnswers: 2,
          csatAverage: 4.5,
          csatSatisfied: 1,
        },
      ],
      total: {
        npsAnswers: 2,
        promoters: 0,
        passives: 1,
        detractors: 1,
        nps: -50,
        csatAnswers: 2,
        csatAverage: 4.5,
        csatSatisfied: 1,
      },
    };
    renderWebApp(server, "/app/reports/ratings");
    const table = await screen.findByRole("table", { name: "Customer ratings" });
    // NPS (−100 to 100) and the CSAT mean (1 to 5) do not share an axis, and a month without answers of a kind
    // is no bar of that kind (an NPS of 0 is a score: as many promoters as detractors).
    const nps = await screen.findByRole("list", { name: "bars of NPS" });
    expect(
      within(nps)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["2026-11: -50"]);
    const csat = screen.getByRole("list", { name: "bars of CSAT average" });
    expect(
      within(csat)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["2026-12: 4.5"]);
    expect(screen.getByRole("group", { name: "Customer ratings, a chart per measure" })).toBeTruthy();
    // The period's NPS is the server's total, not something a reader could add up from the rows.
    const last = within(table).getAllByRole("row").at(-1) as HTMLElement;
    expect(
      within(last)
        .getAllByRole("cell")
        .map((c) => c.textContent?.replace(/\s/g, " ")),
    ).toEqual(["Total", "", "2", "-50", "2", "4.5", "100%"]);
  });

  it("reports one saved segment's members when asked, and exports the same", async () => {
    const server = fakeWebServer();
    server.ratingsReport = {
      rows: [],
      total: {
        npsAnswers: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        nps: null,
        csatAnswers: 0,
        csatAverage: null,
        csatSatisfied: null,
      },
    };
    const base = server.api;
    const vip = { id: "7c000000-0000-4000-8000-000000000701", name: "VIP customers" };
    server.api = (async (name: string, input: never) =>
      name === "listSegments" ? { items: [vip] } : base(name as never, input)) as typeof server.api;
    renderWebApp(server, "/app/reports/ratings");
    fireEvent.click(await screen.findByRole("combobox", { name: "Segment" }));
    fireEvent.click(await screen.findByRole("option", { name: "VIP customers" }));
    await waitFor(() =>
      expect(server.received("reportRatings").at(-1)).toEqual({ query: { segmentId: vip.id } }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Export XLSX" }));
    await waitFor(() =>
      expect(server.calls.filter((c) => c.name === "reportRatingsXlsx").map((c) => c.input)).toEqual([
        { query: { segmentId: vip.id } },
      ]),
    );
  });
});
