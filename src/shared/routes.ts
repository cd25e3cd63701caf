import { z } from "zod";
import { Deleted, IdParams, ListQuery, Page } from "./common";
import { Company, CompanyCreate, CompanyUpdate } from "./companies";
import { Contact, ContactCreate, ContactUpdate } from "./contacts";
import { DealCreate, DealUpdate, DealWithStage, MoveDealToStage } from "./deals";
import { Interaction, LogEmail, LoggedEmail, NoteCreate, NoteListQuery, NoteUpdate } from "./interactions";
import { LookupQuery, LookupResponse, Timeline, TimelineQuery } from "./people";
import { LoggingPolicy, LoggingPolicyUpdate } from "./organizations";
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
import { PipelineList } from "./pipelines";
import { Task, TaskCreate, TaskListQuery, TaskUpdate } from "./tasks";

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
  }),
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
  responses: { 200?: z.ZodType; 201?: z.ZodType };
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
      summary: `List ${noun}s (search with q, page with cursor)`,
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

const contacts = crud("/api/v1/contacts", "contact", Contact, ContactCreate, ContactUpdate, ListQuery);
const companies = crud("/api/v1/companies", "company", Company, CompanyCreate, CompanyUpdate, ListQuery);
const deals = crud("/api/v1/deals", "deal", DealWithStage, DealCreate, DealUpdate, ListQuery);
const tasks = crud("/api/v1/tasks", "task", Task, TaskCreate, TaskUpdate, TaskListQuery);
const notes = crud("/api/v1/notes", "note", Interaction, NoteCreate, NoteUpdate, NoteListQuery);

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
    summary: "Change the caller's own switches (auto-log on open, opt out of the mailbox sync)",
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
  listPipelines: {
    method: "GET",
    path: "/api/v1/pipelines",
    summary: "Pipelines with their stages",
    responses: { 200: PipelineList },
  },
} as const satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
