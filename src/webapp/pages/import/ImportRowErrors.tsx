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
import { type Catalogue, translate } from "../../../shared/languages";
import { Section } from "../../components/Section";
import { countText } from "../../i18n/plural";
import { useLanguage, useMessages } from "../../i18n/language";
import { importFieldLabel, importMessages } from "./import-messages";

type ImportWords = Catalogue<keyof (typeof importMessages)["en"]>;

/** Why a row cannot be stored, in the reader's words; a refused value adds the contract's (English) reason. */
function rowErrorText(error: RowError, t: ImportWords): string {
  const values = error.values ?? {};
  switch (error.code) {
    case "name_or_email_needed":
      return t.rowNameOrEmailNeeded;
    case "name_or_domain_needed":
      return t.rowNameOrDomainNeeded;
    case "required":
      return translate(t.rowRequired, { label: values.label ?? "" });
    case "company_not_stored":
      return translate(t.rowCompanyNotStored, { company: values.company ?? "", labels: values.labels ?? "" });
    case "quotes_not_closed":
      return t.rowQuotesNotClosed;
    case "card_not_ended":
      return t.rowCardNotEnded;
    case "value_refused":
      return translate(t.rowValueRefused, { details: error.message });
  }
}

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
              <TableCell>{rowErrorText(error, t)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}
