import { type TableColumnDefinition, createTableColumn } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { type Contact, ContactListQuery } from "../../../shared/contacts";
import { FilterDropdown } from "../../lists/FilterDropdown";
import { ListExportButtons } from "../../lists/ListExportButtons";
import { ListPage } from "../../lists/ListPage";
import { ListSearch } from "../../lists/ListSearch";
import { RecordTable } from "../../lists/RecordTable";
import { acceptedFilters, useUserOptions } from "../../lists/options";
import { useListFilters } from "../../lists/useListFilters";
import { useRecordPages } from "../../lists/useRecordPages";
import type { PageProps } from "../../navigation";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { CONTACTS_PATH, NEW } from "../paths";
import { ContactRecord } from "./ContactRecord";
import { NewContact } from "./NewContact";
import { lifecycleStageOptions } from "./contact-fields";
import { useMessages } from "../../i18n/language";
import { contactMessages } from "./contact-messages";

const FILTERS = ["q", "ownerId", "lifecycleStage", "tag"] as const;

/** The contacts: a list with its filters and exports, a new contact's form, or one contact (/app/contacts/<id>). */
export default function ContactsPage({ subpath }: PageProps) {
  if (subpath === NEW) return <NewContact />;
  return subpath ? <ContactRecord id={subpath} /> : <ContactList />;
}

function ContactList() {
  const { api } = useWebApp();
  const { filters, set, clear } = useListFilters(CONTACTS_PATH, FILTERS);
  const query = acceptedFilters(ContactListQuery, filters);
  const users = useUserOptions();
  const t = useMessages(contactMessages);
  const stages = lifecycleStageOptions(t);
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => api("listTags", {}) });
  const { pages, items } = useRecordPages("contacts", query, (q) =>
    api("listContacts", { query: q as Partial<z.input<typeof ContactListQuery>> }),
  );
  const columns: TableColumnDefinition<Contact>[] = [
    createTableColumn({
      columnId: "name",
      renderHeaderCell: () => t.name,
      renderCell: (c) => <AppLink to={`${CONTACTS_PATH}/${c.id}`}>{c.displayName}</AppLink>,
    }),
    createTableColumn({ columnId: "email", renderHeaderCell: () => t.email, renderCell: (c) => c.emails[0] }),
    createTableColumn({ columnId: "title", renderHeaderCell: () => t.jobTitle, renderCell: (c) => c.title }),
    createTableColumn({
      columnId: "stage",
      renderHeaderCell: () => t.lifecycleStage,
      renderCell: (c) => stages.find((s) => s.value === c.lifecycleStage)?.label,
    }),
    createTableColumn({
      columnId: "tags",
      renderHeaderCell: () => t.tags,
      renderCell: (c) => c.tags.join(", "),
    }),
    createTableColumn({
      columnId: "owner",
      renderHeaderCell: () => t.owner,
      renderCell: (c) => users.nameOf(c.ownerId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title={t.contacts}
      records="contacts"
      create={{ label: t.newContact, path: `${CONTACTS_PATH}/${NEW}` }}
      filtered={filtered}
      onClear={clear}
      exports={
        <ListExportButtons
          noun="contacts"
          filters={query}
          formats={[
            { route: "exportContactsCsv", label: "CSV" },
            { route: "exportContactsXlsx", label: "XLSX" },
            { route: "exportContactsVcf", label: "vCard" },
          ]}
        />
      }
      filters={
        <>
          <ListSearch label={t.search} value={query.q ?? ""} onSearch={(q) => set("q", q)} />
          <FilterDropdown
            label={t.lifecycleStage}
            all={t.everyStage}
            options={stages}
            value={query.lifecycleStage}
            onSelect={(v) => set("lifecycleStage", v)}
          />
          <FilterDropdown
            label={t.tag}
            all={t.anyTag}
            options={(tags.data?.items ?? []).map((t) => ({ value: t.name, label: t.name }))}
            value={query.tag}
            onSelect={(v) => set("tag", v)}
          />
          <FilterDropdown
            label={t.owner}
            all={t.everyone}
            options={users.options}
            value={query.ownerId}
            onSelect={(v) => set("ownerId", v)}
          />
        </>
      }
    >
      <RecordTable
        label={t.contacts}
        noun="contacts"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? t.noneMatch : t.noneYet}
      />
    </ListPage>
  );
}
