import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../../client/problems";
import { ProblemMessage } from "../components/ProblemMessage";
import { FieldInput } from "./FieldInput";
import { fieldProblemText, refusalsByField } from "./field-problems";
import type { EditableRecord, FieldSpec } from "./record-fields";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))",
    gap: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
  },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

const textsOf = <R,>(fields: FieldSpec<R>[], record: R) =>
  Object.fromEntries(fields.map((f) => [f.key, f.text(record)]));

const CUSTOM = "customFields.";

/**
 * A record's fields and custom fields in one form, saved with the version it read: only what was changed is
 * sent (custom fields go whole, as an update replaces them all). When a colleague saved meanwhile (409) the
 * form moves onto their record, names each field they changed with their value, and keeps what this user typed,
 * to save again over theirs or drop. A value the server refuses (400) gets its words on that field.
 */
export function RecordEditor<R extends EditableRecord>({
  label,
  record,
  fields,
  save,
  parseCurrent,
  onRecord,
}: {
  /** What the form is called ("Edit Anna Berg"). */
  label: string;
  record: R;
  fields: FieldSpec<R>[];
  save(body: Record<string, unknown>): Promise<R>;
  /** The record a 409 carries, when it is one. */
  parseCurrent(value: unknown): R | null;
  /** The record as the server has it now: saved, or a colleague's (409). */
  onRecord(record: R): void;
}) {
  const styles = useStyles();
  const t = useMessages(listMessages);
  const [base, setBase] = useState(record);
  const [texts, setTexts] = useState(() => textsOf(fields, record));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [theirs, setTheirs] = useState<Record<string, string | null> | null>(null);
  const changed = fields.filter((f) => (texts[f.key] ?? "") !== f.text(base));

  // A newer record read or written elsewhere (this user's stage move, another tab) becomes the form's base, with
  // its version, when it leaves every field this user changed as they found it: what they typed stays, the rest
  // follows the record, and their next save is not taken for a conflict. When it changed one of those fields,
  // the form keeps the version it read, so the save meets the 409 that shows both values.
  useEffect(() => {
    if (record.id !== base.id) {
      setBase(record);
      setTexts(textsOf(fields, record));
      return;
    }
    if (record.version <= base.version) return;
    if (changed.some((f) => f.text(record) !== f.text(base))) return;
    const mine = new Set(changed.map((f) => f.key));
    setBase(record);
    setTexts((typed) =>
      Object.fromEntries(fields.map((f) => [f.key, mine.has(f.key) ? (typed[f.key] ?? "") : f.text(record)])),
    );
  }, [record, base, fields, changed]);

  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) => save(body),
    retry: false,
    onSuccess: (updated) => {
      setBase(updated);
      setTexts(textsOf(fields, updated));
      setTheirs(null);
      onRecord(updated);
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || error.code !== "version_conflict") return;
      const current = parseCurrent(error.problem?.current);
      if (!current) return;
      // What this user changed stays as typed; every other field shows the colleague's record.
      const mine = new Set(changed.map((f) => f.key));
      setTexts((typed) =>
        Object.fromEntries(
          fields.map((f) => [f.key, mine.has(f.key) ? (typed[f.key] ?? "") : f.text(current)]),
        ),
      );
      const clashes = changed.filter((f) => f.text(current) !== f.text(base));
      setTheirs(
        Object.fromEntries(clashes.map((f) => [f.key, f.shown ? f.shown(current) : f.text(current)])),
      );
      setBase(current);
      onRecord(current);
    },
  });
  // The server names a field by its path: `emails.1` is the addresses' input, `customFields.size` its own.
  const refused = refusalsByField(fields, submit.error, t);
  const conflict = submit.error instanceof ApiError && submit.error.code === "version_conflict";
  const unhandled = submit.isError && !conflict && Object.keys(refused).length === 0;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const problems: Record<string, string> = {};
    const body: Record<string, unknown> = { version: base.version };
    let custom: Record<string, unknown> | null = null;
    for (const field of changed) {
      const read = field.value(texts[field.key] ?? "");
      if ("invalid" in read) problems[field.key] = fieldProblemText(t, read.invalid, field.label);
      else if (field.key.startsWith(CUSTOM))
        (custom ??= { ...base.customFields })[field.key.slice(CUSTOM.length)] = read.value;
      else body[field.key] = read.value;
    }
    setInvalid(problems);
    if (Object.keys(problems).length > 0) return;
    if (custom) body.customFields = custom;
    submit.mutate(body);
  };
  const takeTheirs = () => {
    setTexts(textsOf(fields, base));
    setTheirs(null);
    submit.reset();
  };

  return (
    <form className={styles.form} aria-label={label} onSubmit={send} noValidate>
      {theirs && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t.colleagueSaved}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => send()}>{t.saveMineAgain}</Button>
            <Button onClick={takeTheirs}>{t.takeTheirs}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <div className={styles.grid}>
        {fields.map((field) => {
          const error = invalid[field.key] ?? refused[field.key];
          const their = theirs?.[field.key];
          const message =
            error ??
            (their === undefined
              ? undefined
              : their === null || their === ""
                ? t.colleagueCleared
                : translate(t.colleagueChanged, { value: their }));
          return (
            <Field
              key={field.key}
              label={field.label}
              required={field.required}
              hint={field.hint}
              validationState={error ? "error" : their !== undefined ? "warning" : "none"}
              validationMessage={message}
            >
              <FieldInput
                field={field}
                text={texts[field.key] ?? ""}
                onText={(text) => {
                  setTexts((t) => ({ ...t, [field.key]: text }));
                  setInvalid(({ [field.key]: _gone, ...rest }) => rest);
                }}
              />
            </Field>
          );
        })}
      </div>
      <div className={styles.buttons}>
        <Button type="submit" appearance="primary" disabled={submit.isPending || changed.length === 0}>
          {submit.isPending ? t.saving : t.save}
        </Button>
        {changed.length > 0 && !submit.isPending && <Button onClick={takeTheirs}>{t.discardChanges}</Button>}
        <span role="status" aria-live="polite">
          {submit.isSuccess && changed.length === 0 && <Text className={styles.done}>{t.saved}</Text>}
        </span>
      </div>
      {unhandled && <ProblemMessage error={submit.error} onRetry={() => send()} what={t.changesNotSaved} />}
    </form>
  );
}
