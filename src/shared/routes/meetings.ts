import { LogMeeting, LoggedMeeting, MeetingBriefs, MeetingBriefsQuery } from "../meetings";
import type { RouteContract } from "./contract";

/** Meetings: logged from the pane or Outlook mobile (the calendar capture logs them too), and today's briefs. */
export const meetingRoutes = {
  logMeeting: {
    method: "POST",
    path: "/api/v1/meetings",
    summary:
      "Log a meeting with its notes and outcome; the same meeting logged again (by iCalUId with the same organiser, else organiser, start and subject) is updated, never doubled",
    body: LogMeeting,
    responses: { 200: LoggedMeeting },
  },
  meetingBriefs: {
    method: "GET",
    path: "/api/v1/meetings/today",
    summary:
      "The caller's meetings of the day with external contacts, each with a brief: who, their company, open deals and stage, the last three interactions, open tasks",
    query: MeetingBriefsQuery,
    responses: { 200: MeetingBriefs },
  },
} as const satisfies Record<string, RouteContract>;
