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
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { type ImportCatalogue, importFieldLabel, importMessages } from "./import-messages";

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
  const t = useMessages(importMessages);
  const fieldOf = new Map(preview.mapping.map((m) => [m.column, m.field]));
  const change = (column: number, field: string) => {
    const next = preview.mapping.filter((m) => m.column !== column);
    if (field !== LEAVE_OUT) next.push({ column, field });
    onMappingChange(next.sort((a, b) => a.column - b.column));
  };
  return (
    <Section title={t.columns}>
      <Text>{preview.suggested ? matched(preview.delimiter, t) : t.asMapped}</Text>
      <Table size="small">
        <caption>{t.columnsCaption}</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.column}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.values}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.fills}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {preview.columns.map((column) => (
            <TableRow key={column.index}>
              <TableCell>
                {column.header || translate(t.columnNumber, { number: column.index + 1 })}
              </TableCell>
              <TableCell className={styles.samples}>{column.samples.join(", ") || t.noValues}</TableCell>
              <TableCell>
                <Select
                  aria-label={translate(t.fieldForColumn, { column: column.header || column.index + 1 })}
                  value={fieldOf.get(column.index) ?? LEAVE_OUT}
                  disabled={disabled}
                  onChange={(_, d) => change(column.index, d.value)}
                >
                  <option value={LEAVE_OUT}>{t.leaveOut}</option>
                  {preview.targets.map((target) => (
                    <option key={target.field} value={target.field}>
                      {target.required
                        ? translate(t.requiredField, {
                            field: importFieldLabel(target.field, preview.targets, t),
                          })
                        : importFieldLabel(target.field, preview.targets, t)}
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

/** How the columns were matched, naming the separator found (a whole sentence each: languages inflect it). */
function matched(delimiter: string | null, t: ImportCatalogue): string {
  if (delimiter === null) return t.matched;
  if (delimiter === "\t") return t.matchedTabs;
  if (delimiter === ";") return t.matchedSemicolons;
  if (delimiter === ",") return t.matchedCommas;
  return translate(t.matchedOther, { separator: delimiter });
}
