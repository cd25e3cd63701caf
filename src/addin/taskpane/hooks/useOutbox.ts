import { useMutation } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import type { OutboxActionInput, OutboxEntry } from "../../api/outbox";
import { useServices } from "../services";

/** What waits in the outbox (and what the server refused), kept current as it drains. */
export function useOutboxEntries(): readonly OutboxEntry[] {
  const { outbox } = useServices();
  return useSyncExternalStore(outbox.subscribe, outbox.entries);
}

/**
 * A write of the rep's, through the outbox: pending while it is sent, then "sent", or "queued" when the server
 * cannot be reached (it is sent later, nothing is lost), or the server's error to show with a retry.
 */
export function useSubmit<Input>(toAction: (input: Input) => OutboxActionInput | Promise<OutboxActionInput>) {
  const { outbox } = useServices();
  const entries = useOutboxEntries();
  const mutation = useMutation({
    mutationFn: async (input: Input) => outbox.submit(await toAction(input)),
    // The outbox does its own retrying: a second layer would send the action twice as often, not more surely.
    retry: false,
  });
  const queuedId = mutation.data?.status === "queued" ? mutation.data.entryId : null;
  const entry = queuedId ? entries.find((e) => e.id === queuedId) : undefined;
  const refused = entry?.refused != null;
  const { reset } = mutation;
  // Refused later, while queued: the action is undone here (the outbox shows why), so the rep can do it again.
  useEffect(() => {
    if (refused) reset();
  }, [refused, reset]);
  /** Where the action stands: sent at once, or queued and sent since, or still waiting in the outbox. */
  const delivery: "sent" | "waiting" | null =
    mutation.data?.status === "sent" || (queuedId && !entry) ? "sent" : entry && !refused ? "waiting" : null;
  return { ...mutation, delivery };
}
