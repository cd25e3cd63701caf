import { Badge, Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { whyMeetingsUnread } from "../../../shared/mailboxes";
import type { BriefContact, MeetingBrief } from "../../../shared/meetings";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatAmount, formatDate, formatNumber, formatTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { CONTACTS_PATH, DEALS_PATH } from "../paths";
import { meetingMessages } from "./meeting-messages";

const useStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  meeting: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  cancelled: { textDecorationLine: "line-through" },
  contact: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    paddingInlineStart: tokens.spacingHorizontalM,
    borderInlineStartWidth: tokens.strokeWidthThick,
    borderInlineStartStyle: "solid",
    borderInlineStartColor: tokens.colorNeutralStroke2,
  },
  meta: { color: tokens.colorNeutralForeground3 },
  inner: { listStyleType: "none", margin: 0, padding: 0 },
});

/** Today's meetings with customers: for each, who is coming and what to know before walking in. */
export function MeetingBriefsCard() {
  const styles = useStyles();
  const { api, timeZone } = useWebApp();
  const t = useMessages(meetingMessages);
  const briefs = useQuery({
    queryKey: ["meetingBriefs", timeZone],
    queryFn: () => api("meetingBriefs", { query: { timeZone } }),
  });
  const meetings = briefs.data?.meetings ?? [];
  // An empty day may be a calendar Rapport cannot read: asked only then, so a busy day costs no second request.
  const mailbox = useQuery({
    queryKey: ["mailboxes", "mine"],
    queryFn: () => api("myMailbox", {}),
    enabled: briefs.data !== undefined && meetings.length === 0,
  });
  const unread = mailbox.data ? whyMeetingsUnread(mailbox.data) : null;
  return (
    <Section title={translate(t.title, { count: formatNumber(meetings.length) })}>
      {briefs.isPending && <Loading label={t.loading} />}
      {briefs.isError && (
        <ProblemMessage error={briefs.error} onRetry={() => void briefs.refetch()} what={t.notLoaded} />
      )}
      {briefs.data &&
        (meetings.length === 0 ? (
          mailbox.isPending ? (
            <Loading label={t.loading} />
          ) : (
            // Without the mailbox's state (it failed to load) the day is shown as it came: empty.
            <EmptyState>{unread ? t[`unread_${unread}`] : t.none}</EmptyState>
          )
        ) : (
          <ul className={styles.list} aria-label={t.list}>
            {meetings.map((meeting) => (
              <Meeting key={meeting.interactionId} meeting={meeting} />
            ))}
          </ul>
        ))}
    </Section>
  );
}

function Meeting({ meeting }: { meeting: MeetingBrief }) {
  const styles = useStyles();
  const t = useMessages(meetingMessages);
  return (
    <li className={styles.meeting}>
      <div className={styles.row}>
        <Text weight="semibold" className={meeting.cancelled ? styles.cancelled : undefined}>
          {formatTime(meeting.startsAt)}–{formatTime(meeting.endsAt)} · {meeting.subject ?? t.untitled}
        </Text>
        {meeting.cancelled && (
          <Badge appearance="tint" color="danger">
            {t.cancelled}
          </Badge>
        )}
      </div>
      {(meeting.location || meeting.onlineUrl) && (
        <Text className={styles.meta}>
          {meeting.location}
          {meeting.location && meeting.onlineUrl ? " · " : ""}
          {meeting.onlineUrl && (
            <Link href={meeting.onlineUrl} target="_blank" rel="noopener noreferrer">
              {t.join}
            </Link>
          )}
        </Text>
      )}
      {meeting.contacts.map((brief) => (
        <ContactBrief key={brief.contact.id} brief={brief} />
      ))}
    </li>
  );
}

function ContactBrief({ brief }: { brief: BriefContact }) {
  const styles = useStyles();
  const t = useMessages(meetingMessages);
  const { contact, company, openDeals, lastInteractions, openTasks } = brief;
  return (
    <section className={styles.contact} aria-label={contact.displayName}>
      <AppLink to={`${CONTACTS_PATH}/${contact.id}`}>{contact.displayName}</AppLink>
      {(contact.title || company) && (
        <Text className={styles.meta}>{[contact.title, company?.name].filter(Boolean).join(" · ")}</Text>
      )}
      {openDeals.length === 0 ? (
        <Text className={styles.meta}>{t.noDeals}</Text>
      ) : (
        <ul className={styles.inner}>
          {openDeals.map((deal) => (
            <li key={deal.id}>
              <AppLink to={`${DEALS_PATH}/${deal.id}`}>
                {translate(t.dealStage, { deal: deal.name, stage: deal.stage.name })}
              </AppLink>
              {deal.amount !== null ? ` · ${formatAmount(deal.amount, deal.currency)}` : ""}
            </li>
          ))}
        </ul>
      )}
      <Text weight="semibold">{t.lastContact}</Text>
      {lastInteractions.length === 0 ? (
        <Text className={styles.meta}>{t.noContact}</Text>
      ) : (
        <ul className={styles.inner}>
          {lastInteractions.map((interaction) => (
            <li key={interaction.id}>
              <Text>
                {formatDate(interaction.occurredAt)} · {t[`kind_${interaction.kind}`]}
                {interaction.subject ? ` · ${interaction.subject}` : ""}
              </Text>
            </li>
          ))}
        </ul>
      )}
      <Text weight="semibold">{t.openTasks}</Text>
      {openTasks.length === 0 ? (
        <Text className={styles.meta}>{t.noTasks}</Text>
      ) : (
        <ul className={styles.inner}>
          {openTasks.map((task) => (
            <li key={task.id}>
              <Text>
                {task.title}
                {task.dueAt ? ` · ${translate(t.due, { date: formatDate(task.dueAt) })}` : ""}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
