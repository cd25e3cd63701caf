import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { Page } from "../../src/shared/common";
import {
  ACCOUNTING_XLSX_MAX_BYTES,
  ACCOUNTING_XLSX_MAX_UNPACKED_BYTES,
  AccountingBatchResult,
  CompanyAccount,
  Invoice,
} from "../../src/shared/invoices";
import { OpenBalances } from "../../src/shared/reports";
import { Me } from "../../src/shared/routes";
import { parseCsv } from "../helpers/rfc4180";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * The accounting system's invoices and payments, written by an admin's token as an integration would, and read
 * back as a company's account. The clock is fixed: 2026-12-06 23:30 UTC, which is already 2026-12-07 in
 * Stockholm (UTC+1) and still 2026-12-06 in UTC, so "today" and every day count below are worked out by hand.
 */
const NOW = new Date("2026-12-06T23:30:00Z");

const invoice = (companyId: string, externalId: string, fields: Record<string, unknown> = {}) => ({
  externalId,
  number: `INV-${externalId}`,
  companyId,
  issueDate: "2026-10-01",
  dueDate: "2026-10-31",
  amount: "1000.00",
  currency: "EUR",
  status: "open",
  ...fields,
});

const payment = (invoiceExternalId: string, externalId: string, fields: Record<string, unknown> = {}) => ({
  externalId,
  invoiceExternalId,
  paidOn: "2026-11-01",
  amount: "100.00",
  currency: "EUR",
  ...fields,
});

/** The zip with one more part, deflated: `size` spaces, which pack to about a thousandth of that. */
function withPart(zip: Buffer, name: string, size: number): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  const directoryStart = zip.readUInt32LE(end + 16);
  const content = Buffer.alloc(size, 0x20);
  const packed = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(directoryStart, 42);
  const added = local.length + nameBytes.length + packed.length;
  const directory = zip.subarray(directoryStart, end);
  const record = Buffer.from(zip.subarray(end, end + 22));
  record.writeUInt16LE(count + 1, 8);
  record.writeUInt16LE(count + 1, 10);
  record.writeUInt32LE(directory.length + central.length + nameBytes.length, 12);
  record.writeUInt32LE(directoryStart + added, 16);
  return Buffer.concat([
    zip.subarray(0, directoryStart),
    local,
    nameBytes,
    packed,
    directory,
    central,
    nameBytes,
    record,
  ]);
}

