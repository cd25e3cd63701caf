import { useQuery } from "@tanstack/react-query";
import { useWebApp } from "../../services";

/** What a company owes and buys, overdue counted against today in the browser's time zone. */
export function useCompanyAccount(companyId: string) {
  const { api, timeZone } = useWebApp();
  return useQuery({
    queryKey: ["companies", "account", companyId, timeZone],
    queryFn: () => api("getCompanyAccount", { params: { id: companyId }, query: { timeZone } }),
  });
}
