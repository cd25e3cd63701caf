import { currencyDecimals } from "../../../shared/currencies";
import { displayLocale } from "../../format";

/** The decimal point and the thousands separator the locale writes ("," and "." in German). */
function separatorsOf(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(11111.5);
  return {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
}

const escaped = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A decimal as a person types it ("1 499,50", "1499.5", "25 %", "1,000" in English) in the form the API takes
 * ("1499.50"), or null. Spaces between thousands are dropped; a comma or a dot is read as the reader's language
 * writes it: its thousands separator in well-formed groups ("1,000" is a thousand to an English reader, "1.000"
 * to a German one: read as 1, a quantity would price the deal a thousand times too low), its decimal point as the
 * point, and the other one as a decimal point where it cannot be a thousands separator ("1,5" in English). What
 * could be either ("1.000" to a Swede, who writes neither) is refused rather than guessed at, as the accounting
 * import and the rates do: a misread price is a wrong deal amount.
 */
export function readTypedDecimal(typed: string, locale: string = displayLocale()): string | null {
  const compact = typed.replace(/[\s\u00a0\u202f%']/g, "");
  if (compact === "") return null;
  const { decimal, group } = separatorsOf(locale);
  const g = escaped(group);
  const d = escaped(decimal);
  // Thousands in groups of three, with or without the reader's decimals: "1,499.50", "1.000.000".
  const grouped = new RegExp(`^\\d{1,3}(?:${g}\\d{3})+(?:${d}\\d+)?$`);
  if (/[,.]/.test(group) && grouped.test(compact)) return compact.split(group).join("").replace(decimal, ".");
  if (compact.includes(",") && compact.includes(".")) return null;
  const separator = compact.includes(",") ? "," : compact.includes(".") ? "." : null;
  // A single "1.000" in a language whose thousands separator is a space: a thousand or one? Refused.
  if (separator !== null && separator !== decimal && /^\d{1,3}[,.]\d{3}$/.test(compact)) return null;
  const text = separator === null ? compact : compact.replace(separator, ".");
  return /^\d+(\.\d+)?$/.test(text) ? text : null;
}

/**
 * A decimal from the API ("2.125") as the reader types it ("2,125" in Swedish, German, Norwegian and Croatian),
 * to fill an input with: read back by `readTypedDecimal` as the same number in every language, where the API's
 * form would read as 2125 in German and Croatian.
 */
export function typedFormOf(decimal: string): string {
  const separator =
    new Intl.NumberFormat(displayLocale()).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return decimal.replace(".", separator);
}

/** An exact decimal with the currency's decimals, in the reader's locale, with its code: "SEK 1 499,50". */
export function formatInCurrency(decimal: string, currency: string): string {
  const digits = currencyDecimals(currency);
  const figure = new Intl.NumberFormat(displayLocale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as `${number}`);
  return `${currency}\u00a0${figure}`;
}

/** A quantity or a rate as the reader's locale writes it, with every decimal it has ("1,5", "12,5"). */
export const formatDecimal = (decimal: string): string =>
  new Intl.NumberFormat(displayLocale(), { maximumFractionDigits: 4 }).format(decimal as `${number}`);
