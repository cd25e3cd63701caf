import { Button, Field, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import type { CustomFieldDefinition } from "../../../shared/custom-fields";
import { CustomFieldInput } from "../../../ui/custom-fields/CustomFieldInput";
import {
  type FieldValue,
  type StoredFieldValue,
  fieldInputText,
  readFieldInput,
} from "../../../ui/custom-fields/field-values";
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
  value: StoredFieldValue;
  saving: boolean;
  /** The server's refusal of this field's value, in its words. */
  problem: string | null;
  onSave(value: FieldValue): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [text, setText] = useState(fieldInputText(value));
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readFieldInput(definition, text);
    if ("invalid" in read) return setInvalid(t("numberExpected"));
    onSave(read.value);
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
        <CustomFieldInput
          definition={definition}
          text={text}
          onText={(next) => {
            setInvalid(null);
            setText(next);
          }}
          notSetLabel={t("notSet")}
          size="small"
          autoFocus
        />
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
