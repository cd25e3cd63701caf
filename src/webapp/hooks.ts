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

/** The organisation's base currency and exchange rates; the settings and the deal forms read the same. */
export function useCurrencies() {
  const { api } = useWebApp();
  return useQuery({ queryKey: ["currencies"], queryFn: () => api("getCurrencies", {}) });
}

export function useUsers() {
  const { api } = useWebApp();
  return useQuery({ queryKey: ["users"], queryFn: () => api("listUsers", {}) });
}
