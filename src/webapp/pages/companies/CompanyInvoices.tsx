import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useInfiniteQuery } from "@tanstack/react-query";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDate } from "../../format";
import { useMessages } from "../../i18n/language";
import { PAGE_SIZE } from "../../lists/useRecordPages";
import { useWebApp } from "../../services";
import { accountMessages } from "./account-messages";
import { formatInvoiceAmount } from "./account-format";
import { InvoiceStatusText } from "./InvoiceStatusText";
import { useCompanyAccount } from "./useCompanyAccount";

const useStyles = makeStyles({
  wrap: { overflowX: "auto" },
  numeric: { textAlign: "end", fontVariantNumeric: "tabular-nums", justifyContent: "flex-end" },
  more: { display: "flex", justifyContent: "flex-start", marginTop: tokens.spacingVerticalS },
});

/** A company's invoices, newest first, a page at a time: what was paid on each and what is left. */
export function CompanyInvoices({ companyId }: { companyId: string }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const { api } = useWebApp();
  // The same request as the account above (one cache entry): its today says which open invoices are overdue.
  const today = useCompanyAccount(companyId).data?.today ?? null;
  const pages = useInfiniteQuery({
    queryKey: ["companies", "invoices", companyId],
    queryFn: ({ pageParam }) =>
      api("listCompanyInvoices", {
        params: { id: companyId },
        query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const invoices = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const numeric = { className: styles.numeric };
  return (
    <Section title={t.invoices}>
      {pages.isPending && <Loading label={t.invoicesLoading} />}
      {pages.isError && (
        <ProblemMessage
          error={pages.error}
          onRetry={() => void (pages.isFetchNextPageError ? pages.fetchNextPage() : pages.refetch())}
          what={t.invoicesNotLoaded}
        />
      )}
      {pages.isSuccess && invoices.length === 0 && <EmptyState>{t.noInvoicesYet}</EmptyState>}
      {invoices.length > 0 && (
        <div className={styles.wrap}>
          <Table size="small" aria-label={t.invoices}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.number}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.issued}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.due}</TableHeaderCell>
                <TableHeaderCell scope="col" button={numeric}>
                  {t.amount}
                </TableHeaderCell>
                <TableHeaderCell scope="col" button={numeric}>
                  {t.paid}
                </TableHeaderCell>
                <TableHeaderCell scope="col" button={numeric}>
                  {t.balance}
                </TableHeaderCell>
                <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {invoices.map((invoice) => (
                <TableRow key={invoice.id}>
                  <TableCell>{invoice.number}</TableCell>
                  <TableCell>{formatDate(invoice.issueDate)}</TableCell>
                  <TableCell>{formatDate(invoice.dueDate)}</TableCell>
                  <TableCell className={styles.numeric}>
                    {formatInvoiceAmount(invoice.amount, invoice.currency)}
                  </TableCell>
                  <TableCell className={styles.numeric}>
                    {formatInvoiceAmount(invoice.paid, invoice.currency)}
                  </TableCell>
                  <TableCell className={styles.numeric}>
                    {formatInvoiceAmount(invoice.balance, invoice.currency)}
                  </TableCell>
                  <TableCell>
                    <InvoiceStatusText invoice={invoice} today={today} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {pages.hasNextPage && (
        <div className={styles.more}>
          <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? t.loadingMore : t.loadMore}
          </Button>
        </div>
      )}
    </Section>
  );
}
