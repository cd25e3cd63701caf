import Papa from "papaparse";
import type { RowError } from "../../shared/errors";

export interface CsvRow {
  /** The file's physical line the row starts on (1-based; a quoted line break inside a cell counts). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: string;
  header: string[];
  rows: CsvRow[];
  /** Rows the parser could not read whole (an unclosed quote), by line. */
  errors: RowError[];
  /** More data rows than `maxRows`: reading stopped there. */
  tooMany: boolean;
  /** More blank rows than MAX_BLANK_ROWS: reading stopped there. */
  tooManyBlank: boolean;
}

/**
 * The most blank rows a file may have: a sheet's rows in Excel, whose export of a sheet formatted to its end is
 * all blank rows after the data. More is no spreadsheet's, and each would still be read as a row.
 */
export const MAX_BLANK_ROWS = 1_048_576;

/**
 * Reads a CSV as spreadsheets write it: the delimiter guessed (`,` `;` tab `|`), a UTF-8 byte order mark dropped,
 * quoted cells with line breaks and doubled quotes, CRLF, LF or CR line ends. The first non-empty row is the
 * header; blank rows are skipped. Rows are read one at a time (papaparse's step), each with the line it starts on.
 */
export function readCsv(content: string, maxRows: number): CsvTable {
  const text = content.replace(/^\uFEFF/, "");
  let header: string[] | null = null;
  const rows: CsvRow[] = [];
  const errors: RowError[] = [];
  let delimiter = ",";
  let newline = "\n";
  // The row's first character is where the previous one ended; lines are counted up to it as rows go by.
  let rowStart = 0;
  let counted = 0;
  let line = 1;
  let tooMany = false;
  let tooManyBlank = false;
  let blankRows = 0;
  // Blank lines are kept while reading (each row's line is counted from where the previous one ended), but not
  // while guessing the delimiter: papaparse would count them as one-column rows and settle on a comma.
  const guessed = Papa.parse<string[]>(text.slice(0, 64 * 1024), {
    header: false,
    preview: 20,
    skipEmptyLines: "greedy",
  }).meta.delimiter;
  Papa.parse<string[]>(text, {
    header: false,
    delimiter: guessed,
    skipEmptyLines: false,
    step(results, parser) {
      const end = results.meta.cursor;
      delimiter = results.meta.delimiter;
      newline = results.meta.linebreak || newline;
      const breakChar = newline === "\r" ? "\r" : "\n";
      for (
        let i = text.indexOf(breakChar, counted);
        i !== -1 && i < rowStart;
        i = text.indexOf(breakChar, i + 1)
      )
        line++;
      counted = rowStart;
      const rowLine = line;
      rowStart = end;
      const cells = results.data;
      for (const error of results.errors)
        if (error.type === "Quotes")
          errors.push({
            line: rowLine,
            field: null,
            message: `the row's quotes are not closed (${error.message})`,
          });
      if (cells.every((cell) => cell.trim() === "")) {
        // Skipped, but each still read as a row: 50 MB of line breaks would be read for a minute.
        if (++blankRows > MAX_BLANK_ROWS) {
          tooManyBlank = true;
          parser.abort();
        }
        return;
      }
      if (header === null) {
        header = cells;
        return;
      }
      if (rows.length >= maxRows) {
        tooMany = true;
        parser.abort();
        return;
      }
      rows.push({ line: rowLine, cells });
    },
  });
  return { delimiter, header: header ?? [], rows, errors, tooMany, tooManyBlank };
}

/**
 * A spreadsheet cell the export protected from being run as a formula (`'=…`, `'+1 555…`) reads back as it was
 * typed: the apostrophe is ours, not the person's.
 */
export function unprotectCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
