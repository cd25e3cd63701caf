import {
  Button,
  Checkbox,
  Dropdown,
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
import { AddRegular, DeleteRegular, EditRegular } from "@fluentui/react-icons";
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

const useStyles = makeStyles({
  form: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  cellActions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
});

const ENTITIES: Record<CustomFieldEntity, string> = {
  contact: "Contacts",
  company: "Companies",
  deal: "Deals",
};
const TYPES: Record<CustomFieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  choice: "Choice",
};
const TOUCHES = [["customFields"]] as const;

/** The organisation's own fields on contacts, companies and deals. */
export function CustomFieldsSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const fields = useQuery({ queryKey: ["customFields"], queryFn: () => api("listCustomFields", {}) });
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Section title="Custom fields">
      <span role="status" aria-live="polite">
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </span>
      {fields.isPending && <Loading label="Loading the custom fields…" />}
      {fields.isError && (
        <ProblemMessage
          error={fields.error}
          onRetry={() => void fields.refetch()}
          what="The custom fields could not be loaded"
        />
      )}
      {fields.data &&
        (fields.data.items.length === 0 ? (
          <EmptyState>No custom fields yet{admin ? ": add one below." : "."}</EmptyState>
        ) : (
          <Table size="small">
            <caption>Custom fields</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">On</TableHeaderCell>
                <TableHeaderCell scope="col">Label</TableHeaderCell>
                <TableHeaderCell scope="col">Key</TableHeaderCell>
                <TableHeaderCell scope="col">Type</TableHeaderCell>
                <TableHeaderCell scope="col">Required</TableHeaderCell>
                {admin && <TableHeaderCell scope="col">Actions</TableHeaderCell>}
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

/** An entity's records named in a sentence: one, and more than one. */
const RECORDS: Record<CustomFieldEntity, [string, string]> = {
  contact: ["contact", "contacts"],
  company: ["company", "companies"],
  deal: ["deal", "deals"],
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
      <TableCell>{ENTITIES[field.entity]}</TableCell>
      <TableCell>
        {admin ? (
          <Input
            aria-label={`Label of “${field.label}”`}
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
        {field.type === "choice" ? `${TYPES.choice}: ${choices}` : TYPES[field.type]}
        {admin && field.type === "choice" && (
          <>
            <Button
              appearance="subtle"
              icon={<EditRegular />}
              aria-label={`Edit choices of “${field.label}”`}
              onClick={() => {
                rechoose.reset();
                setEditingChoices(true);
              }}
            >
              Edit choices…
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
              <ChangeStatus change={rechoose} what="The choices were not saved" done="Choices saved." />
            )}
          </>
        )}
      </TableCell>
      <TableCell>
        {admin ? (
          <>
            <Checkbox
              label="Required"
              aria-label={`“${field.label}” is required`}
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
              what="Required was not changed"
              done={field.required ? "Now required." : "Now optional."}
            />
          </>
        ) : field.required ? (
          "Yes"
        ) : (
          "No"
        )}
      </TableCell>
      {admin && (
        <TableCell>
          <div className={styles.cellActions}>
            <Button
              disabled={!label.trim() || label.trim() === field.label || relabel.isPending}
              onClick={() => relabel.mutate(label.trim())}
            >
              Save label
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={`Delete custom field “${field.label}” and its values`}
              onClick={() => setDeleting(true)}
            />
          </div>
          <ChangeStatus change={relabel} what="The label was not saved" />
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
  const remove = useChange<void, unknown>(async () => {
    const result = await api("deleteCustomField", { params: { id: field.id } });
    const n = result.clearedRecords;
    // Said by the section: once the list is read again this row and its dialog are gone.
    onDeleted(
      `Custom field “${field.label}” deleted; its value was removed from ${n} ` +
        `${RECORDS[field.entity][n === 1 ? 0 : 1]}.`,
    );
    return result;
  }, TOUCHES);
  return (
    <ConfirmDialog
      title={`Delete custom field “${field.label}”?`}
      text={`Its value is removed from every ${RECORDS[field.entity][0]} that has one. This cannot be undone.`}
      confirm="Delete field and values"
      pending="Deleting…"
      change={remove}
      what="The field was not deleted"
      onClose={onClose}
    />
  );
}

function AddField() {
  const styles = useStyles();
  const { api } = useWebApp();
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
    <form className={styles.form} aria-label="Add a custom field" onSubmit={submit}>
      <Field label="On">
        <Dropdown
          value={ENTITIES[entity]}
          selectedOptions={[entity]}
          onOptionSelect={(_, d) => d.optionValue && setEntity(d.optionValue as CustomFieldEntity)}
        >
          {(Object.keys(ENTITIES) as CustomFieldEntity[]).map((e) => (
            <Option key={e} value={e}>
              {ENTITIES[e]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Label">
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
      <Field label="Key" hint="Fixed once made">
        <Input value={key} onChange={(_, d) => setKey(d.value)} />
      </Field>
      <Field label="Type">
        <Dropdown
          value={TYPES[type]}
          selectedOptions={[type]}
          onOptionSelect={(_, d) => d.optionValue && setType(d.optionValue as CustomFieldType)}
        >
          {(Object.keys(TYPES) as CustomFieldType[]).map((t) => (
            <Option key={t} value={t}>
              {TYPES[t]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {type === "choice" && (
        <Field label="Choices" hint="Separated by commas">
          <Input value={choices} onChange={(_, d) => setChoices(d.value)} />
        </Field>
      )}
      <Checkbox label="Required" checked={required} onChange={(_, d) => setRequired(d.checked === true)} />
      <Button type="submit" icon={<AddRegular />} disabled={!label.trim() || !key || add.isPending}>
        Add field
      </Button>
      <ChangeStatus change={add} what="The field was not added" done="Field added." />
    </form>
  );
}
