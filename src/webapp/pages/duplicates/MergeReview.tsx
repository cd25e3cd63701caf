import {
  Button,
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
import { translate } from "../../../shared/languages";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { duplicateMessages } from "./duplicate-messages";
import {
  type ChoiceField,
  type DuplicateKind,
  type Pair,
  differingFields,
  mergeRequest,
  nameOf,
} from "./pairs";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  meta: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

type Words = (typeof duplicateMessages)["en"];

/** A field's label: the contact's title is "job title" (the page's own title is the page's). */
function labelOf(key: string, kind: DuplicateKind, t: Words): string {
  if (key.startsWith("customFields.")) return translate(t.custom, { key: key.slice("customFields.".length) });
  const words: Record<string, string> = {
    displayName: t.displayName,
    firstName: t.firstName,
    lastName: t.lastName,
    title: t.jobTitle,
    companyId: t.companyId,
    lifecycleStage: t.lifecycleStage,
    source: t.source,
    language: t.language,
    birthday: t.birthday,
    noAutomatedMail: t.noAutomatedMail,
    noMarketing: t.noMarketing,
    country: t.country,
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

function Value({ field, value }: { field: string; value: unknown }) {
  const t = useMessages(duplicateMessages);
  if (value === null || value === undefined || value === "") return <>{t.empty}</>;
  if (typeof value === "boolean") return <>{value ? t.yes : t.no}</>;
  if (field === "companyId" && typeof value === "string") return <CompanyName id={value} />;
  if (field === "birthday" && typeof value === "object") {
    const { day, month, year } = value as { day: number; month: number; year: number | null };
    return <>{[day, month, year].filter((part) => part !== null).join(".")}</>;
  }
  return <>{typeof value === "object" ? JSON.stringify(value) : String(value)}</>;
}

/**
 * One pair merged: which record is kept, and for each field where they differ, whose value stays. Both records'
 * versions go with the request; a change made meanwhile comes back as a problem to retry from the list.
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
  const [keepFirst, setKeepFirst] = useState(true);
  const fields: ChoiceField[] = differingFields(pair);
  const [picks, setPicks] = useState<Record<string, "first" | "second">>({});
  const names = { first: nameOf(pair.first), second: nameOf(pair.second) };
  const pickOf = (key: string) => picks[key] ?? (keepFirst ? "first" : "second");
  const merge = useMutation({
    mutationFn: async () => {
      const chosen = Object.fromEntries(fields.map((f) => [f.key, pickOf(f.key)]));
      const { keptId, body } = mergeRequest(pair, keepFirst, chosen);
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
                  <TableCell>{labelOf(field.key, kind, t)}</TableCell>
                  <TableCell>
                    <RadioGroup
                      layout="horizontal"
                      aria-label={labelOf(field.key, kind, t)}
                      value={pickOf(field.key)}
                      onChange={(_, data) =>
                        setPicks((current) => ({ ...current, [field.key]: data.value as "first" | "second" }))
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
          <ProblemMessage error={merge.error} what={t.notMerged} onRetry={() => merge.mutate()} />
        )}
        <div className={styles.actions}>
          <Button appearance="primary" disabled={merge.isPending} onClick={() => merge.mutate()}>
            {merge.isPending ? t.merging : t.merge}
          </Button>
          <Button onClick={onCancel} disabled={merge.isPending}>
            {t.cancel}
          </Button>
        </div>
      </div>
    </Section>
  );
}
