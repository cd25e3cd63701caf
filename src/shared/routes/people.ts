import { LookupQuery, LookupResponse } from "../people";
import type { RouteContract } from "./contract";

/** Who the people on an email are. */
export const peopleRoutes = {
  lookupPeople: {
    method: "GET",
    path: "/api/v1/people/lookup",
    summary: "Profiles of known addresses, suggestions for unknown ones",
    query: LookupQuery,
    responses: { 200: LookupResponse },
  },
} as const satisfies Record<string, RouteContract>;
