/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, within } from "@testing-library/react";
import { Company } from "../../src/shared/companies";
import { anna, closePanes, interactionOf, now, problem, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const fabrikam = Company.parse({
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a21",
  name: "Fabrikam AB",
  domain: "fabrikam.example",
  phone: null,
  website: null,
  address: null,
  ownerId: null,
  customFields: {},
  createdAt: now,
  updatedAt: now,
  version: 1,
});

const cooling = {
  lastContact: {
    interactionId: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a30",
    at: "2026-10-01T09:00:00.000Z",
    kind: "email" as const,
    direction: "out" as const,
    subject: "Offer",
    user: { id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a31", displayName: "Rita Rep" },
    contact: { id: anna.id, displayName: "Anna Berg" },
  },
  lastReply: null,
  last30Days: 0,
  last90Days: 3,
  rhythm: { state: "cooling" as const, activeDays: 8, medianGapDays: 6, daysSinceLast: 50 },
};

async function openAnna(pane: ReturnType<typeof setup>) {
  act(() => pane.mailbox.select("known"));
  await screen.findByText("Anna Berg");
}

describe("the relationship at a glance and the company's history in the pane", () => {
  it("shows the person's last contact, last reply, recent counts and that it is cooling", async () => {
    const pane = setup({ glances: { [anna.id]: cooling } });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Relationship" });
    expect(
      await within(section).findByText(/^Last contact: .* · Email sent · Anna Berg, Rita Rep$/),
    ).toBeTruthy();
    expect(within(section).getByText("Last reply from them: none yet")).toBeTruthy();
    expect(
      within(section).getByText("0 interactions in the last 30 days, 3 interactions in the last 90"),
    ).toBeTruthy();
    expect(
      within(section).getByText("Cooling: 50 days since the last contact, usually every 6 days"),
    ).toBeTruthy();
    expect(pane.server.received("contactGlance")).toEqual([{ params: { id: anna.id } }]);
    // Without a company, no company history is asked for.
    expect(pane.server.received("companyTimeline")).toEqual([]);
  });

  it.each([
    [
      "en-US",
      "Relationship",
      "1 interaction in the last 30 days, 2 interactions in the last 90",
      "In rhythm: usually every day",
    ],
    [
      "hr-HR",
      "Odnos",
      "1 interakcija u posljednjih 30 dana, 2 interakcije u posljednjih 90",
      "U ritmu: obično svaki dan",
    ],
    [
      "de-DE",
      "Beziehung",
      "1 Interaktion in den letzten 30 Tagen, 2 Interaktionen in den letzten 90",
      "Im Rhythmus: sonst täglich",
    ],
  ])(
    "counts with their noun and says a daily rhythm as every day (%s)",
    async (language, title, counts, rhythm) => {
      const pane = setup({
        language,
        glances: {
          [anna.id]: {
            ...cooling,
            last30Days: 1,
            last90Days: 2,
            rhythm: { state: "steady", activeDays: 40, medianGapDays: 1, daysSinceLast: 0 },
          },
        },
      });
      await openAnna(pane);
      const section = await screen.findByRole("region", { name: title });
      expect(await within(section).findByText(counts)).toBeTruthy();
      expect(within(section).getByText(rhythm)).toBeTruthy();
    },
  );

  it("lists the company's recent history under the person's", async () => {
    const bo = {
      address: "bo@fabrikam.example",
      name: "Bo Ek",
      contactId: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a32",
      role: "from" as const,
    };
    const pane = setup({
      annaCompany: fabrikam,
      companyHistory: {
        [fabrikam.id]: [
          interactionOf({
            id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a33",
            kind: "call",
            participants: [bo],
            subject: "Support",
          }),
          interactionOf({
            id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a34",
            kind: "email",
            direction: "in",
            subject: "Renewal",
          }),
        ],
      },
    });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Fabrikam AB: recent history" });
    const lines = await within(section).findAllByRole("listitem");
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringMatching(/ · Call · Bo Ek · Support$/),
      expect.stringMatching(/ · Email received · Anna Berg · Renewal$/),
    ]);
    expect(pane.server.received("companyTimeline")).toEqual([
      { params: { id: fabrikam.id }, query: { limit: 5 } },
    ]);
  });

  it("shows a glance that failed with a retry, and the rest of the profile as ever", async () => {
    // The fake reads this record at each call: what it holds after the failure answers the retry.
    const glances: Record<string, typeof cooling | ReturnType<typeof problem>> = {
      [anna.id]: problem(403, "forbidden", "Not for you."),
    };
    const pane = setup({ glances });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Relationship" });
    const retry = await within(section).findByRole("button", { name: "Try again" });
    expect(screen.getByText("Fabrikam renewal")).toBeTruthy();
    glances[anna.id] = cooling;
    fireEvent.click(retry);
    expect(await within(section).findByText(/^Cooling: 50 days/)).toBeTruthy();
  });

  it("speaks the pane's language", async () => {
    const pane = setup({ language: "hr-HR", glances: { [anna.id]: cooling } });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Odnos" });
    expect(
      await within(section).findByText("Hladi se: 50 dana od posljednjeg kontakta, obično svakih 6 dana"),
    ).toBeTruthy();
  });
});
