import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import type { FileRouteName } from "../../addin/api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { saveFile } from "../save-file";
import { useWebApp } from "../services";
import type { ListFilters } from "./useListFilters";

const useStyles = makeStyles({
  exports: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  meta: { color: tokens.colorNeutralForeground3 },
});

/**
 * The list as a file, with the filters the list shows applied: the server's export takes the list's query
 * without its paging, so the file holds exactly the rows the list would show, every page of them.
 */
export function ListExportButtons({
  noun,
  filters,
  formats,
}: {
  noun: string;
  filters: ListFilters;
  /** The export routes, each with its button's label ("CSV"). */
  formats: { route: FileRouteName; label: string }[];
}) {
  const styles = useStyles();
  const { files } = useWebApp();
  const exportAs = useMutation({
    mutationFn: async (route: FileRouteName) => {
      const file = await files(route, { query: filters } as never);
      saveFile(file);
      return file.filename;
    },
  });
  return (
    <div className={styles.exports}>
      {formats.map(({ route, label }) => (
        <Button
          key={route}
          icon={
            exportAs.isPending && exportAs.variables === route ? (
              <Spinner size="extra-tiny" />
            ) : (
              <ArrowDownloadRegular />
            )
          }
          disabled={exportAs.isPending}
          aria-label={`Export the ${noun} shown as ${label}`}
          onClick={() => exportAs.mutate(route)}
        >
          Export {label}
        </Button>
      ))}
      <span role="status" aria-live="polite">
        {exportAs.isSuccess && <Text className={styles.meta}>Downloaded {exportAs.data}</Text>}
      </span>
      {exportAs.isError && (
        <ProblemMessage
          error={exportAs.error}
          onRetry={() => exportAs.mutate(exportAs.variables)}
          what="The export failed"
        />
      )}
    </div>
  );
}
