/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { product } from "../helpers/fake-products";
import { deal, fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

// The product catalogue in the settings, and a deal's lines on its page.

/** The settings page loads several chunks the first time on a busy 2-core machine. */
jest.setTimeout(120_000);

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
const licence = () =>
  product({
    n: 2,
    code: "LIC-1",
    name: "Licence",
    prices: [{ currency: "SEK", amount: "99.90" }],
    taxRate: "12",
  });

async function productsSection() {
  return within((await screen.findByRole("region", { name: "Products" })) as HTMLElement);
}

describe("the product catalogue in the web app", () => {
  it("lists the products with their prices, tax and status, and searches them", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.catalogue.products = [support(), licence()];
    renderWebApp(server, "/app/settings");
    const section = await productsSection();
    const table = await section.findByRole("table", { name: "Products" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .slice(0, 6)
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ["LIC-1", "Licence", "", "SEK\u00a099.90", "12", "Active"],
      ["SUP-1", "Support hour", "hour", "EUR\u00a095.00, SEK\u00a01,000.00", "25", "Active"],
    ]);
    fireEvent.change(section.getByRole("searchbox", { name: "Search products" }), {
      target: { value: "sup" },
    });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));
    expect(server.received("listProducts").at(-1)).toEqual({ query: { q: "sup", limit: 50 } });
    fireEvent.change(section.getByRole("searchbox", { name: "Search products" }), {
      target: { value: "zzz" },
    });
    expect(await section.findByText("No product matches “zzz”.")).toBeTruthy();
  });

  it("creates a product with a price per currency as the reader types numbers, and says what is wrong before sending", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const section = await productsSection();
    fireEvent.click(await section.findByRole("button", { name: "New product" }));
    const form = within(section.getByRole("form", { name: "New product" }));
    fireEvent.change(form.getByRole("textbox", { name: "Name" }), { target: { value: "Onboarding" } });
    fireEvent.change(form.getByRole("textbox", { name: "Code" }), { target: { value: "ONB" } });
    fireEvent.change(form.getByRole("textbox", { name: "Tax rate (%)" }), { target: { value: "12,5" } });
    // The first price is in the base currency; a second one is added in another.
    fireEvent.change(form.getByRole("textbox", { name: "Price in EUR" }), { target: { value: "1 499,505" } });
    fireEvent.click(form.getByRole("button", { name: "Add a price" }));
    fireEvent.change(form.getByRole("textbox", { name: "Price in SEK" }), { target: { value: "15000" } });
    fireEvent.click(form.getByRole("button", { name: "Create product" }));
    expect(
      await form.findByText("Enter a price such as 1499.50, with at most 2 decimals for EUR."),
    ).toBeTruthy();
    expect(server.received("createProduct")).toEqual([]);

    fireEvent.change(form.getByRole("textbox", { name: "Price in EUR" }), { target: { value: "1 499,50" } });
    fireEvent.click(form.getByRole("button", { name: "Create product" }));
    await waitFor(() => expect(server.received("createProduct")).toHaveLength(1));
    expect(server.received("createProduct")[0]).toEqual({
      body: {
        name: "Onboarding",
        code: "ONB",
        unit: null,
        taxRate: "12.5",
        prices: [
          { currency: "EUR", amount: "1499.50" },
          { currency: "SEK", amount: "15000" },
        ],
      },
    });
    expect(await section.findByRole("cell", { name: "ONB" })).toBeTruthy();
  });

  it("says a taken code beside the form, and deactivates a product with the version read", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.catalogue.products = [support()];
    renderWebApp(server, "/app/settings");
    const section = await productsSection();
    fireEvent.click(await section.findByRole("button", { name: "Deactivate Support hour" }));
    expect(await section.findByRole("button", { name: "Activate Support hour" })).toBeTruthy();
    expect(server.received("updateProduct")).toEqual([
      { params: { id: support().id }, body: { active: false, version: 1 } },
    ]);

    fireEvent.click(section.getByRole("button", { name: "New product" }));
    const form = within(section.getByRole("form", { name: "New product" }));
    fireEvent.change(form.getByRole("textbox", { name: "Name" }), { target: { value: "Again" } });
    fireEvent.change(form.getByRole("textbox", { name: "Code" }), { target: { value: "sup-1" } });
    fireEvent.change(form.getByRole("textbox", { name: "Tax rate (%)" }), { target: { value: "25" } });
    fireEvent.click(form.getByRole("button", { name: "Remove the price in EUR" }));
    fireEvent.click(form.getByRole("button", { name: "Create product" }));
    expect(
      // In English the server's own words are the sentence (in the other languages, the code's).
      await form.findByText("The product was not saved: Another product has this code."),
    ).toBeTruthy();
  });

  it("imports a price list and says what it did, or which lines are wrong", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.catalogue.nextImport = { rows: 3, created: 2, updated: 1, unchanged: 0, dryRun: false };
    renderWebApp(server, "/app/settings");
    const section = await productsSection();
    const input = (await section.findByLabelText("Import a price list")) as HTMLInputElement;
    const csv = "Code;Name;VAT;EUR\r\nA;Alpha;25;10\r\n";
    fireEvent.change(input, { target: { files: [new File([csv], "prices.csv", { type: "text/csv" })] } });
    expect(await section.findByText("3 rows imported: 2 new, 1 updated, 0 unchanged.")).toBeTruthy();
    expect(server.received("importProducts")).toEqual([{ body: { format: "csv", content: csv } }]);

    server.catalogue.nextImport = problem(422, "import_rows_invalid", "1 row(s) cannot be imported");
    Object.assign(server.catalogue.nextImport.problem ?? {}, {
      rowErrors: [
        { line: 3, field: "taxRate", code: "value_refused", message: "a percentage from 0 to 100" },
      ],
    });
    fireEvent.change(input, { target: { files: [new File([csv], "prices.csv", { type: "text/csv" })] } });
    expect(await section.findByText("Line 3, taxRate: a percentage from 0 to 100")).toBeTruthy();
  });

  it("shows a member the catalogue without the means to change it", async () => {
    const server = fakeWebServer({ role: "member" });
    server.catalogue.products = [support()];
    renderWebApp(server, "/app/settings");
    const section = await productsSection();
    expect(await section.findByRole("cell", { name: "SUP-1" })).toBeTruthy();
    expect(section.queryByRole("button", { name: "New product" })).toBeNull();
    expect(section.queryByRole("button", { name: "Deactivate Support hour" })).toBeNull();
    expect(section.queryByLabelText("Import a price list")).toBeNull();
  });
});

