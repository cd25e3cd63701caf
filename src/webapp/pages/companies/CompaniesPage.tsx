import { type TableColumnDefinition, createTableColumn } from "@fluentui/react-components";
import type { z } from "zod";
import { type Company, CompanyListQuery } from "../../../shared/companies";
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
import { COMPANIES_PATH, NEW } from "../paths";
import { CompanyRecord } from "./CompanyRecord";
import { NewCompany } from "./NewCompany";

const FILTERS = ["q", "ownerId"] as const;

/** The companies: a list with its filters and exports, a new company's form, or one company (/app/companies/<id>). */
export default function CompaniesPage({ subpath }: PageProps) {
  if (subpath === NEW) return <NewCompany />;
  return subpath ? <CompanyRecord id={subpath} /> : <CompanyList />;
}

function CompanyList() {
  const { api } = useWebApp();
  const { filters, set, clear } = useListFilters(COMPANIES_PATH, FILTERS);
  const query = acceptedFilters(CompanyListQuery, filters);
  const users = useUserOptions();
  const { pages, items } = useRecordPages("companies", query, (q) =>
    api("listCompanies", { query: q as Partial<z.input<typeof CompanyListQuery>> }),
  );
  const columns: TableColumnDefinition<Company>[] = [
    createTableColumn({
      columnId: "name",
      renderHeaderCell: () => "Name",
      renderCell: (c) => <AppLink to={`${COMPANIES_PATH}/${c.id}`}>{c.name}</AppLink>,
    }),
    createTableColumn({ columnId: "domain", renderHeaderCell: () => "Domain", renderCell: (c) => c.domain }),
    createTableColumn({ columnId: "phone", renderHeaderCell: () => "Phone", renderCell: (c) => c.phone }),
    createTableColumn({
      columnId: "owner",
      renderHeaderCell: () => "Owner",
      renderCell: (c) => users.nameOf(c.ownerId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title="Companies"
      create={{ label: "New company", path: `${COMPANIES_PATH}/${NEW}` }}
      filtered={filtered}
      onClear={clear}
      exports={
        <ListExportButtons
          noun="companies"
          filters={query}
          formats={[
            { route: "exportCompaniesCsv", label: "CSV" },
            { route: "exportCompaniesXlsx", label: "XLSX" },
          ]}
        />
      }
      filters={
        <>
          <ListSearch
            label="Search companies (name, domain)"
            value={query.q ?? ""}
            onSearch={(q) => set("q", q)}
          />
          <FilterDropdown
            label="Owner"
            all="Everyone"
            options={users.options}
            value={query.ownerId}
            onSelect={(v) => set("ownerId", v)}
          />
        </>
      }
    >
      <RecordTable
        label="Companies"
        noun="companies"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? "No company matches these filters." : "No companies yet."}
      />
    </ListPage>
  );
}
