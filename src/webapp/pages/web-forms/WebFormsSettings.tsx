import {
  Button,
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
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { translate } from "../../../shared/languages";
import type { User } from "../../../shared/users";
import type { WebForm } from "../../../shared/web-forms";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMe, useUsers } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "../settings/ConfirmDialog";
import { useChange } from "../settings/change";
import { type FormDraft, bodyOf, draftOf, newDraft } from "./form-draft";
import { LEADS_PATH } from "./paths";
import { useTargetLabel } from "./target-labels";
import { WebFormEditor } from "./WebFormEditor";
import { WebFormEmbed } from "./WebFormEmbed";
import { webFormsMessages } from "./web-forms-messages";

const useStyles = makeStyles({
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
  title: { color: tokens.colorNeutralForeground3 },
});

export const WEB_FORMS = ["web-forms"] as const;

/** Who a form's leads go to, in words: the colleague, or the colleagues in turn. */
export function ownerText(form: WebForm, users: readonly User[], inTurn: string): string {
  const name = (id: string) => {
    const user = users.find((u) => u.id === id);
    return user?.displayName ?? user?.email ?? id;
  };
  return form.owner.kind === "user"
    ? name(form.owner.userId)
    : translate(inTurn, { names: form.owner.userIds.map(name).join(", ") });
}

/**
 * The organisation's web forms (admins only): make one, change it, see where it lives and what to paste for it,
 * delete it; each links to its leads.
 */
export function WebFormsSettings() {
  const { api } = useWebApp();
  const t = useMessages(webFormsMessages);
  const forms = useQuery({ queryKey: WEB_FORMS, queryFn: () => api("listWebForms", {}) });
  const users = useUsers();
  const [editing, setEditing] = useState<"new" | WebForm | null>(null);
  return (
    <Section
      title={t.section}
      actions={
        editing === null && (
          <Button icon={<AddRegular />} onClick={() => setEditing("new")}>
            {t.newForm}
          </Button>
        )
      }
    >
      <Text>{t.intro}</Text>
      {editing !== null && (
        <FormChange form={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
      )}
      {forms.isPending && <Loading label={t.loading} />}
      {forms.isError && (
        <ProblemMessage error={forms.error} onRetry={() => void forms.refetch()} what={t.notLoaded} />
      )}
      {forms.data &&
        (forms.data.items.length === 0 ? (
          editing === null && <EmptyState>{t.none}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.caption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.owner}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {forms.data.items.map((form) => (
                <FormRow
                  key={form.id}
                  form={form}
                  users={users.data?.items ?? []}
                  onEdit={() => setEditing(form)}
                />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function FormRow({ form, users, onEdit }: { form: WebForm; users: readonly User[]; onEdit(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(webFormsMessages);
  const [showEmbed, setShowEmbed] = useState(false);
  const [removing, setRemoving] = useState(false);
  const remove = useChange<void, unknown>(
    () => api("deleteWebForm", { params: { id: form.id } }),
    [WEB_FORMS],
  );
  return (
    <>
      <TableRow>
        <TableCell>
          <AppLink to={`${LEADS_PATH}/${form.id}`}>{form.name}</AppLink>
          {form.title && <Text className={styles.title}> · {form.title}</Text>}
        </TableCell>
        <TableCell>{ownerText(form, users, t.inTurn)}</TableCell>
        <TableCell>
          <div className={styles.actions}>
            <Button size="small" aria-label={translate(t.editForm, { name: form.name })} onClick={onEdit}>
              {t.edit}
            </Button>
            <Button
              size="small"
              aria-expanded={showEmbed}
              aria-label={showEmbed ? t.hideEmbed : translate(t.embedForm, { name: form.name })}
              onClick={() => setShowEmbed(!showEmbed)}
            >
              {showEmbed ? t.hideEmbed : t.embed}
            </Button>
            <Button
              size="small"
              aria-label={translate(t.removeForm, { name: form.name })}
              onClick={() => setRemoving(true)}
            >
              {t.remove}
            </Button>
          </div>
          {removing && (
            <ConfirmDialog
              title={t.removeTitle}
              text={translate(t.removeText, { name: form.name })}
              confirm={t.remove}
              pending={t.removing}
              change={remove}
              what={t.notRemoved}
              onClose={() => setRemoving(false)}
            />
          )}
        </TableCell>
      </TableRow>
      {showEmbed && (
        <TableRow>
          <TableCell colSpan={3}>
            <WebFormEmbed form={form} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

/** A new form, or a change to one: the editor, sent as a create or as an update of the version it was read at. */
function FormChange({ form, onDone }: { form: WebForm | null; onDone(): void }) {
  const { api } = useWebApp();
  const t = useMessages(webFormsMessages);
  const me = useMe();
  const users = useUsers();
  const customFields = useQuery({ queryKey: ["customFields"], queryFn: () => api("listCustomFields", {}) });
  const labelOf = useTargetLabel(customFields.data?.items ?? []);
  const [draft, setDraft] = useState<FormDraft>(() =>
    form ? draftOf(form) : newDraft(labelOf, me.data?.user.id ?? ""),
  );
  const save = useChange(
    (next: FormDraft) =>
      form
        ? api("updateWebForm", { params: { id: form.id }, body: { ...bodyOf(next), version: form.version } })
        : api("createWebForm", { body: bodyOf(next) }),
    [WEB_FORMS],
  );
  return (
    <Section title={form ? translate(t.editTitle, { name: form.name }) : t.newTitle}>
      <WebFormEditor
        draft={draft}
        onChange={setDraft}
        customFields={customFields.data?.items ?? []}
        users={users.data?.items ?? []}
        consentVersion={form?.consentVersion ?? null}
        submit={form ? (save.isPending ? t.saving : t.save) : save.isPending ? t.creating : t.create}
        submitting={save.isPending}
        onSubmit={() => save.mutate(draft, { onSuccess: onDone })}
        onCancel={onDone}
      >
        {save.isError && (
          <ProblemMessage error={save.error} what={t.notSaved} onRetry={() => save.mutate(draft)} />
        )}
      </WebFormEditor>
    </Section>
  );
}
