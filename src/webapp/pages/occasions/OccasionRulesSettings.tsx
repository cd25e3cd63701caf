import {
  Button,
  Field,
  Input,
  Select,
  Switch,
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
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { EditRegular } from "@fluentui/react-icons/svg/edit";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { OccasionKind, OccasionMode, OccasionRule, OccasionRuleScope } from "../../../shared/occasions";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { ConfirmDialog } from "../settings/ConfirmDialog";
import { occasionMessages } from "./occasion-messages";

const useStyles = makeStyles({
  form: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(180px, 1fr))",
    gap: tokens.spacingHorizontalM,
    alignItems: "end",
  },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
  intro: { color: tokens.colorNeutralForeground3 },
});
const TOUCHES = [["occasion-rules"]] as const;

/** What the form edits: a new rule, or one being changed (with the version it read). */
interface Draft {
  name: string;
  scope: OccasionRuleScope;
  kind: OccasionKind;
  timing: "after" | "yearly";
  days: string;
  templateId: string;
  mode: OccasionMode;
  active: boolean;
}
const EMPTY: Draft = {
  name: "",
  scope: "personal",
  kind: "birthday",
  timing: "after",
  days: "30",
  templateId: "",
  mode: "draft",
  active: true,
};
const draftOf = (rule: OccasionRule): Draft => ({
  name: rule.name,
  scope: rule.scope,
  kind: rule.kind,
  timing: rule.timing && "yearly" in rule.timing ? "yearly" : "after",
  days: rule.timing && "afterDays" in rule.timing ? String(rule.timing.afterDays) : "30",
  templateId: rule.templateId,
  mode: rule.mode,
  active: rule.active,
});
const timingOf = (d: Draft) =>
  d.kind === "birthday"
    ? null
    : d.timing === "yearly"
      ? { yearly: true as const }
      : { afterDays: Number(d.days) };

/**
 * The occasion rules: the organisation's (admins write them) and the reader's own. Each rep turns sending on or off
 * for themselves; until they do, a send-mode rule drafts in their mailbox.
 */
export function OccasionRulesSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const t = useMessages(occasionMessages);
  const styles = useStyles();
  const rules = useQuery({ queryKey: ["occasion-rules"], queryFn: () => api("listOccasionRules", {}) });
  const templates = useQuery({
    queryKey: ["templates", "occasion-choices"],
    queryFn: () => api("listTemplates", { query: { limit: 100 } }),
  });
  const [editing, setEditing] = useState<OccasionRule | null>(null);
  const templateName = (id: string) => templates.data?.items.find((x) => x.id === id)?.name ?? "";
  return (
    <Section title={t.rulesSection}>
      <Text className={styles.intro}>{t.rulesIntro}</Text>
      {rules.isPending && <Loading label={t.loadingRules} />}
      {rules.isError && (
        <ProblemMessage error={rules.error} onRetry={() => void rules.refetch()} what={t.rulesNotLoaded} />
      )}
      {rules.data &&
        (rules.data.items.length === 0 ? (
          <EmptyState>{t.noRules}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.rulesCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.ruleName}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.occasion}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.template}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.scope}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.mode}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.active}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.sendFromMine}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rules.data.items.map((rule) => (
                <RuleRow
                  key={rule.id}
                  rule={rule}
                  templateName={templateName(rule.templateId)}
                  canWrite={rule.scope === "personal" || admin}
                  onEdit={() => setEditing(rule)}
                />
              ))}
            </TableBody>
          </Table>
        ))}
      <RuleForm
        key={editing?.id ?? "new"}
        admin={admin}
        rule={editing}
        templates={(templates.data?.items ?? []).filter((x) => !x.archived)}
        onDone={() => setEditing(null)}
      />
    </Section>
  );
}

