import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense, lazy, useMemo, useState } from "react";
import type { FileFormat } from "../../../shared/routes";
import { ChartBoundary } from "../../components/ChartBoundary";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { usePipelines, useUsers } from "../../hooks";
import type { PageProps } from "../../navigation";
import { navigate } from "../../router";
import { useWebApp } from "../../services";
import { useDarkTheme } from "../../theme";
import {
  type Amounts,
  type ReportDefinition,
  type ReportFilters,
  type ReportView,
  reportFor,
  reports,
} from "./definitions";
import { ReportTable } from "./ReportTable";
import { DownloadButtons } from "../../components/DownloadButtons";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { reportMessages } from "./report-messages";
import { Dropdown } from "../../components/choice-inputs";

const ReportChart = lazy(() => import(/* webpackChunkName: "charts" */ "./ReportChart"));

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-end" },
  views: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(360px, 1fr))",
    gap: tokens.spacingHorizontalXL,
    alignItems: "start",
  },
  figure: { margin: 0, minWidth: 0 },
  // Small multiples: a chart per currency, side by side where there is room.
  multiples: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))",
    gap: tokens.spacingHorizontalL,
  },
  multipleHeading: {
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
  },
  meta: { color: tokens.colorNeutralForeground3 },
});

/** The six reports: one at a time, with its filters, its chart and the same figures as a table, and exports. */
export default function ReportsPage({ subpath }: PageProps) {
  const styles = useStyles();
  const report = reportFor(subpath);
  const [filters, setFilters] = useState<ReportFilters>({});
  const [amounts, setAmounts] = useState<Amounts>("base");
  const t = useMessages(reportMessages);
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {t.reports}
      </Text>
      <TabList
        selectedValue={report.key}
        onTabSelect={(_, data) => navigate(`/app/reports/${String(data.value)}`)}
        aria-label={t.reports}
      >
        {reports.map((r) => (
          <Tab key={r.key} value={r.key}>
            {t[r.title]}
          </Tab>
        ))}
      </TabList>
      <Report
        key={report.key}
        report={report}
        filters={filters}
        onFilters={setFilters}
        amounts={amounts}
        onAmounts={setAmounts}
      />
    </div>
  );
}

function Report({
  report,
  filters,
  onFilters,
  amounts,
  onAmounts,
}: {
  report: ReportDefinition;
  filters: ReportFilters;
  onFilters(filters: ReportFilters): void;
  amounts: Amounts;
  onAmounts(amounts: Amounts): void;
}) {
  const styles = useStyles();
  const { api, timeZone } = useWebApp();
  const [dark] = useDarkTheme();
  const t = useMessages(reportMessages);
  const applied = Object.fromEntries(
    report.filters.flatMap((k) => (filters[k] ? [[k, filters[k]]] : [])),
  ) as ReportFilters;
  const view = useQuery({
    queryKey: ["report", report.key, applied, timeZone],
    queryFn: () => report.load(api, applied, timeZone),
    placeholderData: keepPreviousData,
  });
  // The server's figures in the words of the language shown, written again only when either changes.
  const views = useMemo(() => view.data?.(t), [view.data, t]);
  const shown = views?.[amounts];
  const name = t[report.title];
  const title = shown?.pipeline ? `${name} · ${shown.pipeline}` : name;
  return (
    <Section title={title} actions={<ExportButtons report={report} filters={applied} />}>
      <Text className={styles.meta}>{t[report.description]}</Text>
      <Filters report={report} filters={filters} onFilters={onFilters} />
      {report.amounts && (
        <AmountsChooser amounts={amounts} onAmounts={onAmounts} base={views?.base.baseCurrency ?? null} />
      )}
      {view.isPending && <Loading label={t.loading} />}
      {view.isError && (
        <ProblemMessage error={view.error} onRetry={() => void view.refetch()} what={t.notLoaded} />
      )}
      {shown &&
        (shown.rows.length === 0 ? (
          <EmptyState>{t.nothingToReport}</EmptyState>
        ) : (
          <>
            <div className={styles.views} aria-busy={view.isFetching}>
              <Charts charts={shown.charts} label={shown.chartsLabel} title={title} dark={dark} />
              <ReportTable view={shown} caption={title} />
            </div>
            {shown.conversion && <Text className={styles.meta}>{shown.conversion.text}</Text>}
            {shown.conversion?.notConverted && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>{shown.conversion.notConverted}</MessageBarBody>
              </MessageBar>
            )}
          </>
        ))}
    </Section>
  );
}

/** The report's chart, or a small chart per currency, each headed by its code. */
function Charts({
  charts,
  label,
  title,
  dark,
}: {
  charts: ReportView["charts"];
  label: string | undefined;
  title: string;
  dark: boolean;
}) {
  const styles = useStyles();
  const t = useMessages(reportMessages);
  const [only] = charts;
  if (!only) return <EmptyState>{t.noDealsToChart}</EmptyState>;
  if (charts.length === 1 && only.heading === null)
    return (
      <figure className={styles.figure} aria-label={translate(t.chartOf, { title })}>
        <ChartBoundary>
          <Suspense fallback={<Loading label={t.drawingChart} />}>
            <ReportChart chart={only.chart} title={title} dark={dark} />
          </Suspense>
        </ChartBoundary>
      </figure>
    );
  return (
    <div
      className={styles.multiples}
      role="group"
      aria-label={translate(label ?? t.chartPerCurrency, { title })}
    >
      {charts.map(({ heading, chart }) => (
        <figure key={heading ?? ""} className={styles.figure}>
          <figcaption className={styles.multipleHeading}>{heading}</figcaption>
          <ChartBoundary>
            <Suspense fallback={<Loading label={t.drawingChart} />}>
              <ReportChart chart={chart} title={`${title} · ${heading ?? ""}`} dark={dark} size="small" />
            </Suspense>
          </ChartBoundary>
        </figure>
      ))}
    </div>
  );
}

