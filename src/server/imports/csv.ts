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
  /** The line of the first row with more cells than `maxColumns`, found before reading any row; else null. */
  tooWideAt: number | null;
}

/**
 * The most blank rows a file may have: a sheet's rows in Excel, whose export of a sheet formatted to its end is
 * all blank rows after the data. More is no spreadsheet's, and each would still be read as a row.
 */
export const MAX_BLANK_ROWS = 1_048_576;

const LINE_BREAKS = ["\r\n", "\n", "\r"] as const;
const isWhitespace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/**
 * Where the first row with more than `maxCells` cells starts, or -1: the rows counted, not read. papaparse hands a
 * row over only once it has built it whole, so a row of millions of cells (50 MB of commas is 50 million) would
 * be in memory before anything could refuse it. The cells are split as papaparse splits them: at the delimiter
 * and the line break, except inside a cell that starts with a quote, which runs to a quote followed (after
 * whitespace, if any) by the delimiter or the line break; a doubled quote is a quote, and any other quote is
 * text. One pass, each character looked at a bounded number of times.
 */
function tooWideRowAt(text: string, delimiter: string, newline: string, maxCells: number): number {
  let rowStart = 0;
  let cells = 1;
  let at = 0;
  let nextDelimiter = text.indexOf(delimiter);
  let nextNewline = text.indexOf(newline);
  const cellEnds = (end: number) => {
    cells++;
    at = end + delimiter.length;
    return cells > maxCells;
  };
  const rowEnds = (end: number) => {
    cells = 1;
    at = end + newline.length;
    rowStart = at;
  };
  while (at < text.length) {
    if (text[at] === '"') {
      let quote = at;
      for (;;) {
        quote = text.indexOf('"', quote + 1);
        // The cell runs to the end of the file: no more rows.
        if (quote === -1 || quote === text.length - 1) return -1;
        if (text[quote + 1] === '"') {
          quote++;
          continue;
        }
        let after = quote + 1;
        while (
          isWhitespace(text[after]) &&
          !text.startsWith(delimiter, after) &&
          !text.startsWith(newline, after)
        )
          after++;
        if (text.startsWith(delimiter, after)) {
          if (cellEnds(after)) return rowStart;
          break;
        }
        if (text.startsWith(newline, after)) {
          rowEnds(after);
          break;
        }
      }
      if (nextDelimiter !== -1 && nextDelimiter < at) nextDelimiter = text.indexOf(delimiter, at);
      if (nextNewline !== -1 && nextNewline < at) nextNewline = text.indexOf(newline, at);
      continue;
    }
    if (nextDelimiter !== -1 && (nextNewline === -1 || nextDelimiter < nextNewline)) {
      if (cellEnds(nextDelimiter)) return rowStart;
      nextDelimiter = text.indexOf(delimiter, at);
      continue;
    }
    if (nextNewline === -1) return -1;
    rowEnds(nextNewline);
    nextNewline = text.indexOf(newline, at);
  }
  return -1;
}

/** The 1-based line of an offset, counting `newline`s before it. */
function lineOf(text: string, offset: number, newline: string): number {
  let line = 1;
  for (let i = text.indexOf(newline); i !== -1 && i < offset; i = text.indexOf(newline, i + newline.length))
    line++;
  return line;
}

/**
 * Reads a CSV as spreadsheets write it: the delimiter guessed (`,` `;` tab `|`), a UTF-8 byte order mark dropped,
 * quoted cells with line breaks and doubled quotes, CRLF, LF or CR line ends. The first non-empty row is the
 * header; blank rows are skipped. Rows are read one at a time (papaparse's step), each with the line it starts on.
 * A row of more than `maxColumns` cells stops it before any row is read (`tooWideAt`).
 */
export function readCsv(content: string, maxRows: number, maxColumns: number): CsvTable {
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
  // The line break is guessed with it, and given to the reader: the width check and the reader split alike.
  const guessed = Papa.parse<string[]>(text.slice(0, 64 * 1024), {
    header: false,
    preview: 20,
    skipEmptyLines: "greedy",
  }).meta;
  const linebreak = LINE_BREAKS.find((b) => b === guessed.linebreak) ?? "\n";
  const wide = tooWideRowAt(text, guessed.delimiter, linebreak, maxColumns);
  if (wide !== -1)
    return {
      delimiter: guessed.delimiter,
      header: [],
      rows: [],
      errors: [],
      tooMany: false,
      tooManyBlank: false,
      tooWideAt: lineOf(text, wide, linebreak),
    };
  let tooWideAt: number | null = null;
  Papa.parse<string[]>(text, {
    header: false,
    delimiter: guessed.delimiter,
    newline: linebreak,
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
      // Counted before reading, so never met; should the two ever split a row apart differently, still refused.
      if (cells.length > maxColumns) {
        tooWideAt = rowLine;
        parser.abort();
        return;
      }
      for (const error of results.errors)
        if (error.type === "Quotes")
          errors.push({
            line: rowLine,
            field: null,
            code: "quotes_not_closed",
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
  return { delimiter, header: header ?? [], rows, errors, tooMany, tooManyBlank, tooWideAt };
}

/**
 * A spreadsheet cell the export protected from being run as a formula (`'=…`, `'+1 555…`) reads back as it was
 * typed: the apostrophe is ours, not the person's.
 */
export function unprotectCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
