import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Settings20Regular } from "@fluentui/react-icons/svg/settings";
import { Suspense, lazy, useEffect, useMemo, useState } from "react";
import { normalizeMessageId } from "../../../shared/message-id";
import { reasonNotToLog } from "../../../shared/privacy";
import type { OpenMessage } from "../../office/mailbox";
import { participantsOf } from "../../core/participants";
import { useAccountState } from "../hooks/useAccount";
import { useAutoLog } from "../hooks/useAutoLog";
import { useLookup } from "../hooks/useLookup";
import { useMe } from "../hooks/useMe";
import { useOpenMessage } from "../hooks/useOpenMessage";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ContactProfileView } from "./ContactProfileView";
import {
  ComposeQuotesControl,
  ComposeTemplatesControl,
  FollowUpControl,
  LogOnSendControl,
  ParticipantTabsControl,
  preloadProfileControls,
} from "./deferred-parts";
import { ErrorMessage } from "./ErrorMessage";
import { LogEmailButton } from "./LogEmailButton";
import { OutboxStatus } from "./OutboxStatus";
import { companiesOf, openDealsOf } from "./people-records";
import { PrivacyNotice } from "./PrivacyNotice";
import { SignInToRapport } from "./SignInToRapport";

// What a known sender's profile does not need is a chunk of its own. Each is prefetched (a <link rel=prefetch>,
// which the browser fetches when it has nothing else to do) and runs on first use.

// Only an unknown sender needs the signature parser (and its phone number data): it loads when one is shown.
const UnknownPerson = lazy(() =>
  import(/* webpackChunkName: "unknown-person", webpackPrefetch: true */ "./UnknownPerson").then((m) => ({
    default: m.UnknownPerson,
  })),
);

// Today shows while no email is open: the profile of a selected email paints without its code.
const Today = lazy(() =>
  import(/* webpackChunkName: "today", webpackPrefetch: true */ "./today/Today").then((m) => ({
    default: m.Today,
  })),
);

// A meeting open in Outlook: its log form and attendees' profiles, a chunk the email profile's first paint never waits for.
const MeetingView = lazy(() =>
  import(/* webpackChunkName: "meeting", webpackPrefetch: true */ "./meeting/MeetingView").then((m) => ({
    default: m.MeetingView,
  })),
);

// Settings are opened now and then: their code loads when they are.
const SettingsPanel = lazy(() =>
  import(/* webpackChunkName: "settings", webpackPrefetch: true */ "./SettingsPanel").then((m) => ({
    default: m.SettingsPanel,
  })),
);

const useStyles = makeStyles({
  pane: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
  },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalXXL, textAlign: "center" },
  hint: { color: tokens.colorNeutralForeground3 },
  footer: { display: "flex", justifyContent: "flex-end" },
});

export function Pane() {
  const styles = useStyles();
  const { t } = useI18n();
  const open = useOpenMessage();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const account = useAccountState();
  useEffect(preloadProfileControls, []);
  if (account?.kind === "signedOut")
    return (
      <main className={styles.pane}>
        <OutboxStatus />
        <SignInToRapport why={account.why} />
      </main>
    );
  return (
    <main className={styles.pane}>
      <OutboxStatus />
      {open.status === "loading" && <Spinner label={t("lookingUp")} />}
      {open.status === "error" && <ErrorMessage error={open.error} />}
      {open.status === "ready" &&
        (open.message ? (
          // Keyed by the message: a new selection starts from a clean slate, never from the last one's state.
          <MessageView key={open.message.internetMessageId ?? open.message.subject} message={open.message} />
        ) : open.appointment ? (
          <Suspense fallback={<Spinner label={t("lookingUp")} />}>
            {/* Keyed by the calendar item: another meeting (even of the same subject) starts from a clean form,
                while a moved time or new attendees (the organiser's, which Outlook reports) keep the rep's notes.
                A meeting not saved yet has no id: it is the only one its compose window shows. */}
            <MeetingView
              key={open.appointment.itemId ?? open.appointment.iCalUId ?? "unsaved"}
              appointment={open.appointment}
            />
          </Suspense>
        ) : (
          <>
            <Caption1 className={styles.hint}>{t("selectEmail")}</Caption1>
            <Suspense fallback={<Spinner size="small" label={t("loadingToday")} />}>
              <Today />
            </Suspense>
          </>
        ))}
      <div className={styles.footer}>
        <Button
          appearance="subtle"
          size="small"
          icon={<Settings20Regular />}
          aria-expanded={settingsOpen}
          onClick={() => setSettingsOpen((v) => !v)}
        >
          {t("settings")}
        </Button>
      </div>
      {settingsOpen && (
        <Suspense fallback={<Spinner size="small" />}>
          <SettingsPanel />
        </Suspense>
      )}
    </main>
  );
}

