import { ApiError, errorDetail } from "../../client/problems";
import type { ApiClient } from "../../client/api-client";
import { emailToLog } from "../core/email-to-log";
import type { Outbox } from "../core/outbox";
import type { Mailbox } from "../office/mailbox";
import { participantsOf } from "../core/participants";
import type { I18n } from "../core/i18n";

export interface CommandServices {
  mailbox: Mailbox;
  api: ApiClient;
  outbox: Outbox;
  t: I18n["t"];
  /** Whether Rapport's own accounts need the rep to sign in (from the pane): a queued log waits for it. */
  signInNeeded?: () => boolean;
}

export interface Notice {
  kind: "info" | "error";
  text: string;
}

/**
 * "Log to Rapport" on the ribbon: logs the open email without opening the pane, and says in one line what
 * happened. Nobody on it known to Rapport: nothing is logged, the rep is sent to the pane to add them. Rapport
 * down, or the rep not signed in (own accounts): the log is queued (it is sent when the pane or the next command
 * finds Rapport back, or once the rep has signed in from the pane).
 */
export async function logToRapport({
  mailbox,
  api,
  outbox,
  t,
  signInNeeded = () => false,
}: CommandServices): Promise<Notice> {
  const message = await mailbox.readOpenMessage();
  const internetMessageId = message?.internetMessageId;
  const from = message?.from;
  if (!message || message.mode !== "read" || !internetMessageId || !from)
    return { kind: "error", text: t("cmdNothing") };
  const people = participantsOf(message, mailbox.userAddress());

  let names: string[] | null = null;
  let openDeals = 0;
  try {
    const { results } = await api("lookupPeople", { query: { email: people.map((p) => p.address) } });
    const known = results.flatMap((r) => (r.contact ? [r.contact] : []));
    if (known.length === 0) return { kind: "info", text: t("cmdNotInRapport") };
    names = known.map((c) => c.displayName);
    openDeals = new Set(known.flatMap((c) => c.openDeals.map((d) => d.id))).size;
  } catch (error) {
    // Down now: whether they are known is for the server to tell when the queued log reaches it.
    if (!(error instanceof ApiError && error.retryable)) return { kind: "error", text: failure(error, t) };
  }

  try {
    const result = await outbox.submit({
      kind: "logEmail",
      body: emailToLog({ ...message, internetMessageId, from }, await mailbox.readBodyText()),
    });
    // Queued because nobody is signed in, not because Rapport is down: the rep is told where to sign in.
    if (result.status === "queued" && signInNeeded()) return { kind: "info", text: t("cmdSignIn") };
    if (result.status === "queued" || names === null) return { kind: "info", text: t("cmdQueued") };
    // The server links the one open deal; with several it links none, and the rep picks in the pane.
    const key = openDeals > 1 ? "cmdLoggedPickDeal" : "cmdLogged";
    return { kind: "info", text: t(key, { names: names.join(", ") }) };
  } catch (error) {
    return { kind: "error", text: failure(error, t) };
  }
}

function failure(error: unknown, t: I18n["t"]): string {
  return t("cmdFailed", { detail: errorDetail(error) });
}
