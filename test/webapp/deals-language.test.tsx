/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from "@testing-library/react";
import type { Language } from "../../src/shared/languages";
import { WebAppProviders, createQueryClient } from "../../src/webapp/WebApp";
import { CurrencySettings } from "../../src/webapp/pages/settings/CurrencySettings";
import { WebAppServicesProvider } from "../../src/webapp/services";
import { type FakeWebServer, deal, fakeWebServer, renderWebApp, stageIds } from "../helpers/webapp-fixtures";

const alpha = deal({ id: "7f000000-0000-4000-8000-000000000001", name: "Alpha deal", stage: "prospecting" });
// Won, and without a currency: its amount says so.
const beta = {
  ...deal({ id: "7f000000-0000-4000-8000-000000000002", name: "Beta deal", stage: "won" }),
  currency: null,
};

/** The currencies section alone (the settings page around it is another area's), as an admin sees it. */
function renderCurrencies(server: FakeWebServer, language: Language) {
  render(
    <WebAppProviders queryClient={createQueryClient()} language={language}>
      <WebAppServicesProvider
        services={{
          api: server.api,
          files: server.files,
          progress: jest.fn(),
          signOut: jest.fn(),
          timeZone: "UTC",
        }}
      >
        <CurrencySettings admin />
      </WebAppServicesProvider>
    </WebAppProviders>,
  );
}

describe("the deals and the currencies in the user's language", () => {
  beforeEach(() => window.localStorage.clear());

  it("lists deals in Swedish: the title, filters, columns, statuses, an amount without a currency, the count", async () => {
    renderWebApp(fakeWebServer({ deals: [alpha, beta] }), "/app/deals", { language: "sv" });
    const grid = await screen.findByRole("grid", { name: "Affärer" });
    expect(within(grid).getByRole("link", { name: "Alpha deal" })).toBeTruthy();
    for (const header of ["Namn", "Belopp", "Steg", "Status", "Väntat avslut", "Ägare"])
      expect(within(grid).getByText(header)).toBeTruthy();
    expect(within(grid).getByText("Öppen")).toBeTruthy();
    expect(within(grid).getByText("Vunnen")).toBeTruthy();
    expect(within(grid).getByText(/^1\s000 \(ingen valuta\)$/)).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Alla affärer" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ny affär" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Pipeline" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Status" }).textContent).toBe("Öppna, vunna och förlorade");
    expect(screen.getByText("2 affärer")).toBeTruthy();
    // "Won" is also the won stage's name here, which the admin chose: data, never translated.
    for (const english of ["New deal", "All deals", "Amount", "Expected close", "Open", "2 deals"])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByText(/no currency/)).toBeNull();
  });

  it("shows a deal in Croatian: its stage move, its fields and the currency list", async () => {
    renderWebApp(fakeWebServer({ deals: [alpha] }), `/app/deals/${alpha.id}`, { language: "hr" });
    const form = await screen.findByRole("form", { name: "Uredi: Alpha deal" });
    expect(screen.getByRole("link", { name: "Svi poslovi" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Faza" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Pojedinosti" })).toBeTruthy();
    expect(within(form).getByRole("textbox", { name: /Naziv/ })).toBeTruthy();
    expect(within(form).getByRole("spinbutton", { name: "Iznos" })).toBeTruthy();

    const currency = within(form).getByRole("combobox", { name: "Valuta" });
    fireEvent.click(currency);
    const list = within(screen.getByRole("listbox"));
    expect(list.getByText("Uobičajene valute")).toBeTruthy();
    expect(list.getByText("Sve valute")).toBeTruthy();
    expect(list.getByRole("option", { name: "Nije postavljeno" })).toBeTruthy();
    fireEvent.click(currency);

    const stage = await screen.findByRole("combobox", { name: "Faza u prodajnom lijevku Sales" });
    fireEvent.change(stage, { target: { value: stageIds.proposal } });
    expect(await screen.findByText("Premješteno u fazu Proposal.")).toBeTruthy();
    for (const english of ["All deals", "Stage", "Details", "Amount", "Common currencies", "Not set"])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByText(/^Moved to/)).toBeNull();
  });

  it("shows the currencies and exchange rates in Swedish, and a typed rate's problem in Swedish", async () => {
    renderCurrencies(fakeWebServer(), "sv");
    const section = await screen.findByRole("region", { name: "Valutor och växelkurser" });
    expect(
      await within(section).findByText(
        "Ingen kurs mot EUR för USD (1 affär): rapporterna visar de beloppen var för sig tills en kurs anges.",
      ),
    ).toBeTruthy();
    expect(within(section).getByRole("combobox", { name: "Basvaluta" })).toBeTruthy();
    expect(within(section).getByRole("button", { name: "Spara basvaluta" })).toBeTruthy();
    const table = within(section).getByRole("table", { name: "Växelkurser mot EUR" });
    expect(within(table).getByText("1 enhet i EUR")).toBeTruthy();
    expect(within(table).getByText(/ av Bo Admin$/)).toBeTruthy();
    expect(within(table).getByRole("textbox", { name: "Kursen för DKK i EUR" })).toBeTruthy();
    expect(within(table).getByRole("button", { name: "Ta bort kursen för DKK" })).toBeTruthy();

    const form = within(section).getByRole("form", { name: "Ny växelkurs" });
    fireEvent.change(within(form).getByRole("combobox", { name: "Valuta" }), { target: { value: "USD" } });
    fireEvent.change(within(form).getByRole("textbox", { name: /^1 USD i EUR/ }), {
      target: { value: "1.234,5" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Ange kurs" }));
    expect(
      await within(form).findByText(
        "Använd ett enda decimaltecken, komma eller punkt, och inga tusentalsavgränsare: 1234,5 eller 1234.5.",
      ),
    ).toBeTruthy();
    for (const english of ["Base currency", "Set rate", "Save rate", "Actions", "1 unit in EUR"])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByText(/Use one decimal separator/)).toBeNull();
  });

  it("asks in Croatian before a new base currency removes the rates, counting them in Croatian", async () => {
    renderCurrencies(fakeWebServer(), "hr");
    const section = await screen.findByRole("region", { name: "Valute i tečajevi" });
    const base = await within(section).findByRole("combobox", { name: "Osnovna valuta" });
    fireEvent.change(base, { target: { value: "SEK" } });
    fireEvent.click(within(section).getByRole("button", { name: "Spremi osnovnu valutu" }));
    expect(await screen.findByText("Postaviti SEK kao osnovnu valutu?")).toBeTruthy();
    expect(screen.getByText(/^1 tečaj se odnosi na valutu EUR pa će biti uklonjen;/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Postavi SEK kao osnovnu" })).toBeTruthy();
    expect(screen.queryByText(/exchange rate/)).toBeNull();
  });
});
