import { Button, Field, Input, Option, Switch, Text, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { AutoLoggedContent, LoggingPolicyUpdate } from "../../../shared/organizations";
import type { BlocklistEntry } from "../../../shared/mailboxes";
import { FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS } from "../../../shared/follow-ups";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMe } from "../../hooks";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { type SettingsWord, settingsMessages } from "./settings-messages";
import { Dropdown } from "../../components/choice-inputs";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  form: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  entry: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
});

/** Every wait a follow-up may have, as the server accepts it. */
const FOLLOW_UP_DAY_CHOICES = Array.from({ length: FOLLOW_UP_MAX_DAYS - FOLLOW_UP_MIN_DAYS + 1 }, (_, i) =>
  String(FOLLOW_UP_MIN_DAYS + i),
);

const CONTENT: Record<AutoLoggedContent, SettingsWord> = {
  metadata: "contentMetadata",
  subject: "contentSubject",
  excerpt: "contentExcerpt",
};

/** What the organisation logs by itself, and the addresses and domains it never logs. */
export function LoggingSettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const me = useMe();
  const t = useMessages(settingsMessages);
  const change = useChange(
    (update: LoggingPolicyUpdate) => api("updateLoggingPolicy", { body: update }),
    [["me"]],
  );
  const policy = me.data?.organization.loggingPolicy;
  return (
    <Section title={t.loggingSection}>
      {me.isPending && <Loading label={t.loadingPolicy} />}
      {me.isError && (
        <ProblemMessage error={me.error} onRetry={() => void me.refetch()} what={t.policyNotLoaded} />
      )}
      {policy && (
        <div className={styles.column}>
          <Switch
            label={t.logOnSend}
            checked={policy.logOnSendToKnownContacts}
            disabled={!admin || change.isPending}
            onChange={(_, d) => change.mutate({ logOnSendToKnownContacts: d.checked })}
          />
          <Switch
            label={t.syncAllMailboxes}
            checked={policy.syncAllMailboxes}
            disabled={!admin || change.isPending}
            onChange={(_, d) => change.mutate({ syncAllMailboxes: d.checked })}
          />
          <Field label={t.autoLoggedContent}>
            <Dropdown
              value={t[CONTENT[policy.autoLoggedContent]]}
              selectedOptions={[policy.autoLoggedContent]}
              disabled={!admin || change.isPending}
              onOptionSelect={(_, d) =>
                d.optionValue && change.mutate({ autoLoggedContent: d.optionValue as AutoLoggedContent })
              }
            >
              {(Object.keys(CONTENT) as AutoLoggedContent[]).map((c) => (
                <Option key={c} value={c}>
                  {t[CONTENT[c]]}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Switch
            label={t.followUpOpenDeals}
            checked={policy.followUpOpenDeals}
            disabled={!admin || change.isPending}
            onChange={(_, d) => change.mutate({ followUpOpenDeals: d.checked })}
          />
          {/* Also the days the pane suggests when a rep asks for a reminder, so it stays set while the switch is off. */}
          <Field label={t.followUpDays}>
            <Dropdown
              value={String(policy.followUpDays)}
              selectedOptions={[String(policy.followUpDays)]}
              disabled={!admin || change.isPending}
              onOptionSelect={(_, d) =>
                d.optionValue && change.mutate({ followUpDays: Number(d.optionValue) })
              }
            >
              {FOLLOW_UP_DAY_CHOICES.map((days) => (
                <Option key={days} value={days}>
                  {days}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <ChangeStatus change={change} what={t.policyNotChanged} />
        </div>
      )}
      <Blocklist admin={admin} />
    </Section>
  );
}

function Blocklist({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(settingsMessages);
  const list = useQuery({
    queryKey: ["blocklist", "organization"],
    queryFn: () => api("listBlocklist", { query: { scope: "organization" } }),
  });
  const [entry, setEntry] = useState("");
  const add = useChange(
    (text: string) => api("addBlocklistEntry", { body: { scope: "organization", entry: text } }),
    [["blocklist"], ["me"]],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(entry.trim(), { onSuccess: () => setEntry("") });
  };
  return (
    <div className={styles.column}>
      <Text as="h3" weight="semibold">
        {t.blocklistHeading}
      </Text>
      {list.isPending && <Loading label={t.loadingBlocklist} />}
      {list.isError && (
        <ProblemMessage error={list.error} onRetry={() => void list.refetch()} what={t.blocklistNotLoaded} />
      )}
      {list.data &&
        (list.data.items.length === 0 ? (
          <EmptyState>{t.blocklistEmpty}</EmptyState>
        ) : (
          <ul className={styles.list} aria-label={t.blockedList}>
            {list.data.items.map((item) => (
              <BlockedEntry key={item.id} item={item} admin={admin} />
            ))}
          </ul>
        ))}
      {admin && (
        <form className={styles.form} aria-label={t.blockForm} onSubmit={submit}>
          <Field label={t.blockWhom} hint={t.blockHint}>
            <Input value={entry} onChange={(_, d) => setEntry(d.value)} />
          </Field>
          <Button type="submit" icon={<AddRegular />} disabled={!entry.trim() || add.isPending}>
            {t.block}
          </Button>
          <ChangeStatus change={add} what={t.notBlocked} done={t.blocked} />
        </form>
      )}
    </div>
  );
}

function BlockedEntry({ item, admin }: { item: BlocklistEntry; admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(settingsMessages);
  const remove = useChange(
    () => api("removeBlocklistEntry", { params: { id: item.id } }),
    [["blocklist"], ["me"]],
  );
  return (
    <li className={styles.entry}>
      <Text>{item.entry}</Text>
      {admin && (
        <Button
          size="small"
          icon={<DeleteRegular />}
          aria-label={translate(t.unblock, { entry: item.entry })}
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined)}
        />
      )}
      <ChangeStatus
        change={remove}
        what={translate(t.notUnblocked, { entry: item.entry })}
        done={t.unblocked}
      />
    </li>
  );
}
