/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { deal, fakeWebServer, ids, renderWebApp, stageIds } from "../helpers/webapp-fixtures";

// A deal's currency is chosen from a list, never typed: the server takes ISO 4217 codes only.

/** The open list's options (a native select's options have the role too). */
const listed = () => within(screen.getByRole("listbox"));
const optionNames = () =>
  listed()
    .getAllByRole("option")
    .map((o) => o.textContent);

describe("a deal's currency in the web app", () => {
  it("starts a new deal in the organisation's base currency, offers it and the common ones first, and sends the one chosen", async () => {
    const server = fakeWebServer();
    server.currencies = { ...server.currencies, baseCurrency: "NOK", rates: [] };
    renderWebApp(server, "/app/deals/new");
    const form = await screen.findByRole("form", { name: "New deal" });
    const currency = within(form).getByRole("combobox", { name: "Currency" });
    expect(currency.textContent).toBe("NOK · Norwegian Krone");
    expect(within(form).queryByRole("textbox", { name: /Currency/ })).toBeNull();

    fireEvent.click(currency);
    const names = optionNames();
    expect(names.slice(0, 8)).toEqual([
      "Not set",
      "NOK · Norwegian Krone",
      "EUR · Euro",
      "SEK · Swedish Krona",
      "DKK · Danish Krone",
      "USD · US Dollar",
      "GBP · British Pound",
      "CHF · Swiss Franc",
    ]);
    // Then every other ISO code, alphabetically, each once.
    const rest = names.slice(8).map((n) => n?.slice(0, 3) ?? "");
    expect(rest).toEqual([...rest].sort());
    expect(rest).toEqual(expect.arrayContaining(["AED", "JPY", "ZAR"]));
    expect(new Set(names).size).toBe(names.length);
    expect(rest).not.toContain("NOK");

    fireEvent.click(listed().getByRole("option", { name: "SEK · Swedish Krona" }));
    expect(currency.textContent).toBe("SEK · Swedish Krona");
    fireEvent.change(within(form).getByRole("textbox", { name: "Name" }), {
      target: { value: "Fjord deal" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Create deal" }));
    expect(await screen.findByRole("form", { name: "Edit Fjord deal" })).toBeTruthy();
    expect(server.received("createDeal")).toEqual([
      {
        body: { name: "Fjord deal", stageId: stageIds.prospecting, currency: "SEK", ownerId: ids.rita },
      },
    ]);
  });

  it("changes a deal's currency from the list, or clears it, with the version it read", async () => {
    const alpha = deal({ id: "7f000000-0000-4000-8000-000000000001", name: "Alpha deal", stage: "proposal" });
    const server = fakeWebServer({ deals: [alpha] });
    renderWebApp(server, `/app/deals/${alpha.id}`);
    const form = await screen.findByRole("form", { name: "Edit Alpha deal" });
    const currency = within(form).getByRole("combobox", { name: "Currency" });
    expect(currency.textContent).toBe("EUR · Euro");
    fireEvent.click(currency);
    fireEvent.click(listed().getByRole("option", { name: "CHF · Swiss Franc" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    fireEvent.click(currency);
    fireEvent.click(listed().getByRole("option", { name: "Not set" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateDeal")).toEqual([
      { params: { id: alpha.id }, body: { version: 1, currency: "CHF" } },
      { params: { id: alpha.id }, body: { version: 2, currency: null } },
    ]);
  });
});
