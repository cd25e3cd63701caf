import { type Kysely, sql } from "kysely";
import { withCurrencyDecimals } from "../../shared/currencies";
import { plainPercent } from "../../shared/line-totals";
import type {
  Product,
  ProductCreate,
  ProductListQuery,
  ProductPrice,
  ProductUpdate,
} from "../../shared/products";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { NameCursor, byName, decodeCursor, likePattern, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";

// The product catalogue: everyone in the organisation reads it (a rep picks from it for a deal's lines), admins
// write it. Numerics are read as text and written as text: a price never passes through a float.

interface ProductRow {
  id: string;
  code: string;
  name: string;
  unit: string | null;
  tax_rate: string;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function selectProducts(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("products as p")
    .select([
      "p.id",
      "p.code",
      "p.name",
      "p.unit",
      sql<string>`p.tax_rate::text`.as("tax_rate"),
      "p.active",
      "p.version",
      "p.created_at",
      "p.updated_at",
    ])
    .where("p.org_id", "=", orgId);
}

/** The prices of the products named, alphabetically by currency, in one query. */
export async function pricesOf(
  db: Kysely<DB>,
  orgId: string,
  productIds: string[],
): Promise<Map<string, ProductPrice[]>> {
  const prices = new Map<string, ProductPrice[]>();
  if (productIds.length === 0) return prices;
  const rows = await db
    .selectFrom("product_prices")
    .select(["product_id", "currency", sql<string>`amount::text`.as("amount")])
    .where("org_id", "=", orgId)
    .where("product_id", "in", productIds)
    .orderBy("product_id")
    .orderBy("currency")
    .execute();
  for (const row of rows)
    prices.set(row.product_id, [
      ...(prices.get(row.product_id) ?? []),
      { currency: row.currency, amount: withCurrencyDecimals(row.amount, row.currency) },
    ]);
  return prices;
}

const toProduct = (row: ProductRow, prices: ProductPrice[]): Product => ({
  id: row.id,
  name: row.name,
  code: row.code,
  unit: row.unit,
  prices,
  taxRate: plainPercent(row.tax_rate),
  active: row.active,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

const productOrder = byName("p.name", "p.id");

export async function listProducts(
  scope: Scope,
  query: ProductListQuery,
): Promise<{ items: Product[]; nextCursor: string | null }> {
  const { orgId } = scope.caller;
  const after = decodeCursor(query.cursor, NameCursor);
  let select = selectProducts(scope.db, orgId).select(productOrder.key.as("sort_key"));
  if (query.q) {
    const pattern = likePattern(query.q);
    select = select.where((eb) => eb.or([eb("p.name", "ilike", pattern), eb("p.code", "ilike", pattern)]));
  }
  if (query.active) select = select.where("p.active", "=", query.active === "true");
  if (after) select = select.where(productOrder.after(after));
  const limit = query.limit ?? 50;
  const rows = await select
    .orderBy(productOrder.key)
    .orderBy("p.id")
    .limit(limit + 1)
    .execute();
  const prices = await pricesOf(
    scope.db,
    orgId,
    rows.slice(0, limit).map((r) => r.id),
  );
  return pageOf(
    rows,
    limit,
    (r) => toProduct(r, prices.get(r.id) ?? []),
    (r) => [r.sort_key, r.id],
  );
}

export async function getProduct(scope: Scope, id: string): Promise<Product> {
  const row = await selectProducts(scope.db, scope.caller.orgId).where("p.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("The product");
  const prices = await pricesOf(scope.db, scope.caller.orgId, [id]);
  return toProduct(row, prices.get(id) ?? []);
}

export async function setPrices(
  tx: Kysely<DB>,
  orgId: string,
  productId: string,
  prices: ProductPrice[],
): Promise<void> {
  await tx
    .deleteFrom("product_prices")
    .where("org_id", "=", orgId)
    .where("product_id", "=", productId)
    .execute();
  if (prices.length > 0)
    await tx
      .insertInto("product_prices")
      .values(
        prices.map((p) => ({ org_id: orgId, product_id: productId, currency: p.currency, amount: p.amount })),
      )
      .execute();
}

/** A product as it is written: the checked create's fields. */
export interface ProductValues {
  code: string;
  name: string;
  unit: string | null;
  taxRate: string;
  active: boolean;
  prices: ProductPrice[];
}

export async function insertProduct(tx: Kysely<DB>, scope: Scope, values: ProductValues): Promise<string> {
  const { orgId } = scope.caller;
  const row = await tx
    .insertInto("products")
    .values({
      org_id: orgId,
      code: values.code,
      name: values.name,
      unit: values.unit,
      tax_rate: values.taxRate,
      active: values.active,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await setPrices(tx, orgId, row.id, values.prices);
  await recordAudit(
    tx,
    scope.caller,
    "product.created",
    { type: "product", id: row.id },
    { code: values.code },
  );
  return row.id;
}

export async function createProduct(scope: Scope, input: ProductCreate): Promise<Product> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "manages the product catalogue");
    const id = await insertProduct(tx, scope, {
      code: input.code,
      name: input.name,
      unit: input.unit ?? null,
      taxRate: input.taxRate,
      active: input.active ?? true,
      prices: input.prices ?? [],
    });
    return getProduct({ ...scope, db: tx }, id);
  });
}

export async function updateProduct(
  scope: Scope,
  id: string,
  version: number,
  input: Omit<ProductUpdate, "version"> & { unit?: string | null },
): Promise<Product> {
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const { orgId } = scope.caller;
    await requireAdmin(tx, scope.caller, "manages the product catalogue");
    const row = await tx
      .updateTable("products")
      .set({
        name: input.name,
        code: input.code,
        unit: input.unit,
        tax_rate: input.taxRate,
        active: input.active,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw versionConflict(await getProduct(txScope, id));
    if (input.prices !== undefined) await setPrices(tx, orgId, id, input.prices as ProductPrice[]);
    await recordAudit(
      tx,
      scope.caller,
      "product.updated",
      { type: "product", id },
      { fields: Object.keys(input) },
    );
    return getProduct(txScope, id);
  });
}

export const fieldRefused = (path: string, message: string, status = 400) =>
  new AppError("invalid_request", status, `${path}: ${message}`, { errors: [{ path, message }] });
