import {
  Body1,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Suspense, lazy, useMemo, useState } from "react";
import { normalizeMessageId } from "../../../shared/message-id";
import { type OpenMessage, participantsOf } from "../../office/mailbox";
import { useLookup } from "../hooks/useLookup";
import { useOpenMessage } from "../hooks/useOpenMessage";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ContactProfileView } from "./ContactProfileView";
import { ErrorMessage } from "./ErrorMessage";
import { LogEmailButton } from "./LogEmailButton";
import { LogOnSendSwitch } from "./LogOnSendSwitch";
import { OutboxStatus } from "./OutboxStatus";

// Only an unknown sender needs the signature parser (and its phone number data): it loads when one is shown.
const UnknownPerson = lazy(() =>
  import(/* webpackChunkName: "unknown-person" */ "./UnknownPerson").then((m) => ({
    default: m.UnknownPerson,
  })),
);

const useStyles = makeStyles({
  pane: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
  },
  // A thread can have many people: their tabs wrap instead of running out of the narrow pane.
  tabs: { flexWrap: "wrap" },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalXXL, textAlign: "center" },
});

export function Pane() {
  const styles = useStyles();
  const { t } = useI18n();
  const open = useOpenMessage();
  return (
    <main className={styles.pane}>
      <OutboxStatus />
      {open.status === "loading" && <Spinner label={t("lookingUp")} />}
      {open.status === "error" && <ErrorMessage error={open.error} />}
      {open.status === "ready" &&
        (open.message ? (
          // Keyed by the message: a new selection starts from a clean slate, never from the last one's state.
          <MessageView key={open.message.internetMessageId ?? open.message.subject} message={open.message} />
        ) : (
          <Body1 className={styles.empty}>{t("selectEmail")}</Body1>
        ))}
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
  const [selected, setSelected] = useState(0);

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
  const alreadyLogged = results.some((r) =>
    r.contact?.recentInteractions.some(
      (i) =>
        i.internetMessageId === messageId ||
        (message.rapportKey != null && i.rapportKey === message.rapportKey),
    ),
  );
  // Every open deal of everyone on the email, once each: the candidates the rep picks from when logging.
  const openDeals = [
    ...new Map(
      results.flatMap((r) => r.contact?.openDeals ?? []).map((d) => [d.id, { id: d.id, name: d.name }]),
    ).values(),
  ];

  return (
    <>
      {savedAt && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("offlineShowing", { date: formatDateTime(savedAt) })}</MessageBarBody>
        </MessageBar>
      )}
      {message.mode === "compose" && <LogOnSendSwitch draftKey={message.conversationId ?? message.subject} />}
      {message.mode === "read" && messageId && (
        <LogEmailButton message={message} alreadyLogged={alreadyLogged} openDeals={openDeals} />
      )}
      {results.length > 1 && (
        <TabList
          className={styles.tabs}
          aria-label={t("participants")}
          selectedValue={String(selected)}
          onTabSelect={(_, data) => setSelected(Number(data.value))}
          size="small"
        >
          {results.map((result, index) => (
            <Tab key={result.email} value={String(index)}>
              {result.contact?.displayName ?? result.suggestion?.displayName ?? result.email}
            </Tab>
          ))}
        </TabList>
      )}
      {current &&
        (current.contact ? (
          <ContactProfileView key={current.contact.id} profile={current.contact} />
        ) : savedAt ? (
          <Body1 className={styles.empty}>{t("notAvailableOffline")}</Body1>
        ) : (
          <Suspense fallback={<Spinner size="small" />}>
            <UnknownPerson
              key={current.email}
              email={current.email}
              suggestion={current.suggestion}
              message={message}
            />
          </Suspense>
        ))}
    </>
  );
}
