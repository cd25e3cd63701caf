import { type Kysely, sql } from "kysely";
import {
  DEFAULT_PIPELINE,
  type Pipeline,
  type PipelineCreate,
  type PipelineOrder,
  type PipelineUpdate,
  REQUIRED_STAGE_KINDS,
  type StageAdd,
  type StageKind,
  type StageOrder,
  type StageUpdate,
} from "../../shared/pipelines";
import { recordAudit, recordAuditForEach } from "../audit";
import type { DB, PipelineRow, StageRow } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { getPipeline, getStage, listPipelines } from "./service";
import { emitDealMoved } from "../deals/service";

// Admins reshape pipelines. Every change locks the pipeline's row first, so changes to one pipeline (and its
// stages) are taken one at a time, and checks the version the admin read: the pipeline's version covers its
// stages, as they are edited together.

const MAX_STAGES = 30;
const WHAT = "changes pipelines";

type Tx = Kysely<DB>;

async function lockPipeline(tx: Tx, orgId: string, id: string): Promise<PipelineRow> {
  const row = await tx
    .selectFrom("pipelines")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where("archived_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("The pipeline");
  return row;
}

async function checkVersion(tx: Tx, orgId: string, row: PipelineRow, version: number): Promise<void> {
  if (row.version !== version) throw versionConflict(await getPipeline(tx, orgId, row.id));
}

async function stagesOf(tx: Tx, orgId: string, pipelineId: string): Promise<StageRow[]> {
  return tx
    .selectFrom("stages")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("pipeline_id", "=", pipelineId)
    .where("archived_at", "is", null)
    .orderBy("position")
    .forUpdate()
    .execute();
}

function stageIn(stages: StageRow[], stageId: string): StageRow {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw new AppError("stage_not_found", 404, "The pipeline has no such stage.");
  return stage;
}

/** Refuses a change that would leave the pipeline without an open, a won or a lost stage. */
function requireKinds(kinds: StageKind[], change: string): void {
  const missing = REQUIRED_STAGE_KINDS.filter((kind) => !kinds.includes(kind));
  if (missing.length)
    throw new AppError(
      "stage_kinds_required",
      409,
      `${change} would leave the pipeline without a${missing[0] === "open" ? "n" : ""} ${missing.join(", ")} stage; ` +
        "a pipeline keeps at least one open, one won and one lost stage.",
    );
}

const bump = (tx: Tx, orgId: string, id: string) =>
  tx
    .updateTable("pipelines")
    .set({ version: sql`version + 1` })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .execute();

/** Renumbers the stages 0, 1, 2 … in the order given. */
async function setStagePositions(tx: Tx, orgId: string, stageIds: string[]): Promise<void> {
  if (stageIds.length === 0) return;
  // One statement: positions are not unique, but one update keeps the renumbering a single step.
  await sql`
    update stages s set position = o.position - 1
    from unnest(${stageIds}::uuid[]) with ordinality as o(id, position)
    where s.org_id = ${orgId} and s.id = o.id`.execute(tx);
}

/**
 * Moves every deal in `from` to `to`, as an admin change: each deal's version goes up, its stage history gets a
 * row with source `admin`, and each move is audited.
 */
async function moveDeals(
  scope: Scope,
  tx: Tx,
  from: string[],
  to: StageRow,
  reason: string,
): Promise<number> {
  const { orgId, userId } = scope.caller;
  if (from.length === 0) return 0;
  // The deals alone are locked (joined to their stages, PostgreSQL's recheck of a row a concurrent move changed
  // would compare its new stage with the stage read before, and skip it); their stages' kinds are read after.
  const locked = await tx
    .selectFrom("deals")
    .select(["id", "stage_id"])
    .where("org_id", "=", orgId)
    .where("stage_id", "in", from)
    .forUpdate()
    .execute();
  if (locked.length === 0) return 0;
  const kinds = new Map(
    (
      await tx
        .selectFrom("stages")
        .select(["id", "kind"])
        .where("org_id", "=", orgId)
        .where("id", "in", [...new Set(locked.map((d) => d.stage_id))])
        .execute()
    ).map((s) => [s.id, s.kind]),
  );
  const deals = locked.map((d) => ({ ...d, kind: kinds.get(d.stage_id) ?? "open" }));
  await tx
    .updateTable("deals")
    .set({
      stage_id: to.id,
      pipeline_id: to.pipeline_id,
      closed_at: to.kind === "open" ? null : sql`coalesce(closed_at, now())`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("org_id", "=", orgId)
    .where(
      "id",
      "in",
      deals.map((d) => d.id),
    )
    .execute();
  await tx
    .insertInto("deal_stage_changes")
    .values(
      deals.map((d) => ({
        org_id: orgId,
        deal_id: d.id,
        from_stage_id: d.stage_id,
        to_stage_id: to.id,
        changed_by: userId,
        source: "admin",
      })),
    )
    .execute();
  await recordAuditForEach(
    tx,
    scope.caller,
    "deal.stage_changed",
    deals.map((d) => ({ type: "deal", id: d.id, details: { from: d.stage_id, to: to.id, reason } })),
  );
  for (const d of deals) await emitDealMoved({ ...scope, db: tx }, d.id, d.kind, to.kind);
  return deals.length;
}

async function makeDefault(tx: Tx, orgId: string, id: string): Promise<void> {
  // The old default first: at most one default per organisation (a unique index says so at every step).
  await tx
    .updateTable("pipelines")
    .set({ is_default: false, version: sql`version + 1` })
    .where("org_id", "=", orgId)
    .where("is_default", "=", true)
    .where("id", "!=", id)
    .execute();
  await tx
    .updateTable("pipelines")
    .set({ is_default: true })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .execute();
}

export async function createPipeline(scope: Scope, input: PipelineCreate): Promise<Pipeline> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const last = await tx
      .selectFrom("pipelines")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("org_id", "=", orgId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    const row = await tx
      .insertInto("pipelines")
      .values({
        org_id: orgId,
        name: input.name,
        is_default: false,
        position: (last?.position ?? -1) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const stages = input.stages ?? DEFAULT_PIPELINE.stages;
    await tx
      .insertInto("stages")
      .values(
        stages.map((stage, position) => ({
          org_id: orgId,
          pipeline_id: row.id,
          name: stage.name,
          position,
          probability: stage.probability,
          kind: stage.kind,
        })),
      )
      .execute();
    if (input.isDefault) await makeDefault(tx, orgId, row.id);
    await recordAudit(
      tx,
      scope.caller,
      "pipeline.created",
      { type: "pipeline", id: row.id },
      { name: input.name, isDefault: input.isDefault ?? false },
    );
    return getPipeline(tx, orgId, row.id);
  });
}

export async function updatePipeline(
  scope: Scope,
  id: string,
  version: number,
  input: PipelineUpdate,
): Promise<Pipeline> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await lockPipeline(tx, orgId, id);
    await checkVersion(tx, orgId, row, version);
    if (input.isDefault && !row.is_default) await makeDefault(tx, orgId, id);
    await tx
      .updateTable("pipelines")
      .set({ name: input.name, version: sql`version + 1` })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, scope.caller, "pipeline.updated", { type: "pipeline", id }, { ...input });
    return getPipeline(tx, orgId, id);
  });
}

