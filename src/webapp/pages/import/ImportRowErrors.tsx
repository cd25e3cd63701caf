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
import { countText } from "../../i18n/plural";
import { useLanguage, useMessages } from "../../i18n/language";
import { importFieldLabel, importMessages } from "./import-messages";

/** Every row error of the file with its line, so the rep can correct the file where it is wrong. */
export function ImportRowErrors({
  errors,
  invalid,
  targets,
}: {
  errors: RowError[];
  invalid: number;
  /** The fields the file could fill, for a custom field's label. */
  targets: readonly { field: string; label: string }[];
}) {
  const t = useMessages(importMessages);
  const { language } = useLanguage();
  return (
    <Section title={t.errors}>
      <Text>
        {countText(language, invalid, {
          one: t.cannotImportOne,
          few: t.cannotImportFew,
          other: t.cannotImportOther,
        })}
      </Text>
      <Table size="small">
        <caption>{t.rowErrorsCaption}</caption>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.line}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.field}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.problem}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {errors.map((error, index) => (
            <TableRow key={`${error.line}:${error.field ?? ""}:${index}`}>
              <TableCell>{error.line}</TableCell>
              <TableCell>{error.field === null ? "" : importFieldLabel(error.field, targets, t)}</TableCell>
              {/* The server's words (English): why a value is refused is open-ended, with no code to translate by. */}
              <TableCell>{error.message}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}
