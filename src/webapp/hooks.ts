import { useQuery } from "@tanstack/react-query";
import { useWebApp } from "./services";

/** The signed-in user and their role: whether settings can be changed here. */
export function useMe() {
  const { api } = useWebApp();
  return useQuery({ queryKey: ["me"], queryFn: () => api("me", {}), staleTime: 60_000 });
}

export function usePipelines() {
  const { api } = useWebApp();
  return useQuery({ queryKey: ["pipelines"], queryFn: () => api("listPipelines", {}) });
}

export function useUsers() {
  const { api } = useWebApp();
  return useQuery({ queryKey: ["users"], queryFn: () => api("listUsers", {}) });
}
