/**
 * @jest-environment jsdom
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { lineTotals } from "../../src/shared/line-totals";
import { DealLines } from "../../src/shared/products";
import { deal, fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

// The quote template in the settings, and a deal's quotes on its page.

/** The settings page loads several chunks the first time on a busy 2-core machine. */
jest.setTimeout(120_000);

let clicked: { download: string }[] = [];
beforeEach(() => {
  clicked = [];
  URL.createObjectURL = jest.fn(() => "blob:quote");
  URL.revokeObjectURL = jest.fn();
  jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ download: this.download });
  });
});
afterEach(() => jest.restoreAllMocks());

const alpha = () => ({
  ...deal({ id: "7f000000-0000-4000-8000-000000000001", name: "Alpha deal", stage: "proposal" }),
  currency: "EUR",
});
const alphaLines = () => {
  const line = { quantity: "2", unitPrice: "1499.50", discountPercent: "0", taxRate: "25" };
  const { net, taxes, tax, total } = lineTotals([line], "EUR");
  return DealLines.parse({
    dealId: alpha().id,
    currency: "EUR",
    version: alpha().version,
    lines: [
      {
        id: "7f000000-0000-4000-8000-000000000101",
        productId: null,
        productCode: null,
        name: "Support",
        unit: null,
        ...line,
        net,
      },
    ],
    totals: { net, taxes, tax, total },
  });
};

async function quotesSection() {
  return within((await screen.findByRole("region", { name: "Quotes" })) as HTMLElement);
}

describe("a deal's quotes in the web app", () => {
  it("makes a quote from the deal's lines, shows it as the newest version, and downloads it", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    server.catalogue.dealLines[alpha().id] = alphaLines();
    const release = server.hold("createQuote");
    renderWebApp(server, `/app/deals/${alpha().id}`, { timeZone: "Europe/Stockholm" });
    const section = await quotesSection();
    expect(
      await section.findByText("No quotes yet. A quote lists the deal's lines: add them first."),
    ).toBeTruthy();
    fireEvent.click(section.getByRole("button", { name: "Create quote" }));
    expect(await section.findByText("Making the quote…")).toBeTruthy();
    expect((section.getByRole("button", { name: "Create quote" }) as HTMLButtonElement).disabled).toBe(true);
    release();
    expect(await section.findByText("Quote 1 made.")).toBeTruthy();
    const table = section.getByRole("table", { name: "Quotes of the deal" });
    const cells = within(within(table).getAllByRole("row")[1] as HTMLElement)
      .getAllByRole("cell")
      .map((c) => c.textContent);
    expect([cells[0], cells[1], cells[3], cells[4], cells[5]]).toEqual([
      "1",
      "1",
      "English",
      "EUR\u00a03,748.75",
      "Rita Rep",
    ]);
    // Dated by the rep's day where they are, not the server's.
    expect(server.received("createQuote")).toEqual([
      { params: { id: alpha().id }, body: { timeZone: "Europe/Stockholm" } },
    ]);

    fireEvent.click(section.getByRole("button", { name: "Create quote" }));
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(3));
    fireEvent.click(section.getByRole("button", { name: "Download quote 1" }));
    await waitFor(() => expect(clicked).toEqual([{ download: "quote.pdf" }]));
    expect(server.received("downloadQuote")).toEqual([
      { params: { id: server.quotes.quotes[alpha().id]?.[1]?.id } },
    ]);
  });

  it("says why a deal without lines gets no quote, and tries again", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const section = await quotesSection();
    fireEvent.click(await section.findByRole("button", { name: "Create quote" }));
    expect(
      await section.findByText(
        "The quote was not made: the deal has no lines yet, and a quote lists them. Add them above, then try again.",
      ),
    ).toBeTruthy();
    server.catalogue.dealLines[alpha().id] = alphaLines();
    fireEvent.click(section.getByRole("button", { name: "Try again" }));
    expect(await section.findByText("Quote 1 made.")).toBeTruthy();
  });
});

describe("a deal's quotes in another language", () => {
  it("says in Swedish that the deal needs lines, not that what was entered is invalid", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    renderWebApp(server, `/app/deals/${alpha().id}`, { language: "sv" });
    const section = within((await screen.findByRole("region", { name: "Offerter" })) as HTMLElement);
    fireEvent.click(await section.findByRole("button", { name: "Skapa offert" }));
    expect(
      await section.findByText(
        "Offerten skapades inte: affären har inga rader än, och en offert listar dem. Lägg till dem ovan och försök sedan igen.",
      ),
    ).toBeTruthy();
    expect(section.queryByText(/En del av det du angav/)).toBeNull();
    expect(section.queryByText(/deal\.lines/)).toBeNull();
  });
});

