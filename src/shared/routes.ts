import { z } from "zod";
import { Deleted, IdParams, Page } from "./common";
import { Dashboard, DashboardQuery } from "./dashboard";
import { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from "./companies";
import { Contact, ContactCreate, ContactListQuery, ContactUpdate } from "./contacts";
import {
  BaseCurrencyUpdate,
  Currencies,
  CurrencyParams,
  ExchangeRate,
  ExchangeRateDeleted,
  ExchangeRateSet,
} from "./currencies";
import { DealCreate, DealListQuery, DealUpdate, DealWithStage, MoveDealToStage } from "./deals";
import { Interaction, LogEmail, LoggedEmail, NoteCreate, NoteListQuery, NoteUpdate } from "./interactions";
import { LookupQuery, LookupResponse, Timeline, TimelineQuery } from "./people";
import {
  CustomFieldCreate,
  CustomFieldDefinition,
  CustomFieldDefinitionList,
  CustomFieldDeleted,
  CustomFieldQuery,
  CustomFieldUpdate,
} from "./custom-fields";
import { LoggingPolicy, LoggingPolicyUpdate, Organization, OrganizationUpdate } from "./organizations";
import {
  Blocklist,
  BlocklistEntry,
  BlocklistEntryCreate,
  BlocklistQuery,
  Mailbox,
  MailboxList,
  MailboxUpdate,
  MySettings,
  MySettingsUpdate,
  PrivacyRules,
  UserIdParams,
} from "./mailboxes";
import {
  MoveDealsQuery,
  Pipeline,
  PipelineCreate,
  PipelineDeleted,
  PipelineList,
  PipelineOrder,
  PipelineUpdate,
  StageAdd,
  StageDeleted,
  StageOrder,
  StageParams,
  StageUpdate,
} from "./pipelines";
import { TagDeleted, TagList, TagParams, TagRename, TagUsage } from "./tags";
import { User, UserList, UserUpdate } from "./users";
import {
  ActivityByRep,
  ActivityByRepQuery,
  ContactsAdded,
  ContactsAddedQuery,
  PipelineByStage,
  PipelineByStageQuery,
  StageConversion,
  StageConversionQuery,
  WonLostByMonth,
  WonLostByMonthQuery,
} from "./reports";
import { Task, TaskCreate, TaskListQuery, TaskUpdate } from "./tasks";
import { ContactErased, PersonDataExport } from "./person-data";
import {
  CompanyExportQuery,
  ContactExportQuery,
  DealExportQuery,
  NoteExportQuery,
  TaskExportQuery,
} from "./list-exports";
import {
  IMPORT_BODY_LIMIT,
  ImportCommitRequest,
  ImportPreview,
  ImportPreviewRequest,
  ImportResult,
} from "./imports";

export const Me = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    role: z.enum(["admin", "member"]),
  }),
  organization: z.object({
    id: z.uuid(),
    name: z.string(),
    internalDomains: z.array(z.string()),
    loggingPolicy: LoggingPolicy,
    /** Whether anyone is its admin yet: with Entra sign-in, admins come from the tenant or the server's list. */
    hasAdmin: z.boolean(),
  }),
  /** The Entra app role that makes its holder an admin at sign-in; null where nobody signs in with Entra. */
  adminAppRole: z.string().nullable(),
  /** The caller's own switches (auto-log on open, opt-out of the mailbox sync). */
  settings: MySettings,
  /** What the pane checks before it logs: internal domains, the organisation's and the caller's blocklists. */
  privacy: PrivacyRules,
});
export type Me = z.infer<typeof Me>;

/** How the add-in signs in here: Microsoft Entra ID (MSAL in Outlook) and/or the local issuer (development). */
export const SignInConfig = z.object({
  entra: z
    .object({
      clientId: z.string(),
      authority: z.string(),
      /** The API scope to ask for, e.g. `api://crm.example.com/<client id>/access_as_user`. */
      scope: z.string(),
    })
    .nullable(),
  localIssuer: z.boolean(),
});
export type SignInConfig = z.infer<typeof SignInConfig>;

export const Health = z.object({ status: z.literal("ok"), store: z.enum(["pglite", "postgres"]) });

