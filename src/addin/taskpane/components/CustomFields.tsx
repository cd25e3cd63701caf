import {
  Button,
  Caption1,
  Spinner,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { Edit16Regular } from "@fluentui/react-icons/svg/edit";
import { Suspense, lazy, useState } from "react";
import type { CustomFieldEntity } from "../../../shared/custom-fields";
import { ApiError } from "../../../client/problems";
import { useCustomFieldDefinitions } from "../hooks/useCustomFields";
import { type FieldValue, formatFieldValue } from "../../../ui/custom-fields/field-values";
import { type RecordFields, useCustomFieldsSave } from "../hooks/useCustomFieldsSave";
import { useI18n } from "../i18n/i18n";
import { ErrorMessage } from "./ErrorMessage";

// Editing is the rarer act: its inputs load when the rep first edits a field.
const CustomFieldEditor = lazy(() =>
  import(/* webpackChunkName: "custom-field-editor", webpackPrefetch: true */ "./CustomFieldEditor").then(
    (m) => ({
      default: m.CustomFieldEditor,
    }),
  ),
);

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", marginTop: tokens.spacingVerticalM },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  label: { color: tokens.colorNeutralForeground3, flexShrink: 0, maxWidth: "45%" },
  value: { flexGrow: 1, minWidth: 0, overflowWrap: "anywhere" },
  unset: { color: tokens.colorNeutralForeground4 },
  required: { color: tokens.colorPaletteRedForeground1 },
  problem: { color: tokens.colorPaletteRedForeground1, display: "block" },
  notice: { color: tokens.colorPaletteDarkOrangeForeground1, display: "block" },
  hidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
});

/**
 * A record's custom fields as the organisation defines them, each editable in place; required ones are marked.
 * Nothing at all when the organisation defines none for this kind of record.
 */
export function CustomFields({
  entity,
  record,
  title,
  label,
}: {
  entity: CustomFieldEntity;
  record: RecordFields;
  /** The section's heading; none for fields shown under a list entry (a deal in the profile). */
  title?: string;
  /** What a screen reader calls the section when it has no heading. */
  label?: string;
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const definitions = useCustomFieldDefinitions(entity);
  const {
    record: current,
    save,
    changedMeanwhile,
    fieldErrors,
    unhandledError,
  } = useCustomFieldsSave(entity, record);
  const [editing, setEditing] = useState<string | null>(null);
  if (definitions.length === 0) return null;

  const submit = (key: string, value: FieldValue) =>
    save.mutate(
      { key, value },
      {
        onSuccess: () => setEditing(null),
        // Someone else's value is shown instead, with a word: the rep edits again from there.
        onError: (error) => {
          if (error instanceof ApiError && error.code === "version_conflict") setEditing(null);
        },
      },
    );

  return (
    <section className={styles.section} aria-label={title ?? label ?? t("details")}>
      {title && <Subtitle2 as="h2">{title}</Subtitle2>}
      <ul className={styles.list}>
        {definitions.map((definition) => {
          const value = current.customFields[definition.key];
          const shown = formatFieldValue(definition, value, i18n);
          const problem = fieldErrors[definition.key];
          if (editing === definition.key)
            return (
              <li key={definition.key}>
                <Suspense fallback={<Spinner size="tiny" />}>
                  <CustomFieldEditor
                    definition={definition}
                    value={value ?? null}
                    saving={save.isPending}
                    problem={problem ?? null}
                    onSave={(next) => submit(definition.key, next)}
                    onCancel={() => {
                      save.reset();
                      setEditing(null);
                    }}
                  />
                </Suspense>
                {unhandledError && (
                  <ErrorMessage
                    error={save.error}
                    onRetry={() => save.variables && submit(save.variables.key, save.variables.value)}
                  />
                )}
              </li>
            );
          return (
            <li key={definition.key}>
              <div className={styles.row}>
                <span className={styles.label}>
                  <Caption1>{definition.label}</Caption1>
                  {definition.required && (
                    <>
                      <Caption1 className={styles.required} aria-hidden>
                        {" *"}
                      </Caption1>
                      <span className={styles.hidden}>{t("requiredField")}</span>
                    </>
                  )}
                </span>
                <Caption1 className={mergeClasses(styles.value, shown === null && styles.unset)}>
                  {shown ?? t("notSet")}
                </Caption1>
                <Button
                  size="small"
                  appearance="transparent"
                  icon={<Edit16Regular />}
                  aria-label={t("editField", { field: definition.label })}
                  onClick={() => {
                    save.reset();
                    setEditing(definition.key);
                  }}
                />
              </div>
              {changedMeanwhile === definition.key && (
                <Caption1 className={styles.notice} role="status">
                  {t("fieldChangedMeanwhile", { value: shown ?? t("notSet") })}
                </Caption1>
              )}
              {problem && (
                <Caption1 className={styles.problem} role="alert">
                  {problem}
                </Caption1>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
