import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { ListFilters } from "./useListFilters";

export interface RecordPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** How many rows a page of a list brings: a screenful and some, then "Load more". */
export const PAGE_SIZE = 50;

/**
 * A list read page by page with the server's cursor, for these filters. The rows of other filters stay shown
 * while new ones load, so the table does not jump to a spinner on every keystroke.
 */
export function useRecordPages<Item>(
  list: string,
  filters: ListFilters,
  /** The list's route, called with the filters, the cursor and the page size (as the address carries them). */
  load: (query: ListFilters) => Promise<RecordPage<Item>>,
) {
  const pages = useInfiniteQuery({
    queryKey: [list, "list", filters],
    queryFn: ({ pageParam }) =>
      load({ ...filters, ...(pageParam ? { cursor: pageParam } : {}), limit: String(PAGE_SIZE) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return { pages, items };
}
