import { draftToLog } from "../api/email-to-log";
import type { Outbox } from "../api/outbox";
import type { Mailbox } from "../office/mailbox";

export type SendOutcome = "skipped" | "sent" | "queued" | "failed";

/** Outlook gives an on-send handler little time; past this the log carries on from the outbox, mail goes. */
const WAIT_MS = 2_000;

/**
 * On send, for a draft the rep ticked "log this email when it is sent": gives it a Rapport key (kept on the
 * message, so the sent copy joins this log when it is seen) and logs it under that key through the outbox.
 * Whatever happens here, the caller lets the mail go.
 */
export async function logOnSend(
  { mailbox, outbox }: { mailbox: Mailbox; outbox: Outbox },
  waitMs = WAIT_MS,
): Promise<SendOutcome> {
  try {
    if (!(await mailbox.readLogOnSend())) return "skipped";
    const draft = await mailbox.readOpenMessage();
    const rep = mailbox.userAddress();
    if (!draft || draft.mode !== "compose" || !rep) return "failed";
    const key = crypto.randomUUID();
    await mailbox.setRapportKey(key);
    const submitted = outbox.submit({
      kind: "logEmail",
      body: draftToLog(draft, rep, key, await mailbox.readBodyText()),
    });
    // The outbox has it in storage already: waiting longer only delays the send, it loses nothing.
    const late = new Promise<"queued">((resolve) => setTimeout(() => resolve("queued"), waitMs));
    return await Promise.race([submitted.then((r) => r.status), late]);
  } catch {
    return "failed";
  }
}
