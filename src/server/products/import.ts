import { sql } from "kysely";
import type { RowError } from "../../shared/errors";
import { isIsoCurrency, withCurrencyDecimals } from "../../shared/currencies";
import { plainPercent } from "../../shared/line-totals";
import {
  PRODUCT_IMPORT_MAX_ROWS,
  ProductCreate,
  type ProductImportRequest,
  type ProductImportResult,
  type ProductPrice,
} from "../../shared/products";
import { recordAudit, recordAuditForEach } from "../audit";
import { type FileRow, normalise, readAmount, readRows, refuse, rowsRefused } from "../invoices/import";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { type ProductValues, pricesOf } from "./service";

// A price list as a CSV or an Excel workbook's first sheet, read with the accounting import's readers: a row whose
// code the organisation has updates that product, a new code creates one. All rows or none: a file with one bad
// row stores nothing and names every bad line. Prices are columns headed by their currency ("EUR", "Price SEK");
// a row's empty price cell leaves that currency's price as it is, so a list of one currency keeps the others.

type Field = "code" | "name" | "unit" | "taxRate" | "active";

/** The header names a price list commonly uses for each field, compared without case, spaces or punctuation. */
const HEADERS: Record<Field, string[]> = {
  code: [
    "code",
    "productcode",
    "sku",
    "articlenumber",
    "articleno",
    "artnr",
    "itemcode",
    "itemno",
    "itemnumber",
  ],
  name: ["name", "productname", "product", "description", "item"],
  unit: ["unit", "uom", "unitofmeasure"],
  taxRate: ["taxrate", "tax", "vat", "vatrate", "taxpercent", "vatpercent"],
  active: ["active", "enabled"],
};

/** "EUR", "Price EUR", "price_sek", "Unit price (NOK)": a price in that currency. */
function currencyOfHeader(header: string): string | null {
  const match = /^(?:unitprice|price)?([a-z]{3})$/.exec(normalise(header));
  const code = match?.[1]?.toUpperCase();
  return code && isIsoCurrency(code) ? code : null;
}

const ACTIVE: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  active: true,
  false: false,
  no: false,
  "0": false,
  inactive: false,
};

/** Rows per statement when the file is written (6 parameters each; a price 4). */
const WRITE_CHUNK = 500;

const refused = (line: number, field: string, message: string): RowError => ({
  line,
  field,
  code: "value_refused",
  message,
});
const required = (line: number, field: string): RowError => ({
  line,
  field,
  code: "required",
  message: `${field} is required`,
  values: { label: field },
});

/** A tax rate as written: "25", "25%", "12,5 %". */
const readPercent = (text: string): string => text.replace(/[\s%]/g, "").replace(",", ".");

const samePrices = (a: ProductPrice[], b: ProductPrice[]) =>
  a.length === b.length && a.every((p, i) => p.currency === b[i]?.currency && p.amount === b[i]?.amount);

