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
import { useMessages } from "../../i18n/language";
import type { FilterOption } from "../../lists/FilterDropdown";
import { type DealWords, dealMessages } from "./deal-messages";

const FILTERS = ["q", "pipelineId", "stageId", "ownerId", "status"] as const;
const STATUSES = ["open", "won", "lost"] as const;

/** A deal's statuses as choices, named in the reader's language. */
const statusOptions = (t: DealWords): FilterOption[] =>
  STATUSES.map((status) => ({ value: status, label: t[status] }));

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
  const t = useMessages(dealMessages);
  const statuses = statusOptions(t);
  const { pages, items } = useRecordPages("deals", query, (q) =>
    api("listDeals", { query: q as Partial<z.input<typeof DealListQuery>> }),
  );
  const columns: TableColumnDefinition<DealWithStage>[] = [
    createTableColumn({
      columnId: "name",
      renderHeaderCell: () => t.name,
      renderCell: (d) => <AppLink to={`${DEALS_PATH}/${d.id}`}>{d.name}</AppLink>,
    }),
    createTableColumn({
      columnId: "amount",
      renderHeaderCell: () => t.amount,
      renderCell: (d) => (d.amount === null ? "" : formatAmount(d.amount, d.currency)),
    }),
    createTableColumn({
      columnId: "stage",
      renderHeaderCell: () => t.stage,
      renderCell: (d) => d.stage.name,
    }),
    createTableColumn({
      columnId: "status",
      renderHeaderCell: () => t.status,
      renderCell: (d) => statuses.find((s) => s.value === d.status)?.label,
    }),
    createTableColumn({
      columnId: "close",
      renderHeaderCell: () => t.expectedClose,
      renderCell: (d) => (d.expectedCloseDate ? formatDate(d.expectedCloseDate) : ""),
    }),
    createTableColumn({
      columnId: "owner",
      renderHeaderCell: () => t.owner,
      renderCell: (d) => users.nameOf(d.ownerId),
    }),
  ];
  const filtered = Object.keys(query).length > 0;
  return (
    <ListPage
      title={t.deals}
      records="deals"
      create={{ label: t.newDeal, path: `${DEALS_PATH}/${NEW}` }}
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
          <ListSearch label={t.search} value={query.q ?? ""} onSearch={(q) => set("q", q)} />
          <FilterDropdown
            label={t.pipeline}
            all={t.everyPipeline}
            options={pipelineOptions}
            value={query.pipelineId}
            onSelect={(v) => {
              set("pipelineId", v);
              set("stageId", undefined);
            }}
          />
          <FilterDropdown
            label={t.stage}
            all={t.everyStage}
            options={stageOptions}
            value={query.stageId}
            onSelect={(v) => set("stageId", v)}
          />
          <FilterDropdown
            label={t.status}
            all={t.everyStatus}
            options={statuses}
            value={query.status}
            onSelect={(v) => set("status", v)}
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
        label={t.deals}
        noun="deals"
        pages={pages}
        items={items}
        columns={columns}
        empty={filtered ? t.noneMatch : t.noneYet}
      />
    </ListPage>
  );
}
