/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { product } from "../helpers/fake-products";
import { deal, fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

// A deal's lines as a new rep meets them: focus after adding and removing a line, numbers as a German or a
// Croatian writes them, a currency changed under priced lines, and the amount in the details that the lines set.

jest.setTimeout(120_000);

const alpha = () => ({
  ...deal({ id: "7f000000-0000-4000-8000-000000000001", name: "Alpha deal", stage: "proposal" }),
  currency: "SEK",
});
const support = () =>
  product({
    n: 1,
    code: "SUP-1",
    name: "Support hour",
    unit: "hour",
    prices: [
      { currency: "EUR", amount: "95.00" },
      { currency: "SEK", amount: "1000.00" },
    ],
    taxRate: "25",
  });

async function linesForm() {
  return within((await screen.findByRole("form", { name: "Lines" })) as HTMLElement);
}

describe("a deal's lines, as a new rep uses them", () => {
  it("puts the focus on a new line's description, and after a removal on the next line or the add button", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    const addFree = form.getByRole("button", { name: "Add a free-text line" });
    fireEvent.click(addFree);
    await waitFor(() =>
      expect(document.activeElement).toBe(form.getByRole("textbox", { name: "Line 1: Description" })),
    );
    fireEvent.click(addFree);
    await waitFor(() =>
      expect(document.activeElement).toBe(form.getByRole("textbox", { name: "Line 2: Description" })),
    );
    fireEvent.click(form.getByRole("button", { name: "Remove line 1" }));
    // The line that was second is now the first: its remove button takes the focus, not the page's body.
    await waitFor(() =>
      expect(document.activeElement).toBe(form.getByRole("button", { name: "Remove line 1" })),
    );
    fireEvent.click(form.getByRole("button", { name: "Remove line 1" }));
    await waitFor(() => expect(document.activeElement).toBe(addFree));
  });

  it("reads a price as a German or a Croatian writes it, with dots between the thousands", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`, { language: "de" });
    const form = within((await screen.findByRole("form", { name: "Positionen" })) as HTMLElement);
    fireEvent.click(form.getByRole("button", { name: /Freitext/ }));
    const description = form
      .getAllByRole("textbox")
      .find((e) => /Beschreibung/.test(e.getAttribute("aria-label") ?? ""));
    fireEvent.change(description as HTMLElement, { target: { value: "Beratung" } });
    const price = form
      .getAllByRole("textbox")
      .find((e) => /Einzelpreis/.test(e.getAttribute("aria-label") ?? ""));
    fireEvent.change(price as HTMLElement, { target: { value: "1.499,50" } });
    const tax = form.getAllByRole("textbox").find((e) => /Steuer/.test(e.getAttribute("aria-label") ?? ""));
    fireEvent.change(tax as HTMLElement, { target: { value: "19" } });
    expect(form.getByText(/^SEK.1\.499,50$/, { selector: "td" })).toBeTruthy();
  });

  it("shows saved lines' numbers as a German types them, and reads them back unchanged", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    server.catalogue.dealLines[alpha().id] = {
      dealId: alpha().id,
      currency: "SEK",
      version: 1,
      lines: [
        {
          id: "7d000000-0000-4000-8000-000000000001",
          productId: null,
          productCode: null,
          name: "Beratung",
          unit: null,
          quantity: "2.125",
          unitPrice: "100",
          discountPercent: "0",
          taxRate: "19",
          net: "212.5",
        },
      ],
      totals: {
        net: "212.50",
        taxes: [{ rate: "19", net: "212.50", tax: "40.38" }],
        tax: "40.38",
        total: "252.88",
      },
    };
    renderWebApp(server, `/app/deals/${alpha().id}`, { language: "de" });
    const form = within((await screen.findByRole("form", { name: "Positionen" })) as HTMLElement);
    const quantity = (await form.findAllByRole("textbox")).find((e) =>
      /Menge/.test(e.getAttribute("aria-label") ?? ""),
    ) as HTMLInputElement;
    expect(quantity.value).toBe("2,125");
    expect(form.getByText(/^SEK.212,50$/, { selector: "td" })).toBeTruthy();
  });

  it("keeps the lines typed when the rep edits the deal's details before saving them", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    fireEvent.click(form.getByRole("button", { name: "Add a free-text line" }));
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Description" }), {
      target: { value: "Work" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Unit price" }), { target: { value: "10" } });
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Tax rate (%)" }), {
      target: { value: "25" },
    });
    // The rep renames the deal: its version moves on, though nobody touched its lines.
    const details = within(screen.getByRole("form", { name: "Edit Alpha deal" }) as HTMLElement);
    fireEvent.change(details.getByRole("textbox", { name: /^Name/ }), {
      target: { value: "Alpha deal 2027" },
    });
    fireEvent.click(details.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.deals[0]?.name).toBe("Alpha deal 2027"));
    fireEvent.click(form.getByRole("button", { name: "Save lines" }));
    expect(await screen.findByText(/^Lines saved: the deal's amount is SEK.10\.00\.$/)).toBeTruthy();
    expect(
      screen.queryByText("Someone changed this deal meanwhile; the lines are shown as they are now."),
    ).toBeNull();
    expect(server.deals[0]?.amount).toBe(10);
  });

  it("says the prices were not converted when the lines' currency changes under priced lines", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    server.catalogue.products = [support()];
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    fireEvent.click(form.getByRole("combobox", { name: "Add from the catalogue" }));
    fireEvent.click(await screen.findByRole("option", { name: /^SUP-1 · Support hour/ }));
    fireEvent.click(form.getByRole("combobox", { name: "Currency of the lines" }));
    fireEvent.click(await screen.findByRole("option", { name: /^EUR/ }));
    expect(
      await form.findByText(
        "The prices on the lines were not converted: check each one in EUR before saving.",
      ),
    ).toBeTruthy();
  });

  it("locks the amount and currency in the details while the deal has lines, and says why", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    const details = () => within(screen.getByRole("form", { name: "Edit Alpha deal" }) as HTMLElement);
    expect((details().getByRole("spinbutton", { name: "Amount" }) as HTMLInputElement).readOnly).toBe(false);
    fireEvent.click(form.getByRole("button", { name: "Add a free-text line" }));
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Description" }), {
      target: { value: "Work" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Unit price" }), { target: { value: "10" } });
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Tax rate (%)" }), {
      target: { value: "25" },
    });
    fireEvent.click(form.getByRole("button", { name: "Save lines" }));
    await waitFor(() =>
      expect((details().getByRole("spinbutton", { name: /^Amount/ }) as HTMLInputElement).readOnly).toBe(
        true,
      ),
    );
    expect(
      details().getByText("Set by the lines (their total before tax): change the lines to change it."),
    ).toBeTruthy();
  });
});
