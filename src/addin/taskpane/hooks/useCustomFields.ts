import { useQuery } from "@tanstack/react-query";
import type { CustomFieldDefinition, CustomFieldEntity } from "../../../shared/custom-fields";
import { useServices } from "../services";

/** The organisation's custom fields change rarely: one fetch serves every record in the pane. */
export function useCustomFieldDefinitions(entity: CustomFieldEntity): CustomFieldDefinition[] {
  const { api } = useServices();
  const query = useQuery({
    queryKey: ["customFields"],
    queryFn: () => api("listCustomFields", {}),
    staleTime: 5 * 60_000,
  });
  // Without the definitions (not loaded yet, or unreachable) the record is shown without its custom fields.
  return (query.data?.items ?? []).filter((d) => d.entity === entity).sort((a, b) => a.position - b.position);
}
