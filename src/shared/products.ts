import { z } from "zod";
import { Id, IsoDateTime, ListQuery, Version } from "./common";
import { CurrencyCode, Decimal, currencyDecimals } from "./currencies";

// The product catalogue and a deal's line items. Prices are exact decimals as text with the currency's
// precision, one price per currency (a product sold in EUR and SEK has two); a deal's lines are all in the deal's
// currency and their sum before tax is its amount (src/shared/line-totals.ts counts it, for the server, the web
// app and the quote alike).

/** A percentage from 0 to 100 with at most two decimals: a tax rate ("25", "12.5") or a discount. */
export const Percent = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, "a percentage from 0 to 100 as text, such as 25 or 12.5")
  .refine((value) => Number(value) <= 100, "a percentage from 0 to 100");

/** A price: not negative, at most 13 digits before the point (its decimals are checked with the currency). */
export const PriceAmount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,4})?$/, "a price as text, such as 1499.50, not negative");

/** A quantity above 0, at most 9 digits before the point and 4 after ("1", "2.5", "0.25"). */
export const Quantity = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,4})?$/, "a quantity as text, such as 2 or 1.5, above 0")
  .refine((value) => /[1-9]/.test(value), "a quantity above 0");

/** Whether `amount` has no more decimals than `currency` allows (EUR 2, JPY 0, KWD 3). */
export const fitsCurrency = (amount: string, currency: string): boolean =>
  (amount.split(".")[1] ?? "").length <= currencyDecimals(currency);

export const ProductPrice = z
  .strictObject({ currency: CurrencyCode, amount: PriceAmount })
  .superRefine((price, ctx) => {
    if (!fitsCurrency(price.amount, price.currency))
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: `${price.currency} amounts have at most ${currencyDecimals(price.currency)} decimals`,
      });
  });
export type ProductPrice = z.infer<typeof ProductPrice>;

/** The most currencies one product is priced in. */
export const PRODUCT_PRICES_MAX = 50;

/** One price per currency: a second one for the same currency is refused where it stands. */
const Prices = z
  .array(ProductPrice)
  .max(PRODUCT_PRICES_MAX)
  .superRefine((prices, ctx) => {
    const seen = new Set<string>();
    prices.forEach((price, i) => {
      if (seen.has(price.currency))
        ctx.addIssue({
          code: "custom",
          path: [i, "currency"],
          message: `a second price in ${price.currency}`,
        });
      seen.add(price.currency);
    });
  });

/** A product's code: its key in the organisation, compared without case. */
export const ProductCode = z.string().trim().min(1).max(100);

const productFields = {
  name: z.string().trim().min(1).max(200),
  code: ProductCode,
  /** What one of it is ("hour", "licence", "pcs"); null when it goes without saying. */
  unit: z
    .string()
    .trim()
    .max(50)
    .nullable()
    .transform((v) => (v === "" ? null : v)),
  prices: Prices,
  taxRate: Percent,
  /** An inactive product stays on the deals that have it, and is no longer offered for new lines. */
  active: z.boolean(),
};

export const ProductCreate = z.strictObject({
  ...productFields,
  unit: productFields.unit.optional(),
  prices: productFields.prices.default([]),
  active: productFields.active.default(true),
});
export type ProductCreate = z.infer<typeof ProductCreate>;

/** Admins only. `prices`, when sent, replaces them all. Deactivating is `active: false`. */
export const ProductUpdate = z.strictObject({
  name: productFields.name.optional(),
  code: productFields.code.optional(),
  unit: productFields.unit.optional(),
  prices: productFields.prices.optional(),
  taxRate: productFields.taxRate.optional(),
  active: productFields.active.optional(),
  version: Version.optional(),
});
export type ProductUpdate = z.infer<typeof ProductUpdate>;

