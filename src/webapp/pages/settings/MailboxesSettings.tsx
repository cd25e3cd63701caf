import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { Mailbox, MailboxList } from "../../../shared/mailboxes";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { mailboxesMessages } from "./mailboxes-messages";

const useStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  mailbox: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  facts: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  detail: { margin: 0, display: "flex", flexDirection: "column" },
  error: { color: tokens.colorPaletteRedForeground1, overflowWrap: "anywhere" },
});

/**
 * Where each mailbox's sync stands, in words: its mail, its calendar's meetings and its change notifications, and
 * what an admin does when one is not read (admins see every mailbox, a member their own).
 */
export function MailboxesSettings() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(mailboxesMessages);
  const mailboxes = useQuery({ queryKey: ["mailboxes"], queryFn: () => api("listMailboxes", {}) });
  const list = mailboxes.data;
  return (
    <Section title={t.title}>
      <Text>{t.intro}</Text>
      {mailboxes.isPending && <Loading label={t.loading} />}
      {mailboxes.isError && (
        <ProblemMessage error={mailboxes.error} onRetry={() => void mailboxes.refetch()} what={t.notLoaded} />
      )}
      {list && !list.syncConfigured && <Text>{t.notConfigured}</Text>}
      {list &&
        (list.items.length === 0 ? (
          <EmptyState>{t.none}</EmptyState>
        ) : (
          <ul className={styles.list} aria-label={t.list}>
            {list.items.map((mailbox) => (
              <MailboxState key={mailbox.userId} mailbox={mailbox} list={list} />
            ))}
          </ul>
        ))}
    </Section>
  );
}

function MailboxState({ mailbox, list }: { mailbox: Mailbox; list: MailboxList }) {
  const styles = useStyles();
  const t = useMessages(mailboxesMessages);
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : "");
  const seconds = String(list.intervalSeconds);
  const mail =
    mailbox.status === "ok" && !mailbox.lastSuccessAt
      ? t.status_okNever
      : translate(t[`status_${mailbox.status}`], {
          date: when(mailbox.status === "ok" ? mailbox.lastSuccessAt : mailbox.retryAt),
        });
  const { calendar, notifications } = mailbox;
  // A reason says more than its state (off, failing); pending and active have none.
  const notificationWords =
    t[`notifications_${notifications.reason ?? (notifications.state === "active" ? "active" : "pending")}`];
  const failing = mailbox.status === "failing" || mailbox.status === "backing_off";
  return (
    <li className={styles.mailbox} aria-label={mailbox.displayName ?? mailbox.email ?? mailbox.userId}>
      <Text weight="semibold">
        {mailbox.displayName ?? mailbox.email}
        {mailbox.displayName && mailbox.email ? ` · ${mailbox.email}` : ""}
      </Text>
      <dl className={styles.facts}>
        <dt className={styles.term}>{t.mail}</dt>
        <dd className={styles.detail}>
          <Text>{mail}</Text>
          {failing && mailbox.lastError && (
            <Text className={styles.error}>{translate(t.error, { error: mailbox.lastError })}</Text>
          )}
        </dd>
        <dt className={styles.term}>{t.meetings}</dt>
        <dd className={styles.detail}>
          <Text>{translate(t[`calendar_${calendar.state}`], { date: when(calendar.syncedAt) })}</Text>
          {calendar.state !== "synced" && calendar.syncedAt && (
            <Text>{translate(t.calendarLastRead, { date: when(calendar.syncedAt) })}</Text>
          )}
        </dd>
        <dt className={styles.term}>{t.notifications}</dt>
        <dd className={styles.detail}>
          <Text>{translate(notificationWords, { date: when(notifications.expiresAt), seconds })}</Text>
        </dd>
      </dl>
    </li>
  );
}
