import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Select,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { LinkMultiple20Regular } from "@fluentui/react-icons/svg/link-multiple";
import { useMutation, useQueries } from "@tanstack/react-query";
import { useState } from "react";
import type { Interaction, InteractionLinkAdd, InteractionLinkRemove } from "../../../shared/interactions";
import { translate } from "../../../shared/languages";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMessages } from "../../i18n/language";
import { LINKED_KINDS, type LinkedKind, linkedRecordKey } from "../../lists/linked-records";
import { RecordPicker } from "../../lists/RecordPicker";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { useWebApp } from "../../services";
import { relationshipMessages } from "./relationship-messages";

const useStyles = makeStyles({
  line: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  meta: { color: tokens.colorNeutralForeground3 },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** The names of records by id, read under the key the pickers and record pages share. */
function useNames(kind: LinkedKind, ids: readonly string[]): string[] {
  const { api } = useWebApp();
  const kinds = useMessages(recordKindMessages);
  const reads = useQueries({
    queries: ids.map((id) => ({
      queryKey: linkedRecordKey(kind, id),
      queryFn: () => LINKED_KINDS[kind].get(api, id),
      staleTime: 60_000,
    })),
  });
  return reads.map((read) => read.data?.name ?? (read.isError ? kinds[`${kind}Unreadable`] : "…"));
}

type Change = { add: InteractionLinkAdd } | { remove: InteractionLinkRemove };

/**
 * An interaction's deals and companies, under it on a timeline, and a button that opens the dialog to change them.
 * A timeline row that changes is read again when the dialog closes: an interaction unlinked from the record whose
 * page this is leaves its timeline then, not while the dialog is still open on it.
 */
export function InteractionLinks({
  interaction,
  onChanged,
}: {
  interaction: Interaction;
  onChanged(): void;
}) {
  const styles = useStyles();
  const t = useMessages(relationshipMessages);
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState(interaction);
  const [changed, setChanged] = useState(false);
  // The newest of the server's answers and the page's copy wins: two quick changes may be answered out of order,
  // and once the page is read again its copy catches up and later reads show through.
  const shown = current.version > interaction.version ? current : interaction;
  const deals = useNames("deal", shown.dealIds);
  const companies = useNames(
    "company",
    shown.companies.map((c) => c.id),
  );
  const dealText = deals.map((name, i) =>
    i === 0 && deals.length > 1 ? translate(t.primaryMark, { name }) : name,
  );
  const subject = interaction.subject || t.noSubject;
  return (
    <div className={styles.line}>
      {dealText.length > 0 && (
        <Text size={200} className={styles.meta}>
          {translate(t.linkedDeals, { names: dealText.join(", ") })}
        </Text>
      )}
      {companies.length > 0 && (
        <Text size={200} className={styles.meta}>
          {translate(t.linkedCompanies, { names: companies.join(", ") })}
        </Text>
      )}
      <Button
        size="small"
        appearance="subtle"
        icon={<LinkMultiple20Regular />}
        aria-label={translate(t.editLinksOf, { subject })}
        onClick={() => {
          setCurrent(shown);
          setOpen(true);
        }}
      >
        {t.editLinks}
      </Button>
      {open && (
        <LinksDialog
          interaction={shown}
          onInteraction={(next) => {
            setCurrent((before) => (next.version >= before.version ? next : before));
            setChanged(true);
          }}
          onClose={() => {
            setOpen(false);
            if (changed) onChanged();
            setChanged(false);
          }}
        />
      )}
    </div>
  );
}

/**
 * The deals (and which is primary) and the companies an interaction is linked to, each change sent at once. The
 * companies its people belong to are named but cannot be taken off: they follow the contacts.
 */
function LinksDialog({
  interaction,
  onInteraction,
  onClose,
}: {
  interaction: Interaction;
  onInteraction(next: Interaction): void;
  onClose(): void;
}) {
  const styles = useStyles();
  const t = useMessages(relationshipMessages);
  const { api } = useWebApp();
  const change = useMutation({
    mutationFn: (c: Change) =>
      "add" in c
        ? api("linkInteraction", { params: { id: interaction.id }, body: c.add })
        : api("unlinkInteraction", { params: { id: interaction.id }, query: c.remove }),
    onSuccess: onInteraction,
  });
  const viaPeople = interaction.companies.filter((c) => c.via === "contact").map((c) => c.id);
  const byHand = interaction.companies.filter((c) => c.via === "link").map((c) => c.id);
  const peopleNames = useNames("company", viaPeople);
  const dealNames = useNames("deal", interaction.dealIds);
  /** The picker changes one record at a time: what it added or took off becomes one request. */
  const diff = (kind: "dealId" | "companyId", before: string[], after: string[]) => {
    const added = after.find((id) => !before.includes(id));
    const removed = before.find((id) => !after.includes(id));
    const record = (id: string) => (kind === "dealId" ? { dealId: id } : { companyId: id });
    if (added) change.mutate({ add: record(added) });
    else if (removed) change.mutate({ remove: record(removed) });
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{t.linksTitle}</DialogTitle>
          <DialogContent className={styles.form}>
            <Text weight="semibold">{interaction.subject || t.noSubject}</Text>
            <Field label={t.linksDeals}>
              <RecordPicker
                kind="deal"
                multiple
                label={t.linksDeals}
                ids={interaction.dealIds}
                onIds={(ids) => diff("dealId", interaction.dealIds, ids)}
              />
            </Field>
            {interaction.dealIds.length > 1 && (
              <Field label={t.linksPrimary} hint={t.linksPrimaryHint}>
                <Select
                  value={interaction.dealId ?? ""}
                  disabled={change.isPending}
                  onChange={(_, data) => change.mutate({ add: { dealId: data.value, primary: true } })}
                >
                  {interaction.dealIds.map((id, i) => (
                    <option key={id} value={id}>
                      {dealNames[i]}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <Field label={t.linksCompanies}>
              <RecordPicker
                kind="company"
                multiple
                label={t.linksCompanies}
                ids={byHand}
                onIds={(ids) => diff("companyId", byHand, ids)}
              />
            </Field>
            {viaPeople.length > 0 && (
              <Text size={200} className={styles.meta}>
                {translate(t.linksThroughPeople, { names: peopleNames.join(", ") })}
              </Text>
            )}
            <div aria-live="polite">
              {change.isPending && <Text size={200}>{t.linksSaving}</Text>}
              {change.isSuccess && <Text size={200}>{t.linksSaved}</Text>}
            </div>
            {change.isError && (
              <ProblemMessage
                error={change.error}
                what={t.linksNotSaved}
                onRetry={() => change.variables && change.mutate(change.variables)}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t.close}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
