import { languageOf, localeFor, preferredLanguage, translate } from "../shared/languages";
import { currencyDecimals } from "../shared/currencies";
import { formatMessages } from "./format-messages";

/**
 * Dates, numbers and amounts as the web app's language writes them: the language provider sets the locale when
 * the language is chosen or changes (everything that formats also reads that language's words, so it renders
 * again with them).
 */
let locale = localeFor(
  preferredLanguage(
    typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language],
  ),
  typeof navigator === "undefined" ? [] : [...(navigator.languages ?? [])],
);
let dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
let dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
let times = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
let currencyNames: Intl.DisplayNames | null = null;

export function setDisplayLocale(next: string): void {
  if (next === locale) return;
  locale = next;
  dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  times = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
  currencyNames = null;
}

/** The locale the web app writes in now (for a component that formats with Intl itself). */
export const displayLocale = (): string => locale;

export const formatDate = (iso: string) =>
  dates.format(new Date(iso.length === 10 ? `${iso}T00:00:00` : iso));
/** An instant in the browser's time zone, or in the one named (the user's, as the web app holds it). */
export const formatDateTime = (iso: string, timeZone?: string) =>
  (timeZone
    ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone })
    : dateTimes
  ).format(new Date(iso));
export const formatTime = (iso: string) => times.format(new Date(iso));

/**
 * A deal's amount with its currency: the ISO code before the figure ("EUR 12,500", "DKK 95,000.50"), as the
 * reports write amounts, in every language and for every currency (a symbol would tell $ apart from no
 * currency but not USD from CAD). An amount without a currency says so: a bare figure reads as if it had one.
 * The space is a non-breaking one, so the code never ends a line apart from its figure.
 */
export function formatAmount(amount: number, currency: string | null): string {
  const figure = formatFigure(amount);
  if (currency) return `${currency}\u00a0${figure}`;
  // The locale is always one of our languages' (the provider sets it), so its words are that language's.
  return translate(formatMessages[languageOf(locale) ?? "en"].amountWithoutCurrency, { amount: figure });
}

/** An amount's figure alone, as `formatAmount` writes it: for a sentence that says the amount has no currency. */
export const formatFigure = (amount: number): string =>
  new Intl.NumberFormat(locale, {
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);

export const formatNumber = (value: number, digits = 2) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);

export const formatPercent = (ratio: number) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(ratio);

/**
 * An exact decimal from the server ("95000.00") as the browser's language writes it; never a float. With its
 * currency, with that currency's decimals (none for JPY, three for KWD: never rounded to the cent); without, to
 * the cent.
 */
export const formatMoney = (decimal: string, currency?: string) => {
  const digits = currency === undefined ? 2 : currencyDecimals(currency);
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as `${number}`);
};

/** An exchange rate with every decimal it was set with. */
export const formatRate = (decimal: string) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 10 }).format(decimal as `${number}`);

/** "DKK · Danish Krone": a code with its name in the web app's language, where the browser knows it. */
export function currencyLabel(code: string): string {
  if (!currencyNames && typeof Intl.DisplayNames === "function")
    currencyNames = new Intl.DisplayNames([locale], { type: "currency" });
  const name = currencyNames?.of(code);
  return name && name !== code ? `${code} · ${name}` : code;
}
