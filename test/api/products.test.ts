import ExcelJS from "exceljs";
import { sql } from "kysely";
import { Page } from "../../src/shared/common";
import { DealWithStage } from "../../src/shared/deals";
import { DealLines, Product, ProductImportResult } from "../../src/shared/products";
import { Me } from "../../src/shared/routes";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * The product catalogue and a deal's line items: admins keep the catalogue (by hand or from a price list), every
 * rep reads it and prices a deal's lines from it, and a deal with lines takes its amount from them.
 */
describe.each(storeKinds)("products and deal lines (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let eve: string;

  type Body = Record<string, unknown> & { errors?: { path: string; message: string }[] };
  const request = (method: string, path: string, body?: unknown, token = admin) =>
    server.request<Body>(method, path, { token, ...(body === undefined ? {} : { body }) });

  const newProduct = async (fields: Record<string, unknown>) => {
    const response = await request("POST", "/api/v1/products", {
      name: "Support hour",
      unit: "hour",
      prices: [],
      taxRate: "25",
      ...fields,
    });
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    return parse(Product, response);
  };
  const newDeal = async (fields: Record<string, unknown> = {}, token = member) => {
    const response = await request("POST", "/api/v1/deals", { name: "Renewal", ...fields }, token);
    expect(response.status).toBe(201);
    return parse(DealWithStage, response);
  };
  const getDeal = async (id: string, token = member) =>
    parse(DealWithStage, await request("GET", `/api/v1/deals/${id}`, undefined, token));
  const putLines = (id: string, body: Record<string, unknown>, token = member) =>
    request("PUT", `/api/v1/deals/${id}/lines`, body, token);
  const productRows = async () =>
    (
      await sql<{ code: string; name: string; prices: string }>`
        select p.code, p.name, p.tax_rate::text || '/' || p.active::text
          || '/' || coalesce((select string_agg(currency || '=' || amount::text, ',' order by currency)
              from product_prices pp where pp.product_id = p.id), '') as prices
        from products p order by p.org_id, p.code`.execute(server.database.db)
    ).rows;
  const lineRows = async () =>
    (
      await sql<{ deal_id: string; line: string }>`
        select deal_id, position || ':' || name || ':' || quantity::text || ':' || unit_price::text as line
        from deal_lines order by deal_id, position`.execute(server.database.db)
    ).rows;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await server.token("ada@contoso.example");
    member = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    expect(parse(Me, await request("GET", "/api/v1/me")).user.role).toBe("admin");
    expect(parse(Me, await request("GET", "/api/v1/me", undefined, member)).user.role).toBe("member");
  });
  afterAll(() => server.close());

  describe("the catalogue", () => {
    it("keeps a product with one price per currency in the currency's decimals, and lets every rep read it", async () => {
      const product = await newProduct({
        code: "SUP-1",
        prices: [
          { currency: "sek", amount: "1200.5" },
          { currency: "JPY", amount: "15000" },
          { currency: "EUR", amount: "110" },
        ],
        taxRate: "12.50",
      });
      expect(product).toMatchObject({
        code: "SUP-1",
        unit: "hour",
        taxRate: "12.5",
        active: true,
        prices: [
          { currency: "EUR", amount: "110.00" },
          { currency: "JPY", amount: "15000" },
          { currency: "SEK", amount: "1200.50" },
        ],
      });
      const read = await request("GET", `/api/v1/products/${product.id}`, undefined, member);
      expect(parse(Product, read)).toEqual(product);
    });

    it("lets only admins write the catalogue", async () => {
      const before = await productRows();
      const created = await request(
        "POST",
        "/api/v1/products",
        { name: "Rogue", code: "ROGUE", taxRate: "0" },
        member,
      );
      expect([created.status, created.body.code]).toEqual([403, "forbidden"]);
      expect(await productRows()).toEqual(before);
    });

    it("refuses a second product with the same code, whatever its case", async () => {
      await newProduct({ code: "LIC-1", name: "Licence" });
      const again = await request("POST", "/api/v1/products", {
        name: "Other",
        code: "lic-1",
        taxRate: "25",
      });
      expect([again.status, again.body.code]).toEqual([409, "product_code_taken"]);
    });

    it("names the field of bad input and stores nothing", async () => {
      const before = await productRows();
      const cases: [Record<string, unknown>, string][] = [
        [{ taxRate: "101" }, "body.taxRate"],
        [{ taxRate: "-1" }, "body.taxRate"],
        [{ prices: [{ currency: "XYZ", amount: "10" }] }, "body.prices.0.currency"],
        [{ prices: [{ currency: "EUR", amount: "10.005" }] }, "body.prices.0.amount"],
        [{ prices: [{ currency: "JPY", amount: "10.5" }] }, "body.prices.0.amount"],
        [{ prices: [{ currency: "EUR", amount: "-10" }] }, "body.prices.0.amount"],
        [
          {
            prices: [
              { currency: "EUR", amount: "10" },
              { currency: "eur", amount: "11" },
            ],
          },
          "body.prices.1.currency",
        ],
        [{ prices: [{ currency: "EUR", amount: 10 }] }, "body.prices.0.amount"],
        [{ code: "" }, "body.code"],
      ];
      for (const [fields, path] of cases) {
        const response = await request("POST", "/api/v1/products", {
          name: "Bad",
          code: "BAD-1",
          taxRate: "25",
          ...fields,
        });
        expect([fields, response.status]).toEqual([fields, 400]);
        expect([fields, response.body.errors?.map((e) => e.path)]).toEqual([
          fields,
          expect.arrayContaining([path]),
        ]);
      }
      expect(await productRows()).toEqual(before);
    });

    it("updates with the version read, replaces the prices, and deactivates", async () => {
      const product = await newProduct({ code: "UPD-1", prices: [{ currency: "EUR", amount: "10" }] });
      const updated = await request("PATCH", `/api/v1/products/${product.id}`, {
        prices: [{ currency: "NOK", amount: "120" }],
        active: false,
        version: product.version,
      });
      expect(updated.status).toBe(200);
      expect(parse(Product, updated)).toMatchObject({
        active: false,
        prices: [{ currency: "NOK", amount: "120.00" }],
        version: product.version + 1,
      });
      const stale = await request("PATCH", `/api/v1/products/${product.id}`, {
        name: "Late",
        version: product.version,
      });
      expect([stale.status, stale.body.code]).toEqual([409, "version_conflict"]);
      const byMember = await request(
        "PATCH",
        `/api/v1/products/${product.id}`,
        { active: true, version: product.version + 1 },
        member,
      );
      expect(byMember.status).toBe(403);
    });

    it("lists by name, searches name and code, narrows to the active ones, and pages", async () => {
      await newProduct({ code: "LIST-A", name: "Widget alpha" });
      await newProduct({ code: "LIST-B", name: "Widget beta", active: false });
      await newProduct({ code: "LIST-C", name: "Widget gamma" });
      const list = async (query: string) =>
        parse(Page(Product), await request("GET", `/api/v1/products${query}`, undefined, member));
      expect((await list("?q=widget")).items.map((p) => p.code)).toEqual(["LIST-A", "LIST-B", "LIST-C"]);
      expect((await list("?q=list-c")).items.map((p) => p.name)).toEqual(["Widget gamma"]);
      expect((await list("?q=widget&active=true")).items.map((p) => p.code)).toEqual(["LIST-A", "LIST-C"]);
      expect((await list("?q=widget&active=false")).items.map((p) => p.code)).toEqual(["LIST-B"]);
      const first = await list("?q=widget&limit=2");
      expect(first.items).toHaveLength(2);
      const second = await list(`?q=widget&limit=2&cursor=${first.nextCursor}`);
      expect(second.items.map((p) => p.code)).toEqual(["LIST-C"]);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe("importing a price list", () => {
    const importFile = (body: Record<string, unknown>, token = admin) =>
      request("POST", "/api/v1/products/import", body, token);

    it("creates new codes, updates known ones, keeps prices of other currencies, and changes nothing the second time", async () => {
      const known = await newProduct({
        code: "IMP-1",
        name: "Old name",
        prices: [
          { currency: "EUR", amount: "10" },
          { currency: "NOK", amount: "100" },
        ],
      });
      const content = [
        "Article no;Product name;Unit;VAT;Price EUR;SEK;Active",
        "imp-1;New name;hour;25 %;12,50;;yes",
        "IMP-2;Licence;pcs;12;99;1 100,00;",
        "IMP-3;Old thing;;0;;;no",
      ].join("\r\n");
      const dry = await importFile({ format: "csv", content, dryRun: true });
      expect(parse(ProductImportResult, dry)).toEqual({
        rows: 3,
        created: 2,
        updated: 1,
        unchanged: 0,
        dryRun: true,
      });
      expect(parse(Page(Product), await request("GET", "/api/v1/products?q=IMP-2")).items).toEqual([]);
      const done = parse(ProductImportResult, await importFile({ format: "csv", content }));
      expect(done).toEqual({ rows: 3, created: 2, updated: 1, unchanged: 0, dryRun: false });
      expect(parse(Product, await request("GET", `/api/v1/products/${known.id}`))).toMatchObject({
        code: "imp-1",
        name: "New name",
        taxRate: "25",
        prices: [
          { currency: "EUR", amount: "12.50" },
          { currency: "NOK", amount: "100.00" },
        ],
      });
      const imported = parse(Page(Product), await request("GET", "/api/v1/products?q=IMP-")).items;
      expect(imported.map((p) => [p.code, p.active, p.prices])).toEqual([
        [
          "IMP-2",
          true,
          [
            { currency: "EUR", amount: "99.00" },
            { currency: "SEK", amount: "1100.00" },
          ],
        ],
        ["imp-1", true, expect.anything()],
        ["IMP-3", false, []],
      ]);
      const again = parse(ProductImportResult, await importFile({ format: "csv", content }));
      expect(again).toEqual({ rows: 3, created: 0, updated: 0, unchanged: 3, dryRun: false });
    });

    it("imports nothing from a file with a bad row, and names every bad line", async () => {
      const before = await productRows();
      const content = [
        "Code,Name,Tax rate,EUR",
        "OK-1,Fine,25,10.00",
        "OK-2,Bad tax,125,10.00",
        "OK-3,Bad price,25,10.005",
        ",No code,25,1",
        "ok-1,Twice,25,1",
        "OK-4,Bad number,25,abc",
      ].join("\n");
      const response = await importFile({ format: "csv", content });
      expect([response.status, response.body.code]).toEqual([422, "import_rows_invalid"]);
      const rowErrors = response.body.rowErrors as { line: number; field: string }[];
      expect(rowErrors.map((e) => [e.line, e.field])).toEqual([
        [3, "taxRate"],
        [4, "EUR"],
        [5, "code"],
        [6, "code"],
        [7, "EUR"],
      ]);
      expect(response.body.detail).toMatch(/line 3/);
      expect(await productRows()).toEqual(before);
    });

    it("reads an Excel workbook's first sheet", async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Prices");
      sheet.addRow(["SKU", "Name", "Tax", "Price DKK"]);
      sheet.addRow(["XL-1", "Cable", 25, 49.5]);
      const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString("base64");
      const done = parse(ProductImportResult, await importFile({ format: "xlsx", content }));
      expect(done).toMatchObject({ rows: 1, created: 1 });
      const [cable] = parse(Page(Product), await request("GET", "/api/v1/products?q=XL-1")).items;
      expect(cable?.prices).toEqual([{ currency: "DKK", amount: "49.50" }]);
    });

    it("reads a tax rate in a percentage-formatted Excel cell as the percentage it shows", async () => {
      // Excel keeps 25 % as 0.25: read as it is kept, the product would be taxed at a quarter of a percent.
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Prices");
      sheet.addRow(["SKU", "Name", "VAT", "EUR"]);
      sheet.addRow(["PCT-1", "Percent cell", 0.25, 10]);
      sheet.addRow(["PCT-2", "Decimal percent cell", 0.125, 10]);
      sheet.getColumn(3).numFmt = "0%";
      const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString("base64");
      const done = await importFile({ format: "xlsx", content });
      expect([done.status, done.body.rowErrors]).toEqual([200, undefined]);
      const imported = parse(Page(Product), await request("GET", "/api/v1/products?q=PCT-")).items;
      expect(imported.map((p) => [p.code, p.taxRate])).toEqual([
        ["PCT-2", "12.5"],
        ["PCT-1", "25"],
      ]);
    });

    it("writes a long file a chunk of rows at a time, every row and price of it, audited", async () => {
      const file = (name: string) =>
        [
          "Code,Name,Tax,EUR,SEK",
          ...Array.from({ length: 1201 }, (_, i) => `BULK-${i},${name} ${i},25,${i}.50,${i}0`),
        ].join("\n");
      const count = async () =>
        (
          await sql<{ products: number; prices: number; named: number; versions: number; audits: number }>`
            select count(*)::int as products,
              (select count(*)::int from product_prices pp where pp.product_id = any(array_agg(p.id))) as prices,
              count(*) filter (where p.name like 'Second %')::int as named,
              sum(p.version)::int as versions,
              (select count(*)::int from audit_events a
                where a.action = 'product.created' and a.entity_id = any(array_agg(p.id))) as audits
            from products p where p.code like 'BULK-%'`.execute(server.database.db)
        ).rows[0];
      expect(
        parse(ProductImportResult, await importFile({ format: "csv", content: file("First") })),
      ).toMatchObject({
        created: 1201,
      });
      expect(await count()).toEqual({ products: 1201, prices: 2402, named: 0, versions: 1201, audits: 1201 });
      expect(
        parse(ProductImportResult, await importFile({ format: "csv", content: file("Second") })),
      ).toMatchObject({
        updated: 1201,
      });
      expect(await count()).toEqual({
        products: 1201,
        prices: 2402,
        named: 1201,
        versions: 2402,
        audits: 1201,
      });
      const [last] = parse(Page(Product), await request("GET", "/api/v1/products?q=BULK-1200")).items;
      expect(last).toMatchObject({
        name: "Second 1200",
        unit: null,
        taxRate: "25",
        prices: [
          { currency: "EUR", amount: "1200.50" },
          { currency: "SEK", amount: "12000.00" },
        ],
      });
    });

    it("refuses a file with two price columns of one currency rather than taking the last", async () => {
      const before = await productRows();
      const twice = await importFile({
        format: "csv",
        content: "Code,Name,Tax,EUR,Price EUR\nTW-1,x,25,10,1000",
      });
      expect([twice.status, twice.body.errors?.[0]?.path]).toEqual([400, "body.content"]);
      expect(twice.body.detail).toMatch(/EUR/);
      expect(await productRows()).toEqual(before);
    });

    it("refuses a member's import and a file without the needed columns", async () => {
      const byMember = await importFile({ format: "csv", content: "Code,Name,Tax\nM-1,x,1" }, member);
      expect(byMember.status).toBe(403);
      const noTax = await importFile({ format: "csv", content: "Code,Name\nM-1,x" });
      expect([noTax.status, noTax.body.errors?.[0]?.path]).toEqual([400, "body.content"]);
    });
  });

  describe("a deal's lines", () => {
    let support: Product;
    let licence: Product;
    beforeAll(async () => {
      support = await newProduct({
        code: "LN-SUP",
        name: "Support",
        prices: [
          { currency: "SEK", amount: "1000" },
          { currency: "EUR", amount: "95" },
        ],
        taxRate: "25",
      });
      licence = await newProduct({
        code: "LN-LIC",
        name: "Licence",
        unit: "seat",
        prices: [{ currency: "SEK", amount: "99.90" }],
        taxRate: "12",
      });
    });

    it("takes the deal's amount from its lines, fills a product's name, price and tax, and counts tax per rate", async () => {
      const deal = await newDeal({ amount: 5, currency: "SEK" });
      const response = await putLines(deal.id, {
        currency: "SEK",
        version: deal.version,
        lines: [
          { productId: support.id, quantity: "2", discountPercent: "10" },
          { productId: licence.id, quantity: "3", unitPrice: "89.90" },
          { name: "Travel", quantity: "1", unitPrice: "450", taxRate: "0" },
        ],
      });
      expect([response.status, response.body.errors]).toEqual([200, undefined]);
      const lines = parse(DealLines, response);
      expect(lines.lines.map((l) => [l.name, l.unit, l.unitPrice, l.taxRate, l.net, l.productCode])).toEqual([
        ["Support", "hour", "1000.00", "25", "1800.00", "LN-SUP"],
        ["Licence", "seat", "89.90", "12", "269.70", "LN-LIC"],
        ["Travel", null, "450.00", "0", "450.00", null],
      ]);
      expect(lines.totals).toEqual({
        net: "2519.70",
        taxes: [
          { rate: "25", net: "1800.00", tax: "450.00" },
          { rate: "12", net: "269.70", tax: "32.36" },
          { rate: "0", net: "450.00", tax: "0.00" },
        ],
        tax: "482.36",
        total: "3002.06",
      });
      const after = await getDeal(deal.id);
      expect([after.amount, after.currency, after.version]).toEqual([2519.7, "SEK", deal.version + 1]);
      expect(lines.version).toBe(after.version);
      expect(parse(DealLines, await request("GET", `/api/v1/deals/${deal.id}/lines`))).toEqual(lines);
      // The deal's own shape is as it was: no lines in it.
      expect(Object.keys(after).sort()).toEqual(Object.keys(deal).sort());
    });

    it("keeps the amount of a deal without lines, and refuses a typed amount on a deal with them", async () => {
      const plain = await newDeal({ amount: 700, currency: "EUR" });
      expect(parse(DealLines, await request("GET", `/api/v1/deals/${plain.id}/lines`))).toMatchObject({
        lines: [],
        totals: { net: "0.00", total: "0.00" },
      });
      const typed = await request(
        "PATCH",
        `/api/v1/deals/${plain.id}`,
        { amount: 800, version: plain.version },
        member,
      );
      expect(parse(DealWithStage, typed).amount).toBe(800);

      const lined = await newDeal({ currency: "EUR" });
      const put = parse(
        DealLines,
        await putLines(lined.id, {
          currency: "EUR",
          version: lined.version,
          lines: [{ productId: support.id, quantity: "1" }],
        }),
      );
      const overwrite = await request("PATCH", `/api/v1/deals/${lined.id}`, {
        amount: 1,
        version: put.version,
      });
      expect([overwrite.status, overwrite.body.errors?.map((e) => e.path)]).toEqual([400, ["body.amount"]]);
      const recurrency = await request("PATCH", `/api/v1/deals/${lined.id}`, {
        currency: "SEK",
        version: put.version,
      });
      expect([recurrency.status, recurrency.body.errors?.map((e) => e.path)]).toEqual([
        400,
        ["body.currency"],
      ]);
      // A form that sends the amount as it is, with another field, passes.
      const renamed = await request("PATCH", `/api/v1/deals/${lined.id}`, {
        name: "Renamed",
        amount: 95,
        currency: "EUR",
        version: put.version,
      });
      expect(renamed.status).toBe(200);
      // Emptying the lines leaves the amount they last made, and the deal may have its own again.
      const emptied = parse(
        DealLines,
        await putLines(lined.id, { currency: "EUR", version: put.version + 1, lines: [] }),
      );
      expect((await getDeal(lined.id)).amount).toBe(95);
      const own = await request("PATCH", `/api/v1/deals/${lined.id}`, {
        amount: 120,
        version: emptied.version,
      });
      expect(own.status).toBe(200);
    });

    it("refuses bad lines all or none, naming the field, and leaves the deal as it was", async () => {
      const deal = await newDeal({ currency: "SEK", amount: 10 });
      const first = parse(
        DealLines,
        await putLines(deal.id, {
          currency: "SEK",
          version: deal.version,
          lines: [{ productId: support.id, quantity: "1" }],
        }),
      );
      const good = { name: "Fine", quantity: "1", unitPrice: "10", taxRate: "25" };
      const cases: [Record<string, unknown>, string][] = [
        [{ lines: [good, good, { ...good, quantity: "-1" }] }, "body.lines.2.quantity"],
        [{ lines: [{ ...good, quantity: "0" }] }, "body.lines.0.quantity"],
        [{ lines: [{ ...good, taxRate: "100.5" }] }, "body.lines.0.taxRate"],
        [{ lines: [{ ...good, discountPercent: "-5" }] }, "body.lines.0.discountPercent"],
        [{ lines: [{ ...good, unitPrice: "10.001" }] }, "body.lines.0.unitPrice"],
        [{ lines: [{ quantity: "1", unitPrice: "10", taxRate: "25" }] }, "body.lines.0.name"],
        [{ currency: "ABC", lines: [good] }, "body.currency"],
        [
          { lines: [good, { productId: "0b7d3c2e-4f7a-4c43-9a51-2f1f7e3d9c10", quantity: "1" }] },
          "body.lines.1.productId",
        ],
        // No price in EUR: the rep says the price or picks another product.
        [{ currency: "EUR", lines: [{ productId: licence.id, quantity: "1" }] }, "body.lines.0.productId"],
        [{ lines: [{ ...good, quantity: "999999999", unitPrice: "9999999999999" }] }, "body.lines"],
      ];
      for (const [fields, path] of cases) {
        const response = await putLines(deal.id, {
          currency: "SEK",
          version: first.version,
          ...fields,
        });
        expect([path, response.status]).toEqual([path, 400]);
        expect([path, response.body.errors?.map((e) => e.path)]).toEqual([
          path,
          expect.arrayContaining([path]),
        ]);
      }
      const stale = await putLines(deal.id, { currency: "SEK", version: deal.version, lines: [good] });
      expect([stale.status, stale.body.code]).toEqual([409, "version_conflict"]);
      expect(parse(DealLines, await request("GET", `/api/v1/deals/${deal.id}/lines`))).toEqual(first);
      expect((await getDeal(deal.id)).amount).toBe(1000);
    });

    it("refuses to relabel a kept amount in another currency when the lines are emptied", async () => {
      const deal = await newDeal({ currency: "EUR" });
      const put = parse(
        DealLines,
        await putLines(deal.id, {
          currency: "EUR",
          version: deal.version,
          lines: [{ name: "Work", quantity: "1", unitPrice: "95.50", taxRate: "25" }],
        }),
      );
      // EUR 95.50 would become JPY 95.50 (or KWD 95.500): the same figure, another sum of money.
      const relabelled = await putLines(deal.id, { currency: "JPY", version: put.version, lines: [] });
      expect([relabelled.status, relabelled.body.errors?.map((e) => e.path)]).toEqual([
        400,
        ["body.currency"],
      ]);
      const after = await getDeal(deal.id);
      expect([after.amount, after.currency, after.version]).toEqual([95.5, "EUR", put.version]);
      // In its own currency the lines go and the amount stays.
      const emptied = await putLines(deal.id, { currency: "EUR", version: put.version, lines: [] });
      expect(emptied.status).toBe(200);
      // A deal without an amount may take any currency with no lines.
      const bare = await newDeal({ currency: "EUR" });
      expect((await putLines(bare.id, { currency: "SEK", version: bare.version, lines: [] })).status).toBe(
        200,
      );
    });

    it("refuses a deal amount the store cannot hold, naming the field", async () => {
      const deal = await newDeal({ currency: "EUR", amount: 10 });
      for (const amount of [1e13, 1e14]) {
        const response = await request("PATCH", `/api/v1/deals/${deal.id}`, {
          amount,
          version: deal.version,
        });
        expect([amount, response.status, response.body.errors?.map((e) => e.path)]).toEqual([
          amount,
          400,
          ["body.amount"],
        ]);
      }
      const created = await request("POST", "/api/v1/deals", { name: "Huge", amount: 1e13 }, member);
      expect([created.status, created.body.errors?.map((e) => e.path)]).toEqual([400, ["body.amount"]]);
      expect((await getDeal(deal.id)).amount).toBe(10);
    });

    it("offers no inactive product for a new line, and keeps the one a deal has", async () => {
      const product = await newProduct({
        code: "LN-OFF",
        name: "Retired",
        prices: [{ currency: "EUR", amount: "5" }],
      });
      const kept = await newDeal({ currency: "EUR" });
      const put = parse(
        DealLines,
        await putLines(kept.id, {
          currency: "EUR",
          version: kept.version,
          lines: [{ productId: product.id, quantity: "1" }],
        }),
      );
      await request("PATCH", `/api/v1/products/${product.id}`, { active: false, version: product.version });
      const fresh = await newDeal({ currency: "EUR" });
      const refused = await putLines(fresh.id, {
        currency: "EUR",
        version: fresh.version,
        lines: [{ productId: product.id, quantity: "1" }],
      });
      expect([refused.status, refused.body.errors?.map((e) => e.path)]).toEqual([
        400,
        ["body.lines.0.productId"],
      ]);
      const again = await putLines(kept.id, {
        currency: "EUR",
        version: put.version,
        lines: [{ productId: product.id, quantity: "2" }],
      });
      expect(again.status).toBe(200);
    });

    it("keeps a line's price when the catalogue changes, and the line when its product is deactivated", async () => {
      const product = await newProduct({
        code: "LN-CHG",
        name: "Changing",
        prices: [{ currency: "EUR", amount: "50" }],
      });
      const deal = await newDeal({ currency: "EUR" });
      const put = parse(
        DealLines,
        await putLines(deal.id, {
          currency: "EUR",
          version: deal.version,
          lines: [{ productId: product.id, quantity: "2" }],
        }),
      );
      await request("PATCH", `/api/v1/products/${product.id}`, {
        prices: [{ currency: "EUR", amount: "70" }],
        active: false,
        version: product.version,
      });
      const read = parse(DealLines, await request("GET", `/api/v1/deals/${deal.id}/lines`));
      expect(read.lines.map((l) => [l.productId, l.unitPrice, l.net])).toEqual([
        [product.id, "50.00", "100.00"],
      ]);
      // Sent back as the editor sends it, the line stays.
      const resent = await putLines(deal.id, {
        currency: "EUR",
        version: put.version,
        lines: read.lines.map((l) => ({
          productId: l.productId,
          name: l.name,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          discountPercent: l.discountPercent,
          taxRate: l.taxRate,
        })),
      });
      expect(resent.status).toBe(200);
    });

    it("gives a deal without a currency the lines' one, with its decimals", async () => {
      const deal = await newDeal();
      const response = parse(
        DealLines,
        await putLines(deal.id, {
          currency: "kwd",
          version: deal.version,
          lines: [{ name: "Service", quantity: "2.5", unitPrice: "1.001", taxRate: "0" }],
        }),
      );
      expect([response.currency, response.totals.net]).toEqual(["KWD", "2.503"]);
      const after = await getDeal(deal.id);
      expect([after.currency, after.amount]).toEqual(["KWD", 2.503]);
    });
  });

  describe("between organisations", () => {
    it("neither shows nor uses another organisation's products and lines", async () => {
      const product = await newProduct({ code: "WALL-1", prices: [{ currency: "EUR", amount: "1" }] });
      const deal = await newDeal({ currency: "EUR" });
      await putLines(deal.id, {
        currency: "EUR",
        version: deal.version,
        lines: [{ productId: product.id, quantity: "1" }],
      });
      const before = await lineRows();
      expect((await request("GET", `/api/v1/products/${product.id}`, undefined, eve)).status).toBe(404);
      expect(parse(Page(Product), await request("GET", "/api/v1/products", undefined, eve)).items).toEqual(
        [],
      );
      expect((await request("GET", `/api/v1/deals/${deal.id}/lines`, undefined, eve)).status).toBe(404);
      const theirs = await request("POST", "/api/v1/deals", { name: "Theirs", currency: "EUR" }, eve);
      const theirDeal = parse(DealWithStage, theirs);
      const borrowed = await putLines(
        theirDeal.id,
        { currency: "EUR", version: theirDeal.version, lines: [{ productId: product.id, quantity: "1" }] },
        eve,
      );
      expect([borrowed.status, borrowed.body.errors?.map((e) => e.path)]).toEqual([
        400,
        ["body.lines.0.productId"],
      ]);
      const intruding = await putLines(deal.id, { currency: "EUR", version: 2, lines: [] }, eve);
      expect(intruding.status).toBe(404);
      const patched = await request(
        "PATCH",
        `/api/v1/products/${product.id}`,
        { name: "Mine", version: 1 },
        eve,
      );
      expect(patched.status).not.toBe(200);
      expect(await lineRows()).toEqual(before);
    });
  });
});
