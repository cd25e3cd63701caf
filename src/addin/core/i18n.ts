import { type Catalogue, type MessageKey, en } from "./messages/en";

export interface I18n {
  locale: string;
  t(key: MessageKey, values?: Record<string, string>): string;
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
  /** The time of day alone ("14:30"), for the end of something that ends on the day it starts. */
  formatTime(iso: string): string;
  /** Whether two instants fall on one calendar day where the rep is. */
  sameDay(a: string, b: string): boolean;
  /** A calendar date (YYYY-MM-DD) as it is written, never shifted by the rep's time zone. */
  formatDay(date: string): string;
  formatNumber(value: number): string;
  formatAmount(amount: number, currency: string | null): string;
}

export type PaneLanguage = "en" | "sv" | "de" | "nb" | "hr";

/*
 * English is in the first load; each other language is a chunk of its own (about 2 KB gzipped), fetched once
 * before the first paint for its readers only: five catalogues in every first load cost all readers 9.6 KB.
 */
const translations: Record<Exclude<PaneLanguage, "en">, () => Promise<{ default: Catalogue }>> = {
  sv: () => import(/* webpackChunkName: "pane-sv" */ "./messages/sv"),
  de: () => import(/* webpackChunkName: "pane-de" */ "./messages/de"),
  nb: () => import(/* webpackChunkName: "pane-nb" */ "./messages/nb"),
  hr: () => import(/* webpackChunkName: "pane-hr" */ "./messages/hr"),
};

/** Outlook's display language ("nb-NO", "sv-SE", "no") → one of our catalogues; English when we have none. */
export function catalogueFor(displayLanguage: string): PaneLanguage {
  const language = displayLanguage.toLowerCase().split(/[-_]/)[0] ?? "en";
  const alias: Record<string, string> = { no: "nb", nn: "nb" };
  const key = alias[language] ?? language;
  return key === "en" || key in translations ? (key as PaneLanguage) : "en";
}

/** The catalogue for a display language; English when its chunk cannot be fetched (the pane still works). */
export async function loadCatalogue(displayLanguage: string): Promise<Catalogue> {
  const language = catalogueFor(displayLanguage);
  if (language === "en") return en;
  try {
    return (await translations[language]()).default;
  } catch {
    return en;
  }
}

/** The lookup for a display language over its catalogue, loaded before (loadCatalogue); English by default. */
export function createI18n(displayLanguage: string, catalogue: Catalogue = en): I18n {
  const locale = displayLanguage || "en-US";
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const times = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
  const localDay = (iso: string) => {
    const d = new Date(iso);
    return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
  };
  const numbers = new Intl.NumberFormat(locale);
  return {
    locale,
    t: (key, values = {}) =>
      (catalogue[key] ?? en[key]).replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ""),
    formatDate: (iso) => dates.format(new Date(iso)),
    formatDateTime: (iso) => dateTimes.format(new Date(iso)),
    formatTime: (iso) => times.format(new Date(iso)),
    sameDay: (a, b) => localDay(a) === localDay(b),
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

/** The plural form a count takes in the pane's language: Croatian has three (21 is "one" again), the others two. */
export function pluralOf(locale: string, count: number): "one" | "few" | "other" {
  const form = new Intl.PluralRules(locale).select(count);
  return form === "one" || form === "few" ? form : "other";
}

/** "Every day", never "every 1 day"; other spans in the language's plural forms ("every 3 days"). */
export function gapText(i18n: I18n, days: number): string {
  if (days === 1) return i18n.t("gapDaily");
  return i18n.t(`gap_${pluralOf(i18n.locale, days)}`, { count: i18n.formatNumber(days) });
}
