import { Button, Spinner } from "@fluentui/react-components";
import { CheckmarkCircle20Regular } from "@fluentui/react-icons/svg/checkmark-circle";
import { Clock20Regular } from "@fluentui/react-icons/svg/clock";
import { MailAdd20Regular } from "@fluentui/react-icons/svg/mail-add";
import type { ReactElement } from "react";
import type { Interaction } from "../../../shared/interactions";
import { emailToLog } from "../../core/email-to-log";
import type { OpenMessage } from "../../office/mailbox";
import { useOutboxEntries, useSubmit } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import type { OpenDeal } from "./DealMenu";
import { DealMenuControl, LoggedLinksControl } from "./deferred-parts";
import { ErrorMessage } from "./ErrorMessage";
import type { NamedRecord } from "./people-records";

export type { OpenDeal } from "./DealMenu";

/**
 * One click logs the open email; "Logged · <deal>" also when anyone logged it before (the server keeps one copy),
 * with a menu to change its deals and companies. With one open deal among the people on it, the email is linked
 * to that deal; with several, the rep picks one (or none): Rapport never guesses.
 */
export function LogEmailButton({
  message,
  logged,
  needsDeal = false,
  openDeals,
  companies = [],
  offline = false,
}: {
  message: OpenMessage;
  /** The email as Rapport has it, when it is logged. */
  logged: Interaction | undefined;
  /** Logged (by the mailbox sync, or auto-log) without a deal, and the people on it have several: pick one. */
  needsDeal?: boolean;
  openDeals: OpenDeal[];
  /** The companies of the people on it. */
  companies?: NamedRecord[];
  /** The pane shows profiles kept from before: changing links waits for the connection. */
  offline?: boolean;
}) {
  const alreadyLogged = logged !== undefined;
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
  if (logged)
    return (
      <LoggedLinksControl.Component
        interaction={logged}
        openDeals={openDeals}
        companies={companies}
        offline={offline}
      />
    );
  if (logEmail.delivery === "sent") {
    // Sent: the profiles are read again, and with them the email and where it went.
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
