import type { z } from "zod";
import { type TableColumnDefinition, createTableColumn } from "@fluentui/react-components";
import { DealListQuery, type DealWithStage } from "../../../shared/deals";
import { formatAmount, formatDate } from "../../format";
import { FilterDropdown } from "../../lists/FilterDropdown";
import { ListExportButtons } from "../../lists/ListExportButtons";
import { ListPage } from "../../lists/ListPage";
import { ListSearch } from "../../lists/ListSearch";
import { RecordTable } from "../../lists/RecordTable";
import { acceptedFilters, useStageOptions, useUserOptions } from "../../lists/options";
import { useListFilters } from "../../lists/useListFilters";
import { useRecordPages } from "../../lists/useRecordPages";
import type { PageProps } from "../../navigation";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { DEALS_PATH, NEW } from "../paths";
import { DealRecord } from "./DealRecord";
import { NewDeal } from "./NewDeal";

const FILTERS = ["q", "pipelineId", "stageId", "ownerId", "status"] as const;
const STATUSES = [
  { value: "open", label: "Open" },
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
];

/** The deals: a list with its filters and exports, a new deal's form, or one deal (/app/deals/<id>). */
export default function DealsPage({ subpath }: PageProps) {
  if (subpath === NEW) return <NewDeal />;
  return subpath ? <DealRecord id={subpath} /> : <DealList />;
}

function DealList() {
  const { api } = useWebApp();
  const { filters, set, clear } = useListFilters(DEALS_PATH, FILTERS);
  const query = acceptedFilters(DealListQuery, filters);
  const { pipelineOptions, stageOptions } = useStageOptions(query.pipelineId);
  const users = useUserOptions();
  const { pages, items } = useRecordPages("deals", query, (q) =>
    api("listDeals", { query: q as Partial<z.input<typeof DealListQuery>> }),
  );
  const columns: TableColumnDefinition<DealWithStage>[] = [
    createTableColumn({
      columnId: "name",
      renderHeaderCell: () => "Name",
      renderCell: (d) => <AppLink to={`${DEALS_PATH}/${d.id}`}>{d.name}</AppLink>,
    }),
    createTableColumn({
      columnId: "amount",
      renderHeaderCell: () => "Amount",
      renderCell: (d) => (d.amount === null ? "" : formatAmount(d.amount, d.currency)),
    }),
    createTableColumn({
      columnId: "stage",
      renderHeaderCell: () => "Stage",
      renderCell: (d) => d.stage.name,
    }),
    createTableColumn({
      columnId: "status",
      renderHeaderCell: () => "Status",
      renderCell: (d) => STATUSES.find((s) => s.value === d.status)?.label,
    }),
    createTableColumn({
      columnId: "close",
      renderHeaderCell: () => "Expected close",
      renderCell: (d) => (d.expectedCloseDate ? formatDate(d.expectedCloseDate) : ""),
    }),
    createTableColumn({
      columnId: "owner",
      renderHeaderCell: () => "Owner",
      renderCell: (d) => users.nameOf(d.ownerId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title="Deals"
      create={{ label: "New deal", path: `${DEALS_PATH}/${NEW}` }}
      filtered={filtered}
      onClear={clear}
      exports={
        <ListExportButtons
          noun="deals"
          filters={query}
          formats={[
            { route: "exportDealsCsv", label: "CSV" },
            { route: "exportDealsXlsx", label: "XLSX" },
          ]}
        />
      }
      filters={
        <>
          <ListSearch label="Search deals" value={query.q ?? ""} onSearch={(q) => set("q", q)} />
          <FilterDropdown
            label="Pipeline"
            all="Every pipeline"
            options={pipelineOptions}
            value={query.pipelineId}
            onSelect={(v) => {
              set("pipelineId", v);
              set("stageId", undefined);
            }}
          />
          <FilterDropdown
            label="Stage"
            all="Every stage"
            options={stageOptions}
            value={query.stageId}
            onSelect={(v) => set("stageId", v)}
          />
          <FilterDropdown
            label="Status"
            all="Open, won and lost"
            options={STATUSES}
            value={query.status}
            onSelect={(v) => set("status", v)}
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
        label="Deals"
        noun="deals"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? "No deal matches these filters." : "No deals yet."}
      />
    </ListPage>
  );
}
