import { draftToLog } from "../core/email-to-log";
import type { Outbox } from "../core/outbox";
import type { ApiClient } from "../../client/api-client";
import { anyKnown } from "../core/known-contacts";
import type { Mailbox, OpenMessage } from "../office/mailbox";
import { reasonNotToLog } from "../../shared/privacy";

export type SendOutcome = "skipped" | "sent" | "queued" | "failed";

/** Outlook gives an on-send handler little time; past this the log carries on from the outbox, mail goes. */
const WAIT_MS = 2_000;

async function policyWantsIt(api: ApiClient, draft: OpenMessage, rep: string): Promise<boolean> {
  const me = await api("me", {});
  if (!me.organization.loggingPolicy.logOnSendToKnownContacts) return false;
  // An automatic path: internal-only and blocklisted mail is never logged by itself.
  const everyone = [rep, ...draft.to.map((a) => a.address), ...draft.cc.map((a) => a.address)];
  if (reasonNotToLog(everyone, {}, me.privacy) !== null) return false;
  return anyKnown(
    api,
    [...draft.to, ...draft.cc].map((a) => a.address),
  );
}

/**
 * The answer, or `late` once the wait is over (an endless wait is the answer alone). The timer ends with the
 * answer: left running, it would keep a page or a test runner alive for the whole wait.
 */
async function within<T>(answer: Promise<T>, waitMs: number, late: T): Promise<T> {
  // setTimeout would take Infinity for 1 ms.
  if (waitMs === Number.POSITIVE_INFINITY) return answer;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const over = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late), waitMs);
  });
  try {
    return await Promise.race([answer, over]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On send, for a draft the rep ticked "log this email when it is sent" (or, by the organisation's policy, one to
 * a known contact): gives it a Rapport key (kept on the
 * message, so the sent copy joins this log when it is seen) and logs it under that key through the outbox.
 * Whatever happens here, the caller lets the mail go. `waitMs` is how long the send waits for the server at
 * each step (tests that check the server's answer wait without end: Infinity).
 */
export async function logOnSend(
  { mailbox, outbox, api }: { mailbox: Mailbox; outbox: Outbox; api: ApiClient },
  waitMs = WAIT_MS,
): Promise<SendOutcome> {
  try {
    const ticked = await mailbox.readLogOnSend();
    const draft = await mailbox.readOpenMessage();
    const rep = mailbox.userAddress();
    if (!draft || draft.mode !== "compose" || !rep) return ticked ? "failed" : "skipped";
    // Not ticked: the organisation's policy may still log it, if someone on it is a known contact. Both answers
    // come from the server within the wait; without them nothing is logged (the rep's tick is the sure way).
    if (!ticked) {
      const wanted = policyWantsIt(api, draft, rep).catch(() => false);
      if (!(await within(wanted, waitMs, false))) return "skipped";
    }
    const key = crypto.randomUUID();
    await mailbox.setRapportKey(key);
    const submitted = outbox.submit({
      kind: "logEmail",
      body: draftToLog(
        draft,
        rep,
        key,
        await mailbox.readBodyText(),
        !ticked,
        await mailbox.readInsertedTemplate().catch(() => null),
        await mailbox.readFollowUp().catch(() => undefined),
      ),
    });
    // The outbox has it in storage already: waiting longer only delays the send, it loses nothing.
    return await within<SendOutcome>(
      submitted.then((r) => r.status),
      waitMs,
      "queued",
    );
  } catch {
    return "failed";
  }
}
