import { z } from "zod";
import { drainQueuedSends, rememberLogOnSendPolicy } from "../office/on-send-queue";
import type { ApiClient } from "../../client/api-client";
import { anyKnown } from "./known-contacts";
import { reasonNotToLog } from "../../shared/privacy";
import type { Outbox } from "./outbox";

const Address = z.object({ address: z.string(), name: z.string().nullable() });
const QueuedSend = z.object({
  rapportKey: z.uuid(),
  conversationId: z.string().nullable(),
  subject: z.string(),
  from: z.string(),
  to: z.array(Address),
  cc: z.array(Address),
  sentAt: z.string(),
  bodyText: z.string(),
  ifKnownContacts: z.boolean().optional(),
  // A template id that does not read is left out rather than losing the log with it.
  templateId: z.uuid().optional().catch(undefined),
});

const mailbox = (a: z.infer<typeof Address>) => ({ address: a.address, name: a.name ?? undefined });

/**
 * Moves what classic Outlook's on-send handler logged into this page's outbox, which sends it (that handler
 * cannot: no sign-in, no localStorage where it runs). The outbox keeps each entry before it is dropped there.
 */
export function importClassicSends(outbox: Outbox, api: ApiClient): Promise<number> {
  return drainQueuedSends(async (entry) => {
    const parsed = QueuedSend.safeParse(entry);
    // One that does not read is dropped: it cannot be sent as it is, and would block the others forever.
    if (!parsed.success) return;
    const send = parsed.data;
    // Queued by the policy: logged only with a known contact on it, and never internal-only or blocklisted
    // mail (an automatic path). A lookup that fails keeps it queued.
    if (send.ifKnownContacts) {
      const recipients = [...send.to, ...send.cc].map((a) => a.address);
      const { privacy } = await api("me", {});
      if (reasonNotToLog([send.from, ...recipients], {}, privacy) !== null) return;
      if (!(await anyKnown(api, recipients))) return;
    }
    // The outbox writes it down at once; the answer (sent or queued) does not matter here.
    void outbox
      .submit({
        kind: "logEmail",
        body: {
          rapportKey: send.rapportKey,
          conversationId: send.conversationId ?? undefined,
          subject: send.subject,
          from: { address: send.from },
          to: send.to.map(mailbox),
          cc: send.cc.map(mailbox),
          sentAt: send.sentAt,
          bodyText: send.bodyText,
          source: "on-send",
          ...(send.ifKnownContacts ? { byPolicy: true } : {}),
          ...(send.templateId ? { templateId: send.templateId } : {}),
        },
      })
      .catch(() => undefined);
  });
}

/**
 * What a page of the add-in does for classic Outlook's on-send handler as it opens: leaves it the organisation's
 * on-send policy, and takes over what it queued.
 */
export async function syncWithClassicOutlook(outbox: Outbox, api: ApiClient): Promise<number> {
  try {
    const me = await api("me", {});
    await rememberLogOnSendPolicy(me.organization.loggingPolicy.logOnSendToKnownContacts);
  } catch {
    // Offline: the handler keeps the policy it was last told; what it queued is taken over all the same.
  }
  return importClassicSends(outbox, api);
}
