import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Spinner,
  Subtitle2,
  Switch,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Dismiss16Regular } from "@fluentui/react-icons/svg/dismiss";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { BlocklistEntryText, type Mailbox, type MySettingsUpdate } from "../../../shared/mailboxes";
import { useAccountState } from "../hooks/useAccount";
import { useMe } from "../hooks/useMe";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
  list: { listStyle: "none", margin: 0, padding: 0 },
  row: { display: "flex", alignItems: "center", justifyContent: "space-between" },
  add: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end" },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * The rep's own switches (auto-log on open, their mailbox in the sync), where their mailbox sync stands, and the
 * addresses and domains they never want logged. Changes are saved at once; the server is the record.
 */
export function SettingsPanel() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const me = useMe();
  const mailbox = useQuery({ queryKey: ["mailboxes"], queryFn: () => api("listMailboxes", {}) });
  const blocklist = useQuery({
    queryKey: ["blocklist", "personal"],
    queryFn: () => api("listBlocklist", { query: { scope: "personal" } }),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["me"] });
    void queryClient.invalidateQueries({ queryKey: ["mailboxes"] });
    void queryClient.invalidateQueries({ queryKey: ["blocklist"] });
  };
  const change = useMutation({
    mutationFn: (body: MySettingsUpdate) => api("updateMySettings", { body }),
    onSettled: refresh,
  });
  const add = useMutation({
    mutationFn: (entry: string) => api("addBlocklistEntry", { body: { scope: "personal", entry } }),
    onSuccess: () => setDraft(""),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api("removeBlocklistEntry", { params: { id } }),
    onSettled: refresh,
  });
  const [draft, setDraft] = useState("");
  const [invalid, setInvalid] = useState(false);

  if (me.isPending) return <Spinner size="small" label={t("lookingUp")} />;
  if (me.isError) return <ErrorMessage error={me.error} onRetry={() => void me.refetch()} />;
  const settings = change.isPending ? { ...me.data.settings, ...change.variables } : me.data.settings;
  const own = mailbox.data?.items.find((m) => m.userId === me.data.user.id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = BlocklistEntryText.safeParse(draft);
    setInvalid(!parsed.success);
    // As the rep wrote it: the server keeps that to show, and compares it canonically.
    if (parsed.success) add.mutate(parsed.data.written);
  };

  return (
    <section className={styles.panel} aria-label={t("settings")}>
      <Subtitle2>{t("settings")}</Subtitle2>
      <Switch
        checked={settings.autoLogOpened}
        label={t("autoLogOpened")}
        onChange={(_, data) => change.mutate({ autoLogOpened: data.checked })}
      />
      <Switch
        checked={!settings.syncOptedOut}
        label={t("syncMyMailbox")}
        onChange={(_, data) => change.mutate({ syncOptedOut: !data.checked })}
      />
      {own && <Caption1 className={styles.muted}>{<MailboxStatusLine mailbox={own} />}</Caption1>}
      {change.isError && <ErrorMessage error={change.error} />}

      <Subtitle2>{t("myBlocklist")}</Subtitle2>
      {blocklist.isPending && <Spinner size="tiny" />}
      {blocklist.isError && <ErrorMessage error={blocklist.error} onRetry={() => void blocklist.refetch()} />}
      {blocklist.data &&
        (blocklist.data.items.length === 0 ? (
          <Body1 className={styles.muted}>{t("blocklistEmpty")}</Body1>
        ) : (
          <ul className={styles.list}>
            {blocklist.data.items.map((entry) => (
              <li key={entry.id} className={styles.row}>
                <Body1>{entry.entry}</Body1>
                <Button
                  appearance="subtle"
                  size="small"
                  icon={<Dismiss16Regular />}
                  aria-label={t("unblock", { entry: entry.entry })}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(entry.id)}
                />
              </li>
            ))}
          </ul>
        ))}
      <form className={styles.add} onSubmit={submit}>
        <Field
          label={t("blockWhom")}
          validationState={invalid ? "error" : "none"}
          validationMessage={invalid ? t("blocklistInvalid") : undefined}
        >
          <Input
            value={draft}
            placeholder="anna@example.com, @example.com"
            onChange={(_, data) => {
              setDraft(data.value);
              setInvalid(false);
            }}
          />
        </Field>
        <Button type="submit" disabled={add.isPending || draft.trim() === ""}>
          {t("block")}
        </Button>
      </form>
      {add.isError && <ErrorMessage error={add.error} />}
      {remove.isError && <ErrorMessage error={remove.error} />}
      <AccountSignOut />
    </section>
  );
}

/** Where the rep signed in with Rapport's own account: who they are, and signing out (the server's session ends). */
function AccountSignOut() {
  const styles = useStyles();
  const { t } = useI18n();
  const { account } = useServices();
  const state = useAccountState();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: async () => account?.signOut(),
    // What the pane showed was the signed-in rep's: not kept for whoever signs in next.
    onSuccess: () => queryClient.clear(),
  });
  if (state?.kind !== "signedIn") return null;
  return (
    <div className={styles.row}>
      <Caption1 className={styles.muted}>{t("signedInAs", { address: state.address })}</Caption1>
      <Button size="small" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
        {signOut.isPending ? t("signingOut") : t("signOut")}
      </Button>
    </div>
  );
}

function MailboxStatusLine({ mailbox }: { mailbox: Mailbox }) {
  const { t, formatDateTime } = useI18n();
  const at = (value: string | null) => (value ? formatDateTime(value) : "—");
  switch (mailbox.status) {
    case "ok":
      return <>{t("syncOk", { date: at(mailbox.lastSuccessAt) })}</>;
    case "pending":
      return <>{t("syncPending")}</>;
    case "backing_off":
      return <>{t("syncBackingOff", { date: at(mailbox.retryAt) })}</>;
    case "failing":
      return <>{t("syncFailing", { detail: mailbox.lastError ?? "", date: at(mailbox.retryAt) })}</>;
    case "not_enabled":
      return <>{t("syncNotEnabled")}</>;
    case "opted_out":
      return <>{t("syncOptedOut")}</>;
    case "not_configured":
      return <>{t("syncNotConfigured")}</>;
  }
}