describe("a deal's lines in the web app", () => {
  const alpha = () => ({
    ...deal({ id: "7f000000-0000-4000-8000-000000000001", name: "Alpha deal", stage: "proposal" }),
    currency: "SEK",
  });
  async function linesForm() {
    return within((await screen.findByRole("form", { name: "Lines" })) as HTMLElement);
  }
  async function pick(form: ReturnType<typeof within>, option: RegExp) {
    fireEvent.click(form.getByRole("combobox", { name: "Add from the catalogue" }));
    fireEvent.click(await screen.findByRole("option", { name: option }));
  }

  it("adds lines from the catalogue and as free text, counts them as typed, and saves them all with the version", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    server.catalogue.products = [support(), licence()];
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    expect(form.getByText("No lines: the deal's amount is the one in its details.")).toBeTruthy();
    await pick(form, /^SUP-1 · Support hour/);
    // Filled from the product: its name, its price in the deal's currency, its tax rate.
    expect((form.getByRole("textbox", { name: "Line 1: Description" }) as HTMLInputElement).value).toBe(
      "Support hour",
    );
    expect((form.getByRole("textbox", { name: "Line 1: Unit price" }) as HTMLInputElement).value).toBe(
      "1000.00",
    );
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Quantity" }), { target: { value: "2" } });
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Discount (%)" }), {
      target: { value: "10" },
    });
    fireEvent.click(form.getByRole("button", { name: "Add a free-text line" }));
    fireEvent.change(form.getByRole("textbox", { name: "Line 2: Description" }), {
      target: { value: "Travel" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Line 2: Unit price" }), { target: { value: "450" } });
    fireEvent.change(form.getByRole("textbox", { name: "Line 2: Tax rate (%)" }), { target: { value: "0" } });
    await pick(form, /^LIC-1 · Licence/);
    fireEvent.change(form.getByRole("textbox", { name: "Line 3: Quantity" }), { target: { value: "3" } });

    const totals = form;
    expect(totals.getByText("Total before tax").nextSibling?.textContent).toBe("SEK\u00a02,549.70");
    expect(totals.getByText("Tax 25 %").nextSibling?.textContent).toBe("SEK\u00a0450.00");
    expect(totals.getByText("Tax 12 %").nextSibling?.textContent).toBe("SEK\u00a035.96");
    expect(totals.getByText("Total").nextSibling?.textContent).toBe("SEK\u00a03,035.66");

    // Removed, and the totals follow.
    fireEvent.click(form.getByRole("button", { name: "Remove line 3" }));
    expect(totals.getByText("Total before tax").nextSibling?.textContent).toBe("SEK\u00a02,250.00");

    fireEvent.click(form.getByRole("button", { name: "Save lines" }));
    expect(await screen.findByText(/^Lines saved: the deal's amount is SEK.2,250\.00\.$/)).toBeTruthy();
    expect(server.received("replaceDealLines")).toEqual([
      {
        params: { id: alpha().id },
        body: {
          currency: "SEK",
          version: 1,
          lines: [
            {
              productId: support().id,
              name: "Support hour",
              unit: "hour",
              quantity: "2",
              unitPrice: "1000.00",
              discountPercent: "10",
              taxRate: "25",
            },
            {
              name: "Travel",
              unit: null,
              quantity: "1",
              unitPrice: "450",
              discountPercent: "0",
              taxRate: "0",
            },
          ],
        },
      },
    ]);
    // The deal's amount in its details follows its lines.
    await waitFor(() => expect(server.deals[0]?.amount).toBe(2250));
  });

  it("says what is wrong on a line before sending, and a product without a price in the deal's currency", async () => {
    const server = fakeWebServer({ deals: [{ ...alpha(), currency: "EUR" }] });
    server.catalogue.products = [licence()];
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    await pick(form, /^LIC-1 · Licence/);
    expect(form.getByText("Licence has no price in EUR: enter the price on the line.")).toBeTruthy();
    fireEvent.change(form.getByRole("textbox", { name: "Line 1: Quantity" }), { target: { value: "-1" } });
    fireEvent.click(form.getByRole("button", { name: "Save lines" }));
    expect(await form.findByText("Enter a quantity above 0, such as 2 or 1.5.")).toBeTruthy();
    expect(server.received("replaceDealLines")).toEqual([]);
  });

  it("shows the server's refusal beside the line's field it names, and keeps the draft", async () => {
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
    const refusal = problem(
      400,
      "invalid_request",
      "body.lines.0.taxRate: not a rate this organisation uses",
    );
    Object.assign(refusal.problem ?? {}, {
      errors: [{ path: "body.lines.0.taxRate", message: "not a rate this organisation uses" }],
    });
    server.failNext("replaceDealLines", refusal);
    fireEvent.click(form.getByRole("button", { name: "Save lines" }));
    expect(await form.findByText("not a rate this organisation uses")).toBeTruthy();
    expect((form.getByRole("textbox", { name: "Line 1: Description" }) as HTMLInputElement).value).toBe(
      "Work",
    );
  });

  it("is used with the keyboard: every control has a name and takes the focus", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const form = await linesForm();
    fireEvent.click(form.getByRole("button", { name: "Add a free-text line" }));
    const controls = [
      form.getByRole("combobox", { name: "Currency of the lines" }),
      form.getByRole("combobox", { name: "Add from the catalogue" }),
      form.getByRole("button", { name: "Add a free-text line" }),
      form.getByRole("textbox", { name: "Line 1: Description" }),
      form.getByRole("textbox", { name: "Line 1: Quantity" }),
      form.getByRole("textbox", { name: "Line 1: Unit price" }),
      form.getByRole("textbox", { name: "Line 1: Discount (%)" }),
      form.getByRole("textbox", { name: "Line 1: Tax rate (%)" }),
      form.getByRole("button", { name: "Remove line 1" }),
      form.getByRole("button", { name: "Save lines" }),
    ];
    for (const control of controls) {
      control.focus();
      expect(document.activeElement).toBe(control);
      expect(control.getAttribute("tabindex")).not.toBe("-1");
    }
  });
});
