import { currencyChoices } from "../../shared/currencies";
import type { CustomFieldDefinition, CustomFieldValues } from "../../shared/custom-fields";
import { fieldInputText, formatFieldValue, readFieldInput } from "../../ui/custom-fields/field-values";
import { formatDate, formatDateTime, formatNumber } from "../format";
import type { FilterOption } from "./FilterDropdown";
import type { LinkedKind } from "./linked-records";
import { isoFromLocalDateTime, localDateTimeText } from "./local-date-time";

/** What the editor needs of a record: its id, the version it read, and its custom fields where it has them. */
export interface EditableRecord {
  id: string;
  version: number;
  customFields?: CustomFieldValues;
}

/** Why an input's text cannot be sent; the form says it in the reader's language, with the field's label. */
export type FieldProblem = "required" | "number" | "dateTime";

/**
 * One field of a record's form. `key` is its place in the update's body (`title`, `customFields.size`), which
 * is also where the server's refusal names it (`body.title`).
 */
export interface FieldSpec<R> {
  key: string;
  /** In the reader's language: the field hooks build their fields from the catalogue at render. */
  label: string;
  input:
    | "text"
    | "textarea"
    | "number"
    | "date"
    | "datetime"
    | "email"
    | "choice"
    | "currency"
    | "custom"
    | "link";
  required?: boolean;
  hint?: string;
  /** Shown but not changed here (a deal's amount while its lines set it); the hint says why. */
  readOnly?: boolean;
  choices?: FilterOption[];
  /** For a custom field: its definition, which picks its input. */
  definition?: CustomFieldDefinition;
  /** For a currency: the ones offered first (the organisation's base, then the common ones), then the rest. */
  currencies?: ReturnType<typeof currencyChoices>;
  /** For a link to other records: their kind, and whether there may be several. */
  link?: { kind: LinkedKind; multiple: boolean };
  /** The record's value as the input's text. */
  text(record: R): string;
  /** The input's text as the update sends it, or why it cannot be. */
  value(text: string): { value: unknown } | { invalid: FieldProblem };
  /** The record's value as a person reads it (a colleague's, after a conflict); null when not set. */
  shown?(record: R): string | null;
}

const trimmedOrNull = (text: string) => ({ value: text.trim() === "" ? null : text.trim() });

/** A text field; an empty one clears the value unless the field is required. */
export function textField<R>(
  key: string,
  label: string,
  read: (record: R) => string | null,
  options: { required?: boolean; input?: "text" | "textarea" | "email" | "date"; hint?: string } = {},
): FieldSpec<R> {
  return {
    key,
    label,
    input: options.input ?? "text",
    required: options.required,
    hint: options.hint,
    text: (record) => read(record) ?? "",
    value: (text) => (options.required && text.trim() === "" ? { invalid: "required" } : trimmedOrNull(text)),
    shown: (record) => {
      const value = read(record);
      return value && options.input === "date" ? formatDate(value) : value;
    },
  };
}

export function numberField<R>(key: string, label: string, read: (record: R) => number | null): FieldSpec<R> {
  return {
    key,
    label,
    input: "number",
    text: (record) => String(read(record) ?? ""),
    value: (text) => {
      if (text.trim() === "") return { value: null };
      const number = Number(text);
      return Number.isFinite(number) ? { value: number } : { invalid: "number" };
    },
    shown: (record) => {
      const value = read(record);
      return value === null ? null : formatNumber(value);
    },
  };
}

/**
 * An instant (a task's due time) in a date-and-time input, in the user's time zone; sent as ISO, or null when
 * the input is emptied.
 */
export function dateTimeField<R>(
  key: string,
  label: string,
  read: (record: R) => string | null,
  timeZone: string,
): FieldSpec<R> {
  return {
    key,
    label,
    input: "datetime",
    text: (record) => {
      const value = read(record);
      return value ? localDateTimeText(value, timeZone) : "";
    },
    value: (text) => {
      if (text.trim() === "") return { value: null };
      const iso = isoFromLocalDateTime(text, timeZone);
      return iso ? { value: iso } : { invalid: "dateTime" };
    },
    shown: (record) => {
      const value = read(record);
      return value ? formatDateTime(value, timeZone) : null;
    },
  };
}

export function choiceField<R>(
  key: string,
  label: string,
  choices: FilterOption[],
  read: (record: R) => string | null,
  options: { required?: boolean } = {},
): FieldSpec<R> {
  return {
    key,
    label,
    input: "choice",
    choices,
    required: options.required,
    text: (record) => read(record) ?? "",
    value: (text) => ({ value: text === "" ? null : text }),
    shown: (record) => choices.find((c) => c.value === read(record))?.label ?? read(record),
  };
}

/**
 * A currency, chosen from the ISO 4217 codes (the server takes no other): the organisation's base currency and
 * the common ones first. Left empty, the record has none.
 */
export function currencyField<R>(
  key: string,
  label: string,
  read: (record: R) => string | null,
  baseCurrency: string | null,
): FieldSpec<R> {
  return {
    key,
    label,
    input: "currency",
    currencies: currencyChoices(baseCurrency),
    text: (record) => read(record) ?? "",
    value: (text) => ({ value: text === "" ? null : text }),
    shown: (record) => read(record),
  };
}

/** A record's custom field, as the organisation defines it. */
export function customField<R extends EditableRecord>(definition: CustomFieldDefinition): FieldSpec<R> {
  const stored = (record: R) => record.customFields?.[definition.key];
  return {
    key: `customFields.${definition.key}`,
    label: definition.label,
    input: "custom",
    definition,
    required: definition.required,
    text: (record) => fieldInputText(stored(record)),
    value: (text) => {
      const read = readFieldInput(definition, text);
      return "invalid" in read ? { invalid: "number" } : read;
    },
    shown: (record) => formatFieldValue(definition, stored(record), { formatDay: formatDate, formatNumber }),
  };
}

/** A list of texts (addresses, phones, tags) in one input, separated by commas. */
export function listField<R>(
  key: string,
  label: string,
  read: (record: R) => string[],
  /** How to type several ("Separated by commas"), in the reader's language. */
  hint: string,
): FieldSpec<R> {
  return {
    key,
    label,
    input: "text",
    hint,
    text: (record) => read(record).join(", "),
    value: (text) => ({
      value: text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    }),
    shown: (record) => read(record).join(", ") || null,
  };
}

/**
 * A link to other records (a contact's company, a deal's contacts), picked by name. The input's text is the
 * linked ids separated by commas (an id never holds one). Emptied, a single link is cleared (null) and a list
 * of links is sent empty.
 */
export function linkField<R>(
  key: string,
  label: string,
  link: { kind: LinkedKind; multiple?: boolean },
  read: (record: R) => string | string[] | null,
  /** A linked record's name, to tell a colleague's change in words ("another company" when it is not known). */
  nameOf: (kind: LinkedKind, id: string) => string,
): FieldSpec<R> {
  const multiple = link.multiple ?? false;
  const idsOf = (record: R) => [read(record) ?? []].flat();
  return {
    key,
    label,
    input: "link",
    link: { kind: link.kind, multiple },
    text: (record) => idsOf(record).join(","),
    value: (text) => {
      const ids = text.split(",").filter(Boolean);
      return { value: multiple ? ids : (ids[0] ?? null) };
    },
    shown: (record) =>
      idsOf(record)
        .map((id) => nameOf(link.kind, id))
        .join(", ") || null,
  };
}
