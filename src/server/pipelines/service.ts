import type { Kysely } from "kysely";
import type { Pipeline, Stage } from "../../shared/pipelines";
import type { DB, StageRow } from "../db/tables";
import { AppError } from "../errors";
import type { Scope } from "../scope";

export const toStage = (row: StageRow): Stage => ({
  id: row.id,
  pipelineId: row.pipeline_id,
  name: row.name,
  position: row.position,
  probability: row.probability,
  kind: row.kind,
});

export async function listPipelines(scope: Scope): Promise<{ pipelines: Pipeline[] }> {
  const [pipelines, stages] = await Promise.all([
    scope.db
      .selectFrom("pipelines")
      .selectAll()
      .where("org_id", "=", scope.caller.orgId)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    scope.db
      .selectFrom("stages")
      .selectAll()
      .where("org_id", "=", scope.caller.orgId)
      .orderBy("position")
      .execute(),
  ]);
  return {
    pipelines: pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      isDefault: p.is_default,
      position: p.position,
      stages: stages.filter((s) => s.pipeline_id === p.id).map(toStage),
    })),
  };
}

export async function getStage(db: Kysely<DB>, orgId: string, stageId: string): Promise<StageRow> {
  const stage = await db
    .selectFrom("stages")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", stageId)
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
    .orderBy("s.position")
    .limit(1)
    .executeTakeFirst();
  if (!stage)
    throw new AppError("stage_not_found", 404, "The default pipeline has no open stage; name a stageId.");
  return stage;
}
