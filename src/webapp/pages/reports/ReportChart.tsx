import { DataVizPalette, GroupedVerticalBarChart, getColorFromToken } from "@fluentui/react-charts";
import { makeStyles } from "@fluentui/react-components";
import { useEffect, useRef } from "react";
import type { ReportChartData } from "./definitions";
import { translate } from "../../../shared/languages";
import { displayLocale } from "../../format";
import { useMessages } from "../../i18n/language";
import { reportMessages } from "./report-messages";

const HEIGHTS = { large: 320, small: 220 } as const;

const useStyles = makeStyles({
  large: { width: "100%", minHeight: `${HEIGHTS.large}px` },
  small: { width: "100%", minHeight: `${HEIGHTS.small}px` },
});

const PALETTE = [
  DataVizPalette.color1,
  DataVizPalette.color2,
  DataVizPalette.color3,
  DataVizPalette.color4,
  DataVizPalette.color5,
];

/**
 * The report's bars: a group per stage, month, rep or week, a bar per series. Its own chunk, loaded when a
 * report is first shown: the charts library is most of the reports page's weight. Axis text and grid lines
 * follow the Fluent theme; the bar colours are the data-visualisation palette's, in their dark-theme shades
 * when the page is dark. The library writes some words of its own: the figures follow the language's locale, the
 * legends' overflow and the chart's description are ours, and the bar groups' screen-reader labels, which it
 * writes in English and takes no words for, are written over in the reader's language as it draws them.
 */
export default function ReportChart({
  chart,
  title,
  dark,
  size = "large",
}: {
  chart: ReportChartData;
  title: string;
  dark: boolean;
  /** Small for one of several charts side by side (one per currency). */
  size?: keyof typeof HEIGHTS;
}) {
  const styles = useStyles();
  const t = useMessages(reportMessages);
  const colors = chart.series.map((_, i) => getColorFromToken(PALETTE[i % PALETTE.length] as string, dark));
  const data = chart.categories.map((name, i) => ({
    name,
    series: chart.series.map((s, j) => ({
      key: `${j}`,
      legend: s.legend,
      data: s.values[i] ?? 0,
      color: colors[j],
    })),
  }));
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = frame.current;
    if (!root) return;
    const name = (position: number) =>
      translate(t.barGroup, {
        name: chart.categories[position] ?? "",
        position: position + 1,
        groups: chart.categories.length,
        bars: chart.series.length,
      });
    // The library names each group "<x>, category 1 of 4, with 2 bars" whenever it draws; it draws again on
    // hover and resize, so its labels are rewritten as they come.
    const rename = () => {
      root.querySelectorAll('svg g[role="listbox"]').forEach((group, position) => {
        const label = name(position);
        if (group.getAttribute("aria-label") !== label) group.setAttribute("aria-label", label);
      });
    };
    rename();
    const observer = new MutationObserver(rename);
    observer.observe(root, { subtree: true, childList: true, attributeFilter: ["aria-label"] });
    return () => observer.disconnect();
  }, [chart, t]);
  return (
    <div className={styles[size]} ref={frame}>
      <GroupedVerticalBarChart
        data={data}
        chartTitle={title}
        culture={displayLocale()}
        legendProps={{ overflowText: t.moreLegends }}
        // Spread over the library's own English description of the chart's axes, which it names the chart by.
        svgProps={{ "aria-label": translate(t.chartDescription, { title }) }}
        height={HEIGHTS[size]}
        yAxisTitle={chart.yAxisTitle}
        hideLabels={chart.categories.length > 12}
        wrapXAxisLables
      />
    </div>
  );
}
