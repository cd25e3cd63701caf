import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useMessages } from "../../i18n/language";
import { teamMessages } from "./team-messages";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  link: { flexGrow: 1, minWidth: "16rem" },
});

/** A one-time link shown once, to copy: Rapport keeps only its hash, so it cannot be shown again. */
export function CopyableLink({ label, link }: { label: string; link: string }) {
  const styles = useStyles();
  const t = useMessages(teamMessages);
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard
      .writeText(link)
      .then(() => setCopied(true))
      // Without the clipboard (no permission, an old browser) the link stays selectable in its box.
      .catch(() => setCopied(false));
  return (
    <Field label={label}>
      <div className={styles.row}>
        <Input className={styles.link} readOnly value={link} onFocus={(e) => e.target.select()} />
        <Button onClick={() => void copy()}>{t.copy}</Button>
        <span role="status" aria-live="polite">
          {copied && <Text>{t.copied}</Text>}
        </span>
      </div>
    </Field>
  );
}
