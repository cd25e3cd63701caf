import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { EditRegular } from "@fluentui/react-icons/svg/edit";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import type {
  CustomFieldDefinition,
  CustomFieldEntity,
  CustomFieldType,
  CustomFieldUpdate,
} from "../../../shared/custom-fields";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { ChoicesDialog } from "./ChoicesDialog";
import { ConfirmDialog } from "./ConfirmDialog";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { type CustomFieldsWord, customFieldsMessages } from "./custom-fields-messages";
import { Dropdown } from "../../components/choice-inputs";

const useStyles = makeStyles({
  form: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  cellActions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
});

const ENTITIES: Record<CustomFieldEntity, CustomFieldsWord> = {
  contact: "entityContacts",
  company: "entityCompanies",
  deal: "entityDeals",
};
const TYPES: Record<CustomFieldType, CustomFieldsWord> = {
  text: "typeText",
  number: "typeNumber",
  date: "typeDate",
  choice: "typeChoice",
};
const TOUCHES = [["customFields"]] as const;

/** The organisation's own fields on contacts, companies and deals. */
export function CustomFieldsSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const fields = useQuery({ queryKey: ["customFields"], queryFn: () => api("listCustomFields", {}) });
  const [notice, setNotice] = useState<string | null>(null);
  const t = useMessages(customFieldsMessages);
  return (
    <Section title={t.section}>
      <span role="status" aria-live="polite">
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </span>
      {fields.isPending && <Loading label={t.loading} />}
      {fields.isError && (
        <ProblemMessage error={fields.error} onRetry={() => void fields.refetch()} what={t.notLoaded} />
      )}
      {fields.data &&
        (fields.data.items.length === 0 ? (
          <EmptyState>{admin ? t.noneAdmin : t.none}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.section}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.on}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.label}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.key}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.type}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.required}</TableHeaderCell>
                {admin && <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {fields.data.items.map((f) => (
                <FieldRow key={f.id} field={f} admin={admin} onDeleted={setNotice} />
              ))}
            </TableBody>
          </Table>
        ))}
      {admin && <AddField />}
    </Section>
  );
}

/** What deleting a field says of the records it was taken off: one, and more than one, of each entity. */
const CLEARED: Record<CustomFieldEntity, [CustomFieldsWord, CustomFieldsWord]> = {
  contact: ["deletedFromContactsOne", "deletedFromContactsOther"],
  company: ["deletedFromCompaniesOne", "deletedFromCompaniesOther"],
  deal: ["deletedFromDealsOne", "deletedFromDealsOther"],
};
/** What deleting a field will take its value off. */
const CLEARS: Record<CustomFieldEntity, CustomFieldsWord> = {
  contact: "deleteTextContact",
  company: "deleteTextCompany",
  deal: "deleteTextDeal",
};

