import { z } from "zod";
import { Id, IsoDateTime } from "./common";

// An organisation's base currency and its exchange rates. Amounts in different currencies are never added
// together: a report shows them per currency, or converted into the base currency at a rate an admin set (and
// names that rate and its date). A currency without a rate is shown as it is, never converted at a guess.

/**
 * The currencies ISO 4217 defines today, as the platform's Intl knows them (server and browser alike). A runtime
 * without the list (none we ship to) takes any three letters.
 */
const ISO_4217: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [],
);

export const isIsoCurrency = (code: string): boolean =>
  /^[A-Z]{3}$/.test(code) && (ISO_4217.size === 0 || ISO_4217.has(code));

/** The ISO 4217 codes, alphabetically: what the web app offers to choose from. */
export const ISO_CURRENCIES: readonly string[] = [...ISO_4217].sort();

/** The currencies a Nordic or European team sells in most, offered first after the organisation's own. */
export const COMMON_CURRENCIES: readonly string[] = ["EUR", "SEK", "NOK", "DKK", "USD", "GBP", "CHF"];

/**
 * The currencies to offer, in order: the base currency, the common ones, then every other ISO code
 * alphabetically; each once.
 */
export function currencyChoices(baseCurrency: string | null): { common: string[]; other: string[] } {
  const common = [...new Set([...(baseCurrency ? [baseCurrency] : []), ...COMMON_CURRENCIES])];
  return { common, other: ISO_CURRENCIES.filter((c) => !common.includes(c)) };
}

/** An ISO 4217 code, trimmed and upper-cased ("eur" is EUR); three letters that name no currency are refused. */
export const CurrencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isIsoCurrency, "an ISO 4217 currency code such as EUR");
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/**
 * An exact decimal as text ("95000.00", "0.1341"): amounts and rates never pass through floating point, where
 * 0.1 + 0.2 is not 0.3 and a sum past 2^53 cents loses them.
 */
export const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "a decimal number as text, such as 1234.50");
export type Decimal = z.infer<typeof Decimal>;

/**
 * What one unit of a currency is worth in the base currency, as text with a dot: at most 10 digits before it
 * and 10 after (0.0000573 IDR → EUR fits), above zero. Text, not a JSON number, so that what is stored is
 * exactly what was typed.
 */
export const Rate = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,10})?$/, "a decimal number as text, such as 0.1341 (at most 10 decimals)")
  .refine((rate) => /[1-9]/.test(rate), "a rate above 0");

/**
 * Why a typed rate cannot be read: empty, more than one separator, not digits, too many digits, or zero. A code,
 * not a sentence: the web app says it in the user's language.
 */
export type RateProblem = "empty" | "separators" | "notDigits" | "tooLong" | "notAboveZero";

/**
 * A rate as a person types it ("11,47" or "11.47") in the form the API takes ("11.47"), or why it cannot be.
 * Exactly one decimal separator, a comma or a dot: "1,234.5" and "1.234,5" are refused rather than read one way
 * or the other, as a thousands separator would be a guess, and a misread rate silently skews every report.
 */
export function parseTypedRate(typed: string): { rate: string } | { problem: RateProblem } {
  const text = typed.trim();
  if (text === "") return { problem: "empty" };
  const separators = text.replace(/[^.,]/g, "");
  if (separators.length > 1) return { problem: "separators" };
  const rate = text.replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(rate)) return { problem: "notDigits" };
  const checked = Rate.safeParse(rate);
  if (!checked.success) return { problem: /[1-9]/.test(rate) ? "tooLong" : "notAboveZero" };
  return { rate: checked.data };
}

export const ExchangeRate = z.object({
  currency: z.string(),
  /** One unit of `currency` is worth `rate` units of the base currency; exact, trailing zeros dropped. */
  rate: Decimal,
  setAt: IsoDateTime,
  /** Who set it; null once that user is gone. */
  setBy: z.object({ id: Id, name: z.string().nullable() }).nullable(),
});
export type ExchangeRate = z.infer<typeof ExchangeRate>;

export const Currencies = z.object({
  /** What reports convert into; every rate is to it. */
  baseCurrency: z.string(),
  /** Alphabetically by currency. */
  rates: z.array(ExchangeRate),
  /**
   * The currencies the organisation's deals are in, with how many deals each (null: deals without a currency),
   * alphabetically, none last: the ones a report will need a rate for.
   */
  dealCurrencies: z.array(z.object({ currency: z.string().nullable(), deals: z.number().int().min(0) })),
});
export type Currencies = z.infer<typeof Currencies>;

/**
 * Every rate is to the base currency, so a new base removes them (an admin sets the rates to the new base);
 * naming the base it already has changes nothing.
 */
export const BaseCurrencyUpdate = z.strictObject({ baseCurrency: CurrencyCode });
export type BaseCurrencyUpdate = z.infer<typeof BaseCurrencyUpdate>;

export const ExchangeRateSet = z.strictObject({
  currency: CurrencyCode,
  rate: Rate,
  /**
   * The base currency the rate is to, as the admin saw it: should another admin have changed the base meanwhile,
   * the rate is refused (409 base_currency_changed) rather than stored against a base it was not meant for.
   */
  baseCurrency: CurrencyCode,
});
export type ExchangeRateSet = z.infer<typeof ExchangeRateSet>;

export const CurrencyParams = z.strictObject({ currency: CurrencyCode });

export const ExchangeRateDeleted = z.object({ currency: z.string(), deleted: z.literal(true) });

/**
 * How many decimals an amount in the currency may have: ISO 4217's minor unit as the platform's Intl knows it
 * (EUR 2, JPY 0, KWD 3). An invoice of 10.005 EUR is a mistake somewhere upstream, not a number to round.
 */
export function currencyDecimals(code: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** A decimal as text with exactly the currency's decimals ("12.5" in EUR is "12.50"); never through a float. */
export function withCurrencyDecimals(amount: string, currency: string): string {
  const decimals = currencyDecimals(currency);
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  const digits = whole.replace(/^0+(?=\d)/, "");
  // Only zeros are cut: amounts are refused with more decimals than the currency has before they are stored.
  const kept = decimals === 0 ? "" : `.${fraction.padEnd(decimals, "0").slice(0, decimals)}`;
  const text = `${digits}${kept}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}
