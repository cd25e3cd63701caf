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
import { useMessages } from "../../i18n/language";
import { companyMessages } from "./company-messages";

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
  const t = useMessages(companyMessages);
  const { pages, items } = useRecordPages("companies", query, (q) =>
    api("listCompanies", { query: q as Partial<z.input<typeof CompanyListQuery>> }),
  );
  const columns: TableColumnDefinition<Company>[] = [
    createTableColumn({
      columnId: "name",
      renderHeaderCell: () => t.name,
      renderCell: (c) => <AppLink to={`${COMPANIES_PATH}/${c.id}`}>{c.name}</AppLink>,
    }),
    createTableColumn({ columnId: "domain", renderHeaderCell: () => t.domain, renderCell: (c) => c.domain }),
    createTableColumn({ columnId: "phone", renderHeaderCell: () => t.phone, renderCell: (c) => c.phone }),
    createTableColumn({
      columnId: "owner",
      renderHeaderCell: () => t.owner,
      renderCell: (c) => users.nameOf(c.ownerId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title={t.companies}
      records="companies"
      create={{ label: t.newCompany, path: `${COMPANIES_PATH}/${NEW}` }}
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
          <ListSearch label={t.search} value={query.q ?? ""} onSearch={(q) => set("q", q)} />
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
        label={t.companies}
        noun="companies"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? t.noneMatch : t.noneYet}
      />
    </ListPage>
  );
}
