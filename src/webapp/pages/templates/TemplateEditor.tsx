import {
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, lazy, useState } from "react";
import { LANGUAGES, LANGUAGE_NAMES, type Language, translate } from "../../../shared/languages";
import type { Template, TemplateScope } from "../../../shared/templates";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { TemplatePreview } from "./TemplatePreview";
import { templatesMessages } from "./templates-messages";

// Lexical and the toolbar are a chunk of their own, fetched when a template is opened: the list, and every
// other page, paint without them.
const RichTextEditor = lazy(
  () => import(/* webpackChunkName: "template-editor" */ "./editor/RichTextEditor"),
);

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "60rem" },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "center" },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

type Texts = Record<Language, { subject: string; html: string }>;

const textsOf = (template: Template | null): Texts =>
  Object.fromEntries(LANGUAGES.map((l) => [l, template?.variants[l] ?? { subject: "", html: "" }])) as Texts;

/** One template: its name, whose it is, its folder and tags, its text per language; saved, archived, previewed. */
export function TemplateEditor({
  template,
  admin,
  onSaved,
  onClose,
}: {
  template: Template | null;
  admin: boolean;
  onSaved(template: Template): void;
  onClose(): void;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const t = useMessages(templatesMessages);
  const [name, setName] = useState(template?.name ?? "");
  const [scope, setScope] = useState<TemplateScope>(template?.scope ?? (admin ? "organization" : "personal"));
  const [folder, setFolder] = useState(template?.folder ?? "");
  const [tags, setTags] = useState((template?.tags ?? []).join(", "));
  const [texts, setTexts] = useState<Texts>(() => textsOf(template));
  const [language, setLanguage] = useState<Language>(LANGUAGES.find((l) => template?.variants[l]) ?? "en");
  // Only the organisation's admins write its templates; a member reads them here.
  const writable = template === null || template.scope === "personal" || admin;

  const variants = () =>
    Object.fromEntries(
      LANGUAGES.filter((l) => texts[l].subject.trim() || texts[l].html.trim()).map((l) => [l, texts[l]]),
    );
  const fields = () => ({
    name: name.trim(),
    folder: folder.trim() || null,
    tags: tags
      .split(",")
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ""),
    variants: variants(),
  });
  // What is saved is read at the click, from the page as drawn then: the mutation's own function is renewed only
  // after React's effects run, so a closure over this render's state could send an edit behind (the last merge field
  // inserted just before Save was lost that way).
  const save = useMutation({
    mutationFn: ({ body, archived }: { body: ReturnType<typeof fields>; archived?: boolean }) =>
      template === null
        ? api("createTemplate", { body: { ...body, scope } })
        : api("updateTemplate", {
            params: { id: template.id },
            body: { ...body, ...(archived === undefined ? {} : { archived }), version: template.version },
          }),
    onSuccess: (saved) => onSaved(saved),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["templates"] }),
  });
  const stats = useQuery({
    queryKey: ["templateStats", template?.id],
    queryFn: () => api("templateStats", { params: { id: template?.id as string } }),
    enabled: template !== null,
  });

  return (
    <Section
      title={template === null ? t.newTitle : t.editorTitle}
      actions={<Button onClick={onClose}>{t.close}</Button>}
    >
      <div className={styles.form}>
        {!writable && <Text>{t.adminsOnly}</Text>}
        {stats.data && (
          <Text>
            {stats.data.used === 0
              ? t.usedNever
              : translate(t.used, { used: stats.data.used, answered: stats.data.answered })}
          </Text>
        )}
        <Field label={t.name} required>
          <Input value={name} onChange={(_, d) => setName(d.value)} disabled={!writable} />
        </Field>
        {template === null && (
          <Field label={t.scope}>
            <RadioGroup
              value={scope}
              onChange={(_, d) => setScope(d.value as TemplateScope)}
              layout="horizontal"
            >
              <Radio value="organization" label={t.organization} disabled={!admin} />
              <Radio value="personal" label={t.personal} />
            </RadioGroup>
          </Field>
        )}
        <div className={styles.row}>
          <Field label={t.folder}>
            <Input value={folder} onChange={(_, d) => setFolder(d.value)} disabled={!writable} />
          </Field>
          <Field label={t.tags}>
            <Input value={tags} onChange={(_, d) => setTags(d.value)} disabled={!writable} />
          </Field>
        </div>
        <TabList
          aria-label={t.languages}
          selectedValue={language}
          onTabSelect={(_, d) => setLanguage(d.value as Language)}
        >
          {LANGUAGES.map((l) => (
            <Tab key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </Tab>
          ))}
        </TabList>
        <Field label={t.subject}>
          <Input
            value={texts[language].subject}
            disabled={!writable}
            onChange={(_, d) => setTexts({ ...texts, [language]: { ...texts[language], subject: d.value } })}
          />
        </Field>
        <Suspense fallback={<Loading label={t.loadingEditor} />}>
          {/* One editor per language, mounted with that language's body as it stands: edits in another tab
              were kept in `texts` and come back with it. */}
          <RichTextEditor
            key={language}
            label={t.body}
            sourceLabel={t.bodySource}
            hint={t.bodyHint}
            html={texts[language].html}
            disabled={!writable}
            onChange={(html) =>
              setTexts((current) => ({ ...current, [language]: { ...current[language], html } }))
            }
          />
        </Suspense>
        {writable && (
          <div className={styles.row}>
            <Button
              appearance="primary"
              disabled={!name.trim() || save.isPending}
              onClick={() => save.mutate({ body: fields() })}
            >
              {t.save}
            </Button>
            {template !== null && (
              <Button
                disabled={save.isPending}
                onClick={() => save.mutate({ body: fields(), archived: !template.archived })}
              >
                {template.archived ? t.restore : t.archive}
              </Button>
            )}
            <span role="status" aria-live="polite">
              {save.isPending && <Text>{t.saving}</Text>}
              {save.isSuccess && <Text className={styles.done}>{t.saved}</Text>}
            </span>
          </div>
        )}
        {save.isError && (
          <ProblemMessage
            error={save.error}
            what={t.notSaved}
            onRetry={() => save.mutate({ archived: save.variables?.archived, body: fields() })}
          />
        )}
        {template !== null && <TemplatePreview template={template} />}
      </div>
    </Section>
  );
}
