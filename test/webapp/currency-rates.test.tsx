/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from "@testing-library/react";
import { parseTypedRate } from "../../src/shared/currencies";
import { WebAppProviders, createQueryClient } from "../../src/webapp/WebApp";
import { CurrencySettings } from "../../src/webapp/pages/settings/CurrencySettings";
import { WebAppServicesProvider } from "../../src/webapp/services";
import { type FakeWebServer, fakeWebServer } from "../helpers/webapp-fixtures";

// The rate forms alone, not the whole settings page (test/webapp/settings.test.tsx covers the page): a rate is
// typed as people write decimals, with a comma or a dot, and reaches the API as exact text with a dot.

function renderRates(server: FakeWebServer) {
  render(
    <WebAppProviders queryClient={createQueryClient()}>
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

const newRate = () => screen.findByRole("form", { name: "New exchange rate" });

async function typeNewRate(currency: string, typed: string) {
  const form = await newRate();
  fireEvent.change(within(form).getByRole("combobox", { name: "Currency" }), { target: { value: currency } });
  fireEvent.change(within(form).getByRole("textbox", { name: /in EUR/ }), { target: { value: typed } });
  fireEvent.click(within(form).getByRole("button", { name: "Set rate" }));
  return form;
}

describe("an exchange rate as typed", () => {
  it("reads one decimal separator, a comma or a dot, into exact text with a dot", () => {
    expect(parseTypedRate("11,47")).toEqual({ rate: "11.47" });
    expect(parseTypedRate(" 11.47 ")).toEqual({ rate: "11.47" });
    expect(parseTypedRate("0,0000573")).toEqual({ rate: "0.0000573" });
    expect(parseTypedRate("12")).toEqual({ rate: "12" });
    // Never through a float: every digit stays.
    expect(parseTypedRate("9999999999,9999999999")).toEqual({ rate: "9999999999.9999999999" });
  });

  it("refuses two separators, thousands separators, signs and anything else, saying why (as a code)", () => {
    const problem = (typed: string) => {
      const read = parseTypedRate(typed);
      return "problem" in read ? read.problem : null;
    };
    for (const typed of ["1.234,5", "1,234.5", "1,234,567", "1.234.567", "11,47,1"])
      expect([typed, problem(typed)]).toEqual([typed, "separators"]);
    for (const typed of ["1 234", "1'234", "-0,5", "+1", "1e-2", "abc", "11,", ",5", "0x10"])
      expect([typed, problem(typed)]).toEqual([typed, "notDigits"]);
    expect(problem("0,000")).toBe("notAboveZero");
    expect(problem("0,12345678901")).toBe("tooLong");
    expect(problem("   ")).toBe("empty");
  });
});

describe("the exchange rate forms", () => {
  it("sets a rate typed with a decimal comma, or a dot, sending it with a dot", async () => {
    const server = fakeWebServer();
    renderRates(server);
    await typeNewRate("USD", "0,92");
    expect(await screen.findByText("Rate set.")).toBeTruthy();
    await typeNewRate("SEK", "0.087");
    expect(await screen.findByLabelText("Rate of SEK in EUR")).toBeTruthy();
    expect(server.received("setExchangeRate")).toEqual([
      { body: { currency: "USD", rate: "0.92", baseCurrency: "EUR" } },
      { body: { currency: "SEK", rate: "0.087", baseCurrency: "EUR" } },
    ]);
  });

  it("says why a rate with thousands separators or two separators is not taken, and sends nothing", async () => {
    const server = fakeWebServer();
    renderRates(server);
    for (const typed of ["1.234,5", "1,234.5", "11,47,1"]) {
      const form = await typeNewRate("USD", typed);
      expect(
        await within(form).findByText(
          "Use one decimal separator, a comma or a dot, and no thousands separators: 1234.5 or 1234,5.",
        ),
      ).toBeTruthy();
    }
    const form = await typeNewRate("USD", "1 234");
    expect(await within(form).findByText(/^Enter the rate in digits/)).toBeTruthy();
    // Typing again takes the message away until the rate is checked again.
    fireEvent.change(within(form).getByRole("textbox", { name: /in EUR/ }), { target: { value: "1,2" } });
    expect(within(form).queryByText(/^Enter the rate in digits/)).toBeNull();
    expect(server.received("setExchangeRate")).toEqual([]);
  });

  it("saves a rate's new value typed with a comma; a malformed one is explained when the box is left", async () => {
    const server = fakeWebServer();
    renderRates(server);
    const rate = await screen.findByLabelText("Rate of DKK in EUR");
    fireEvent.change(rate, { target: { value: "0,1,35" } });
    fireEvent.blur(rate);
    expect(await screen.findByText(/^Use one decimal separator/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save rate" }));
    expect(server.received("setExchangeRate")).toEqual([]);
    fireEvent.change(rate, { target: { value: "0,135" } });
    fireEvent.click(screen.getByRole("button", { name: "Save rate" }));
    expect(await screen.findByText("Saved.")).toBeTruthy();
    expect(server.received("setExchangeRate")).toEqual([
      { body: { currency: "DKK", rate: "0.135", baseCurrency: "EUR" } },
    ]);
  });
});
