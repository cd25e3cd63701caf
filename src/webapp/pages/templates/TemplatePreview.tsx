import { Button, Field, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { LANGUAGE_NAMES, translate } from "../../../shared/languages";
import type { Template } from "../../../shared/templates";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMessages } from "../../i18n/language";
import { RecordPicker } from "../../lists/RecordPicker";
import { useWebApp } from "../../services";
import { templatesMessages } from "./templates-messages";

const useStyles = makeStyles({
  preview: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "center" },
  frame: {
    width: "100%",
    minHeight: "16rem",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

/** The saved template filled in for a chosen contact, as the server renders it, in a frame that runs nothing. */
export function TemplatePreview({ template }: { template: Template }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(templatesMessages);
  const [contactIds, setContactIds] = useState<string[]>([]);
  const contactId = contactIds[0];
  const rendered = useMutation({
    mutationFn: (id: string) =>
      api("renderTemplate", {
        params: { id: template.id },
        body: { contactId: id, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      }),
  });
  return (
    <div className={styles.preview}>
      <Text as="h3" weight="semibold">
        {t.previewTitle}
      </Text>
      <Field label={t.previewContact}>
        <RecordPicker
          kind="contact"
          multiple={false}
          label={t.previewContact}
          ids={contactIds}
          onIds={setContactIds}
        />
      </Field>
      <div className={styles.row}>
        <Button
          disabled={!contactId || rendered.isPending}
          onClick={() => contactId && rendered.mutate(contactId)}
        >
          {t.preview}
        </Button>
        <span role="status" aria-live="polite">
          {rendered.isPending && <Text>{t.previewing}</Text>}
        </span>
      </div>
      {rendered.isError && (
        <ProblemMessage
          error={rendered.error}
          what={t.previewNotShown}
          onRetry={() => contactId && rendered.mutate(contactId)}
        />
      )}
      {rendered.data && (
        <>
          <Text>{translate(t.language, { language: LANGUAGE_NAMES[rendered.data.language] })}</Text>
          <Text>
            {rendered.data.unfilled.length > 0
              ? translate(t.unfilled, { fields: rendered.data.unfilled.join(", ") })
              : t.allFilled}
          </Text>
          <Text weight="semibold">{rendered.data.subject}</Text>
          {/* No script runs in it and it reaches nothing of the page: the sanitised HTML, shown as a mail client would. */}
          <iframe className={styles.frame} sandbox="" srcDoc={rendered.data.html} title={t.previewFrame} />
        </>
      )}
    </div>
  );
}