function Filters({
  report,
  filters,
  onFilters,
}: {
  report: ReportDefinition;
  filters: ReportFilters;
  onFilters(filters: ReportFilters): void;
}) {
  const styles = useStyles();
  const t = useMessages(reportMessages);
  const users = useUsers();
  const pipelines = usePipelines();
  const has = (k: keyof ReportFilters) => report.filters.includes(k);
  const set = (k: keyof ReportFilters, value: string | undefined) =>
    onFilters({ ...filters, [k]: value || undefined });
  const { api } = useWebApp();
  const segments = useQuery({
    queryKey: ["segments"],
    queryFn: () => api("listSegments", {}),
    enabled: has("segmentId"),
  });
  const segment = segments.data?.items.find((s) => s.id === filters.segmentId);
  const owner = users.data?.items.find((u) => u.id === filters.ownerId);
  const pipeline = pipelines.data?.pipelines.find((p) => p.id === filters.pipelineId);
  const defaultPipeline = pipelines.data?.pipelines.find((p) => p.isDefault);
  const badPeriod = filters.from && filters.to && filters.to < filters.from;
  return (
    <form className={styles.filters} aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
      {has("pipelineId") && (
        <Field label={t.pipeline}>
          <Dropdown
            value={pipeline?.name ?? defaultPipeline?.name ?? t.defaultPipeline}
            selectedOptions={[filters.pipelineId ?? ""]}
            onOptionSelect={(_, d) => set("pipelineId", d.optionValue)}
          >
            <Option value="">
              {defaultPipeline
                ? translate(t.pipelineIsDefault, { name: defaultPipeline.name })
                : t.defaultPipeline}
            </Option>
            {(pipelines.data?.pipelines ?? [])
              .filter((p) => !p.isDefault)
              .map((p) => (
                <Option key={p.id} value={p.id}>
                  {p.name}
                </Option>
              ))}
          </Dropdown>
        </Field>
      )}
      {has("segmentId") && (
        <Field label={t.segment}>
          <Dropdown
            value={segment?.name ?? t.allContacts}
            selectedOptions={[filters.segmentId ?? ""]}
            onOptionSelect={(_, d) => set("segmentId", d.optionValue)}
          >
            <Option value="">{t.allContacts}</Option>
            {(segments.data?.items ?? []).map((s) => (
              <Option key={s.id} value={s.id}>
                {s.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      {has("ownerId") && (
        <Field label={t.owner}>
          <Dropdown
            value={owner ? (owner.displayName ?? owner.email ?? "") : t.everyone}
            selectedOptions={[filters.ownerId ?? ""]}
            onOptionSelect={(_, d) => set("ownerId", d.optionValue)}
          >
            <Option value="">{t.everyone}</Option>
            {(users.data?.items ?? []).map((u) => (
              <Option key={u.id} value={u.id}>
                {u.displayName ?? u.email ?? u.id}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      {has("from") && (
        <Field label={t.from}>
          <Input type="date" value={filters.from ?? ""} onChange={(_, d) => set("from", d.value)} />
        </Field>
      )}
      {has("to") && (
        <Field label={t.to} validationMessage={badPeriod ? t.periodBackwards : undefined}>
          <Input type="date" value={filters.to ?? ""} onChange={(_, d) => set("to", d.value)} />
        </Field>
      )}
      {(filters.from || filters.to || filters.ownerId || filters.pipelineId || filters.segmentId) && (
        <Button appearance="subtle" onClick={() => onFilters({})}>
          {t.clearFilters}
        </Button>
      )}
    </form>
  );
}

/**
 * In the base currency (each currency converted at the rate an admin set, with the rate named) or per currency
 * (nothing converted): never a sum of different currencies.
 */
function AmountsChooser({
  amounts,
  onAmounts,
  base,
}: {
  amounts: Amounts;
  onAmounts(amounts: Amounts): void;
  base: string | null;
}) {
  const t = useMessages(reportMessages);
  return (
    <Field label={t.amounts}>
      <RadioGroup
        layout="horizontal"
        value={amounts}
        onChange={(_, d) => onAmounts(d.value === "currency" ? "currency" : "base")}
      >
        <Radio value="base" label={base ? translate(t.inNamedBase, { currency: base }) : t.inBase} />
        <Radio value="currency" label={t.perCurrency} />
      </RadioGroup>
    </Field>
  );
}

function ExportButtons({ report, filters }: { report: ReportDefinition; filters: ReportFilters }) {
  const { files, timeZone } = useWebApp();
  const t = useMessages(reportMessages);
  return (
    <DownloadButtons
      formats={(["csv", "xlsx"] as const).map((format) => {
        const label = format.toUpperCase();
        return { format, label, name: translate(t.exportAs, { format: label }) };
      })}
      download={(format: FileFormat) => report.download(files, format, filters, timeZone)}
    />
  );
}
