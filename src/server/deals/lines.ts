import { type Kysely, sql } from "kysely";
import { lineTotals } from "../../shared/line-totals";
import type { DealLine, DealLines, DealLinesReplace } from "../../shared/products";
import { plainPercent } from "../../shared/line-totals";
import { withCurrencyDecimals } from "../../shared/currencies";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { notFound, versionConflict } from "../errors";
import { fieldRefused } from "../products/service";
import type { Scope } from "../scope";

// A deal's line items. The lines are replaced as a whole, all or none, and the deal's amount becomes their sum
// before tax in the same transaction: the amount a report adds up is never out of step with the lines a quote
// shows. A deal without lines keeps the amount a rep typed.

/** The deal's amount has 13 digits before the point (numeric(17, 4)); lines that add up to more are refused. */
const AMOUNT_LIMIT = 10n ** 13n;

async function readLines(db: Kysely<DB>, orgId: string, dealId: string) {
  return db
    .selectFrom("deal_lines as l")
    .leftJoin("products as p", (join) =>
      join.onRef("p.id", "=", "l.product_id").onRef("p.org_id", "=", "l.org_id"),
    )
    .select([
      "l.id",
      "l.product_id",
      "p.code as product_code",
      "l.name",
      "l.unit",
      sql<string>`l.quantity::text`.as("quantity"),
      sql<string>`l.unit_price::text`.as("unit_price"),
      sql<string>`l.discount_percent::text`.as("discount_percent"),
      sql<string>`l.tax_rate::text`.as("tax_rate"),
    ])
    .where("l.org_id", "=", orgId)
    .where("l.deal_id", "=", dealId)
    .orderBy("l.position")
    .execute();
}

/** A decimal without the zeros after its point that say nothing: "2.5000" → "2.5", "3.0000" → "3". */
const plain = (value: string) => (value.includes(".") ? value.replace(/\.?0+$/, "") : value);

export async function getDealLines(scope: Scope, dealId: string): Promise<DealLines> {
  const { orgId } = scope.caller;
  const deal = await scope.db
    .selectFrom("deals")
    .select(["id", "currency", "version"])
    .where("org_id", "=", orgId)
    .where("id", "=", dealId)
    .executeTakeFirst();
  if (!deal) throw notFound("The deal");
  const rows = await readLines(scope.db, orgId, dealId);
  // Lines exist only with a currency (they are written with it); a deal without one has none to count.
  const currency = deal.currency ?? "EUR";
  const priced = rows.map((r) => ({
    quantity: plain(r.quantity),
    unitPrice: withCurrencyDecimals(r.unit_price, currency),
    discountPercent: plainPercent(r.discount_percent),
    taxRate: plainPercent(r.tax_rate),
  }));
  const totals = lineTotals(priced, currency);
  const lines: DealLine[] = rows.map((r, i) => ({
    id: r.id,
    productId: r.product_id,
    productCode: r.product_code ?? null,
    name: r.name,
    unit: r.unit,
    ...(priced[i] as (typeof priced)[number]),
    net: totals.lineNets[i] as string,
  }));
  return {
    dealId,
    currency: deal.currency,
    version: deal.version,
    lines,
    totals: { net: totals.net, taxes: totals.taxes, tax: totals.tax, total: totals.total },
  };
}

