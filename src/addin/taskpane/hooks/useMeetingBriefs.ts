import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";
import { browserTimeZone } from "./useDashboard";

export const meetingBriefsKey = ["meetingBriefs"] as const;

/** The rep's meetings of the day with external contacts, each with its brief; "today" in the rep's time zone. */
export function useMeetingBriefs() {
  const { api } = useServices();
  return useQuery({
    queryKey: [...meetingBriefsKey, browserTimeZone()],
    queryFn: () => api("meetingBriefs", { query: { timeZone: browserTimeZone() } }),
  });
}
