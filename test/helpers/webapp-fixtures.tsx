import { render } from "@testing-library/react";
import type { z } from "zod";
import { ApiError } from "../../src/client/problems";
import type { ApiClient } from "../../src/client/api-client";
import type { FileClient } from "../../src/client/files";
import { SignedInApp, WebAppProviders, createQueryClient } from "../../src/webapp/WebApp";
import { Dashboard, type DealNeedingAttention, type PipelineInCurrency } from "../../src/shared/dashboard";
import { Problem } from "../../src/shared/errors";
import { CustomFieldDefinition } from "../../src/shared/custom-fields";
import { DEFAULT_PIPELINE, Pipeline, PipelineList } from "../../src/shared/pipelines";
import { OpenBalanceRow, OpenBalances, PipelineByStage, WonLostByMonth } from "../../src/shared/reports";
import { CompanyAccount, Invoice } from "../../src/shared/invoices";
import { RatingSummary, RatingsReport } from "../../src/shared/ratings";
import {
  type Interaction,
  InteractionPage,
  RelationshipGlance,
  TimelinePeople,
} from "../../src/shared/interactions";
import { Page } from "../../src/shared/common";
import { Timeline } from "../../src/shared/people";
import { emptyAccount } from "./account-fixtures";
import { Currencies, ExchangeRate } from "../../src/shared/currencies";
import { Me, type RouteName, routes } from "../../src/shared/routes";
import { Task } from "../../src/shared/tasks";
import { UserList } from "../../src/shared/users";
import {
  Blocklist,
  Mailbox,
  MailboxList,
  MySettings,
  type MySettingsUpdate,
} from "../../src/shared/mailboxes";
import type { Language } from "../../src/shared/languages";
import { LoggingPolicy, type LoggingPolicyUpdate, Organization } from "../../src/shared/organizations";
import { DealWithStage } from "../../src/shared/deals";
import { Contact } from "../../src/shared/contacts";
import { Company, type CompanyDomain } from "../../src/shared/companies";
import type { EmailAddressForms } from "../../src/shared/email-address";
import { RenderedTemplate, Template } from "../../src/shared/templates";
import { type FakeAccounts, UNHANDLED, fakeAccounts, handleAccounts } from "./fake-accounts";
import { type OccasionMail, OccasionRule } from "../../src/shared/occasions";
import type { MeetingBrief } from "../../src/shared/meetings";
import { type FakeProducts, PRODUCTS_UNHANDLED, fakeProducts, handleProducts } from "./fake-products";
import type { WebhookDelivery, WebhookEndpoint } from "../../src/shared/webhooks";
import { type FakeQuotes, QUOTES_UNHANDLED, fakeQuotes, handleQuotes } from "./fake-quotes";
import { type FakeWebForms, WEB_FORMS_UNHANDLED, fakeWebForms, handleWebForms } from "./fake-web-forms";

export const now = "2026-11-20T09:30:00.000Z";

