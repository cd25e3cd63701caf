import { Input, Select, Textarea } from "@fluentui/react-components";
import { CustomFieldInput } from "../../ui/custom-fields/CustomFieldInput";
import { CurrencyDropdown } from "./CurrencyDropdown";
import { RecordPicker } from "./RecordPicker";
import type { FieldSpec } from "./record-fields";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";

const INPUT_TYPES = {
  text: "text",
  number: "number",
  date: "date",
  datetime: "datetime-local",
  email: "email",
} as const;

/** The input a record's field calls for; put it in a Fluent `Field`, which labels it and carries its message. */
export function FieldInput<R>({
  field,
  text,
  onText,
  autoFocus,
}: {
  field: FieldSpec<R>;
  text: string;
  onText(text: string): void;
  autoFocus?: boolean;
}) {
  const t = useMessages(listMessages);
  if (field.input === "custom" && field.definition)
    return (
      <CustomFieldInput
        definition={field.definition}
        text={text}
        onText={onText}
        notSetLabel={t.notSet}
        autoFocus={autoFocus}
      />
    );
  if (field.input === "link" && field.link)
    return (
      <RecordPicker
        kind={field.link.kind}
        multiple={field.link.multiple}
        label={field.label}
        ids={text.split(",").filter(Boolean)}
        onIds={(ids) => onText(ids.join(","))}
        autoFocus={autoFocus}
      />
    );
  if (field.input === "choice")
    return (
      <Select value={text} onChange={(_, d) => onText(d.value)} autoFocus={autoFocus}>
        {!field.required && <option value="">{t.notSet}</option>}
        {(field.choices ?? []).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </Select>
    );
  if (field.input === "currency" && field.currencies)
    return (
      <CurrencyDropdown
        currencies={field.currencies}
        required={field.required ?? false}
        value={text}
        onValue={onText}
        autoFocus={autoFocus}
        disabled={field.readOnly}
      />
    );
  if (field.input === "textarea")
    return (
      <Textarea value={text} onChange={(_, d) => onText(d.value)} resize="vertical" autoFocus={autoFocus} />
    );
  return (
    <Input
      value={text}
      type={
        INPUT_TYPES[
          field.input === "custom" || field.input === "link" || field.input === "currency"
            ? "text"
            : field.input
        ]
      }
      onChange={(_, d) => onText(d.value)}
      autoFocus={autoFocus}
      readOnly={field.readOnly}
    />
  );
}
