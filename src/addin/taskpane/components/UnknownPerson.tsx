import { Badge, Persona, Spinner } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { normalizeEmailAddress } from "../../../shared/email-address";
import type { Suggestion } from "../../../shared/people";
import { parseSignature } from "../../../shared/signature";
import type { Address, OpenMessage } from "../../office/mailbox";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { AddToRapportForm } from "./AddToRapportForm";

/** What the sender's signature says; read once per email (the body is the one slow read from Outlook). */
function useSenderSignature(message: OpenMessage | undefined, sender: Address | null) {
  const { mailbox } = useServices();
  return useQuery({
    queryKey: ["signature", message?.internetMessageId ?? message?.subject ?? null, sender?.address ?? null],
    queryFn: async () => (sender ? parseSignature(await mailbox.readBodyText(), sender) : null),
    enabled: sender !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The rep's own Outlook contact for the address, where Rapport may read it; a failure only means none. */
function useOutlookContact(email: string) {
  const { outlookContacts } = useServices();
  return useQuery({
    queryKey: ["outlookContact", email],
    queryFn: () => outlookContacts?.find(email) ?? null,
    enabled: outlookContacts !== undefined,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Someone Rapport does not know yet: what the email tells about them, and a pre-filled way to add them. `email` is
 * the address as the email wrote it, which is what the new contact keeps.
 */
export function UnknownPerson({
  email,
  suggestion,
  message,
}: {
  email: string;
  suggestion: Suggestion | null;
  /** The email they are on, whose sender's signature tells more; none for a meeting's attendee. */
  message?: OpenMessage;
}) {
  const { t } = useI18n();
  // Only the sender's signature is in the body; for others, the display name and domain are all there is.
  const sender =
    message?.from && normalizeEmailAddress(message.from.address) === normalizeEmailAddress(email)
      ? message.from
      : null;
  const signature = useSenderSignature(message, sender);
  const outlook = useOutlookContact(email);
  return (
    <div>
      <Persona
        size="large"
        name={suggestion?.displayName ?? email}
        secondaryText={email}
        tertiaryText={suggestion?.company ? t("worksAt", { company: suggestion.company.name }) : undefined}
      />
      <Badge appearance="tint" color="informative">
        {t("notInRapport")}
      </Badge>
      {(sender && signature.isPending) || outlook.isLoading ? (
        <Spinner size="tiny" />
      ) : (
        <AddToRapportForm
          email={email}
          suggestion={suggestion}
          signature={signature.data ?? null}
          outlook={outlook.data ?? null}
        />
      )}
    </div>
  );
}
