import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
} from "@fluentui/react-components";
import type { UseMutationResult } from "@tanstack/react-query";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

/**
 * Asks before a change that cannot be undone; the server's refusal is shown in the dialog, with a retry. The
 * confirming button stays focusable while the request is out, so the keyboard's focus stays in the dialog.
 */
export function ConfirmDialog<R>({
  title,
  text,
  confirm,
  pending,
  change,
  what,
  onClose,
}: {
  title: string;
  text: string;
  confirm: string;
  pending: string;
  change: UseMutationResult<R, Error, void>;
  /** What did not happen, should the server refuse. */
  what: string;
  onClose(): void;
}) {
  const t = useMessages(settingsMessages);
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>
            <Text block>{text}</Text>
            {change.isError && (
              <ProblemMessage error={change.error} what={what} onRetry={() => change.mutate()} />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} disabled={change.isPending}>
              {t.cancel}
            </Button>
            <Button appearance="primary" disabledFocusable={change.isPending} onClick={() => change.mutate()}>
              {change.isPending ? pending : confirm}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
