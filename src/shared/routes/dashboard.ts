import { Dashboard, DashboardQuery } from "../dashboard";
import type { RouteContract } from "./contract";

/** Today: what the caller (or, for an admin, a colleague) has to do and has done. */
export const dashboardRoutes = {
  dashboard: {
    method: "GET",
    path: "/api/v1/dashboard",
    summary:
      "Today: follow-ups due, deals needing attention, latest interactions and the pipeline of the caller (or, for an admin, a colleague)",
    query: DashboardQuery,
    responses: { 200: Dashboard },
  },
} as const satisfies Record<string, RouteContract>;
