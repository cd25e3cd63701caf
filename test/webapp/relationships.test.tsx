/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { Interaction } from "../../src/shared/interactions";
import { company, contact, deal, fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

const fabrikam = company({ id: "7c000000-0000-4000-8000-000000000500", name: "Fabrikam AB" });
const anna = contact({ id: "7c000000-0000-4000-8000-000000000501", displayName: "Anna Berg" });
const bo = contact({ id: "7c000000-0000-4000-8000-000000000502", displayName: "Bo Ek" });
const rita = { id: "7c000000-0000-4000-8000-000000000503", displayName: "Rita Rep" };

function interaction(
  n: number,
  kind: Interaction["kind"],
  person: { id: string; displayName: string },
): Interaction {
  const at = new Date(Date.UTC(2026, 10, 30 - n, 9)).toISOString();
  return {
    id: `7c000000-0000-4000-8000-${String(600 + n).padStart(12, "0")}`,
    kind,
    direction: kind === "email" ? "in" : null,
    occurredAt: at,
    subject: `Subject ${n}`,
    body: null,
    outcome: null,
    internetMessageId: null,
    rapportKey: null,
    conversationId: null,
    source: "manual",
    dealId: null,
    dealIds: [],
    companies: [{ id: fabrikam.id, via: "contact" }],
    loggedBy: [],
    participants: [{ address: null, name: person.displayName, contactId: person.id, role: "with" }],
    meeting: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

const section = (name: string) => screen.findByRole("region", { name });
const subjects = (region: HTMLElement) =>
  within(region)
    .queryAllByRole("listitem")
    .map((li) => li.querySelector("span")?.textContent);

describe("a record's relationship and interactions in the web app", () => {
  it("shows a company's glance: last contact and reply, recent counts and that it is cooling", async () => {
    const server = fakeWebServer({ companies: [fabrikam], contacts: [anna] });
    server.glances[fabrikam.id] = {
      lastContact: {
        interactionId: "7c000000-0000-4000-8000-000000000700",
        at: "2026-10-01T09:00:00.000Z",
        kind: "email",
        direction: "out",
        subject: "Offer",
        user: rita,
        contact: { id: anna.id, displayName: "Anna Berg" },
      },
      lastReply: null,
      last30Days: 0,
      last90Days: 4,
      rhythm: { state: "cooling", activeDays: 9, medianGapDays: 7, daysSinceLast: 50 },
    };
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const glance = await section("Relationship");
    expect(await within(glance).findByText(/email sent · Anna Berg, Rita Rep/)).toBeTruthy();
    expect(within(glance).getByText("None yet")).toBeTruthy();
    expect(within(glance).getByText("Interactions: 0 in the last 30 days, 4 in the last 90")).toBeTruthy();
    expect(
      within(glance).getByText("Cooling: 50 days since the last contact, usually every 7 days"),
    ).toBeTruthy();
  });

  it("pages a company's interactions and narrows them by kind and person", async () => {
    const server = fakeWebServer({ companies: [fabrikam], contacts: [anna, bo] });
    server.timelines[fabrikam.id] = Array.from({ length: 25 }, (_, n) =>
      interaction(n, n % 5 === 0 ? "call" : "email", n % 2 === 0 ? anna : bo),
    );
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const timeline = await section("Interactions");
    await waitFor(() => expect(subjects(timeline)).toHaveLength(20));
    fireEvent.click(within(timeline).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(subjects(timeline)).toHaveLength(25));
    expect(within(timeline).queryByRole("button", { name: "Load more" })).toBeNull();

    fireEvent.change(within(timeline).getByLabelText("Kind"), { target: { value: "call" } });
    await waitFor(() =>
      expect(subjects(timeline)).toEqual([
        "Subject 0",
        "Subject 5",
        "Subject 10",
        "Subject 15",
        "Subject 20",
      ]),
    );
    fireEvent.change(within(timeline).getByLabelText("Person"), { target: { value: bo.id } });
    await waitFor(() => expect(subjects(timeline)).toEqual(["Subject 5", "Subject 15"]));
    expect(server.received("companyTimeline").at(-1)?.query).toEqual({
      limit: 20,
      kind: "call",
      contactId: bo.id,
    });
    fireEvent.change(within(timeline).getByLabelText("Kind"), { target: { value: "visit" } });
    expect(await within(timeline).findByText("No interactions match these filters.")).toBeTruthy();
  });

  it("shows a deal's interactions, and a failure with a retry", async () => {
    const renewal = deal({ id: "7c000000-0000-4000-8000-000000000510", name: "Renewal", stage: "proposal" });
    const server = fakeWebServer({ deals: [renewal], contacts: [anna] });
    server.timelines[renewal.id] = [interaction(1, "meeting", anna)];
    server.failNext("dealTimeline", problem(403, "forbidden", "Not for you."));
    renderWebApp(server, `/app/deals/${renewal.id}`);
    const timeline = await section("Interactions");
    const retry = await within(timeline).findByRole("button", { name: "Try again" });
    fireEvent.click(retry);
    await waitFor(() => expect(subjects(timeline)).toEqual(["Subject 1"]));
  });

  it("shows a contact's glance with too little history to tell", async () => {
    const server = fakeWebServer({ contacts: [anna] });
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const glance = await section("Relationship");
    expect(await within(glance).findByText("Too little history to tell the rhythm")).toBeTruthy();
    expect(within(glance).getAllByText("None yet")).toHaveLength(2);
  });
});
