import { Button, Spinner } from "@fluentui/react-components";
import { CheckmarkCircle20Regular, MailAdd20Regular } from "@fluentui/react-icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { OpenMessage } from "../../office/mailbox";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

/** One click logs the open email; "Logged" also when anyone logged it before (the server keeps one copy). */
export function LogEmailButton({ message, alreadyLogged }: { message: OpenMessage; alreadyLogged: boolean }) {
  const { t } = useI18n();
  const { api, mailbox } = useServices();
  const queryClient = useQueryClient();
  const logEmail = useMutation({
    mutationFn: async () => {
      if (!message.internetMessageId || !message.from)
        throw new Error("only a received or sent email can be logged");
      return api("logEmail", {
        body: {
          internetMessageId: message.internetMessageId,
          conversationId: message.conversationId ?? undefined,
          subject: message.subject,
          from: { address: message.from.address, name: message.from.name ?? undefined },
          to: message.to.map((a) => ({ address: a.address, name: a.name ?? undefined })),
          cc: message.cc.map((a) => ({ address: a.address, name: a.name ?? undefined })),
          sentAt: message.sentAt ?? new Date().toISOString(),
          bodyText: await mailbox.readBodyText(),
        },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["lookup"] }),
  });

  if (alreadyLogged || logEmail.isSuccess) {
    return (
      <Button appearance="subtle" icon={<CheckmarkCircle20Regular />} disabled>
        {t("logged")}
      </Button>
    );
  }
  return (
    <>
      <Button
        appearance="primary"
        icon={logEmail.isPending ? <Spinner size="tiny" /> : <MailAdd20Regular />}
        disabled={logEmail.isPending}
        onClick={() => logEmail.mutate()}
      >
        {logEmail.isPending ? t("logging") : t("logEmail")}
      </Button>
      {logEmail.isError && <ErrorMessage error={logEmail.error} onRetry={() => logEmail.mutate()} />}
    </>
  );
}
