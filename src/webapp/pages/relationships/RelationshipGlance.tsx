import { Badge, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { GlanceInteraction, RelationshipGlance as Glance } from "../../../shared/interactions";
import { translate } from "../../../shared/languages";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime, formatNumber } from "../../format";
import { useLanguage, useMessages } from "../../i18n/language";
import { countText } from "../../i18n/plural";
import { useWebApp } from "../../services";
import { relationshipMessages } from "./relationship-messages";

const useStyles = makeStyles({
  facts: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  detail: { margin: 0 },
});

type Messages = (typeof relationshipMessages)["en"];

/** How an interaction came about, in words: "email received", "call". */
export function howText(t: Messages, interaction: Pick<GlanceInteraction, "kind" | "direction">): string {
  if (interaction.kind === "email" && interaction.direction) return t[`kind_email_${interaction.direction}`];
  return t[`kind_${interaction.kind}`];
}

function contactLine(t: Messages, interaction: GlanceInteraction | null): string {
  if (!interaction) return t.never;
  const who = [interaction.contact?.displayName, interaction.user?.displayName].filter(Boolean).join(", ");
  return translate(t.contactLine, {
    when: formatDateTime(interaction.at),
    how: howText(t, interaction),
    // A company-only link logged by a colleague since removed names nobody: a dash, not an empty slot.
    who: who || "–",
  });
}

/** A contact's or a company's relationship at a glance: last contact, last reply, recent counts, and its rhythm. */
export function RelationshipGlance({ of }: { of: { kind: "contact" | "company"; id: string } }) {
  const { api } = useWebApp();
  const t = useMessages(relationshipMessages);
  const glance = useQuery({
    queryKey: [of.kind === "contact" ? "contacts" : "companies", "glance", of.id],
    queryFn: () =>
      of.kind === "contact"
        ? api("contactGlance", { params: { id: of.id } })
        : api("companyGlance", { params: { id: of.id } }),
  });
  return (
    <Section title={t.glance}>
      {glance.isPending && <Loading label={t.glanceLoading} />}
      {glance.isError && (
        <ProblemMessage error={glance.error} onRetry={() => void glance.refetch()} what={t.glanceNotLoaded} />
      )}
      {glance.data && <GlanceFacts glance={glance.data} />}
    </Section>
  );
}

/** The figures of a glance, as a list of terms (the pane shows the same words). */
export function GlanceFacts({ glance }: { glance: Glance }) {
  const styles = useStyles();
  const t = useMessages(relationshipMessages);
  const { language } = useLanguage();
  const days = (count: number) =>
    countText(language, count, { one: t.daysOne, few: t.daysFew, other: t.daysOther });
  // "Every day", never "every 1 day"; the other counts in the language's plural forms.
  const gapText = (count: number) =>
    count === 1
      ? t.gapDaily
      : countText(language, count, { one: t.gapOne, few: t.gapFew, other: t.gapOther });
  const { rhythm } = glance;
  const gap = rhythm.medianGapDays === null ? "" : gapText(Math.round(rhythm.medianGapDays));
  return (
    <>
      <dl className={styles.facts}>
        <dt className={styles.term}>{t.lastContact}</dt>
        <dd className={styles.detail}>{contactLine(t, glance.lastContact)}</dd>
        <dt className={styles.term}>{t.lastReply}</dt>
        <dd className={styles.detail}>{contactLine(t, glance.lastReply)}</dd>
      </dl>
      <Text>
        {translate(t.recentCounts, {
          month: formatNumber(glance.last30Days, 0),
          quarter: formatNumber(glance.last90Days, 0),
        })}
      </Text>
      {rhythm.state === "cooling" ? (
        <Badge appearance="tint" color="warning" shape="rounded">
          {translate(t.cooling, { since: days(rhythm.daysSinceLast ?? 0), gap })}
        </Badge>
      ) : rhythm.state === "steady" ? (
        <Badge appearance="tint" color="success" shape="rounded">
          {translate(t.steady, { gap })}
        </Badge>
      ) : (
        <Text size={200}>{t.notEnoughHistory}</Text>
      )}
    </>
  );
}
