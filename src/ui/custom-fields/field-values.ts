import type { CustomFieldDefinition, CustomFieldValues } from "../../shared/custom-fields";

/** A stored custom field value, as the API holds it. */
export type StoredFieldValue = CustomFieldValues[string] | undefined;
/** What an input sends back: text (a date as YYYY-MM-DD, a choice), a number, or null to clear the field. */
export type FieldValue = string | number | null;

/** How the surface writes days and numbers in the reader's language (the pane's i18n, the web app's format). */
export interface FieldFormats {
  formatDay(date: string): string;
  formatNumber(value: number): string;
}

/** A stored value as a person reads it: dates and numbers in their language; null when it is not set. */
export function formatFieldValue(
  definition: CustomFieldDefinition,
  value: StoredFieldValue,
  formats: FieldFormats,
): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (definition.type === "date" && typeof value === "string") return formats.formatDay(value);
  if (typeof value === "number") return formats.formatNumber(value);
  return String(value);
}

/** The text an input starts from. */
export const fieldInputText = (value: StoredFieldValue): string =>
  value === null || value === undefined ? "" : String(value);

/**
 * What an input's text stores: an empty input clears the field (the server refuses that for a required one,
 * in its words); a number field's text must be a finite number. Checked here because JSON has no NaN, and a
 * NaN would reach the server as null, clearing the field.
 */
export function readFieldInput(
  definition: CustomFieldDefinition,
  text: string,
): { value: FieldValue } | { invalid: "number_expected" } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null };
  if (definition.type !== "number") return { value: trimmed };
  const number = Number(trimmed);
  return Number.isFinite(number) ? { value: number } : { invalid: "number_expected" };
}
