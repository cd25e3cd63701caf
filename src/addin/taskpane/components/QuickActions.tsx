import {
  MessageBar,
  MessageBarBody,
  Spinner,
  ToggleButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Call20Regular } from "@fluentui/react-icons/svg/call";
import { Note20Regular } from "@fluentui/react-icons/svg/note";
import { TaskListAdd20Regular } from "@fluentui/react-icons/svg/task-list-add";
import { type ReactElement, Suspense, lazy, useCallback, useState } from "react";
import type { ContactProfile } from "../../../shared/people";
import type { SubmitResult } from "../../core/outbox";
import { useDelivery } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import type { Panel } from "./QuickForms";

// The forms load on first use: the pane paints a profile without them.
const QuickForm = lazy(() =>
  import(/* webpackChunkName: "quick-forms", webpackPrefetch: true */ "./QuickForms").then((m) => ({
    default: m.QuickForm,
  })),
);

const useStyles = makeStyles({
  bar: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalM,
  },
});

/**
 * Add a note, log a call (or a failed attempt to reach them), or add a follow-up task, without leaving the
 * mail. Each goes through the outbox: saved at once, or kept and sent when Rapport is back.
 */
export function QuickActions({ profile }: { profile: ContactProfile }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [open, setOpen] = useState<Panel | null>(null);
  const [result, setResult] = useState<SubmitResult | null>(null);
  const forget = useCallback(() => setResult(null), []);
  // A queued action stays "waiting" until the outbox sends it ("saved") or the server refuses it (said there).
  const delivery = useDelivery(result, forget);
  const toggle = (panel: Panel) => {
    setResult(null);
    setOpen((current) => (current === panel ? null : panel));
  };
  const done = (r: SubmitResult) => {
    setOpen(null);
    setResult(r);
  };
  const button = (panel: Panel, icon: ReactElement, label: string) => (
    <ToggleButton
      size="small"
      icon={icon}
      checked={open === panel}
      aria-expanded={open === panel}
      onClick={() => toggle(panel)}
    >
      {label}
    </ToggleButton>
  );
  return (
    <section aria-label={t("quickActions")}>
      <div className={styles.bar}>
        {button("note", <Note20Regular />, t("addNote"))}
        {button("call", <Call20Regular />, t("logCall"))}
        {button("task", <TaskListAdd20Regular />, t("addFollowUp"))}
      </div>
      {open && (
        <Suspense fallback={<Spinner size="tiny" />}>
          <QuickForm key={open} panel={open} profile={profile} onDone={done} onCancel={() => setOpen(null)} />
        </Suspense>
      )}
      {delivery && (
        <MessageBar intent={delivery === "sent" ? "success" : "warning"} role="status">
          <MessageBarBody>{delivery === "sent" ? t("saved") : t("queued")}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
