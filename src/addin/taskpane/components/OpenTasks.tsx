import { Caption1, Checkbox, makeStyles, tokens } from "@fluentui/react-components";
import type { Task } from "../../../shared/tasks";
import { useOutboxEntries, useSubmit } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import { ErrorMessage } from "./ErrorMessage";
import { Section } from "./Section";

const useStyles = makeStyles({
  row: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
  },
  done: { textDecorationLine: "line-through", color: tokens.colorNeutralForeground3 },
  muted: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  overdue: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
});

/** The person's open follow-ups, each done with one click (sent now, or kept until Rapport is back). */
export function OpenTasks({ tasks }: { tasks: Task[] }) {
  const { t } = useI18n();
  return (
    <Section title={t("openTasks")} empty={t("noOpenTasks")}>
      {tasks.map((task) => (
        <OpenTask key={task.id} task={task} />
      ))}
    </Section>
  );
}

function OpenTask({ task }: { task: Task }) {
  const styles = useStyles();
  const { t, formatDate } = useI18n();
  const complete = useSubmit((done: Task) => ({ kind: "completeTask" as const, task: done }));
  const waiting = useOutboxEntries().some(
    (e) => e.refused === null && e.action.kind === "completeTask" && e.action.task.id === task.id,
  );
  const done = waiting || complete.isPending || complete.delivery === "sent";
  const overdue = !done && task.dueAt !== null && Date.parse(task.dueAt) < Date.now();
  return (
    <li>
      <div className={styles.row}>
        <Checkbox
          checked={done}
          disabled={done}
          onChange={() => complete.mutate(task)}
          aria-label={t("markDone", { task: task.title })}
          label={<span className={done ? styles.done : undefined}>{task.title}</span>}
        />
        <Caption1 className={overdue ? styles.overdue : styles.muted}>
          {task.dueAt ? t("due", { date: formatDate(task.dueAt) }) : t("noDueDate")}
        </Caption1>
      </div>
      {complete.isError && <ErrorMessage error={complete.error} onRetry={() => complete.mutate(task)} />}
    </li>
  );
}
