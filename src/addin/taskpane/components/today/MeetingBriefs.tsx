import { Badge, Body1Strong, Caption1, Link, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { whyMeetingsUnread } from "../../../../shared/mailboxes";
import type { BriefContact, MeetingBrief } from "../../../../shared/meetings";
import { useMeetingBriefs } from "../../hooks/useMeetingBriefs";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ErrorMessage } from "../ErrorMessage";
import { Section } from "../Section";
import type { Opened } from "./Today";

const useStyles = makeStyles({
  meeting: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline", flexWrap: "wrap" },
  contact: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    paddingInlineStart: tokens.spacingHorizontalM,
    borderInlineStartWidth: tokens.strokeWidthThick,
    borderInlineStartStyle: "solid",
    borderInlineStartColor: tokens.colorNeutralStroke2,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  label: { fontWeight: tokens.fontWeightSemibold },
  cancelled: { textDecorationLine: "line-through" },
});

/** Today's meetings with customers, each with who is coming and what to know before walking in. */
export function MeetingBriefs({ onOpen }: { onOpen(opened: Opened): void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const briefs = useMeetingBriefs();
  // An empty day may be a calendar Rapport cannot read: asked only then, so a busy day costs no second request.
  const mailbox = useQuery({
    queryKey: ["mailboxes", "mine"],
    queryFn: () => api("myMailbox", {}),
    enabled: briefs.data?.meetings.length === 0,
  });
  if (briefs.isPending) return <Spinner size="small" label={t("loadingMeetings")} />;
  if (briefs.isError) return <ErrorMessage error={briefs.error} onRetry={() => void briefs.refetch()} />;
  const { meetings } = briefs.data;
  if (meetings.length === 0 && mailbox.isPending)
    return <Spinner size="small" label={t("loadingMeetings")} />;
  // Without the mailbox's state (it failed to load) the day is shown as it came: empty.
  const unread = mailbox.data ? whyMeetingsUnread(mailbox.data) : null;
  return (
    <Section
      title={t("meetingsToday", { count: String(meetings.length) })}
      empty={unread ? t(`meetingsUnread_${unread}`) : t("noMeetingsToday")}
    >
      {meetings.map((meeting) => (
        <MeetingRow key={meeting.interactionId} meeting={meeting} onOpen={onOpen} />
      ))}
    </Section>
  );
}

function MeetingRow({ meeting, onOpen }: { meeting: MeetingBrief; onOpen(opened: Opened): void }) {
  const styles = useStyles();
  const { t, locale } = useI18n();
  const time = useMemo(() => new Intl.DateTimeFormat(locale, { timeStyle: "short" }), [locale]);
  return (
    <li className={styles.meeting}>
      <div className={styles.heading}>
        <Body1Strong className={meeting.cancelled ? styles.cancelled : undefined}>
          {time.format(new Date(meeting.startsAt))}–{time.format(new Date(meeting.endsAt))} ·{" "}
          {meeting.subject ?? t("kind_meeting")}
        </Body1Strong>
        {meeting.cancelled && (
          <Badge appearance="tint" color="danger">
            {t("meetingCancelled")}
          </Badge>
        )}
      </div>
      {meeting.location && <Caption1 className={styles.muted}>{meeting.location}</Caption1>}
      {meeting.contacts.map((brief) => (
        <ContactBrief key={brief.contact.id} brief={brief} onOpen={onOpen} />
      ))}
    </li>
  );
}

function ContactBrief({ brief, onOpen }: { brief: BriefContact; onOpen(opened: Opened): void }) {
  const styles = useStyles();
  const { t, formatDate, formatAmount } = useI18n();
  const { contact, company, openDeals, lastInteractions, openTasks } = brief;
  const role =
    contact.title && company
      ? t("atCompany", { title: contact.title, company: company.name })
      : (contact.title ?? company?.name ?? null);
  return (
    <div className={styles.contact} aria-label={contact.displayName} role="group">
      <Link as="button" onClick={() => onOpen({ kind: "contact", id: contact.id })}>
        {contact.displayName}
      </Link>
      {role && <Caption1 className={styles.muted}>{role}</Caption1>}
      {openDeals.length === 0 ? (
        <Caption1 className={styles.muted}>{t("briefNoDeals")}</Caption1>
      ) : (
        openDeals.map((deal) => (
          <Caption1 key={deal.id}>
            <Link as="button" onClick={() => onOpen({ kind: "deal", id: deal.id })}>
              {t("briefDealStage", { deal: deal.name, stage: deal.stage.name })}
            </Link>
            {deal.amount !== null ? ` · ${formatAmount(deal.amount, deal.currency)}` : ""}
          </Caption1>
        ))
      )}
      <Caption1 className={styles.label}>{t("briefLastContact")}</Caption1>
      {lastInteractions.length === 0 ? (
        <Caption1 className={styles.muted}>{t("briefNoContact")}</Caption1>
      ) : (
        lastInteractions.map((interaction) => (
          <Caption1 key={interaction.id}>
            {formatDate(interaction.occurredAt)} · {t(`kind_${interaction.kind}`)}
            {interaction.subject ? ` · ${interaction.subject}` : ""}
          </Caption1>
        ))
      )}
      <Caption1 className={styles.label}>{t("openTasks")}</Caption1>
      {openTasks.length === 0 ? (
        <Caption1 className={styles.muted}>{t("briefNoTasks")}</Caption1>
      ) : (
        openTasks.map((task) => (
          <Caption1 key={task.id}>
            {task.title}
            {task.dueAt ? ` · ${t("due", { date: formatDate(task.dueAt) })}` : ""}
          </Caption1>
        ))
      )}
    </div>
  );
}
