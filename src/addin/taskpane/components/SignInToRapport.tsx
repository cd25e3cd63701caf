import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import type { AccountState } from "../../core/account-session";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  button: { alignSelf: "flex-start" },
});

/**
 * The pane without a session of Rapport's own accounts. The dialog opens on the rep's click, never by itself:
 * some Outlooks open a dialog only in answer to one. What was queued meanwhile is sent once they are in.
 */
export function SignInToRapport({ why }: { why: Extract<AccountState, { kind: "signedOut" }>["why"] }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { account, outbox } = useServices();
  const queryClient = useQueryClient();
  const heading = useId();
  const signIn = useMutation({
    mutationFn: async () => account?.signIn(),
    onSuccess: () => {
      void outbox.flush();
      // Everything the pane asked for while signed out failed: asked again, as the rep now is.
      void queryClient.invalidateQueries();
    },
  });
  return (
    <section className={styles.section} aria-labelledby={heading}>
      <Subtitle1 as="h2" id={heading}>
        {t("signInTitle")}
      </Subtitle1>
      {why === "ended" && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("sessionEnded")}</MessageBarBody>
        </MessageBar>
      )}
      {why === "signedOut" && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t("signedOutHere")}</MessageBarBody>
        </MessageBar>
      )}
      <Body1>{t("signInExplain")}</Body1>
      <Button
        className={styles.button}
        appearance="primary"
        disabled={signIn.isPending}
        onClick={() => signIn.mutate()}
      >
        {signIn.isPending ? t("signingIn") : t("signInButton")}
      </Button>
      {signIn.isError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            {t("signInNotCompleted", {
              detail: signIn.error instanceof Error ? signIn.error.message : String(signIn.error),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
