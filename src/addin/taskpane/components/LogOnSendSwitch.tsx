import { Switch } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

/**
 * In a draft: "log this email when it is sent". Outlook keeps the choice with the draft; the on-send handler
 * reads it and logs the email as it goes, under a key the sent copy keeps.
 */
export function LogOnSendSwitch({ draftKey }: { draftKey: string }) {
  const { t } = useI18n();
  const { mailbox } = useServices();
  const current = useQuery({
    queryKey: ["logOnSend", draftKey],
    queryFn: () => mailbox.readLogOnSend(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const change = useMutation({
    mutationFn: async (on: boolean) => {
      await mailbox.setLogOnSend(on);
      return on;
    },
    onSuccess: () => void current.refetch(),
  });
  const checked = change.isPending ? (change.variables ?? false) : (current.data ?? false);
  return (
    <>
      <Switch
        label={t("logOnSend")}
        checked={checked}
        disabled={current.isPending || change.isPending}
        onChange={(_, data) => change.mutate(data.checked)}
      />
      {change.isError && <ErrorMessage error={change.error} onRetry={() => change.mutate(!checked)} />}
    </>
  );
}
