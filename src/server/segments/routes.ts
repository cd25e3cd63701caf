import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { segmentTable, segmentVCards } from "./export";
import { setNoMarketing } from "./marketing-consent";
import { listSegmentChanges, listSegmentMembers } from "./membership";
import {
  type SegmentScope,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  updateSegment,
} from "./service";

export function segmentRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  const segmentScope = (caller: Scope["caller"]): SegmentScope => ({ ...scope(caller), now: clock });
  addRoute(app, routes.listSegments, options, ({ caller }) => listSegments(scope(caller)));
  addRoute(app, routes.createSegment, options, ({ caller, body }) => createSegment(scope(caller), body));
  addRoute(app, routes.previewSegment, options, ({ caller, body }) =>
    previewSegment(segmentScope(caller), body),
  );
  addRoute(app, routes.getSegment, options, ({ caller, params }) => getSegment(scope(caller), params.id));
  addRoute(app, routes.updateSegment, options, ({ caller, params, body, version }) =>
    updateSegment(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.deleteSegment, options, ({ caller, params }) =>
    deleteSegment(scope(caller), params.id),
  );
  addRoute(app, routes.listSegmentMembers, options, ({ caller, params, query }) =>
    listSegmentMembers(segmentScope(caller), params.id, query),
  );
  addRoute(app, routes.listSegmentChanges, options, ({ caller, params, query }) =>
    listSegmentChanges(segmentScope(caller), params.id, query),
  );
  for (const contract of [routes.exportSegmentCsv, routes.exportSegmentXlsx])
    addRoute(app, contract, options, ({ caller, params }) => segmentTable(segmentScope(caller), params.id));
  addRoute(app, routes.exportSegmentVcf, options, ({ caller, params }) =>
    segmentVCards(segmentScope(caller), params.id),
  );
  addRoute(app, routes.unsubscribeContact, options, ({ caller, body }) =>
    setNoMarketing(scope(caller), body.email, true),
  );
  addRoute(app, routes.resubscribeContact, options, ({ caller, body }) =>
    setNoMarketing(scope(caller), body.email, false),
  );
}
