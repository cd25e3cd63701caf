import { Checkbox, SpinButton, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { FOLLOW_UP_DEFAULT_DAYS, FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS } from "../../../shared/follow-ups";
import { useI18n } from "../i18n/i18n";
import { useMe } from "../hooks/useMe";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  days: { width: "72px" },
});

/**
 * In a draft: "remind me if there is no reply in [3] working days". Outlook keeps the choice with the draft; the
 * on-send log carries it to the server, which sets the reminder (docs/follow-ups.md). Left alone, the
 * organisation's default for mail on an open deal applies; unticking says no reminder. The days suggested are the
 * organisation's (its admin sets them with that default), unless a caller names others.
 */
export function FollowUpChoice({ draftKey, defaultDays }: { draftKey: string; defaultDays?: number }) {
  const { t } = useI18n();
  const { mailbox } = useServices();
  const styles = useStyles();
  const me = useMe();
  const daysId = useId();
  const current = useQuery({
    queryKey: ["followUp", draftKey],
    queryFn: async () => (await mailbox.readFollowUp()) ?? null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const change = useMutation({
    mutationFn: async (days: number | null) => {
      await mailbox.setFollowUp(days);
      return days;
    },
    onSuccess: () => void current.refetch(),
  });
  const chosen = change.isPending ? (change.variables ?? null) : (current.data ?? null);
  const days =
    chosen ?? defaultDays ?? me.data?.organization.loggingPolicy.followUpDays ?? FOLLOW_UP_DEFAULT_DAYS;
  const busy = current.isPending || change.isPending;
  return (
    <>
      <div className={styles.row}>
        <Checkbox
          label={t("followUpRemind")}
          checked={chosen !== null}
          disabled={busy}
          onChange={(_, data) => change.mutate(data.checked ? days : null)}
        />
        <SpinButton
          id={daysId}
          className={styles.days}
          aria-label={t("followUpDays")}
          min={FOLLOW_UP_MIN_DAYS}
          max={FOLLOW_UP_MAX_DAYS}
          value={days}
          disabled={busy || chosen === null}
          onChange={(_, data) => {
            const next = data.value ?? Number(data.displayValue);
            if (Number.isInteger(next) && next >= FOLLOW_UP_MIN_DAYS && next <= FOLLOW_UP_MAX_DAYS)
              change.mutate(next);
          }}
        />
        <label htmlFor={daysId}>{t("followUpUnit")}</label>
      </div>
      {change.isError && <ErrorMessage error={change.error} onRetry={() => change.mutate(chosen)} />}
    </>
  );
}
