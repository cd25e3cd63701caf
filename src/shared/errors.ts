import { z } from "zod";
import { SKIP_REASONS } from "./privacy";

/** Stable error codes: the add-in maps each to a localised message, so a code is never renamed. */
export const ErrorCode = z.enum([
  "invalid_request",
  "invalid_json",
  "unsupported_media_type",
  "payload_too_large",
  "unauthenticated",
  "token_expired",
  "insufficient_scope",
  "auth_unavailable",
  "personal_account",
  "invalid_credentials",
  "account_deactivated",
  "weak_password",
  "link_invalid",
  "account_exists",
  "microsoft365_only",
  "forbidden",
  "not_found",
  "version_required",
  "version_conflict",
  "id_taken",
  "email_address_taken",
  "company_domain_taken",
  "record_merged",
  "product_code_taken",
  "stage_not_found",
  "stage_has_deals",
  "pipeline_has_deals",
  "stage_kinds_required",
  "default_pipeline",
  "custom_field_key_taken",
  "custom_field_in_use",
  "last_admin",
  "role_granted_at_sign_in",
  "base_currency_changed",
  "export_too_large",
  "import_rows_invalid",
  "not_logged_by_policy",
  /** A meeting with nobody outside the organisation who is a contact: nothing to log it with. */
  "no_contact",
  "store_unavailable",
  "store_busy",
  "rate_limited",
  "internal_error",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Why a row cannot be stored, for a client to say in its reader's language: `values` fills the sentence
 * (`required`: label; `company_not_stored`: company, labels). `value_refused` is open-ended: its `message` says why.
 */
export const ROW_ERROR_CODES = [
  "name_or_email_needed",
  "name_or_domain_needed",
  "required",
  "company_not_stored",
  "quotes_not_closed",
  "card_not_ended",
  "value_refused",
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** A row of an imported file that cannot be stored: the file's line (1 is the first), the field, why. */
export const RowError = z.object({
  line: z.number().int(),
  /** The import field (`email`, `customFields.size`), or null for the row as a whole. */
  field: z.string().nullable(),
  code: z.enum(ROW_ERROR_CODES),
  /** The same in English, for a reader of the API. */
  message: z.string(),
  values: z.record(z.string(), z.string()).optional(),
});
export type RowError = z.infer<typeof RowError>;

/** RFC 9457 problem details, as every error response carries them (`application/problem+json`). */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: ErrorCode,
  /** Which inputs were wrong, for `invalid_request`. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** The record as it is now, for `version_conflict`, so the client can show it without another round trip. */
  current: z.unknown().optional(),
  /** The rows of an import that cannot be stored, for `import_rows_invalid` (the first 1,000). */
  rowErrors: z.array(RowError).optional(),
  /** Which privacy rule keeps the email out of automatic logs, for `not_logged_by_policy`. */
  reason: z.enum(SKIP_REASONS).optional(),
  /**
   * For `record_merged`: the record this one was merged into, and its path. A merged-away id answers GET with it
   * (status 301, with `Location`), so links made before the merge still land; a write to it (PATCH, DELETE, a
   * merge or an erasure) answers 409 and changes nothing, since the change was made against a record that is gone.
   */
  mergedInto: z
    .object({ type: z.enum(["contact", "company"]), id: z.string(), location: z.string().optional() })
    .optional(),
});
export type Problem = z.infer<typeof Problem>;
