import type { CustomFieldDefinition, CustomFieldEntity } from "../../../shared/custom-fields";
import { useCustomFieldDefinitions as useDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useServices } from "../services";

/** The organisation's custom fields of one kind of record, read with the pane's client. */
export function useCustomFieldDefinitions(entity: CustomFieldEntity): CustomFieldDefinition[] {
  return useDefinitions(useServices().api, entity);
}
