import {
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { RenderedTemplate, Template } from "../../../shared/templates";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";
import { htmlToText } from "./html-to-text";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    maxHeight: "12rem",
    overflowY: "auto",
  },
  item: { justifyContent: "flex-start", textAlign: "start", width: "100%" },
  hint: { color: tokens.colorNeutralForeground3 },
  frame: {
    width: "100%",
    minHeight: "10rem",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
});

/** The recipient a template is filled in for: the first one on the draft who is in Rapport. */
export interface TemplateRecipient {
  id: string;
  displayName: string;
}

const PAGE = 20;
const SEARCH_PAUSE_MS = 250;

/**
 * Compose's templates: the rep's, those used last first, searchable; one picked is filled in for the recipient
 * by the server and shown before it goes into the draft, at the cursor (and as the subject when the draft has none).
 */
export function ComposeTemplates({
  recipient,
  recipients,
}: {
  recipient: TemplateRecipient | null;
  /** How many people the draft goes to: with more than one, a survey link (the recipient's own) is left out. */
  recipients: number;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [query, setQuery] = useState("");
  const [q, setQ] = useState("");
  // The server is asked once the rep pauses typing, not at every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(query.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  const [picked, setPicked] = useState<Template | null>(null);
  const templates = useQuery({
    queryKey: ["templates", "recent", q],
    queryFn: () => api("listTemplates", { query: { order: "recent", limit: PAGE, ...(q ? { q } : {}) } }),
    placeholderData: keepPreviousData,
  });

  return (
    <section className={styles.section} aria-label={t("templates")}>
      <Subtitle2 as="h2">{t("templates")}</Subtitle2>
      <Field label={t("templatesSearch")}>
        <Input type="search" value={query} onChange={(_, data) => setQuery(data.value)} />
      </Field>
      {templates.isPending && <Spinner size="small" label={t("templatesLoading")} />}
      {templates.isError && <ErrorMessage error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data &&
        (templates.data.items.length === 0 ? (
          q ? (
            <Caption1 className={styles.hint}>{t("templatesNoMatch", { query: q })}</Caption1>
          ) : (
            <Caption1 className={styles.hint}>
              {t("templatesNone")}{" "}
              <Link href="/app/templates" target="_blank" rel="noreferrer">
                {t("templatesOpenWebApp")}
              </Link>
            </Caption1>
          )
        ) : (
          <ul className={styles.list} aria-label={t("templates")}>
            {templates.data.items.map((template) => (
              <li key={template.id}>
                <Button
                  className={styles.item}
                  appearance={picked?.id === template.id ? "primary" : "subtle"}
                  aria-pressed={picked?.id === template.id}
                  onClick={() => setPicked(template)}
                >
                  {template.folder ? `${template.name} · ${template.folder}` : template.name}
                </Button>
              </li>
            ))}
          </ul>
        ))}
      {picked &&
        (recipient ? (
          // Keyed: another template or recipient starts from its own preview, never the last one's "Inserted".
          <TemplateFill
            key={`${picked.id}:${recipient.id}`}
            template={picked}
            recipient={recipient}
            surveyLinks={recipients <= 1}
          />
        ) : (
          <Caption1 className={styles.hint}>{t("templatesNeedContact")}</Caption1>
        ))}
    </section>
  );
}

/** One template filled in for the recipient: what it says, what it lacks, and putting it into the draft. */
function TemplateFill({
  template,
  recipient,
  surveyLinks,
}: {
  template: Template;
  recipient: TemplateRecipient;
  surveyLinks: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api, mailbox } = useServices();
  const rendered = useQuery({
    queryKey: ["templateRender", template.id, template.version, recipient.id, surveyLinks],
    queryFn: () =>
      api("renderTemplate", {
        params: { id: template.id },
        // The contact's one open deal fills {{deal.…}} when they have exactly one (the server picks it). A survey
        // link records its answer as this contact's: sent to several people, each could answer in their name.
        body: {
          contactId: recipient.id,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          ...(surveyLinks ? {} : { surveyLinks: false }),
        },
      }),
    staleTime: 0,
  });
  const insert = useMutation({
    mutationFn: async (filled: RenderedTemplate) => {
      await mailbox.insertIntoDraft({ html: filled.html, text: htmlToText(filled.html) });
      await mailbox.setSubjectIfEmpty(filled.subject);
      await mailbox.setInsertedTemplate(filled.templateId);
    },
  });

  if (rendered.isPending) return <Spinner size="small" label={t("templateRendering")} />;
  if (rendered.isError)
    return <ErrorMessage error={rendered.error} onRetry={() => void rendered.refetch()} />;
  const filled = rendered.data;
  return (
    <div className={styles.section}>
      <Caption1>{t("templateFor", { name: recipient.displayName })}</Caption1>
      <Text weight="semibold">{t("templateSubject", { subject: filled.subject })}</Text>
      {filled.unfilled.length > 0 ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {t("templateUnfilled", {
              count: String(filled.unfilled.length),
              fields: filled.unfilled.join(", "),
            })}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Caption1>{t("templateAllFilled")}</Caption1>
      )}
      {/* The server's sanitised HTML with the values escaped in, in a frame that runs nothing and reaches nothing. */}
      <iframe
        className={styles.frame}
        sandbox=""
        srcDoc={filled.html}
        title={t("templatePreviewFrame", { name: template.name })}
      />
      <div className={styles.actions}>
        <Button appearance="primary" disabled={insert.isPending} onClick={() => insert.mutate(filled)}>
          {insert.isPending ? t("templateInserting") : t("templateInsert")}
        </Button>
        <span role="status" aria-live="polite">
          {insert.isSuccess && <Text>{t("templateInserted")}</Text>}
        </span>
      </div>
      {insert.isError && <ErrorMessage error={insert.error} onRetry={() => insert.mutate(filled)} />}
    </div>
  );
}
