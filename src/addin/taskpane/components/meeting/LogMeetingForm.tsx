import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CalendarAdd20Regular } from "@fluentui/react-icons/svg/calendar-add";
import { Clock20Regular } from "@fluentui/react-icons/svg/clock";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { ApiError } from "../../../../client/problems";
import { type LogMeeting, MeetingOutcome } from "../../../../shared/meetings";
import type { MeetingIds } from "../../../auth/meeting-ids";
import type { Address, OpenAppointment } from "../../../office/mailbox";
import { useSubmit } from "../../hooks/useOutbox";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ErrorMessage } from "../ErrorMessage";
import type { OpenDeal } from "../DealMenu";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

const person = ({ address, name }: Address) => (name ? { address, name } : { address });

/** An https location is the meeting's online link (Teams and others put the join link there); text is a place. */
function onlineUrlOf(location: string | null): string | undefined {
  if (!location || !location.startsWith("https://") || /\s/.test(location)) return undefined;
  try {
    return new URL(location).protocol === "https:" ? location : undefined;
  } catch {
    return undefined;
  }
}

/** What the server is sent for the open meeting, with the rep's notes, outcome and deal. */
export function meetingToLog(
  appointment: OpenAppointment,
  own: string | null,
  choice: { notes: string; outcome: MeetingOutcome | null; dealId: string | null },
): LogMeeting {
  // Outlook names the organiser on every form but an organiser's before Mailbox 1.7, where it is the rep.
  const organizer = appointment.organizer ?? (own ? { address: own, name: null } : null);
  if (!organizer) throw new Error("a meeting without an organiser cannot be logged");
  const notes = choice.notes.trim();
  return {
    id: crypto.randomUUID(),
    ...(appointment.iCalUId ? { iCalUId: appointment.iCalUId } : {}),
    ...(appointment.subject.trim() ? { subject: appointment.subject } : {}),
    startsAt: appointment.start,
    endsAt: appointment.end,
    ...(appointment.location && !onlineUrlOf(appointment.location) ? { location: appointment.location } : {}),
    ...(onlineUrlOf(appointment.location) ? { onlineUrl: onlineUrlOf(appointment.location) } : {}),
    organizer: person(organizer),
    attendees: [...appointment.requiredAttendees, ...appointment.optionalAttendees].map(person),
    ...(notes ? { notes } : {}),
    ...(choice.outcome ? { outcome: choice.outcome } : {}),
    dealId: choice.dealId,
  };
}

/**
 * The meeting's iCalUId from the rep's calendar through Graph, where the pane may read it; null otherwise, or when
 * the read fails (offline, not consented): the server then joins the meeting by organiser, start and subject.
 */
async function iCalUIdFromCalendar(
  appointment: OpenAppointment,
  meetingIds: MeetingIds | undefined,
): Promise<string | null> {
  if (!appointment.restId || !meetingIds) return null;
  try {
    return await meetingIds.iCalUIdOf(appointment.restId);
  } catch {
    return null;
  }
}

/**
 * "Log meeting": the rep's notes, how it went and which deal, sent through the outbox (queued while Rapport cannot
 * be reached). Logging again updates the one interaction the server keeps for the meeting; with one open deal among
 * the people it is chosen, with several the rep picks (Rapport never guesses).
 */
export function LogMeetingForm({
  appointment,
  openDeals,
}: {
  appointment: OpenAppointment;
  openDeals: OpenDeal[];
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { mailbox, meetingIds } = useServices();
  const queryClient = useQueryClient();
  const ids = { notes: useId(), outcome: useId(), deal: useId() };
  const [notes, setNotes] = useState("");
  const [outcome, setOutcome] = useState<MeetingOutcome | "">("");
  const [dealId, setDealId] = useState<string>(openDeals.length === 1 ? (openDeals[0]?.id ?? "") : "");
  const log = useSubmit(async () => ({
    kind: "logMeeting" as const,
    body: meetingToLog(
      {
        ...appointment,
        iCalUId: appointment.iCalUId ?? (await iCalUIdFromCalendar(appointment, meetingIds)),
      },
      mailbox.userAddress(),
      { notes, outcome: outcome || null, dealId: dealId || null },
    ),
  }));
  const sent = log.delivery === "sent";
  useEffect(() => {
    if (!sent) return;
    // Outlook mobile's Log button reads View from now on; a failure there leaves the log as it is.
    void mailbox.markAppointmentLogged().catch(() => undefined);
    void queryClient.invalidateQueries({ queryKey: ["meetingBriefs"] });
  }, [sent, mailbox, queryClient]);

  const busy = log.isPending;
  const noContact = log.error instanceof ApiError && log.error.code === "no_contact";
  return (
    <form
      className={styles.form}
      aria-label={t("meetingLogTitle")}
      onSubmit={(event) => {
        event.preventDefault();
        log.mutate(undefined);
      }}
    >
      <Subtitle2 as="h2">{t("meetingLogTitle")}</Subtitle2>
      <Field label={t("meetingNotes")}>
        <Textarea
          id={ids.notes}
          value={notes}
          onChange={(_, data) => setNotes(data.value)}
          resize="vertical"
        />
      </Field>
      <Field label={t("meetingOutcome")}>
        <Select
          id={ids.outcome}
          value={outcome}
          onChange={(_, data) => setOutcome(data.value === "" ? "" : MeetingOutcome.parse(data.value))}
        >
          <option value="">{t("meetingOutcomeUnsaid")}</option>
          {MeetingOutcome.options.map((value) => (
            <option key={value} value={value}>
              {t(`meetingOutcome_${value}`)}
            </option>
          ))}
        </Select>
      </Field>
      {openDeals.length > 0 && (
        <Field label={t("meetingDeal")}>
          <Select id={ids.deal} value={dealId} onChange={(_, data) => setDealId(data.value)}>
            <option value="">{t("noDeal")}</option>
            {openDeals.map((deal) => (
              <option key={deal.id} value={deal.id}>
                {deal.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <div className={styles.actions}>
        {log.delivery === "waiting" ? (
          <Button appearance="subtle" icon={<Clock20Regular />} disabled>
            {t("logQueued")}
          </Button>
        ) : (
          <Button
            type="submit"
            appearance={sent ? "secondary" : "primary"}
            icon={busy ? <Spinner size="tiny" /> : <CalendarAdd20Regular />}
            disabled={busy}
          >
            {busy ? t("logging") : sent ? t("updateMeetingLog") : t("logMeeting")}
          </Button>
        )}
      </div>
      <div aria-live="polite">
        {sent && !busy && (
          <MessageBar intent="success">
            <MessageBarBody>{t("meetingLogged")}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {log.isError &&
        (noContact ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{t("meetingNoContact")}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => log.mutate(undefined)}>{t("retry")}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <ErrorMessage error={log.error} onRetry={() => log.mutate(undefined)} />
        ))}
    </form>
  );
}
