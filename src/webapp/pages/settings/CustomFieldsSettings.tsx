import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
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
import { AddRegular, DeleteRegular } from "@fluentui/react-icons";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type {
  CustomFieldDefinition,
  CustomFieldEntity,
  CustomFieldType,
} from "../../../shared/custom-fields";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";

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
  return (
    <Section title="Custom fields">
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
                <FieldRow key={f.id} field={f} admin={admin} />
              ))}
            </TableBody>
          </Table>
        ))}
      {admin && <AddField />}
    </Section>
  );
}

function FieldRow({ field, admin }: { field: CustomFieldDefinition; admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const [label, setLabel] = useState(field.label);
  const relabel = useChange(
    (newLabel: string) =>
      api("updateCustomField", {
        params: { id: field.id },
        body: { label: newLabel, version: field.version },
      }),
    TOUCHES,
  );
  const remove = useChange(() => api("deleteCustomField", { params: { id: field.id } }), TOUCHES);
  const type = field.type === "choice" ? `${TYPES.choice}: ${field.choices.join(", ")}` : TYPES[field.type];
  return (
    <TableRow>
      <TableCell>{ENTITIES[field.entity]}</TableCell>
      <TableCell>
        {admin ? (
          <Input
            aria-label={`Label of “${field.label}”`}
            value={label}
            onChange={(_, d) => setLabel(d.value)}
          />
        ) : (
          field.label
        )}
      </TableCell>
      <TableCell>{field.key}</TableCell>
      <TableCell>{type}</TableCell>
      <TableCell>{field.required ? "Yes" : "No"}</TableCell>
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
              disabled={remove.isPending}
              onClick={() => remove.mutate(undefined)}
            />
          </div>
          <ChangeStatus change={relabel} what="The label was not saved" />
          <ChangeStatus change={remove} what="The field was not deleted" done="Deleted." />
        </TableCell>
      )}
    </TableRow>
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