export interface RouteContract {
  method: "GET" | "POST" | "PATCH" | "DELETE";
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

/** Tables (csv, xlsx) or documents written whole (vcf: vCards). */
export type FileFormat = TableFormat | "vcf";
export type TableFormat = "csv" | "xlsx";
export const FILE_MEDIA_TYPES: Record<FileFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  vcf: "text/vcard; charset=utf-8",
};
export const PROGRESS_MEDIA_TYPE = "application/x-ndjson";

/**
 * A report answers JSON at its path, and the same rows as a file at the path plus `.csv` or `.xlsx`, with the
 * same filters: a link to a spreadsheet is a plain GET a browser can download.
 */
function report<Query extends z.ZodType, Result extends z.ZodType>(
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

function crud<
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
function listExport<Query extends z.ZodType>(base: string, noun: string, query: Query) {
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

const contacts = crud("/api/v1/contacts", "contact", Contact, ContactCreate, ContactUpdate, ContactListQuery);
const companies = crud(
  "/api/v1/companies",
  "company",
  Company,
  CompanyCreate,
  CompanyUpdate,
  CompanyListQuery,
);
const deals = crud("/api/v1/deals", "deal", DealWithStage, DealCreate, DealUpdate, DealListQuery);
const tasks = crud("/api/v1/tasks", "task", Task, TaskCreate, TaskUpdate, TaskListQuery);
const notes = crud("/api/v1/notes", "note", Interaction, NoteCreate, NoteUpdate, NoteListQuery);

const companyExport = listExport("/api/v1/companies", "company", CompanyExportQuery);
const dealExport = listExport("/api/v1/deals", "deal", DealExportQuery);
const taskExport = listExport("/api/v1/tasks", "task", TaskExportQuery);
const noteExport = listExport("/api/v1/notes", "note, call, meeting and visit", NoteExportQuery);

const pipelineByStage = report(
  "pipeline-by-stage",
  "Every stage of a pipeline in order: its deals now, their amount and the amount weighted by the stage's probability",
  PipelineByStageQuery,
  PipelineByStage,
);
const wonLostByMonth = report(
  "won-lost-by-month",
  "Deals won and lost per calendar month (UTC) of their closing: counts and amounts",
  WonLostByMonthQuery,
  WonLostByMonth,
);
const stageConversion = report(
  "stage-conversion",
  "Per stage, from the stage history: deals that entered it, moved on to a later stage or won, and the median time in it",
  StageConversionQuery,
  StageConversion,
);
const activityByRep = report(
  "activity-by-rep",
  "Interactions each rep logged per ISO week (UTC): emails, calls, meetings, notes and visits",
  ActivityByRepQuery,
  ActivityByRep,
);
const contactsAdded = report(
  "contacts-added",
  "Contacts added per ISO week (UTC)",
  ContactsAddedQuery,
  ContactsAdded,
);

/** The API, once: the server registers and validates from it, OpenAPI is generated from it, the add-in calls it. */
export const routes = {
  health: {
    method: "GET",
    path: "/healthz",
    summary: "Ready once the store is open and migrated",
    public: true,
    responses: { 200: Health },
  },
  signIn: {
    method: "GET",
    path: "/api/v1/sign-in",
    summary: "How the add-in signs in: Entra ID's client id and scope, and whether the local issuer is on",
    public: true,
    responses: { 200: SignInConfig },
  },
  me: {
    method: "GET",
    path: "/api/v1/me",
    summary: "The caller and their organisation",
    responses: { 200: Me },
  },
  updateLoggingPolicy: {
    method: "PATCH",
    path: "/api/v1/organization/logging-policy",
    summary: "Change what the organisation logs by itself (admins only)",
    body: LoggingPolicyUpdate,
    responses: { 200: LoggingPolicy },
  },
  listMailboxes: {
    method: "GET",
    path: "/api/v1/mailboxes",
    summary: "Mailbox sync: each mailbox's switches, status, last run and last error (admins: everyone's)",
    responses: { 200: MailboxList },
  },
  updateMailbox: {
    method: "PATCH",
    path: "/api/v1/mailboxes/:userId",
    summary: "Turn one user's mailbox sync on or off (admins only; the user's opt-out still wins)",
    params: UserIdParams,
    body: MailboxUpdate,
    responses: { 200: Mailbox },
  },
  mySettings: {
    method: "GET",
    path: "/api/v1/me/settings",
    summary: "The caller's own switches",
    responses: { 200: MySettings },
  },
  updateMySettings: {
    method: "PATCH",
    path: "/api/v1/me/settings",
    summary:
      "Change the caller's own switches (auto-log on open, opt out of the mailbox sync, the web app's language)",
    body: MySettingsUpdate,
    responses: { 200: MySettings },
  },
  listBlocklist: {
    method: "GET",
    path: "/api/v1/blocklist",
    summary:
      "The organisation's blocklist, or the caller's own (personal entries are visible to their owner only)",
    query: BlocklistQuery,
    responses: { 200: Blocklist },
  },
  addBlocklistEntry: {
    method: "POST",
    path: "/api/v1/blocklist",
    summary: "Block an address or an @domain (organisation scope: admins only); adding it again returns it",
    body: BlocklistEntryCreate,
    responses: { 200: BlocklistEntry, 201: BlocklistEntry },
  },
  removeBlocklistEntry: {
    method: "DELETE",
    path: "/api/v1/blocklist/:id",
    summary: "Unblock an entry (organisation scope: admins only)",
    params: IdParams,
    responses: { 200: Deleted },
  },
  lookupPeople: {
    method: "GET",
    path: "/api/v1/people/lookup",
    summary: "Profiles of known addresses, suggestions for unknown ones",
    query: LookupQuery,
    responses: { 200: LookupResponse },
  },
  logEmail: {
    method: "POST",
    path: "/api/v1/emails",
    summary: "Log an email (idempotent by internet message id)",
    body: LogEmail,
    responses: { 200: LoggedEmail, 201: LoggedEmail },
  },
  getEmail: {
    method: "GET",
    path: "/api/v1/emails/:id",
    summary: "Read a logged email",
    params: IdParams,
    responses: { 200: Interaction },
  },
  contactTimeline: {
    method: "GET",
    path: "/api/v1/contacts/:id/timeline",
    summary: "Interactions, stage changes and tasks of a contact, newest first",
    params: IdParams,
    query: TimelineQuery,
    responses: { 200: Timeline },
  },
  listContacts: contacts.list,
  createContact: contacts.create,
  getContact: contacts.get,
  updateContact: contacts.update,
  deleteContact: contacts.remove,
  listCompanies: companies.list,
  createCompany: companies.create,
  getCompany: companies.get,
  updateCompany: companies.update,
  deleteCompany: companies.remove,
  listDeals: deals.list,
  createDeal: deals.create,
  getDeal: deals.get,
  updateDeal: deals.update,
  deleteDeal: deals.remove,
  moveDealToStage: {
    method: "POST",
    path: "/api/v1/deals/:id/stage",
    summary: "Move a deal to a stage, recording the change",
    params: IdParams,
    body: MoveDealToStage,
    responses: { 200: DealWithStage },
  },
  listTasks: tasks.list,
  createTask: tasks.create,
  getTask: tasks.get,
  updateTask: tasks.update,
  deleteTask: tasks.remove,
  listNotes: notes.list,
  createNote: notes.create,
  getNote: notes.get,
  updateNote: notes.update,
  deleteNote: notes.remove,

  // A person's data (GDPR access and erasure) and the lists as files.
  exportPersonData: {
    method: "GET",
    path: "/api/v1/contacts/:id/data-export",
    summary:
      "Everything held about one contact (addresses, company, deals, stage changes, tasks, interactions with their excerpts, audit events) as one JSON document to save",
    params: IdParams,
    responses: { 200: PersonDataExport },
    attachment: true,
  },
  eraseContact: {
    method: "POST",
    path: "/api/v1/contacts/:id/erase",
    summary:
      "Erase a person everywhere (admins only): the contact, its addresses, its tasks, interactions no other contact was on; their name and addresses scrubbed from every other text, audit details included",
    params: IdParams,
    responses: { 200: ContactErased },
  },
  exportCompaniesCsv: companyExport.csv,
  exportCompaniesXlsx: companyExport.xlsx,
  exportDealsCsv: dealExport.csv,
  exportDealsXlsx: dealExport.xlsx,
  exportTasksCsv: taskExport.csv,
  exportTasksXlsx: taskExport.xlsx,
  exportNotesCsv: noteExport.csv,
  exportNotesXlsx: noteExport.xlsx,
  dashboard: {
    method: "GET",
    path: "/api/v1/dashboard",
    summary:
      "Today: follow-ups due, deals needing attention, latest interactions and the pipeline of the caller (or, for an admin, a colleague)",
    query: DashboardQuery,
    responses: { 200: Dashboard },
  },
  listPipelines: {
    method: "GET",
    path: "/api/v1/pipelines",
    summary: "Pipelines with their stages",
    responses: { 200: PipelineList },
  },

  // Admin settings: everyone reads them, admins change them (403 forbidden for a member).
  getPipeline: {
    method: "GET",
    path: "/api/v1/pipelines/:id",
    summary: "A pipeline with its stages",
    params: IdParams,
    responses: { 200: Pipeline },
  },
  createPipeline: {
    method: "POST",
    path: "/api/v1/pipelines",
    summary: "Create a pipeline, with its stages or the default ones (admins only)",
    body: PipelineCreate,
    responses: { 201: Pipeline },
  },
  updatePipeline: {
    method: "PATCH",
    path: "/api/v1/pipelines/:id",
    summary: "Rename a pipeline or make it the default (admins only; stale version: 409)",
    versioned: true,
    params: IdParams,
    body: PipelineUpdate,
    responses: { 200: Pipeline },
  },
  reorderPipelines: {
    method: "POST",
    path: "/api/v1/pipelines/order",
    summary: "Put the pipelines in a new order: every pipeline, each once (admins only)",
    body: PipelineOrder,
    responses: { 200: PipelineList },
  },
  deletePipeline: {
    method: "DELETE",
    path: "/api/v1/pipelines/:id",
    summary:
      "Remove a pipeline (not the default); one with deals needs moveDealsTo, a stage of another pipeline (admins only)",
    params: IdParams,
    query: MoveDealsQuery,
    responses: { 200: PipelineDeleted },
  },
  addStage: {
    method: "POST",
    path: "/api/v1/pipelines/:id/stages",
    summary: "Add a stage to a pipeline (admins only; the pipeline's version)",
    versioned: true,
    params: IdParams,
    body: StageAdd,
    responses: { 201: Pipeline },
  },
  reorderStages: {
    method: "POST",
    path: "/api/v1/pipelines/:id/stages/order",
    summary:
      "Put a pipeline's stages in a new order: every stage, each once (admins only; the pipeline's version)",
    versioned: true,
    params: IdParams,
    body: StageOrder,
    responses: { 200: Pipeline },
  },
  updateStage: {
    method: "PATCH",
    path: "/api/v1/pipelines/:id/stages/:stageId",
    summary: "Rename a stage, set its probability or kind (admins only; the pipeline's version)",
    versioned: true,
    params: StageParams,
    body: StageUpdate,
    responses: { 200: Pipeline },
  },
  deleteStage: {
    method: "DELETE",
    path: "/api/v1/pipelines/:id/stages/:stageId",
    summary:
      "Remove a stage; one with deals needs moveDealsTo, a stage of the same pipeline, and the moves are recorded (admins only)",
    params: StageParams,
    query: MoveDealsQuery,
    responses: { 200: StageDeleted },
  },
  listCustomFields: {
    method: "GET",
    path: "/api/v1/custom-fields",
    summary: "Custom field definitions of contacts, companies and deals",
    query: CustomFieldQuery,
    responses: { 200: CustomFieldDefinitionList },
  },
  createCustomField: {
    method: "POST",
    path: "/api/v1/custom-fields",
    summary: "Define a custom field (admins only)",
    body: CustomFieldCreate,
    responses: { 201: CustomFieldDefinition },
  },
  updateCustomField: {
    method: "PATCH",
    path: "/api/v1/custom-fields/:id",
    summary: "Relabel a custom field, change its choices or whether it is required (admins only)",
    versioned: true,
    params: IdParams,
    body: CustomFieldUpdate,
    responses: { 200: CustomFieldDefinition },
  },
  deleteCustomField: {
    method: "DELETE",
    path: "/api/v1/custom-fields/:id",
    summary: "Remove a custom field and its values from every record (admins only)",
    params: IdParams,
    responses: { 200: CustomFieldDeleted },
  },
  listTags: {
    method: "GET",
    path: "/api/v1/tags",
    summary: "The tags contacts carry, each with how many contacts carry it",
    responses: { 200: TagList },
  },
  renameTag: {
    method: "PATCH",
    path: "/api/v1/tags/:tag",
    summary: "Rename a tag on every contact (admins only)",
    params: TagParams,
    body: TagRename,
    responses: { 200: TagUsage },
  },
  deleteTag: {
    method: "DELETE",
    path: "/api/v1/tags/:tag",
    summary: "Take a tag off every contact (admins only)",
    params: TagParams,
    responses: { 200: TagDeleted },
  },
  getOrganization: {
    method: "GET",
    path: "/api/v1/organization",
    summary: "The organisation's name and internal domains, with its version",
    responses: { 200: Organization },
  },
  updateOrganization: {
    method: "PATCH",
    path: "/api/v1/organization",
    summary: "Rename the organisation or set its internal domains (admins only; stale version: 409)",
    versioned: true,
    body: OrganizationUpdate,
    responses: { 200: Organization },
  },
  listUsers: {
    method: "GET",
    path: "/api/v1/users",
    summary: "The organisation's users and their roles",
    responses: { 200: UserList },
  },
  updateUser: {
    method: "PATCH",
    path: "/api/v1/users/:id",
    summary: "Make a user an admin or a member (admins only; the last admin stays: 409 last_admin)",
    params: IdParams,
    body: UserUpdate,
    responses: { 200: User },
  },
  getCurrencies: {
    method: "GET",
    path: "/api/v1/currencies",
    summary:
      "The base currency reports convert into, the exchange rates to it (each with when and by whom it was set), and the currencies the deals are in",
    responses: { 200: Currencies },
  },
  updateBaseCurrency: {
    method: "PATCH",
    path: "/api/v1/currencies",
    summary:
      "Set the base currency (admins only); a new base removes every rate, since each was to the old one",
    body: BaseCurrencyUpdate,
    responses: { 200: Currencies },
  },
  setExchangeRate: {
    method: "POST",
    path: "/api/v1/currencies/rates",
    summary:
      "Set a currency's rate to the base currency, dated now (admins only; 201 new, 200 replaced; a base changed meanwhile: 409 base_currency_changed)",
    body: ExchangeRateSet,
    responses: { 200: ExchangeRate, 201: ExchangeRate },
  },
  removeExchangeRate: {
    method: "DELETE",
    path: "/api/v1/currencies/rates/:currency",
    summary: "Remove a currency's rate: reports show it per currency again, unconverted (admins only)",
    params: CurrencyParams,
    responses: { 200: ExchangeRateDeleted },
  },
  reportPipelineByStage: pipelineByStage.json,
  reportPipelineByStageCsv: pipelineByStage.csv,
  reportPipelineByStageXlsx: pipelineByStage.xlsx,
  reportWonLostByMonth: wonLostByMonth.json,
  reportWonLostByMonthCsv: wonLostByMonth.csv,
  reportWonLostByMonthXlsx: wonLostByMonth.xlsx,
  reportStageConversion: stageConversion.json,
  reportStageConversionCsv: stageConversion.csv,
  reportStageConversionXlsx: stageConversion.xlsx,
  reportActivityByRep: activityByRep.json,
  reportActivityByRepCsv: activityByRep.csv,
  reportActivityByRepXlsx: activityByRep.xlsx,
  reportContactsAdded: contactsAdded.json,
  reportContactsAddedCsv: contactsAdded.csv,
  reportContactsAddedXlsx: contactsAdded.xlsx,

  // Import and export of contacts and companies: everyone who may create them may import them.
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

export type Routes = typeof routes;
export type RouteName = keyof Routes;
