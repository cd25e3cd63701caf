import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";

/** The organisation's pipelines change rarely: one fetch serves every deal in the pane. */
export function usePipelines() {
  const { api } = useServices();
  return useQuery({
    queryKey: ["pipelines"],
    queryFn: () => api("listPipelines", {}),
    staleTime: 5 * 60_000,
  });
}
