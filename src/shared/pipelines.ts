import { z } from "zod";
import { Id, Version } from "./common";

export const StageKind = z.enum(["open", "won", "lost"]);
export type StageKind = z.infer<typeof StageKind>;

export const Stage = z.object({
  id: Id,
  pipelineId: Id,
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int().min(0).max(100),
  kind: StageKind,
});
export type Stage = z.infer<typeof Stage>;

export const Pipeline = z.object({
  id: Id,
  name: z.string(),
  isDefault: z.boolean(),
  position: z.number().int(),
  stages: z.array(Stage),
  /** Covers the pipeline and its stages: every admin change to either takes the version read. */
  version: Version,
});
export type Pipeline = z.infer<typeof Pipeline>;

export const PipelineList = z.object({ pipelines: z.array(Pipeline) });

const StageName = z.string().trim().min(1).max(100);
const Probability = z.number().int().min(0).max(100);
const PipelineName = z.string().trim().min(1).max(100);

/** A pipeline needs somewhere for deals to be worked (open), won and lost. */
export const REQUIRED_STAGE_KINDS = ["open", "won", "lost"] as const satisfies readonly StageKind[];

export const StageCreate = z.strictObject({
  name: StageName,
  probability: Probability,
  kind: StageKind,
});
export type StageCreate = z.infer<typeof StageCreate>;

export const PipelineCreate = z.strictObject({
  name: PipelineName,
  /** The new pipeline becomes the default (the one new deals start in); the old default stops being it. */
  isDefault: z.boolean().optional(),
  /** In order; by default the stages of the default pipeline (Prospecting … Won, Lost). */
  stages: z
    .array(StageCreate)
    .min(3)
    .max(30)
    .refine(
      (stages) => REQUIRED_STAGE_KINDS.every((kind) => stages.some((s) => s.kind === kind)),
      "a pipeline needs at least one open, one won and one lost stage",
    )
    .optional(),
});
export type PipelineCreate = z.infer<typeof PipelineCreate>;

export const PipelineUpdate = z.strictObject({
  name: PipelineName.optional(),
  /** Only `true`: a pipeline stops being the default when another one becomes it. */
  isDefault: z.literal(true).optional(),
  version: Version.optional(),
});
export type PipelineUpdate = z.infer<typeof PipelineUpdate>;

const distinctIds = (ids: string[]) => new Set(ids).size === ids.length;

/** Every pipeline of the organisation, each once, in the new order. */
export const PipelineOrder = z.strictObject({
  pipelineIds: z.array(Id).min(1).max(100).refine(distinctIds, "each pipeline once"),
});
export type PipelineOrder = z.infer<typeof PipelineOrder>;

export const StageParams = z.strictObject({ id: Id, stageId: Id });

export const StageAdd = StageCreate.extend({
  /** Where it goes (0 = first); at the end by default. */
  position: z.number().int().min(0).max(1000).optional(),
  version: Version.optional(),
});
export type StageAdd = z.infer<typeof StageAdd>;

export const StageUpdate = z.strictObject({
  /** Deals and their history keep pointing at the stage: they show the new name. */
  name: StageName.optional(),
  probability: Probability.optional(),
  /** Deals in the stage follow its kind: they close when it becomes won or lost and reopen when it opens. */
  kind: StageKind.optional(),
  version: Version.optional(),
});
export type StageUpdate = z.infer<typeof StageUpdate>;

/** Every stage of the pipeline, each once, in the new order. */
export const StageOrder = z.strictObject({
  stageIds: z.array(Id).min(1).max(100).refine(distinctIds, "each stage once"),
  version: Version.optional(),
});
export type StageOrder = z.infer<typeof StageOrder>;

/** Where the deals of a removed stage (or pipeline) go: a stage of the same pipeline (or of another one). */
export const MoveDealsQuery = z.strictObject({ moveDealsTo: Id.optional() });

export const StageDeleted = z.object({
  id: Id,
  deleted: z.literal(true),
  /** Deals moved to `moveDealsTo`, each move recorded in its stage history with source `admin`. */
  movedDeals: z.number().int().nonnegative(),
  pipeline: Pipeline,
});
export const PipelineDeleted = z.object({
  id: Id,
  deleted: z.literal(true),
  movedDeals: z.number().int().nonnegative(),
});

/** Seeded for every new organisation; admins reshape it later. */
export const DEFAULT_PIPELINE = {
  name: "Sales",
  stages: [
    { name: "Prospecting", probability: 10, kind: "open" },
    { name: "Qualification", probability: 25, kind: "open" },
    { name: "Proposal", probability: 50, kind: "open" },
    { name: "Negotiation", probability: 75, kind: "open" },
    { name: "Won", probability: 100, kind: "won" },
    { name: "Lost", probability: 0, kind: "lost" },
  ],
} as const satisfies {
  name: string;
  stages: readonly { name: string; probability: number; kind: StageKind }[];
};
