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
import { ArrowDownloadRegular } from "@fluentui/react-icons/svg/arrow-download";
import { useMutation } from "@tanstack/react-query";
import type { FileRouteName } from "../../../client/files";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { saveFile } from "../../save-file";
import { useWebApp } from "../../services";
import { translate } from "../../../shared/languages";
import { componentMessages } from "../../components/components-messages";
import { formatNumber } from "../../format";
import { LIST_EXPORT_MAX_ROWS } from "../../../shared/list-exports";
import { useMessages } from "../../i18n/language";
import { type ImportCatalogue, importMessages } from "./import-messages";

const useStyles = makeStyles({
  formats: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

const FORMAT_LABELS = { Csv: "CSV", Xlsx: "XLSX", Vcf: "vCard" } as const;
type Format = keyof typeof FORMAT_LABELS;

/**
 * Every list of the organisation, whole, as a file: what a rep takes to a spreadsheet or another address book.
 * Each with its name and its button's sentence ("Export contacts as XLSX"), whole in each language.
 */
const LISTS: {
  label: keyof ImportCatalogue;
  exportAs: keyof ImportCatalogue;
  route: string;
  formats: Format[];
}[] = [
  {
    label: "listContacts",
    exportAs: "exportContactsAs",
    route: "exportContacts",
    formats: ["Csv", "Xlsx", "Vcf"],
  },
  {
    label: "listCompanies",
    exportAs: "exportCompaniesAs",
    route: "exportCompanies",
    formats: ["Csv", "Xlsx"],
  },
  { label: "listDeals", exportAs: "exportDealsAs", route: "exportDeals", formats: ["Csv", "Xlsx"] },
  { label: "listTasks", exportAs: "exportTasksAs", route: "exportTasks", formats: ["Csv", "Xlsx"] },
  { label: "listNotes", exportAs: "exportNotesAs", route: "exportNotes", formats: ["Csv", "Xlsx"] },
];

export function ListExports() {
  const styles = useStyles();
  const { files } = useWebApp();
  const t = useMessages(importMessages);
  const words = useMessages(componentMessages);
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
    <Section title={t.exportTitle}>
      <Text>{translate(t.exportIntro, { max: formatNumber(LIST_EXPORT_MAX_ROWS, 0) })}</Text>
      <Table size="small">
        <caption>{t.listsCaption}</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.list}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.download}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {LISTS.map((list) => (
            <TableRow key={list.route}>
              <TableCell>{t[list.label]}</TableCell>
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
                        aria-label={translate(t[list.exportAs], { format: FORMAT_LABELS[format] })}
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
        {download.isSuccess && <Text>{translate(words.downloaded, { file: download.data })}</Text>}
      </span>
      {download.isError && (
        <ProblemMessage
          error={download.error}
          onRetry={() => download.variables && download.mutate(download.variables)}
          what={words.exportFailed}
        />
      )}
    </Section>
  );
}
