import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { refusedField } from "../../../client/problems";
import type { Quote } from "../../../shared/quotes";
import { browserTimeZone } from "../hooks/useDashboard";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  button: { justifyContent: "flex-start", textAlign: "start" },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

/** An open deal of the draft's recipients, which a quote can be attached for. */
export interface QuoteDeal {
  id: string;
  name: string;
}

/** A blob's bytes in base64, as Outlook takes an attachment. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(blob);
  });
}

/** Compose's "Attach quote": per open deal of the recipients, its newest quote (made now if it has none). */
export function ComposeQuotes({ deals }: { deals: QuoteDeal[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (deals.length === 0) return null;
  return (
    <section className={styles.section} aria-label={t("quotes")}>
      <Subtitle2 as="h2">{t("quotes")}</Subtitle2>
      <ul className={styles.list}>
        {deals.map((deal) => (
          <li key={deal.id} className={styles.item}>
            <AttachQuote deal={deal} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function AttachQuote({ deal }: { deal: QuoteDeal }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api, files, mailbox } = useServices();
  const attach = useMutation({
    retry: false,
    mutationFn: async (): Promise<Quote> => {
      if (!files) throw new Error("this pane cannot download files");
      const { items } = await api("listDealQuotes", { params: { id: deal.id } });
      // The newest version is the one the rep last made; a deal without one gets its first now.
      const quote =
        items[0] ??
        (await api("createQuote", { params: { id: deal.id }, body: { timeZone: browserTimeZone() } }));
      const pdf = await files("downloadQuote", { params: { id: quote.id } });
      await mailbox.attachToDraft({ name: pdf.filename, base64: await base64Of(pdf.blob) });
      return quote;
    },
  });
  return (
    <>
      <Button
        className={styles.button}
        appearance="secondary"
        disabled={attach.isPending}
        onClick={() => attach.mutate()}
      >
        {t("quoteAttach", { deal: deal.name })}
      </Button>
      <span role="status" aria-live="polite">
        {attach.isPending && <Spinner size="extra-tiny" label={t("quoteAttaching")} />}
        {attach.isSuccess && (
          <Caption1 className={styles.done}>
            {t("quoteAttached", { number: String(attach.data.number) })}
          </Caption1>
        )}
      </span>
      {attach.isError &&
        // A deal without lines: trying again fails the same way until the rep adds lines, which the pane does
        // not do, so it says where to, in the rep's words.
        (refusedField(attach.error, "deal.lines") ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{t("quoteNoLines", { deal: deal.name })}</MessageBarBody>
          </MessageBar>
        ) : (
          <ErrorMessage error={attach.error} onRetry={() => attach.mutate()} />
        ))}
    </>
  );
}
