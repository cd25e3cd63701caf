import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
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
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { refusedField } from "../../../client/problems";
import type { DealWithStage } from "../../../shared/deals";
import { LANGUAGE_NAMES, translate } from "../../../shared/languages";
import type { Quote } from "../../../shared/quotes";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { problemMessages } from "../../components/problem-messages";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { saveFile } from "../../save-file";
import { useWebApp } from "../../services";
import { formatInCurrency } from "../products/decimals";
import { quoteMessages } from "./quote-messages";

const useStyles = makeStyles({
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

/** A deal's quotes: make the next one from its lines, and download any version as it was made. */
export function DealQuotesSection({ deal }: { deal: DealWithStage }) {
  const styles = useStyles();
  const { api, timeZone } = useWebApp();
  const t = useMessages(quoteMessages);
  const problems = useMessages(problemMessages);
  const queryClient = useQueryClient();
  const key = ["dealQuotes", deal.id];
  const quotes = useQuery({
    queryKey: key,
    queryFn: () => api("listDealQuotes", { params: { id: deal.id } }),
  });
  // The same query as the settings' template: a quote made before anyone set it carries no company at all.
  const template = useQuery({ queryKey: ["quoteTemplate"], queryFn: () => api("getQuoteTemplate", {}) });
  const create = useMutation({
    // Dated by the rep's day, where they are.
    mutationFn: () => api("createQuote", { params: { id: deal.id }, body: { timeZone } }),
    retry: false,
    onSuccess: (made) => {
      queryClient.setQueryData(key, (list: { items: Quote[] } | undefined) => ({
        items: [made, ...(list?.items ?? []).filter((q) => q.id !== made.id)],
      }));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <Section title={t.quotesTitle}>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={create.isPending} onClick={() => create.mutate()}>
          {t.createQuote}
        </Button>
        <span role="status" aria-live="polite">
          {create.isPending && <Spinner size="extra-tiny" label={t.creatingQuote} />}
          {create.isSuccess && (
            <Text className={styles.done}>{translate(t.quoteCreated, { number: create.data.number })}</Text>
          )}
        </span>
      </div>
      {template.data?.companyName === "" && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t.noCompanyYet}</MessageBarBody>
        </MessageBar>
      )}
      {create.isError &&
        // A deal without lines, in the reader's words rather than the server's English field path: the lines
        // are added in the section above, then the quote is tried again.
        (refusedField(create.error, "deal.lines") ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              {translate(problems.failedWith, { what: t.quoteNotCreated, reason: t.needsLines })}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => create.mutate()}>{problems.tryAgain}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <ProblemMessage error={create.error} onRetry={() => create.mutate()} what={t.quoteNotCreated} />
        ))}
      {quotes.isPending && <Loading label={t.loadingQuotes} />}
      {quotes.isError && (
        <ProblemMessage error={quotes.error} onRetry={() => void quotes.refetch()} what={t.quotesNotLoaded} />
      )}
      {quotes.data &&
        (quotes.data.items.length === 0 ? (
          <EmptyState>{t.noQuotes}</EmptyState>
        ) : (
          <Table aria-label={t.quotes} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.version}</TableHeaderCell>
                <TableHeaderCell>{t.number}</TableHeaderCell>
                <TableHeaderCell>{t.made}</TableHeaderCell>
                <TableHeaderCell>{t.quoteLanguage}</TableHeaderCell>
                <TableHeaderCell>{t.total}</TableHeaderCell>
                <TableHeaderCell>{t.madeBy}</TableHeaderCell>
                <TableHeaderCell>{t.download}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {quotes.data.items.map((quote) => (
                <QuoteRow key={quote.id} quote={quote} />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function QuoteRow({ quote }: { quote: Quote }) {
  const { files } = useWebApp();
  const t = useMessages(quoteMessages);
  const download = useMutation({
    mutationFn: () => files("downloadQuote", { params: { id: quote.id } }),
    retry: false,
    onSuccess: saveFile,
  });
  return (
    <TableRow>
      <TableCell>{quote.version}</TableCell>
      <TableCell>{quote.number}</TableCell>
      <TableCell>{formatDateTime(quote.createdAt)}</TableCell>
      <TableCell>{LANGUAGE_NAMES[quote.language]}</TableCell>
      <TableCell>{formatInCurrency(quote.total, quote.currency)}</TableCell>
      <TableCell>{quote.createdBy?.displayName ?? ""}</TableCell>
      <TableCell>
        <Button
          size="small"
          aria-label={translate(t.downloadQuote, { number: quote.number })}
          disabled={download.isPending}
          onClick={() => download.mutate()}
        >
          {download.isPending ? t.downloading : t.download}
        </Button>
        {download.isError && (
          <ProblemMessage error={download.error} onRetry={() => download.mutate()} what={t.notDownloaded} />
        )}
      </TableCell>
    </TableRow>
  );
}
