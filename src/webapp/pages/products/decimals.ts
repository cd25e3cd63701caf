import { currencyDecimals } from "../../../shared/currencies";
import { displayLocale } from "../../format";

/** The separator the reader's locale puts between thousands ("." in German and Croatian, "," in English). */
function groupSeparator(): string {
  const group = new Intl.NumberFormat(displayLocale()).formatToParts(10000).find((p) => p.type === "group");
  return group?.value ?? "";
}

/**
 * A decimal as a person types it ("1 499,50", "1.499,50", "1499.5", "25 %") in the form the API takes ("1499.50"),
 * or null. Spaces between thousands; dots or commas between thousands when they stand every three digits before
 * the decimal separator ("1.499,50", "1,499.50"). A lone separator followed by exactly three digits ("1.499") is
 * read as the reader's locale writes it: a thousands separator in German and Croatian, a decimal one in Swedish
 * and Norwegian. Anything else with both a comma and a dot is refused rather than guessed at, as the accounting
 * import and the rates do: a misread price is a wrong deal amount.
 */
export function readTypedDecimal(typed: string): string | null {
  const compact = typed.replace(/[\s\u00a0\u202f%']/g, "");
  if (compact === "") return null;
  // Grouped thousands with a decimal separator after them: the last separator is the decimal one.
  const grouped = /^([1-9]\d{0,2}(?:([.,])\d{3})+)(?:([.,])(\d+))?$/.exec(compact);
  if (grouped) {
    const [, whole = "", group, decimal, fraction] = grouped;
    const lone = whole.split(group as string).length === 2 && decimal === undefined;
    if (!lone || group === groupSeparator()) {
      if (decimal === group) return null;
      const digits = whole.split(group as string).join("");
      return fraction === undefined ? digits : `${digits}.${fraction}`;
    }
  }
  if (compact.includes(",") && compact.includes(".")) return null;
  const text = compact.replace(",", ".");
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
