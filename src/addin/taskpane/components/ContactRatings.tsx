import { Button, Caption1, Field, Input, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RatingKind, RatingLink, RatingTrend } from "../../../shared/ratings";
import type { I18n } from "../../core/i18n";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    marginTop: tokens.spacingVerticalL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** "up 4 from 6", "first answer": how the latest score moved. */
export function trendWords(i18n: I18n, trend: RatingTrend): string {
  if (trend.change === null || trend.previous === null) return i18n.t("ratingFirst");
  if (trend.change === 0) return i18n.t("ratingSame");
  const values = { change: String(Math.abs(trend.change)), previous: String(trend.previous) };
  return i18n.t(trend.change > 0 ? "ratingUp" : "ratingDown", values);
}

/**
 * The contact's latest NPS and CSAT with their trend, and a survey link made for them: put into the draft where
 * the rep is writing one, otherwise copied (and shown, for a host that keeps the clipboard from the pane).
 */
export function ContactRatings({
  contactId,
  compose,
  recipients = 1,
}: {
  contactId: string;
  compose: boolean;
  /** How many people the draft goes to: the link answers as this contact, whoever of them uses it. */
  recipients?: number;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { api, mailbox } = useServices();
  const ratings = useQuery({
    queryKey: ["contact-ratings", contactId],
    queryFn: () => api("contactRatings", { params: { id: contactId } }),
  });
  const [copied, setCopied] = useState<boolean | null>(null);
  const make = useMutation({
    mutationFn: async (kind: RatingKind): Promise<RatingLink> => {
      const link = await api("createRatingLink", { params: { id: contactId }, body: { kind } });
      if (compose) {
        const html = `<a href="${escapeHtml(link.url)}">${escapeHtml(link.url)}</a>`;
        await mailbox.insertIntoDraft({ html, text: link.url });
      } else {
        // Outlook's web views may refuse the clipboard; the link is shown to copy by hand then.
        const wrote = await navigator.clipboard?.writeText(link.url).then(
          () => true,
          () => false,
        );
        setCopied(wrote ?? false);
      }
      return link;
    },
  });
  const summary = ratings.data;
  return (
    <section className={styles.section} aria-label={t("ratingsTitle")}>
      <Subtitle2 as="h2">{t("ratingsTitle")}</Subtitle2>
      {ratings.isPending && <Caption1 className={styles.muted}>{t("ratingsLoading")}</Caption1>}
      {ratings.isError && <ErrorMessage error={ratings.error} onRetry={() => void ratings.refetch()} />}
      {summary && !summary.nps && !summary.csat && (
        <Caption1 className={styles.muted}>{t("ratingsNone")}</Caption1>
      )}
      {summary?.nps && (
        <Caption1 block>
          {t("ratingNps", { score: String(summary.nps.latest), trend: trendWords(i18n, summary.nps) })}
        </Caption1>
      )}
      {summary?.csat && (
        <Caption1 block>
          {t("ratingCsat", { score: String(summary.csat.latest), trend: trendWords(i18n, summary.csat) })}
        </Caption1>
      )}
      <div className={styles.actions}>
        {(["nps", "csat"] as const).map((kind) => (
          <Button
            key={kind}
            size="small"
            disabled={make.isPending}
            onClick={() => {
              setCopied(null);
              make.mutate(kind);
            }}
          >
            {kind === "nps" ? t("ratingLinkNps") : t("ratingLinkCsat")}
          </Button>
        ))}
      </div>
      {compose && recipients > 1 && <Caption1 className={styles.muted}>{t("ratingLinkShared")}</Caption1>}
      {/* Only while there is something to say: the profile has other live regions (the quick forms' "Saved"). */}
      {(make.isPending || make.isSuccess) && (
        <span role="status" aria-live="polite">
          {make.isPending && <Caption1>{t("ratingLinkMaking")}</Caption1>}
          {make.isSuccess && compose && <Caption1>{t("ratingLinkInserted")}</Caption1>}
          {make.isSuccess && !compose && copied === true && <Caption1>{t("ratingLinkCopied")}</Caption1>}
        </span>
      )}
      {make.isSuccess && !compose && copied !== true && (
        <Field label={t("ratingLinkToCopy", { date: i18n.formatDate(make.data.expiresAt) })}>
          <Input readOnly value={make.data.url} onFocus={(e) => e.target.select()} />
        </Field>
      )}
      {make.isError && <ErrorMessage error={make.error} onRetry={() => make.reset()} />}
    </section>
  );
}
