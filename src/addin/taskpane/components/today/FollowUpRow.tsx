import { Button, Caption1, Checkbox, Link, makeStyles, tokens } from "@fluentui/react-components";
import type { FollowUp } from "../../../../shared/dashboard";
import { useOutboxEntries, useSubmit } from "../../hooks/useOutbox";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ErrorMessage } from "../ErrorMessage";
import type { Opened } from "./Today";

const useStyles = makeStyles({
  row: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
  },
  done: { textDecorationLine: "line-through", color: tokens.colorNeutralForeground3 },
  muted: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  overdue: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, fontWeight: tokens.fontWeightSemibold },
  about: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    paddingInlineStart: "28px",
  },
});

/**
 * A follow-up due, done with one click through the outbox (sent now, or kept until Rapport is back), with an
 * undo: a done still waiting in the outbox is simply taken out of it; one the server has is reopened.
 */
export function FollowUpRow({ followUp, onOpen }: { followUp: FollowUp; onOpen(opened: Opened): void }) {
  const styles = useStyles();
  const { t, formatDate } = useI18n();
  const { outbox } = useServices();
  const task = {
    id: followUp.id,
    title: followUp.title,
    version: followUp.version,
    contactId: followUp.contactId,
  };
  const complete = useSubmit(() => ({ kind: "completeTask" as const, task }));
  // The done left the task one version on; if someone changed it too, the server's answer says where it is.
  const reopen = useSubmit(() => ({
    kind: "reopenTask" as const,
    task: { ...task, version: task.version + 1 },
  }));
  const waiting = useOutboxEntries().find(
    (e) => e.refused === null && e.action.kind === "completeTask" && e.action.task.id === followUp.id,
  );
  const sending = complete.isPending;
  const done = waiting !== undefined || sending || complete.delivery === "sent";
  const undoing = reopen.isPending;

  const undo = () => {
    if (waiting) {
      // Never sent: nothing for the server to undo.
      complete.reset();
      outbox.dismiss(waiting.id);
      return;
    }
    // Open again once the server has it (or the outbox keeps it to send); a refusal is shown with a retry.
    reopen.mutate(undefined, {
      onSuccess: () => {
        complete.reset();
        reopen.reset();
      },
    });
  };

  return (
    <li>
      <div className={styles.row}>
        <Checkbox
          checked={done}
          disabled={done || undoing}
          onChange={() => {
            reopen.reset();
            complete.mutate(undefined);
          }}
          aria-label={t("markDone", { task: followUp.title })}
          label={<span className={done ? styles.done : undefined}>{followUp.title}</span>}
        />
        <Caption1 className={followUp.overdue && !done ? styles.overdue : styles.muted}>
          {followUp.overdue && followUp.dueAt
            ? t("overdueSince", { date: formatDate(followUp.dueAt) })
            : t("dueToday")}
        </Caption1>
      </div>
      <div className={styles.about}>
        {followUp.contact && (
          <Link
            as="button"
            onClick={() => followUp.contact && onOpen({ kind: "contact", id: followUp.contact.id })}
          >
            {followUp.contact.displayName}
          </Link>
        )}
        {followUp.deal && (
          <Link as="button" onClick={() => followUp.deal && onOpen({ kind: "deal", id: followUp.deal.id })}>
            {followUp.deal.name}
          </Link>
        )}
        {done && !sending && (
          <>
            <Caption1 className={styles.muted} role="status">
              {waiting ? t("waitingToSend") : t("doneStatus")}
            </Caption1>
            <Button size="small" appearance="transparent" disabled={undoing} onClick={undo}>
              {undoing ? t("undoing") : t("undo")}
            </Button>
          </>
        )}
      </div>
      {complete.isError && <ErrorMessage error={complete.error} onRetry={() => complete.mutate(undefined)} />}
      {reopen.isError && <ErrorMessage error={reopen.error} onRetry={undo} />}
    </li>
  );
}