export async function reorderPipelines(
  scope: Scope,
  input: PipelineOrder,
): Promise<{ pipelines: Pipeline[] }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const pipelines = await tx
      .selectFrom("pipelines")
      .select(["id", "position"])
      .where("org_id", "=", orgId)
      .where("archived_at", "is", null)
      .forUpdate()
      .execute();
    const known = new Set(pipelines.map((p) => p.id));
    // An id that is none of ours (another organisation's included) is a pipeline that does not exist.
    if (input.pipelineIds.some((id) => !known.has(id))) throw notFound("The pipeline");
    if (input.pipelineIds.length !== known.size)
      throw new AppError("invalid_request", 400, "Name every pipeline of the organisation, each once.", {
        errors: [{ path: "body.pipelineIds", message: `${known.size} pipelines, each once` }],
      });
    const before = new Map(pipelines.map((p) => [p.id, p.position]));
    for (const [position, id] of input.pipelineIds.entries()) {
      if (before.get(id) === position) continue;
      await tx
        .updateTable("pipelines")
        .set({ position, version: sql`version + 1` })
        .where("org_id", "=", orgId)
        .where("id", "=", id)
        .execute();
    }
    await recordAudit(
      tx,
      scope.caller,
      "pipelines.reordered",
      { type: "organization", id: orgId },
      { pipelineIds: input.pipelineIds },
    );
    return listPipelines({ ...scope, db: tx });
  });
}

