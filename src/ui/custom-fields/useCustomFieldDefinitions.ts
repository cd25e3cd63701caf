import { useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../client/api-client";
import type { CustomFieldDefinition, CustomFieldEntity } from "../../shared/custom-fields";

/**
 * The organisation's custom fields of one kind of record, in their order. They change rarely: one fetch serves
 * every record shown. Without them (not loaded yet, or unreachable) a record is shown without its custom fields.
 */
export function useCustomFieldDefinitions(
  api: ApiClient,
  entity: CustomFieldEntity,
): CustomFieldDefinition[] {
  const query = useQuery({
    queryKey: ["customFields"],
    queryFn: () => api("listCustomFields", {}),
    staleTime: 5 * 60_000,
  });
  return (query.data?.items ?? []).filter((d) => d.entity === entity).sort((a, b) => a.position - b.position);
}
