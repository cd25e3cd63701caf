import {
  Caption1,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Company } from "../../../shared/companies";
import type { CompanyAccount as Account, CurrencyBalance } from "../../../shared/invoices";
import { type I18n, gapText, pluralOf } from "../../core/i18n";
import { useCompanyAccount } from "../hooks/useCompanyAccount";
import { useI18n } from "../i18n/i18n";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    marginTop: tokens.spacingVerticalL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * An amount in its own currency as the pane's language writes it ("SEK 14,500", "14 500 kr"): whole amounts
 * without decimals, others with the currency's. Exact: the decimal's text goes to Intl, never through a float.
 */
export function formatBalance(locale: string, decimal: string, currency: string): string {
  const whole = !/\.\d*[1-9]/.test(decimal);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
  }).format(decimal as `${number}`);
}

const amountsOf = (i18n: I18n, lines: CurrencyBalance[]) =>
  // Each currency on its own: amounts in different currencies are never added together.
  lines.map((l) => formatBalance(i18n.locale, l.balance, l.currency)).join(" · ");

const daysText = (i18n: I18n, days: number) =>
  i18n.t(`days_${pluralOf(i18n.locale, days)}`, { count: i18n.formatNumber(days) });

/** "2 invoices overdue: SEK 14,500, oldest 23 days"; null when nothing is overdue. */
export function overdueText(i18n: I18n, overdue: Account["overdue"]): string | null {
  if (overdue.invoices === 0 || overdue.oldestDaysOverdue === null) return null;
  const values = {
    invoices: i18n.t(`invoicesOverdue_${pluralOf(i18n.locale, overdue.invoices)}`, {
      count: i18n.formatNumber(overdue.invoices),
    }),
    amounts: amountsOf(i18n, overdue.amounts),
    days: daysText(i18n, overdue.oldestDaysOverdue),
  };
  return i18n.t(overdue.invoices === 1 ? "overdueFlagSingle" : "overdueFlag", values);
}

/**
 * The sender's company at a glance: overdue invoices flagged, the open balance per currency, the last purchase
 * and how often it buys. Fetched only for a profile with a company; a failure stays in this section.
 */
export function CompanyAccount({ company }: { company: Company }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const account = useCompanyAccount(company.id);
  const title = t("accountTitle", { company: company.name });
  return (
    <section className={styles.section} aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {account.isPending && <Caption1 className={styles.muted}>{t("accountLoading")}</Caption1>}
      {account.isError && <ErrorMessage error={account.error} onRetry={() => void account.refetch()} />}
      {account.data && <AccountSummary account={account.data} />}
    </section>
  );
}

function AccountSummary({ account }: { account: Account }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t, formatDay, formatNumber } = i18n;
  const last = account.lastPurchases[0];
  if (account.openBalances.length === 0 && !last)
    return <Caption1 className={styles.muted}>{t("accountNone")}</Caption1>;
  const overdue = overdueText(i18n, account.overdue);
  const { medianDaysBetween, invoices } = account.purchaseFrequency;
  return (
    <>
      {overdue && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{overdue}</MessageBarBody>
        </MessageBar>
      )}
      <Caption1 block>
        {account.openBalances.length === 0
          ? t("nothingOpen")
          : t("openBalance", { amounts: amountsOf(i18n, account.openBalances) })}
      </Caption1>
      {last && (
        <Caption1 block>
          {t("lastPurchase", {
            date: formatDay(last.issueDate),
            amount: formatBalance(i18n.locale, last.amount, last.currency),
          })}
        </Caption1>
      )}
      {medianDaysBetween !== null && (
        <Caption1 block>{t("buysEvery", { gap: gapText(i18n, Math.round(medianDaysBetween)) })}</Caption1>
      )}
      <Caption1 block className={styles.muted}>
        {t("purchasesInWindow", { count: formatNumber(invoices) })}
      </Caption1>
    </>
  );
}