function FieldRow({
  field,
  admin,
  onDeleted,
}: {
  field: CustomFieldDefinition;
  admin: boolean;
  onDeleted(text: string): void;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(customFieldsMessages);
  const [label, setLabel] = useState(field.label);
  const [editingChoices, setEditingChoices] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Shown at once while the server is asked, so the box answers the click.
  const [wantedRequired, setWantedRequired] = useState<boolean | null>(null);
  useEffect(() => setLabel(field.label), [field.label]);
  // Each change sends the version as last read: after a refusal the list is read again, so a retry is current.
  const update = (body: CustomFieldUpdate) =>
    api("updateCustomField", { params: { id: field.id }, body: { ...body, version: field.version } });
  const relabel = useChange((newLabel: string) => update({ label: newLabel }), TOUCHES);
  const requirement = useChange((required: boolean) => update({ required }), TOUCHES);
  const rechoose = useChange((choices: string[]) => update({ choices }), TOUCHES);
  const choices = field.choices.join(", ");
  return (
    <TableRow>
      <TableCell>{t[ENTITIES[field.entity]]}</TableCell>
      <TableCell>
        {admin ? (
          <Input
            aria-label={translate(t.labelOf, { label: field.label })}
            value={label}
            onChange={(_, d) => setLabel(d.value)}
            maxLength={100}
          />
        ) : (
          field.label
        )}
      </TableCell>
      <TableCell>{field.key}</TableCell>
      <TableCell>
        {field.type === "choice" ? translate(t.choiceWithChoices, { choices }) : t[TYPES[field.type]]}
        {admin && field.type === "choice" && (
          <>
            <Button
              appearance="subtle"
              icon={<EditRegular />}
              aria-label={translate(t.editChoicesOf, { label: field.label })}
              onClick={() => {
                rechoose.reset();
                setEditingChoices(true);
              }}
            >
              {t.editChoices}
            </Button>
            {/* While the dialog is open it says how the save went; a save given up on is forgotten. */}
            {editingChoices ? (
              <ChoicesDialog
                field={field}
                save={rechoose}
                onSaved={() => setEditingChoices(false)}
                onCancel={() => {
                  rechoose.reset();
                  setEditingChoices(false);
                }}
              />
            ) : (
              <ChangeStatus change={rechoose} what={t.choicesNotSaved} done={t.choicesSaved} />
            )}
          </>
        )}
      </TableCell>
      <TableCell>
        {admin ? (
          <>
            <Checkbox
              label={t.required}
              aria-label={translate(t.isRequired, { label: field.label })}
              checked={wantedRequired ?? field.required}
              // Not disabled while saving: the focus stays on it, and a second change waits for the first.
              onChange={(_, d) => {
                if (requirement.isPending) return;
                setWantedRequired(d.checked === true);
                // Then what the server holds: the new value once read again, the old one if refused.
                requirement.mutate(d.checked === true, { onSettled: () => setWantedRequired(null) });
              }}
            />
            <ChangeStatus
              change={requirement}
              what={t.requiredNotChanged}
              done={field.required ? t.nowRequired : t.nowOptional}
            />
          </>
        ) : field.required ? (
          t.yes
        ) : (
          t.no
        )}
      </TableCell>
      {admin && (
        <TableCell>
          <div className={styles.cellActions}>
            <Button
              disabled={!label.trim() || label.trim() === field.label || relabel.isPending}
              onClick={() => relabel.mutate(label.trim())}
            >
              {t.saveLabel}
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={translate(t.deleteFieldButton, { label: field.label })}
              onClick={() => setDeleting(true)}
            />
          </div>
          <ChangeStatus change={relabel} what={t.labelNotSaved} />
          {deleting && (
            <DeleteFieldDialog field={field} onClose={() => setDeleting(false)} onDeleted={onDeleted} />
          )}
        </TableCell>
      )}
    </TableRow>
  );
}

/** Deleting a field takes its value off every record that has one: asked first, as it cannot be undone. */
function DeleteFieldDialog({
  field,
  onClose,
  onDeleted,
}: {
  field: CustomFieldDefinition;
  onClose(): void;
  onDeleted(text: string): void;
}) {
  const { api } = useWebApp();
  const t = useMessages(customFieldsMessages);
  const remove = useChange<void, unknown>(async () => {
    const result = await api("deleteCustomField", { params: { id: field.id } });
    const n = result.clearedRecords;
    // Said by the section: once the list is read again this row and its dialog are gone.
    onDeleted(translate(t[CLEARED[field.entity][n === 1 ? 0 : 1]], { label: field.label, count: n }));
    return result;
  }, TOUCHES);
  return (
    <ConfirmDialog
      title={translate(t.deleteTitle, { label: field.label })}
      text={t[CLEARS[field.entity]]}
      confirm={t.deleteFieldAndValues}
      pending={t.deleting}
      change={remove}
      what={t.notDeleted}
      onClose={onClose}
    />
  );
}

function AddField() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(customFieldsMessages);
  const [entity, setEntity] = useState<CustomFieldEntity>("contact");
  const [label, setLabel] = useState("");
  const [key, setKey] = useState("");
  const [type, setType] = useState<CustomFieldType>("text");
  const [choices, setChoices] = useState("");
  const [required, setRequired] = useState(false);
  const add = useChange(
    () =>
      api("createCustomField", {
        body: {
          entity,
          key,
          label: label.trim(),
          type,
          required,
          ...(type === "choice"
            ? {
                choices: choices
                  .split(",")
                  .map((c) => c.trim())
                  .filter(Boolean),
              }
            : {}),
        },
      }),
    TOUCHES,
  );
  const suggestedKey = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+|_+$/g, "")
    .slice(0, 50);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: () => (setLabel(""), setKey(""), setChoices("")) });
  };
  return (
    <form className={styles.form} aria-label={t.addForm} onSubmit={submit}>
      <Field label={t.on}>
        <Dropdown
          value={t[ENTITIES[entity]]}
          selectedOptions={[entity]}
          onOptionSelect={(_, d) => d.optionValue && setEntity(d.optionValue as CustomFieldEntity)}
        >
          {(Object.keys(ENTITIES) as CustomFieldEntity[]).map((e) => (
            <Option key={e} value={e}>
              {t[ENTITIES[e]]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label={t.label}>
        <Input
          value={label}
          onChange={(_, d) => {
            setLabel(d.value);
            if (!key || key === suggestedKey)
              setKey(
                d.value
                  .trim()
                  .toLowerCase()
                  .replace(/[^a-z0-9]+/g, "_")
                  .replace(/^[^a-z]+|_+$/g, "")
                  .slice(0, 50),
              );
          }}
        />
      </Field>
      <Field label={t.key} hint={t.keyHint}>
        <Input value={key} onChange={(_, d) => setKey(d.value)} />
      </Field>
      <Field label={t.type}>
        <Dropdown
          value={t[TYPES[type]]}
          selectedOptions={[type]}
          onOptionSelect={(_, d) => d.optionValue && setType(d.optionValue as CustomFieldType)}
        >
          {(Object.keys(TYPES) as CustomFieldType[]).map((k) => (
            <Option key={k} value={k}>
              {t[TYPES[k]]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {type === "choice" && (
        <Field label={t.choices} hint={t.choicesHint}>
          <Input value={choices} onChange={(_, d) => setChoices(d.value)} />
        </Field>
      )}
      <Checkbox label={t.required} checked={required} onChange={(_, d) => setRequired(d.checked === true)} />
      <Button type="submit" icon={<AddRegular />} disabled={!label.trim() || !key || add.isPending}>
        {t.addField}
      </Button>
      <ChangeStatus change={add} what={t.notAdded} done={t.added} />
    </form>
  );
}
