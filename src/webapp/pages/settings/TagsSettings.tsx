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
import { DeleteRegular } from "@fluentui/react-icons";
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

const useStyles = makeStyles({
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
});
const TOUCHES = [["tags"]] as const;

/** The tags on contacts, with how many carry each: admins rename (merging) or remove them everywhere. */
export function TagsSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => api("listTags", {}) });
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Section title="Tags">
      <span role="status" aria-live="polite">
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </span>
      {tags.isPending && <Loading label="Loading the tags…" />}
      {tags.isError && (
        <ProblemMessage
          error={tags.error}
          onRetry={() => void tags.refetch()}
          what="The tags could not be loaded"
        />
      )}
      {tags.data &&
        (tags.data.items.length === 0 ? (
          <EmptyState>No contact carries a tag yet.</EmptyState>
        ) : (
          <Table size="small">
            <caption>Tags and the contacts that carry them</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">Tag</TableHeaderCell>
                <TableHeaderCell scope="col">Contacts</TableHeaderCell>
                {admin && <TableHeaderCell scope="col">Actions</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {tags.data.items.map((t) => (
                <TagRow key={t.name} tag={t} admin={admin} onRemoved={setNotice} />
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
  const [name, setName] = useState(tag.name);
  const rename = useChange(
    (to: string) => api("renameTag", { params: { tag: tag.name }, body: { name: to } }),
    TOUCHES,
  );
  const [removing, setRemoving] = useState(false);
  const remove = useChange<void, unknown>(async () => {
    const result = await api("deleteTag", { params: { tag: tag.name } });
    // Said by the section: once the list is read again this row and its dialog are gone.
    onRemoved(`Tag “${tag.name}” removed from every contact.`);
    return result;
  }, TOUCHES);
  return (
    <TableRow>
      <TableCell>
        {admin ? (
          <Input
            aria-label={`Name of tag “${tag.name}”`}
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
              Rename
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={`Remove tag “${tag.name}” from every contact`}
              onClick={() => setRemoving(true)}
            />
          </div>
          <ChangeStatus change={rename} what="The tag was not renamed" done="Renamed." />
          {removing && (
            <ConfirmDialog
              title={`Remove tag “${tag.name}”?`}
              text={`It is taken off ${tag.contacts} contact${tag.contacts === 1 ? "" : "s"}. This cannot be undone.`}
              confirm="Remove tag"
              pending="Removing…"
              change={remove}
              what="The tag was not removed"
              onClose={() => setRemoving(false)}
            />
          )}
        </TableCell>
      )}
    </TableRow>
  );
}
