import { CompanyExportQuery, DealExportQuery, NoteExportQuery, TaskExportQuery } from "../list-exports";
import { type RouteContract, listExport } from "./contract";

const companyExport = listExport("/api/v1/companies", "company", CompanyExportQuery);
const dealExport = listExport("/api/v1/deals", "deal", DealExportQuery);
const taskExport = listExport("/api/v1/tasks", "task", TaskExportQuery);
const noteExport = listExport("/api/v1/notes", "note, call, meeting and visit", NoteExportQuery);

/** The lists of companies, deals, tasks and notes as files: the list's filters, every page. */
export const listExportRoutes = {
  exportCompaniesCsv: companyExport.csv,
  exportCompaniesXlsx: companyExport.xlsx,
  exportDealsCsv: dealExport.csv,
  exportDealsXlsx: dealExport.xlsx,
  exportTasksCsv: taskExport.csv,
  exportTasksXlsx: taskExport.xlsx,
  exportNotesCsv: noteExport.csv,
  exportNotesXlsx: noteExport.xlsx,
} as const satisfies Record<string, RouteContract>;