/** A synced mailbox whose calendar was read at `now` and which has no change notifications (none configured). */
export function fakeMailbox(overrides: Partial<z.input<typeof Mailbox>> = {}): Mailbox {
  return Mailbox.parse({
    userId: ids.rita,
    email: "rita@contoso.example",
    displayName: "Rita Rep",
    syncing: true,
    enabledForUser: true,
    optedOut: false,
    status: "ok",
    lastRunAt: now,
    lastSuccessAt: now,
    lastError: null,
    retryAt: null,
    folders: [],
    calendar: { state: "synced", syncedAt: now, error: null },
    notifications: { state: "off", reason: "not_configured", expiresAt: null, error: null },
    ...overrides,
  });
}
const id = (n: number) => `7c000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const ids = { org: id(1), rita: id(2), bo: id(3), pipeline: id(10), renewals: id(11) };
export const stageIds = { prospecting: id(20), proposal: id(21), won: id(22), lost: id(23) };

export function salesPipeline(): Pipeline {
  const stage = (
    sid: string,
    name: string,
    position: number,
    probability: number,
    kind: "open" | "won" | "lost",
  ) => ({
    id: sid,
    pipelineId: ids.pipeline,
    name,
    position,
    probability,
    kind,
  });
  return Pipeline.parse({
    id: ids.pipeline,
    name: "Sales",
    isDefault: true,
    position: 0,
    version: 3,
    stages: [
      stage(stageIds.prospecting, "Prospecting", 0, 10, "open"),
      stage(stageIds.proposal, "Proposal", 1, 50, "open"),
      stage(stageIds.won, "Won", 2, 100, "won"),
      stage(stageIds.lost, "Lost", 3, 0, "lost"),
    ],
  });
}

/** A second pipeline, not the default: Renewals (Up for renewal, Renewed, Churned). */
export function renewalsPipeline(): Pipeline {
  const stage = (n: number, name: string, probability: number, kind: "open" | "won" | "lost") => ({
    id: id(24 + n),
    pipelineId: ids.renewals,
    name,
    position: n,
    probability,
    kind,
  });
  return Pipeline.parse({
    id: ids.renewals,
    name: "Renewals",
    isDefault: false,
    position: 1,
    version: 5,
    stages: [
      stage(0, "Up for renewal", 60, "open"),
      stage(1, "Renewed", 100, "won"),
      stage(2, "Churned", 0, "lost"),
    ],
  });
}

export function followUp(fields: { id: string; title: string; overdue: boolean; version?: number }) {
  return {
    ...Task.parse({
      id: fields.id,
      title: fields.title,
      notes: null,
      dueAt: fields.overdue ? "2026-11-18T09:00:00.000Z" : "2026-11-20T15:00:00.000Z",
      done: false,
      doneAt: null,
      assigneeId: ids.rita,
      contactId: null,
      dealId: null,
      createdBy: ids.rita,
      createdAt: now,
      updatedAt: now,
      version: fields.version ?? 1,
    }),
    overdue: fields.overdue,
    contact: { id: id(30), displayName: "Anna Berg" },
    deal: null,
  };
}

/**
 * The pipeline report's figures for the sales pipeline's stages, in order: DKK 95,000 and EUR 6,000 in one
 * stage (never 101,000), DKK converted at 0.1341, USD without a rate.
 */
const pipelineFigures = [
  {
    deals: 1,
    currencies: [
      {
        currency: "EUR",
        deals: 1,
        amount: "1000.50",
        weightedAmount: "100.05",
        inBase: { amount: "1000.50", weightedAmount: "100.05" },
      },
    ],
    inBase: { deals: 1, amount: "1000.50", weightedAmount: "100.05" },
  },
  {
    deals: 3,
    currencies: [
      {
        currency: "DKK",
        deals: 1,
        amount: "95000.00",
        weightedAmount: "47500.00",
        inBase: { amount: "12739.50", weightedAmount: "6369.75" },
      },
      {
        currency: "EUR",
        deals: 1,
        amount: "6000.00",
        weightedAmount: "3000.00",
        inBase: { amount: "6000.00", weightedAmount: "3000.00" },
      },
      { currency: "USD", deals: 1, amount: "5000.00", weightedAmount: "2500.00", inBase: null },
    ],
    inBase: { deals: 2, amount: "18739.50", weightedAmount: "9369.75" },
  },
  { deals: 0, currencies: [], inBase: { deals: 0, amount: "0.00", weightedAmount: "0.00" } },
  {
    deals: 1,
    currencies: [
      {
        currency: "EUR",
        deals: 1,
        amount: "4002.00",
        weightedAmount: "0.00",
        inBase: { amount: "4002.00", weightedAmount: "0.00" },
      },
    ],
    inBase: { deals: 1, amount: "4002.00", weightedAmount: "0.00" },
  },
];
const reportConversion = {
  baseCurrency: "EUR",
  rates: [{ currency: "DKK", rate: "0.1341", setAt: now }],
  notConverted: ["USD"],
};

export interface FakeWebServer {
  api: ApiClient;
  files: FileClient;
  /** Every call that reached the server, by route, with its input. */
  calls: { name: string; input: { params?: unknown; query?: unknown; body?: unknown } }[];
  received(name: RouteName): { params?: unknown; query?: unknown; body?: unknown }[];
  /** The next calls of this route fail with this problem (once each). */
  failNext(name: RouteName, error: ApiError, times?: number): void;
  /** Holds this route's answers until released. */
  hold(name: RouteName): () => void;
  /** The organisation's pipelines in order; `pipeline` is Sales, the default one to begin with. */
  pipelines: Pipeline[];
  pipeline: Pipeline;
  /** Deals per pipeline id: a pipeline with deals is deleted only with somewhere for them to go. */
  dealsIn: Record<string, number>;
  customFields: CustomFieldDefinition[];
  /** Choices that records hold, by field id: taking one away is refused, as the server does. */
  heldChoices: Record<string, string[]>;
  tags: { name: string; contacts: number }[];
  /** The base currency and the rates, as the server holds them. */
  currencies: Currencies;
  /** The won and lost report's rows (none to begin with). */
  wonLost: WonLostByMonth["rows"];
  followUps: ReturnType<typeof followUp>[];
  /** The organisation's deals, as the server holds them now (a test changes one as a colleague would). */
  deals: DealWithStage[];
  contacts: Contact[];
  companies: Company[];
  /** The language the signed-in user chose for the web app (null: the browser's). */
  language: Language | null;
  /** The signed-in user's IANA time zone (null: UTC). */
  timeZone: string | null;
  /** What the organisation logs by itself, as the server holds it (changed by PATCH). */
  loggingPolicy: LoggingPolicy;
  /** The email templates the signed-in user sees. */
  templates: Template[];
  /** Rapport's own accounts: sessions, passkeys, invitations, the sign-in policy. */
  accounts: FakeAccounts;
  /** Today's occasion mails of the signed-in user, and the occasion rules they see. */
  occasionMails: OccasionMail[];
  occasionRules: OccasionRule[];
  /** Today's meetings with customers and their briefs (none to begin with). */
  meetingBriefs: MeetingBrief[];
  /** Each user's mailbox sync as the server reports it (Rita's: synced, calendar read, to begin with). */
  mailboxes: Mailbox[];
  /** Whether the server asks Graph for change notifications. */
  notificationsConfigured: boolean;
  /** What each company owes and buys, by company id (none: nothing sent); a problem is answered instead. */
  companyAccounts: Record<string, CompanyAccount | ApiError>;
  /** Each contact's and company's survey scores, by its id (none: no answers). */
  ratings: Record<string, RatingSummary>;
  /** The ratings report's figures (no rows to begin with). */
  ratingsReport: RatingsReport;
  /** Each company's invoices, newest first, by company id. */
  invoices: Record<string, Invoice[]>;
  /** Each contact's and company's relationship at a glance, by its id (none: no interactions yet). */
  glances: Record<string, RelationshipGlance>;
  /** Each company's and deal's interactions, newest first, by its id (the fake filters by kind and person). */
  timelines: Record<string, Interaction[]>;
  /** The open balances report's rows (none to begin with). */
  openBalances: OpenBalanceRow[];
  /** The product catalogue and the deals' lines. */
  catalogue: FakeProducts;
  /** Webhook endpoints, and each one's deliveries (newest first). */
  webhooks: WebhookEndpoint[];
  webhookDeliveries: Record<string, WebhookDelivery[]>;
  /** The quote template and the deals' quotes. */
  quotes: FakeQuotes;
  /** The web forms and their leads. */
  webForms: FakeWebForms;
}

/** A deal in the sales pipeline's stage, as the server would answer it. */
export function deal(fields: {
  id: string;
  name: string;
  stage: keyof typeof stageIds;
  version?: number;
  ownerId?: string;
  customFields?: Record<string, string | number | null>;
}): DealWithStage {
  const stage = salesPipeline().stages.find((s) => s.id === stageIds[fields.stage]);
  if (!stage) throw new Error(`no stage ${fields.stage}`);
  return DealWithStage.parse({
    id: fields.id,
    name: fields.name,
    amount: 1000,
    currency: "EUR",
    expectedCloseDate: null,
    companyId: null,
    contactIds: [],
    ownerId: fields.ownerId ?? ids.rita,
    pipelineId: ids.pipeline,
    stageId: stage.id,
    status: stage.kind,
    closedAt: null,
    customFields: fields.customFields ?? {},
    createdAt: now,
    updatedAt: now,
    version: fields.version ?? 1,
    stage,
  });
}

/** A company as the server would answer it. */
export function company(fields: { id: string; name: string; domain?: string }): Company {
  return Company.parse({
    id: fields.id,
    name: fields.name,
    domain: fields.domain ?? null,
    phone: null,
    website: null,
    address: null,
    ownerId: ids.rita,
    customFields: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/** A contact as the server would answer it. */
export function contact(fields: { id: string; displayName: string; email?: string }): Contact {
  return Contact.parse({
    id: fields.id,
    displayName: fields.displayName,
    firstName: null,
    lastName: null,
    title: null,
    emails: fields.email ? [fields.email] : [],
    phones: [],
    companyId: null,
    lifecycleStage: "lead",
    tags: [],
    ownerId: ids.rita,
    source: "manual",
    customFields: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

export function customFieldDefinition(fields: {
  key: string;
  label: string;
  type: "text" | "number" | "date" | "choice";
  entity?: "contact" | "company" | "deal";
  choices?: string[];
  required?: boolean;
}): CustomFieldDefinition {
  return CustomFieldDefinition.parse({
    id: `7e000000-0000-4000-8000-${String(fields.key.length).padStart(12, "0")}`,
    entity: fields.entity ?? "deal",
    key: fields.key,
    label: fields.label,
    type: fields.type,
    choices: fields.choices ?? [],
    required: fields.required ?? false,
    position: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

export const problem = (status: number, code: Problem["code"], detail: string) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code }));

/** The request as the server gets it: through JSON, then the contract's schema (a 400 otherwise). */
function request<T extends z.ZodType>(schema: T | undefined, value: unknown): z.output<T> {
  if (!schema) return value as z.output<T>;
  const parsed = schema.safeParse(value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  if (!parsed.success) throw problem(400, "invalid_request", parsed.error.message);
  return parsed.data;
}

/**
 * The server as the web app sees it, in memory: requests checked against the contract's schemas, answers
 * parsed with them, versions checked on updates.
 */
export function fakeWebServer(
  options: {
    role?: "admin" | "member";
    /** Whether the organisation has an admin (false: nobody is one yet, as after an Entra tenant's first sign-in). */
    hasAdmin?: boolean;
    /** How Bo, the other user, is an admin: by another admin's choice (null, the default) or through a sign-in. */
    boAdminGrant?: "app_role" | "server_list" | null;
    followUps?: ReturnType<typeof followUp>[];
    /** The dashboard's open pipeline per currency (one EUR line unless given) and its deals needing attention. */
    pipeline?: PipelineInCurrency[];
    dealsNeedingAttention?: DealNeedingAttention[];
    deals?: DealWithStage[];
    contacts?: Contact[];
    companies?: Company[];
    customFields?: CustomFieldDefinition[];
    /** The language saved on the account. */
    language?: Language | null;
    /** The time zone saved on the account (null, the default: none chosen). */
    timeZone?: string | null;
    /** The organisation's logging policy (every switch off unless given). */
    loggingPolicy?: Partial<LoggingPolicy>;
    /** How Rita signed in: Microsoft 365 (the default) or her Rapport account. */
    signedInWith?: "entra" | "account";
  } = {},
): FakeWebServer {
  const role = options.role ?? (options.hasAdmin === false ? "member" : "admin");
  const failures = new Map<string, ApiError[]>();
  const holds = new Map<string, Promise<void>>();
  const server: FakeWebServer = {
    calls: [],
    received: (name) => server.calls.filter((c) => c.name === name).map((c) => c.input),
    failNext(name, error, times = 1) {
      failures.set(name, [...(failures.get(name) ?? []), ...Array.from({ length: times }, () => error)]);
    },
    hold(name) {
      let release = () => {};
      holds.set(name, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        holds.delete(name);
        release();
      };
    },
    pipelines: [salesPipeline()],
    get pipeline() {
      return server.pipelines.find((p) => p.id === ids.pipeline) as Pipeline;
    },
    set pipeline(changed: Pipeline) {
      server.pipelines = server.pipelines.map((p) => (p.id === changed.id ? changed : p));
    },
    dealsIn: {},
    language: options.language ?? null,
    timeZone: options.timeZone ?? null,
    loggingPolicy: LoggingPolicy.parse(options.loggingPolicy ?? {}),
    heldChoices: {},
    tags: [{ name: "key account", contacts: 3 }],
    currencies: Currencies.parse({
      baseCurrency: "EUR",
      rates: [{ currency: "DKK", rate: "0.1341", setAt: now, setBy: { id: ids.bo, name: "Bo Admin" } }],
      dealCurrencies: [
        { currency: "DKK", deals: 1 },
        { currency: "EUR", deals: 3 },
        { currency: "USD", deals: 1 },
      ],
    }),
    wonLost: [],
    followUps: options.followUps ?? [],
    deals: options.deals ?? [],
    contacts: options.contacts ?? [],
    companies: options.companies ?? [],
    customFields: options.customFields ?? [],
    templates: [],
    accounts: fakeAccounts(),
    occasionMails: [],
    occasionRules: [],
    meetingBriefs: [],
    mailboxes: [fakeMailbox()],
    notificationsConfigured: false,
    companyAccounts: {},
    ratings: {},
    glances: {},
    timelines: {},
    ratingsReport: {
      rows: [],
      total: {
        npsAnswers: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        nps: null,
        csatAnswers: 0,
        csatAverage: null,
        csatSatisfied: null,
      },
    },
    invoices: {},
    openBalances: [],
    catalogue: fakeProducts(),
    webhooks: [],
    webhookDeliveries: {},
    quotes: fakeQuotes(),
    webForms: fakeWebForms(),
    api: (async (name: RouteName, input: { params?: unknown; query?: unknown; body?: unknown } = {}) => {
      await holds.get(name);
      const failure = failures.get(name)?.shift();
      server.calls.push({ name, input });
      if (failure) throw failure;
      return handle(name, input);
    }) as unknown as ApiClient,
    files: (async (name: RouteName, input: { query?: unknown } = {}) => {
      server.calls.push({ name, input });
      const failure = failures.get(name)?.shift();
      if (failure) throw failure;
      const route = routes[name] as { query?: z.ZodType; file?: string };
      request(route.query, input.query ?? {});
      if (route.file === "pdf")
        return { blob: new Blob(["%PDF-1.7"], { type: "application/pdf" }), filename: "quote.pdf" };
      return { blob: new Blob(["a,b\r\n"]), filename: `report.${route.file}` };
    }) as unknown as FileClient,
  };

  const users = [
    {
      id: ids.rita,
      email: "rita@contoso.example",
      displayName: "Rita Rep",
      role,
      adminGrant: null,
      createdAt: now,
      lastSeenAt: now,
      deactivatedAt: null,
    },
    {
      id: ids.bo,
      email: "bo@contoso.example",
      displayName: "Bo Admin",
      role: (options.hasAdmin === false ? "member" : "admin") as "admin" | "member",
      adminGrant: options.hasAdmin === false ? null : (options.boAdminGrant ?? null),
      createdAt: now,
      lastSeenAt: null,
      deactivatedAt: null,
    },
  ];

  /** As the server checks a new record's custom fields: a required one must have a value (400 by the field). */
  function checkRequiredCustomFields(entity: "contact" | "company" | "deal", values: unknown) {
    const given = (values ?? {}) as Record<string, unknown>;
    const missing = server.customFields.filter(
      (d) => d.entity === entity && d.required && (given[d.key] ?? "") === "",
    );
    if (missing.length > 0)
      throw new ApiError(
        400,
        Problem.parse({
          type: "about:blank",
          title: "invalid_request",
          status: 400,
          detail: "The request body is not valid.",
          code: "invalid_request",
          errors: missing.map((d) => ({
            path: `body.customFields.${d.key}`,
            message: `"${d.label}" is required`,
          })),
        }),
      );
  }

  const mySettings = () =>
    MySettings.parse({
      autoLogOpened: false,
      syncOptedOut: false,
      language: server.language,
      timeZone: server.timeZone,
    });

  /** As a list's `q` finds a record: by a part of its name, in any case. */
  const matches = (q: string | undefined, name: string) => !q || name.toLowerCase().includes(q.toLowerCase());

  function handle(name: RouteName, input: { params?: unknown; query?: unknown; body?: unknown }): unknown {
    const route = routes[name] as { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
    const params = request(route.params, input.params) as Record<string, string> | undefined;
    const query = (route.query ? request(route.query, input.query ?? {}) : {}) as Record<string, string>;
    const body = request(route.body, input.body) as Record<string, unknown> | undefined;
    switch (name) {
      case "me":
        return Me.parse({
          user: {
            id: ids.rita,
            email: "rita@contoso.example",
            displayName: "Rita Rep",
            role,
            signedInWith: options.signedInWith ?? "entra",
          },
          organization: {
            id: ids.org,
            name: "Contoso",
            internalDomains: ["contoso.example"],
            loggingPolicy: server.loggingPolicy,
            hasAdmin: options.hasAdmin ?? true,
          },
          adminAppRole: "Rapport.Admin",
          settings: mySettings(),
          privacy: { internalDomains: ["contoso.example"], blocklist: [] },
        });
      case "updateMySettings": {
        const update = body as MySettingsUpdate;
        if (update.language !== undefined) server.language = update.language;
        if (update.timeZone !== undefined) server.timeZone = update.timeZone;
        return mySettings();
      }
      case "updateLoggingPolicy": {
        if (role !== "admin") throw problem(403, "forbidden", "Only an admin can change the logging policy.");
        server.loggingPolicy = LoggingPolicy.parse({
          ...server.loggingPolicy,
          ...(body as LoggingPolicyUpdate),
        });
        return server.loggingPolicy;
      }
      case "dashboard":
        return Dashboard.parse({
          owner: { id: ids.rita, email: "rita@contoso.example", displayName: "Rita Rep" },
          timeZone: "UTC",
          today: "2026-11-20",
          generatedAt: now,
          followUps: { items: server.followUps, total: server.followUps.length },
          dealsNeedingAttention: {
            items: options.dealsNeedingAttention ?? [],
            total: options.dealsNeedingAttention?.length ?? 0,
          },
          recentInteractions: [],
          pipeline: options.pipeline ?? [{ currency: "EUR", openDeals: 2, total: 30000, weighted: 9000 }],
        });
      case "updateTask": {
        const task = server.followUps.find((t) => t.id === params?.id);
        if (!task) throw problem(404, "not_found", "The task was not found.");
        if (body?.version !== task.version)
          throw problem(409, "version_conflict", "The task changed meanwhile.");
        const { version: _read, ...changes } = body ?? {};
        const updated = {
          ...task,
          ...changes,
          doneAt: changes.done ? now : changes.done === false ? null : task.doneAt,
          version: task.version + 1,
        };
        // A done task leaves the open follow-ups (the dashboard's and the task list's).
        server.followUps = updated.done
          ? server.followUps.filter((t) => t !== task)
          : server.followUps.map((t) => (t === task ? updated : t));
        return Task.parse(updated);
      }
      case "getTask": {
        const task = server.followUps.find((t) => t.id === params?.id);
        if (!task) throw problem(404, "not_found", "The task was not found.");
        return Task.parse(task);
      }
      case "createTask": {
        const taskId = body?.id ? String(body.id) : id(900 + server.followUps.length);
        // A follow-up as the dashboard lists it, with the task as it was asked for.
        const task = {
          ...followUp({ id: taskId, title: String(body?.title), overdue: false }),
          notes: null,
          ...body,
          id: taskId,
        };
        server.followUps = [...server.followUps, task];
        return Task.parse(task);
      }
      case "listPipelines":
        return PipelineList.parse({ pipelines: server.pipelines });
      case "createPipeline":
      case "updatePipeline":
      case "reorderPipelines":
      case "deletePipeline":
        return changePipelines(name, params, input.query, body);
      case "updateStage": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins change pipelines.");
        if (body?.version !== server.pipeline.version)
          throw problem(409, "version_conflict", "The pipeline changed meanwhile: review it and save again.");
        server.pipeline = Pipeline.parse({
          ...server.pipeline,
          version: server.pipeline.version + 1,
          stages: server.pipeline.stages.map((s) =>
            s.id === params?.stageId ? { ...s, ...body, version: undefined } : s,
          ),
        });
        return server.pipeline;
      }
      case "listUsers":
        return UserList.parse({ items: users });
      case "listCustomFields":
        return { items: server.customFields };
      case "listDeals": {
        const matching = server.deals.filter(
          (d) =>
            (!query.q || d.name.toLowerCase().includes(query.q.toLowerCase())) &&
            (!query.stageId || d.stageId === query.stageId) &&
            (!query.pipelineId || d.pipelineId === query.pipelineId) &&
            (!query.ownerId || d.ownerId === query.ownerId) &&
            (!query.status || d.status === query.status),
        );
        return { items: matching, nextCursor: null };
      }
      case "getDeal": {
        const found = server.deals.find((d) => d.id === params?.id);
        if (!found) throw problem(404, "not_found", "The deal was not found.");
        return found;
      }
      case "updateDeal": {
        const found = server.deals.find((d) => d.id === params?.id);
        if (!found) throw problem(404, "not_found", "The deal was not found.");
        if (body?.version !== found.version)
          throw new ApiError(
            409,
            Problem.parse({
              type: "about:blank",
              title: "version_conflict",
              status: 409,
              detail: "The deal changed meanwhile.",
              code: "version_conflict",
              current: found,
            }),
          );
        const { version: _read, ...changes } = body ?? {};
        const updated = DealWithStage.parse({ ...found, ...changes, version: found.version + 1 });
        server.deals = server.deals.map((d) => (d === found ? updated : d));
        return updated;
      }
      case "moveDealToStage": {
        const found = server.deals.find((d) => d.id === params?.id);
        const stage = server.pipeline.stages.find((s) => s.id === body?.stageId);
        if (!found || !stage) throw problem(404, "not_found", "The deal or the stage was not found.");
        if (body?.version !== found.version)
          throw problem(409, "version_conflict", "The deal changed meanwhile.");
        const moved = DealWithStage.parse({
          ...found,
          stageId: stage.id,
          stage,
          status: stage.kind,
          version: found.version + 1,
        });
        server.deals = server.deals.map((d) => (d === found ? moved : d));
        return moved;
      }
      case "createDeal": {
        const stage = server.pipeline.stages.find((s) => s.id === body?.stageId) ?? server.pipeline.stages[0];
        checkRequiredCustomFields("deal", body?.customFields);
        const created = DealWithStage.parse({
          ...deal({ id: id(700 + server.deals.length), name: "", stage: "prospecting" }),
          amount: null,
          currency: null,
          ...body,
          customFields: body?.customFields ?? {},
          stageId: stage?.id,
          stage,
          status: stage?.kind,
        });
        server.deals = [...server.deals, created];
        return created;
      }
      case "createContact": {
        checkRequiredCustomFields("contact", body?.customFields);
        const { phone: _phone, emails, ...fields } = body ?? {};
        const created = Contact.parse({
          firstName: null,
          lastName: null,
          title: null,
          phones: [],
          companyId: null,
          lifecycleStage: "lead",
          tags: [],
          ownerId: ids.rita,
          source: "manual",
          customFields: {},
          ...fields,
          // Shown as written, as the server does.
          emails: ((emails ?? []) as EmailAddressForms[]).map((e) => e.written),
          id: id(500 + server.contacts.length),
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        server.contacts = [...server.contacts, created];
        return created;
      }
      case "getContact": {
        const found = server.contacts.find((c) => c.id === params?.id);
        if (!found) throw problem(404, "not_found", "The contact was not found.");
        return found;
      }
      case "updateContact": {
        const found = server.contacts.find((c) => c.id === params?.id);
        if (!found) throw problem(404, "not_found", "The contact was not found.");
        const { version: _version, emails, phone: _phone, ...fields } = body ?? {};
        const updated = Contact.parse({
          ...found,
          ...fields,
          ...(emails === undefined ? {} : { emails: (emails as EmailAddressForms[]).map((e) => e.written) }),
          version: found.version + 1,
        });
        server.contacts = server.contacts.map((c) => (c.id === updated.id ? updated : c));
        return updated;
      }
      case "listOccasionMails":
        return { day: now.slice(0, 10), items: server.occasionMails };
      case "meetingBriefs":
        return {
          date: now.slice(0, 10),
          timeZone: (query as { timeZone?: string } | undefined)?.timeZone ?? "UTC",
          meetings: server.meetingBriefs,
        };
      case "listMailboxes":
        return MailboxList.parse({
          syncConfigured: true,
          notificationsConfigured: server.notificationsConfigured,
          intervalSeconds: 60,
          backfillDays: 30,
          // Admins see everyone's; a member their own.
          items: server.mailboxes.filter((m) => role === "admin" || m.userId === ids.rita),
        });
      case "myMailbox": {
        const own = server.mailboxes.find((m) => m.userId === ids.rita);
        if (!own) throw problem(404, "not_found", "There is no such user in your organisation.");
        return own;
      }
      case "listOccasionRules":
        return { items: server.occasionRules };
      case "listWebhookEndpoints":
      case "createWebhookEndpoint":
      case "updateWebhookEndpoint":
      case "deleteWebhookEndpoint":
      case "rotateWebhookSecret":
      case "listWebhookDeliveries":
      case "resendWebhookDelivery":
        return handleWebhooks(name, params, body);
      case "createOccasionRule": {
        if (body?.scope === "organization" && role !== "admin")
          throw problem(403, "forbidden", "Only an admin of the organisation writes its occasion rules.");
        const created = OccasionRule.parse({
          ...body,
          timing: body?.timing ?? null,
          id: `7f000000-0000-4000-8000-${String(server.occasionRules.length + 1).padStart(12, "0")}`,
          ownerId: body?.scope === "personal" ? ids.rita : null,
          sendingFromMyMailbox: false,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        server.occasionRules = [...server.occasionRules, created];
        return created;
      }
      case "updateOccasionRule": {
        const found = server.occasionRules.find((r) => r.id === params?.id);
        if (!found) throw problem(404, "not_found", "The occasion rule does not exist.");
        const { version: _version, ...rest } = body ?? {};
        const updated = OccasionRule.parse({ ...found, ...rest, version: found.version + 1 });
        server.occasionRules = server.occasionRules.map((r) => (r.id === updated.id ? updated : r));
        return updated;
      }
      case "deleteOccasionRule":
        server.occasionRules = server.occasionRules.filter((r) => r.id !== params?.id);
        return { id: params?.id, deleted: true };
      case "setOccasionSending": {
        const found = server.occasionRules.find((r) => r.id === params?.id);
        if (!found) throw problem(404, "not_found", "The occasion rule does not exist.");
        const updated = { ...found, sendingFromMyMailbox: body?.enabled === true };
        server.occasionRules = server.occasionRules.map((r) => (r.id === updated.id ? updated : r));
        return updated;
      }
      case "createCompany": {
        checkRequiredCustomFields("company", body?.customFields);
        const created = Company.parse({
          phone: null,
          website: null,
          address: null,
          ownerId: ids.rita,
          customFields: {},
          ...body,
          domain: (body?.domain as z.output<typeof CompanyDomain> | undefined)?.written ?? null,
          id: id(600 + server.companies.length),
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        server.companies = [...server.companies, created];
        return created;
      }
      case "getCompany": {
        const found = server.companies.find((c) => c.id === params?.id);
        if (!found) throw problem(404, "not_found", "The company was not found.");
        return found;
      }
      case "listTasks":
        return { items: server.followUps.map((t) => Task.parse(t)), nextCursor: null };
      case "listContacts":
        return { items: server.contacts.filter((c) => matches(query.q, c.displayName)), nextCursor: null };
      case "getCompanyAccount": {
        if (!server.companies.some((c) => c.id === params?.id))
          throw problem(404, "not_found", "The company was not found.");
        const account = server.companyAccounts[params?.id ?? ""];
        if (account instanceof ApiError) throw account;
        return CompanyAccount.parse(account ?? emptyAccount(params?.id ?? ""));
      }
      case "contactGlance":
      case "companyGlance": {
        const records = name === "contactGlance" ? server.contacts : server.companies;
        if (!records.some((r) => r.id === params?.id)) throw problem(404, "not_found", "Not found.");
        return RelationshipGlance.parse(
          server.glances[params?.id ?? ""] ?? {
            lastContact: null,
            lastReply: null,
            last30Days: 0,
            last90Days: 0,
            rhythm: { state: "not_enough_history", activeDays: 0, medianGapDays: null, daysSinceLast: null },
          },
        );
      }
      case "companyTimeline":
      case "dealTimeline": {
        const all = (server.timelines[params?.id ?? ""] ?? []).filter(
          (i) =>
            (!query.kind || i.kind === query.kind) &&
            (!query.contactId || i.participants.some((p) => p.contactId === query.contactId)),
        );
        const start = query.cursor ? Number(atob(query.cursor)) : 0;
        const end = start + Number(query.limit);
        return InteractionPage.parse({
          items: all.slice(start, end),
          nextCursor: end < all.length ? btoa(String(end)) : null,
        });
      }
      case "contactTimeline": {
        // A contact's timeline holds tasks and stage changes too: one stands among the interactions.
        const all = [
          ...(server.timelines[params?.id ?? ""] ?? []).map((i) => ({
            type: "interaction" as const,
            at: i.occurredAt,
            interaction: i,
          })),
        ];
        const start = query.cursor ? Number(atob(query.cursor)) : 0;
        const end = start + Number(query.limit);
        return Timeline.parse({
          items: all.slice(start, end),
          nextCursor: end < all.length ? btoa(String(end)) : null,
        });
      }
      case "companyTimelinePeople":
      case "dealTimelinePeople": {
        const people = new Map<string, string>();
        for (const i of server.timelines[params?.id ?? ""] ?? [])
          for (const p of i.participants)
            if (p.contactId)
              people.set(
                p.contactId,
                server.contacts.find((c) => c.id === p.contactId)?.displayName ?? p.name ?? "",
              );
        return TimelinePeople.parse({
          items: [...people]
            .map(([id, displayName]) => ({ id, displayName }))
            .sort((a, b) => a.displayName.localeCompare(b.displayName)),
          more: false,
        });
      }
      case "linkInteraction":
      case "unlinkInteraction": {
        // As the server links: the first deal (or one named primary) leads `dealIds`; companies by hand are "link".
        const found = Object.values(server.timelines)
          .flat()
          .find((i) => i.id === params?.id);
        if (!found) throw problem(404, "not_found", "The interaction was not found.");
        const change = (name === "linkInteraction" ? body : query) as {
          dealId?: string;
          companyId?: string;
          primary?: boolean;
        };
        let { dealIds, companies } = found;
        if (name === "linkInteraction") {
          if (change.dealId && !server.deals.some((d) => d.id === change.dealId))
            throw problem(404, "not_found", "The deal was not found.");
          if (change.dealId && (dealIds.length === 0 || change.primary))
            dealIds = [change.dealId, ...dealIds.filter((d) => d !== change.dealId)];
          else if (change.dealId && !dealIds.includes(change.dealId)) dealIds = [...dealIds, change.dealId];
          if (change.companyId && !companies.some((c) => c.id === change.companyId))
            companies = [...companies, { id: change.companyId, via: "link" }];
        } else {
          dealIds = dealIds.filter((d) => d !== change.dealId);
          companies = companies.filter((c) => !(c.id === change.companyId && c.via === "link"));
        }
        const next: Interaction = {
          ...found,
          dealIds,
          dealId: dealIds[0] ?? null,
          companies,
          version: found.version + 1,
        };
        for (const key of Object.keys(server.timelines))
          server.timelines[key] = (server.timelines[key] ?? []).map((i) => (i.id === next.id ? next : i));
        return next;
      }
      case "listCompanyInvoices": {
        if (!server.companies.some((c) => c.id === params?.id))
          throw problem(404, "not_found", "The company was not found.");
        // The cursor is the position after the page handed out, as opaque to the web app as the server's.
        const all = server.invoices[params?.id ?? ""] ?? [];
        const start = query.cursor ? Number(atob(query.cursor)) : 0;
        const end = start + Number(query.limit);
        return Page(Invoice).parse({
          items: all.slice(start, end),
          nextCursor: end < all.length ? btoa(String(end)) : null,
        });
      }
      case "contactRatings":
      case "companyRatings": {
        const known = name === "contactRatings" ? server.contacts : server.companies;
        if (!known.some((r) => r.id === params?.id))
          throw problem(404, "not_found", "The record was not found.");
        return RatingSummary.parse(server.ratings[params?.id ?? ""] ?? { nps: null, csat: null, recent: [] });
      }
      case "reportRatings":
        return RatingsReport.parse(server.ratingsReport);
      case "reportOpenBalances": {
        const rows = server.openBalances.filter((r) => !query.ownerId || r.ownerId === query.ownerId);
        return OpenBalances.parse({
          today: "2026-11-20",
          timeZone: query.timeZone ?? "UTC",
          // The currencies without a rate to EUR are those the rows could not convert.
          conversion: {
            ...reportConversion,
            notConverted: [...new Set(rows.filter((r) => r.inBase === null).map((r) => r.currency))],
          },
          rows,
        });
      }
      case "listCompanies":
        return { items: server.companies.filter((c) => matches(query.q, c.name)), nextCursor: null };
      case "updateCustomField": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins define custom fields.");
        const field = server.customFields.find((f) => f.id === params?.id);
        if (!field) throw problem(404, "not_found", "The custom field was not found.");
        if (body?.version !== field.version)
          throw problem(409, "version_conflict", "The custom field changed meanwhile.");
        const choices = body.choices as string[] | undefined;
        const dropped = (server.heldChoices[field.id] ?? []).filter((c) => choices && !choices.includes(c));
        if (dropped.length)
          throw problem(
            409,
            "custom_field_in_use",
            `${dropped.length} record(s) hold a choice being taken away (${dropped.join(", ")}); change them first.`,
          );
        const changed = CustomFieldDefinition.parse({
          ...field,
          ...body,
          version: field.version + 1,
        });
        server.customFields = server.customFields.map((f) => (f.id === field.id ? changed : f));
        return changed;
      }
      case "deleteCustomField": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins define custom fields.");
        if (!server.customFields.some((f) => f.id === params?.id))
          throw problem(404, "not_found", "The custom field was not found.");
        server.customFields = server.customFields.filter((f) => f.id !== params?.id);
        return { id: params?.id, deleted: true, clearedRecords: 2 };
      }
      case "listTags":
        return { items: server.tags };
      case "listTemplates":
        return {
          items: server.templates.filter(
            (t) =>
              matches(query.q, t.name) &&
              (String(query.archived) === "all" || !t.archived) &&
              (query.scope === undefined || t.scope === query.scope) &&
              (query.folder === undefined || t.folder === query.folder) &&
              (query.tag === undefined || t.tags.includes(String(query.tag))),
          ),
          nextCursor: null,
        };
      case "createTemplate": {
        if (body?.scope === "organization" && role !== "admin")
          throw problem(403, "forbidden", "Only an admin of the organisation writes its templates.");
        const created = Template.parse({
          ...body,
          id: `7e000000-0000-4000-8000-${String(server.templates.length + 1).padStart(12, "0")}`,
          ownerId: body?.scope === "personal" ? ids.rita : null,
          createdBy: ids.rita,
          folder: body?.folder ?? null,
          tags: body?.tags ?? [],
          archived: false,
          archivedAt: null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        server.templates = [...server.templates, created];
        return created;
      }
      case "updateTemplate": {
        const found = server.templates.find((t) => t.id === params?.id);
        if (!found) throw problem(404, "not_found", "The template does not exist.");
        const { archived, ...rest } = body ?? {};
        const updated = Template.parse({
          ...found,
          ...rest,
          ...(archived === undefined ? {} : { archived, archivedAt: archived ? now : null }),
          version: found.version + 1,
        });
        server.templates = server.templates.map((t) => (t.id === updated.id ? updated : t));
        return updated;
      }
      case "templateStats":
        return { templateId: params?.id, used: 3, answered: 1, lastUsedAt: now };
      case "renderTemplate": {
        const template = server.templates.find((t) => t.id === params?.id);
        const contact = server.contacts.find((c) => c.id === body?.contactId);
        if (!template || !contact) throw problem(404, "not_found", "Not found.");
        return RenderedTemplate.parse({
          templateId: template.id,
          language: "en",
          subject: template.variants.en?.subject ?? "",
          html: `<p>${contact.displayName}</p><mark data-rapport-unfilled="contact.title">[contact.title]</mark>`,
          unfilled: ["contact.title"],
          contactId: contact.id,
          dealId: null,
        });
      }
      case "deleteTag": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins change tags.");
        const tag = server.tags.find((t) => t.name === params?.tag);
        server.tags = server.tags.filter((t) => t !== tag);
        return { name: params?.tag, deleted: true, contacts: tag?.contacts ?? 0 };
      }
      case "getOrganization":
        return Organization.parse({
          id: ids.org,
          name: "Contoso",
          internalDomains: ["contoso.example"],
          version: 1,
        });
      case "listBlocklist":
        return Blocklist.parse({ scope: "organization", items: [] });
      case "reportPipelineByStage":
        return PipelineByStage.parse({
          pipeline: { id: ids.pipeline, name: "Sales" },
          conversion: reportConversion,
          rows: server.pipeline.stages.map((s, i) => ({
            stageId: s.id,
            stageName: s.name,
            position: s.position,
            kind: s.kind,
            probability: s.probability,
            ...(pipelineFigures[i] ?? pipelineFigures[2]),
          })),
        });
      case "reportWonLostByMonth":
        return WonLostByMonth.parse({
          pipeline: { id: ids.pipeline, name: "Sales" },
          conversion: reportConversion,
          rows: server.wonLost,
        });
      case "getCurrencies":
        return server.currencies;
      case "updateBaseCurrency": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins set the base currency.");
        if (body?.baseCurrency !== server.currencies.baseCurrency)
          server.currencies = { ...server.currencies, baseCurrency: String(body?.baseCurrency), rates: [] };
        return server.currencies;
      }
      case "setExchangeRate": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins set exchange rates.");
        const { baseCurrency } = server.currencies;
        if (body?.baseCurrency !== baseCurrency)
          throw problem(409, "base_currency_changed", `The base currency is now ${baseCurrency}.`);
        const rate = ExchangeRate.parse({
          currency: body.currency,
          // Stored as numeric, read back without trailing zeros.
          rate: String(body.rate)
            .replace(/(\.\d*?)0+$/, "$1")
            .replace(/\.$/, ""),
          setAt: now,
          setBy: { id: ids.rita, name: "Rita Rep" },
        });
        server.currencies = {
          ...server.currencies,
          rates: [...server.currencies.rates.filter((r) => r.currency !== rate.currency), rate].sort((a, b) =>
            a.currency.localeCompare(b.currency),
          ),
        };
        return rate;
      }
      case "removeExchangeRate": {
        if (role !== "admin") throw problem(403, "forbidden", "Only admins remove exchange rates.");
        if (!server.currencies.rates.some((r) => r.currency === params?.currency))
          throw problem(404, "not_found", `There is no exchange rate for ${params?.currency}.`);
        server.currencies = {
          ...server.currencies,
          rates: server.currencies.rates.filter((r) => r.currency !== params?.currency),
        };
        return { currency: params?.currency, deleted: true };
      }
      default: {
        const answer = handleAccounts(server.accounts, users, name, params, body);
        if (answer !== UNHANDLED) return answer;
        const deals = {
          get: () => server.deals,
          set: (changed: DealWithStage[]) => (server.deals = changed),
        };
        const catalogued = handleProducts(server.catalogue, role, deals, name, params, query, body);
        if (catalogued !== PRODUCTS_UNHANDLED) return catalogued;
        const quoted = handleQuotes(
          server.quotes,
          role,
          server.deals,
          (dealId) => server.catalogue.dealLines[dealId],
          name,
          params,
          body,
        );
        if (quoted !== QUOTES_UNHANDLED) return quoted;
        const formed = handleWebForms(server.webForms, role, name, params, query, body);
        if (formed !== WEB_FORMS_UNHANDLED) return formed;
        throw new Error(`unexpected call ${name}`);
      }
    }
  }
  /** The webhook routes as the server answers them (admins only; a secret made at creation and rotation). */
  function handleWebhooks(
    name: RouteName,
    params: Record<string, string> | undefined,
    body: Record<string, unknown> | undefined,
  ): unknown {
    if (role !== "admin")
      throw problem(403, "forbidden", "Only an admin of the organisation manages webhooks.");
    const endpoint = server.webhooks.find((w) => w.id === params?.id);
    if (name === "listWebhookEndpoints") return { items: server.webhooks };
    if (name === "createWebhookEndpoint") {
      const made: WebhookEndpoint = {
        id: `00000000-0000-4000-8000-${String(900 + server.webhooks.length).padStart(12, "0")}`,
        url: String(body?.url),
        events: body?.events as WebhookEndpoint["events"],
        active: body?.active !== false,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      server.webhooks = [...server.webhooks, made];
      return { endpoint: made, secret: `whsec_made${server.webhooks.length}` };
    }
    if (!endpoint) throw problem(404, "not_found", "The webhook endpoint was not found.");
    switch (name) {
      case "updateWebhookEndpoint": {
        const { version, ...changes } = body ?? {};
        if (version !== endpoint.version) throw problem(409, "version_conflict", "Changed meanwhile.");
        const changed = { ...endpoint, ...changes, version: endpoint.version + 1 } as WebhookEndpoint;
        server.webhooks = server.webhooks.map((w) => (w.id === endpoint.id ? changed : w));
        return changed;
      }
      case "deleteWebhookEndpoint":
        server.webhooks = server.webhooks.filter((w) => w.id !== endpoint.id);
        return { id: endpoint.id, deleted: true };
      case "rotateWebhookSecret":
        return { endpoint, secret: "whsec_rotated" };
      case "listWebhookDeliveries":
        return { items: server.webhookDeliveries[endpoint.id] ?? [], nextCursor: null };
      default: {
        const list = server.webhookDeliveries[endpoint.id] ?? [];
        const delivery = list.find((d) => d.id === params?.deliveryId);
        if (!delivery) throw problem(404, "not_found", "The delivery was not found.");
        const again: WebhookDelivery = { ...delivery, state: "pending", attempts: 0, nextAttemptAt: now };
        server.webhookDeliveries[endpoint.id] = list.map((d) => (d.id === delivery.id ? again : d));
        return again;
      }
    }
  }

  /** The pipeline routes as the server answers them (admins only, versions checked, the default kept). */
  function changePipelines(
    name: "createPipeline" | "updatePipeline" | "reorderPipelines" | "deletePipeline",
    params: Record<string, string> | undefined,
    query: unknown,
    body: Record<string, unknown> | undefined,
  ): unknown {
    if (role !== "admin") throw problem(403, "forbidden", "Only admins change pipelines.");
    const makeDefault = (pipelineId: string) =>
      (server.pipelines = server.pipelines.map((p) =>
        p.id === pipelineId
          ? { ...p, isDefault: true }
          : p.isDefault
            ? { ...p, isDefault: false, version: p.version + 1 }
            : p,
      ));
    const find = (pipelineId: string | undefined) => {
      const found = server.pipelines.find((p) => p.id === pipelineId);
      if (!found) throw problem(404, "not_found", "The pipeline was not found.");
      return found;
    };
    switch (name) {
      case "createPipeline": {
        const n = server.pipelines.length;
        const pipelineId = id(100 + n * 40);
        const stages =
          (body?.stages as typeof DEFAULT_PIPELINE.stages | undefined) ?? DEFAULT_PIPELINE.stages;
        server.pipelines = [
          ...server.pipelines,
          Pipeline.parse({
            id: pipelineId,
            name: body?.name,
            isDefault: false,
            position: n,
            version: 1,
            stages: stages.map((s, position) => ({
              ...s,
              id: id(101 + n * 40 + position),
              pipelineId,
              position,
            })),
          }),
        ];
        if (body?.isDefault) makeDefault(pipelineId);
        return find(pipelineId);
      }
      case "updatePipeline": {
        const pipeline = find(params?.id);
        if (body?.version !== pipeline.version)
          throw problem(409, "version_conflict", "The pipeline changed meanwhile: review it and save again.");
        if (body.isDefault) makeDefault(pipeline.id);
        server.pipelines = server.pipelines.map((p) =>
          p.id === pipeline.id
            ? { ...p, name: (body.name as string | undefined) ?? p.name, version: p.version + 1 }
            : p,
        );
        return find(pipeline.id);
      }
      case "reorderPipelines": {
        const order = body?.pipelineIds as string[];
        if (order.length !== server.pipelines.length)
          throw problem(400, "invalid_request", "Name every pipeline of the organisation, each once.");
        server.pipelines = order.map((pipelineId, position) => ({ ...find(pipelineId), position }));
        return PipelineList.parse({ pipelines: server.pipelines });
      }
      case "deletePipeline": {
        const pipeline = find(params?.id);
        const moveDealsTo = (query as { moveDealsTo?: string } | undefined)?.moveDealsTo;
        const target = server.pipelines.find((p) => p.stages.some((s) => s.id === moveDealsTo));
        if (moveDealsTo && (!target || target.id === pipeline.id))
          throw problem(400, "invalid_request", "moveDealsTo must be a stage of another pipeline.");
        if (pipeline.isDefault)
          throw problem(
            409,
            "default_pipeline",
            "New deals start in the default pipeline: make another pipeline the default first.",
          );
        const deals = server.dealsIn[pipeline.id] ?? 0;
        if (deals > 0 && !target)
          throw problem(409, "pipeline_has_deals", `The pipeline has ${deals} deal(s): say where they go.`);
        server.pipelines = server.pipelines.filter((p) => p.id !== pipeline.id);
        return { id: pipeline.id, deleted: true, movedDeals: deals };
      }
    }
  }

  return server;
}

/** A custom field as the server lists it. */
export function customField(fields: {
  n: number;
  key: string;
  label: string;
  type: CustomFieldDefinition["type"];
  choices?: string[];
  required?: boolean;
  entity?: CustomFieldDefinition["entity"];
}): CustomFieldDefinition {
  return CustomFieldDefinition.parse({
    id: id(60 + fields.n),
    entity: fields.entity ?? "deal",
    key: fields.key,
    label: fields.label,
    type: fields.type,
    choices: fields.choices ?? [],
    required: fields.required ?? false,
    position: fields.n,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/** The web app signed in on the fake server, at a path; in the browser's time zone unless one is named. */
export function renderWebApp(
  server: FakeWebServer,
  path = "/app",
  /** The browser's language (English unless a test asks for another; null: as this browser remembers it). */
  options: { timeZone?: string; language?: Language | null } = {},
) {
  window.history.pushState(null, "", path);
  const signOut = jest.fn();
  const result = render(
    <WebAppProviders
      queryClient={createQueryClient()}
      language={options.language === null ? undefined : (options.language ?? "en")}
    >
      <SignedInApp
        session={{ getToken: async () => "token", who: "rita", signOut }}
        clients={{ api: server.api, files: server.files, timeZone: options.timeZone }}
      />
    </WebAppProviders>,
  );
  return { ...result, signOut };
}
