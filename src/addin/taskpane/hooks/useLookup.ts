import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";

export const lookupKey = (addresses: string[]) => ["lookup", [...addresses].sort()] as const;

/** Profiles (or suggestions) of the email's participants, cached and retried by the query layer. */
export function useLookup(addresses: string[]) {
  const { api } = useServices();
  return useQuery({
    queryKey: lookupKey(addresses),
    queryFn: () => api("lookupPeople", { query: { email: addresses } }),
    enabled: addresses.length > 0,
  });
}
