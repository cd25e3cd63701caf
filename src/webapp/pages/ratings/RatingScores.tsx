import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { translate } from "../../../shared/languages";
import type { RatingSummary, RatingTrend } from "../../../shared/ratings";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDate } from "../../format";
import { useLanguage, useMessages } from "../../i18n/language";
import { countText } from "../../i18n/plural";
import { useWebApp } from "../../services";
import { ratingMessages } from "./rating-messages";

const useStyles = makeStyles({
  facts: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))",
    gap: tokens.spacingHorizontalXL,
    margin: 0,
  },
  fact: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, margin: 0 },
  label: { color: tokens.colorNeutralForeground3 },
  score: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700 },
  answers: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
});

type Words = (typeof ratingMessages)["en"];

/** How the latest score moved from the one before, in words. */
export function trendText(t: Words, trend: RatingTrend): string {
  if (trend.change === null || trend.previous === null) return t.first;
  if (trend.change === 0) return t.same;
  const values = { change: Math.abs(trend.change), previous: trend.previous };
  return translate(trend.change > 0 ? t.up : t.down, values);
}

/** A contact's scores, or a company's (its contacts' together): the latest of each kind, its trend, the answers. */
export function RatingScores({ of }: { of: { kind: "contact" | "company"; id: string } }) {
  const { api } = useWebApp();
  const t = useMessages(ratingMessages);
  const ratings = useQuery({
    queryKey: ["ratings", of.kind, of.id],
    queryFn: () =>
      of.kind === "contact"
        ? api("contactRatings", { params: { id: of.id } })
        : api("companyRatings", { params: { id: of.id } }),
  });
  return (
    <Section title={t.ratings}>
      {ratings.isPending && <Loading label={t.loading} />}
      {ratings.isError && (
        <ProblemMessage error={ratings.error} onRetry={() => void ratings.refetch()} what={t.notLoaded} />
      )}
      {ratings.data && <Scores summary={ratings.data} named={of.kind === "company"} />}
    </Section>
  );
}

/** `named`: each answer says who gave it (a company's page, where its contacts' answers are listed together). */
function Scores({ summary, named }: { summary: RatingSummary; named: boolean }) {
  const styles = useStyles();
  const t = useMessages(ratingMessages);
  const { language } = useLanguage();
  if (summary.recent.length === 0) return <EmptyState>{t.noRatings}</EmptyState>;
  const fact = (label: string, trend: RatingTrend | null) => (
    <div className={styles.fact}>
      <dt className={styles.label}>{label}</dt>
      {trend ? (
        <>
          <dd className={`${styles.fact} ${styles.score}`}>{trend.latest}</dd>
          <dd className={styles.fact}>
            {trendText(t, trend)} · {formatDate(trend.latestAt)} ·{" "}
            {countText(language, trend.count, { one: t.answersOne, few: t.answersFew, other: t.answers })}
          </dd>
        </>
      ) : (
        <dd className={styles.fact}>{t.notAnswered}</dd>
      )}
    </div>
  );
  return (
    <>
      <dl className={styles.facts}>
        {fact(t.nps, summary.nps)}
        {fact(t.csat, summary.csat)}
      </dl>
      <Text as="h3" weight="semibold">
        {t.latestAnswers}
      </Text>
      <ul className={styles.answers} aria-label={t.latestAnswers}>
        {summary.recent.map((r) => (
          <li key={r.id}>
            {named && r.contactName ? `${r.contactName}: ` : ""}
            {r.kind === "nps" ? t.kindNps : t.kindCsat} {r.score} · {formatDate(r.answeredAt)} ·{" "}
            {r.comment ?? t.noComment}
          </li>
        ))}
      </ul>
    </>
  );
}
