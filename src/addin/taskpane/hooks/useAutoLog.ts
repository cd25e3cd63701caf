import { useEffect, useRef } from "react";
import { emailToLog } from "../../core/email-to-log";
import type { OpenMessage } from "../../office/mailbox";
import { useServices } from "../services";
import { useSubmit } from "./useOutbox";

/**
 * With the rep's "auto-log when I open it" on, an email from a known contact is logged as it is opened, once,
 * through the outbox like a click (the server keeps one copy however often it is logged). The deal follows the
 * server's rule: a single open deal is linked; with several the email waits for the rep to pick ("needs a deal").
 */
export function useAutoLog(message: OpenMessage, wanted: boolean): void {
  const { mailbox } = useServices();
  const submit = useSubmit(async (open: OpenMessage) => {
    const { internetMessageId, from } = open;
    if (!internetMessageId || !from) throw new Error("only a received or sent email can be logged");
    const bodyText = await mailbox.readBodyText();
    // The body is read from whatever is selected now: a rep moving on meanwhile must not log the next body.
    const still = await mailbox.readOpenMessage();
    if (still?.internetMessageId !== internetMessageId) throw new Error("the selection changed");
    return {
      kind: "logEmail" as const,
      body: {
        ...emailToLog({ ...open, internetMessageId, from }, bodyText),
        source: "auto" as const,
      },
    };
  });
  const done = useRef(false);
  const { mutate } = submit;
  useEffect(() => {
    if (!wanted || done.current) return;
    done.current = true;
    mutate(message);
  }, [wanted, message, mutate]);
}
