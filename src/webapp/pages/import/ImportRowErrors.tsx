import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import type { RowError } from "../../../shared/imports";
import { Section } from "../../components/Section";

/** Every row error of the file with its line, so the rep can correct the file where it is wrong. */
export function ImportRowErrors({ errors, invalid }: { errors: RowError[]; invalid: number }) {
  return (
    <Section title="Errors">
      <Text>{`${invalid} ${invalid === 1 ? "row" : "rows"} cannot be imported as they are.`}</Text>
      <Table size="small">
        <caption>Row errors by line</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">Line</TableHeaderCell>
            <TableHeaderCell scope="col">Field</TableHeaderCell>
            <TableHeaderCell scope="col">Problem</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {errors.map((error, index) => (
            <TableRow key={`${error.line}:${error.field ?? ""}:${index}`}>
              <TableCell>{error.line}</TableCell>
              <TableCell>{error.field ?? ""}</TableCell>
              <TableCell>{error.message}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}
