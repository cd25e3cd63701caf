/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { company, contact, fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

// The chart library's d3 modules are ES modules only (see reports.test.tsx): the chart stands in as its bars.
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
      total: { npsAnswers: 2, nps: 0, ...figures },
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

  it("reports one saved segment's members when the segment is picked", async () => {
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
    const detractors = {
      id: "7c000000-0000-4000-8000-000000000701",
      name: "Detractors",
      description: null,
      filter: {
        conditions: [{ field: "rating" as const, kind: "nps" as const, op: "atMost" as const, score: 6 }],
      },
      createdBy: ritaId,
      canEdit: true,
      createdAt: "2026-11-01T10:00:00.000Z",
      updatedAt: "2026-11-01T10:00:00.000Z",
      version: 1,
    };
    const base = server.api;
    server.api = (async (name: string, input: never) =>
      name === "listSegments" ? { items: [detractors] } : base(name as never, input)) as typeof server.api;
    renderWebApp(server, "/app/reports/ratings");
    fireEvent.click(await screen.findByRole("combobox", { name: "Segment" }));
    fireEvent.click(await screen.findByRole("option", { name: "Detractors" }));
    await waitFor(() =>
      expect(server.received("reportRatings").at(-1)).toEqual({ query: { segmentId: detractors.id } }),
    );
  });
});