export async function replaceDealLines(
  scope: Scope,
  dealId: string,
  version: number,
  input: Omit<DealLinesReplace, "version">,
): Promise<DealLines> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId } = scope.caller;
    const txScope = { ...scope, db: tx };
    const deal = await tx
      .selectFrom("deals")
      .select(["id", "version", "currency", "amount"])
      .where("org_id", "=", orgId)
      .where("id", "=", dealId)
      .forUpdate()
      .executeTakeFirst();
    if (!deal) throw notFound("The deal");
    if (deal.version !== version) throw versionConflict(await getDealLines(txScope, dealId));
    const { currency } = input;
    // Without lines the deal keeps its amount: in another currency it would be the same figure for another sum of
    // money (EUR 95.50 as JPY 95.50), converted by no one.
    if (
      input.lines.length === 0 &&
      deal.amount !== null &&
      deal.currency !== null &&
      deal.currency !== currency
    )
      throw fieldRefused(
        "body.currency",
        `the deal keeps its amount in ${deal.currency} without lines: change its currency on the deal`,
      );
    // The products the deal's lines have now: one since deactivated stays on them, and is offered for no other.
    const kept = new Set(
      (
        await tx
          .selectFrom("deal_lines")
          .select("product_id")
          .where("org_id", "=", orgId)
          .where("deal_id", "=", dealId)
          .where("product_id", "is not", null)
          .execute()
      ).map((r) => r.product_id),
    );

    // The products the lines name, with their price in the deal's currency, in one query.
    const productIds = [...new Set(input.lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
    const products = new Map<
      string,
      { name: string; unit: string | null; tax_rate: string; active: boolean; price: string | null }
    >();
    if (productIds.length > 0)
      for (const p of await tx
        .selectFrom("products as p")
        .leftJoin("product_prices as pp", (join) =>
          join
            .onRef("pp.product_id", "=", "p.id")
            .onRef("pp.org_id", "=", "p.org_id")
            .on("pp.currency", "=", currency),
        )
        .select([
          "p.id",
          "p.name",
          "p.unit",
          sql<string>`p.tax_rate::text`.as("tax_rate"),
          "p.active",
          sql<string | null>`pp.amount::text`.as("price"),
        ])
        .where("p.org_id", "=", orgId)
        .where("p.id", "in", productIds)
        .execute())
        products.set(p.id, p);

    const lines = input.lines.map((line, i) => {
      const at = `body.lines.${i}`;
      const product = line.productId ? products.get(line.productId) : undefined;
      if (line.productId && !product) throw fieldRefused(`${at}.productId`, "no such product");
      if (line.productId && product && !product.active && !kept.has(line.productId))
        throw fieldRefused(`${at}.productId`, "the product is no longer sold: pick an active one");
      const unitPrice =
        line.unitPrice ??
        (product?.price == null ? undefined : withCurrencyDecimals(product.price, currency));
      if (unitPrice === undefined)
        throw fieldRefused(
          `${at}.productId`,
          `the product has no price in ${currency}: give the line a unitPrice`,
        );
      return {
        productId: line.productId ?? null,
        name: line.name ?? (product?.name as string),
        unit: line.unit === undefined ? (product?.unit ?? null) : line.unit || null,
        quantity: line.quantity,
        unitPrice,
        discountPercent: line.discountPercent ?? "0",
        taxRate: line.taxRate ?? plainPercent(product?.tax_rate as string),
      };
    });
    const totals = lineTotals(lines, currency);
    const [whole = "0"] = totals.net.split(".");
    if (BigInt(whole) >= AMOUNT_LIMIT)
      throw fieldRefused("body.lines", "the lines add up to more than a deal's amount holds (13 digits)");

    await tx.deleteFrom("deal_lines").where("org_id", "=", orgId).where("deal_id", "=", dealId).execute();
    if (lines.length > 0)
      await tx
        .insertInto("deal_lines")
        .values(
          lines.map((line, position) => ({
            org_id: orgId,
            deal_id: dealId,
            position,
            product_id: line.productId,
            name: line.name,
            unit: line.unit,
            quantity: line.quantity,
            unit_price: line.unitPrice,
            discount_percent: line.discountPercent,
            tax_rate: line.taxRate,
            currency,
          })),
        )
        .execute();
    await tx
      .updateTable("deals")
      .set({
        currency,
        // Without lines the deal keeps the amount it has: the rep's own, or the last lines' sum.
        ...(lines.length > 0 ? { amount: totals.net } : {}),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", dealId)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "deal.lines_replaced",
      { type: "deal", id: dealId },
      { lines: lines.length, currency, amount: totals.net },
    );
    return getDealLines(txScope, dealId);
  });
}

/** Whether the deal's amount comes from lines: a rep's amount or another currency would contradict them. */
export async function hasLines(db: Kysely<DB>, orgId: string, dealId: string): Promise<boolean> {
  const row = await db
    .selectFrom("deal_lines")
    .select("id")
    .where("org_id", "=", orgId)
    .where("deal_id", "=", dealId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
