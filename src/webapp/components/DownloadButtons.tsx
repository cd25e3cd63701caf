import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons/svg/arrow-download";
import { useMutation } from "@tanstack/react-query";
import type { DownloadedFile } from "../../client/files";
import { saveFile } from "../save-file";
import { ProblemMessage } from "./ProblemMessage";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { componentMessages } from "./components-messages";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  meta: { color: tokens.colorNeutralForeground3 },
});

/**
 * One button per format, each downloading its file and saving it: the spinner on the one asked, the file's name
 * once saved, the server's problem with a retry when it fails.
 */
export function DownloadButtons<F extends string>({
  formats,
  download,
}: {
  /** Each format with its name ("CSV", not translated) and, where the text alone says too little, its accessible name. */
  formats: readonly { format: F; label: string; name?: string }[];
  download: (format: F) => Promise<DownloadedFile>;
}) {
  const styles = useStyles();
  const t = useMessages(componentMessages);
  const exportAs = useMutation({
    mutationFn: async (format: F) => {
      const file = await download(format);
      saveFile(file);
      return file.filename;
    },
  });
  return (
    <div className={styles.row}>
      {formats.map(({ format, label, name }) => (
        <Button
          key={format}
          icon={
            exportAs.isPending && exportAs.variables === format ? (
              <Spinner size="extra-tiny" />
            ) : (
              <ArrowDownloadRegular />
            )
          }
          disabled={exportAs.isPending}
          aria-label={name}
          onClick={() => exportAs.mutate(format)}
        >
          {translate(t.exportAs, { format: label })}
        </Button>
      ))}
      <span role="status" aria-live="polite">
        {exportAs.isSuccess && (
          <Text className={styles.meta}>{translate(t.downloaded, { file: exportAs.data })}</Text>
        )}
      </span>
      {exportAs.isError && (
        <ProblemMessage
          error={exportAs.error}
          onRetry={() => exportAs.mutate(exportAs.variables)}
          what={t.exportFailed}
        />
      )}
    </div>
  );
}