function RuleRow({
  rule,
  templateName,
  canWrite,
  onEdit,
}: {
  rule: OccasionRule;
  templateName: string;
  canWrite: boolean;
  onEdit(): void;
}) {
  const { api } = useWebApp();
  const t = useMessages(occasionMessages);
  const styles = useStyles();
  const [confirming, setConfirming] = useState(false);
  const remove = useChange<void>(() => api("deleteOccasionRule", { params: { id: rule.id } }), TOUCHES);
  const sending = useChange(
    (enabled: boolean) => api("setOccasionSending", { params: { id: rule.id }, body: { enabled } }),
    TOUCHES,
  );
  const occasion =
    rule.kind === "birthday"
      ? t.kindBirthday
      : rule.timing && "afterDays" in rule.timing
        ? translate(t.afterDays, { days: rule.timing.afterDays })
        : t.yearly;
  return (
    <TableRow>
      <TableCell>{rule.name}</TableCell>
      <TableCell>{occasion}</TableCell>
      <TableCell>{templateName}</TableCell>
      <TableCell>{rule.scope === "organization" ? t.scopeOrganization : t.scopePersonal}</TableCell>
      <TableCell>{rule.mode === "send" ? t.modeSend : t.modeDraft}</TableCell>
      <TableCell>{rule.active ? t.yes : t.no}</TableCell>
      <TableCell>
        {rule.mode === "send" && (
          <>
            <Switch
              label={translate(t.sendingOn, { name: rule.name })}
              checked={rule.sendingFromMyMailbox}
              disabled={sending.isPending}
              onChange={(_, data) => sending.mutate(data.checked)}
            />
            <ChangeStatus change={sending} what={t.sendingNotChanged} />
          </>
        )}
      </TableCell>
      <TableCell>
        {canWrite && (
          <div className={styles.actions}>
            <Button
              appearance="subtle"
              icon={<EditRegular />}
              aria-label={translate(t.editRule, { name: rule.name })}
              onClick={onEdit}
            />
            <Button
              appearance="subtle"
              icon={<DeleteRegular />}
              aria-label={translate(t.deleteRule, { name: rule.name })}
              onClick={() => setConfirming(true)}
            />
          </div>
        )}
        {confirming && (
          <ConfirmDialog
            title={translate(t.deleteRule, { name: rule.name })}
            text={translate(t.deleteQuestion, { name: rule.name })}
            confirm={t.delete}
            pending={t.saving}
            change={remove}
            what={t.notDeleted}
            onClose={() => setConfirming(false)}
          />
        )}
      </TableCell>
    </TableRow>
  );
}

function RuleForm({
  admin,
  rule,
  templates,
  onDone,
}: {
  admin: boolean;
  rule: OccasionRule | null;
  templates: { id: string; name: string }[];
  onDone(): void;
}) {
  const { api } = useWebApp();
  const t = useMessages(occasionMessages);
  const styles = useStyles();
  const [draft, setDraft] = useState<Draft>(rule ? draftOf(rule) : EMPTY);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useChange(async (d: Draft) => {
    const templateId = d.templateId || templates[0]?.id || "";
    const saved = rule
      ? await api("updateOccasionRule", {
          params: { id: rule.id },
          body: {
            name: d.name,
            templateId,
            mode: d.mode,
            active: d.active,
            ...(d.kind === "won_deal" ? { timing: timingOf(d) ?? undefined } : {}),
            version: rule.version,
          },
        })
      : await api("createOccasionRule", {
          body: {
            scope: d.scope,
            name: d.name,
            kind: d.kind,
            timing: timingOf(d),
            templateId,
            mode: d.mode,
            active: d.active,
          },
        });
    onDone();
    return saved;
  }, TOUCHES);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };
  if (templates.length === 0) return <EmptyState>{t.noTemplates}</EmptyState>;
  return (
    <form onSubmit={submit} aria-label={rule ? translate(t.editRule, { name: rule.name }) : t.newRule}>
      <div className={styles.form}>
        <Field label={t.ruleName} required>
          <Input value={draft.name} onChange={(_, data) => set({ name: data.value })} />
        </Field>
        {!rule && admin && (
          <Field label={t.scope}>
            <Select
              value={draft.scope}
              onChange={(_, data) => set({ scope: data.value as OccasionRuleScope })}
            >
              <option value="personal">{t.scopePersonal}</option>
              <option value="organization">{t.scopeOrganization}</option>
            </Select>
          </Field>
        )}
        {!rule && (
          <Field label={t.occasion}>
            <Select value={draft.kind} onChange={(_, data) => set({ kind: data.value as OccasionKind })}>
              <option value="birthday">{t.kindBirthday}</option>
              <option value="won_deal">{t.kindWonDeal}</option>
            </Select>
          </Field>
        )}
        {draft.kind === "won_deal" && (
          <Field label={t.timing}>
            <Select
              value={draft.timing}
              onChange={(_, data) => set({ timing: data.value === "yearly" ? "yearly" : "after" })}
            >
              <option value="after">{t.timingAfter}</option>
              <option value="yearly">{t.timingYearly}</option>
            </Select>
          </Field>
        )}
        {draft.kind === "won_deal" && draft.timing === "after" && (
          <Field label={t.days}>
            <Input
              type="number"
              min={1}
              max={3650}
              value={draft.days}
              onChange={(_, data) => set({ days: data.value })}
            />
          </Field>
        )}
        <Field label={t.template}>
          <Select
            value={draft.templateId || templates[0]?.id}
            onChange={(_, data) => set({ templateId: data.value })}
          >
            {templates.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.mode}>
          <Select value={draft.mode} onChange={(_, data) => set({ mode: data.value as OccasionMode })}>
            <option value="draft">{t.modeDraft}</option>
            <option value="send">{t.modeSend}</option>
          </Select>
        </Field>
        <Switch
          label={t.active}
          checked={draft.active}
          onChange={(_, data) => set({ active: data.checked })}
        />
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabledFocusable={save.isPending}>
            {save.isPending ? t.saving : rule ? t.save : t.newRule}
          </Button>
          {rule && <Button onClick={onDone}>{t.cancel}</Button>}
        </div>
      </div>
      <ChangeStatus change={save} what={t.notSaved} done={t.saved} />
    </form>
  );
}