export const Product = z.object({
  id: Id,
  name: z.string(),
  code: z.string(),
  unit: z.string().nullable(),
  /** Alphabetically by currency, each with its currency's decimals ("1499.50", "15000" in JPY). */
  prices: z.array(z.object({ currency: z.string(), amount: Decimal })),
  /** Trailing zeros dropped: "25", "12.5". */
  taxRate: Decimal,
  active: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Product = z.infer<typeof Product>;

/** Search by name or code; `active` narrows to the active (what a deal's lines offer) or the inactive ones. */
export const ProductListQuery = ListQuery.extend({
  active: z.enum(["true", "false"]).optional(),
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

// ---------------------------------------------------------------------------------------------------------
// Importing a price list (CSV, or an Excel workbook's first sheet): products found by their code are updated,
// new codes created; all rows or none.

/** The most rows one file may hold. */
export const PRODUCT_IMPORT_MAX_ROWS = 20_000;

export const ProductImportRequest = z.strictObject({
  format: z.enum(["csv", "xlsx"]),
  /** CSV: the file's text. XLSX: the file's bytes in base64. */
  content: z.string().max(16 * 1024 * 1024),
  /** Check and count without storing: what the import would do. */
  dryRun: z.boolean().default(false),
});
export type ProductImportRequest = z.infer<typeof ProductImportRequest>;

const Count = z.number().int().min(0);
export const ProductImportResult = z.object({
  rows: Count,
  created: Count,
  updated: Count,
  unchanged: Count,
  dryRun: z.boolean(),
});
export type ProductImportResult = z.infer<typeof ProductImportResult>;

// ---------------------------------------------------------------------------------------------------------
// A deal's line items

/**
 * A line: a product of the catalogue or free text. Picking a product fills what the line leaves out (its name,
 * its price in the deal's currency, its tax rate); what the line says wins (a negotiated price).
 */
export const DealLineInput = z.strictObject({
  productId: Id.nullable().optional(),
  /** Required without a product. */
  name: z.string().trim().min(1).max(200).optional(),
  unit: z.string().trim().max(50).nullable().optional(),
  quantity: Quantity,
  /** In the deal's currency, with its decimals; required without a product. */
  unitPrice: PriceAmount.optional(),
  discountPercent: Percent.default("0"),
  /** Required without a product. */
  taxRate: Percent.optional(),
});
export type DealLineInput = z.infer<typeof DealLineInput>;

/** The most lines one deal has. */
export const DEAL_LINES_MAX = 200;

/**
 * The deal's lines, all of them, replacing what it had: all or none. `currency` is the deal's (a deal without
 * one takes it; naming another changes the deal's currency with its lines, as the prices are then in it).
 * An empty list leaves the deal without lines, keeping the amount it last had (in its currency: another one is
 * refused, as the figure would change its meaning). An inactive product is taken only on a line the deal has.
 */
export const DealLinesReplace = z
  .strictObject({
    currency: CurrencyCode,
    lines: z.array(DealLineInput).max(DEAL_LINES_MAX),
    version: Version.optional(),
  })
  .superRefine((body, ctx) => {
    body.lines.forEach((line, i) => {
      if (line.unitPrice !== undefined && !fitsCurrency(line.unitPrice, body.currency))
        ctx.addIssue({
          code: "custom",
          path: ["lines", i, "unitPrice"],
          message: `${body.currency} amounts have at most ${currencyDecimals(body.currency)} decimals`,
        });
      if (!line.productId)
        for (const field of ["name", "unitPrice", "taxRate"] as const)
          if (line[field] === undefined)
            ctx.addIssue({
              code: "custom",
              path: ["lines", i, field],
              message: `${field} is required for a line without a product`,
            });
    });
  });
export type DealLinesReplace = z.infer<typeof DealLinesReplace>;

export const DealLine = z.object({
  id: Id,
  productId: Id.nullable(),
  /** The product's code now; null for free text or a product since gone. */
  productCode: z.string().nullable(),
  name: z.string(),
  unit: z.string().nullable(),
  quantity: Decimal,
  unitPrice: Decimal,
  discountPercent: Decimal,
  taxRate: Decimal,
  /** quantity × unitPrice × (1 − discount), in the currency's decimals. */
  net: Decimal,
});
export type DealLine = z.infer<typeof DealLine>;

export const DealLines = z.object({
  dealId: Id,
  /** The deal's currency; null for a deal without one (and so without lines). */
  currency: z.string().nullable(),
  /** The deal's version: a replacement sends it. */
  version: Version,
  lines: z.array(DealLine),
  totals: z.object({
    net: Decimal,
    taxes: z.array(z.object({ rate: Decimal, net: Decimal, tax: Decimal })),
    tax: Decimal,
    total: Decimal,
  }),
});
export type DealLines = z.infer<typeof DealLines>;
