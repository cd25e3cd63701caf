import {
  Body1,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Suspense, lazy, useMemo, useState } from "react";
import { attendeesOf } from "../../../core/participants";
import type { OpenAppointment } from "../../../office/mailbox";
import { useLookup } from "../../hooks/useLookup";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ContactProfileView } from "../ContactProfileView";
import { ParticipantTabsControl } from "../deferred-parts";
import { ErrorMessage } from "../ErrorMessage";
import { LogMeetingForm } from "./LogMeetingForm";

// As on an email: only an attendee Rapport does not know needs the signature parser's chunk.
const UnknownPerson = lazy(() =>
  import(/* webpackChunkName: "unknown-person" */ "../UnknownPerson").then((m) => ({
    default: m.UnknownPerson,
  })),
);

const useStyles = makeStyles({
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground3 },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalXXL, textAlign: "center" },
});

/**
 * A meeting open in Outlook (as its organiser or an attendee, on the desktop or from Outlook mobile's Log button):
 * when and where, the form that logs it with notes and its outcome, and the attendees' profiles as a draft shows its
 * recipients'.
 */
export function MeetingView({ appointment }: { appointment: OpenAppointment }) {
  const styles = useStyles();
  const { t, formatDateTime } = useI18n();
  const { mailbox } = useServices();
  const people = useMemo(() => attendeesOf(appointment, mailbox.userAddress()), [appointment, mailbox]);
  const addresses = useMemo(
    () => people.map((p) => `${p.name ? `"${p.name.replace(/"/g, "")}" ` : ""}<${p.address}>`),
    [people],
  );
  const lookup = useLookup(addresses);
  const [selected, setSelected] = useState(0);

  const header = (
    <div className={styles.header}>
      <Subtitle1 as="h1">{appointment.subject || t("kind_meeting")}</Subtitle1>
      <Caption1 className={styles.muted}>
        {t("meetingWhen", { start: formatDateTime(appointment.start), end: formatDateTime(appointment.end) })}
        {appointment.location ? ` · ${appointment.location}` : ""}
      </Caption1>
    </div>
  );
  if (people.length === 0)
    return (
      <>
        {header}
        <Body1 className={styles.empty}>{t("meetingNoOne")}</Body1>
      </>
    );
  if (lookup.isPending)
    return (
      <>
        {header}
        <Spinner label={t("lookingUp")} />
      </>
    );
  if (lookup.isError)
    return (
      <>
        {header}
        <ErrorMessage error={lookup.error} onRetry={() => void lookup.refetch()} />
      </>
    );

  const { results, savedAt } = lookup.data;
  const current = results[Math.min(selected, results.length - 1)];
  // Every open deal of everyone at the meeting, once each: what the rep picks from when logging it.
  const openDeals = [
    ...new Map(
      results.flatMap((r) => r.contact?.openDeals ?? []).map((d) => [d.id, { id: d.id, name: d.name }]),
    ).values(),
  ];
  return (
    <>
      {header}
      {savedAt && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("offlineShowing", { date: formatDateTime(savedAt) })}</MessageBarBody>
        </MessageBar>
      )}
      <LogMeetingForm appointment={appointment} openDeals={openDeals} />
      {results.length > 1 && (
        <ParticipantTabsControl.Component
          label={t("meetingPeople")}
          names={results.map((result) => ({
            key: result.email,
            name: result.contact?.displayName ?? result.suggestion?.displayName ?? result.email,
          }))}
          selected={selected}
          onSelect={setSelected}
        />
      )}
      {current &&
        (current.contact ? (
          <ContactProfileView
            key={current.contact.id}
            profile={current.contact}
            recipients={results.length}
          />
        ) : savedAt ? (
          <Body1 className={styles.empty}>{t("notAvailableOffline")}</Body1>
        ) : (
          <Suspense fallback={<Spinner size="small" />}>
            <UnknownPerson
              key={current.email}
              email={current.suggestion?.email ?? current.email}
              suggestion={current.suggestion}
            />
          </Suspense>
        ))}
    </>
  );
}
