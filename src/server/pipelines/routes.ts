import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  addStage,
  createPipeline,
  deletePipeline,
  deleteStage,
  reorderPipelines,
  reorderStages,
  updatePipeline,
  updateStage,
} from "./admin";
import { getPipeline, listPipelines } from "./service";

export function pipelineRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listPipelines, options, ({ caller }) => listPipelines(scope(caller)));
  addRoute(app, routes.getPipeline, options, ({ caller, params }) =>
    getPipeline(scope(caller).db, caller.orgId, params.id),
  );
  addRoute(app, routes.createPipeline, options, ({ caller, body }) => createPipeline(scope(caller), body));
  addRoute(app, routes.updatePipeline, options, ({ caller, params, body, version }) =>
    updatePipeline(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.reorderPipelines, options, ({ caller, body }) =>
    reorderPipelines(scope(caller), body),
  );
  addRoute(app, routes.deletePipeline, options, ({ caller, params, query }) =>
    deletePipeline(scope(caller), params.id, query.moveDealsTo),
  );
  addRoute(app, routes.addStage, options, ({ caller, params, body, version }) =>
    addStage(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.reorderStages, options, ({ caller, params, body, version }) =>
    reorderStages(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.updateStage, options, ({ caller, params, body, version }) =>
    updateStage(scope(caller), params.id, params.stageId, version, body),
  );
  addRoute(app, routes.deleteStage, options, ({ caller, params, query }) =>
    deleteStage(scope(caller), params.id, params.stageId, query.moveDealsTo),
  );
}
