/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { ApiError } from "../../src/client/problems";
import { Problem } from "../../src/shared/errors";
import {
  company,
  contact,
  customFieldDefinition,
  deal,
  fakeWebServer,
  followUp,
  ids,
  renderWebApp,
  stageIds,
} from "../helpers/webapp-fixtures";

const alpha = deal({
  id: "7f000000-0000-4000-8000-000000000001",
  name: "Alpha deal",
  stage: "prospecting",
  version: 3,
  customFields: { region: "North" },
});
const beta = deal({ id: "7f000000-0000-4000-8000-000000000002", name: "Beta deal", stage: "proposal" });
const fabrikam = company({
  id: "7f000000-0000-4000-8000-000000000011",
  name: "Fabrikam",
  domain: "fabrikam.example",
});
const northwind = company({ id: "7f000000-0000-4000-8000-000000000012", name: "Northwind" });
const region = customFieldDefinition({ key: "region", label: "Region", type: "text" });
const size = customFieldDefinition({ key: "size", label: "Size", type: "number" });
const segment = customFieldDefinition({
  key: "segment",
  label: "Segment",
  type: "choice",
  entity: "contact",
  choices: ["SMB", "Enterprise"],
  required: true,
});

describe("the web app's record lists", () => {
  it("lists deals, and sends the chosen filters to the list and to the export", async () => {
    const server = fakeWebServer({ deals: [alpha, beta] });
    renderWebApp(server, "/app/deals");
    const grid = await screen.findByRole("grid", { name: "Deals" });
    expect(within(grid).getByRole("link", { name: "Alpha deal" }).getAttribute("href")).toBe(
      `/app/deals/${alpha.id}`,
    );
    fireEvent.click(screen.getByRole("combobox", { name: "Stage" }));
    fireEvent.click(await screen.findByRole("option", { name: "Proposal" }));
    await waitFor(() =>
      expect(server.received("listDeals").at(-1)).toEqual({
        query: { stageId: stageIds.proposal, limit: "50" },
      }),
    );
    await waitFor(() =>
      expect(within(screen.getByRole("grid", { name: "Deals" })).queryByText("Alpha deal")).toBeNull(),
    );
    expect(location.search).toBe(`?stageId=${stageIds.proposal}`);
    fireEvent.click(screen.getByRole("combobox", { name: "Owner" }));
    fireEvent.click(await screen.findByRole("option", { name: "Rita Rep" }));
    fireEvent.click(screen.getByRole("button", { name: "Export the deals shown as XLSX" }));
    await waitFor(() =>
      expect(server.received("exportDealsXlsx")).toEqual([
        { query: { stageId: stageIds.proposal, ownerId: ids.rita } },
      ]),
    );
  });

  it("says when there are no deals, and when none matches the filters", async () => {
    const first = renderWebApp(fakeWebServer(), "/app/deals");
    expect(await screen.findByText("No deals yet.")).toBeTruthy();
    first.unmount();
    const server = fakeWebServer({ deals: [alpha] });
    renderWebApp(server, "/app/deals?status=lost&colour=red");
    expect(await screen.findByText("No deal matches these filters.")).toBeTruthy();
    // What the contract does not know is not sent.
    expect(server.received("listDeals")).toEqual([{ query: { status: "lost", limit: "50" } }]);
  });

  it("shows a failed list with a retry", async () => {
    const server = fakeWebServer({ deals: [alpha] });
    server.failNext(
      "listDeals",
      new ApiError(
        503,
        Problem.parse({
          type: "about:blank",
          title: "x",
          status: 503,
          detail: "Restarting.",
          code: "store_unavailable",
        }),
      ),
      4,
    );
    renderWebApp(server, "/app/deals");
    expect(await screen.findByText("The deals could not be loaded: Restarting.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Alpha deal" })).toBeTruthy();
  }, 30_000);

  it("edits a deal's custom field with the version it read; a colleague's newer value is shown, then saved over on request", async () => {
    const server = fakeWebServer({ deals: [alpha], customFields: [region, size] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    const regionInput = await within(form).findByRole("textbox", { name: "Region" });
    expect((regionInput as HTMLInputElement).value).toBe("North");
    // A colleague saves meanwhile.
    server.deals = [{ ...alpha, customFields: { region: "South" }, version: 4 }];
    fireEvent.change(regionInput, { target: { value: "West" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("A colleague changed this meanwhile to “South”.")).toBeTruthy();
    expect((regionInput as HTMLInputElement).value).toBe("West");
    expect(server.received("updateDeal")).toEqual([
      { params: { id: alpha.id }, body: { version: 3, customFields: { region: "West" } } },
    ]);
    fireEvent.click(within(form).getByRole("button", { name: "Save mine again" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateDeal").at(-1)).toEqual({
      params: { id: alpha.id },
      body: { version: 4, customFields: { region: "West" } },
    });
    expect(server.deals[0]?.customFields).toEqual({ region: "West" });
  });

  it("shows the server's refusal next to the field it names", async () => {
    const server = fakeWebServer({ deals: [alpha], customFields: [region, size] });
    server.failNext(
      "updateDeal",
      new ApiError(
        400,
        Problem.parse({
          type: "about:blank",
          title: "invalid_request",
          status: 400,
          detail: "The request body is not valid.",
          code: "invalid_request",
          errors: [{ path: "body.customFields.size", message: "at most 1000" }],
        }),
      ),
    );
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    fireEvent.change(await within(form).findByRole("spinbutton", { name: "Size" }), {
      target: { value: "5000" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("at most 1000")).toBeTruthy();
  });

  it("moves a deal to another stage with the version it read", async () => {
    const server = fakeWebServer({ deals: [alpha] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const stage = await screen.findByRole("combobox", { name: "Stage of Sales" });
    await waitFor(() => expect(within(stage).getAllByRole("option")).toHaveLength(4));
    server.failNext("moveDealToStage", new ApiError(0, null));
    fireEvent.change(stage, { target: { value: stageIds.proposal } });
    expect(await screen.findByText(/The deal was not moved/)).toBeTruthy();
    expect(server.received("moveDealToStage")).toEqual([
      { params: { id: alpha.id }, body: { stageId: stageIds.proposal, version: 3, source: "web" } },
    ]);
  });

  it("marks a task done from the list with the version it read", async () => {
    const call = followUp({
      id: "7d000000-0000-4000-8000-000000000001",
      title: "Call Anna",
      overdue: false,
      version: 2,
    });
    const server = fakeWebServer({ followUps: [call] });
    renderWebApp(server, "/app/tasks");
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Call Anna” done" }));
    await waitFor(() =>
      expect(server.received("updateTask")).toEqual([
        { params: { id: call.id }, body: { done: true, version: 2 } },
      ]),
    );
    expect(await screen.findByText("No open tasks: all done.")).toBeTruthy();
  });

  it("keeps a deal's unsaved edits through the user's own stage move, and saves them with the moved deal's version", async () => {
    const server = fakeWebServer({ deals: [alpha], customFields: [region, size] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    const regionInput = await within(form).findByRole("textbox", { name: "Region" });
    fireEvent.change(regionInput, { target: { value: "West" } });
    const stage = screen.getByRole("combobox", { name: "Stage of Sales" });
    await waitFor(() => expect(within(stage).getAllByRole("option")).toHaveLength(4));
    fireEvent.change(stage, { target: { value: stageIds.proposal } });
    expect(await screen.findByText("Moved to Proposal.")).toBeTruthy();
    expect(server.received("moveDealToStage")).toEqual([
      { params: { id: alpha.id }, body: { stageId: stageIds.proposal, version: 3, source: "web" } },
    ]);
    expect((regionInput as HTMLInputElement).value).toBe("West");
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateDeal")).toEqual([
      { params: { id: alpha.id }, body: { version: 4, customFields: { region: "West" } } },
    ]);
    expect(screen.queryByText(/A colleague/)).toBeNull();
    expect(server.deals[0]).toMatchObject({ stageId: stageIds.proposal, customFields: { region: "West" } });
  });

  it("creates a contact from the list: a required custom field the server asks for is said by the field, then the new contact opens", async () => {
    const server = fakeWebServer({ customFields: [segment] });
    renderWebApp(server, "/app/contacts");
    fireEvent.click(await screen.findByRole("button", { name: "New contact" }));
    const form = await screen.findByRole("form", { name: "New contact" });
    expect(location.pathname).toBe("/app/contacts/new");
    const name = within(form).getByRole("textbox", { name: "Name" });
    expect(document.activeElement).toBe(name);
    fireEvent.change(name, { target: { value: "Anna Berg" } });
    fireEvent.change(within(form).getByRole("textbox", { name: "Email addresses" }), {
      target: { value: "anna@fabrikam.example" },
    });
    const segmentInput = await within(form).findByRole("combobox", { name: "Segment" });
    fireEvent.click(within(form).getByRole("button", { name: "Create contact" }));
    expect(await within(form).findByText('"Segment" is required')).toBeTruthy();
    expect(server.received("createContact")).toEqual([
      {
        body: {
          displayName: "Anna Berg",
          emails: ["anna@fabrikam.example"],
          lifecycleStage: "lead",
          ownerId: ids.rita,
          customFields: { segment: null },
        },
      },
    ]);
    fireEvent.change(segmentInput, { target: { value: "Enterprise" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create contact" }));
    const record = await screen.findByRole("form", { name: "Edit Anna Berg" });
    const created = server.contacts[0];
    expect(location.pathname).toBe(`/app/contacts/${created?.id}`);
    expect(created).toMatchObject({ displayName: "Anna Berg", customFields: { segment: "Enterprise" } });
    expect((within(record).getByRole("combobox", { name: "Segment" }) as HTMLSelectElement).value).toBe(
      "Enterprise",
    );
    // The form is done with: back goes to the list, not to the form.
    fireEvent.click(screen.getByRole("link", { name: "All contacts" }));
    expect(await screen.findByRole("link", { name: "Anna Berg" })).toBeTruthy();
  });

  it("says a new company's missing name at once, and the server's refusal of its domain by that field", async () => {
    const server = fakeWebServer();
    server.failNext(
      "createCompany",
      new ApiError(
        400,
        Problem.parse({
          type: "about:blank",
          title: "invalid_request",
          status: 400,
          detail: "The request body is not valid.",
          code: "invalid_request",
          errors: [{ path: "body.domain", message: "That domain is another company's." }],
        }),
      ),
    );
    renderWebApp(server, "/app/companies/new");
    const form = await screen.findByRole("form", { name: "New company" });
    fireEvent.click(within(form).getByRole("button", { name: "Create company" }));
    expect(await within(form).findByText("Name cannot be empty.")).toBeTruthy();
    expect(server.received("createCompany")).toEqual([]);
    fireEvent.change(within(form).getByRole("textbox", { name: "Name" }), { target: { value: "Fabrikam" } });
    fireEvent.change(within(form).getByRole("textbox", { name: /Domain/ }), {
      target: { value: "fabrikam.example" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Create company" }));
    expect(await within(form).findByText("That domain is another company's.")).toBeTruthy();
    expect(
      within(form)
        .getByRole("textbox", { name: /Domain/ })
        .getAttribute("aria-invalid"),
    ).toBe("true");
    fireEvent.click(within(form).getByRole("button", { name: "Create company" }));
    expect(await screen.findByRole("form", { name: "Edit Fabrikam" })).toBeTruthy();
    expect(server.received("createCompany").at(-1)).toEqual({
      body: { name: "Fabrikam", domain: "fabrikam.example", ownerId: ids.rita },
    });
  });

  it("creates a deal in the stage chosen, showing that it is under way", async () => {
    const server = fakeWebServer({ deals: [alpha] });
    const release = server.hold("createDeal");
    renderWebApp(server, "/app/deals");
    fireEvent.click(await screen.findByRole("button", { name: "New deal" }));
    const form = await screen.findByRole("form", { name: "New deal" });
    const stage = within(form).getByRole("combobox", { name: "Stage" }) as HTMLSelectElement;
    expect(stage.value).toBe(stageIds.prospecting);
    fireEvent.change(stage, { target: { value: stageIds.proposal } });
    fireEvent.change(within(form).getByRole("textbox", { name: "Name" }), {
      target: { value: "Gamma deal" },
    });
    fireEvent.change(within(form).getByRole("spinbutton", { name: "Amount" }), { target: { value: "2500" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create deal" }));
    expect(await within(form).findByText("Creating the deal…")).toBeTruthy();
    expect((within(form).getByRole("button", { name: "Creating…" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    release();
    expect(await screen.findByRole("form", { name: "Edit Gamma deal" })).toBeTruthy();
    expect(server.received("createDeal")).toEqual([
      {
        body: {
          name: "Gamma deal",
          stageId: stageIds.proposal,
          amount: 2500,
          // The organisation's base currency, which a new deal starts in.
          currency: "EUR",
          ownerId: ids.rita,
        },
      },
    ]);
    expect(await screen.findByRole("combobox", { name: "Stage of Sales" })).toHaveProperty(
      "value",
      stageIds.proposal,
    );
  });

  it("shows and takes a task's due time in the user's time zone, and sends it as an instant", async () => {
    const call = followUp({ id: "7d000000-0000-4000-8000-000000000002", title: "Call Anna", overdue: false });
    // Due 15:00 UTC: 16:00 in Stockholm, 10:00 in New York.
    const first = renderWebApp(fakeWebServer({ followUps: [call] }), `/app/tasks/${call.id}`, {
      timeZone: "America/New_York",
    });
    const nyForm = await screen.findByRole("form", { name: "Edit Call Anna" });
    expect(within(nyForm).getByLabelText("Due")).toHaveProperty("value", "2026-11-20T10:00");
    first.unmount();

    const server = fakeWebServer({ followUps: [call] });
    renderWebApp(server, `/app/tasks/${call.id}`, { timeZone: "Europe/Stockholm" });
    const form = await screen.findByRole("form", { name: "Edit Call Anna" });
    const due = within(form).getByLabelText("Due");
    expect(due).toHaveProperty("value", "2026-11-20T16:00");
    expect(screen.getByRole("heading", { name: "Due Nov 20, 2026, 4:00 PM" })).toBeTruthy();
    fireEvent.change(due, { target: { value: "2026-11-24T09:30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateTask")).toEqual([
      { params: { id: call.id }, body: { version: 1, dueAt: "2026-11-24T08:30:00.000Z" } },
    ]);
    expect(due).toHaveProperty("value", "2026-11-24T09:30");
    expect(await screen.findByRole("heading", { name: "Due Nov 24, 2026, 9:30 AM" })).toBeTruthy();

    // A new task: in summer Stockholm is two hours ahead of UTC.
    fireEvent.click(screen.getByRole("link", { name: "All tasks" }));
    fireEvent.click(await screen.findByRole("button", { name: "New task" }));
    const create = await screen.findByRole("form", { name: "New task" });
    fireEvent.change(within(create).getByRole("textbox", { name: "Title" }), {
      target: { value: "Send the offer" },
    });
    fireEvent.change(within(create).getByLabelText("Due"), { target: { value: "2027-06-01T08:00" } });
    fireEvent.click(within(create).getByRole("button", { name: "Create task" }));
    const record = await screen.findByRole("form", { name: "Edit Send the offer" });
    expect(within(record).getByLabelText("Due")).toHaveProperty("value", "2027-06-01T08:00");
    const sent = server.received("createTask")[0]?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      title: "Send the offer",
      dueAt: "2027-06-01T06:00:00.000Z",
      assigneeId: ids.rita,
    });
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("links a new contact to a company picked by a part of its name, and the contact's page links to it", async () => {
    const server = fakeWebServer({ companies: [fabrikam, northwind] });
    renderWebApp(server, "/app/contacts/new");
    const form = await screen.findByRole("form", { name: "New contact" });
    fireEvent.change(within(form).getByRole("textbox", { name: "Name" }), { target: { value: "Anna Berg" } });
    const picker = within(form).getByRole("combobox", { name: "Company" });
    fireEvent.change(picker, { target: { value: "fabri" } });
    // The search waits for typing to pause, then asks the list for what was typed.
    fireEvent.click(await screen.findByRole("option", { name: /^Fabrikam/ }));
    expect(server.received("listCompanies").at(-1)).toEqual({ query: { q: "fabri", limit: 20 } });
    expect(screen.queryByRole("option", { name: /^Northwind/ })).toBeNull();
    expect(picker).toHaveProperty("value", "Fabrikam");
    fireEvent.click(within(form).getByRole("button", { name: "Create contact" }));
    const record = await screen.findByRole("form", { name: "Edit Anna Berg" });
    expect(server.received("createContact").at(-1)?.body).toMatchObject({
      displayName: "Anna Berg",
      companyId: fabrikam.id,
    });
    expect(within(record).getByRole("combobox", { name: "Company" })).toHaveProperty("value", "Fabrikam");
    expect(within(record).getByRole("link", { name: "Fabrikam" }).getAttribute("href")).toBe(
      `/app/companies/${fabrikam.id}`,
    );
  });

  it("clears a deal's company on its page, and saves the deal without it", async () => {
    const linked = { ...alpha, companyId: northwind.id };
    const server = fakeWebServer({ deals: [linked], companies: [fabrikam, northwind] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    // The deal holds the company's id: its name is read for the picker and the link.
    expect(await within(form).findByRole("link", { name: "Northwind" })).toBeTruthy();
    const picker = within(form).getByRole("combobox", { name: "Company" });
    expect(picker).toHaveProperty("value", "Northwind");
    // Typing searches without dropping the link; leaving the box shows the linked name again.
    fireEvent.change(picker, { target: { value: "fab" } });
    expect(await screen.findByRole("option", { name: /^Fabrikam/ })).toBeTruthy();
    expect(within(form).getByRole("link", { name: "Northwind" })).toBeTruthy();
    fireEvent.blur(picker);
    expect(picker).toHaveProperty("value", "Northwind");
    fireEvent.click(within(form).getByRole("button", { name: "Clear Company" }));
    expect(within(form).getByRole("combobox", { name: "Company" })).toHaveProperty("value", "");
    expect(within(form).queryByRole("link", { name: "Northwind" })).toBeNull();
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateDeal")).toEqual([
      { params: { id: alpha.id }, body: { version: 3, companyId: null } },
    ]);
    expect(server.deals[0]?.companyId).toBeNull();
  });

  it("links a new deal to several contacts, and one taken off again is not sent", async () => {
    const anna = contact({ id: "7f000000-0000-4000-8000-000000000021", displayName: "Anna Berg" });
    const anders = contact({ id: "7f000000-0000-4000-8000-000000000022", displayName: "Anders Holm" });
    const server = fakeWebServer({ contacts: [anna, anders] });
    renderWebApp(server, "/app/deals/new");
    const form = await screen.findByRole("form", { name: "New deal" });
    fireEvent.change(within(form).getByRole("textbox", { name: "Name" }), {
      target: { value: "Delta deal" },
    });
    const picker = within(form).getByRole("combobox", { name: "Contacts" });
    fireEvent.change(picker, { target: { value: "an" } });
    // Fluent's multiselect combobox offers its options as checkable menu items.
    fireEvent.click(await screen.findByRole("menuitemcheckbox", { name: "Anna Berg" }));
    fireEvent.click(screen.getByRole("menuitemcheckbox", { name: "Anders Holm" }));
    const linked = within(form).getByRole("list", { name: "Linked contacts" });
    expect(
      within(linked)
        .getAllByRole("link")
        .map((l) => l.textContent),
    ).toEqual(["Anna Berg", "Anders Holm"]);
    fireEvent.click(within(linked).getByRole("button", { name: "Remove Anna Berg" }));
    expect(
      within(linked)
        .getAllByRole("link")
        .map((l) => l.textContent),
    ).toEqual(["Anders Holm"]);
    fireEvent.click(within(form).getByRole("button", { name: "Create deal" }));
    expect(await screen.findByRole("form", { name: "Edit Delta deal" })).toBeTruthy();
    expect(server.received("createDeal").at(-1)?.body).toMatchObject({ contactIds: [anders.id] });
  });
});
