/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, within } from "@testing-library/react";
import { Company } from "../../src/shared/companies";
import { emptyAccount, overdueAccount } from "../helpers/account-fixtures";
import { closePanes, now, problem, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const fabrikam = Company.parse({
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a20",
  name: "Fabrikam AB",
  domain: "fabrikam.example",
  phone: null,
  website: null,
  address: null,
  ownerId: null,
  customFields: {},
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/** Intl writes no-break and narrow no-break spaces in amounts; the tests read them as plain spaces. */
const plain = (text: string | null | undefined) => (text ?? "").replace(/\s/g, " ");

async function openAnna(pane: ReturnType<typeof setup>) {
  act(() => pane.mailbox.select("known"));
  await screen.findByText("Anna Berg");
}

describe("the sender's company's invoices in the pane", () => {
  it("flags the overdue invoices of the sender's company, with the open balance per currency and how often it buys", async () => {
    const pane = setup({ annaCompany: fabrikam, accounts: { [fabrikam.id]: overdueAccount(fabrikam.id) } });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Fabrikam AB: invoices" });
    const flag = await within(section).findByText(/invoices overdue/);
    expect(plain(flag.textContent)).toBe("2 invoices overdue: SEK 14,500, oldest 23 days");
    const lines = [...section.querySelectorAll(".fui-Caption1")].map((line) => plain(line.textContent));
    expect(lines).toEqual([
      // Never one sum: each currency's balance on its own, the cents kept where there are some.
      "Open balance: €2,200.50 · SEK 26,500",
      "Last purchase Nov 10, 2026: SEK 12,000",
      "Buys about every 31 days",
      "Invoices in the last two years: 5",
    ]);
    // The rep's own today decides what is overdue.
    expect(pane.server.received("getCompanyAccount")).toEqual([
      { params: { id: fabrikam.id }, query: { timeZone: expect.any(String) } },
    ]);
    // The rest of the profile is there as ever.
    expect(screen.getByText("Fabrikam renewal")).toBeTruthy();
  });

  it("writes the amounts and the plural in the pane's language", async () => {
    const pane = setup({
      language: "sv-SE",
      annaCompany: fabrikam,
      accounts: { [fabrikam.id]: overdueAccount(fabrikam.id) },
    });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Fabrikam AB: fakturor" });
    const flag = await within(section).findByText(/fakturor förfallna/);
    expect(plain(flag.textContent)).toBe("2 fakturor förfallna: 14 500 kr, äldsta 23 dagar");
    expect(within(section).getByText(/^Öppet saldo/).textContent).toMatch(
      /2[\s]200,50[\s]€ · 26[\s]500[\s]kr/,
    );
  });

  it("says quietly that there are no invoices for a company the accounting system has sent nothing about", async () => {
    const pane = setup({ annaCompany: fabrikam, accounts: { [fabrikam.id]: emptyAccount(fabrikam.id) } });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Fabrikam AB: invoices" });
    expect(await within(section).findByText("No invoices yet")).toBeTruthy();
    expect(within(section).queryByText(/overdue/)).toBeNull();
  });

  it("never asks for an account when the sender has no company", async () => {
    const pane = setup({ accounts: { [fabrikam.id]: overdueAccount(fabrikam.id) } });
    await openAnna(pane);
    await screen.findByText("Fabrikam renewal");
    // Give the deferred parts their chance to load and ask.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.queryByRole("region", { name: /invoices/ })).toBeNull();
    expect(pane.calls.filter((c) => c.name === "getCompanyAccount")).toEqual([]);
  });

  it("shows a failure inside the section with a retry, and the profile stays whole", async () => {
    const accounts: Parameters<typeof setup>[0] = {
      accounts: { [fabrikam.id]: problem(403, "forbidden", "Not allowed to read the account.") },
    };
    const pane = setup({ annaCompany: fabrikam, ...accounts });
    await openAnna(pane);
    const section = await screen.findByRole("region", { name: "Fabrikam AB: invoices" });
    expect(await within(section).findByText(/Something went wrong/)).toBeTruthy();
    expect(screen.getByText("Fabrikam renewal")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Log this email" })).toBeTruthy();

    // Put right on the server: the retry shows the account.
    if (accounts.accounts) accounts.accounts[fabrikam.id] = overdueAccount(fabrikam.id);
    fireEvent.click(within(section).getByRole("button", { name: "Try again" }));
    const flag = await within(section).findByText(/invoices overdue/);
    expect(plain(flag.textContent)).toBe("2 invoices overdue: SEK 14,500, oldest 23 days");
    expect(within(section).queryByText(/Something went wrong/)).toBeNull();
  });
});
