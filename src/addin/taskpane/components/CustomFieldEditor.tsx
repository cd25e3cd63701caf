import { Button, Field, Input, Select, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import type { CustomFieldDefinition } from "../../../shared/custom-fields";
import type { FieldValue } from "../hooks/useCustomFieldsSave";
import { useI18n } from "../i18n/i18n";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
});

/** One custom field in an input fitting its type; an empty input clears the field (unless it is required). */
export function CustomFieldEditor({
  definition,
  value,
  saving,
  problem,
  onSave,
  onCancel,
}: {
  definition: CustomFieldDefinition;
  value: string | number | boolean | null;
  saving: boolean;
  /** The server's refusal of this field's value, in its words. */
  problem: string | null;
  onSave(value: FieldValue): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [text, setText] = useState(value === null ? "" : String(value));
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed === "") return onSave(null);
    if (definition.type === "number") {
      const number = Number(trimmed);
      // Checked here: JSON has no NaN, and a NaN would reach the server as null, clearing the field.
      if (!Number.isFinite(number)) return setInvalid(t("numberExpected"));
      return onSave(number);
    }
    onSave(trimmed);
  };
  const input = {
    value: text,
    autoFocus: true,
    onChange: (_: unknown, data: { value: string }) => {
      setInvalid(null);
      setText(data.value);
    },
  };
  return (
    <form
      className={styles.form}
      aria-label={t("editField", { field: definition.label })}
      onSubmit={submit}
      noValidate
    >
      <Field
        label={definition.label}
        required={definition.required}
        size="small"
        validationMessage={invalid ?? problem ?? undefined}
      >
        {definition.type === "choice" ? (
          <Select {...input} size="small">
            <option value="">{t("notSet")}</option>
            {definition.choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </Select>
        ) : (
          <Input
            {...input}
            size="small"
            type={definition.type === "number" ? "number" : definition.type === "date" ? "date" : "text"}
          />
        )}
      </Field>
      <div className={styles.buttons}>
        <Button
          type="submit"
          size="small"
          appearance="primary"
          disabled={saving}
          icon={saving ? <Spinner size="tiny" /> : undefined}
        >
          {saving ? t("saving") : t("save")}
        </Button>
        <Button size="small" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
