import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";

/** The rep, their organisation's policy, their own switches and the privacy rules: one fetch, kept a while. */
export function useMe() {
  const { api } = useServices();
  return useQuery({ queryKey: ["me"], queryFn: () => api("me", {}), staleTime: 5 * 60_000 });
}
