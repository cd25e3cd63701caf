import { Field, Input } from "@fluentui/react-components";
import { PASSWORD_MIN_LENGTH } from "../../shared/accounts";

/** Whether a new password typed twice may be sent: long enough (in characters, as the server counts) and agreed. */
export const newPasswordReady = (password: string, repeated: string): boolean =>
  [...password].length >= PASSWORD_MIN_LENGTH && password === repeated;

/**
 * A new password, typed twice, for every form that sets one (an invitation, a reset, the first set-up, a change
 * on the account page); the form's submit waits for `newPasswordReady`. The words come from the form's own
 * catalogue.
 */
export function NewPasswordFields({
  password,
  repeated,
  onPassword,
  onRepeated,
  words,
}: {
  password: string;
  repeated: string;
  onPassword(value: string): void;
  onRepeated(value: string): void;
  words: { newPassword: string; hint: string; repeatPassword: string; passwordsDiffer: string };
}) {
  const differ = repeated.length > 0 && repeated !== password;
  return (
    <>
      <Field label={words.newPassword} hint={words.hint} required>
        <Input
          type="password"
          autoComplete="new-password"
          value={password}
          minLength={PASSWORD_MIN_LENGTH}
          onChange={(_, d) => onPassword(d.value)}
        />
      </Field>
      <Field
        label={words.repeatPassword}
        required
        validationState={differ ? "error" : "none"}
        validationMessage={differ ? words.passwordsDiffer : undefined}
      >
        <Input
          type="password"
          autoComplete="new-password"
          value={repeated}
          onChange={(_, d) => onRepeated(d.value)}
        />
      </Field>
    </>
  );
}
