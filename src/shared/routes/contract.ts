import type { z } from "zod";
import { Deleted, IdParams, Page } from "../common";

export interface RouteContract {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Fastify-style path: `:id` for a parameter. */
  path: string;
  summary: string;
  /** Every route needs a bearer token unless it says otherwise. */
  public?: boolean;
  /** Updates take the version they read, in the body or as `If-Match`. */
  versioned?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** JSON answers by status; empty for a route that answers a file. */
  responses: { 200?: z.ZodType; 201?: z.ZodType };
  /** The 200 answer is a file to download (a table as CSV or as an Excel workbook, or vCards) rather than JSON. */
  file?: FileFormat;
  /** The 200 answer is JSON to save as a file (`Content-Disposition: attachment`), named by the handler. */
  attachment?: boolean;
  /** A larger body than the API's 1 MB (an imported file). */
  bodyLimit?: number;
  /**
   * A long-running route that, asked with `Accept: application/x-ndjson`, answers 200 at once and then one JSON
   * line per step `{ phase, done, total }`, and last `{ result }` (its 200 body) or `{ error }` (its problem).
   */
  progress?: boolean;
}

/** Tables (csv, xlsx) or documents written whole (vcf: vCards; pdf: a quote). */
export type FileFormat = TableFormat | "vcf" | "pdf";
export type TableFormat = "csv" | "xlsx";
export const FILE_MEDIA_TYPES: Record<FileFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  vcf: "text/vcard; charset=utf-8",
  pdf: "application/pdf",
};
export const PROGRESS_MEDIA_TYPE = "application/x-ndjson";

/**
 * A report answers JSON at its path, and the same rows as a file at the path plus `.csv` or `.xlsx`, with the
 * same filters: a link to a spreadsheet is a plain GET a browser can download.
 */
export function report<Query extends z.ZodType, Result extends z.ZodType>(
  name: string,
  summary: string,
  query: Query,
  result: Result,
) {
  const path = `/api/v1/reports/${name}`;
  const file = <F extends TableFormat>(format: F, as: string) =>
    ({
      method: "GET",
      path: `${path}.${format}`,
      summary: `${summary}, as ${as}`,
      query,
      responses: {},
      file: format,
    }) as const;
  return {
    json: { method: "GET", path, summary, query, responses: { 200: result } },
    csv: file("csv", "CSV (RFC 4180, UTF-8 with a byte order mark so Excel reads it)"),
    xlsx: file("xlsx", "an Excel workbook"),
  } as const satisfies Record<string, RouteContract>;
}

export function crud<
  Item extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Query extends z.ZodType,
>(base: string, noun: string, item: Item, create: Create, update: Update, query: Query) {
  return {
    list: {
      method: "GET",
      path: base,
      summary: `List ${noun}s (search with q, narrow with the filters, page with cursor)`,
      query,
      responses: { 200: Page(item) },
    },
    create: {
      method: "POST",
      path: base,
      summary: `Create a ${noun}`,
      body: create,
      responses: { 201: item },
    },
    get: {
      method: "GET",
      path: `${base}/:id`,
      summary: `Read a ${noun}`,
      params: IdParams,
      responses: { 200: item },
    },
    update: {
      method: "PATCH",
      path: `${base}/:id`,
      summary: `Update a ${noun} (stale version: 409 with the current record)`,
      versioned: true,
      params: IdParams,
      body: update,
      responses: { 200: item },
    },
    remove: {
      method: "DELETE",
      path: `${base}/:id`,
      summary: `Delete a ${noun}`,
      params: IdParams,
      responses: { 200: Deleted },
    },
  } as const satisfies Record<string, RouteContract>;
}

/**
 * A list's rows as a file, with the list's filters and every page: `GET <list>/export.csv` or `.xlsx`. Capped
 * at LIST_EXPORT_MAX_ROWS (422 `export_too_large` past it).
 */
export function listExport<Query extends z.ZodType>(base: string, noun: string, query: Query) {
  const file = <F extends FileFormat>(format: F, as: string) =>
    ({
      method: "GET",
      path: `${base}/export.${format}`,
      summary: `Every ${noun} the list's filters match, in the list's order, as ${as}`,
      query,
      responses: {},
      file: format,
    }) as const;
  return {
    csv: file("csv", "CSV (RFC 4180, UTF-8 with a byte order mark)"),
    xlsx: file("xlsx", "an Excel workbook"),
  } as const satisfies Record<string, RouteContract>;
}
