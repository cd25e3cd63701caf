import { LOGGED_BODY_CHARS } from "./mailbox";
import { createOfficeMailbox } from "./office-mailbox";
import { onMessageSend } from "./on-send";
import { logOnSendPolicy, pushQueuedSend } from "./on-send-queue";

// launchevent.js, for classic Outlook on Windows: its JavaScript-only runtime runs this one file (ES2016, built on
// its own; no localStorage, no sign-in). Only Outlooks with Mailbox 1.12 raise OnMessageSend.

/** A version-4 UUID without crypto.randomUUID, which this runtime may lack. */
function uuid(): string {
  const hex = (n: number) => Math.floor(Math.random() * n).toString(16);
  const part = (length: number) => Array.from({ length }, () => hex(16)).join("");
  return `${part(8)}-${part(4)}-4${part(3)}-${(8 + Math.floor(Math.random() * 4)).toString(16)}${part(3)}-${part(12)}`;
}

/**
 * The draft, keyed and kept for the next pane to send, when the rep ticked it or the organisation logs mail to
 * known contacts on send (then only if someone on it turns out to be one); nothing otherwise.
 */
export async function queueDraftOnSend(): Promise<boolean> {
  const mailbox = createOfficeMailbox();
  const ticked = await mailbox.readLogOnSend();
  if (!ticked && !(await logOnSendPolicy())) return false;
  const draft = await mailbox.readOpenMessage();
  const rep = mailbox.userAddress();
  if (!draft || draft.mode !== "compose" || !rep) return false;
  const rapportKey = uuid();
  await mailbox.setRapportKey(rapportKey);
  await pushQueuedSend({
    rapportKey,
    conversationId: draft.conversationId,
    subject: draft.subject,
    from: rep,
    to: draft.to,
    cc: draft.cc,
    sentAt: new Date().toISOString(),
    bodyText: (await mailbox.readBodyText()).slice(0, LOGGED_BODY_CHARS),
    ifKnownContacts: !ticked,
    templateId: (await mailbox.readInsertedTemplate()) ?? undefined,
  });
  return true;
}

/** `hold`: what holds a draft back with a Smart Alert (see onMessageSend); nothing is queued while it does. */
export function registerClassicOnSend(hold?: () => Promise<string | null>): void {
  onMessageSend(queueDraftOnSend, hold);
}
