import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../../client/problems";
import type { Company } from "../../../shared/companies";
import type { Contact } from "../../../shared/contacts";
import { translate } from "../../../shared/languages";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useUsers } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { duplicateMessages } from "./duplicate-messages";
import {
  type ChoiceField,
  type DuplicateKind,
  type Pair,
  changedFields,
  defaultPick,
  differingFields,
  mergeRequest,
  nameOf,
} from "./pairs";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  meta: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  confirm: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

type Words = (typeof duplicateMessages)["en"];

/** A field's label: the contact's title is "job title"; a custom field's is its definition's. */
function labelOf(
  key: string,
  kind: DuplicateKind,
  t: Words,
  customLabels: ReadonlyMap<string, string>,
): string {
  if (key.startsWith("customFields.")) {
    const customKey = key.slice("customFields.".length);
    return customLabels.get(customKey) ?? translate(t.custom, { key: customKey });
  }
  const words: Record<string, string> = {
    displayName: t.displayName,
    firstName: t.firstName,
    lastName: t.lastName,
    title: t.jobTitle,
    companyId: t.companyId,
    lifecycleStage: t.lifecycleStage,
    ownerId: t.owner,
    source: t.source,
    language: t.language,
    birthday: t.birthday,
    noAutomatedMail: t.noAutomatedMail,
    noMarketing: t.noMarketing,
    country: t.country,
    emails: t.emails,
    phones: t.phones,
    tags: t.tags,
    name: kind === "companies" ? t.companyName : t.displayName,
    domain: t.domainField,
    phone: t.phoneField,
    website: t.website,
    address: t.address,
  };
  return words[key] ?? key;
}

/** A company named by its id, read when shown. */
function CompanyName({ id }: { id: string }) {
  const { api } = useWebApp();
  const company = useQuery({
    queryKey: ["companies", "get", id],
    queryFn: () => api("getCompany", { params: { id } }),
  });
  return <>{company.data?.name ?? id}</>;
}

/** A user named as the organisation's list names them. */
function OwnerName({ id }: { id: string }) {
  const users = useUsers();
  const user = users.data?.items.find((u) => u.id === id);
  return <>{user?.displayName ?? user?.email ?? id}</>;
}

function Value({ field, value }: { field: string; value: unknown }) {
  const t = useMessages(duplicateMessages);
  if (value === null || value === undefined || value === "") return <>{t.empty}</>;
  if (typeof value === "boolean") return <>{value ? t.yes : t.no}</>;
  if (field === "companyId" && typeof value === "string") return <CompanyName id={value} />;
  if (field === "ownerId" && typeof value === "string") return <OwnerName id={value} />;
  if (field === "birthday" && typeof value === "object") {
    const { day, month, year } = value as { day: number; month: number; year: number | null };
    return <>{[day, month, year].filter((part) => part !== null).join(".")}</>;
  }
  return <>{typeof value === "object" ? JSON.stringify(value) : String(value)}</>;
}

/** What changed in a record read again after a refused merge: its name and the fields' labels. */
interface ChangedRecord {
  name: string;
  fields: string[];
}

/**
 * One pair merged: which record is kept, and for each field where they differ, whose value stays (the one with a
 * value by default, the kept record's where both have one). Merging asks once more, saying what is kept and what
 * moves. Both records' versions go with the request; when someone changed either meanwhile (409), "Try again"
 * reads both again, says what changed, and the next merge sends the versions just read, never the stale ones.
 */
