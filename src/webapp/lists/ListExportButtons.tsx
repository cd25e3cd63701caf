import type { FileRouteName } from "../../client/files";
import { DownloadButtons } from "../components/DownloadButtons";
import { useWebApp } from "../services";
import type { ListFilters } from "./useListFilters";

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
  const { files } = useWebApp();
  return (
    <DownloadButtons
      formats={formats.map(({ route, label }) => ({
        format: route,
        label,
        name: `Export the ${noun} shown as ${label}`,
      }))}
      download={(route) => files(route, { query: filters } as never)}
    />
  );
}
