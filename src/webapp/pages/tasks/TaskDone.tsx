import { Checkbox, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../../../client/problems";
import type { Task } from "../../../shared/tasks";
import { useWebApp } from "../../services";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { taskMessages } from "./task-messages";
import { useProblemLine } from "../../components/problem-messages";

const useStyles = makeStyles({
  cell: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

/**
 * Marks a task done or not done with the version read. The lists are read again either way: a colleague's
 * change (409) shows as the task is now, and the word says why the click did not take.
 */
export function TaskDone({ task }: { task: Task }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const t = useMessages(taskMessages);
  const problemLine = useProblemLine();
  const toggle = useMutation({
    mutationFn: () =>
      api("updateTask", { params: { id: task.id }, body: { done: !task.done, version: task.version } }),
    retry: false,
    onSettled: async (updated) => {
      if (updated) queryClient.setQueryData(["task", task.id], updated);
      await queryClient.invalidateQueries({ queryKey: ["tasks"] });
    },
  });
  const conflict = toggle.error instanceof ApiError && toggle.error.code === "version_conflict";
  return (
    <div className={styles.cell}>
      <Checkbox
        checked={toggle.isPending ? !task.done : task.done}
        disabled={toggle.isPending}
        aria-label={translate(task.done ? t.markNotDone : t.markDone, { task: task.title })}
        onChange={() => toggle.mutate()}
      />
      {toggle.isPending && <Spinner size="extra-tiny" aria-label={t.saving} />}
      {toggle.isError && (
        <Text size={200} className={styles.problem} role="alert">
          {conflict ? t.changedMeanwhile : problemLine(toggle.error)}
        </Text>
      )}
    </div>
  );
}
