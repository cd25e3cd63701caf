import { Input, Select } from "@fluentui/react-components";
import type { CustomFieldDefinition } from "../../shared/custom-fields";

/**
 * The input a custom field's type calls for: a choice from the definition's list (or none), a number, a date or
 * text. Put it in a Fluent `Field`, which gives it its label and its message.
 */
export function CustomFieldInput({
  definition,
  text,
  onText,
  notSetLabel,
  size,
  autoFocus,
}: {
  definition: CustomFieldDefinition;
  text: string;
  onText(text: string): void;
  /** The choice that clears a choice field, in the surface's language. */
  notSetLabel: string;
  size?: "small" | "medium";
  autoFocus?: boolean;
}) {
  const input = {
    value: text,
    autoFocus,
    size,
    onChange: (_: unknown, data: { value: string }) => onText(data.value),
  };
  if (definition.type === "choice")
    return (
      <Select {...input}>
        <option value="">{notSetLabel}</option>
        {definition.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </Select>
    );
  return (
    <Input
      {...input}
      type={definition.type === "number" ? "number" : definition.type === "date" ? "date" : "text"}
    />
  );
}
