import { z } from "zod";
import { graphClient } from "./graph-client";

/**
 * The open meeting's iCalUId, which Office.js does not give: read from the rep's calendar through Microsoft Graph
 * (`/me/events/{id}?$select=iCalUId`, Calendars.Read). With it the server joins the meeting the calendar capture saw
 * by its id, not by its organiser, start and subject (which a moved or renamed meeting no longer matches).
 */
export interface MeetingIds {
  /** The event's iCalUId by its REST id (Office's convertToRestId of the item's id); null when Graph has none. */
  iCalUIdOf(restId: string): Promise<string | null>;
}

const GraphEvent = z.object({ iCalUId: z.string().min(1).max(1000).nullish() });

/** `baseUrl` is Graph's own unless a test points it at a local server. */
export function graphMeetingIds(options: { getToken(): Promise<string>; baseUrl?: string }): MeetingIds {
  const client = graphClient(options);
  return {
    async iCalUIdOf(restId) {
      // A REST id is URL-safe base64; encoding it keeps anything else from reaching another path.
      const answer: unknown = await client
        .api(`/me/events/${encodeURIComponent(restId)}`)
        .select(["iCalUId"])
        .get();
      return GraphEvent.parse(answer).iCalUId ?? null;
    },
  };
}
