import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { PASSWORD_MIN_LENGTH } from "../../../shared/accounts";
import { translate } from "../../../shared/languages";
import { NewPasswordFields, newPasswordReady } from "../../components/NewPasswordFields";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "24rem" },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

/** The current password and the new one twice; the server ends the user's other sessions and says how many. */
export function PasswordSection() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(accountMessages);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const change = useMutation({
    mutationFn: () => api("changePassword", { body: { currentPassword: current, newPassword: next } }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setAgain("");
    },
  });
  const ready = current !== "" && newPasswordReady(next, again);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready && !change.isPending) change.mutate();
  };
  return (
    <Section title={t.passwordSection}>
      <form className={styles.form} onSubmit={submit}>
        <Field label={t.currentPassword} required>
          <Input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(_, d) => setCurrent(d.value)}
          />
        </Field>
        <NewPasswordFields
          password={next}
          repeated={again}
          onPassword={setNext}
          onRepeated={setAgain}
          words={{
            newPassword: t.newPassword,
            hint: translate(t.passwordRule, { min: PASSWORD_MIN_LENGTH }),
            repeatPassword: t.repeatPassword,
            passwordsDiffer: t.passwordsDiffer,
          }}
        />
        <div>
          <Button type="submit" appearance="primary" disabledFocusable={!ready || change.isPending}>
            {change.isPending ? t.changingPassword : t.changePassword}
          </Button>
        </div>
        <span role="status" aria-live="polite">
          {change.isSuccess && (
            <Text className={styles.done}>{translate(t.passwordChanged, { count: change.data.ended })}</Text>
          )}
        </span>
        {change.isError && (
          <ProblemMessage error={change.error} what={t.passwordNotChanged} onRetry={() => change.mutate()} />
        )}
      </form>
    </Section>
  );
}
