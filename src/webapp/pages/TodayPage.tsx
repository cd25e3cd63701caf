import {
  Badge,
  Checkbox,
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
import { useState } from "react";
import type { AttentionReason, Dashboard, FollowUp } from "../../shared/dashboard";
import type { InteractionKind } from "../../shared/interactions";
import { EmptyState } from "../components/EmptyState";
import { Loading } from "../components/Loading";
import { ProblemMessage } from "../components/ProblemMessage";
import { Section } from "../components/Section";
import { formatAmount, formatDate, formatDateTime, formatNumber, formatTime } from "../format";
import { useWebApp } from "../services";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { type TodayWord, todayMessages } from "./today-messages";
import { OccasionMailsCard } from "./occasions/OccasionMailsCard";
import { MeetingBriefsCard } from "./meetings/MeetingBriefsCard";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
    gap: tokens.spacingHorizontalL,
    alignItems: "start",
  },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  meta: { color: tokens.colorNeutralForeground3 },
  // Sized by its figures, not split into equal columns: a large amount must never run into the next one.
  pipelineTable: { tableLayout: "auto", width: "100%" },
  scroller: { overflowX: "auto" },
  figure: { textAlign: "end", whiteSpace: "nowrap" },
  // A header cell lays its words out in a flex box of its own, which text-align does not reach.
  figureHeading: { justifyContent: "flex-end" },
  caption: {
    textAlign: "start",
    color: tokens.colorNeutralForeground3,
    paddingBottom: tokens.spacingVerticalXS,
  },
});

const REASONS: Record<AttentionReason, TodayWord> = {
  no_recent_activity: "reasonQuiet",
  close_date_passed: "reasonLate",
  stuck_in_stage: "reasonStuck",
};

const KINDS: Record<InteractionKind, TodayWord> = {
  email: "kindEmail",
  call: "kindCall",
  meeting: "kindMeeting",
  note: "kindNote",
  visit: "kindVisit",
};

/** The day at a glance: today's meetings with their briefs, follow-ups due, deals that need a push, what I logged, my pipeline. */
export default function TodayPage() {
  const styles = useStyles();
  const { api, timeZone } = useWebApp();
  const t = useMessages(todayMessages);
  const dashboard = useQuery({
    queryKey: ["dashboard", timeZone],
    queryFn: () => api("dashboard", { query: { timeZone } }),
  });
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {dashboard.data ? translate(t.todayOn, { date: formatDate(dashboard.data.today) }) : t.today}
      </Text>
      {dashboard.isError && (
        <ProblemMessage error={dashboard.error} onRetry={() => void dashboard.refetch()} what={t.notLoaded} />
      )}
      {/* The meetings and the occasion mails have requests of their own, so each shows whatever the dashboard does. */}
      <div className={styles.grid}>
        <MeetingBriefsCard />
        {dashboard.isPending && <Loading label={t.loading} />}
        {dashboard.data && <FollowUps dashboard={dashboard.data} />}
        <OccasionMailsCard />
        {dashboard.data && (
          <>
            <DealsNeedingAttention dashboard={dashboard.data} />
            <MyPipeline dashboard={dashboard.data} />
            <LoggedRecently dashboard={dashboard.data} />
          </>
        )}
      </div>
    </div>
  );
}

function FollowUps({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const { items, total } = dashboard.followUps;
  const t = useMessages(todayMessages);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Section title={translate(t.followUps, { count: formatNumber(total) })}>
      <div role="status" aria-live="polite">
        {done && <Text>{translate(t.taskDone, { title: done })}</Text>}
      </div>
      {items.length === 0 ? (
        <EmptyState>{t.nothingDue}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t.followUpsDue}>
          {items.map((task) => (
            <FollowUpItem key={task.id} task={task} onDone={() => setDone(task.title)} />
          ))}
        </ul>
      )}
      {total > items.length && (
        <Text className={styles.meta}>
          {translate(t.showingOf, { shown: formatNumber(items.length), total: formatNumber(total) })}
        </Text>
      )}
    </Section>
  );
}

