/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { invoiceOf, overdueAccount } from "../helpers/account-fixtures";
import { company, fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

const fabrikam = company({ id: "7c000000-0000-4000-8000-000000000400", name: "Fabrikam AB" });

/** Intl writes no-break and narrow no-break spaces in amounts; the tests read them as plain spaces. */
const plain = (text: string | null | undefined) => (text ?? "").replace(/\s/g, " ");
const rows = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole("cell")
        .map((c) => plain(c.textContent)),
    );
const section = (name: string) => screen.findByRole("region", { name });

/** Sixty invoices a month apart, newest first: more than a page. */
function manyInvoices() {
  return Array.from({ length: 60 }, (_, i) => {
    const month = 60 - i;
    const year = 2021 + Math.floor((month - 1) / 12);
    const day = `${year}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-05`;
    return invoiceOf({
      n: 100 + i,
      companyId: fabrikam.id,
      number: `F-${String(month).padStart(3, "0")}`,
      issueDate: day,
      dueDate: day,
      amount: "1000.00",
      currency: "SEK",
      status: "paid",
    });
  });
}

describe("a company's purchases and payments in the web app", () => {
  it("flags the overdue invoices and shows the open balance per currency, how often they buy and the last purchases", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    server.companyAccounts[fabrikam.id] = overdueAccount(fabrikam.id);
    renderWebApp(server, `/app/companies/${fabrikam.id}`, { timeZone: "Europe/Stockholm" });
    const account = await section("Purchases and payments");
    const flag = await within(account).findByText(/invoices overdue/);
    expect(plain(flag.textContent)).toBe("2 invoices overdue: SEK 14,500, oldest 23 days");
    const balances = within(account)
      .getAllByRole("listitem")
      .map((li) => plain(li.textContent));
    // Each currency apart, never one sum.
    expect(balances).toEqual(["EUR 2,200.50 (1 invoice)", "SEK 26,500 (3 invoices)"]);
    expect(within(account).getByText("About every 31 days")).toBeTruthy();
    expect(within(account).getByText("Invoices in the last two years: 5")).toBeTruthy();
    expect(rows(within(account).getByRole("table", { name: "Last purchases" }))).toEqual([
      ["F-1005", "Nov 10, 2026", "SEK 12,000", "Open"],
      ["F-1004", "Oct 12, 2026", "SEK 5,500", "Overdue"],
      ["F-1003", "Sep 28, 2026", "SEK 9,000", "Overdue"],
      ["EU-77", "Sep 1, 2026", "EUR 3,200.50", "Open"],
      ["F-1001", "Aug 3, 2026", "SEK 8,000", "Paid"],
    ]);
    // Overdue counted against the reader's today.
    expect(server.received("getCompanyAccount")[0]).toEqual({
      params: { id: fabrikam.id },
      query: { timeZone: "Europe/Stockholm" },
    });
  });

  it("lists the company's invoices with what was paid and what is left, a page at a time", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    const account = overdueAccount(fabrikam.id);
    server.companyAccounts[fabrikam.id] = account;
    server.invoices[fabrikam.id] = account.lastPurchases;
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const invoices = await section("Invoices");
    const table = await within(invoices).findByRole("table", { name: "Invoices" });
    await waitFor(() => expect(rows(table)[1]?.[6]).toBe("Overdue"));
    expect(rows(table)).toEqual([
      ["F-1005", "Nov 10, 2026", "Dec 10, 2026", "SEK 12,000", "SEK 0", "SEK 12,000", "Open"],
      ["F-1004", "Oct 12, 2026", "Nov 11, 2026", "SEK 5,500", "SEK 0", "SEK 5,500", "Overdue"],
      ["F-1003", "Sep 28, 2026", "Oct 28, 2026", "SEK 9,000", "SEK 0", "SEK 9,000", "Overdue"],
      ["EU-77", "Sep 1, 2026", "Dec 1, 2026", "EUR 3,200.50", "EUR 1,000", "EUR 2,200.50", "Open"],
      ["F-1001", "Aug 3, 2026", "Sep 2, 2026", "SEK 8,000", "SEK 8,000", "SEK 0", "Paid"],
    ]);
    expect(within(invoices).queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("reads more invoices with the server's cursor", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    server.invoices[fabrikam.id] = manyInvoices();
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const invoices = await section("Invoices");
    await within(invoices).findByRole("table", { name: "Invoices" });
    // Read straight from the table's body: 60 rows through the accessibility tree are slow in jsdom.
    const numbers = () =>
      [...invoices.querySelectorAll("tbody tr")].map((r) => r.querySelector("td")?.textContent);
    expect(numbers()).toHaveLength(50);
    expect(numbers()[0]).toBe("F-060");
    fireEvent.click(within(invoices).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(numbers()).toHaveLength(60));
    expect(numbers().at(-1)).toBe("F-001");
    const asked = server.received("listCompanyInvoices").map((c) => c.query);
    expect(asked).toEqual([{ limit: 50 }, { limit: 50, cursor: expect.any(String) }]);
    expect(within(invoices).queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("says so when the accounting system has sent nothing for the company", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const account = await section("Purchases and payments");
    const none = "No invoices yet: the accounting system has sent none for this company.";
    expect(await within(account).findByText(none)).toBeTruthy();
    expect(await within(await section("Invoices")).findByText(none)).toBeTruthy();
    expect(screen.queryByText(/overdue/)).toBeNull();
  });

  it("shows a failed account in its own section, with a retry, and the rest of the page as ever", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    server.companyAccounts[fabrikam.id] = problem(403, "forbidden", "Not for you.");
    renderWebApp(server, `/app/companies/${fabrikam.id}`);
    const account = await section("Purchases and payments");
    expect(await within(account).findByText(/The account could not be loaded/)).toBeTruthy();
    expect(await screen.findByRole("form", { name: "Edit Fabrikam AB" })).toBeTruthy();

    server.companyAccounts[fabrikam.id] = overdueAccount(fabrikam.id);
    fireEvent.click(within(account).getByRole("button", { name: "Try again" }));
    const flag = await within(account).findByText(/invoices overdue/);
    expect(plain(flag.textContent)).toBe("2 invoices overdue: SEK 14,500, oldest 23 days");
  });

  it("speaks the reader's language, with its plurals and number formats", async () => {
    const server = fakeWebServer({ companies: [fabrikam] });
    server.companyAccounts[fabrikam.id] = overdueAccount(fabrikam.id);
    renderWebApp(server, `/app/companies/${fabrikam.id}`, { language: "hr" });
    const account = await section("Kupnje i plaćanja");
    const flag = await within(account).findByText(/u kašnjenju/);
    expect(plain(flag.textContent)).toBe("2 računa u kašnjenju: SEK 14.500, najstariji 23 dana");
    const balances = within(account)
      .getAllByRole("listitem")
      .map((li) => plain(li.textContent));
    expect(balances).toEqual(["EUR 2.200,50 (1 račun)", "SEK 26.500 (3 računa)"]);
  });
});
