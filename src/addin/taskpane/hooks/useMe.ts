import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";

/** The rep, their organisation's policy, their own switches and the privacy rules: one fetch, kept a minute. */
export function useMe() {
  const { api } = useServices();
  return useQuery({ queryKey: ["me"], queryFn: () => api("me", {}), staleTime: 60_000 });
}
