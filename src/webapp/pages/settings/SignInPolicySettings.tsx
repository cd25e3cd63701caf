import { MessageBar, MessageBarBody, Switch, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { translate } from "../../../shared/languages";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "./ConfirmDialog";
import { teamMessages } from "./team-messages";

const useStyles = makeStyles({ done: { color: tokens.colorPaletteGreenForeground1 } });

const POLICY = ["sign-in-policy"] as const;

/**
 * "Microsoft 365 only": turning it on signs out everyone with a Rapport account, so it is asked first; the server
 * refuses it to an admin who did not sign in with Microsoft 365, and the page says so in the admin's words.
 */
export function SignInPolicySettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(teamMessages);
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: POLICY, queryFn: () => api("getSignInPolicy", {}) });
  const [confirming, setConfirming] = useState(false);
  const set = (microsoft365Only: boolean) => api("setSignInPolicy", { body: { microsoft365Only } });
  const reread = () => queryClient.invalidateQueries({ queryKey: POLICY });
  const turnOn = useMutation({
    mutationFn: () => set(true),
    onSuccess: () => setConfirming(false),
    onSettled: reread,
  });
  const turnOff = useMutation({ mutationFn: () => set(false), onSettled: reread });
  return (
    <Section title={t.signInSection}>
      {policy.isPending && <Loading label={t.loadingPolicy} />}
      {policy.isError && (
        <ProblemMessage error={policy.error} onRetry={() => void policy.refetch()} what={t.policyNotLoaded} />
      )}
      {policy.data && (
        <>
          <Switch
            label={t.microsoft365Only}
            checked={policy.data.microsoft365Only}
            disabled={!admin || turnOn.isPending || turnOff.isPending}
            onChange={(_, d) => {
              turnOn.reset();
              if (d.checked) setConfirming(true);
              else turnOff.mutate();
            }}
          />
          <Text block>{t.microsoft365OnlyHint}</Text>
          {admin && !policy.data.microsoft365Only && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>{t.microsoft365OnlyWarning}</MessageBarBody>
            </MessageBar>
          )}
          <span role="status" aria-live="polite">
            {turnOn.isSuccess && (
              <Text className={styles.done}>
                {translate(t.sessionsEndedByPolicy, { count: turnOn.data.sessionsEnded })}
              </Text>
            )}
          </span>
          {turnOff.isError && (
            <ProblemMessage
              error={turnOff.error}
              what={t.policyNotChanged}
              onRetry={() => turnOff.mutate()}
            />
          )}
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t.turnOnTitle}
          text={t.turnOnText}
          confirm={t.turnOn}
          pending={t.turningOn}
          change={turnOn}
          what={t.policyNotChanged}
          onClose={() => {
            setConfirming(false);
            turnOn.reset();
          }}
        />
      )}
    </Section>
  );
}
