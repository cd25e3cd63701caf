import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../../../client/problems";
import { useServices } from "../services";

export const lookupKey = (addresses: string[]) => ["lookup", [...addresses].sort()] as const;

/** While the pane shows kept profiles, it asks the server again this often, to be back as soon as it is. */
const OFFLINE_RECHECK_MS = 10_000;

/**
 * Profiles (or suggestions) of the email's participants, cached and retried by the query layer. When the
 * server cannot be reached, the profiles seen recently are shown instead, with when they were saved.
 */
export function useLookup(addresses: string[]) {
  const { api, profiles } = useServices();
  return useQuery({
    queryKey: lookupKey(addresses),
    queryFn: async () => {
      try {
        const { results } = await api("lookupPeople", { query: { email: addresses } });
        profiles.remember(results);
        return { results, savedAt: null };
      } catch (error) {
        const kept = error instanceof ApiError && error.retryable ? profiles.recall(addresses) : null;
        if (kept) return kept;
        throw error;
      }
    },
    enabled: addresses.length > 0,
    refetchInterval: (query) => (query.state.data?.savedAt ? OFFLINE_RECHECK_MS : false),
  });
}
