import type { Conversion } from "../../shared/reports";
import type { Cell, Column } from "../export/table-file";
import { type Scope, iso } from "../scope";

// What the reports with amounts share: each of their lines is one currency's figures, converted into the base
// currency at the rate an admin set (1 for the base itself), or, without a rate, left as they are and named.

/** The columns every such line has about its currency's conversion, as the report's SQL answers them. */
export interface CurrencyLine {
  /** The organisation's base currency, read in the same statement as the figures. */
  base_currency: string;
  currency: string | null;
  /** The rate used, exact; "1" for the base; null without one. */
  rate: string | null;
  rate_set_at: Date | null;
}

/** The base, the rates the lines were converted at, and the currencies that could not be converted. */
export async function conversionOf<L extends CurrencyLine>(
  scope: Scope,
  lines: L[],
  notConverted: (line: L) => boolean,
): Promise<Conversion> {
  const baseCurrency = lines[0]?.base_currency ?? (await baseCurrencyOf(scope));
  const rates = new Map<string, Conversion["rates"][number]>();
  const unconverted = new Set<string | null>();
  for (const line of lines) {
    if (notConverted(line)) unconverted.add(line.currency);
    else if (line.currency !== null && line.currency !== baseCurrency && line.rate && line.rate_set_at)
      rates.set(line.currency, { currency: line.currency, rate: line.rate, setAt: iso(line.rate_set_at) });
  }
  return {
    baseCurrency,
    rates: [...rates.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    notConverted: [...unconverted].sort(currencyOrder),
  };
}

async function baseCurrencyOf(scope: Scope): Promise<string> {
  const org = await scope.db
    .selectFrom("organizations")
    .select("base_currency")
    .where("id", "=", scope.caller.orgId)
    .executeTakeFirstOrThrow();
  return org.base_currency;
}

/** Alphabetically, deals without a currency last: the order the reports list currencies in. */
const currencyOrder = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b);

type RateUsed = Conversion["rates"][number];

export const ratesByCurrency = (conversion: Conversion): Map<string, RateUsed> =>
  new Map(conversion.rates.map((r) => [r.currency, r]));

/** A file's columns that say how a line was converted: the rate, when it was set, and why not if it was not. */
export function rateColumns(base: string): Column<Record<string, Cell>>[] {
  return [
    { key: "rate", header: `Rate to ${base}`, type: "rate" },
    { key: "rateSetAt", header: "Rate set", type: "datetime" },
  ];
}

export function rateCells(
  currency: string | null,
  converted: boolean,
  base: string,
  rates: Map<string, RateUsed>,
): Record<"rate" | "rateSetAt" | "notConverted", Cell> {
  const used = currency === null ? undefined : rates.get(currency);
  if (currency === base) return { rate: "1", rateSetAt: null, notConverted: null };
  if (used) return { rate: used.rate, rateSetAt: used.setAt, notConverted: null };
  // Nothing to convert (amounts of 0), or nothing it could be converted at.
  if (converted) return { rate: null, rateSetAt: null, notConverted: null };
  return {
    rate: null,
    rateSetAt: null,
    notConverted: currency === null ? "deals without a currency" : `no rate from ${currency} to ${base}`,
  };
}
