import { useMutation } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
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
  return useMutation({
    mutationFn: async (input: Input) => outbox.submit(await toAction(input)),
    // The outbox does its own retrying: a second layer would send the action twice as often, not more surely.
    retry: false,
  });
}
