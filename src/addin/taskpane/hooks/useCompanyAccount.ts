import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";
import { browserTimeZone } from "./useDashboard";

export const companyAccountKey = (companyId: string) => ["company-account", companyId] as const;

/**
 * What the sender's company owes and buys, overdue counted against the rep's own today (their time zone).
 * Asked only where the profile has a company: the section that calls this is not there otherwise.
 */
export function useCompanyAccount(companyId: string) {
  const { api } = useServices();
  const timeZone = browserTimeZone();
  return useQuery({
    queryKey: [...companyAccountKey(companyId), timeZone],
    queryFn: () => api("getCompanyAccount", { params: { id: companyId }, query: { timeZone } }),
  });
}
