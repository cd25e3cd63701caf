import {
  Button,
  Checkbox,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownRegular } from "@fluentui/react-icons/svg/arrow-down";
import { ArrowUpRegular } from "@fluentui/react-icons/svg/arrow-up";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { type FormEvent, type ReactNode, useId } from "react";
import type { CustomFieldDefinition } from "../../../shared/custom-fields";
import { translate } from "../../../shared/languages";
import type { User } from "../../../shared/users";
import { useMessages } from "../../i18n/language";
import { EMAIL_TARGET, type FieldDraft, type FormDraft, targetsOf } from "./form-draft";
import { useTargetLabel } from "./target-labels";
import { webFormsMessages } from "./web-forms-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "48rem" },
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  field: {
    display: "grid",
    gridTemplateColumns: "minmax(10rem, 1fr) minmax(10rem, 1fr) auto auto",
    gap: tokens.spacingHorizontalS,
    alignItems: "end",
  },
  moves: { display: "flex", gap: tokens.spacingHorizontalXXS },
  hint: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

/**
 * A web form's settings as one form: its fields (where each goes, its label, whether it is required, in order),
 * the consent text, the answer after sending, the owner rule and the sites that may embed it.
 */
export function WebFormEditor({
  draft,
  onChange,
  customFields,
  users,
  consentVersion,
  submit,
  submitting,
  onSubmit,
  onCancel,
  children,
}: {
  draft: FormDraft;
  onChange(next: FormDraft): void;
  customFields: readonly CustomFieldDefinition[];
  users: readonly User[];
  /** The consent version the form has now (none for a new form). */
  consentVersion: number | null;
  submit: string;
  submitting: boolean;
  onSubmit(): void;
  onCancel(): void;
  /** What stands under the form before its buttons: the problem of the last save. */
  children?: ReactNode;
}) {
  const styles = useStyles();
  const t = useMessages(webFormsMessages);
  const labelOf = useTargetLabel(customFields);
  const fieldsId = useId();
  const set = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const setField = (index: number, next: FieldDraft) =>
    set(
      "fields",
      draft.fields.map((f, i) => (i === index ? next : f)),
    );
  const move = (index: number, by: -1 | 1) => {
    const fields = [...draft.fields];
    const [moved] = fields.splice(index, 1);
    if (moved) fields.splice(index + by, 0, moved);
    set("fields", fields);
  };
  const targets = targetsOf(customFields);
  const unused = targets.filter((target) => !draft.fields.some((f) => f.target === target));
  const active = users.filter((u) => u.deactivatedAt === null);
  const nameOf = (u: User) => u.displayName ?? u.email ?? u.id;
  const submitForm = (event: FormEvent) => {
    event.preventDefault();
    if (!submitting) onSubmit();
  };
  return (
    <form className={styles.form} onSubmit={submitForm}>
      <Field label={t.name} required>
        <Input value={draft.name} maxLength={200} onChange={(_, d) => set("name", d.value)} />
      </Field>
      <Field label={t.title}>
        <Input value={draft.title} maxLength={200} onChange={(_, d) => set("title", d.value)} />
      </Field>

      <div className={styles.group} role="group" aria-labelledby={fieldsId}>
        <Text id={fieldsId} weight="semibold">
          {t.fields}
        </Text>
        <Text size={200} className={styles.hint}>
          {t.emailRequired}
        </Text>
        {draft.fields.map((field, index) => {
          const email = field.target === EMAIL_TARGET;
          const name = field.label.trim() || translate(t.fieldNumber, { n: index + 1 });
          return (
            <div key={field.target} className={styles.field} role="group" aria-label={name}>
              <Field label={t.target}>
                <Select
                  value={field.target}
                  disabled={email}
                  onChange={(_, d) =>
                    setField(index, {
                      ...field,
                      target: d.value,
                      // A label still the old target's own word follows the new target.
                      label: field.label === labelOf(field.target) ? labelOf(d.value) : field.label,
                    })
                  }
                >
                  {[field.target, ...unused].map((target) => (
                    <option key={target} value={target}>
                      {labelOf(target)}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t.label} required>
                <Input
                  value={field.label}
                  maxLength={200}
                  onChange={(_, d) => setField(index, { ...field, label: d.value })}
                />
              </Field>
              <Checkbox
                label={t.required}
                checked={email || field.required}
                disabled={email}
                onChange={(_, d) => setField(index, { ...field, required: d.checked === true })}
              />
              <div className={styles.moves}>
                <Button
                  size="small"
                  icon={<ArrowUpRegular />}
                  aria-label={translate(t.moveUp, { label: name })}
                  disabledFocusable={index === 0}
                  onClick={() => move(index, -1)}
                />
                <Button
                  size="small"
                  icon={<ArrowDownRegular />}
                  aria-label={translate(t.moveDown, { label: name })}
                  disabledFocusable={index === draft.fields.length - 1}
                  onClick={() => move(index, 1)}
                />
                <Button
                  size="small"
                  icon={<DeleteRegular />}
                  aria-label={translate(t.removeField, { label: name })}
                  disabledFocusable={email}
                  onClick={() =>
                    set(
                      "fields",
                      draft.fields.filter((_, i) => i !== index),
                    )
                  }
                />
              </div>
            </div>
          );
        })}
        <div>
          <Button
            disabledFocusable={unused.length === 0 || draft.fields.length >= 30}
            onClick={() => {
              const target = unused[0];
              if (target)
                set("fields", [
                  ...draft.fields,
                  { target, label: labelOf(target), labels: {}, required: false },
                ]);
            }}
          >
            {t.addField}
          </Button>
        </div>
      </div>

      <Field
        label={t.consent}
        hint={`${t.consentHint}${consentVersion === null ? "" : ` ${translate(t.consentVersion, { version: consentVersion })}`}`}
      >
        <Textarea
          value={draft.consentText}
          maxLength={5000}
          resize="vertical"
          onChange={(_, d) => set("consentText", d.value)}
        />
      </Field>

      <Field label={t.afterSubmit}>
        <RadioGroup
          value={draft.after}
          onChange={(_, d) => set("after", d.value === "redirect" ? "redirect" : "message")}
        >
          <Radio value="message" label={t.showMessage} />
          <Radio value="redirect" label={t.redirect} />
        </RadioGroup>
      </Field>
      {draft.after === "message" ? (
        <Field label={t.message} required>
          <Textarea
            value={draft.message}
            maxLength={2000}
            resize="vertical"
            onChange={(_, d) => set("message", d.value)}
          />
        </Field>
      ) : (
        <Field label={t.redirectUrl} required>
          <Input
            type="url"
            value={draft.redirectUrl}
            maxLength={2000}
            onChange={(_, d) => set("redirectUrl", d.value)}
          />
        </Field>
      )}

      <Field label={t.ownerRule}>
        <RadioGroup
          value={draft.ownerKind}
          onChange={(_, d) => set("ownerKind", d.value === "roundRobin" ? "roundRobin" : "user")}
        >
          <Radio value="user" label={t.fixedUser} />
          <Radio value="roundRobin" label={t.roundRobin} />
        </RadioGroup>
      </Field>
      {draft.ownerKind === "user" ? (
        <Field label={t.ownerUser} required>
          <Select value={draft.ownerId} onChange={(_, d) => set("ownerId", d.value)}>
            {active.map((u) => (
              <option key={u.id} value={u.id}>
                {nameOf(u)}
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <OwnersInTurn draft={draft} users={active} nameOf={nameOf} onChange={(ids) => set("ownerIds", ids)} />
      )}

      <Field label={t.origins} hint={t.originsHint}>
        <Textarea value={draft.origins} resize="vertical" onChange={(_, d) => set("origins", d.value)} />
      </Field>
      {children}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabledFocusable={submitting}>
          {submit}
        </Button>
        <Button onClick={onCancel} disabled={submitting}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}

/** The colleagues of a round robin, ticked in the order they take turns. */
function OwnersInTurn({
  draft,
  users,
  nameOf,
  onChange,
}: {
  draft: FormDraft;
  users: readonly User[];
  nameOf(user: User): string;
  onChange(ids: string[]): void;
}) {
  const styles = useStyles();
  const t = useMessages(webFormsMessages);
  const id = useId();
  return (
    <div className={styles.group} role="group" aria-labelledby={id}>
      <Text id={id} weight="semibold">
        {t.ownerUsers}
      </Text>
      {users.map((u) => (
        <Checkbox
          key={u.id}
          label={nameOf(u)}
          checked={draft.ownerIds.includes(u.id)}
          onChange={(_, d) =>
            onChange(
              d.checked === true ? [...draft.ownerIds, u.id] : draft.ownerIds.filter((x) => x !== u.id),
            )
          }
        />
      ))}
    </div>
  );
}
