import { type MessageKey, catalogues, en } from "./messages";

export interface I18n {
  locale: string;
  t(key: MessageKey, values?: Record<string, string>): string;
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
  /** A calendar date (YYYY-MM-DD) as it is written, never shifted by the rep's time zone. */
  formatDay(date: string): string;
  formatNumber(value: number): string;
  formatAmount(amount: number, currency: string | null): string;
}

/** Outlook's display language ("nb-NO", "sv-SE", "no") → one of our catalogues; English when we have none. */
export function catalogueFor(displayLanguage: string): keyof typeof catalogues {
  const language = displayLanguage.toLowerCase().split(/[-_]/)[0] ?? "en";
  const alias: Record<string, string> = { no: "nb", nn: "nb" };
  const key = alias[language] ?? language;
  return key in catalogues ? key : "en";
}

export function createI18n(displayLanguage: string): I18n {
  const catalogue = catalogues[catalogueFor(displayLanguage)] ?? en;
  const locale = displayLanguage || "en-US";
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const numbers = new Intl.NumberFormat(locale);
  return {
    locale,
    t: (key, values = {}) =>
      (catalogue[key] ?? en[key]).replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ""),
    formatDate: (iso) => dates.format(new Date(iso)),
    formatDateTime: (iso) => dateTimes.format(new Date(iso)),
    formatDay: (date) => {
      const instant = new Date(`${date}T00:00:00Z`);
      return Number.isNaN(instant.getTime()) ? date : days.format(instant);
    },
    formatNumber: (value) => numbers.format(value),
    formatAmount: (amount, currency) =>
      currency
        ? new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(
            amount,
          )
        : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount),
  };
}
