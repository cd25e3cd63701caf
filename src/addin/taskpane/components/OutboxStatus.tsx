import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import type { OutboxAction } from "../../core/outbox";
import { useAccountState } from "../hooks/useAccount";
import { useOutboxEntries } from "../hooks/useOutbox";
import { type I18n } from "../../core/i18n";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";

/** A line for an action in the outbox, as the rep would recognise what they did. */
export function describeAction(action: OutboxAction, t: I18n["t"]): string {
  switch (action.kind) {
    case "logEmail":
      return action.body.subject || (action.body.internetMessageId ?? "");
    case "logMeeting":
      return t("meetingLogLine", { subject: action.body.subject || t("kind_meeting") });
    case "createNote": {
      const outcome = action.body.outcome ? ` · ${t(`outcome_${action.body.outcome}`)}` : "";
      const text = action.body.body ? `: ${action.body.body.slice(0, 80)}` : "";
      return `${t(`kind_${action.body.kind}`)}${outcome}${text}`;
    }
    case "createTask":
      return t("taskAdded", { title: action.body.title });
    case "completeTask":
      return t("taskDone", { title: action.task.title });
    case "reopenTask":
      return t("taskReopened", { title: action.task.title });
  }
}

/**
 * The outbox, visible: how much waits for the server (with a way to try now), and anything the server refused
 * while the rep was not looking, with why, until they dismiss it.
 */
export function OutboxStatus() {
  const { t } = useI18n();
  const { outbox } = useServices();
  const entries = useOutboxEntries();
  const signedOut = useAccountState()?.kind === "signedOut";
  const waiting = entries.filter((e) => e.refused === null);
  const refused = entries.filter((e) => e.refused !== null);
  return (
    // Always there, so a screen reader hears what appears in it.
    <div aria-live="polite">
      {waiting.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {t(signedOut ? "waitingForSignIn" : "waitingCount", { count: String(waiting.length) })}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void outbox.flush()}>
              {t("sendNow")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {refused.map((entry) => (
        <MessageBar key={entry.id} intent="error" layout="multiline">
          <MessageBarBody>
            {t("notSaved", { what: describeAction(entry.action, t), detail: entry.refused ?? "" })}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => outbox.dismiss(entry.id)}>
              {t("dismiss")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ))}
    </div>
  );
}
