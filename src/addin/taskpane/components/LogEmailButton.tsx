import { Button, Spinner } from "@fluentui/react-components";
import { CheckmarkCircle20Regular } from "@fluentui/react-icons/svg/checkmark-circle";
import { Clock20Regular } from "@fluentui/react-icons/svg/clock";
import { MailAdd20Regular } from "@fluentui/react-icons/svg/mail-add";
import type { ReactElement } from "react";
import { emailToLog } from "../../core/email-to-log";
import type { OpenMessage } from "../../office/mailbox";
import { useOutboxEntries, useSubmit } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import type { OpenDeal } from "./DealMenu";
import { DealMenuControl } from "./deferred-parts";
import { ErrorMessage } from "./ErrorMessage";

export type { OpenDeal } from "./DealMenu";

/**
 * One click logs the open email; "Logged" also when anyone logged it before (the server keeps one copy).
 * With one open deal among the people on it, the email is linked to that deal; with several, the rep picks one
 * (or none): Rapport never guesses.
 */
export function LogEmailButton({
  message,
  alreadyLogged,
  needsDeal = false,
  openDeals,
}: {
  message: OpenMessage;
  alreadyLogged: boolean;
  /** Logged (by the mailbox sync, or auto-log) without a deal, and the people on it have several: pick one. */
  needsDeal?: boolean;
  openDeals: OpenDeal[];
}) {
  const { t } = useI18n();
  const { mailbox } = useServices();
  const logEmail = useSubmit(async (dealId: string | null | undefined) => {
    const { internetMessageId, from } = message;
    // The button shows only on a received or sent email, which always has both.
    if (!internetMessageId || !from) throw new Error("only a received or sent email can be logged");
    const body = emailToLog({ ...message, internetMessageId, from }, await mailbox.readBodyText(), dealId);
    return { kind: "logEmail" as const, body };
  });
  const queued = useOutboxEntries().find(
    (e) => e.action.kind === "logEmail" && e.action.body.internetMessageId === message.internetMessageId,
  );

  if (queued?.refused === null && !alreadyLogged) {
    return (
      <Button appearance="subtle" icon={<Clock20Regular />} disabled>
        {t("logQueued")}
      </Button>
    );
  }
  const dealMenu = (trigger: ReactElement) => (
    <DealMenuControl.Component
      trigger={trigger}
      openDeals={openDeals}
      onPick={(dealId) => logEmail.mutate(dealId)}
    />
  );
  if (alreadyLogged && needsDeal && logEmail.delivery !== "sent") {
    return (
      <>
        {dealMenu(
          <Button appearance="secondary" icon={<CheckmarkCircle20Regular />} disabled={logEmail.isPending}>
            {t("loggedNeedsDeal")}
          </Button>,
        )}
        {logEmail.isError && (
          <ErrorMessage error={logEmail.error} onRetry={() => logEmail.mutate(logEmail.variables)} />
        )}
      </>
    );
  }
  if (alreadyLogged || logEmail.delivery === "sent") {
    return (
      <Button appearance="subtle" icon={<CheckmarkCircle20Regular />} disabled>
        {t("logged")}
      </Button>
    );
  }
  const busy = logEmail.isPending;
  const label = busy ? t("logging") : t("logEmail");
  const icon = busy ? <Spinner size="tiny" /> : <MailAdd20Regular />;
  return (
    <>
      {openDeals.length > 1 ? (
        dealMenu(
          <Button appearance="primary" icon={icon} disabled={busy}>
            {label}
          </Button>,
        )
      ) : (
        <Button
          appearance="primary"
          icon={icon}
          disabled={busy}
          // No deal named: the server links the conversation's deal when the email answers one it has, else the
          // people's single open deal (the one shown), so a reply stays with its thread.
          onClick={() => logEmail.mutate(undefined)}
        >
          {label}
        </Button>
      )}
      {logEmail.isError && (
        <ErrorMessage error={logEmail.error} onRetry={() => logEmail.mutate(logEmail.variables)} />
      )}
    </>
  );
}
