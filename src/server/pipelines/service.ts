import type { Kysely } from "kysely";
import type { Pipeline, Stage } from "../../shared/pipelines";
import type { DB, PipelineRow, StageRow } from "../db/tables";
import { AppError, notFound } from "../errors";
import type { Scope } from "../scope";

export const toStage = (row: StageRow): Stage => ({
  id: row.id,
  pipelineId: row.pipeline_id,
  name: row.name,
  position: row.position,
  probability: row.probability,
  kind: row.kind,
});

const toPipeline = (p: PipelineRow, stages: StageRow[]): Pipeline => ({
  id: p.id,
  name: p.name,
  isDefault: p.is_default,
  position: p.position,
  stages: stages.filter((s) => s.pipeline_id === p.id).map(toStage),
  version: p.version,
});

/** The organisation's pipelines and their stages, in order; archived ones are gone from here. */
export async function listPipelines(scope: Scope): Promise<{ pipelines: Pipeline[] }> {
  const [pipelines, stages] = await Promise.all([
    scope.db
      .selectFrom("pipelines")
      .selectAll()
      .where("org_id", "=", scope.caller.orgId)
      .where("archived_at", "is", null)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    scope.db
      .selectFrom("stages")
      .selectAll()
      .where("org_id", "=", scope.caller.orgId)
      .where("archived_at", "is", null)
      .orderBy("position")
      .execute(),
  ]);
  return { pipelines: pipelines.map((p) => toPipeline(p, stages)) };
}

export async function getPipeline(db: Kysely<DB>, orgId: string, id: string): Promise<Pipeline> {
  const [pipeline, stages] = await Promise.all([
    db
      .selectFrom("pipelines")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .where("archived_at", "is", null)
      .executeTakeFirst(),
    db
      .selectFrom("stages")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("pipeline_id", "=", id)
      .where("archived_at", "is", null)
      .orderBy("position")
      .execute(),
  ]);
  if (!pipeline) throw notFound("The pipeline");
  return toPipeline(pipeline, stages);
}

/**
 * A stage deals may go to. Read FOR SHARE: an admin removing the stage locks it for update first, so a deal
 * created or moved here meanwhile either lands before the removal (which then moves it on) or finds the stage
 * gone, never in an archived stage.
 */
export async function getStage(db: Kysely<DB>, orgId: string, stageId: string): Promise<StageRow> {
  const stage = await db
    .selectFrom("stages")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", stageId)
    .where("archived_at", "is", null)
    .forShare()
    .executeTakeFirst();
  if (!stage)
    throw new AppError("stage_not_found", 404, "The stage does not exist in this organisation's pipelines.");
  return stage;
}

/** Where a new deal starts when no stage is named: the first open stage of the default pipeline. */
export async function firstOpenStage(db: Kysely<DB>, orgId: string): Promise<StageRow> {
  const stage = await db
    .selectFrom("stages as s")
    .innerJoin("pipelines as p", "p.id", "s.pipeline_id")
    .selectAll("s")
    .where("s.org_id", "=", orgId)
    .where("p.is_default", "=", true)
    .where("s.kind", "=", "open")
    .where("s.archived_at", "is", null)
    .orderBy("s.position")
    .limit(1)
    .forShare()
    .executeTakeFirst();
  if (!stage)
    throw new AppError("stage_not_found", 404, "The default pipeline has no open stage; name a stageId.");
  return stage;
}