export async function deletePipeline(
  scope: Scope,
  id: string,
  moveDealsTo: string | undefined,
): Promise<{ id: string; deleted: true; movedDeals: number }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await lockPipeline(tx, orgId, id);
    const target = moveDealsTo === undefined ? undefined : await getStage(tx, orgId, moveDealsTo);
    if (target && target.pipeline_id === id)
      throw new AppError("invalid_request", 400, "moveDealsTo must be a stage of another pipeline.", {
        errors: [{ path: "query.moveDealsTo", message: "a stage of another pipeline" }],
      });
    if (row.is_default)
      throw new AppError(
        "default_pipeline",
        409,
        "New deals start in the default pipeline: make another pipeline the default first.",
      );
    const stages = await stagesOf(tx, orgId, id);
    const stageIds = stages.map((s) => s.id);
    const deals = await countDeals(tx, orgId, stageIds);
    if (deals > 0 && !target)
      throw new AppError(
        "pipeline_has_deals",
        409,
        `The pipeline has ${deals} deal(s): say where they go (moveDealsTo, a stage of another pipeline).`,
      );
    const movedDeals = target ? await moveDeals(scope, tx, stageIds, target, "pipeline.deleted") : 0;
    // Archived, not deleted: the moved deals' history still names these stages.
    await tx
      .updateTable("stages")
      .set({ archived_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("pipeline_id", "=", id)
      .where("archived_at", "is", null)
      .execute();
    await tx
      .updateTable("pipelines")
      .set({ archived_at: sql`now()`, version: sql`version + 1` })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "pipeline.deleted",
      { type: "pipeline", id },
      { name: row.name, movedDeals, moveDealsTo: target?.id ?? null },
    );
    return { id, deleted: true as const, movedDeals };
  });
}

async function countDeals(tx: Tx, orgId: string, stageIds: string[]): Promise<number> {
  if (stageIds.length === 0) return 0;
  const row = await tx
    .selectFrom("deals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId)
    .where("stage_id", "in", stageIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function addStage(
  scope: Scope,
  id: string,
  version: number,
  input: StageAdd,
): Promise<Pipeline> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await lockPipeline(tx, orgId, id);
    await checkVersion(tx, orgId, row, version);
    const stages = await stagesOf(tx, orgId, id);
    if (stages.length >= MAX_STAGES)
      throw new AppError("invalid_request", 400, `A pipeline has at most ${MAX_STAGES} stages.`);
    const position = Math.min(input.position ?? stages.length, stages.length);
    const stage = await tx
      .insertInto("stages")
      .values({
        org_id: orgId,
        pipeline_id: id,
        name: input.name,
        position,
        probability: input.probability,
        kind: input.kind,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const order = stages.map((s) => s.id);
    order.splice(position, 0, stage.id);
    await setStagePositions(tx, orgId, order);
    await bump(tx, orgId, id);
    await recordAudit(
      tx,
      scope.caller,
      "stage.created",
      { type: "stage", id: stage.id },
      { pipelineId: id, name: input.name, kind: input.kind, probability: input.probability, position },
    );
    return getPipeline(tx, orgId, id);
  });
}

export async function reorderStages(
  scope: Scope,
  id: string,
  version: number,
  input: StageOrder,
): Promise<Pipeline> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await lockPipeline(tx, orgId, id);
    const stages = await stagesOf(tx, orgId, id);
    const own = new Set(stages.map((s) => s.id));
    const elsewhere = input.stageIds.filter((s) => !own.has(s));
    // A stage of another pipeline is named as such; an id that is no stage of ours (another organisation's
    // included) is a stage that does not exist.
    const ofOtherPipelines = elsewhere.length
      ? await tx
          .selectFrom("stages")
          .select("id")
          .where("org_id", "=", orgId)
          .where("id", "in", elsewhere)
          .where("archived_at", "is", null)
          .execute()
      : [];
    if (ofOtherPipelines.length < elsewhere.length)
      throw new AppError("stage_not_found", 404, "A stage in stageIds does not exist in this organisation.");
    await checkVersion(tx, orgId, row, version);
    if (ofOtherPipelines.length)
      throw new AppError("invalid_request", 400, "stageIds names a stage of another pipeline.", {
        errors: input.stageIds
          .map((s, i) => ({ s, i }))
          .filter(({ s }) => !own.has(s))
          .map(({ i }) => ({ path: `body.stageIds.${i}`, message: "a stage of another pipeline" })),
      });
    if (input.stageIds.length !== stages.length)
      throw new AppError("invalid_request", 400, "Name every stage of the pipeline, each once.", {
        errors: [{ path: "body.stageIds", message: `${stages.length} stages, each once` }],
      });
    await setStagePositions(tx, orgId, input.stageIds);
    await bump(tx, orgId, id);
    await recordAudit(
      tx,
      scope.caller,
      "stages.reordered",
      { type: "pipeline", id },
      { stageIds: input.stageIds },
    );
    return getPipeline(tx, orgId, id);
  });
}

