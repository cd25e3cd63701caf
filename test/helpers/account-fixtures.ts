import { CompanyAccount, Invoice, type InvoiceStatus } from "../../src/shared/invoices";

// A company's invoices and account as the server answers them (parsed with the contract), for the pane's and the
// web app's tests of the purchase and payment history.

const at = "2026-11-20T09:30:00.000Z";

/** An invoice as GET /companies/:id/invoices and the account's last purchases give it. */
export function invoiceOf(fields: {
  n: number;
  companyId: string;
  number: string;
  issueDate: string;
  dueDate: string;
  amount: string;
  currency: string;
  status?: InvoiceStatus;
  paid?: string;
  /** amount − paid, for an open invoice part paid. */
  balance?: string;
}): Invoice {
  const status = fields.status ?? "open";
  const paid = fields.paid ?? (status === "paid" ? fields.amount : "0.00");
  // What is left, written out by the test where something was paid (no arithmetic on money here).
  const balance = status === "open" ? (fields.balance ?? fields.amount) : "0.00";
  return Invoice.parse({
    id: `7a000000-0000-4000-8000-${String(fields.n).padStart(12, "0")}`,
    externalId: `ext-${fields.number}`,
    number: fields.number,
    companyId: fields.companyId,
    dealId: null,
    issueDate: fields.issueDate,
    dueDate: fields.dueDate,
    amount: fields.amount,
    currency: fields.currency,
    status,
    paid,
    balance,
    createdAt: at,
    updatedAt: at,
  });
}

/**
 * Fabrikam's account on 2026-11-20: two SEK invoices overdue (9,000 and 5,500, the older 23 days), one SEK
 * invoice open and not yet due, a EUR invoice part paid, and a purchase about every 30 days.
 */
export function overdueAccount(companyId: string): CompanyAccount {
  const lastPurchases = [
    invoiceOf({
      n: 5,
      companyId,
      number: "F-1005",
      issueDate: "2026-11-10",
      dueDate: "2026-12-10",
      amount: "12000.00",
      currency: "SEK",
    }),
    invoiceOf({
      n: 4,
      companyId,
      number: "F-1004",
      issueDate: "2026-10-12",
      dueDate: "2026-11-11",
      amount: "5500.00",
      currency: "SEK",
    }),
    invoiceOf({
      n: 3,
      companyId,
      number: "F-1003",
      issueDate: "2026-09-28",
      dueDate: "2026-10-28",
      amount: "9000.00",
      currency: "SEK",
    }),
    invoiceOf({
      n: 2,
      companyId,
      number: "EU-77",
      issueDate: "2026-09-01",
      dueDate: "2026-12-01",
      amount: "3200.50",
      currency: "EUR",
      paid: "1000.00",
      balance: "2200.50",
    }),
    invoiceOf({
      n: 1,
      companyId,
      number: "F-1001",
      issueDate: "2026-08-03",
      dueDate: "2026-09-02",
      amount: "8000.00",
      currency: "SEK",
      status: "paid",
    }),
  ];
  return CompanyAccount.parse({
    companyId,
    today: "2026-11-20",
    timeZone: "UTC",
    openBalances: [
      { currency: "EUR", invoices: 1, balance: "2200.50" },
      { currency: "SEK", invoices: 3, balance: "26500.00" },
    ],
    overdue: {
      invoices: 2,
      amounts: [{ currency: "SEK", invoices: 2, balance: "14500.00" }],
      oldestDaysOverdue: 23,
    },
    lastPurchases,
    purchaseFrequency: {
      since: "2024-11-20",
      invoices: 5,
      medianDaysBetween: 30.5,
      lastPurchaseDate: "2026-11-10",
    },
  });
}

/** A company the accounting system has sent nothing about. */
export function emptyAccount(companyId: string): CompanyAccount {
  return CompanyAccount.parse({
    companyId,
    today: "2026-11-20",
    timeZone: "UTC",
    openBalances: [],
    overdue: { invoices: 0, amounts: [], oldestDaysOverdue: null },
    lastPurchases: [],
    purchaseFrequency: { since: "2024-11-20", invoices: 0, medianDaysBetween: null, lastPurchaseDate: null },
  });
}
