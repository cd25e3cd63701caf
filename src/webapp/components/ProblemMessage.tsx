import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { problemMessages, useProblemWords } from "./problem-messages";

const useStyles = makeStyles({
  details: { display: "block", color: tokens.colorNeutralForeground3, marginTop: tokens.spacingVerticalXS },
});

/**
 * A failure in the reader's words (chosen by the problem's code), the server's own English words beneath
 * where they add something, and a way to try again.
 */
export function ProblemMessage({
  error,
  onRetry,
  what,
}: {
  error: unknown;
  onRetry?: () => void;
  what?: string;
}) {
  const styles = useStyles();
  const t = useMessages(problemMessages);
  const { text, details } = useProblemWords()(error);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        {what ? translate(t.failedWith, { what, reason: text }) : text}
        {details && (
          <Text size={200} className={styles.details}>
            {translate(t.details, { details })}
          </Text>
        )}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{t.tryAgain}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
