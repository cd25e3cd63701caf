import {
  Button,
  Spinner,
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
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import type { FileRouteName } from "../../../client/files";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { saveFile } from "../../save-file";
import { useWebApp } from "../../services";

const useStyles = makeStyles({
  formats: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

const FORMAT_LABELS = { Csv: "CSV", Xlsx: "XLSX", Vcf: "vCard" } as const;
type Format = keyof typeof FORMAT_LABELS;

/** Every list of the organisation, whole, as a file: what a rep takes to a spreadsheet or another address book. */
const LISTS: { label: string; route: string; formats: Format[] }[] = [
  { label: "Contacts", route: "exportContacts", formats: ["Csv", "Xlsx", "Vcf"] },
  { label: "Companies", route: "exportCompanies", formats: ["Csv", "Xlsx"] },
  { label: "Deals", route: "exportDeals", formats: ["Csv", "Xlsx"] },
  { label: "Tasks", route: "exportTasks", formats: ["Csv", "Xlsx"] },
  { label: "Notes and calls", route: "exportNotes", formats: ["Csv", "Xlsx"] },
];

export function ListExports() {
  const styles = useStyles();
  const { files } = useWebApp();
  const download = useMutation({
    mutationFn: async (route: FileRouteName) => {
      // Tasks: everyone's, open and done, as the list shows them with its widest filter.
      const query = route.startsWith("exportTasks") ? { status: "all" } : {};
      const file = await files(route, { query } as never);
      saveFile(file);
      return file.filename;
    },
  });
  return (
    <Section title="Export">
      <Text>Each list as a file, every row of it (at most 50,000).</Text>
      <Table size="small">
        <caption>The organisation&apos;s lists and their formats</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">List</TableHeaderCell>
            <TableHeaderCell scope="col">Download</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {LISTS.map((list) => (
            <TableRow key={list.route}>
              <TableCell>{list.label}</TableCell>
              <TableCell>
                <div className={styles.formats}>
                  {list.formats.map((format) => {
                    const route = `${list.route}${format}` as FileRouteName;
                    const pending = download.isPending && download.variables === route;
                    return (
                      <Button
                        key={format}
                        size="small"
                        icon={pending ? <Spinner size="extra-tiny" /> : <ArrowDownloadRegular />}
                        disabled={download.isPending}
                        aria-label={`Export ${list.label.toLowerCase()} as ${FORMAT_LABELS[format]}`}
                        onClick={() => download.mutate(route)}
                      >
                        {FORMAT_LABELS[format]}
                      </Button>
                    );
                  })}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <span role="status" aria-live="polite">
        {download.isSuccess && <Text>{`Downloaded ${download.data}`}</Text>}
      </span>
      {download.isError && (
        <ProblemMessage
          error={download.error}
          onRetry={() => download.variables && download.mutate(download.variables)}
          what="The export failed"
        />
      )}
    </Section>
  );
}
