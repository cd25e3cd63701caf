import {
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  makeStyles,
} from "@fluentui/react-components";
import type { ColumnMapping, ImportPreview } from "../../../shared/imports";
import { Section } from "../../components/Section";

const useStyles = makeStyles({
  samples: { color: tokens.colorNeutralForeground3 },
});

const LEAVE_OUT = "";

/**
 * Each column of the file with a few of its values and the field it fills. The server suggests the mapping from
 * the headers; a change here asks for a new preview with the whole mapping.
 */
export function ImportColumns({
  preview,
  disabled,
  onMappingChange,
}: {
  preview: ImportPreview;
  disabled: boolean;
  onMappingChange(mapping: ColumnMapping[]): void;
}) {
  const styles = useStyles();
  const fieldOf = new Map(preview.mapping.map((m) => [m.column, m.field]));
  const change = (column: number, field: string) => {
    const next = preview.mapping.filter((m) => m.column !== column);
    if (field !== LEAVE_OUT) next.push({ column, field });
    onMappingChange(next.sort((a, b) => a.column - b.column));
  };
  return (
    <Section title="Columns">
      <Text>
        {preview.suggested
          ? `Matched from the column names${preview.delimiter ? ` (separated by ${describe(preview.delimiter)})` : ""}. Change any that is wrong.`
          : "As you mapped them."}
      </Text>
      <Table size="small">
        <caption>The file&apos;s columns and the field each fills</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">Column</TableHeaderCell>
            <TableHeaderCell scope="col">Values</TableHeaderCell>
            <TableHeaderCell scope="col">Fills</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {preview.columns.map((column) => (
            <TableRow key={column.index}>
              <TableCell>{column.header || `Column ${column.index + 1}`}</TableCell>
              <TableCell className={styles.samples}>{column.samples.join(", ") || "(empty)"}</TableCell>
              <TableCell>
                <Select
                  aria-label={`Field for the column ${column.header || column.index + 1}`}
                  value={fieldOf.get(column.index) ?? LEAVE_OUT}
                  disabled={disabled}
                  onChange={(_, d) => change(column.index, d.value)}
                >
                  <option value={LEAVE_OUT}>Leave out</option>
                  {preview.targets.map((target) => (
                    <option key={target.field} value={target.field}>
                      {target.label + (target.required ? " (required)" : "")}
                    </option>
                  ))}
                </Select>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}

function describe(delimiter: string): string {
  if (delimiter === "\t") return "tabs";
  if (delimiter === ";") return "semicolons";
  if (delimiter === ",") return "commas";
  return `"${delimiter}"`;
}
