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
import type { Interaction } from "../../../../shared/interactions";
import type { LookupResult } from "../../../../shared/people";
import { useLookup } from "../../hooks/useLookup";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ContactProfileView } from "../ContactProfileView";
import { LoggedLinksControl, ParticipantTabsControl } from "../deferred-parts";
import { ErrorMessage } from "../ErrorMessage";
import { companiesOf, openDealsOf } from "../people-records";
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
 * The open meeting as Rapport has it, when someone logged it (or the calendar capture did): among the attendees'
 * latest interactions, by its iCalUId where Outlook gives one, else by its start and subject, as the server joins it.
 */
function loggedMeetingOf(
  results: readonly LookupResult[],
  appointment: OpenAppointment,
): Interaction | undefined {
  const start = new Date(appointment.start).getTime();
  const subject = appointment.subject.trim();
  return results
    .flatMap((r) => r.contact?.recentInteractions ?? [])
    .find(
      (i) =>
        i.kind === "meeting" &&
        i.meeting !== null &&
        (appointment.iCalUId && i.meeting.iCalUId
          ? i.meeting.iCalUId === appointment.iCalUId
          : new Date(i.meeting.startsAt).getTime() === start && (i.subject ?? "").trim() === subject),
    );
}

/**
 * A meeting open in Outlook (as its organiser or an attendee, on the desktop or from Outlook mobile's Log button):
 * when and where, the form that logs it with notes and its outcome, and the attendees' profiles as a draft shows its
 * recipients'.
 */
export function MeetingView({ appointment }: { appointment: OpenAppointment }) {
  const styles = useStyles();
  const { t, formatDateTime, formatTime, sameDay } = useI18n();
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
        {t("meetingWhen", {
          start: formatDateTime(appointment.start),
          // The day once: a meeting that ends on the day it starts ends at a time.
          end: sameDay(appointment.start, appointment.end)
            ? formatTime(appointment.end)
            : formatDateTime(appointment.end),
        })}
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
  const openDeals = openDealsOf(results);
  const logged = loggedMeetingOf(results, appointment);
  return (
    <>
      {header}
      {savedAt && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("offlineShowing", { date: formatDateTime(savedAt) })}</MessageBarBody>
        </MessageBar>
      )}
      {logged && (
        <LoggedLinksControl.Component
          interaction={logged}
          openDeals={openDeals}
          companies={companiesOf(results)}
          offline={savedAt !== null}
        />
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