export async function updateStage(
  scope: Scope,
  id: string,
  stageId: string,
  version: number,
  input: StageUpdate,
): Promise<Pipeline> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await lockPipeline(tx, orgId, id);
    const stages = await stagesOf(tx, orgId, id);
    const stage = stageIn(stages, stageId);
    await checkVersion(tx, orgId, row, version);
    const kindChanged = input.kind !== undefined && input.kind !== stage.kind;
    if (kindChanged)
      requireKinds(
        stages.map((s) => (s.id === stageId ? (input.kind as StageKind) : s.kind)),
        `Making "${stage.name}" ${input.kind}`,
      );
    // Renaming touches the stage only: deals and their history refer to it by id, so they show the new name.
    await tx
      .updateTable("stages")
      .set({ name: input.name, probability: input.probability, kind: input.kind })
      .where("org_id", "=", orgId)
      .where("id", "=", stageId)
      .execute();
    if (kindChanged) {
      // A deal's status follows its stage's kind, so its closing date does too.
      await tx
        .updateTable("deals")
        .set({
          closed_at: input.kind === "open" ? null : sql`coalesce(closed_at, now())`,
          version: sql`version + 1`,
          updated_at: sql`now()`,
        })
        .where("org_id", "=", orgId)
        .where("stage_id", "=", stageId)
        .execute();
    }
    await bump(tx, orgId, id);
    await recordAudit(
      tx,
      scope.caller,
      "stage.updated",
      { type: "stage", id: stageId },
      {
        pipelineId: id,
        before: { name: stage.name, probability: stage.probability, kind: stage.kind },
        after: input,
      },
    );
    return getPipeline(tx, orgId, id);
  });
}

export async function deleteStage(
  scope: Scope,
  id: string,
  stageId: string,
  moveDealsTo: string | undefined,
): Promise<{ id: string; deleted: true; movedDeals: number; pipeline: Pipeline }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    await lockPipeline(tx, orgId, id);
    const stages = await stagesOf(tx, orgId, id);
    const stage = stageIn(stages, stageId);
    const target = moveDealsTo === undefined ? undefined : await getStage(tx, orgId, moveDealsTo);
    if (target && (target.pipeline_id !== id || target.id === stageId))
      throw new AppError("invalid_request", 400, "moveDealsTo must be another stage of the same pipeline.", {
        errors: [{ path: "query.moveDealsTo", message: "another stage of the same pipeline" }],
      });
    const remaining = stages.filter((s) => s.id !== stageId);
    requireKinds(
      remaining.map((s) => s.kind),
      `Removing "${stage.name}"`,
    );
    const deals = await countDeals(tx, orgId, [stageId]);
    if (deals > 0 && !target)
      throw new AppError(
        "stage_has_deals",
        409,
        `The stage has ${deals} deal(s): say where they go (moveDealsTo, another stage of the pipeline).`,
      );
    const movedDeals = target ? await moveDeals(scope, tx, [stageId], target, "stage.deleted") : 0;
    // Archived, not deleted: deal histories keep naming it.
    await tx
      .updateTable("stages")
      .set({ archived_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", stageId)
      .execute();
    await setStagePositions(
      tx,
      orgId,
      remaining.map((s) => s.id),
    );
    await bump(tx, orgId, id);
    await recordAudit(
      tx,
      scope.caller,
      "stage.deleted",
      { type: "stage", id: stageId },
      { pipelineId: id, name: stage.name, movedDeals, moveDealsTo: target?.id ?? null },
    );
    return { id: stageId, deleted: true as const, movedDeals, pipeline: await getPipeline(tx, orgId, id) };
  });
}
