import { z } from "zod";
import { Id } from "./common";

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
});
export type Pipeline = z.infer<typeof Pipeline>;

export const PipelineList = z.object({ pipelines: z.array(Pipeline) });

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
