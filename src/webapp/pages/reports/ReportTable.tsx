import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ReportView } from "./definitions";

const useStyles = makeStyles({
  wrap: { overflowX: "auto" },
  caption: {
    textAlign: "start",
    padding: `${tokens.spacingVerticalS} 0`,
    fontWeight: tokens.fontWeightSemibold,
  },
  numeric: { textAlign: "end", fontVariantNumeric: "tabular-nums", justifyContent: "flex-end" },
});

/** The figures behind the chart as a real table: what a screen reader reads, and what a careful reader checks. */
export function ReportTable({ view, caption }: { view: ReportView; caption: string }) {
  const styles = useStyles();
  return (
    <div className={styles.wrap}>
      <Table size="small">
        <caption className={styles.caption}>{caption}</caption>
        <TableHeader>
          <TableRow>
            {view.columns.map((c) => (
              <TableHeaderCell
                key={c.header}
                scope="col"
                button={c.numeric ? { className: styles.numeric } : undefined}
              >
                {c.header}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.rows.map((row) => (
            <TableRow key={row.key}>
              {row.cells.map((cell, i) => (
                <TableCell
                  key={view.columns[i]?.header ?? i}
                  className={view.columns[i]?.numeric ? styles.numeric : undefined}
                >
                  {cell}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