function MessageView({ message }: { message: OpenMessage }) {
  const styles = useStyles();
  const { t, formatDateTime } = useI18n();
  const { mailbox } = useServices();
  const participants = useMemo(() => participantsOf(message, mailbox.userAddress()), [message, mailbox]);
  const addresses = useMemo(
    () => participants.map((p) => `${p.name ? `"${p.name.replace(/"/g, "")}" ` : ""}<${p.address}>`),
    [participants],
  );
  const lookup = useLookup(addresses);
  const me = useMe();
  const [selected, setSelected] = useState(0);
  // The same rules the server's automatic paths apply; every address on it counts, the rep's own too.
  const privacyReason = useMemo(() => {
    if (!me.data) return null;
    const everyone = [message.from, ...message.to, ...message.cc].flatMap((a) => (a ? [a.address] : []));
    return reasonNotToLog(everyone, {}, me.data.privacy);
  }, [me.data, message]);

  if (participants.length === 0)
    return (
      <Body1 className={styles.empty}>
        {message.mode === "compose" ? t("composeEmpty") : t("selectEmail")}
      </Body1>
    );
  if (lookup.isPending) return <Spinner label={t("lookingUp")} />;
  if (lookup.isError) return <ErrorMessage error={lookup.error} onRetry={() => void lookup.refetch()} />;

  const { results, savedAt } = lookup.data;
  const current = results[Math.min(selected, results.length - 1)];
  const messageId = message.internetMessageId ? normalizeMessageId(message.internetMessageId) : null;
  const logged = results
    .flatMap((r) => r.contact?.recentInteractions ?? [])
    .find(
      (i) =>
        i.internetMessageId === messageId ||
        (message.rapportKey != null && i.rapportKey === message.rapportKey),
    );
  // Every open deal of everyone on the email, once each: the candidates the rep picks from when logging.
  const openDeals = openDealsOf(results);

  return (
    <>
      {savedAt && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("offlineShowing", { date: formatDateTime(savedAt) })}</MessageBarBody>
        </MessageBar>
      )}
      {message.mode === "compose" && (
        <>
          <LogOnSendControl.Component draftKey={message.conversationId ?? message.subject} />
          <FollowUpControl.Component draftKey={message.conversationId ?? message.subject} />
        </>
      )}
      {message.mode === "compose" && (
        <>
          <ComposeTemplatesControl.Component
            recipient={firstKnownRecipient(results)}
            recipients={results.length}
          />
          {!savedAt && <ComposeQuotesControl.Component deals={openDeals} />}
        </>
      )}
      {message.mode === "read" && privacyReason && <PrivacyNotice reason={privacyReason} />}
      {message.mode === "read" && messageId && (
        <LogEmailButton
          message={message}
          logged={logged}
          needsDeal={logged !== undefined && logged.dealId === null && openDeals.length > 1}
          openDeals={openDeals}
          companies={companiesOf(results)}
          offline={savedAt !== null}
        />
      )}
      {message.mode === "read" &&
        messageId &&
        !savedAt &&
        !logged &&
        privacyReason === null &&
        me.data?.settings.autoLogOpened === true &&
        results.some((r) => r.contact) && <AutoLog message={message} />}
      {results.length > 1 && (
        <ParticipantTabsControl.Component
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
            compose={message.mode === "compose"}
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
              message={message}
            />
          </Suspense>
        ))}
    </>
  );
}

/** The first recipient in Rapport, in the draft's order (To, then Cc): whom a template is filled in for. */
function firstKnownRecipient(results: { contact?: { id: string; displayName: string } | null }[]) {
  const contact = results.find((r) => r.contact)?.contact;
  return contact ? { id: contact.id, displayName: contact.displayName } : null;
}

/** Logs the open email as it is shown: rendered only when the rep's switch and the privacy rules allow it. */
function AutoLog({ message }: { message: OpenMessage }) {
  useAutoLog(message, true);
  return null;
}
