import { Button, Field, Select, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { LANGUAGES, LANGUAGE_NAMES, type Language } from "../../../shared/languages";
import type { WebForm } from "../../../shared/web-forms";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLanguage, useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { CopyableLink } from "../settings/CopyableLink";
import { webFormsMessages } from "./web-forms-messages";

const useStyles = makeStyles({
  embed: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  snippet: { fontFamily: tokens.fontFamilyMonospace },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  hint: { color: tokens.colorNeutralForeground3 },
});

/**
 * Where a form lives and what to paste for it: the hosted page's link, and the plain form with its optional script,
 * its own words (the button, the consent box) in the language chosen for the site.
 */
export function WebFormEmbed({ form }: { form: WebForm }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(webFormsMessages);
  const [language, setLanguage] = useState<Language>(useLanguage().language);
  const [copied, setCopied] = useState(false);
  const embed = useQuery({
    queryKey: ["web-forms", form.id, "embed", language, form.version],
    queryFn: () => api("webFormEmbed", { params: { id: form.id }, query: { lang: language } }),
  });
  const snippet = embed.data
    ? `${embed.data.html}\n<script src="${embed.data.scriptUrl}" defer></script>`
    : "";
  const copy = () =>
    navigator.clipboard
      .writeText(snippet)
      .then(() => setCopied(true))
      // Without the clipboard the snippet stays selectable in its box.
      .catch(() => setCopied(false));
  return (
    <div className={styles.embed}>
      {embed.isPending && <Loading label={t.loadingEmbed} />}
      {embed.isError && (
        <ProblemMessage error={embed.error} onRetry={() => void embed.refetch()} what={t.embedNotLoaded} />
      )}
      {embed.data && (
        <>
          <CopyableLink label={t.hostedLink} link={embed.data.hostedUrl} />
          <Field label={t.snippetLanguage}>
            <Select
              value={language}
              onChange={(_, d) => {
                setCopied(false);
                setLanguage(d.value as Language);
              }}
            >
              {LANGUAGES.map((code) => (
                <option key={code} value={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t.snippet} hint={t.snippetHint}>
            <Textarea
              className={styles.snippet}
              readOnly
              rows={8}
              resize="vertical"
              value={snippet}
              onFocus={(e) => e.target.select()}
            />
          </Field>
          <div className={styles.row}>
            <Button onClick={() => void copy()}>{t.copySnippet}</Button>
            <span role="status" aria-live="polite">
              {copied && <Text>{t.copied}</Text>}
            </span>
          </div>
        </>
      )}
    </div>
  );
}
