import {
  Body1,
  Button,
  Caption1,
  Link,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwise20Regular } from "@fluentui/react-icons/svg/arrow-clockwise";
import { ArrowLeft20Regular } from "@fluentui/react-icons/svg/arrow-left";
import { useState } from "react";
import type { Dashboard, DealNeedingAttention } from "../../../../shared/dashboard";
import { useDashboard } from "../../hooks/useDashboard";
import { type I18n } from "../../../core/i18n";
import { useI18n } from "../../i18n/i18n";
import { ErrorMessage } from "../ErrorMessage";
import { Section, useRowStyles } from "../Section";
import { FollowUpRow } from "./FollowUpRow";
import { MeetingBriefs } from "./MeetingBriefs";
import { OccasionMails } from "./OccasionMails";
import { OpenedContact, OpenedDeal } from "./OpenedRecord";

const DAY_MS = 86_400_000;

export type Opened = { kind: "contact" | "deal"; id: string };

const useStyles = makeStyles({
  header: {
    display: "flex",
    alignItems: "baseline",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  grow: { minWidth: 0, overflowWrap: "anywhere" },
  amounts: { flexShrink: 0, textAlign: "end" },
});

/**
 * The rep's day while no email is open: today's meetings with customers and their briefs, follow-ups due today and overdue (done with one click), deals that need
 * attention, what they logged lately, their pipeline. A contact or deal named here opens in the pane.
 */
export function Today() {
  const styles = useStyles();
  const i18n = useI18n();
  const { t, formatDay } = i18n;
  const dashboard = useDashboard();
  const [opened, setOpened] = useState<Opened | null>(null);

  if (opened)
    return (
      <section aria-label={t("today")}>
        <Button
          appearance="subtle"
          size="small"
          icon={<ArrowLeft20Regular />}
          onClick={() => setOpened(null)}
        >
          {t("backToToday")}
        </Button>
        {opened.kind === "contact" ? <OpenedContact id={opened.id} /> : <OpenedDeal id={opened.id} />}
      </section>
    );
  if (dashboard.isPending) return <Spinner size="small" label={t("loadingToday")} />;
  if (dashboard.isError)
    return <ErrorMessage error={dashboard.error} onRetry={() => void dashboard.refetch()} />;

  const day = dashboard.data;
  return (
    <section aria-label={t("today")}>
      <div className={styles.header}>
        <Subtitle1 as="h1">{t("today")}</Subtitle1>
        <span>
          <Caption1 className={styles.muted}>{formatDay(day.today)}</Caption1>
          <Button
            appearance="transparent"
            size="small"
            icon={dashboard.isFetching ? <Spinner size="extra-tiny" /> : <ArrowClockwise20Regular />}
            aria-label={t("refresh")}
            disabled={dashboard.isFetching}
            onClick={() => void dashboard.refetch()}
          />
        </span>
      </div>
      <MeetingBriefs onOpen={setOpened} />
      <Section
        title={t("followUpsDue", { count: String(day.followUps.total) })}
        empty={t("nothingDueToday")}
        footer={<More shown={day.followUps.items.length} total={day.followUps.total} />}
      >
        {day.followUps.items.map((followUp) => (
          <FollowUpRow key={followUp.id} followUp={followUp} onOpen={setOpened} />
        ))}
      </Section>
      <Section
        title={t("dealsNeedingAttention", { count: String(day.dealsNeedingAttention.total) })}
        empty={t("noDealNeedsAttention")}
        footer={
          <More shown={day.dealsNeedingAttention.items.length} total={day.dealsNeedingAttention.total} />
        }
      >
        {day.dealsNeedingAttention.items.map((deal) => (
          <AttentionRow key={deal.id} deal={deal} generatedAt={day.generatedAt} onOpen={setOpened} />
        ))}
      </Section>
      <OccasionMails onOpen={setOpened} />
      <RecentlyLogged day={day} onOpen={setOpened} />
      <Pipeline day={day} />
    </section>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (total <= shown) return null;
  return (
    <Caption1 className={styles.muted}>
      {t("showingOf", { shown: String(shown), total: String(total) })}
    </Caption1>
  );
}

/** Why a deal needs attention, in the rep's words: each rule that holds. */
function reasonsOf(deal: DealNeedingAttention, generatedAt: string, { t, formatDay }: I18n): string {
  return deal.reasons
    .map((reason) => {
      if (reason === "no_recent_activity") {
        const days = Math.floor((Date.parse(generatedAt) - Date.parse(deal.lastActivityAt)) / DAY_MS);
        return t("reasonQuiet", { days: String(days) });
      }
      if (reason === "close_date_passed")
        return t("reasonLate", { date: deal.expectedCloseDate ? formatDay(deal.expectedCloseDate) : "" });
      return t("reasonStuck", {
        stage: deal.stage.name,
        days: String(Math.round(deal.medianDaysInStage ?? 0)),
      });
    })
    .join(" · ");
}

function AttentionRow({
  deal,
  generatedAt,
  onOpen,
}: {
  deal: DealNeedingAttention;
  generatedAt: string;
  onOpen(opened: Opened): void;
}) {
  const styles = useStyles();
  const rows = useRowStyles();
  const i18n = useI18n();
  return (
    <li>
      <div className={rows.row}>
        <Link as="button" className={styles.grow} onClick={() => onOpen({ kind: "deal", id: deal.id })}>
          {deal.name}
        </Link>
        <Caption1 className={styles.amounts}>
          {deal.amount !== null ? `${i18n.formatAmount(deal.amount, deal.currency)} · ` : ""}
          {deal.stage.name}
        </Caption1>
      </div>
      <Caption1 className={styles.muted} block>
        {reasonsOf(deal, generatedAt, i18n)}
      </Caption1>
    </li>
  );
}

function RecentlyLogged({ day, onOpen }: { day: Dashboard; onOpen(opened: Opened): void }) {
  const styles = useStyles();
  const rows = useRowStyles();
  const { t, formatDate } = useI18n();
  return (
    <Section title={t("loggedRecently")} empty={t("nothingLoggedRecently")}>
      {day.recentInteractions.map((interaction) => {
        const contact = interaction.contacts[0];
        return (
          <li key={interaction.id}>
            <div className={rows.row}>
              <Body1 className={styles.grow}>
                {t(`kind_${interaction.kind}`)}
                {interaction.subject ? ` · ${interaction.subject}` : ""}
              </Body1>
              <Caption1 className={styles.muted}>{formatDate(interaction.occurredAt)}</Caption1>
            </div>
            {(contact || interaction.deal) && (
              <Caption1 block>
                {contact && (
                  <Link as="button" onClick={() => onOpen({ kind: "contact", id: contact.id })}>
                    {contact.displayName}
                  </Link>
                )}
                {contact && interaction.deal && " · "}
                {interaction.deal && (
                  <Link
                    as="button"
                    onClick={() => interaction.deal && onOpen({ kind: "deal", id: interaction.deal.id })}
                  >
                    {interaction.deal.name}
                  </Link>
                )}
              </Caption1>
            )}
          </li>
        );
      })}
    </Section>
  );
}

function Pipeline({ day }: { day: Dashboard }) {
  const styles = useStyles();
  const rows = useRowStyles();
  const { t, formatAmount } = useI18n();
  return (
    <Section title={t("myPipeline")} empty={t("noOpenDeals")}>
      {day.pipeline.map((sum) => (
        <li key={sum.currency ?? ""} className={rows.row}>
          <Body1>{t("openDealsCount", { count: String(sum.openDeals) })}</Body1>
          <span className={styles.amounts}>
            {/* Fluent's Text aligns to the start unless told: the sums line up at the end. */}
            <Body1 block align="end">
              {formatAmount(sum.total, sum.currency)}
            </Body1>
            <Caption1 block align="end" className={styles.muted}>
              {t("weighted", { amount: formatAmount(sum.weighted, sum.currency) })}
            </Caption1>
          </span>
        </li>
      ))}
    </Section>
  );
}
