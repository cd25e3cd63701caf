import {
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { CompanyAccount as Account } from "../../../shared/invoices";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDate, formatNumber } from "../../format";
import { countText } from "../../i18n/plural";
import { useLanguage, useMessages } from "../../i18n/language";
import { accountMessages } from "./account-messages";
import { daysText, formatInvoiceAmount, overdueText } from "./account-format";
import { InvoiceStatusText } from "./InvoiceStatusText";
import { useCompanyAccount } from "./useCompanyAccount";

const useStyles = makeStyles({
  facts: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))",
    gap: tokens.spacingHorizontalXL,
    margin: 0,
  },
  fact: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, margin: 0 },
  label: { color: tokens.colorNeutralForeground3 },
  lines: { margin: 0, padding: 0, listStyleType: "none" },
  numeric: { textAlign: "end", fontVariantNumeric: "tabular-nums", justifyContent: "flex-end" },
  wrap: { overflowX: "auto" },
});

/** A company's account at a glance: overdue invoices flagged, open balance per currency, purchases. */
export function CompanyAccount({ companyId }: { companyId: string }) {
  const t = useMessages(accountMessages);
  const account = useCompanyAccount(companyId);
  return (
    <Section title={t.account}>
      {account.isPending && <Loading label={t.accountLoading} />}
      {account.isError && (
        <ProblemMessage
          error={account.error}
          onRetry={() => void account.refetch()}
          what={t.accountNotLoaded}
        />
      )}
      {account.data && <AccountFacts account={account.data} />}
    </Section>
  );
}

function AccountFacts({ account }: { account: Account }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const { language } = useLanguage();
  if (account.openBalances.length === 0 && account.lastPurchases.length === 0)
    return <EmptyState>{t.noInvoicesYet}</EmptyState>;
  const overdue = overdueText(t, language, account.overdue);
  const { medianDaysBetween, invoices } = account.purchaseFrequency;
  return (
    <>
      {overdue && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{overdue}</MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt className={styles.label}>{t.openBalance}</dt>
          <dd className={styles.fact}>
            {account.openBalances.length === 0 ? (
              <Text>{t.nothingOpen}</Text>
            ) : (
              <ul className={styles.lines}>
                {account.openBalances.map((line) => (
                  <li key={line.currency}>
                    {countText(
                      language,
                      line.invoices,
                      { one: t.openInvoicesOne, few: t.openInvoicesFew, other: t.openInvoicesOther },
                      { amount: formatInvoiceAmount(line.balance, line.currency) },
                    )}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.label}>{t.frequency}</dt>
          <dd className={styles.fact}>
            <Text>
              {medianDaysBetween === null
                ? t.tooFewToTell
                : translate(t.buysEvery, { days: daysText(t, language, Math.round(medianDaysBetween)) })}
            </Text>
            <Text className={styles.label}>
              {translate(t.purchasesInWindow, { count: formatNumber(invoices, 0) })}
            </Text>
          </dd>
        </div>
      </dl>
      {account.lastPurchases.length > 0 && (
        <div className={styles.wrap}>
          <Table size="small" aria-label={t.lastPurchases}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.number}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.issued}</TableHeaderCell>
                <TableHeaderCell scope="col" button={{ className: styles.numeric }}>
                  {t.amount}
                </TableHeaderCell>
                <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {account.lastPurchases.map((invoice) => (
                <TableRow key={invoice.id}>
                  <TableCell>{invoice.number}</TableCell>
                  <TableCell>{formatDate(invoice.issueDate)}</TableCell>
                  <TableCell className={styles.numeric}>
                    {formatInvoiceAmount(invoice.amount, invoice.currency)}
                  </TableCell>
                  <TableCell>
                    <InvoiceStatusText invoice={invoice} today={account.today} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
