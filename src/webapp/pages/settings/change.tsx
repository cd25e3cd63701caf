import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { type QueryKey, type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

const useStyles = makeStyles({ done: { color: tokens.colorPaletteGreenForeground1 } });

/**
 * An admin's change: sent once, then what it touches is read again, whether it passed or not (a refused change
 * because someone changed the same thing meanwhile shows the current state, ready to be changed again).
 */
export function useChange<V, R = unknown>(
  change: (variables: V) => Promise<R>,
  touches: readonly QueryKey[],
): UseMutationResult<R, Error, V> {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSettled: () => Promise.all(touches.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

/** Where a change stands: a status line while and once done, the server's words and a retry when refused. */
export function ChangeStatus<V, R>({
  change,
  what,
  pending,
  done,
}: {
  change: UseMutationResult<R, Error, V>;
  what: string;
  /** What the status line says while the change is on its way ("Saving…" unless given). */
  pending?: string;
  /** What the status line says once the change passed ("Saved." unless given). */
  done?: string;
}) {
  const styles = useStyles();
  const t = useMessages(settingsMessages);
  return (
    <>
      <span role="status" aria-live="polite">
        {change.isPending && <Text>{pending ?? t.saving}</Text>}
        {change.isSuccess && <Text className={styles.done}>{done ?? t.saved}</Text>}
      </span>
      {change.isError && (
        <ProblemMessage
          error={change.error}
          what={what}
          onRetry={() => change.mutate(change.variables as V)}
        />
      )}
    </>
  );
}
