import { z } from "zod";
import { drainQueuedSends } from "../office/on-send-queue";
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
});

const mailbox = (a: z.infer<typeof Address>) => ({ address: a.address, name: a.name ?? undefined });

/**
 * Moves what classic Outlook's on-send handler logged into this page's outbox, which sends it (that handler
 * cannot: no sign-in, no localStorage where it runs). The outbox keeps each entry before it is dropped there.
 */
export function importClassicSends(outbox: Outbox): Promise<number> {
  return drainQueuedSends(async (entry) => {
    const parsed = QueuedSend.safeParse(entry);
    // One that does not read is dropped: it cannot be sent as it is, and would block the others forever.
    if (!parsed.success) return;
    const send = parsed.data;
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
        },
      })
      .catch(() => undefined);
  });
}
