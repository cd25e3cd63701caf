import { useQuery } from "@tanstack/react-query";
import { useServices } from "../services";

/** The rep's own time zone, as their browser (or Outlook's web view) knows it: it decides what "today" is. */
export function browserTimeZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

export const dashboardKey = ["dashboard"] as const;

/** The rep's day: follow-ups due, deals needing attention, what they logged lately, their pipeline. */
export function useDashboard() {
  const { api } = useServices();
  return useQuery({
    queryKey: [...dashboardKey, browserTimeZone()],
    queryFn: () => api("dashboard", { query: { timeZone: browserTimeZone() } }),
  });
}
