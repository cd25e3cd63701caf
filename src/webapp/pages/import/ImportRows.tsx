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

const DEFAULT = "";

const ACTION_LABELS: Record<PreviewRow["action"], string> = {
  create: "Create",
  update: "Update",
  skip: "Skip",
  error: "Has errors",
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
  if (preview.rows.length === 0) return <EmptyState>The file has no rows under its header.</EmptyState>;
  const shown = preview.rows.length;
  return (
    <Table size="small">
      <caption>
        {shown < preview.counts.rows
          ? `The first ${shown} of ${preview.counts.rows} rows`
          : `All ${shown} rows`}
      </caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">Line</TableHeaderCell>
          <TableHeaderCell scope="col">
            {preview.entity === "contacts" ? "Contact" : "Company"}
          </TableHeaderCell>
          <TableHeaderCell scope="col">
            {preview.entity === "contacts" ? "Addresses" : "Domain"}
          </TableHeaderCell>
          <TableHeaderCell scope="col">Duplicate of</TableHeaderCell>
          <TableHeaderCell scope="col">Will</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {preview.rows.map((row) => (
          <TableRow key={row.line}>
            <TableCell>{row.line}</TableCell>
            <TableCell>{row.contact?.displayName ?? row.company?.name ?? ""}</TableCell>
            <TableCell>{row.contact ? row.contact.emails.join(", ") : (row.company?.domain ?? "")}</TableCell>
            <TableCell>{duplicateOf(row)}</TableCell>
            <TableCell>
              {row.duplicate && row.action !== "error" ? (
                <Select
                  aria-label={`What to do with line ${row.line}`}
                  value={decisions.get(row.line) ?? DEFAULT}
                  disabled={disabled}
                  onChange={(_, d) =>
                    onDecide(row.line, d.value === DEFAULT ? null : (d.value as DuplicateAction))
                  }
                >
                  <option
                    value={DEFAULT}
                  >{`As above: ${ACTION_LABELS[preview.onDuplicate].toLowerCase()}`}</option>
                  <option value="skip">Skip</option>
                  <option value="update">Update</option>
                  <option value="create">Create</option>
                </Select>
              ) : (
                <Badge
                  appearance="tint"
                  color={
                    row.action === "error" ? "danger" : row.action === "create" ? "success" : "informative"
                  }
                >
                  {ACTION_LABELS[row.action]}
                </Badge>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function duplicateOf(row: PreviewRow): string {
  const duplicate = row.duplicate;
  if (!duplicate) return "";
  return duplicate.kind === "record"
    ? `${duplicate.name} (${duplicate.match})`
    : `Line ${duplicate.line} of the file (${duplicate.match})`;
}
