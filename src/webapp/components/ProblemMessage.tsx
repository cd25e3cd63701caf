import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { ApiError, errorDetail } from "../../client/problems";

/** A failure in words (the server's own where it gave them), and a way to try again. */
export function ProblemMessage({
  error,
  onRetry,
  what,
}: {
  error: unknown;
  onRetry?: () => void;
  what?: string;
}) {
  const text =
    error instanceof ApiError && error.code === "unreachable"
      ? "Rapport cannot be reached. Check your connection, then try again."
      : errorDetail(error);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{what ? `${what}: ${text}` : text}</MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
