import {
  Button,
  Input,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TagUsage } from "../../../shared/tags";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { ConfirmDialog } from "./ConfirmDialog";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

const useStyles = makeStyles({
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
});
const TOUCHES = [["tags"]] as const;

/** The tags on contacts, with how many carry each: admins rename (merging) or remove them everywhere. */
export function TagsSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => api("listTags", {}) });
  const [notice, setNotice] = useState<string | null>(null);
  const t = useMessages(settingsMessages);
  return (
    <Section title={t.tagsSection}>
      <span role="status" aria-live="polite">
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </span>
      {tags.isPending && <Loading label={t.loadingTags} />}
      {tags.isError && (
        <ProblemMessage error={tags.error} onRetry={() => void tags.refetch()} what={t.tagsNotLoaded} />
      )}
      {tags.data &&
        (tags.data.items.length === 0 ? (
          <EmptyState>{t.noTags}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.tagsCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.tag}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.contacts}</TableHeaderCell>
                {admin && <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {tags.data.items.map((tag) => (
                <TagRow key={tag.name} tag={tag} admin={admin} onRemoved={setNotice} />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function TagRow({ tag, admin, onRemoved }: { tag: TagUsage; admin: boolean; onRemoved(text: string): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(settingsMessages);
  const [name, setName] = useState(tag.name);
  const rename = useChange(
    (to: string) => api("renameTag", { params: { tag: tag.name }, body: { name: to } }),
    TOUCHES,
  );
  const [removing, setRemoving] = useState(false);
  const remove = useChange<void, unknown>(async () => {
    const result = await api("deleteTag", { params: { tag: tag.name } });
    // Said by the section: once the list is read again this row and its dialog are gone.
    onRemoved(translate(t.tagRemoved, { tag: tag.name }));
    return result;
  }, TOUCHES);
  return (
    <TableRow>
      <TableCell>
        {admin ? (
          <Input
            aria-label={translate(t.tagName, { tag: tag.name })}
            value={name}
            onChange={(_, d) => setName(d.value)}
          />
        ) : (
          tag.name
        )}
      </TableCell>
      <TableCell>{tag.contacts}</TableCell>
      {admin && (
        <TableCell>
          <div className={styles.actions}>
            <Button
              disabled={!name.trim() || name.trim() === tag.name || rename.isPending}
              onClick={() => rename.mutate(name.trim())}
            >
              {t.rename}
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={translate(t.removeTagButton, { tag: tag.name })}
              onClick={() => setRemoving(true)}
            />
          </div>
          <ChangeStatus change={rename} what={t.tagNotRenamed} done={t.renamed} />
          {removing && (
            <ConfirmDialog
              title={translate(t.removeTagTitle, { tag: tag.name })}
              text={translate(tag.contacts === 1 ? t.removeTagTextOne : t.removeTagTextOther, {
                count: tag.contacts,
              })}
              confirm={t.removeTag}
              pending={t.removing}
              change={remove}
              what={t.tagNotRemoved}
              onClose={() => setRemoving(false)}
            />
          )}
        </TableCell>
      )}
    </TableRow>
  );
}
