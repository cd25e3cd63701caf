import type { FileRouteName } from "../../addin/api/client";
import { DownloadButtons } from "../components/DownloadButtons";
import { useWebApp } from "../services";
import type { ListFilters } from "./useListFilters";
import { translate } from "../../shared/languages";
import { componentMessages } from "../components/components-messages";
import { useMessages } from "../i18n/language";

export type ExportedList = "contacts" | "companies" | "deals" | "tasks";

/**
 * The list as a file, with the filters the list shows applied: the server's export takes the list's query
 * without its paging, so the file holds exactly the rows the list would show, every page of them.
 */
export function ListExportButtons({
  noun,
  filters,
  formats,
}: {
  /** Which list: each has its own sentence ("Export the deals shown as XLSX"), as languages inflect the noun. */
  noun: ExportedList;
  filters: ListFilters;
  /** The export routes, each with its button's label ("CSV"). */
  formats: { route: FileRouteName; label: string }[];
}) {
  const { files } = useWebApp();
  const t = useMessages(componentMessages);
  const sentence = {
    contacts: t.exportContactsShown,
    companies: t.exportCompaniesShown,
    deals: t.exportDealsShown,
    tasks: t.exportTasksShown,
  }[noun];
  return (
    <DownloadButtons
      formats={formats.map(({ route, label }) => ({
        format: route,
        label,
        name: translate(sentence, { format: label }),
      }))}
      download={(route) => files(route, { query: filters } as never)}
    />
  );
}
