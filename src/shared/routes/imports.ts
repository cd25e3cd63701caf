import {
  IMPORT_BODY_LIMIT,
  ImportCommitRequest,
  ImportPreview,
  ImportPreviewRequest,
  ImportResult,
} from "../imports";
import { ContactExportQuery } from "../list-exports";
import type { RouteContract } from "./contract";

/** Import and export of contacts and companies: everyone who may create them may import them. */
export const importRoutes = {
  previewImport: {
    method: "POST",
    path: "/api/v1/imports/preview",
    summary:
      "Read a CSV or vCard file: the suggested column mapping, the first rows as they would be stored, duplicates flagged, every row error with its line",
    body: ImportPreviewRequest,
    bodyLimit: IMPORT_BODY_LIMIT,
    responses: { 200: ImportPreview },
  },
  commitImport: {
    method: "POST",
    path: "/api/v1/imports/commit",
    summary:
      "Import a CSV or vCard file, all rows or none (422 import_rows_invalid with every row error); progress as NDJSON on request",
    body: ImportCommitRequest,
    bodyLimit: IMPORT_BODY_LIMIT,
    progress: true,
    responses: { 200: ImportResult },
  },
  exportContactsCsv: {
    method: "GET",
    path: "/api/v1/contacts/export.csv",
    summary: "The contacts the list's filters match as CSV (RFC 4180, UTF-8 with a byte order mark)",
    query: ContactExportQuery,
    responses: {},
    file: "csv",
  },
  exportContactsXlsx: {
    method: "GET",
    path: "/api/v1/contacts/export.xlsx",
    summary: "The contacts the list's filters match as an Excel workbook",
    query: ContactExportQuery,
    responses: {},
    file: "xlsx",
  },
  exportContactsVcf: {
    method: "GET",
    path: "/api/v1/contacts/export.vcf",
    summary: "The contacts the list's filters match as vCards 4.0",
    query: ContactExportQuery,
    responses: {},
    file: "vcf",
  },
} as const satisfies Record<string, RouteContract>;
