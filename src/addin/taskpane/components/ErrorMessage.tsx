import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { ApiError, errorDetail } from "../../../client/problems";
import { useI18n } from "../i18n/i18n";

/** The one place a failure becomes words: the server's code, or "unreachable", and always a way to retry. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const text =
    error instanceof ApiError && error.code === "unreachable"
      ? t("unreachable")
      : t("failed", {
          detail: errorDetail(error),
        });
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{text}</MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{t("retry")}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
