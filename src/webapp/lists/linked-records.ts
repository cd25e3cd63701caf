import { useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../client/api-client";
import { COMPANIES_PATH, CONTACTS_PATH, DEALS_PATH } from "../pages/paths";
import { useMessages } from "../i18n/language";
import { recordKindMessages } from "./record-kind-messages";

/** The kinds of record another record links to: a contact's company, a deal's contacts, a task's deal. */
export type LinkedKind = "company" | "contact" | "deal";

/** A linked record as a picker shows it. */
export interface LinkedRecord {
  id: string;
  name: string;
  /** What tells two of the same name apart (a contact's address, a deal's stage). */
  detail: string | null;
}

const SEARCH_LIMIT = 20;

/**
 * How each kind is searched (its list's `q`), read by id (under the key its own page reads it by, so the page and
 * the picker share what was read) and named.
 */
export const LINKED_KINDS: Record<
  LinkedKind,
  {
    path: string;
    search(api: ApiClient, q: string | undefined): Promise<LinkedRecord[]>;
    get(api: ApiClient, id: string): Promise<LinkedRecord>;
  }
> = {
  company: {
    path: COMPANIES_PATH,
    search: async (api, q) =>
      (await api("listCompanies", { query: { q, limit: SEARCH_LIMIT } })).items.map((c) => ({
        id: c.id,
        name: c.name,
        detail: c.domain,
      })),
    get: async (api, id) => {
      const c = await api("getCompany", { params: { id } });
      return { id: c.id, name: c.name, detail: c.domain };
    },
  },
  contact: {
    path: CONTACTS_PATH,
    search: async (api, q) =>
      (await api("listContacts", { query: { q, limit: SEARCH_LIMIT } })).items.map((c) => ({
        id: c.id,
        name: c.displayName,
        detail: c.emails[0] ?? null,
      })),
    get: async (api, id) => {
      const c = await api("getContact", { params: { id } });
      return { id: c.id, name: c.displayName, detail: c.emails[0] ?? null };
    },
  },
  deal: {
    path: DEALS_PATH,
    search: async (api, q) =>
      (await api("listDeals", { query: { q, limit: SEARCH_LIMIT } })).items.map((d) => ({
        id: d.id,
        name: d.name,
        detail: d.stage.name,
      })),
    get: async (api, id) => {
      const d = await api("getDeal", { params: { id } });
      return { id: d.id, name: d.name, detail: d.stage.name };
    },
  },
};

/** The query key of a linked record's name: not the record's own key, whose data is the whole record. */
export const linkedRecordKey = (kind: LinkedKind, id: string) => ["linkedRecord", kind, id] as const;

/**
 * A linked record's name when a picker has read it, for words that cannot wait (a colleague's change); else
 * "another company" in the reader's language.
 */
export function useLinkedNames(): (kind: LinkedKind, id: string) => string {
  const queryClient = useQueryClient();
  const t = useMessages(recordKindMessages);
  return (kind, id) =>
    queryClient.getQueryData<LinkedRecord>(linkedRecordKey(kind, id))?.name ?? t[`${kind}Another`];
}
