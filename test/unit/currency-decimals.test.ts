import { currencyDecimals, withCurrencyDecimals } from "../../src/shared/currencies";
import { InvoiceInput, PaymentInput } from "../../src/shared/invoices";

describe("an amount with its currency's decimals", () => {
  it("knows each currency's minor unit", () => {
    expect(["EUR", "SEK", "JPY", "ISK", "KWD", "CLF"].map(currencyDecimals)).toEqual([2, 2, 0, 0, 3, 4]);
  });

  it("writes an amount with exactly the currency's decimals, never through a float", () => {
    expect(withCurrencyDecimals("12.5", "EUR")).toBe("12.50");
    expect(withCurrencyDecimals("14500.0000", "SEK")).toBe("14500.00");
    expect(withCurrencyDecimals("120000.0000", "JPY")).toBe("120000");
    expect(withCurrencyDecimals("1.2500", "KWD")).toBe("1.250");
    expect(withCurrencyDecimals("0007.1", "EUR")).toBe("7.10");
    expect(withCurrencyDecimals("-772.0000", "EUR")).toBe("-772.00");
    expect(withCurrencyDecimals("-0.0000", "EUR")).toBe("0.00");
    // 2^53 + 1 cents: a float would lose the last cent.
    expect(withCurrencyDecimals("90071992547409.93", "EUR")).toBe("90071992547409.93");
  });

  const invoice = {
    externalId: "x",
    number: "1",
    companyId: "00000000-0000-4000-8000-000000000000",
    issueDate: "2026-11-01",
    dueDate: "2026-11-30",
    status: "open",
  };
  const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    result.error?.issues.map((i) => i.path.join(".")) ?? [];

  it("refuses more decimals than the currency has, and a negative invoice or an empty payment", () => {
    expect(InvoiceInput.safeParse({ ...invoice, amount: "10.00", currency: "eur" }).data?.currency).toBe(
      "EUR",
    );
    expect(pathsOf(InvoiceInput.safeParse({ ...invoice, amount: "10.001", currency: "EUR" }))).toEqual([
      "amount",
    ]);
    expect(pathsOf(InvoiceInput.safeParse({ ...invoice, amount: "10.001", currency: "KWD" }))).toEqual([]);
    expect(pathsOf(InvoiceInput.safeParse({ ...invoice, amount: "10.5", currency: "JPY" }))).toEqual([
      "amount",
    ]);
    expect(pathsOf(InvoiceInput.safeParse({ ...invoice, amount: "-1", currency: "EUR" }))).toEqual([
      "amount",
    ]);
    expect(pathsOf(InvoiceInput.safeParse({ ...invoice, amount: "1", currency: "ABC" }))).toEqual([
      "currency",
    ]);
    const payment = { externalId: "p", invoiceExternalId: "x", paidOn: "2026-11-02", currency: "EUR" };
    expect(pathsOf(PaymentInput.safeParse({ ...payment, amount: "0.00" }))).toEqual(["amount"]);
    expect(pathsOf(PaymentInput.safeParse({ ...payment, amount: "0.01" }))).toEqual([]);
  });
});