describe("a quote before the template is set", () => {
  it("tells the rep that quotes do not show the company yet, until an admin sets it", async () => {
    const server = fakeWebServer({ deals: [alpha()] });
    server.catalogue.dealLines[alpha().id] = alphaLines();
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const section = await quotesSection();
    const hint =
      "Quotes do not show your company yet: an admin sets its name, address and terms in Settings › Quotes.";
    expect(await section.findByText(hint)).toBeTruthy();
    cleanup();
    server.quotes.template = { ...server.quotes.template, companyName: "Rapport Øst AS", version: 1 };
    renderWebApp(server, `/app/deals/${alpha().id}`);
    const again = await quotesSection();
    expect(
      await again.findByText("No quotes yet. A quote lists the deal's lines: add them first."),
    ).toBeTruthy();
    await waitFor(() => expect(server.received("getQuoteTemplate").length).toBeGreaterThan(1));
    expect(again.queryByText(hint)).toBeNull();
  });
});

describe("the quote template in the settings", () => {
  async function templateForm() {
    return within((await screen.findByRole("form", { name: "Quote template" })) as HTMLElement);
  }

  it("saves our details, the validity, the language and the terms per language with the version read", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const form = await templateForm();
    fireEvent.change(form.getByRole("textbox", { name: "Company name" }), {
      target: { value: "Rapport Øst AS" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Address" }), {
      target: { value: "Storgata 1\n0155 Oslo" },
    });
    fireEvent.change(form.getByRole("spinbutton", { name: "Valid for (days)" }), { target: { value: "14" } });
    fireEvent.change(form.getByRole("combobox", { name: "Organisation's quote language" }), {
      target: { value: "nb" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Terms in Norsk bokmål" }), {
      target: { value: "Betaling innen 14 dager." },
    });
    fireEvent.click(form.getByRole("button", { name: "Save quote template" }));
    await waitFor(() => expect(server.received("updateQuoteTemplate")).toHaveLength(1));
    expect(server.received("updateQuoteTemplate")[0]).toEqual({
      body: {
        companyName: "Rapport Øst AS",
        address: "Storgata 1\n0155 Oslo",
        vatNumber: "",
        contact: "",
        validityDays: 14,
        language: "nb",
        terms: { nb: "Betaling innen 14 dager." },
        version: 0,
      },
    });
    expect(await form.findByText("Saved.")).toBeTruthy();
  });

  it("uploads a PNG logo, and refuses another kind of file before sending it", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    await templateForm();
    const input = (await screen.findByLabelText("Upload logo")) as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(["GIF89a"], "logo.gif", { type: "image/gif" })] } });
    expect(await screen.findByText("Choose a PNG or JPEG picture.")).toBeTruthy();
    expect(server.received("setQuoteLogo")).toEqual([]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    fireEvent.change(input, { target: { files: [new File([png], "logo.png", { type: "image/png" })] } });
    await waitFor(() =>
      expect(server.received("setQuoteLogo")).toEqual([{ body: { content: "iVBORw0KGgo=" } }]),
    );
    expect(await screen.findByText("A PNG logo of 1 KB.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove logo" }));
    expect(await screen.findByText("No logo.")).toBeTruthy();
  });

  it("keeps what the admin typed when they upload a logo before saving, and saves it", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const form = await templateForm();
    fireEvent.change(form.getByRole("textbox", { name: "Company name" }), {
      target: { value: "Rapport Øst AS" },
    });
    fireEvent.change(form.getByRole("textbox", { name: "Terms in English" }), {
      target: { value: "Payment within 30 days." },
    });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    fireEvent.change(await screen.findByLabelText("Upload logo"), {
      target: { files: [new File([png], "logo.png", { type: "image/png" })] },
    });
    expect(await screen.findByText("A PNG logo of 1 KB.")).toBeTruthy();
    expect((form.getByRole("textbox", { name: "Company name" }) as HTMLInputElement).value).toBe(
      "Rapport Øst AS",
    );
    expect((form.getByRole("textbox", { name: "Terms in English" }) as HTMLTextAreaElement).value).toBe(
      "Payment within 30 days.",
    );
    fireEvent.click(form.getByRole("button", { name: "Save quote template" }));
    expect(await form.findByText("Saved.")).toBeTruthy();
    // Sent with the version the logo's upload made, so it is not refused as a change made meanwhile.
    expect(server.received("updateQuoteTemplate")).toEqual([
      {
        body: expect.objectContaining({
          companyName: "Rapport Øst AS",
          terms: { en: "Payment within 30 days." },
          version: 1,
        }),
      },
    ]);
    expect(server.quotes.template.companyName).toBe("Rapport Øst AS");
  });

  it("shows a member how long quotes hold, without the form", async () => {
    const server = fakeWebServer({ role: "member" });
    server.quotes.template = { ...server.quotes.template, validityDays: 21 };
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText("An admin sets what quotes show. Valid for 21 days.")).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Quote template" })).toBeNull();
  });
});