export async function importProducts(scope: Scope, body: ProductImportRequest): Promise<ProductImportResult> {
  const { orgId } = scope.caller;
  await requireAdmin(scope.db, scope.caller, "manages the product catalogue");
  const { header, rows } = await readRows(body, PRODUCT_IMPORT_MAX_ROWS);
  const normalised = header.map(normalise);
  const columns = new Map<Field, number>();
  for (const field of Object.keys(HEADERS) as Field[]) {
    const index = normalised.findIndex((h) => HEADERS[field].includes(h));
    if (index !== -1) columns.set(field, index);
  }
  const priceColumns: { currency: string; index: number }[] = [];
  header.forEach((h, index) => {
    const currency = currencyOfHeader(h);
    if (currency && ![...columns.values()].includes(index)) priceColumns.push({ currency, index });
  });
  // "EUR" and "Price EUR" both: which one is the price would be a guess, and the last one silently won.
  for (const [i, { currency, index }] of priceColumns.entries()) {
    const other = priceColumns.findIndex((c) => c.currency === currency);
    if (other < i)
      throw refuse(
        `The file has two columns of ${currency} prices ("${header[priceColumns[other]?.index ?? 0]}" and "${header[index]}").`,
      );
  }
  for (const field of ["code", "name", "taxRate"] as const)
    if (!columns.has(field))
      throw refuse(`The file has no column for ${field} (headed ${HEADERS[field].slice(0, 3).join(", ")}).`);
  const cell = (row: FileRow, index: number | undefined) =>
    index === undefined ? "" : (row.cells[index] ?? "").trim();

  // The organisation's products with the file's codes, found once for the whole file.
  const codes = [...new Set(rows.map((r) => cell(r, columns.get("code")).toLowerCase()).filter((c) => c))];
  const existing = new Map<
    string,
    { id: string; code: string; name: string; unit: string | null; taxRate: string; active: boolean }
  >();
  for (let i = 0; i < codes.length; i += 1000)
    for (const p of await scope.db
      .selectFrom("products")
      .select(["id", "code", "name", "unit", sql<string>`tax_rate::text`.as("tax_rate"), "active"])
      .where("org_id", "=", orgId)
      .where(sql<string>`lower(code)`, "in", codes.slice(i, i + 1000))
      .execute())
      existing.set(p.code.toLowerCase(), { ...p, taxRate: plainPercent(p.tax_rate) });
  const existingPrices = await pricesOf(
    scope.db,
    orgId,
    [...existing.values()].map((p) => p.id),
  );

  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const writes: { id: string | null; values: ProductValues; changed: boolean }[] = [];
  for (const row of rows) {
    const rowErrors: RowError[] = [];
    const code = cell(row, columns.get("code"));
    if (!code) rowErrors.push(required(row.line, "code"));
    const key = code.toLowerCase();
    const first = seen.get(key);
    if (code && first !== undefined)
      rowErrors.push(refused(row.line, "code", `the code ${code} is on line ${first} already`));
    if (code && first === undefined) seen.set(key, row.line);
    const current = existing.get(key);
    const activeText = cell(row, columns.get("active")).toLowerCase();
    const active = activeText === "" ? (current?.active ?? true) : ACTIVE[activeText];
    if (active === undefined) rowErrors.push(refused(row.line, "active", "yes or no"));
    const prices = new Map(
      (current ? (existingPrices.get(current.id) ?? []) : []).map((p) => [p.currency, p.amount]),
    );
    for (const { currency, index } of priceColumns) {
      const text = cell(row, index);
      if (!text) continue;
      const amount = readAmount(text);
      if (amount === null) rowErrors.push(refused(row.line, currency, "not a price such as 1499.50"));
      else prices.set(currency, amount);
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const priceList = [...prices].sort(([a], [b]) => (a < b ? -1 : 1));
    const checked = ProductCreate.safeParse({
      code,
      name: cell(row, columns.get("name")),
      unit: columns.has("unit") ? cell(row, columns.get("unit")) : (current?.unit ?? null),
      taxRate: readPercent(cell(row, columns.get("taxRate"))),
      active,
      prices: priceList.map(([currency, amount]) => ({ currency, amount })),
    });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const [field, index] = issue.path;
        // A price's problem is named by its currency, as the file's column is.
        const name =
          field === "prices" && typeof index === "number"
            ? (priceList[index]?.[0] ?? "prices")
            : String(field ?? "");
        errors.push(refused(row.line, name, issue.message));
      }
      continue;
    }
    const values: ProductValues = {
      code: checked.data.code,
      name: checked.data.name,
      unit: checked.data.unit ?? null,
      taxRate: checked.data.taxRate,
      active: checked.data.active,
      prices: checked.data.prices.map((p) => ({
        currency: p.currency,
        amount: withCurrencyDecimals(p.amount, p.currency),
      })),
    };
    const changed =
      !current ||
      current.code !== values.code ||
      current.name !== values.name ||
      current.unit !== values.unit ||
      current.taxRate !== plainPercent(values.taxRate) ||
      current.active !== values.active ||
      !samePrices(existingPrices.get(current.id) ?? [], values.prices);
    writes.push({ id: current?.id ?? null, values, changed });
  }
  if (errors.length > 0) throw rowsRefused(errors.sort((a, b) => a.line - b.line));

  const result = {
    rows: rows.length,
    created: writes.filter((w) => w.id === null).length,
    updated: writes.filter((w) => w.id !== null && w.changed).length,
    unchanged: writes.filter((w) => !w.changed).length,
    dryRun: body.dryRun ?? false,
  };
  if (result.dryRun) return result;
  // All rows in one transaction, written a chunk of rows per statement: a statement per row held the embedded
  // store (one connection, every organisation's requests behind it) for over a minute for a file of 20,000.
  await scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "manages the product catalogue");
    const writePrices = async (rows: { productId: string; prices: ProductPrice[] }[]) => {
      const values = rows.flatMap((r) =>
        r.prices.map((p) => ({
          org_id: orgId,
          product_id: r.productId,
          currency: p.currency,
          amount: p.amount,
        })),
      );
      for (let i = 0; i < values.length; i += WRITE_CHUNK * 2)
        await tx
          .insertInto("product_prices")
          .values(values.slice(i, i + WRITE_CHUNK * 2))
          .execute();
    };
    const created = writes.filter((w) => w.id === null);
    for (let i = 0; i < created.length; i += WRITE_CHUNK) {
      const chunk = created.slice(i, i + WRITE_CHUNK);
      const rows = await tx
        .insertInto("products")
        .values(
          chunk.map(({ values }) => ({
            org_id: orgId,
            code: values.code,
            name: values.name,
            unit: values.unit,
            tax_rate: values.taxRate,
            active: values.active,
          })),
        )
        .returning(["id", "code"])
        .execute();
      // The file's codes are unique (without case, so with it too): each row is found again by its code.
      const idOf = new Map(rows.map((r) => [r.code, r.id]));
      const withIds = chunk.map(({ values }) => ({ productId: idOf.get(values.code) as string, values }));
      await writePrices(withIds.map((w) => ({ productId: w.productId, prices: w.values.prices })));
      await recordAuditForEach(
        tx,
        scope.caller,
        "product.created",
        withIds.map((w) => ({ type: "product", id: w.productId, details: { code: w.values.code } })),
      );
    }
    const updated = writes.filter((w) => w.id !== null && w.changed);
    for (let i = 0; i < updated.length; i += WRITE_CHUNK) {
      const chunk = updated.slice(i, i + WRITE_CHUNK);
      const ids = chunk.map((w) => w.id as string);
      await sql`
        update products p
        set code = v.code, name = v.name, unit = v.unit, tax_rate = v.tax_rate, active = v.active,
            version = p.version + 1, updated_at = now()
        from (values ${sql.join(
          chunk.map(
            ({ id, values }) =>
              sql`(${id}::uuid, ${values.code}::text, ${values.name}::text, ${values.unit}::text, ${values.taxRate}::numeric, ${values.active}::boolean)`,
          ),
        )}) as v(id, code, name, unit, tax_rate, active)
        where p.org_id = ${orgId} and p.id = v.id`.execute(tx);
      await tx
        .deleteFrom("product_prices")
        .where("org_id", "=", orgId)
        .where("product_id", "in", ids)
        .execute();
      await writePrices(chunk.map((w) => ({ productId: w.id as string, prices: w.values.prices })));
    }
    await recordAudit(tx, scope.caller, "products.imported", { type: "organization", id: orgId }, result);
  });
  return result;
}
