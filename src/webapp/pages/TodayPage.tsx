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

const REASONS: Record<AttentionReason, string> = {
  no_recent_activity: "No activity for 14 days",
  close_date_passed: "Close date passed",
  stuck_in_stage: "Longer in its stage than usual",
};

const KINDS: Record<InteractionKind, string> = {
  email: "Email",
  call: "Call",
  meeting: "Meeting",
  note: "Note",
  visit: "Visit",
};

/** The day at a glance: follow-ups due, deals that need a push, what I logged, my pipeline. */
export default function TodayPage() {
  const styles = useStyles();
  const { api, timeZone } = useWebApp();
  const dashboard = useQuery({
    queryKey: ["dashboard", timeZone],
    queryFn: () => api("dashboard", { query: { timeZone } }),
  });
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        Today{dashboard.data ? ` · ${formatDate(dashboard.data.today)}` : ""}
      </Text>
      {dashboard.isPending && <Loading label="Loading your day…" />}
      {dashboard.isError && (
        <ProblemMessage
          error={dashboard.error}
          onRetry={() => void dashboard.refetch()}
          what="Your day could not be loaded"
        />
      )}
      {dashboard.data && (
        <div className={styles.grid}>
          <FollowUps dashboard={dashboard.data} />
          <DealsNeedingAttention dashboard={dashboard.data} />
          <MyPipeline dashboard={dashboard.data} />
          <LoggedRecently dashboard={dashboard.data} />
        </div>
      )}
    </div>
  );
}

function FollowUps({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const { items, total } = dashboard.followUps;
  const [done, setDone] = useState<string | null>(null);
  return (
    <Section title={`Follow-ups (${total})`}>
      <div role="status" aria-live="polite">
        {done && <Text>“{done}” is done.</Text>}
      </div>
      {items.length === 0 ? (
        <EmptyState>Nothing due today and nothing overdue.</EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Follow-ups due">
          {items.map((task) => (
            <FollowUpItem key={task.id} task={task} onDone={() => setDone(task.title)} />
          ))}
        </ul>
      )}
      {total > items.length && (
        <Text className={styles.meta}>
          Showing {items.length} of {total}.
        </Text>
      )}
    </Section>
  );
}

function FollowUpItem({ task, onDone }: { task: FollowUp; onDone(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const queryClient = useQueryClient();
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
          label={`Mark “${task.title}” done`}
          checked={markDone.isPending || markDone.isSuccess}
          disabled={markDone.isPending || markDone.isSuccess}
          onChange={() => markDone.mutate()}
        />
        {markDone.isPending && <Spinner size="extra-tiny" aria-label="Marking done" />}
        {task.overdue ? (
          <Badge appearance="tint" color="danger">
            Overdue{task.dueAt ? ` · ${formatDate(task.dueAt)}` : ""}
          </Badge>
        ) : (
          <Badge appearance="tint" color="informative">
            Today{task.dueAt ? ` · ${formatTime(task.dueAt)}` : ""}
          </Badge>
        )}
      </div>
      {about && <Text className={styles.meta}>{about}</Text>}
      {markDone.isError && (
        <ProblemMessage
          error={markDone.error}
          onRetry={() => markDone.mutate()}
          what={`“${task.title}” was not marked done`}
        />
      )}
    </li>
  );
}

function DealsNeedingAttention({ dashboard }: { dashboard: Dashboard }) {
  const styles = useStyles();
  const { items, total } = dashboard.dealsNeedingAttention;
  return (
    <Section title={`Deals needing attention (${total})`}>
      {items.length === 0 ? (
        <EmptyState>Every open deal is moving.</EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Deals needing attention">
          {items.map((deal) => (
            <li key={deal.id} className={styles.item}>
              <div className={styles.row}>
                <Text weight="semibold">{deal.name}</Text>
                <Text>{deal.amount !== null ? formatAmount(deal.amount, deal.currency) : "No amount"}</Text>
              </div>
              <Text className={styles.meta}>
                {deal.stage.name} ({deal.stage.probability} %) · last activity{" "}
                {formatDate(deal.lastActivityAt)}
                {deal.expectedCloseDate ? ` · expected close ${formatDate(deal.expectedCloseDate)}` : ""}
              </Text>
              <div className={styles.row}>
                {deal.reasons.map((reason) => (
                  <Badge key={reason} appearance="outline" color="warning">
                    {REASONS[reason]}
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
  return (
    <Section title="My pipeline">
      {dashboard.pipeline.length === 0 ? (
        <EmptyState>No open deals.</EmptyState>
      ) : (
        <div className={styles.scroller}>
          <Table size="small" className={styles.pipelineTable}>
            <caption className={styles.caption}>My open deals, per currency</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">Currency</TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  Deals
                </TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  Total
                </TableHeaderCell>
                <TableHeaderCell
                  scope="col"
                  className={styles.figure}
                  button={{ className: styles.figureHeading }}
                >
                  Weighted
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {dashboard.pipeline.map((p) => (
                <TableRow key={p.currency ?? "none"}>
                  {/* Never a bare figure: the row names the currency, or says there is none. */}
                  <TableCell>{p.currency ?? "No currency"}</TableCell>
                  <TableCell className={styles.figure}>{p.openDeals}</TableCell>
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
  return (
    <Section title="Logged recently">
      {dashboard.recentInteractions.length === 0 ? (
        <EmptyState>
          You have not logged anything yet: log an email from Outlook with the Rapport pane.
        </EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Logged recently">
          {dashboard.recentInteractions.map((i) => (
            <li key={i.id} className={styles.item}>
              <Text>
                <Text weight="semibold">{KINDS[i.kind]}</Text>
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
