import type { ErrorCode, RowError } from "../shared/errors";
import type { SkipReason } from "../shared/privacy";

const titles: Record<ErrorCode, string> = {
  invalid_request: "The request is not valid",
  invalid_json: "The body is not valid JSON",
  unsupported_media_type: "Unsupported content type",
  payload_too_large: "The request body is too large",
  unauthenticated: "Sign-in required",
  token_expired: "The sign-in has expired",
  insufficient_scope: "The token does not grant access to Rapport",
  auth_unavailable: "Sign-in cannot be checked right now",
  personal_account: "Personal Microsoft accounts cannot sign in",
  invalid_credentials: "The address or the password is not right",
  account_deactivated: "An admin has ended this user's access",
  weak_password: "The password is too easy to guess",
  link_invalid: "The link no longer works",
  account_exists: "The address already has an account",
  microsoft365_only: "The organisation signs in with Microsoft 365 only",
  forbidden: "Not allowed",
  not_found: "Not found",
  version_required: "The version you read is required",
  version_conflict: "Someone else changed this meanwhile",
  id_taken: "The id belongs to another record",
  email_address_taken: "The email address belongs to another contact",
  company_domain_taken: "Another company has this domain",
  record_merged: "The record was merged into another",
  product_code_taken: "Another product has this code",
  stage_not_found: "No such stage",
  stage_has_deals: "The stage still has deals",
  pipeline_has_deals: "The pipeline still has deals",
  stage_kinds_required: "A pipeline needs an open, a won and a lost stage",
  default_pipeline: "The default pipeline cannot go",
  custom_field_key_taken: "Another custom field has this key",
  custom_field_in_use: "Records still hold this value",
  last_admin: "The organisation needs an admin",
  role_granted_at_sign_in: "The role comes with the user's sign-in",
  base_currency_changed: "The base currency changed meanwhile",
  export_too_large: "Too many rows for one export",
  import_rows_invalid: "Rows of the file cannot be imported",
  not_logged_by_policy: "The organisation's privacy rules keep this email out of automatic logs",
  no_contact: "Nobody at the meeting is a contact",
  store_unavailable: "The store is not available",
  store_busy: "The store was busy with a colliding change",
  rate_limited: "Too many requests",
  internal_error: "Something went wrong on the server",
};

/** The one error type of the server: a stable code, an HTTP status and a human detail. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly detail: string,
    readonly extras: {
      errors?: { path: string; message: string }[];
      current?: unknown;
      rowErrors?: RowError[];
      reason?: SkipReason;
      /** Seconds, for a 429: sent as Retry-After. */
      retryAfter?: number;
      /**
       * For `record_merged`: where the record is now, named in the problem, and sent as Location with a 301 (a
       * read) only: a write's 409 is not to be followed.
       */
      mergedInto?: { type: "contact" | "company"; id: string; location: string };
    } = {},
  ) {
    super(detail);
  }

  get title(): string {
    return titles[this.code];
  }
}

export const notFound = (what: string) => new AppError("not_found", 404, `${what} does not exist.`);

export const versionConflict = (current: unknown) =>
  new AppError("version_conflict", 409, "The record was changed by someone else; here is how it is now.", {
    current,
  });

export const idTaken = () =>
  new AppError("id_taken", 409, "The id belongs to another record; make a new one for a new record.");

/** A merged-away record's id asked for: 301 to the record it was merged into (docs/api.md, "Merging"). */
export const recordMerged = (type: "contact" | "company", id: string, location: string) =>
  new AppError(
    "record_merged",
    301,
    `The ${type} was merged into ${type} ${id}; it answers at ${location}.`,
    { mergedInto: { type, id, location } },
  );

/**
 * A write to a merged-away record's id: 409, never a redirect. A client following a 301 would send the same
 * change to the kept record, and a small version (a record edited once) can match the kept one's: the stale change
 * would land on a record its author never read. The problem names the kept record so the client can read it first.
 */
export const writeToMergedRecord = (type: "contact" | "company", id: string, location: string) =>
  new AppError(
    "record_merged",
    409,
    `The ${type} was merged into ${type} ${id}; read it at ${location} and write there with its version. Nothing was changed.`,
    { mergedInto: { type, id, location } },
  );
