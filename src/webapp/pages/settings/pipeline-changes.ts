import { useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { PipelineList, StageKind } from "../../../shared/pipelines";
import type { PipelinesWord } from "./pipelines-messages";

/** A stage kind's name in the pipelines catalogue. */
export const KIND_WORDS: Record<StageKind, PipelinesWord> = {
  open: "kindOpen",
  won: "kindWon",
  lost: "kindLost",
};
export const KINDS = ["open", "won", "lost"] as const;
/** What changes a pipeline reaches: the lists, the reports (stage names) and the day's deals. */
export const TOUCHES = [["pipelines"], ["report"], ["dashboard"]] as const;

/** The version to send: the latest read, so a retry after someone else's change is not refused again. */
export function useLatestVersion(pipelineId: string): () => number | undefined {
  const queryClient = useQueryClient();
  return () =>
    queryClient
      .getQueryData<z.output<typeof PipelineList>>(["pipelines"])
      ?.pipelines.find((p) => p.id === pipelineId)?.version;
}

/** A probability as typed: a whole number of per cent, or null. */
export function probabilityOf(text: string): number | null {
  const value = Number(text);
  return text.trim() !== "" && Number.isInteger(value) && value >= 0 && value <= 100 ? value : null;
}
