import type { z } from "zod";
import { usePipelines, useUsers } from "../hooks";
import type { FilterOption } from "./FilterDropdown";
import type { ListFilters } from "./useListFilters";

/** The organisation's users as choices (an owner, an assignee), and a user's name by id. */
export function useUserOptions() {
  const users = useUsers();
  const options: FilterOption[] = (users.data?.items ?? []).map((u) => ({
    value: u.id,
    label: u.displayName ?? u.email ?? u.id,
  }));
  const nameOf = (id: string | null) => (id ? (options.find((o) => o.value === id)?.label ?? "") : "");
  return { options, nameOf };
}

/** Pipelines and their stages as choices; a stage's name by id. */
export function useStageOptions(pipelineId: string | undefined) {
  const pipelines = usePipelines().data?.pipelines ?? [];
  const several = pipelines.length > 1;
  const pipelineOptions: FilterOption[] = pipelines.map((p) => ({ value: p.id, label: p.name }));
  const stageOptions: FilterOption[] = pipelines
    .filter((p) => !pipelineId || p.id === pipelineId)
    .flatMap((p) =>
      p.stages.map((s) => ({
        value: s.id,
        label: several && !pipelineId ? `${p.name} · ${s.name}` : s.name,
      })),
    );
  return { pipelines, pipelineOptions, stageOptions };
}

/**
 * The filters a list's query schema accepts, each checked on its own: a stale or hand-typed address
 * (`?status=closed`) drops what the server would refuse instead of showing an error for it.
 */
export function acceptedFilters(schema: z.ZodObject, filters: ListFilters): ListFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(([key, value]) => {
      const field = schema.shape[key] as z.ZodType | undefined;
      return field !== undefined && field.safeParse(value).success;
    }),
  );
}