describe.each(storeKinds)("invoices and payments (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let eve: string;

  const send = (body: unknown, token = admin) =>
    server.request<Record<string, unknown>>("POST", "/api/v1/accounting/batch", { token, body });
  const upsert = async (body: unknown, token = admin) => {
    const response = await send(body, token);
    expect([response.status, response.body]).toEqual([200, expect.anything()]);
    return parse(AccountingBatchResult, response);
  };
  const account = async (companyId: string, query = "", token = member) => {
    const response = await server.request("GET", `/api/v1/companies/${companyId}/account${query}`, { token });
    expect(response.status).toBe(200);
    return parse(CompanyAccount, response);
  };
  const newCompany = async (name: string, token = admin) => {
    const response = await server.request<{ id: string }>("POST", "/api/v1/companies", {
      token,
      body: { name },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  /** Every invoice and payment of the store, in an order that does not depend on the insert. */
  const stored = async () => {
    const { db } = server.database;
    const invoices = await db
      .selectFrom("invoices")
      .select(["external_id", "status", "updated_at", sql<string>`amount::text`.as("amount")])
      .orderBy("external_id")
      .execute();
    const payments = await db
      .selectFrom("payments")
      .select(["external_id", "invoice_id", "updated_at", sql<string>`amount::text`.as("amount")])
      .orderBy("external_id")
      .execute();
    return { invoices, payments };
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => NOW });
    admin = await server.token("ada@contoso.example");
    member = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    // The first of an organisation to sign in is its admin.
    expect(parse(Me, await server.request("GET", "/api/v1/me", { token: admin })).user.role).toBe("admin");
    expect(parse(Me, await server.request("GET", "/api/v1/me", { token: member })).user.role).toBe("member");
  });
  afterAll(() => server.close());

  it("keeps a payment off an invoice whose currency another batch is changing at that moment", async () => {
    const company = await newCompany("Race AB");
    await upsert({ invoices: [invoice(company, "race-1", { currency: "SEK", amount: "500.00" })] });
    // Another batch, caught between changing race-1 to EUR and its commit.
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let changed!: () => void;
    const changing = new Promise<void>((resolve) => (changed = resolve));
    const other = server.database.db.transaction().execute(async (tx) => {
      await tx.updateTable("invoices").set({ currency: "EUR" }).where("external_id", "=", "race-1").execute();
      changed();
      await committing;
    });
    await changing;
    let answered = false;
    const paying = send({ payments: [payment("race-1", "race-pay-1", { currency: "SEK" })] }).finally(() => {
      answered = true;
    });
    // PostgreSQL: the payment's batch waits for the invoice's row, or has answered without waiting. PGlite has
    // one connection, so the payment's batch can only come after the other commits.
    if (kind === "postgres")
      while (!answered) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(server.database.db);
        if ((rows[0]?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    commit();
    await other;
    const answer = await paying;
    expect([
      answer.status,
      (answer.body.errors as { path: string }[] | undefined)?.map((e) => e.path),
    ]).toEqual([400, ["body.payments.0.currency"]]);
    expect((await stored()).payments.map((p) => p.external_id)).not.toContain("race-pay-1");
  });

  it("stores a record sent twice once, leaves it untouched the second time, and updates a changed one", async () => {
    const company = await newCompany("Idempotent AB");
    const batch = {
      invoices: [invoice(company, "idem-1"), invoice(company, "idem-2", { amount: "250.5" })],
      payments: [payment("idem-1", "idem-pay-1")],
    };
    expect(await upsert(batch)).toEqual({
      invoices: { created: 2, updated: 0, unchanged: 0 },
      payments: { created: 1, updated: 0, unchanged: 0 },
    });
    const first = await stored();
    // The same again, and the same written differently (a lower-case currency, trailing zeros): nothing changes.
    expect(await upsert(batch)).toEqual({
      invoices: { created: 0, updated: 0, unchanged: 2 },
      payments: { created: 0, updated: 0, unchanged: 1 },
    });
    expect(
      await upsert({
        invoices: [invoice(company, "idem-2", { amount: "250.50", currency: "eur" })],
        payments: [payment("idem-1", "idem-pay-1", { amount: "100" })],
      }),
    ).toEqual({
      invoices: { created: 0, updated: 0, unchanged: 1 },
      payments: { created: 0, updated: 0, unchanged: 1 },
    });
    expect(await stored()).toEqual(first);

    // A paid invoice and a corrected payment: updated, the others as they were.
    expect(
      await upsert({
        invoices: [
          invoice(company, "idem-1", { status: "paid" }),
          invoice(company, "idem-2", { amount: "250.5" }),
        ],
        payments: [payment("idem-1", "idem-pay-1", { amount: "1000" })],
      }),
    ).toEqual({
      invoices: { created: 0, updated: 1, unchanged: 1 },
      payments: { created: 0, updated: 1, unchanged: 0 },
    });
    const after = await stored();
    const byId = <T extends { external_id: string }>(rows: T[], id: string) =>
      rows.find((r) => r.external_id === id) as T;
    expect(byId(after.invoices, "idem-1").status).toBe("paid");
    expect(byId(after.invoices, "idem-1").updated_at.getTime()).toBeGreaterThanOrEqual(
      byId(first.invoices, "idem-1").updated_at.getTime(),
    );
    expect(byId(after.invoices, "idem-2")).toEqual(byId(first.invoices, "idem-2"));
    expect(Number(byId(after.payments, "idem-pay-1").amount)).toBe(1000);

    const page = parse(
      Page(Invoice),
      await server.request("GET", `/api/v1/companies/${company}/invoices?limit=1`, { token: member }),
    );
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const rest = parse(
      Page(Invoice),
      await server.request(
        "GET",
        `/api/v1/companies/${company}/invoices?limit=5&cursor=${encodeURIComponent(page.nextCursor as string)}`,
        { token: member },
      ),
    );
    expect([...page.items, ...rest.items].map((i) => i.externalId).sort()).toEqual(["idem-1", "idem-2"]);
    const paid = [...page.items, ...rest.items].find((i) => i.externalId === "idem-1") as Invoice;
    expect(paid).toMatchObject({ amount: "1000.00", paid: "1000.00", balance: "0.00", status: "paid" });
  });

  it("keeps one record when two batches create it at the same moment; the one refused can be sent again", async () => {
    const company = await newCompany("Racing AB");
    const batch = { invoices: [invoice(company, "race-1")], payments: [payment("race-1", "race-pay-1")] };
    const answers = await Promise.all([send(batch), send(batch), send(batch)]);
    // PGlite runs them one after the other; PostgreSQL may refuse the later ones with a 409, storing nothing.
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(await upsert(batch)).toEqual({
      invoices: { created: 0, updated: 0, unchanged: 1 },
      payments: { created: 0, updated: 0, unchanged: 1 },
    });
    const { invoices, payments } = await stored();
    expect(invoices.filter((i) => i.external_id === "race-1")).toHaveLength(1);
    expect(payments.filter((p) => p.external_id === "race-pay-1")).toHaveLength(1);
  });

  it("shows open balances per currency, never added together, and payments reduce them", async () => {
    const company = await newCompany("Two Currencies AB");
    await upsert({
      invoices: [
        invoice(company, "cur-sek-1", {
          amount: "14500.00",
          currency: "SEK",
          issueDate: "2026-11-01",
          dueDate: "2026-12-31",
        }),
        invoice(company, "cur-sek-2", { amount: "500", currency: "SEK", dueDate: "2026-12-31" }),
        invoice(company, "cur-eur-1", { amount: "99.99", currency: "EUR", dueDate: "2026-12-31" }),
        invoice(company, "cur-jpy-1", { amount: "120000", currency: "JPY", dueDate: "2026-12-31" }),
        // Neither paid nor void nor credited invoices owe anything.
        invoice(company, "cur-eur-paid", { amount: "5000", status: "paid" }),
        invoice(company, "cur-eur-void", { amount: "7000", status: "void" }),
        invoice(company, "cur-eur-credited", { amount: "8000", status: "credited" }),
      ],
      payments: [
        payment("cur-sek-1", "cur-pay-1", { amount: "4500", currency: "SEK" }),
        payment("cur-sek-1", "cur-pay-2", { amount: "0.50", currency: "SEK" }),
      ],
    });
    const result = await account(company);
    expect(result.openBalances).toEqual([
      { currency: "EUR", invoices: 1, balance: "99.99" },
      { currency: "JPY", invoices: 1, balance: "120000" },
      { currency: "SEK", invoices: 2, balance: "10499.50" },
    ]);
    expect(result.overdue).toEqual({ invoices: 0, amounts: [], oldestDaysOverdue: null });
    // The void invoice is no purchase; the others are, newest first.
    expect(result.lastPurchases.map((i) => i.externalId)).not.toContain("cur-eur-void");
    expect(result.lastPurchases).toHaveLength(5);
    expect(result.lastPurchases[0]?.externalId).toBe("cur-sek-1");
    const sek = result.lastPurchases.find((i) => i.externalId === "cur-sek-1") as Invoice;
    expect(sek).toMatchObject({ amount: "14500.00", paid: "4500.50", balance: "9999.50", currency: "SEK" });
  });

  it("flags overdue invoices against today in the reader's time zone, with the oldest's days", async () => {
    const company = await newCompany("Late Payer AB");
    await upsert({
      invoices: [
        // 2026-11-13 → 2026-12-06 (UTC today) is 23 days; in Stockholm today is 2026-12-07: 24 days.
        invoice(company, "late-1", {
          amount: "14000",
          currency: "SEK",
          issueDate: "2026-10-14",
          dueDate: "2026-11-13",
        }),
        invoice(company, "late-2", {
          amount: "500",
          currency: "SEK",
          issueDate: "2026-11-05",
          dueDate: "2026-12-05",
        }),
        invoice(company, "late-3", {
          amount: "300",
          currency: "EUR",
          issueDate: "2026-11-06",
          dueDate: "2026-12-06",
        }),
        // Due yesterday but fully paid: not overdue.
        invoice(company, "late-paid-up", {
          amount: "10",
          currency: "EUR",
          issueDate: "2026-11-01",
          dueDate: "2026-11-20",
        }),
      ],
      payments: [payment("late-paid-up", "late-pay", { amount: "10" })],
    });
    const utc = await account(company);
    expect(utc.today).toBe("2026-12-06");
    expect(utc.overdue).toEqual({
      invoices: 2,
      amounts: [{ currency: "SEK", invoices: 2, balance: "14500.00" }],
      oldestDaysOverdue: 23,
    });
    // In Stockholm it is already the 7th: the EUR invoice due on the 6th is late there too.
    const stockholm = await account(company, "?timeZone=Europe/Stockholm");
    expect(stockholm).toMatchObject({ today: "2026-12-07", timeZone: "Europe/Stockholm" });
    expect(stockholm.overdue).toEqual({
      invoices: 3,
      amounts: [
        { currency: "EUR", invoices: 1, balance: "300.00" },
        { currency: "SEK", invoices: 2, balance: "14500.00" },
      ],
      oldestDaysOverdue: 24,
    });
    expect(stockholm.openBalances).toEqual([
      { currency: "EUR", invoices: 2, balance: "300.00" },
      { currency: "SEK", invoices: 2, balance: "14500.00" },
    ]);
  });

  it("says how often a company buys: the median days between its invoices over two years", async () => {
    const company = await newCompany("Regular AB");
    const quiet = await newCompany("Quiet AB");
    await upsert({
      invoices: [
        // Before the two-year window (it starts 2024-12-06): not counted.
        invoice(company, "freq-0", { issueDate: "2024-01-01", dueDate: "2024-01-31", status: "paid" }),
        invoice(company, "freq-1", { issueDate: "2026-01-01", dueDate: "2026-01-31", status: "paid" }),
        invoice(company, "freq-2", { issueDate: "2026-01-31", dueDate: "2026-02-28", status: "paid" }),
        invoice(company, "freq-3", { issueDate: "2026-03-12", dueDate: "2026-04-12", status: "paid" }),
        invoice(company, "freq-4", { issueDate: "2026-04-01", dueDate: "2026-05-01", status: "paid" }),
        // Void: no purchase.
        invoice(company, "freq-void", { issueDate: "2026-05-01", dueDate: "2026-06-01", status: "void" }),
      ],
    });
    const result = await account(company);
    // Gaps 30, 40, 20 days: the median is 30.
    expect(result.purchaseFrequency).toEqual({
      since: "2024-12-06",
      invoices: 4,
      medianDaysBetween: 30,
      lastPurchaseDate: "2026-04-01",
    });
    expect(result.lastPurchases.map((i) => i.externalId)).toEqual([
      "freq-4",
      "freq-3",
      "freq-2",
      "freq-1",
      "freq-0",
    ]);
    expect((await account(quiet)).purchaseFrequency).toEqual({
      since: "2024-12-06",
      invoices: 0,
      medianDaysBetween: null,
      lastPurchaseDate: null,
    });
  });

  describe("refuses bad records, naming the field, and stores nothing of the batch", () => {
    let company: string;
    beforeAll(async () => {
      company = await newCompany("Strict AB");
      await upsert({ invoices: [invoice(company, "strict-sek", { currency: "SEK", amount: "100" })] });
    });

    const refused = async (body: unknown, path: string, token = admin) => {
      const before = await stored();
      const response = await send(body, token);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const errors = (response.body.errors ?? []) as { path: string; message: string }[];
      expect(errors.map((e) => e.path)).toContain(path);
      expect(await stored()).toEqual(before);
      return errors;
    };

    it.each([
      ["more decimals than the currency has", { amount: "10.005" }, "body.invoices.1.amount"],
      ["decimals in a currency without any", { currency: "JPY", amount: "100.5" }, "body.invoices.1.amount"],
      ["a negative amount", { amount: "-5.00" }, "body.invoices.1.amount"],
      ["a float instead of text", { amount: 10.5 }, "body.invoices.1.amount"],
      ["an unknown currency", { currency: "XYZ" }, "body.invoices.1.currency"],
      ["an unknown status", { status: "overdue" }, "body.invoices.1.status"],
      ["a due date before the invoice date", { dueDate: "2026-09-30" }, "body.invoices.1.dueDate"],
    ])("an invoice with %s", async (_what, fields, path) => {
      await refused(
        { invoices: [invoice(company, "strict-good"), invoice(company, "strict-bad", fields)] },
        path,
      );
    });

    it("an invoice for an unknown company or deal", async () => {
      const unknown = "00000000-0000-4000-8000-000000000000";
      await refused(
        { invoices: [invoice(company, "strict-good"), invoice(unknown, "strict-bad")] },
        "body.invoices.1.companyId",
      );
      await refused(
        { invoices: [invoice(company, "strict-bad", { dealId: unknown })] },
        "body.invoices.0.dealId",
      );
    });

    it("a payment for an unknown invoice, in another currency, of nothing or negative", async () => {
      const good = invoice(company, "strict-good");
      await refused(
        { invoices: [good], payments: [payment("no-such", "p-1")] },
        "body.payments.0.invoiceExternalId",
      );
      const errors = await refused(
        { invoices: [good], payments: [payment("strict-good", "p-1"), payment("strict-sek", "p-2")] },
        "body.payments.1.currency",
      );
      expect(errors.find((e) => e.path === "body.payments.1.currency")?.message).toMatch(/SEK/);
      await refused(
        { payments: [payment("strict-sek", "p-1", { currency: "SEK", amount: "0" })] },
        "body.payments.0.amount",
      );
      await refused(
        { payments: [payment("strict-sek", "p-1", { currency: "SEK", amount: "-1" })] },
        "body.payments.0.amount",
      );
    });

    it("the same external id twice in a batch, and an invoice changing currency under its payments", async () => {
      await refused(
        { invoices: [invoice(company, "strict-twice"), invoice(company, "strict-twice")] },
        "body.invoices.1.externalId",
      );
      await upsert({
        payments: [payment("strict-sek", "strict-sek-pay", { currency: "SEK", amount: "10" })],
      });
      await refused(
        { invoices: [invoice(company, "strict-sek", { currency: "EUR", amount: "100" })] },
        "body.invoices.0.currency",
      );
    });
  });

  it("lets members read but only admins write, and keeps each organisation's records to itself", async () => {
    const company = await newCompany("Private AB");
    await upsert({ invoices: [invoice(company, "private-1", { amount: "777.00" })] });
    const before = await stored();
    const byMember = await send({ invoices: [invoice(company, "private-2")] }, member);
    expect([byMember.status, byMember.body.code]).toEqual([403, "forbidden"]);
    expect(await stored()).toEqual(before);
    expect((await account(company, "", member)).openBalances).toEqual([
      { currency: "EUR", invoices: 1, balance: "777.00" },
    ]);

    // Another organisation's admin: the company is not there, for reading or for writing.
    for (const path of [`/api/v1/companies/${company}/account`, `/api/v1/companies/${company}/invoices`])
      expect((await server.request("GET", path, { token: eve })).status).toBe(404);
    const foreign = await send({ invoices: [invoice(company, "private-1", { amount: "1.00" })] }, eve);
    expect([foreign.status, (foreign.body.errors as { path: string }[])[0]?.path]).toEqual([
      400,
      "body.invoices.0.companyId",
    ]);
    // The same external id in another organisation is another record, and pays nothing of ours.
    const eveCompany = await newCompany("Eve's customer", eve);
    await upsert({ invoices: [invoice(eveCompany, "private-1", { amount: "5.00" })] }, eve);
    const paysOurs = await send({ payments: [payment("private-1", "eve-pay", { amount: "777.00" })] }, eve);
    expect(paysOurs.status).toBe(200);
    expect((await account(company, "", member)).openBalances).toEqual([
      { currency: "EUR", invoices: 1, balance: "777.00" },
    ]);
    expect((await account(eveCompany, "", eve)).openBalances).toEqual([
      { currency: "EUR", invoices: 1, balance: "-772.00" },
    ]);
  });

  describe("the open balances report", () => {
    // An organisation of its own, so every row is known: base EUR, a rate for SEK, none for NOK.
    let boss: string;
    let rep: string;
    let repId: string;
    let alpha: string;
    let beta: string;
    let rateSetAt: string;

    beforeAll(async () => {
      boss = await server.token("boss@ledger.example");
      rep = await server.token("rep@ledger.example");
      // The first to sign in is the admin.
      expect(parse(Me, await server.request("GET", "/api/v1/me", { token: boss })).user.role).toBe("admin");
      repId = parse(Me, await server.request("GET", "/api/v1/me", { token: rep })).user.id;
      alpha = await newCompany("Alpha AB", boss);
      beta = await newCompany("Beta AS", rep);
      const rate = await server.request<{ setAt: string }>("POST", "/api/v1/currencies/rates", {
        token: boss,
        body: { currency: "SEK", rate: "0.0870", baseCurrency: "EUR" },
      });
      expect(rate.status).toBe(201);
      rateSetAt = rate.body.setAt;
      await upsert(
        {
          invoices: [
            invoice(alpha, "rep-sek-late", {
              currency: "SEK",
              amount: "14500",
              issueDate: "2026-10-14",
              dueDate: "2026-11-13",
            }),
            invoice(alpha, "rep-sek-due", {
              currency: "SEK",
              amount: "500",
              issueDate: "2026-12-01",
              dueDate: "2026-12-31",
            }),
            invoice(alpha, "rep-eur-late", { amount: "100", issueDate: "2026-11-01", dueDate: "2026-12-01" }),
            invoice(alpha, "rep-eur-paid", { amount: "900", status: "paid" }),
            invoice(beta, "rep-nok", {
              currency: "NOK",
              amount: "1000",
              issueDate: "2026-12-01",
              dueDate: "2026-12-31",
            }),
          ],
          payments: [payment("rep-eur-late", "rep-pay", { amount: "50" })],
        },
        boss,
      );
    });

    const report = async (query = "", token = rep) => {
      const response = await server.request("GET", `/api/v1/reports/open-balances${query}`, { token });
      expect(response.status).toBe(200);
      return parse(OpenBalances, response);
    };

    it("lists each company's balance and overdue amount per currency, converted only at a rate an admin set", async () => {
      const result = await report();
      expect(result).toMatchObject({ today: "2026-12-06", timeZone: "UTC" });
      expect(result.conversion).toEqual({
        baseCurrency: "EUR",
        rates: [{ currency: "SEK", rate: "0.087", setAt: rateSetAt }],
        notConverted: ["NOK"],
      });
      const alphaLine = { companyId: alpha, companyName: "Alpha AB", ownerName: "boss@ledger.example" };
      expect(result.rows).toEqual([
        {
          ...alphaLine,
          ownerId: expect.any(String),
          currency: "EUR",
          openInvoices: 1,
          openBalance: "50.00",
          overdueInvoices: 1,
          overdueAmount: "50.00",
          oldestDaysOverdue: 5,
          inBase: { openBalance: "50.00", overdueAmount: "50.00" },
        },
        {
          ...alphaLine,
          ownerId: expect.any(String),
          currency: "SEK",
          openInvoices: 2,
          openBalance: "15000.00",
          overdueInvoices: 1,
          overdueAmount: "14500.00",
          oldestDaysOverdue: 23,
          inBase: { openBalance: "1305.00", overdueAmount: "1261.50" },
        },
        {
          companyId: beta,
          companyName: "Beta AS",
          ownerId: repId,
          ownerName: "rep@ledger.example",
          currency: "NOK",
          openInvoices: 1,
          openBalance: "1000.00",
          overdueInvoices: 0,
          overdueAmount: "0.00",
          oldestDaysOverdue: null,
          inBase: null,
        },
      ]);
      // Never a sum across currencies: 50 + 15,000 + 1,000 appears nowhere.
      expect(JSON.stringify(result)).not.toMatch(/16050/);
      expect((await report(`?ownerId=${repId}`)).rows.map((r) => r.currency)).toEqual(["NOK"]);
      // Another organisation sees none of it.
      expect(JSON.stringify(await report("", eve))).not.toMatch(/Alpha AB|Beta AS/);
    });

    it("exports a line per company and currency, the currency named in its own column and the base's", async () => {
      const csv = await fetch(`${server.baseUrl}/api/v1/reports/open-balances.csv`, {
        headers: { authorization: `Bearer ${rep}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-disposition")).toBe('attachment; filename="open-balances.csv"');
      const [header, ...lines] = parseCsv((await csv.text()).replace(/^\ufeff/, ""));
      expect(header).toEqual([
        "Company",
        "Owner",
        "Currency",
        "Open invoices",
        "Open balance (in Currency)",
        "Overdue invoices",
        "Overdue amount (in Currency)",
        "Oldest days overdue",
        "Rate to EUR",
        "Rate set",
        "Open balance in EUR",
        "Overdue amount in EUR",
        "Not converted",
        "Company id",
        "Owner id",
      ]);
      expect(lines.map((l) => l.slice(0, 13))).toEqual([
        [
          "Alpha AB",
          "boss@ledger.example",
          "EUR",
          "1",
          "50.00",
          "1",
          "50.00",
          "5",
          "1",
          "",
          "50.00",
          "50.00",
          "",
        ],
        [
          "Alpha AB",
          "boss@ledger.example",
          "SEK",
          "2",
          "15000.00",
          "1",
          "14500.00",
          "23",
          "0.087",
          rateSetAt,
          "1305.00",
          "1261.50",
          "",
        ],
        [
          "Beta AS",
          "rep@ledger.example",
          "NOK",
          "1",
          "1000.00",
          "0",
          "0.00",
          "",
          "",
          "",
          "",
          "",
          "no rate from NOK to EUR",
        ],
      ]);

      const xlsx = await fetch(`${server.baseUrl}/api/v1/reports/open-balances.xlsx?ownerId=${repId}`, {
        headers: { authorization: `Bearer ${rep}` },
      });
      expect(xlsx.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error("no worksheet");
      expect(sheet.rowCount).toBe(2);
      expect(sheet.getRow(1).getCell(3).value).toBe("Currency");
      expect([2, 3, 4, 5].map((c) => sheet.getRow(2).getCell(c).value)).toEqual([
        "rep@ledger.example",
        "NOK",
        1,
        1000,
      ]);
    });
  });

  describe("importing an accountant's export", () => {
    let company: string;
    let other: string;
    const importFile = (body: Record<string, unknown>, token = admin) =>
      server.request<Record<string, unknown>>("POST", "/api/v1/accounting/import", { token, body });

    beforeAll(async () => {
      company = await newCompany("Import AB");
      const response = await server.request<{ id: string }>("POST", "/api/v1/companies", {
        token: admin,
        body: { name: "Domain Oy", domain: "domain-oy.example" },
      });
      other = response.body.id;
    });

    // Semicolons, decimal commas, spaces between thousands and dotted days, as a Nordic ledger exports them.
    const invoicesCsv = [
      "Invoice number;Customer;Company domain;Invoice date;Due date;Amount;Currency;Status",
      "IMP-1;Import AB;;14.10.2026;13.11.2026;14 500,00;SEK;Unpaid",
      "IMP-2;;domain-oy.example;2026-11-01;2026-12-31;99,5;eur;",
    ].join("\r\n");

    it("imports invoices from a CSV, and the same file again changes nothing", async () => {
      const dry = await importFile({ kind: "invoices", format: "csv", content: invoicesCsv, dryRun: true });
      expect([dry.status, dry.body]).toEqual([
        200,
        { kind: "invoices", rows: 2, created: 2, updated: 0, unchanged: 0, dryRun: true },
      ]);
      expect((await account(company)).openBalances).toEqual([]);

      const first = await importFile({ kind: "invoices", format: "csv", content: invoicesCsv });
      expect([first.status, first.body]).toEqual([
        200,
        { kind: "invoices", rows: 2, created: 2, updated: 0, unchanged: 0, dryRun: false },
      ]);
      const before = await stored();
      const again = await importFile({ kind: "invoices", format: "csv", content: invoicesCsv });
      expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      expect(await stored()).toEqual(before);
      expect((await account(company)).overdue).toEqual({
        invoices: 1,
        amounts: [{ currency: "SEK", invoices: 1, balance: "14500.00" }],
        oldestDaysOverdue: 23,
      });
      expect((await account(other)).openBalances).toEqual([
        { currency: "EUR", invoices: 1, balance: "99.50" },
      ]);

      // Payments name their invoice by number; without ids of their own they are still imported once.
      const payments = "Invoice,Payment date,Amount,Currency\nIMP-1,2026-11-20,4500.00,SEK\n";
      expect((await importFile({ kind: "payments", format: "csv", content: payments })).body).toMatchObject({
        created: 1,
      });
      expect((await importFile({ kind: "payments", format: "csv", content: payments })).body).toMatchObject({
        created: 0,
        unchanged: 1,
      });
      expect((await account(company)).openBalances).toEqual([
        { currency: "SEK", invoices: 1, balance: "10000.00" },
      ]);
    });

    it("imports nothing from a file with a bad row, and names the line and the field", async () => {
      const before = await stored();
      const expectRefused = async (
        content: string,
        kind: string,
        expected: { line: number; field: string }[],
      ) => {
        const response = await importFile({ kind, format: "csv", content });
        expect([response.status, response.body.code]).toEqual([422, "import_rows_invalid"]);
        const rowErrors = response.body.rowErrors as { line: number; field: string; code: string }[];
        expect(rowErrors.map((e) => ({ line: e.line, field: e.field }))).toEqual(expected);
        expect(await stored()).toEqual(before);
      };
      const header = "Invoice number,Customer,Invoice date,Due date,Amount,Currency";
      await expectRefused(
        [
          header,
          "BAD-1,Import AB,2026-11-01,2026-11-30,100.00,EUR",
          '"BAD-2",Import AB,2026-11-01,2026-11-30,"14,500.00",EUR',
          "BAD-3,No Such AB,2026-11-01,2026-11-30,1.00,EUR",
          "BAD-4,Import AB,2026-11-01,2026-11-30,1.005,EUR",
          "BAD-5,Import AB,11/01/2026,2026-11-30,1.00,XYZ",
        ].join("\n"),
        "invoices",
        [
          { line: 3, field: "amount" },
          { line: 4, field: "companyName" },
          { line: 5, field: "amount" },
          { line: 6, field: "issueDate" },
        ],
      );
      await expectRefused(
        [
          header,
          "DUP-1,Import AB,2026-11-01,2026-11-30,1.00,EUR",
          "DUP-1,Import AB,2026-11-02,2026-11-30,2.00,EUR",
        ].join("\n"),
        "invoices",
        [{ line: 3, field: "externalId" }],
      );
      await expectRefused(
        "Invoice,Payment date,Amount,Currency\nIMP-1,2026-11-21,10.00,EUR\nNOPE,2026-11-21,1.00,SEK\n",
        "payments",
        [
          { line: 2, field: "currency" },
          { line: 3, field: "invoice" },
        ],
      );
      const missing = await importFile({ kind: "invoices", format: "csv", content: "Number,Amount\nX,1\n" });
      expect([missing.status, (missing.body.errors as { path: string }[])[0]?.path]).toEqual([
        400,
        "body.columns.issueDate",
      ]);
    });

    it("reads an Excel workbook's first sheet: typed dates and numbers, headers named in the request", async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Kundreskontra");
      sheet.addRow(["Fakturanr", "Kund", "Fakturadatum", "Förfallodatum", "Belopp", "Valuta"]);
      sheet.addRow([
        "X-1",
        "Import AB",
        new Date("2026-11-02T00:00:00Z"),
        new Date("2026-11-16T00:00:00Z"),
        1250.75,
        "NOK",
      ]);
      const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString("base64");
      const columns = {
        number: "Fakturanr",
        companyName: "Kund",
        issueDate: "Fakturadatum",
        dueDate: "Förfallodatum",
        amount: "Belopp",
        currency: "Valuta",
      };
      const response = await importFile({ kind: "invoices", format: "xlsx", content, columns });
      expect([response.status, response.body]).toEqual([
        200,
        { kind: "invoices", rows: 1, created: 1, updated: 0, unchanged: 0, dryRun: false },
      ]);
      const result = await account(company);
      expect(result.overdue.amounts).toContainEqual({ currency: "NOK", invoices: 1, balance: "1250.75" });
      expect(result.lastPurchases[0]).toMatchObject({
        number: "X-1",
        issueDate: "2026-11-02",
        dueDate: "2026-11-16",
      });

      const notAWorkbook = await importFile({
        kind: "invoices",
        format: "xlsx",
        content: "bm90IGEgemlw",
        columns,
      });
      expect([notAWorkbook.status, notAWorkbook.body.code]).toEqual([400, "invalid_request"]);
      const byMember = await importFile({ kind: "invoices", format: "xlsx", content, columns }, member);
      expect([byMember.status, byMember.body.code]).toEqual([403, "forbidden"]);
    });

    it("refuses a small Excel file that unpacks to more than the bound, and stores nothing", async () => {
      const workbook = new ExcelJS.Workbook();
      workbook
        .addWorksheet("Invoices")
        .addRow(["Number", "Company", "Issue date", "Due date", "Amount", "Currency"]);
      workbook.worksheets[0]?.addRow(["BOMB-1", "Import AB", "2026-11-01", "2026-11-30", "1.00", "EUR"]);
      const plain = Buffer.from(await workbook.xlsx.writeBuffer());
      // A part of one byte past the bound packs to about a tenth of a megabyte: far under the 10 MB upload limit.
      const bomb = withPart(plain, "xl/padding.xml", ACCOUNTING_XLSX_MAX_UNPACKED_BYTES + 1);
      expect(bomb.length).toBeLessThan(ACCOUNTING_XLSX_MAX_BYTES / 10);
      const response = await importFile({
        kind: "invoices",
        format: "xlsx",
        content: bomb.toString("base64"),
      });
      expect([response.status, response.body.code, response.body.detail]).toEqual([
        400,
        "invalid_request",
        expect.stringContaining("unpack to at most 100 MB"),
      ]);
      expect((await stored()).invoices.map((i) => i.external_id)).not.toContain("BOMB-1");
      // The same workbook with a part just within the bound is read.
      const within = withPart(plain, "xl/padding.xml", 1024 * 1024);
      const accepted = await importFile({
        kind: "invoices",
        format: "xlsx",
        content: within.toString("base64"),
      });
      expect([accepted.status, accepted.body.created]).toEqual([200, 1]);
    });
  });
});
