/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SimulatedAppointment } from "../../src/addin/office/simulated-mailbox";
import { Company } from "../../src/shared/companies";
import {
  MEETING_ID,
  anna,
  closePanes,
  erik,
  fabrikamRenewal,
  inbox,
  loggedInteraction,
  now,
  secondDeal,
  setup,
} from "../helpers/pane-fixtures";

afterEach(closePanes);

const companyOf = (id: string, name: string) =>
  Company.parse({
    id,
    name,
    domain: null,
    phone: null,
    website: null,
    address: null,
    ownerId: null,
    customFields: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
const fabrikam = companyOf("6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4c01", "Fabrikam AB");
const northwind = companyOf("6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4c02", "Northwind");

/**
 * The menu of the "Logged · …" button once it reads `label`: opened, unless it stayed open (ticking a deal or a
 * company keeps it open for the next).
 */
async function openLinks(label: string) {
  const trigger = await screen.findByRole("button", { name: label });
  if (trigger.getAttribute("aria-expanded") !== "true") fireEvent.click(trigger);
  return screen.findByRole("menu");
}

const checked = (item: HTMLElement) => item.getAttribute("aria-checked");

describe("where a logged email or meeting went, and changing it from the pane", () => {
  it("says which deal the one click linked, and makes another deal primary, keeping the first beside it", async () => {
    const pane = setup({ secondDeal: true });
    act(() => pane.mailbox.select("known"));
    // Two open deals: the rep picks one, Rapport never guesses.
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Fabrikam renewal" }));
    const menu = await openLinks("Logged · Fabrikam renewal");
    expect(checked(within(menu).getByRole("menuitemradio", { name: "Fabrikam renewal" }))).toBe("true");
    fireEvent.click(within(menu).getByRole("menuitemradio", { name: "Fabrikam expansion" }));
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam expansion" })).toBeTruthy();
    expect(pane.server.received("linkInteraction")).toEqual([
      { params: { id: loggedInteraction.id }, body: { dealId: secondDeal.id, primary: true } },
    ]);

    // The former primary stays linked beside it, and can be taken off.
    const again = await openLinks("Logged · Fabrikam expansion");
    const beside = within(again).getByRole("menuitemcheckbox", { name: "Fabrikam renewal" });
    expect(checked(beside)).toBe("true");
    fireEvent.click(beside);
    await waitFor(() =>
      expect(pane.server.received("unlinkInteraction")).toEqual([
        { params: { id: loggedInteraction.id }, query: { dealId: fabrikamRenewal.id } },
      ]),
    );
    // The history read again shows the email with its one deal.
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam expansion" })).toBeTruthy();
  });

  it("links a person's company, names the one linked through its people, and unlinks every deal", async () => {
    const erikAtNorthwind = { ...erik, companyId: northwind.id, company: northwind };
    const withErik = {
      ...(inbox[0] as (typeof inbox)[number]),
      cc: [{ address: "erik@fabrikam.example", name: "Erik Holm" }],
    };
    const pane = setup({
      annaCompany: fabrikam,
      contacts: [erikAtNorthwind],
      loggedBySync: true,
      messages: [withErik],
    });
    act(() => pane.mailbox.select("known"));
    const menu = await openLinks("Logged · no deal");
    const throughPeople = within(menu).getByRole("menuitemcheckbox", {
      name: "Fabrikam AB (through its people)",
    });
    expect(checked(throughPeople)).toBe("true");
    expect(throughPeople.getAttribute("aria-disabled")).toBe("true");
    const other = within(menu).getByRole("menuitemcheckbox", { name: "Northwind" });
    expect(checked(other)).toBe("false");
    fireEvent.click(other);
    await waitFor(() =>
      expect(pane.server.received("linkInteraction")).toEqual([
        { params: { id: loggedInteraction.id }, body: { companyId: northwind.id } },
      ]),
    );
    const linked = await openLinks("Logged · no deal");
    await waitFor(() =>
      expect(checked(within(linked).getByRole("menuitemcheckbox", { name: "Northwind" }))).toBe("true"),
    );
    // Logged without a deal: the open deal is offered as the primary one.
    fireEvent.click(within(linked).getByRole("menuitemradio", { name: "Fabrikam renewal" }));
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam renewal" })).toBeTruthy();

    const again = await openLinks("Logged · Fabrikam renewal");
    fireEvent.click(within(again).getByRole("menuitem", { name: "Unlink from every deal" }));
    expect(await screen.findByRole("button", { name: "Logged · no deal" })).toBeTruthy();
    expect(pane.server.received("unlinkInteraction")).toEqual([
      { params: { id: loggedInteraction.id }, query: { dealId: fabrikamRenewal.id } },
    ]);
  });

  it("says a failure with a retry, and that changing links needs the connection when Rapport cannot be reached", async () => {
    const pane = setup();
    act(() => pane.mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    const menu = await openLinks("Logged · Fabrikam renewal");
    pane.server.reachable = false;
    fireEvent.click(within(menu).getByRole("menuitem", { name: "Unlink from every deal" }));
    expect(
      await screen.findByText("Rapport cannot be reached. Check your connection and try again."),
    ).toBeTruthy();
    // Nothing is queued for later: the outbox carries logs only.
    expect(pane.services.outbox.entries()).toEqual([]);
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: "Logged · no deal" })).toBeTruthy();

    // Reopened offline, the pane shows the kept profile: the line stands, the menu says it needs the connection.
    pane.server.reachable = false;
    pane.reopen();
    act(() => pane.mailbox.select("known"));
    expect(await screen.findByText(/Changing its deals and companies needs a connection/)).toBeTruthy();
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("shows a refusal in the rep's words, with a retry, and leaves the links as they were", async () => {
    const pane = setup({ loggedBySync: true, refuseLinks: true });
    act(() => pane.mailbox.select("known"));
    const menu = await openLinks("Logged · no deal");
    fireEvent.click(within(menu).getByRole("menuitemradio", { name: "Fabrikam renewal" }));
    expect(
      await screen.findByText(/Something went wrong: Only the deal's owner may link to it/),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Logged · no deal" })).toBeTruthy();
  });

  it("shows where a logged meeting went and links another deal to it", async () => {
    const meeting: SimulatedAppointment = {
      id: "review",
      mode: "attendee",
      iCalUId: null,
      subject: "Quarterly review",
      start: "2026-11-24T09:00:00.000Z",
      end: "2026-11-24T10:00:00.000Z",
      location: null,
      organizer: { address: anna.emails[0] as string, name: "Anna Berg" },
      requiredAttendees: [{ address: "rita@contoso.example", name: "Rita Rep" }],
      optionalAttendees: [],
    };
    const pane = setup({ appointments: [meeting], secondDeal: true });
    act(() => pane.mailbox.select("review"));
    const form = await screen.findByRole("form", { name: "Log this meeting" });
    expect(screen.queryByRole("button", { name: /^Logged/ })).toBeNull();
    fireEvent.change(within(form).getByRole("combobox", { name: "Deal" }), {
      target: { value: fabrikamRenewal.id },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Log meeting" }));
    const menu = await openLinks("Logged · Fabrikam renewal");
    fireEvent.click(within(menu).getByRole("menuitemcheckbox", { name: "Fabrikam expansion" }));
    await waitFor(() =>
      expect(pane.server.received("linkInteraction")).toEqual([
        { params: { id: MEETING_ID }, body: { dealId: secondDeal.id } },
      ]),
    );
    const again = await openLinks("Logged · Fabrikam renewal");
    expect(checked(within(again).getByRole("menuitemcheckbox", { name: "Fabrikam expansion" }))).toBe("true");
  });
});
