import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Input,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import type { UseMutationResult } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { type CustomFieldDefinition, CustomFieldUpdate } from "../../../shared/custom-fields";
import { ProblemMessage } from "../../components/ProblemMessage";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { customFieldsMessages } from "./custom-fields-messages";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, margin: 0, padding: 0 },
  choice: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center", listStyleType: "none" },
});

interface DraftChoice {
  key: number;
  /** The stored choice this row started from; null for one added here. */
  was: string | null;
  value: string;
}

/**
 * A choice field's choices: add, rename, remove. The server refuses to take away a choice that records still
 * hold (a rename takes the old one away): its words, with how many records, are shown here.
 */
export function ChoicesDialog({
  field,
  save,
  onSaved,
  onCancel,
}: {
  field: CustomFieldDefinition;
  save: UseMutationResult<CustomFieldDefinition, Error, string[]>;
  onSaved(): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const t = useMessages(customFieldsMessages);
  const nextKey = useRef(field.choices.length);
  const [choices, setChoices] = useState<DraftChoice[]>(() =>
    field.choices.map((c, key) => ({ key, was: c, value: c })),
  );
  const [added, setAdded] = useState<number | null>(null);
  const values = choices.map((c) => c.value.trim());
  const checked = CustomFieldUpdate.safeParse({ choices: values });
  // In the user's words what the contract refuses (the inputs and the add button keep to its limits, too).
  const problem = checked.success
    ? null
    : values.some((v) => v === "")
      ? t.choiceNeedsName
      : values.length === 0
        ? t.atLeastOneChoice
        : new Set(values).size < values.length
          ? t.eachChoiceOnce
          : values.length > 100
            ? t.tooManyChoices
            : t.choiceTooLong;
  const unchanged = values.length === field.choices.length && values.every((v, i) => v === field.choices[i]);
  const send = () => {
    if (checked.success && !save.isPending) save.mutate(values, { onSuccess: onSaved });
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface>
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            send();
          }}
        >
          <DialogBody>
            <DialogTitle>{translate(t.choicesOf, { label: field.label })}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text block>{t.choicesHeld}</Text>
              <ul className={styles.list} aria-label={translate(t.choicesOf, { label: field.label })}>
                {choices.map((c, index) => (
                  <li key={c.key} className={styles.choice}>
                    <Input
                      aria-label={
                        c.was === null
                          ? translate(t.newChoice, { n: index + 1 })
                          : translate(t.choice, { choice: c.was })
                      }
                      value={c.value}
                      maxLength={100}
                      // A choice just added is typed into at once.
                      autoFocus={c.key === added}
                      onChange={(_, d) =>
                        setChoices((all) => all.map((x) => (x.key === c.key ? { ...x, value: d.value } : x)))
                      }
                    />
                    <Button
                      icon={<DeleteRegular />}
                      aria-label={translate(t.removeChoice, { choice: c.value.trim() || index + 1 })}
                      onClick={() => setChoices((all) => all.filter((x) => x.key !== c.key))}
                    />
                  </li>
                ))}
              </ul>
              <div>
                <Button
                  icon={<AddRegular />}
                  disabled={choices.length >= 100}
                  onClick={() => {
                    const key = nextKey.current++;
                    setChoices((all) => [...all, { key, was: null, value: "" }]);
                    setAdded(key);
                  }}
                >
                  {t.addChoice}
                </Button>
              </div>
              {problem && <Text role="alert">{problem}</Text>}
              {save.isError && <ProblemMessage error={save.error} what={t.choicesNotSaved} onRetry={send} />}
            </DialogContent>
            <DialogActions>
              <Button onClick={onCancel} disabled={save.isPending}>
                {t.cancel}
              </Button>
              <Button
                type="submit"
                appearance="primary"
                disabled={!checked.success || unchanged}
                disabledFocusable={save.isPending}
              >
                {save.isPending ? t.saving : t.saveChoices}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
