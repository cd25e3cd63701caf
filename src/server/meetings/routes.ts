import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { meetingBriefs } from "./briefs";
import { logMeeting } from "./record-meeting";

export function meetingRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  addRoute(app, routes.logMeeting, options, ({ caller, body }) => logMeeting(scope(caller), body));
  addRoute(app, routes.meetingBriefs, options, ({ caller, query }) =>
    meetingBriefs(scope(caller), query, clock()),
  );
}
