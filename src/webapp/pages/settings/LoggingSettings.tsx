import {
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  Switch,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, DeleteRegular } from "@fluentui/react-icons";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { AutoLoggedContent, LoggingPolicyUpdate } from "../../../shared/organizations";
import type { BlocklistEntry } from "../../../shared/mailboxes";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMe } from "../../hooks";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";

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

const CONTENT: Record<AutoLoggedContent, string> = {
  metadata: "Who and when only",
  subject: "Also the subject",
  excerpt: "Subject and a text excerpt",
};

/** What the organisation logs by itself, and the addresses and domains it never logs. */
export function LoggingSettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const me = useMe();
  const change = useChange(
    (update: LoggingPolicyUpdate) => api("updateLoggingPolicy", { body: update }),
    [["me"]],
  );
  const policy = me.data?.organization.loggingPolicy;
  return (
    <Section title="Logging policy and blocklist">
      {me.isPending && <Loading label="Loading the policy…" />}
      {me.isError && (
        <ProblemMessage
          error={me.error}
          onRetry={() => void me.refetch()}
          what="The policy could not be loaded"
        />
      )}
      {policy && (
        <div className={styles.column}>
          <Switch
            label="Log mail sent to known contacts as it is sent"
            checked={policy.logOnSendToKnownContacts}
            disabled={!admin || change.isPending}
            onChange={(_, d) => change.mutate({ logOnSendToKnownContacts: d.checked })}
          />
          <Switch
            label="Sync every user's mailbox"
            checked={policy.syncAllMailboxes}
            disabled={!admin || change.isPending}
            onChange={(_, d) => change.mutate({ syncAllMailboxes: d.checked })}
          />
          <Field label="What automatically logged mail keeps">
            <Dropdown
              value={CONTENT[policy.autoLoggedContent]}
              selectedOptions={[policy.autoLoggedContent]}
              disabled={!admin || change.isPending}
              onOptionSelect={(_, d) =>
                d.optionValue && change.mutate({ autoLoggedContent: d.optionValue as AutoLoggedContent })
              }
            >
              {(Object.keys(CONTENT) as AutoLoggedContent[]).map((c) => (
                <Option key={c} value={c}>
                  {CONTENT[c]}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <ChangeStatus change={change} what="The policy was not changed" />
        </div>
      )}
      <Blocklist admin={admin} />
    </Section>
  );
}

function Blocklist({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
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
        Never logged (the organisation's blocklist)
      </Text>
      {list.isPending && <Loading label="Loading the blocklist…" />}
      {list.isError && (
        <ProblemMessage
          error={list.error}
          onRetry={() => void list.refetch()}
          what="The blocklist could not be loaded"
        />
      )}
      {list.data &&
        (list.data.items.length === 0 ? (
          <EmptyState>Nothing blocked: the privacy rules still skip internal and bulk mail.</EmptyState>
        ) : (
          <ul className={styles.list} aria-label="Blocked addresses and domains">
            {list.data.items.map((item) => (
              <BlockedEntry key={item.id} item={item} admin={admin} />
            ))}
          </ul>
        ))}
      {admin && (
        <form className={styles.form} aria-label="Block an address or domain" onSubmit={submit}>
          <Field
            label="Address or @domain"
            hint="anna@contoso.com, or @contoso.com for the domain and its subdomains"
          >
            <Input value={entry} onChange={(_, d) => setEntry(d.value)} />
          </Field>
          <Button type="submit" icon={<AddRegular />} disabled={!entry.trim() || add.isPending}>
            Block
          </Button>
          <ChangeStatus change={add} what="Not blocked" done="Blocked." />
        </form>
      )}
    </div>
  );
}

function BlockedEntry({ item, admin }: { item: BlocklistEntry; admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
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
          aria-label={`Unblock ${item.entry}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined)}
        />
      )}
      <ChangeStatus change={remove} what={`${item.entry} was not unblocked`} done="Unblocked." />
    </li>
  );
}
