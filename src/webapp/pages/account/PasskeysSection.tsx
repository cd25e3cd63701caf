import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Passkey } from "../../../shared/accounts";
import { translate } from "../../../shared/languages";
import { type CreatePasskey, PasskeyNotMade } from "../../auth/passkey-ceremony";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDate } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "../settings/ConfirmDialog";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column" },
  item: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  grow: { flexGrow: 1 },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "24rem" },
  done: { color: tokens.colorPaletteGreenForeground1 },
  warning: { color: tokens.colorPaletteRedForeground1 },
});

const PASSKEYS = ["passkeys"] as const;

/** The user's passkeys: listed, added (the browser's ceremony, with the current password), removed after asking. */
export function PasskeysSection({ createPasskey }: { createPasskey: CreatePasskey }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(accountMessages);
  const queryClient = useQueryClient();
  const passkeys = useQuery({ queryKey: PASSKEYS, queryFn: () => api("listPasskeys", {}) });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const add = useMutation({
    mutationFn: async () => {
      const options = await api("passkeyRegistrationOptions", {});
      const response = await createPasskey(options);
      return api("registerPasskey", {
        body: { response, currentPassword: password, ...(name.trim() ? { name: name.trim() } : {}) },
      });
    },
    onSuccess: () => {
      setName("");
      setPassword("");
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: PASSKEYS }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== "" && !add.isPending) add.mutate();
  };
  const notMade = add.error instanceof PasskeyNotMade ? add.error : null;
  const label = (p: Passkey) => p.name ?? t.unnamedPasskey;
  return (
    <Section title={t.passkeysSection}>
      <Text block>{t.passkeysIntro}</Text>
      {passkeys.isPending && <Loading label={t.loadingPasskeys} />}
      {passkeys.isError && (
        <ProblemMessage
          error={passkeys.error}
          onRetry={() => void passkeys.refetch()}
          what={t.passkeysNotLoaded}
        />
      )}
      {passkeys.data &&
        (passkeys.data.items.length === 0 ? (
          <EmptyState>{t.noPasskeys}</EmptyState>
        ) : (
          <ul className={styles.list} aria-label={t.passkeysSection}>
            {passkeys.data.items.map((p) => (
              <li key={p.id} className={styles.item}>
                <Text weight="semibold">{label(p)}</Text>
                <Text className={styles.grow}>
                  {translate(t.passkeyAddedOn, { date: formatDate(p.createdAt) })},{" "}
                  {p.lastUsedAt
                    ? translate(t.passkeyLastUsed, { date: formatDate(p.lastUsedAt) })
                    : t.passkeyNeverUsed}
                </Text>
                <Button
                  aria-label={translate(t.removePasskey, { name: label(p) })}
                  onClick={() => setRemoving(p)}
                >
                  {t.remove}
                </Button>
              </li>
            ))}
          </ul>
        ))}
      <form className={styles.form} onSubmit={submit}>
        <Field label={t.passkeyName}>
          <Input value={name} maxLength={100} onChange={(_, d) => setName(d.value)} />
        </Field>
        <Field label={t.passkeyPassword} required>
          <Input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(_, d) => setPassword(d.value)}
          />
        </Field>
        <div>
          <Button type="submit" disabledFocusable={password === "" || add.isPending}>
            {add.isPending ? t.addingPasskey : t.addPasskey}
          </Button>
        </div>
        <span role="status" aria-live="polite">
          {add.isSuccess && <Text className={styles.done}>{t.passkeyAdded}</Text>}
        </span>
        {notMade && (
          <Text role="alert" className={styles.warning}>
            {notMade.reason === "unsupported" ? t.passkeysUnsupported : t.passkeyCancelled}
          </Text>
        )}
        {add.isError && !notMade && (
          <ProblemMessage error={add.error} what={t.passkeyNotAdded} onRetry={() => add.mutate()} />
        )}
      </form>
      {removing && (
        <RemovePasskey passkey={removing} name={label(removing)} onClose={() => setRemoving(null)} />
      )}
    </Section>
  );
}

function RemovePasskey({ passkey, name, onClose }: { passkey: Passkey; name: string; onClose(): void }) {
  const { api } = useWebApp();
  const t = useMessages(accountMessages);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api("removePasskey", { params: { id: passkey.id } }),
    onSuccess: onClose,
    onSettled: () => queryClient.invalidateQueries({ queryKey: PASSKEYS }),
  });
  return (
    <ConfirmDialog
      title={t.removePasskeyTitle}
      text={translate(t.removePasskeyText, { name })}
      confirm={t.remove}
      pending={t.removing}
      change={remove}
      what={t.passkeyNotRemoved}
      onClose={onClose}
    />
  );
}
