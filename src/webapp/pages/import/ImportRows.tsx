import {
  Badge,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import type { DuplicateAction, ImportPreview, PreviewRow } from "../../../shared/imports";
import { EmptyState } from "../../components/EmptyState";
import { translate } from "../../../shared/languages";
import { useLanguage, useMessages } from "../../i18n/language";
import { countText } from "../../i18n/plural";
import { type ImportCatalogue, importMessages } from "./import-messages";

const DEFAULT = "";

const ACTION_LABELS: Record<PreviewRow["action"], keyof ImportCatalogue> = {
  create: "actionCreate",
  update: "actionUpdate",
  skip: "actionSkip",
  error: "actionError",
};

const AS_ABOVE: Record<DuplicateAction, keyof ImportCatalogue> = {
  create: "asAboveCreate",
  update: "asAboveUpdate",
  skip: "asAboveSkip",
};

/** The first rows as they would be stored, each duplicate named, with a choice for that row alone. */
export function ImportRows({
  preview,
  decisions,
  disabled,
  onDecide,
}: {
  preview: ImportPreview;
  decisions: ReadonlyMap<number, DuplicateAction>;
  disabled: boolean;
  onDecide(line: number, action: DuplicateAction | null): void;
}) {
  const t = useMessages(importMessages);
  const { language } = useLanguage();
  if (preview.rows.length === 0) return <EmptyState>{t.noRows}</EmptyState>;
  const shown = preview.rows.length;
  const total = preview.counts.rows;
  return (
    <Table size="small">
      <caption>
        {shown < total
          ? countText(
              language,
              total,
              { one: t.firstRowsOne, few: t.firstRowsFew, other: t.firstRowsOther },
              { shown },
            )
          : countText(language, shown, { one: t.allRowsOne, few: t.allRowsFew, other: t.allRowsOther })}
      </caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t.line}</TableHeaderCell>
          <TableHeaderCell scope="col">
            {preview.entity === "contacts" ? t.contact : t.company}
          </TableHeaderCell>
          <TableHeaderCell scope="col">
            {preview.entity === "contacts" ? t.addresses : t.domain}
          </TableHeaderCell>
          <TableHeaderCell scope="col">{t.duplicateOf}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.will}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {preview.rows.map((row) => (
          <TableRow key={row.line}>
            <TableCell>{row.line}</TableCell>
            <TableCell>{row.contact?.displayName ?? row.company?.name ?? ""}</TableCell>
            <TableCell>{row.contact ? row.contact.emails.join(", ") : (row.company?.domain ?? "")}</TableCell>
            <TableCell>{duplicateOf(row, t)}</TableCell>
            <TableCell>
              {row.duplicate && row.action !== "error" ? (
                <Select
                  aria-label={translate(t.whatToDo, { line: row.line })}
                  value={decisions.get(row.line) ?? DEFAULT}
                  disabled={disabled}
                  onChange={(_, d) =>
                    onDecide(row.line, d.value === DEFAULT ? null : (d.value as DuplicateAction))
                  }
                >
                  <option value={DEFAULT}>{t[AS_ABOVE[preview.onDuplicate]]}</option>
                  <option value="skip">{t.actionSkip}</option>
                  <option value="update">{t.actionUpdate}</option>
                  <option value="create">{t.actionCreate}</option>
                </Select>
              ) : (
                <Badge
                  appearance="tint"
                  color={
                    row.action === "error" ? "danger" : row.action === "create" ? "success" : "informative"
                  }
                >
                  {t[ACTION_LABELS[row.action]]}
                </Badge>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function duplicateOf(row: PreviewRow, t: ImportCatalogue): string {
  const duplicate = row.duplicate;
  if (!duplicate) return "";
  return duplicate.kind === "record"
    ? `${duplicate.name} (${duplicate.match})`
    : translate(t.duplicateLine, { line: duplicate.line, match: duplicate.match });
}