function FollowUpItem({ task, onDone }: { task: FollowUp; onDone(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const t = useMessages(todayMessages);
  const markDone = useMutation({
    mutationFn: () =>
      api("updateTask", { params: { id: task.id }, body: { done: true, version: task.version } }),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
  const about = [task.contact?.displayName, task.deal?.name].filter(Boolean).join(" · ");
  return (
    <li className={styles.item}>
      <div className={styles.row}>
        <Checkbox
          label={translate(t.markDone, { title: task.title })}
          checked={markDone.isPending || markDone.isSuccess}
          disabled={markDone.isPending || markDone.isSuccess}
          onChange={() => markDone.mutate()}
        />
        {markDone.isPending && <Spinner size="extra-tiny" aria-label={t.markingDone} />}
        {task.overdue ? (
          <Badge appearance="tint" color="danger">
            {task.dueAt ? translate(t.overdueSince, { date: formatDate(task.dueAt) }) : t.overdue}
          </Badge>
        ) : (
          <Badge appearance="tint" color="informative">
            {task.dueAt ? translate(t.dueTodayAt, { time: formatTime(task.dueAt) }) : t.dueToday}
          </Badge>
        )}
      </div>
      {about && <Text className={styles.meta}>{about}</Text>}
      {markDone.isError && (
        <ProblemMessage
          error={markDone.error}
          onRetry={() => markDone.mutate()}
          what={translate(t.notMarkedDone, { title: task.title })}
        />
      )}
    </li>
  );
}

function DealsNeedingAttention({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const t = useMessages(todayMessages);
  const { items, total } = dashboard.dealsNeedingAttention;
  return (
    <Section title={translate(t.dealsNeedingAttentionCount, { count: formatNumber(total) })}>
      {items.length === 0 ? (
        <EmptyState>{t.everyDealMoving}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t.dealsNeedingAttention}>
          {items.map((deal) => (
            <li key={deal.id} className={styles.item}>
              <div className={styles.row}>
                <Text weight="semibold">{deal.name}</Text>
                <Text>{deal.amount !== null ? formatAmount(deal.amount, deal.currency) : t.noAmount}</Text>
              </div>
              <Text className={styles.meta}>
                {translate(deal.expectedCloseDate ? t.dealProgressWithClose : t.dealProgress, {
                  stage: deal.stage.name,
                  probability: formatNumber(deal.stage.probability),
                  lastActivity: formatDate(deal.lastActivityAt),
                  expectedClose: deal.expectedCloseDate ? formatDate(deal.expectedCloseDate) : "",
                })}
              </Text>
              <div className={styles.row}>
                {deal.reasons.map((reason) => (
                  <Badge key={reason} appearance="outline" color="warning">
                    {t[REASONS[reason]]}
                  </Badge>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function MyPipeline({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const t = useMessages(todayMessages);
  return (
    <Section title={t.myPipeline}>
      {dashboard.pipeline.length === 0 ? (
        <EmptyState>{t.noOpenDeals}</EmptyState>
      ) : (
        <div className={styles.scroller}>
          <Table size="small" className={styles.pipelineTable}>
            <caption className={styles.caption}>{t.pipelineCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.currency}</TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  {t.deals}
                </TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  {t.total}
                </TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  {t.weighted}
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {dashboard.pipeline.map((p) => (
                <TableRow key={p.currency ?? "none"}>
                  {/* Never a bare figure: the row names the currency, or says there is none. */}
                  <TableCell>{p.currency ?? t.noCurrency}</TableCell>
                  <TableCell className={styles.figure}>{formatNumber(p.openDeals)}</TableCell>
                  {/* The row names the currency; the figures stay short enough to sit side by side. */}
                  <TableCell className={styles.figure}>
                    <Text weight="semibold">{formatNumber(p.total, 0)}</Text>
                  </TableCell>
                  <TableCell className={styles.figure}>
                    <Text weight="semibold">{formatNumber(p.weighted, 0)}</Text>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}

function LoggedRecently({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const t = useMessages(todayMessages);
  return (
    <Section title={t.loggedRecently}>
      {dashboard.recentInteractions.length === 0 ? (
        <EmptyState>{t.nothingLogged}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t.loggedRecently}>
          {dashboard.recentInteractions.map((i) => (
            <li key={i.id} className={styles.item}>
              <Text>
                <Text weight="semibold">{t[KINDS[i.kind]]}</Text>
                {i.subject ? ` · ${i.subject}` : ""}
              </Text>
              <Text className={styles.meta}>
                {formatDateTime(i.occurredAt)}
                {i.contacts.length ? ` · ${i.contacts.map((c) => c.displayName).join(", ")}` : ""}
                {i.deal ? ` · ${i.deal.name}` : ""}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
