import { Button, Field, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { fieldErrorsOf } from "../../client/problems";
import { ProblemMessage } from "../components/ProblemMessage";
import { navigate } from "../router";
import { FieldInput } from "./FieldInput";
import { fieldProblemText, problemsByField, refusalsByField } from "./field-problems";
import type { FieldSpec } from "./record-fields";
import { listPathWithFilters } from "./useListFilters";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";
import { type RecordKind, recordKindMessages } from "./record-kind-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))",
    gap: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
  },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

const CUSTOM = "customFields.";

/**
 * A new record's fields and custom fields in one form. What is left empty is not sent (the server's defaults
 * apply) unless it is required; the body is checked with the contract's create schema first, so a missing name is said at once, but
 * the server has the last word: its refusals (a required custom field, a taken address) go by their field. Once
 * created, the record's own page replaces the form (the browser's back button returns to the list).
 */
export function RecordCreator<R extends { id: string }>({
  label,
  noun,
  fields,
  initial = {},
  always = {},
  schema,
  create,
  kind,
  list,
  listPath,
}: {
  /** What the form is called ("New contact"). */
  label: string;
  /** What is created ("contact"): for the button and the messages. */
  noun: RecordKind;
  fields: FieldSpec<R>[];
  /** The inputs' texts to start from (a lifecycle stage, the user as owner). */
  initial?: Record<string, string>;
  /** What the body carries whatever the form holds (a task's client id, which makes a retry create it once). */
  always?: Record<string, unknown>;
  /** The contract's create body: the form's first check. */
  schema: z.ZodType;
  create(body: Record<string, unknown>): Promise<R>;
  /** The record's query key (`contact`) and its list's (`contacts`), to show it at once and read the lists again. */
  kind: string;
  list: string;
  listPath: string;
}) {
  const styles = useStyles();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  const queryClient = useQueryClient();
  const [texts, setTexts] = useState<Record<string, string>>(initial);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const submit = useMutation({
    mutationFn: create,
    retry: false,
    onSuccess: (created) => {
      queryClient.setQueryData([kind, created.id], created);
      void queryClient.invalidateQueries({ queryKey: [list] });
      navigate(`${listPath}/${created.id}`, { replace: true });
    },
    onError: (error) => {
      // A custom field the form does not show (an admin added it since the definitions were read): read them
      // again, so that it appears with the server's words by it.
      const shown = refusalsByField(fields, error, t);
      const named = Object.keys(fieldErrorsOf(error, "body."));
      if (named.some((path) => path.startsWith(CUSTOM) && !(path in shown)))
        void queryClient.invalidateQueries({ queryKey: ["customFields"] });
    },
  });
  const refused = refusalsByField(fields, submit.error, t);
  const unhandled = submit.isError && Object.keys(refused).length === 0;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const problems: Record<string, string> = {};
    const body: Record<string, unknown> = { ...always };
    const custom: Record<string, unknown> = {};
    for (const field of fields) {
      const text = texts[field.key] ?? "";
      // An empty required field is sent as empty, for its own check and the server's to name it.
      if (text.trim() === "" && !field.required) continue;
      const read = field.value(text);
      if ("invalid" in read) problems[field.key] = fieldProblemText(t, read.invalid, field.label);
      else if (field.key.startsWith(CUSTOM)) custom[field.key.slice(CUSTOM.length)] = read.value;
      else body[field.key] = read.value;
    }
    if (Object.keys(custom).length > 0) body.customFields = custom;
    const checked = schema.safeParse(body);
    if (!checked.success)
      for (const [key, message] of Object.entries(
        problemsByField(
          fields,
          checked.error.issues.map((i) => [i.path.map(String).join("."), i.message] as [string, string]),
          t,
        ),
      ))
        problems[key] ??= message;
    setInvalid(problems);
    if (Object.keys(problems).length > 0) return;
    submit.mutate(body);
  };

  return (
    <form className={styles.form} aria-label={label} onSubmit={send} noValidate>
      <div className={styles.grid}>
        {fields.map((field, index) => {
          const error = invalid[field.key] ?? refused[field.key];
          return (
            <Field
              key={field.key}
              label={field.label}
              required={field.required}
              hint={field.hint}
              validationState={error ? "error" : "none"}
              validationMessage={error}
            >
              <FieldInput
                field={field}
                text={texts[field.key] ?? ""}
                autoFocus={index === 0}
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
        <Button type="submit" appearance="primary" disabled={submit.isPending || submit.isSuccess}>
          {submit.isPending || submit.isSuccess ? t.creating : kinds[`${noun}Create`]}
        </Button>
        <Button onClick={() => navigate(listPathWithFilters(listPath))} disabled={submit.isPending}>
          {t.cancel}
        </Button>
        <span role="status" aria-live="polite">
          {submit.isPending ? kinds[`${noun}Creating`] : ""}
        </span>
      </div>
      {unhandled && (
        <ProblemMessage error={submit.error} onRetry={() => send()} what={kinds[`${noun}NotCreated`]} />
      )}
    </form>
  );
}
