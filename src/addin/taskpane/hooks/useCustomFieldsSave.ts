import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { Version } from "../../../shared/common";
import { type CustomFieldEntity, CustomFieldValues } from "../../../shared/custom-fields";
import type { FieldValue } from "../../../ui/custom-fields/field-values";
import { ApiError, fieldErrorsOf } from "../../../client/problems";
import { useServices } from "../services";

/** What the pane needs of a record to show and change its custom fields. */
export const RecordFields = z.object({ id: z.string(), customFields: CustomFieldValues, version: Version });
export type RecordFields = z.infer<typeof RecordFields>;

/**
 * Saves one custom field of a record with the version the pane read. An update replaces all of a record's
 * custom fields, so the others go along as they are. A stale version (409) leaves the record as the server
 * has it now, with the field named in `changedMeanwhile`; a refused value (400) leaves the server's words by
 * field in `fieldErrors`; anything else is `error`, to show with a retry.
 */
export function useCustomFieldsSave(entity: CustomFieldEntity, read: RecordFields) {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<RecordFields | null>(null);
  const [changedMeanwhile, setChangedMeanwhile] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // The newest of what the pane read and what this record's saves answered.
  const record = saved && saved.id === read.id && saved.version >= read.version ? saved : read;

  // Every view that shows the record reads it again; Today only when next shown.
  const refresh = () => {
    for (const key of ["lookup", "contact", "deal"]) void queryClient.invalidateQueries({ queryKey: [key] });
    void queryClient.invalidateQueries({ queryKey: ["dashboard"], refetchType: "none" });
  };
  const save = useMutation({
    mutationFn: async ({ key, value }: { key: string; value: FieldValue }) => {
      const body = { customFields: { ...record.customFields, [key]: value }, version: record.version };
      const params = { id: record.id };
      if (entity === "contact") return api("updateContact", { params, body });
      if (entity === "company") return api("updateCompany", { params, body });
      return api("updateDeal", { params, body });
    },
    retry: false,
    onMutate: () => {
      setChangedMeanwhile(null);
      setFieldErrors({});
    },
    onSuccess: (updated) => {
      setSaved(RecordFields.parse(updated));
      refresh();
    },
    onError: (error, { key }) => {
      if (!(error instanceof ApiError)) return;
      if (error.code === "version_conflict") {
        const current = RecordFields.safeParse(error.problem?.current);
        if (current.success) {
          setSaved(current.data);
          setChangedMeanwhile(key);
        }
        refresh();
      } else {
        setFieldErrors(fieldErrorsOf(error, "body.customFields."));
      }
    },
  });
  /** Refusals the pane shows on the fields themselves, or by the 409 notice: not as a general failure. */
  const handled =
    save.error instanceof ApiError &&
    (save.error.code === "version_conflict" || Object.keys(fieldErrors).length > 0);
  return { record, save, changedMeanwhile, fieldErrors, unhandledError: save.isError && !handled };
}
