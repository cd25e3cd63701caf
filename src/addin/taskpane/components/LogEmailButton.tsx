import {
  Button,
  Menu,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
} from "@fluentui/react-components";
import { CheckmarkCircle20Regular, Clock20Regular, MailAdd20Regular } from "@fluentui/react-icons";
import type { OpenMessage } from "../../office/mailbox";
import { useOutboxEntries, useSubmit } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const BODY_CHARS_KEPT = 16_384;

export interface OpenDeal {
  id: string;
  name: string;
}

/**
 * One click logs the open email; "Logged" also when anyone logged it before (the server keeps one copy).
 * With one open deal among the people on it, the email is linked to that deal; with several, the rep picks one
 * (or none): Rapport never guesses.
 */
export function LogEmailButton({
  message,
  alreadyLogged,
  openDeals,
}: {
  message: OpenMessage;
  alreadyLogged: boolean;
  openDeals: OpenDeal[];
}) {
  const { t } = useI18n();
  const { mailbox } = useServices();
  const logEmail = useSubmit(async (dealId: string | null | undefined) => {
    if (!message.internetMessageId || !message.from)
      throw new Error("only a received or sent email can be logged");
    return {
      kind: "logEmail" as const,
      body: {
        internetMessageId: message.internetMessageId,
        rapportKey: message.rapportKey ?? undefined,
        conversationId: message.conversationId ?? undefined,
        subject: message.subject,
        from: { address: message.from.address, name: message.from.name ?? undefined },
        to: message.to.map((a) => ({ address: a.address, name: a.name ?? undefined })),
        cc: message.cc.map((a) => ({ address: a.address, name: a.name ?? undefined })),
        sentAt: message.sentAt ?? new Date().toISOString(),
        // The server keeps an 8 KB excerpt from the top: 16k characters hold all of it, and a queued log stays
        // within what the browser's storage can hold.
        bodyText: (await mailbox.readBodyText()).slice(0, BODY_CHARS_KEPT),
        dealId,
      },
    };
  });
  const queued = useOutboxEntries().find(
    (e) => e.action.kind === "logEmail" && e.action.body.internetMessageId === message.internetMessageId,
  );

  if (queued?.refused === null && !alreadyLogged) {
    return (
      <Button appearance="subtle" icon={<Clock20Regular />} disabled>
        {t("logQueued")}
      </Button>
    );
  }
  if (alreadyLogged || logEmail.delivery === "sent") {
    return (
      <Button appearance="subtle" icon={<CheckmarkCircle20Regular />} disabled>
        {t("logged")}
      </Button>
    );
  }
  const busy = logEmail.isPending;
  const label = busy ? t("logging") : t("logEmail");
  const icon = busy ? <Spinner size="tiny" /> : <MailAdd20Regular />;
  return (
    <>
      {openDeals.length > 1 ? (
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button appearance="primary" icon={icon} disabled={busy}>
              {label}
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuGroup>
                <MenuGroupHeader>{t("whichDeal")}</MenuGroupHeader>
                {openDeals.map((deal) => (
                  <MenuItem key={deal.id} onClick={() => logEmail.mutate(deal.id)}>
                    {deal.name}
                  </MenuItem>
                ))}
                <MenuItem onClick={() => logEmail.mutate(null)}>{t("noDeal")}</MenuItem>
              </MenuGroup>
            </MenuList>
          </MenuPopover>
        </Menu>
      ) : (
        <Button
          appearance="primary"
          icon={icon}
          disabled={busy}
          onClick={() => logEmail.mutate(openDeals[0]?.id)}
        >
          {label}
        </Button>
      )}
      {logEmail.isError && (
        <ErrorMessage error={logEmail.error} onRetry={() => logEmail.mutate(logEmail.variables)} />
      )}
    </>
  );
}
