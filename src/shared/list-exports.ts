import type { z } from "zod";
import { CompanyListQuery } from "./companies";
import { ContactListQuery } from "./contacts";
import { DealListQuery } from "./deals";
import { NoteListQuery } from "./interactions";
import { TaskListQuery } from "./tasks";

/**
 * A list's export takes the list's filters, not its paging: the file holds every row that matches, in the
 * list's order. Sending `cursor` or `limit` is refused, so nobody mistakes the file for one page.
 */
const paging = { cursor: true, limit: true } as const;

export const ContactExportQuery = ContactListQuery.omit(paging);
export type ContactExportQuery = z.infer<typeof ContactExportQuery>;
export const CompanyExportQuery = CompanyListQuery.omit(paging);
export const DealExportQuery = DealListQuery.omit(paging);
export const TaskExportQuery = TaskListQuery.omit(paging);
export const NoteExportQuery = NoteListQuery.omit(paging);

/**
 * The most rows one export holds. Past it the answer is 422 `export_too_large`, before anything is written:
 * a workbook is built in memory, and a rep who needs more narrows the filters (or asks an admin for a dump).
 */
export const LIST_EXPORT_MAX_ROWS = 50_000;
