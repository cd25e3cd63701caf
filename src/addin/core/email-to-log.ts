import type { LogEmail } from "../../shared/interactions";
import { LOGGED_BODY_CHARS, type OpenMessage } from "../office/mailbox";

/** A received or sent email as the contract logs it; the pane and the ribbon command send the same thing. */
export function emailToLog(
  message: OpenMessage & { internetMessageId: string; from: NonNullable<OpenMessage["from"]> },
  bodyText: string,
  dealId?: string | null,
): LogEmail {
  return {
    internetMessageId: message.internetMessageId,
    rapportKey: message.rapportKey ?? undefined,
    conversationId: message.conversationId ?? undefined,
    subject: message.subject,
    from: { address: message.from.address, name: message.from.name ?? undefined },
    to: message.to.map((a) => ({ address: a.address, name: a.name ?? undefined })),
    cc: message.cc.map((a) => ({ address: a.address, name: a.name ?? undefined })),
    sentAt: message.sentAt ?? new Date().toISOString(),
    bodyText: bodyText.slice(0, LOGGED_BODY_CHARS),
    dealId,
  };
}

/**
 * The draft being sent, logged under its Rapport key (it has no message id yet), from the rep; `byPolicy` when
 * the organisation's policy logs it rather than the rep's tick (the server then checks the privacy rules too);
 * `templateId` when the rep wrote it from a template.
 */
export function draftToLog(
  draft: OpenMessage,
  rep: string,
  rapportKey: string,
  bodyText: string,
  byPolicy = false,
  templateId: string | null = null,
  followUpDays?: number | null,
): LogEmail {
  return {
    rapportKey,
    conversationId: draft.conversationId ?? undefined,
    subject: draft.subject,
    from: { address: rep },
    to: draft.to.map((a) => ({ address: a.address, name: a.name ?? undefined })),
    cc: draft.cc.map((a) => ({ address: a.address, name: a.name ?? undefined })),
    sentAt: new Date().toISOString(),
    bodyText: bodyText.slice(0, LOGGED_BODY_CHARS),
    source: "on-send",
    ...(byPolicy ? { byPolicy } : {}),
    // The template put into the draft: the server records its use on this log.
    ...(templateId ? { templateId } : {}),
    // Unsaid (undefined): the organisation's default for mail on an open deal decides.
    ...(followUpDays !== undefined
      ? { followUp: followUpDays === null ? null : { days: followUpDays } }
      : {}),
  };
}
