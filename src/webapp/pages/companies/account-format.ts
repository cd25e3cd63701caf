import type { CompanyAccount, CurrencyBalance } from "../../../shared/invoices";
import type { Language } from "../../../shared/languages";
import { translate } from "../../../shared/languages";
import { displayLocale } from "../../format";
import { countText } from "../../i18n/plural";
import type { AccountWords } from "./account-messages";

/**
 * An invoice amount with its currency as the web app writes amounts ("SEK 14,500", "EUR 2,200.50"): the code
 * before the figure, whole amounts without decimals, others with the decimals the server sent (the currency's).
 * The decimal's text goes to Intl as it is, never through a float.
 */
export function formatInvoiceAmount(decimal: string, currency: string): string {
  const fraction = decimal.split(".")[1] ?? "";
  const digits = /[1-9]/.test(fraction) ? fraction.length : 0;
  const figure = new Intl.NumberFormat(displayLocale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as `${number}`);
  return `${currency}\u00a0${figure}`;
}

/** Each currency on its own, in the server's order: amounts in different currencies are never added up. */
export const amountsText = (lines: CurrencyBalance[]) =>
  lines.map((l) => formatInvoiceAmount(l.balance, l.currency)).join(" · ");

export const daysText = (t: AccountWords, language: Language, days: number) =>
  countText(language, days, { one: t.daysOne, few: t.daysFew, other: t.daysOther });

/** "2 invoices overdue: SEK 14,500, oldest 23 days"; null when nothing is overdue. */
export function overdueText(
  t: AccountWords,
  language: Language,
  overdue: CompanyAccount["overdue"],
): string | null {
  if (overdue.invoices === 0 || overdue.oldestDaysOverdue === null) return null;
  return translate(overdue.invoices === 1 ? t.overdueFlagSingle : t.overdueFlag, {
    invoices: countText(language, overdue.invoices, {
      one: t.overdueOne,
      few: t.overdueFew,
      other: t.overdueOther,
    }),
    amounts: amountsText(overdue.amounts),
    days: daysText(t, language, overdue.oldestDaysOverdue),
  });
}
