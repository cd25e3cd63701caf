import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";
import type { OutboxActionInput, OutboxEntry, SubmitResult } from "../../core/outbox";
import { useServices } from "../services";

/** What waits in the outbox (and what the server refused), kept current as it drains. */
export function useOutboxEntries(): readonly OutboxEntry[] {
  const { outbox } = useServices();
  return useSyncExternalStore(outbox.subscribe, outbox.entries);
}

export type Delivery = "sent" | "waiting" | null;

/**
 * Where a submitted action stands: sent (at once, or queued and sent since), still waiting in the outbox, or
 * nothing to say (not submitted, or refused: then `onRefused` runs, so the rep can do it again).
 */
export function useDelivery(result: SubmitResult | undefined | null, onRefused: () => void): Delivery {
  const entries = useOutboxEntries();
  const entry = result?.status === "queued" ? entries.find((e) => e.id === result.entryId) : undefined;
  const refused = entry !== undefined && entry.refused !== null;
  useEffect(() => {
    if (refused) onRefused();
  }, [refused, onRefused]);
  if (!result || refused) return null;
  return result.status === "sent" || !entry ? "sent" : "waiting";
}

/**
 * A write of the rep's, through the outbox: pending while it is sent, then "sent", or "waiting" when the server
 * cannot be reached (it is sent later), or the server's refusal to show with a retry. A refusal that arrives
 * after the rep moved on stays in the outbox, shown there, instead of vanishing with this component.
 */
export function useSubmit<Input>(toAction: (input: Input) => OutboxActionInput | Promise<OutboxActionInput>) {
  const { outbox } = useServices();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const mutation = useMutation({
    mutationFn: async (input: Input) =>
      outbox.submit(await toAction(input), { watched: () => mounted.current }),
    // The outbox does its own retrying: a second layer would send the action twice as often, not more surely.
    retry: false,
  });
  const { reset } = mutation;
  const onRefused = useCallback(() => reset(), [reset]);
  const delivery = useDelivery(mutation.data, onRefused);
  return { ...mutation, delivery };
}
