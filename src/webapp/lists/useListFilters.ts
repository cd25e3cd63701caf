import { useEffect, useState } from "react";

/** A list's filters as the page holds them: each set one a string (an id, an enum value, the search). */
export type ListFilters = Record<string, string>;

/** Where each list was last left, with its filters: a record's "back to the list" returns there. */
const lastSearch = new Map<string, string>();

export function listPathWithFilters(path: string): string {
  return `${path}${lastSearch.get(path) ?? ""}`;
}

function read(keys: readonly string[]): ListFilters {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(keys.flatMap((k) => (params.get(k) ? [[k, params.get(k) as string]] : [])));
}

/**
 * The list's filters, kept in the address (`/app/deals?stageId=…`): a reload, a shared link and the browser's
 * back button from a record all come back to the same rows. Unknown or empty parameters are dropped.
 */
export function useListFilters(path: string, keys: readonly string[]) {
  const [filters, setFilters] = useState<ListFilters>(() => read(keys));
  useEffect(() => {
    const search = new URLSearchParams(filters).toString();
    const suffix = search ? `?${search}` : "";
    lastSearch.set(path, suffix);
    if (location.pathname === path && location.search !== suffix)
      history.replaceState(history.state, "", `${path}${suffix}`);
  }, [path, filters]);
  const set = (key: string, value: string | undefined) =>
    setFilters((current) => {
      const next = { ...current };
      if (value) next[key] = value;
      else delete next[key];
      return next;
    });
  return { filters, set, clear: () => setFilters({}) };
}
