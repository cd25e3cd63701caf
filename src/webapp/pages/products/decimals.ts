import { currencyDecimals } from "../../../shared/currencies";
import { displayLocale } from "../../format";

/**
 * A decimal as a person types it ("1 499,50", "1499.5", "25 %") in the form the API takes ("1499.50"), or null.
 * One decimal separator, a comma or a dot; spaces between thousands. Both a comma and a dot are refused rather
 * than guessed at, as the accounting import and the rates do: a misread price is a wrong deal amount.
 */
export function readTypedDecimal(typed: string): string | null {
  const compact = typed.replace(/[\s\u00a0\u202f%']/g, "");
  if (compact === "" || (compact.includes(",") && compact.includes("."))) return null;
  const text = compact.replace(",", ".");
  return /^\d+(\.\d+)?$/.test(text) ? text : null;
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
