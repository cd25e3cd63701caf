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

  it("offers everyone who took part in the company's interactions, not only those on the pages read", async () => {
    const cleo = contact({ id: "7c000000-0000-4000-8000-000000000504", displayName: "Cleo Dahl" });
    const server = fakeWebServer({ companies: [fabrikam], contacts: [anna, bo, cleo] });
    // Cleo is only on the 25th interaction: beyond the first page of 20.
    server.timelines[fabrikam.id] = Array.from({ length: 25 }, (_, n) =>
      interaction(n, "email", n === 24 ? cleo : anna),
    );
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const timeline = await section("Interactions");
    await waitFor(() => expect(subjects(timeline)).toHaveLength(20));
    const person = within(timeline).getByLabelText("Person");
    await waitFor(() =>
      expect(
        within(person)
          .getAllByRole("option")
          .map((o) => o.textContent),
      ).toEqual(["Everyone", "Anna Berg", "Cleo Dahl"]),
    );
    expect(server.received("companyTimelinePeople")).toEqual([{ params: { id: fabrikam.id } }]);
    fireEvent.change(person, { target: { value: cleo.id } });
    await waitFor(() => expect(subjects(timeline)).toEqual(["Subject 24"]));
  });

  it("shows each interaction's deals and companies, and makes primary and unlinks them in a dialog", async () => {
    const renewal = deal({ id: "7c000000-0000-4000-8000-000000000510", name: "Renewal", stage: "proposal" });
    const upsell = deal({ id: "7c000000-0000-4000-8000-000000000511", name: "Upsell", stage: "proposal" });
    const northwind = company({ id: "7c000000-0000-4000-8000-000000000512", name: "Northwind" });
    const server = fakeWebServer({
      companies: [fabrikam, northwind],
      contacts: [anna],
      deals: [renewal, upsell],
    });
    const email = {
      ...interaction(1, "email", anna),
      dealId: renewal.id,
      dealIds: [renewal.id, upsell.id],
      companies: [
        { id: fabrikam.id, via: "contact" as const },
        { id: northwind.id, via: "link" as const },
      ],
    };
    server.timelines[fabrikam.id] = [email];
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const timeline = await section("Interactions");
    expect(await within(timeline).findByText("Deals: Renewal (primary), Upsell")).toBeTruthy();
    expect(await within(timeline).findByText("Companies: Fabrikam AB, Northwind")).toBeTruthy();

    fireEvent.click(within(timeline).getByRole("button", { name: "Deals and companies of “Subject 1”" }));
    const dialog = await screen.findByRole("dialog", { name: "Deals and companies" });
    // A company its people belong to is named, not offered for removal; one linked by hand can be taken off.
    expect(within(dialog).getByText("Through its people: Fabrikam AB")).toBeTruthy();
    expect(within(dialog).queryByRole("button", { name: "Remove Fabrikam AB" })).toBeNull();
    const primary = within(dialog).getByRole("combobox", { name: "Primary deal" });
    fireEvent.change(primary, { target: { value: upsell.id } });
    await waitFor(() => expect(primary).toHaveProperty("value", upsell.id));
    expect(server.received("linkInteraction")).toEqual([
      { params: { id: email.id }, body: { dealId: upsell.id, primary: true } },
    ]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove Renewal" }));
    await waitFor(() =>
      expect(server.received("unlinkInteraction")).toEqual([
        { params: { id: email.id }, query: { dealId: renewal.id } },
      ]),
    );

    // A refusal is said in the dialog, with a retry that sends the same change again.
    server.failNext("unlinkInteraction", problem(403, "forbidden", "Not yours."));
    fireEvent.click(await within(dialog).findByRole("button", { name: "Remove Northwind" }));
    expect(await within(dialog).findByText(/The link could not be changed/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Try again" }));
    expect(await within(dialog).findByText("Saved")).toBeTruthy();
    expect(server.received("unlinkInteraction").map((r) => r.query)).toEqual([
      { dealId: renewal.id },
      { companyId: northwind.id },
      { companyId: northwind.id },
    ]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(await within(timeline).findByText("Deals: Upsell")).toBeTruthy();
    expect(await within(timeline).findByText("Companies: Fabrikam AB")).toBeTruthy();
  }, 60_000);

  it("lists a contact's interactions on their page, narrowed by kind, each with its deals and companies", async () => {
    const renewal = deal({ id: "7c000000-0000-4000-8000-000000000510", name: "Renewal", stage: "proposal" });
    const server = fakeWebServer({ companies: [fabrikam], contacts: [anna], deals: [renewal] });
    server.timelines[anna.id] = [
      { ...interaction(1, "email", anna), dealId: renewal.id, dealIds: [renewal.id] },
      interaction(2, "call", anna),
    ];
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const timeline = await section("Interactions");
    await waitFor(() => expect(subjects(timeline)).toEqual(["Subject 1", "Subject 2"]));
    expect(await within(timeline).findByText("Deals: Renewal")).toBeTruthy();
    // A contact's own timeline has nobody else to narrow it to.
    expect(within(timeline).queryByLabelText("Person")).toBeNull();
    fireEvent.change(within(timeline).getByLabelText("Kind"), { target: { value: "call" } });
    await waitFor(() => expect(subjects(timeline)).toEqual(["Subject 2"]));
    expect(server.received("companyTimelinePeople")).toEqual([]);
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

  it.each([
    ["en", 1, "Relationship", "In rhythm: usually every day"],
    ["en", 3, "Relationship", "In rhythm: usually every 3 days"],
    ["hr", 1, "Odnos", "U ritmu: obično svaki dan"],
    ["hr", 3, "Odnos", "U ritmu: obično svaka 3 dana"],
    ["hr", 5, "Odnos", "U ritmu: obično svakih 5 dana"],
  ] as const)(
    "says a rhythm in %s of %i days in the language's words (never 'every 1 day')",
    async (language, days, title, text) => {
      const server = fakeWebServer({ contacts: [anna] });
      server.glances[anna.id] = {
        lastContact: null,
        lastReply: null,
        last30Days: 20,
        last90Days: 60,
        rhythm: { state: "steady", activeDays: 60, medianGapDays: days, daysSinceLast: 0 },
      };
      renderWebApp(server, `/app/contacts/${anna.id}`, { language });
      const glance = await section(title);
      expect(await within(glance).findByText(text)).toBeTruthy();
    },
  );

  it("shows a contact's glance with too little history to tell", async () => {
    const server = fakeWebServer({ contacts: [anna] });
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const glance = await section("Relationship");
    expect(await within(glance).findByText("Too little history to tell the rhythm")).toBeTruthy();
    expect(within(glance).getAllByText("None yet")).toHaveLength(2);
  });
});
