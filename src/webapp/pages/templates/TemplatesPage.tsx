import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
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
import { SearchRegular } from "@fluentui/react-icons/svg/search";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { translate } from "../../../shared/languages";
import type { Template, TemplateScope } from "../../../shared/templates";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMe } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { TemplateEditor } from "./TemplateEditor";
import { templatesMessages } from "./templates-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  filters: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
});

/** How long typing pauses before the list is searched. */
const SEARCH_PAUSE_MS = 250;

/** The organisation's templates and the rep's own: search, open one to edit and preview it, or write a new one. */
export default function TemplatesPage() {
  const styles = useStyles();
  const { api } = useWebApp();
  const me = useMe();
  const t = useMessages(templatesMessages);
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [showArchived, setShowArchived] = useState(false);
  const [scope, setScope] = useState<TemplateScope | "">("");
  const [folder, setFolder] = useState("");
  const [tag, setTag] = useState("");
  const [open, setOpen] = useState<Template | "new" | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const templates = useQuery({
    queryKey: ["templates", q, showArchived, scope, folder, tag],
    queryFn: () =>
      api("listTemplates", {
        query: {
          q: q || undefined,
          archived: showArchived ? "all" : "false",
          scope: scope || undefined,
          folder: folder || undefined,
          tag: tag || undefined,
          limit: 200,
        },
      }),
    placeholderData: keepPreviousData,
  });
  // The folders and tags to filter by: those of every template the rep sees, archived ones too.
  const all = useQuery({
    queryKey: ["templates", "facets"],
    queryFn: () => api("listTemplates", { query: { archived: "all", limit: 200 } }),
  });
  const folders = [...new Set((all.data?.items ?? []).flatMap((t) => (t.folder ? [t.folder] : [])))].sort();
  const tags = [...new Set((all.data?.items ?? []).flatMap((t) => t.tags))].sort();
  const admin = me.data?.user.role === "admin";
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {t.title}
      </Text>
      <Section
        title={t.listCaption}
        actions={
          <Button icon={<AddRegular />} appearance="primary" onClick={() => setOpen("new")}>
            {t.newTemplate}
          </Button>
        }
      >
        <div className={styles.filters}>
          <Input
            aria-label={t.search}
            placeholder={t.search}
            contentBefore={<SearchRegular />}
            value={typed}
            onChange={(_, d) => setTyped(d.value)}
          />
          <Field label={t.scopeFilter} orientation="horizontal">
            <Select value={scope} onChange={(_, d) => setScope(d.value as TemplateScope | "")}>
              <option value="">{t.allScopes}</option>
              <option value="organization">{t.organization}</option>
              <option value="personal">{t.personal}</option>
            </Select>
          </Field>
          <Field label={t.folderFilter} orientation="horizontal">
            <Select value={folder} onChange={(_, d) => setFolder(d.value)}>
              <option value="">{t.anyFolder}</option>
              {folders.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t.tagFilter} orientation="horizontal">
            <Select value={tag} onChange={(_, d) => setTag(d.value)}>
              <option value="">{t.anyTag}</option>
              {tags.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
          <Checkbox
            label={t.showArchived}
            checked={showArchived}
            onChange={(_, d) => setShowArchived(d.checked === true)}
          />
        </div>
        {templates.isPending && <Loading label={t.loading} />}
        {templates.isError && (
          <ProblemMessage
            error={templates.error}
            onRetry={() => void templates.refetch()}
            what={t.notLoaded}
          />
        )}
        {templates.data &&
          (templates.data.items.length === 0 ? (
            <EmptyState>{t.none}</EmptyState>
          ) : (
            <Table size="small">
              <caption>{t.listCaption}</caption>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.scope}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.folder}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.tagsColumn}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.languages}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {templates.data.items.map((template) => (
                  <TableRow key={template.id}>
                    <TableCell>
                      <Button
                        appearance="transparent"
                        aria-label={translate(t.edit, { name: template.name })}
                        onClick={() => setOpen(template)}
                      >
                        {template.name}
                      </Button>
                      {template.archived && ` (${t.archived})`}
                    </TableCell>
                    <TableCell>{template.scope === "organization" ? t.organization : t.personal}</TableCell>
                    <TableCell>{template.folder ?? ""}</TableCell>
                    <TableCell>{template.tags.join(", ")}</TableCell>
                    <TableCell>{Object.keys(template.variants).join(", ")}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ))}
      </Section>
      {open !== null && (
        <TemplateEditor
          key={open === "new" ? "new" : `${open.id}:${open.version}`}
          template={open === "new" ? null : open}
          admin={admin}
          onSaved={setOpen}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
