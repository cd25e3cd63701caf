import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import type { Outcome } from "../../../shared/interactions";
import type { ContactProfile } from "../../../shared/people";
import type { OutboxActionInput, SubmitResult } from "../../core/outbox";
import { useSubmit } from "../hooks/useOutbox";
import { useI18n } from "../i18n/i18n";
import { ErrorMessage } from "./ErrorMessage";

const FOLLOW_UP_DAYS = 3;
const FOLLOW_UP_HOUR = 9;
const OUTCOMES: Outcome[] = ["connected", "no_answer", "left_voicemail", "busy", "wrong_number"];

const useStyles = makeStyles({
  form: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    marginTop: tokens.spacingVerticalS,
  },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
});

/**
 * One id for the record a form makes, however often Save is pressed: a second press after an answer that got
 * lost (or could not be read) finds the record the first made instead of making another.
 */
function useRecordId(): string {
  const [id] = useState(() => crypto.randomUUID());
  return id;
}

export type Panel = "note" | "call" | "task";

/** `yyyy-mm-dd` of the rep's own calendar, as a date input wants it. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function defaultFollowUpDate(now = new Date()): string {
  const due = new Date(now);
  due.setDate(due.getDate() + FOLLOW_UP_DAYS);
  return localDate(due);
}

/** A date picked in the rep's calendar, due in the morning of their own time zone. */
function dueAtOf(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1, FOLLOW_UP_HOUR).toISOString();
}

/** The form of one quick action. */
export function QuickForm({ panel, ...props }: FormProps & { panel: Panel }) {
  if (panel === "note") return <NoteForm {...props} />;
  if (panel === "call") return <CallForm {...props} />;
  return <TaskForm {...props} />;
}

interface FormProps {
  profile: ContactProfile;
  onDone(result: SubmitResult): void;
  onCancel(): void;
}

/** The frame every quick form shares: its fields, Save (pending while it goes) and Cancel, and any error. */
function FormFrame<Input>({
  label,
  children,
  validate,
  toAction,
  input,
  onDone,
  onCancel,
}: {
  label: string;
  children: ReactNode;
  validate(): string | null;
  toAction(input: Input): OutboxActionInput;
  input: Input;
  onDone(result: SubmitResult): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = useSubmit(toAction);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problem = validate();
    setInvalid(problem);
    if (!problem) submit.mutate(input, { onSuccess: onDone });
  };
  return (
    <form className={styles.form} aria-label={label} onSubmit={onSubmit} noValidate>
      {children}
      {invalid && (
        <MessageBar intent="error">
          <MessageBarBody>{invalid}</MessageBarBody>
        </MessageBar>
      )}
      {submit.isError && <ErrorMessage error={submit.error} />}
      <div className={styles.buttons}>
        <Button
          type="submit"
          appearance="primary"
          disabled={submit.isPending}
          icon={submit.isPending ? <Spinner size="tiny" /> : undefined}
        >
          {submit.isPending ? t("saving") : t("save")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </form>
  );
}

function NoteForm({ profile, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const recordId = useRecordId();
  const [body, setBody] = useState("");
  return (
    <FormFrame
      label={t("addNote")}
      input={body}
      validate={() => (body.trim() ? null : t("noteRequired"))}
      toAction={(text: string) => ({
        kind: "createNote",
        body: { id: recordId, kind: "note", contactId: profile.id, body: text.trim() },
      })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Field label={t("fieldNote")} required>
        <Textarea autoFocus value={body} onChange={(_, data) => setBody(data.value)} resize="vertical" />
      </Field>
    </FormFrame>
  );
}

function CallForm({ profile, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const recordId = useRecordId();
  const outcomeLabel = useId();
  const [outcome, setOutcome] = useState<Outcome>("connected");
  const [notes, setNotes] = useState("");
  return (
    <FormFrame
      label={t("logCall")}
      input={{ outcome, notes }}
      validate={() => null}
      toAction={(input: { outcome: Outcome; notes: string }) => ({
        kind: "createNote",
        body: {
          id: recordId,
          kind: "call",
          contactId: profile.id,
          direction: "out",
          outcome: input.outcome,
          body: input.notes.trim(),
        },
      })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Field label={{ children: t("callOutcome"), id: outcomeLabel }}>
        <RadioGroup
          aria-labelledby={outcomeLabel}
          value={outcome}
          onChange={(_, data) => setOutcome(data.value as Outcome)}
        >
          {OUTCOMES.map((o) => (
            <Radio key={o} value={o} label={t(`outcome_${o}`)} />
          ))}
        </RadioGroup>
      </Field>
      <Field label={t("fieldCallNotes")}>
        <Textarea value={notes} onChange={(_, data) => setNotes(data.value)} resize="vertical" />
      </Field>
    </FormFrame>
  );
}

function TaskForm({ profile, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const recordId = useRecordId();
  const [title, setTitle] = useState(() =>
    t("followUpWith", { name: profile.firstName ?? profile.displayName }),
  );
  const [due, setDue] = useState(() => defaultFollowUpDate());
  return (
    <FormFrame
      label={t("addFollowUp")}
      input={{ title, due }}
      validate={() => (title.trim() ? null : t("titleRequired"))}
      toAction={(input: { title: string; due: string }) => ({
        kind: "createTask",
        body: {
          id: recordId,
          title: input.title.trim(),
          contactId: profile.id,
          dueAt: input.due ? dueAtOf(input.due) : null,
        },
      })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Field label={t("fieldTask")} required>
        <Input autoFocus value={title} onChange={(_, data) => setTitle(data.value)} />
      </Field>
      <Field label={t("fieldDue")}>
        <Input type="date" value={due} onChange={(_, data) => setDue(data.value)} />
      </Field>
    </FormFrame>
  );
}