export function MergeReview({
  kind,
  pair,
  onDone,
  onCancel,
}: {
  kind: DuplicateKind;
  pair: Pair;
  onDone(keptName: string): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(duplicateMessages);
  const queryClient = useQueryClient();
  const definitions = useCustomFieldDefinitions(api, kind === "contacts" ? "contact" : "company");
  const customLabels = new Map(definitions.map((d) => [d.key, d.label]));
  const label = (key: string) => labelOf(key, kind, t, customLabels);
  // The records as last read: the pair as listed, then as read again after a conflict.
  const [current, setCurrent] = useState<Pair>(pair);
  const [changed, setChanged] = useState<ChangedRecord[] | null>(null);
  const [keepFirst, setKeepFirst] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const fields: ChoiceField[] = differingFields(current);
  const [picks, setPicks] = useState<Record<string, "first" | "second">>({});
  const names = { first: nameOf(current.first), second: nameOf(current.second) };
  const kept = keepFirst ? names.first : names.second;
  const merged = keepFirst ? names.second : names.first;
  const pickOf = (field: ChoiceField) => picks[field.key] ?? defaultPick(field, keepFirst);
  const merge = useMutation({
    mutationFn: async () => {
      const chosen = Object.fromEntries(fields.map((f) => [f.key, pickOf(f)]));
      const { keptId, body } = mergeRequest(current, keepFirst, chosen);
      const result =
        kind === "contacts"
          ? await api("mergeContacts", { params: { id: keptId }, body })
          : await api("mergeCompanies", { params: { id: keptId }, body });
      return nameOf(result.kept);
    },
    onSuccess: async (keptName) => {
      await queryClient.invalidateQueries({ queryKey: ["duplicates", kind] });
      await queryClient.invalidateQueries({ queryKey: [kind] });
      onDone(keptName);
    },
  });
  const readAgain = useMutation({
    mutationFn: async (): Promise<Pair> => {
      const read = (id: string): Promise<Contact | Company> =>
        kind === "contacts" ? api("getContact", { params: { id } }) : api("getCompany", { params: { id } });
      const [first, second] = await Promise.all([read(current.first.id), read(current.second.id)]);
      return { ...current, first, second } as Pair;
    },
    onSuccess: (fresh) => {
      setChanged(
        (["first", "second"] as const)
          .map((side) => ({
            name: nameOf(fresh[side]),
            fields: changedFields(current[side], fresh[side]).map(label),
          }))
          .filter((record) => record.fields.length > 0),
      );
      setCurrent(fresh);
      merge.reset();
    },
  });
  // A 409 says the versions sent are stale: only reading both again may follow, never the same request.
  const stale = merge.error instanceof ApiError && merge.error.status === 409;
  const busy = merge.isPending || readAgain.isPending;
  return (
    <Section title={translate(t.mergeTitle, names)}>
      <div className={styles.form}>
        <RadioGroup
          aria-label={t.keep}
          value={keepFirst ? "first" : "second"}
          onChange={(_, data) => setKeepFirst(data.value === "first")}
        >
          <Radio value="first" label={translate(t.keepRecord, { name: names.first })} />
          <Radio value="second" label={translate(t.keepRecord, { name: names.second })} />
        </RadioGroup>
        <Text className={styles.meta}>{t.keepHelp}</Text>
        {changed !== null && (
          <MessageBar intent={changed.length ? "warning" : "info"} layout="multiline">
            <MessageBarBody role="status">
              {changed.length === 0
                ? t.readAgainSame
                : changed.map((record) => (
                    <Text block key={record.name}>
                      {translate(t.changedMeanwhile, { name: record.name, fields: record.fields.join(", ") })}
                    </Text>
                  ))}
            </MessageBarBody>
          </MessageBar>
        )}
        {fields.length === 0 ? (
          <Text>{t.sameEverywhere}</Text>
        ) : (
          <Table aria-label={t.choose} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.field}</TableHeaderCell>
                <TableHeaderCell>{t.choose}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {fields.map((field) => (
                <TableRow key={field.key}>
                  <TableCell>{label(field.key)}</TableCell>
                  <TableCell>
                    <RadioGroup
                      layout="horizontal"
                      aria-label={label(field.key)}
                      value={pickOf(field)}
                      onChange={(_, data) =>
                        setPicks((now) => ({ ...now, [field.key]: data.value as "first" | "second" }))
                      }
                    >
                      <Radio value="first" label={<Value field={field.key} value={field.first} />} />
                      <Radio value="second" label={<Value field={field.key} value={field.second} />} />
                    </RadioGroup>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {merge.isError && (
          <ProblemMessage
            error={merge.error}
            what={stale ? t.changedSinceRead : t.notMerged}
            onRetry={stale ? () => readAgain.mutate() : () => merge.mutate()}
          />
        )}
        {readAgain.isError && (
          <ProblemMessage error={readAgain.error} what={t.notReadAgain} onRetry={() => readAgain.mutate()} />
        )}
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy || stale} onClick={() => setConfirming(true)}>
            {merge.isPending ? t.merging : readAgain.isPending ? t.readingAgain : t.merge}
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            {t.cancel}
          </Button>
        </div>
      </div>
      {/* Escape, the close gesture and "Back" all leave the merge undone. */}
      <Dialog open={confirming} onOpenChange={(_, data) => setConfirming(data.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{translate(t.confirmTitle, { kept, merged })}</DialogTitle>
            <DialogContent className={styles.confirm}>
              <Text block>{translate(t.confirmKept, { kept })}</Text>
              <Text block>{translate(t.confirmMoves, { kept, merged })}</Text>
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                onClick={() => {
                  setConfirming(false);
                  setChanged(null);
                  merge.mutate();
                }}
              >
                {translate(t.confirmMerge, { merged, kept })}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t.back}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Section>
  );
}
