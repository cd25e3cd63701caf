/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { CustomFieldDefinition } from "../../src/shared/custom-fields";
import { closePanes, fabrikamRenewal, now, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

let position = 0;
function field(
  entity: CustomFieldDefinition["entity"],
  key: string,
  label: string,
  type: CustomFieldDefinition["type"],
  extra: Partial<CustomFieldDefinition> = {},
): CustomFieldDefinition {
  position++;
  return {
    id: `7d000000-0000-4000-8000-${String(position).padStart(12, "0")}`,
    entity,
    key,
    label,
    type,
    choices: [],
    required: false,
    position,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...extra,
  };
}

const tier = field("contact", "tier", "Contract tier", "choice", {
  choices: ["Bronze", "Silver", "Gold"],
  required: true,
});
const seats = field("contact", "seats", "Seats", "number");
const renewal = field("contact", "renewal", "Renewal date", "date");
const source = field("deal", "source", "Lead source", "text");

async function openAnna(pane: ReturnType<typeof setup>) {
  act(() => pane.mailbox.select("known"));
  await screen.findByText("Anna Berg");
}

const details = () => screen.findByRole("region", { name: "Details" });

/** Opens a field's editor (its code may load on first use: waited for, inside act). */
async function edit(label: string): Promise<HTMLElement> {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: `Edit ${label}` }));
  });
  return screen.findByRole("form", { name: `Edit ${label}` });
}

describe("custom fields in the pane", () => {
  it("shows the contact's custom fields in order, dates and numbers in the rep's language, required ones marked", async () => {
    const pane = setup({
      customFields: [tier, seats, renewal],
      annaFields: { tier: "Gold", seats: 1200, renewal: "2027-03-01" },
    });
    await openAnna(pane);
    const region = await details();
    const rows = within(region)
      .getAllByRole("listitem")
      .map((row) => row.querySelector("div")?.textContent);
    expect(rows).toEqual(["Contract tier *(required)Gold", "Seats1,200", "Renewal dateMar 1, 2027"]);
  });

  it("saves an edited field with the version read, the others as they were, and shows the new value", async () => {
    const pane = setup({ customFields: [tier, seats, renewal], annaFields: { tier: "Gold" } });
    await openAnna(pane);
    await details();
    expect(within(await details()).getAllByText("Not set")).toHaveLength(2);
    const form = await edit("Seats");
    fireEvent.change(within(form).getByRole("spinbutton"), { target: { value: "25" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("form", { name: "Edit Seats" })).toBeNull());
    expect(within(await details()).getByText("25")).toBeTruthy();
    expect(pane.server.received("updateContact")).toEqual([
      { params: { id: expect.any(String) }, body: { customFields: { tier: "Gold", seats: 25 }, version: 1 } },
    ]);
    expect(pane.server.anna()).toEqual({ customFields: { tier: "Gold", seats: 25 }, version: 2 });

    // A choice from its list, and the next save carries the version the last one answered.
    const choice = await edit("Contract tier");
    fireEvent.change(within(choice).getByRole("combobox"), { target: { value: "Silver" } });
    fireEvent.click(within(choice).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(within(screen.getByRole("region", { name: "Details" })).getByText("Silver")).toBeTruthy(),
    );
    expect(pane.server.anna()).toEqual({ customFields: { tier: "Silver", seats: 25 }, version: 3 });
  });

  it("shows a colleague's newer value and says so when the version is stale, then saves from there", async () => {
    const pane = setup({ customFields: [tier, seats], annaFields: { tier: "Gold" } });
    await openAnna(pane);
    await details();
    pane.server.editAnna({ tier: "Silver", seats: 40 });
    const form = await edit("Contract tier");
    fireEvent.change(within(form).getByRole("combobox"), { target: { value: "Bronze" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(
      await screen.findByText(
        "Someone else changed this meanwhile: it now reads “Silver”. Edit again to change it.",
      ),
    ).toBeTruthy();
    const region = screen.getByRole("region", { name: "Details" });
    expect(within(region).getByText("40")).toBeTruthy();
    expect(pane.server.anna()).toEqual({ customFields: { tier: "Silver", seats: 40 }, version: 2 });

    const again = await edit("Contract tier");
    fireEvent.change(within(again).getByRole("combobox"), { target: { value: "Bronze" } });
    fireEvent.click(within(again).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(pane.server.anna()).toEqual({ customFields: { tier: "Bronze", seats: 40 }, version: 3 }),
    );
  });

  it("shows the server's refusal on the field it names, and keeps what the rep typed", async () => {
    const pane = setup({ customFields: [tier, seats], annaFields: { tier: "Gold" } });
    await openAnna(pane);
    await details();
    // Clearing a required field: the server refuses it, on that field.
    const form = await edit("Contract tier");
    fireEvent.change(within(form).getByRole("combobox"), { target: { value: "" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText('"Contract tier" is required')).toBeTruthy();
    expect(pane.server.anna()).toEqual({ customFields: { tier: "Gold" }, version: 1 });
    fireEvent.click(within(form).getByRole("button", { name: "Cancel" }));
    expect(within(await details()).getByText("Gold")).toBeTruthy();
  });

  it("names on its own row a required field the record lacks when another is saved", async () => {
    const pane = setup({ customFields: [tier, seats], annaFields: {} });
    await openAnna(pane);
    await details();
    const form = await edit("Seats");
    fireEvent.change(within(form).getByRole("spinbutton"), { target: { value: "3" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toBe('"Contract tier" is required');
  });

  it("shows and edits a deal's custom fields under the deal in the profile", async () => {
    const pane = setup({ customFields: [source] });
    await openAnna(pane);
    const region = await screen.findByRole("region", { name: "Details of Fabrikam renewal" });
    expect(within(region).getByText("Not set")).toBeTruthy();
    const form = await edit("Lead source");
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: " Trade fair " } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(pane.server.received("updateDeal")).toHaveLength(1));
    expect(pane.server.received("updateDeal")).toEqual([
      { params: { id: fabrikamRenewal.id }, body: { customFields: { source: "Trade fair" }, version: 1 } },
    ]);
    expect(await within(region).findByText("Trade fair")).toBeTruthy();
  });

  it("speaks Swedish in a Swedish Outlook", async () => {
    const pane = setup({ language: "sv-SE", customFields: [tier], annaFields: { tier: "Gold" } });
    act(() => pane.mailbox.select("known"));
    const region = await screen.findByRole("region", { name: "Uppgifter" });
    expect(within(region).getByRole("button", { name: "Ändra Contract tier" })).toBeTruthy();
    expect(within(region).getByText("(obligatoriskt)")).toBeTruthy();
  });
});
