import { fieldErrorsOf } from "../../client/problems";
import type { FieldProblem, FieldSpec } from "./record-fields";
import { translate } from "../../shared/languages";
import type { ListWords } from "./list-messages";

/**
 * Problems named by their path in a request's body (`emails.1`, `customFields.size`) put on the form's fields:
 * a path belongs to the field whose key it is or starts with. The first word for a field wins; paths no field
 * shows are left out (the form says those in one message).
 */
export function problemsByField<R>(
  fields: FieldSpec<R>[],
  problems: [path: string, message: string][],
  words: ListWords,
): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [path, message] of problems) {
    const field = fields.find((f) => path === f.key || path.startsWith(`${f.key}.`));
    // The contract's checks speak English: another language says the value was refused, with their words after.
    if (field) byField[field.key] ??= translate(words.valueRefused, { details: message });
  }
  return byField;
}

/** What the form says of an input it cannot send, by the field's (translated) label. */
export function fieldProblemText(words: ListWords, problem: FieldProblem, label: string): string {
  if (problem === "required") return translate(words.fieldRequired, { field: label });
  return problem === "number" ? words.numberExpected : words.dateTimeExpected;
}

/** The server's 400, by the form's fields. */
export function refusalsByField<R>(
  fields: FieldSpec<R>[],
  error: unknown,
  words: ListWords,
): Record<string, string> {
  return problemsByField(fields, Object.entries(fieldErrorsOf(error, "body.")), words);
}
