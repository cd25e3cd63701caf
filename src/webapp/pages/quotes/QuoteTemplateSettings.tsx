import { Button, Field, Input, Select, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useEffect, useState } from "react";
import { LANGUAGES, LANGUAGE_NAMES, type Language, translate } from "../../../shared/languages";
import { QUOTE_LOGO_MAX_BYTES, type QuoteTemplate } from "../../../shared/quotes";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { quoteMessages } from "./quote-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "40em" },
  logo: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const KEY = ["quoteTemplate"];
const MAX_KB = QUOTE_LOGO_MAX_BYTES / 1024;

/** The organisation's quote template: admins set it; members see what a quote holds for. */
export function QuoteTemplateSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const t = useMessages(quoteMessages);
  const template = useQuery({ queryKey: KEY, queryFn: () => api("getQuoteTemplate", {}) });
  return (
    <Section title={t.templateTitle}>
      <Text>{t.templateIntro}</Text>
      {template.isPending && <Loading label={t.loadingTemplate} />}
      {template.isError && (
        <ProblemMessage
          error={template.error}
          onRetry={() => void template.refetch()}
          what={t.templateNotLoaded}
        />
      )}
      {template.data &&
        (admin ? (
          <>
            <LogoSettings template={template.data} />
            <TemplateForm template={template.data} />
          </>
        ) : (
          <Text>{translate(t.readOnlyTemplate, { days: template.data.validityDays })}</Text>
        ))}
    </Section>
  );
}

function TemplateForm({ template }: { template: QuoteTemplate }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(quoteMessages);
  const [form, setForm] = useState(() => formOf(template));
  // The form follows the template's words as the server has them, and only them: a logo uploaded meanwhile (a
  // new version of the same words) must not wipe what the admin has typed and not yet saved. The save sends the
  // latest version, so it is not refused for the logo's change either.
  const saved = JSON.stringify(formOf(template));
  useEffect(() => setForm(JSON.parse(saved) as ReturnType<typeof formOf>), [saved]);
  const set = (field: keyof Omit<ReturnType<typeof formOf>, "terms">) => (value: string) =>
    setForm((f) => ({ ...f, [field]: value }));
  const save = useChange(
    () =>
      api("updateQuoteTemplate", {
        body: {
          companyName: form.companyName,
          address: form.address,
          vatNumber: form.vatNumber,
          contact: form.contact,
          validityDays: Number(form.validityDays),
          language: form.language as Language,
          terms: Object.fromEntries(LANGUAGES.map((l) => [l, form.terms[l]]).filter(([, text]) => text)),
          version: template.version,
        },
      }),
    [KEY],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className={styles.form} aria-label={t.templateForm} onSubmit={submit}>
      <Field label={t.companyName}>
        <Input value={form.companyName} onChange={(_, d) => set("companyName")(d.value)} />
      </Field>
      <Field label={t.address}>
        <Textarea value={form.address} onChange={(_, d) => set("address")(d.value)} rows={3} />
      </Field>
      <Field label={t.vatNumber}>
        <Input value={form.vatNumber} onChange={(_, d) => set("vatNumber")(d.value)} />
      </Field>
      <Field label={t.contact} hint={t.contactHint}>
        <Textarea value={form.contact} onChange={(_, d) => set("contact")(d.value)} rows={2} />
      </Field>
      <Field label={t.validityDays}>
        <Input
          type="number"
          min={1}
          max={365}
          value={form.validityDays}
          onChange={(_, d) => set("validityDays")(d.value)}
        />
      </Field>
      <Field label={t.language}>
        <Select value={form.language} onChange={(_, d) => set("language")(d.value)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
      </Field>
      {LANGUAGES.map((l) => (
        <Field
          key={l}
          label={translate(t.termsIn, { language: LANGUAGE_NAMES[l] })}
          hint={l === "en" ? undefined : t.termsHint}
        >
          <Textarea
            value={form.terms[l]}
            rows={3}
            resize="vertical"
            onChange={(_, d) => setForm((f) => ({ ...f, terms: { ...f.terms, [l]: d.value } }))}
          />
        </Field>
      ))}
      <div>
        <Button type="submit" appearance="primary" disabled={save.isPending}>
          {t.saveTemplate}
        </Button>
      </div>
      <ChangeStatus change={save} what={t.templateNotSaved} />
    </form>
  );
}

function formOf(template: QuoteTemplate) {
  return {
    companyName: template.companyName,
    address: template.address,
    vatNumber: template.vatNumber,
    contact: template.contact,
    validityDays: String(template.validityDays),
    language: template.language as string,
    terms: Object.fromEntries(LANGUAGES.map((l) => [l, template.terms[l] ?? ""])) as Record<Language, string>,
  };
}

/** The picture's bytes in base64, as the logo route takes them. */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsDataURL(file);
  });
}

function LogoSettings({ template }: { template: QuoteTemplate }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(quoteMessages);
  const [refusal, setRefusal] = useState<string | null>(null);
  const upload = useChange(
    async (content: string | null) => api("setQuoteLogo", { body: { content } }),
    [KEY],
  );
  // The server checks the picture by its bytes; the type and size are said here before the upload.
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    if (file.type !== "image/png" && file.type !== "image/jpeg") return setRefusal(t.logoWrongType);
    if (file.size > QUOTE_LOGO_MAX_BYTES) return setRefusal(translate(t.logoTooLarge, { size: MAX_KB }));
    setRefusal(null);
    upload.mutate(await readBase64(file));
  };
  return (
    <Field label={t.logo} hint={translate(t.logoHint, { size: MAX_KB })}>
      <div className={styles.logo}>
        <Text>
          {template.logo
            ? translate(t.logoSet, {
                type: template.logo.mediaType === "image/png" ? "PNG" : "JPEG",
                size: Math.max(1, Math.round(template.logo.bytes / 1024)),
              })
            : t.noLogo}
        </Text>
        <input
          type="file"
          accept="image/png,image/jpeg"
          aria-label={t.chooseLogo}
          disabled={upload.isPending}
          onChange={(e) => void choose(e)}
        />
        {template.logo && (
          <Button disabled={upload.isPending} onClick={() => upload.mutate(null)}>
            {t.removeLogo}
          </Button>
        )}
      </div>
      {refusal && (
        <Text role="alert" className={styles.error}>
          {refusal}
        </Text>
      )}
      <ChangeStatus change={upload} what={t.logoNotSaved} />
    </Field>
  );
}
