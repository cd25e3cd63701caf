import { render } from "@testing-library/react";
import type { z } from "zod";
import { ApiError } from "../../src/client/problems";
import type { ApiClient } from "../../src/client/api-client";
import type { FileClient } from "../../src/client/files";
import type { MeetingIds } from "../../src/addin/auth/meeting-ids";
import type { OutlookContacts } from "../../src/addin/auth/outlook-contacts";
import { type KeyValueStorage, memoryStorage } from "../../src/addin/core/storage";
import {
  type SimulatedAppointment,
  type SimulatedMailbox,
  type SimulatedMessage,
  createSimulatedMailbox,
} from "../../src/addin/office/simulated-mailbox";
import { App } from "../../src/addin/taskpane/App";
import { catalogueFor } from "../../src/addin/core/i18n";
import { en } from "../../src/addin/core/messages/en";
import sv from "../../src/addin/core/messages/sv";
import de from "../../src/addin/core/messages/de";
import nb from "../../src/addin/core/messages/nb";
import hr from "../../src/addin/core/messages/hr";
import { type Services, createServices } from "../../src/addin/core/services";
import { Page } from "../../src/shared/common";
import { Company } from "../../src/shared/companies";
import { domainOf, normalizeEmailAddress, parseMailbox } from "../../src/shared/email-address";
import { Contact } from "../../src/shared/contacts";
import {
  type CustomFieldDefinition,
  CustomFieldDefinitionList,
  type CustomFieldValues,
} from "../../src/shared/custom-fields";
import { Dashboard, type DealNeedingAttention, type RecentInteraction } from "../../src/shared/dashboard";
import type { OccasionMail } from "../../src/shared/occasions";
import { DealWithStage } from "../../src/shared/deals";
import { Problem } from "../../src/shared/errors";
import { Interaction, InteractionPage, LoggedEmail, RelationshipGlance } from "../../src/shared/interactions";
import { CompanyAccount } from "../../src/shared/invoices";
import { RatingLink, RatingSummary } from "../../src/shared/ratings";
import { LookupResponse, Timeline, TimelineItem, timelineItemId } from "../../src/shared/people";
import { PipelineList } from "../../src/shared/pipelines";
import { Me, type RouteName, routes } from "../../src/shared/routes";
import {
  Blocklist,
  BlocklistEntry,
  BlocklistEntryText,
  Mailbox,
  MailboxList,
  MySettings,
} from "../../src/shared/mailboxes";
import type { LoggingPolicy } from "../../src/shared/organizations";
import { Task } from "../../src/shared/tasks";
import { renderTemplate } from "../../src/shared/merge-fields";
import { RenderedTemplate, Template } from "../../src/shared/templates";
import { Quote, QuoteList } from "../../src/shared/quotes";
import { LoggedMeeting, type MeetingBrief, MeetingBriefs } from "../../src/shared/meetings";

export const now = "2026-11-20T09:30:00.000Z";
/** The rep's own user id, as the server records who logged or created something. */
export const ritaId = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a00";
export const pipelineId = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a02";
export const stage = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a01",
  pipelineId,
  name: "Proposal",
  position: 2,
  probability: 50,
  kind: "open" as const,
};
export const negotiation = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a06",
  pipelineId,
  name: "Negotiation",
  position: 3,
  probability: 75,
  kind: "open" as const,
};
export const won = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a07",
  pipelineId,
  name: "Won",
  position: 4,
  probability: 100,
  kind: "won" as const,
};
export const anna = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a03",
  displayName: "Anna Berg",
  firstName: "Anna",
  lastName: "Berg",
  title: "CFO",
  emails: ["anna@fabrikam.example"],
  phones: ["+46 70 123 45 67"],
  companyId: null,
  lifecycleStage: "customer" as const,
  tags: ["key account"],
  ownerId: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a99",
  source: "manual",
  customFields: {},
  createdAt: now,
  updatedAt: now,
  version: 1,
  company: null,
  owner: {
    id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a99",
    displayName: "Rita Rep",
    email: "rita@contoso.example",
  },
  openDeals: [
    {
      id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a04",
      name: "Fabrikam renewal",
      amount: 12000,
      currency: "EUR",
      expectedCloseDate: null,
      companyId: null,
      contactIds: ["6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a03"],
      ownerId: null,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      status: "open" as const,
      closedAt: null,
      customFields: {},
      createdAt: now,
      updatedAt: now,
      version: 1,
      stage,
    },
  ],
  openTasks: [],
  recentInteractions: [],
};
export const fabrikamRenewal = anna.openDeals[0] as (typeof anna.openDeals)[number];

/** A second known person at Fabrikam, for emails with more than one known participant. */
export const erik = {
  ...anna,
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a11",
  displayName: "Erik Holm",
  firstName: "Erik",
  lastName: "Holm",
  title: "Procurement",
  emails: ["erik@fabrikam.example"],
  phones: [],
  lifecycleStage: "prospect" as const,
  tags: [],
  openDeals: [],
};

export const inbox: SimulatedMessage[] = [
  {
    id: "known",
    internetMessageId: "<q3@fabrikam.example>",
    conversationId: "c1",
    subject: "Proposal for Q3",
    from: { address: "anna@fabrikam.example", name: "Anna Berg" },
    to: [{ address: "rita@contoso.example", name: "Rita" }],
    cc: [],
    sentAt: now,
    mode: "read",
    bodyText: "Hi Rita",
  },
  {
    id: "stranger",
    internetMessageId: "<hello@northwind.example>",
    conversationId: "c2",
    subject: "Hello",
    from: { address: "Jonas@northwind.example", name: "Jonas Lind" },
    to: [{ address: "rita@contoso.example", name: "Rita" }],
    cc: [],
    sentAt: now,
    mode: "read",
    bodyText:
      "Hello Rita,\n\nlet us talk.\n\nBest regards\nJonas Lind\nHead of Sales | Northwind Traders\nTel: +47 912 34 567",
  },
];

export const secondDeal = {
  ...fabrikamRenewal,
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a10",
  name: "Fabrikam expansion",
};

/** The one meeting interaction the fake server keeps (one open meeting per test). */
export const MEETING_ID = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a20";

export const loggedInteraction = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a05",
  kind: "email" as const,
  direction: "in" as const,
  occurredAt: now,
  subject: "Proposal for Q3",
  body: "Hi Rita",
  outcome: null,
  internetMessageId: "<q3@fabrikam.example>",
  rapportKey: null,
  conversationId: "c1",
  source: "manual" as const,
  dealId: null,
  dealIds: [] as string[],
  companies: [] as { id: string; via: "contact" | "link" }[],
  loggedBy: [],
  participants: [],
  meeting: null,
  createdAt: now,
  updatedAt: now,
  version: 1,
};

/** A task as the server stores it, open unless told otherwise. */
export function taskOf(fields: Partial<z.input<typeof Task>> & { id: string; title: string }): Task {
  return Task.parse({
    notes: null,
    dueAt: null,
    done: false,
    doneAt: null,
    assigneeId: ritaId,
    contactId: anna.id,
    dealId: null,
    createdBy: ritaId,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...fields,
  });
}

/** An interaction with Anna as the server stores it. */
export function interactionOf(
  fields: Partial<z.input<typeof Interaction>> & { id: string; kind: Interaction["kind"] },
): Interaction {
  return Interaction.parse({
    direction: null,
    occurredAt: now,
    subject: null,
    body: null,
    outcome: null,
    internetMessageId: null,
    rapportKey: null,
    conversationId: null,
    source: "manual",
    dealId: null,
    dealIds: fields.dealId ? [fields.dealId] : [],
    companies: [],
    loggedBy: [ritaId],
    participants: [{ address: anna.emails[0], name: anna.displayName, contactId: anna.id, role: "with" }],
    meeting: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...fields,
  });
}

export interface FakeApiOptions {
  /** This many lookups fail as if the server could not be reached, then they pass. */
  failLookups?: number;
  /** Someone moves the deal to this stage just before the rep does. */
  movedMeanwhileTo?: typeof won;
  secondDeal?: boolean;
  /** Anna's tasks on the server (open ones show in her profile). */
  tasks?: Task[];
  /** Anna's history on the server, besides what the pane writes: any order, the server sorts it. */
  history?: z.input<typeof Timeline>["items"];
  /** Other people Rapport knows, besides Anna. */
  contacts?: (Omit<typeof erik, "companyId" | "company"> & {
    companyId: string | null;
    company: Company | null;
  })[];
  /** Anna's email was logged already, without a deal (as the mailbox sync leaves it with several open deals). */
  loggedBySync?: boolean;
  /** The rep's own switches as the server holds them. */
  settings?: Partial<MySettings>;
  /** The organisation's logging policy (every switch off and the defaults unless given). */
  loggingPolicy?: Partial<LoggingPolicy>;
  /** The organisation's blocklist (the rep's own is kept by the fake as the pane changes it). */
  orgBlocklist?: string[];
  /** The rep's mailbox sync status. */
  mailboxStatus?: Mailbox["status"];
  /** Where the rep's calendar capture stands (read, unless given). */
  calendarState?: Mailbox["calendar"]["state"];
  /** The organisation's custom field definitions. */
  customFields?: CustomFieldDefinition[];
  /** Anna's custom field values as the server holds them. */
  annaFields?: CustomFieldValues;
  /** Today's other sections (follow-ups come from the tasks). */
  attention?: DealNeedingAttention[];
  recent?: RecentInteraction[];
  pipeline?: Dashboard["pipeline"];
  /** Today's occasion mails of the rep (none unless given). */
  occasionMails?: OccasionMail[];
  /** Every dashboard request fails as if the server could not be reached while this is above 0, counting down. */
  failDashboards?: number;
  /** The rep's templates, in the order the server lists them (most recently used first). */
  templates?: z.input<typeof Template>[];
  /** Anna's company (none unless given). */
  annaCompany?: Company;
  /** Every link and unlink is refused (403), as for a rep who may not change the interaction. */
  refuseLinks?: boolean;
  /** Deals the server knows besides the open ones on the profile (a won one, say), readable by id. */
  otherDeals?: z.input<typeof DealWithStage>[];
  /** What each company owes and buys, by company id; a problem is what the server answers instead. */
  accounts?: Record<string, CompanyAccount | ApiError>;
  /** Each contact's relationship at a glance, by contact id (none: nothing logged); a problem answers instead. */
  glances?: Record<string, RelationshipGlance | ApiError>;
  /** Each company's latest interactions, newest first, by company id (none: nothing logged). */
  companyHistory?: Record<string, Interaction[]>;
  /** Each contact's survey scores, by contact id (none: no answers yet). */
  ratings?: Record<string, RatingSummary>;
  /** Today's meetings with their briefs, as the server answers them (none unless given). */
  meetingBriefs?: z.input<typeof MeetingBrief>[];
  /** The meeting briefs fail as if the server could not be reached while this is above 0, counting down. */
  failMeetingBriefs?: number;
  /** Logging a meeting is refused as the server refuses one with nobody outside who is a contact (422 no_contact). */
  meetingWithoutContact?: boolean;
}

export interface FakeCall {
  name: string;
  input: unknown;
  /** False when the server could not be reached: the call never arrived. */
  reached: boolean;
  /** What the server answered, when it did. */
  answer?: unknown;
}

export interface FakeServer {
  api: ApiClient;
  /** The file routes: a quote's PDF, as bytes that start as a PDF does. */
  files: FileClient;
  /** Each deal's quotes as the server holds them, newest first. */
  quotes: Map<string, Quote[]>;
  /** Deals without lines: a quote of one is refused as the server refuses it (422 naming deal.lines). */
  dealsWithoutLines: Set<string>;
  calls: FakeCall[];
  /** Inputs of the calls of this route that reached the server. */
  received(name: RouteName): unknown[];
  /** While false, every call fails as a network error does (status 0): the server cannot be reached. */
  reachable: boolean;
  /** Holds the answers to this route's calls until released: for what the pane shows meanwhile. */
  hold(name: RouteName): () => void;
  /** The notes the server holds, by id: each create made once, however often it was sent. */
  notes: ReadonlyMap<string, Interaction>;
  /** Anna's tasks the server holds, by id; a test may delete one, as a colleague would. */
  tasks: Map<string, Task>;
  /** Anna's custom field values and version as the server holds them now. */
  anna(): { customFields: CustomFieldValues; version: number };
  /**
   * The meetings the server holds, by its key (the iCalUId, else organiser, start and subject, as the server
   * recognises a meeting): logged again, a meeting is updated, never doubled.
   */
  meetings: Map<string, z.output<typeof routes.logMeeting.body>>;
  /** A colleague changes Anna's custom fields (her version goes up). */
  editAnna(fields: CustomFieldValues): void;
}

export const problem = (
  status: number,
  code: Problem["code"],
  detail: string,
  extra: Partial<Problem> = {},
) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code, ...extra }));

/** The request as the server gets it: through JSON (undefined fields dropped), then the contract's schema. */
function request<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const wire: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  const parsed = schema.safeParse(wire);
  if (!parsed.success)
    throw problem(400, "invalid_request", parsed.error.message, {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  return parsed.data;
}

/** The server's keyset order: by time, then by id. */
type SortKey = readonly [at: string, id: string];
const compare = (a: SortKey, b: SortKey) => Date.parse(a[0]) - Date.parse(b[0]) || a[1].localeCompare(b[1]);
const sortKeyOf = (item: TimelineItem): SortKey => [item.at, timelineItemId(item)];
const byNewest = (a: TimelineItem, b: TimelineItem) => compare(sortKeyOf(b), sortKeyOf(a));

/** An opaque cursor as this fake hands them out; anything else is refused as the server refuses it. */
function cursorOf(cursor: string): SortKey {
  try {
    const [at, id] = JSON.parse(atob(cursor)) as unknown[];
    if (typeof at === "string" && typeof id === "string") return [at, id];
  } catch {
    // refused below
  }
  throw problem(400, "invalid_request", "The cursor is not one this server handed out.");
}

/**
 * Answers as the server would: each request is checked against the contract's schema (a 400 otherwise), each
 * answer is parsed with it before it is returned; creates with a client-made id are made once however often
 * they are sent, updates check the version.
 */
export function fakeApi(options: FakeApiOptions = {}): FakeServer {
  const calls: FakeCall[] = [];
  let failures = options.failLookups ?? 0;
  let logged = options.loggedBySync ?? false;
  /**
   * The deals (the primary one first) and companies of each interaction logged here (the email, a meeting), by id,
   * as links change them; with the version each change raises.
   */
  const links = new Map<
    string,
    { dealIds: string[]; companies: { id: string; via: "contact" | "link" }[]; version: number }
  >();
  const linksOf = (id: string) => {
    let held = links.get(id);
    if (!held) {
      held = { dealIds: [], companies: [], version: 1 };
      links.set(id, held);
    }
    return held;
  };
  const withLinks = <T extends { id: string }>(interaction: T) => {
    const held = linksOf(interaction.id);
    return {
      ...interaction,
      dealId: held.dealIds[0] ?? null,
      dealIds: held.dealIds,
      // Anna's company takes part through her, as the server reads it from the contacts, unless linked by hand.
      companies: [
        ...held.companies,
        ...(options.annaCompany && !held.companies.some((c) => c.id === options.annaCompany?.id)
          ? [{ id: options.annaCompany.id, via: "contact" as const }]
          : []),
      ],
      version: held.version,
    };
  };
  /** A logged meeting as the server keeps it: one interaction, Anna among the people at it when she was invited. */
  const meetingInteraction = (body: z.output<typeof routes.logMeeting.body>) =>
    interactionOf(
      withLinks({
        id: MEETING_ID,
        kind: "meeting" as const,
        occurredAt: body.startsAt,
        subject: body.subject ?? null,
        body: body.notes ?? null,
        meeting: {
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          location: body.location ?? null,
          onlineUrl: body.onlineUrl ?? null,
          iCalUId: body.iCalUId ?? null,
          cancelled: false,
          outcome: body.outcome ?? null,
        },
      }),
    );
  const knownDeals = () => (options.secondDeal ? [deal, secondDeal] : [deal]);
  let settings: MySettings = {
    autoLogOpened: false,
    syncOptedOut: false,
    language: null,
    timeZone: null,
    ...options.settings,
  };
  const personal = new Map<string, BlocklistEntry>();
  let added: z.input<typeof Contact> | null = null;
  let deal: z.input<typeof DealWithStage> = fabrikamRenewal as z.input<typeof DealWithStage>;
  const tasks = new Map((options.tasks ?? []).map((t) => [t.id, t]));
  const notes = new Map<string, Interaction>();
  const history = (options.history ?? []).map((item) => TimelineItem.parse(item));
  const others = options.contacts ?? [];
  const holds = new Map<string, Promise<void>>();
  const answer = <T extends z.ZodType>(schema: T, value: z.input<T>): z.output<T> => schema.parse(value);
  let annaFields: CustomFieldValues = options.annaFields ?? {};
  let annaVersion = anna.version;
  let dashboardFailures = options.failDashboards ?? 0;
  let meetingBriefFailures = options.failMeetingBriefs ?? 0;
  const annaNow = () => ({
    ...anna,
    customFields: annaFields,
    version: annaVersion,
    ...(options.annaCompany ? { companyId: options.annaCompany.id, company: options.annaCompany } : {}),
  });

  /** The server's check of custom field values against the definitions (see checkCustomFields). */
  const checkFields = (
    entity: CustomFieldDefinition["entity"],
    values: CustomFieldValues,
  ): CustomFieldValues => {
    const definitions = (options.customFields ?? []).filter((d) => d.entity === entity);
    const errors: { path: string; message: string }[] = [];
    const stored: CustomFieldValues = {};
    for (const [key, value] of Object.entries(values)) {
      const definition = definitions.find((d) => d.key === key);
      const path = `body.customFields.${key}`;
      if (!definition) errors.push({ path, message: `no ${entity} custom field has the key "${key}"` });
      else if (value === null || value === "") continue;
      else if (definition.type === "number" && typeof value !== "number")
        errors.push({ path, message: "a number expected" });
      else if (definition.type === "choice" && !definition.choices.includes(String(value)))
        errors.push({ path, message: `one of: ${definition.choices.join(", ")}` });
      else stored[key] = value;
    }
    for (const definition of definitions)
      if (definition.required && stored[definition.key] === undefined)
        errors.push({
          path: `body.customFields.${definition.key}`,
          message: `"${definition.label}" is required`,
        });
    if (errors.length) throw problem(400, "invalid_request", "The request body is not valid", { errors });
    return stored;
  };

  const annaTimeline = (): TimelineItem[] =>
    [
      ...history,
      ...(logged
        ? [
            {
              type: "interaction" as const,
              at: now,
              interaction: interactionOf(withLinks(loggedInteraction)),
            },
          ]
        : []),
      ...[...server.meetings.values()]
        .filter((m) => [m.organizer, ...m.attendees].some((p) => p.address === anna.emails[0]))
        .map((m) => ({ type: "interaction" as const, at: m.startsAt, interaction: meetingInteraction(m) })),
      ...[...notes.values()].map((n) => ({ type: "interaction" as const, at: n.occurredAt, interaction: n })),
      ...[...tasks.values()].map((t) => ({ type: "task" as const, at: t.createdAt, task: t })),
    ].sort(byNewest);

  const handle = async (name: RouteName, input: { params?: unknown; query?: unknown; body?: unknown }) => {
    if (name === "lookupPeople") {
      const query = request(routes.lookupPeople.query, input.query ?? {});
      // Each address once, in canonical form, as the server answers.
      const mailboxes = query.email.map((value) => {
        const mailbox = parseMailbox(value);
        if (!mailbox) throw problem(400, "invalid_request", `"${value}" is not an email address.`);
        return mailbox;
      });
      const asked = mailboxes.filter((m, i) => mailboxes.findIndex((o) => o.address === m.address) === i);
      const results = asked.map(({ address: email, written }) => {
        if (added && added.emails.some((e) => normalizeEmailAddress(e) === email)) {
          return {
            email,
            suggestion: null,
            contact: {
              ...added,
              company: null,
              owner: null,
              openDeals: [],
              openTasks: [],
              recentInteractions: [],
            },
          };
        }
        if (email === "anna@fabrikam.example") {
          const interactions = annaTimeline().flatMap((i) =>
            i.type === "interaction" ? [i.interaction] : [],
          );
          return {
            email,
            suggestion: null,
            contact: {
              ...annaNow(),
              openDeals: options.secondDeal ? [deal, secondDeal] : [deal],
              openTasks: [...tasks.values()].filter((t) => !t.done),
              recentInteractions: interactions.slice(0, 20),
            },
          };
        }
        const other = others.find((c) => c.emails.includes(email));
        if (other) return { email, suggestion: null, contact: other };
        return {
          email,
          contact: null,
          suggestion: {
            email: written,
            displayName: "Jonas Lind",
            firstName: "Jonas",
            lastName: "Lind",
            domain: domainOf(written),
            freeMail: false,
            internal: false,
            company: null,
          },
        };
      });
      return answer(LookupResponse, { results });
    }
    if (name === "contactTimeline") {
      const { id } = request(routes.contactTimeline.params, input.params);
      const query = request(routes.contactTimeline.query, input.query ?? {});
      const known = [anna.id, added?.id, ...others.map((c) => c.id)];
      if (!known.includes(id)) throw problem(404, "not_found", "The contact was not found.");
      const all = id === anna.id ? annaTimeline() : [];
      let start = 0;
      if (query.cursor !== undefined) {
        const after = cursorOf(query.cursor);
        // Keyset paging: what comes after the last item handed out, however the list changed meanwhile.
        start = all.findIndex((i) => compare(sortKeyOf(i), after) < 0);
        if (start < 0) start = all.length;
      }
      const page = all.slice(start, start + query.limit);
      const last = page.at(-1);
      const more = start + query.limit < all.length;
      return answer(Timeline, {
        items: page,
        nextCursor: more && last ? btoa(JSON.stringify([last.at, timelineItemId(last)])) : null,
      });
    }
    if (name === "createNote") {
      const body = request(routes.createNote.body, input.body);
      const replayed = body.id ? notes.get(body.id) : undefined;
      if (replayed) return answer(Interaction, replayed);
      if (body.contactId !== anna.id) throw problem(404, "not_found", "The contact was not found.");
      const at = new Date().toISOString();
      const note = answer(Interaction, {
        ...interactionOf({ id: body.id ?? crypto.randomUUID(), kind: body.kind }),
        direction: body.direction ?? null,
        occurredAt: body.occurredAt ?? at,
        subject: body.subject ?? null,
        body: body.body,
        outcome: body.outcome ?? null,
        dealId: body.dealId ?? null,
        createdAt: at,
        updatedAt: at,
      });
      notes.set(note.id, note);
      return note;
    }
    if (name === "createTask") {
      const body = request(routes.createTask.body, input.body);
      const replayed = body.id ? tasks.get(body.id) : undefined;
      if (replayed) return answer(Task, replayed);
      const at = new Date().toISOString();
      const task = taskOf({
        id: body.id ?? crypto.randomUUID(),
        title: body.title,
        notes: body.notes ?? null,
        dueAt: body.dueAt,
        contactId: body.contactId ?? null,
        dealId: body.dealId ?? null,
        createdAt: at,
        updatedAt: at,
      });
      // Only Anna's tasks are kept: the others' never show in what the tests look at.
      if (task.contactId === anna.id) tasks.set(task.id, task);
      return answer(Task, task);
    }
    if (name === "updateTask") {
      const { id } = request(routes.updateTask.params, input.params);
      const body = request(routes.updateTask.body, input.body);
      const task = tasks.get(id);
      if (!task) throw problem(404, "not_found", "The task was not found.");
      if (body.version === undefined) throw problem(428, "version_required", "Send the version you read.");
      if (body.version !== task.version)
        throw problem(409, "version_conflict", "The task changed meanwhile.", { current: task });
      const at = new Date().toISOString();
      const updated = answer(Task, {
        ...task,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.dueAt !== undefined ? { dueAt: body.dueAt } : {}),
        done: body.done ?? task.done,
        doneAt: body.done === undefined ? task.doneAt : body.done ? (task.doneAt ?? at) : null,
        updatedAt: at,
        version: task.version + 1,
      });
      tasks.set(id, updated);
      return updated;
    }
    if (name === "createCompany") {
      const body = request(routes.createCompany.body, input.body);
      return answer(Company, {
        id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a08",
        name: body.name,
        domain: body.domain?.written ?? null,
        phone: null,
        website: null,
        address: null,
        ownerId: null,
        customFields: {},
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    }
    if (name === "createContact") {
      const body = request(routes.createContact.body, input.body);
      added = answer(Contact, {
        ...anna,
        id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a09",
        displayName: body.displayName,
        emails: (body.emails ?? []).map((e) => e.written),
        title: body.title ?? null,
        phones: body.phone ? [body.phone] : [],
        companyId: body.companyId ?? null,
        lifecycleStage: "lead",
        tags: [],
      });
      return added;
    }
    if (name === "getCompanyAccount") {
      const { id } = request(routes.getCompanyAccount.params, input.params);
      request(routes.getCompanyAccount.query, input.query ?? {});
      const account = options.accounts?.[id];
      if (account instanceof ApiError) throw account;
      if (!account) throw problem(404, "not_found", "The company was not found.");
      return answer(CompanyAccount, account);
    }
    if (name === "contactGlance") {
      const { id } = request(routes.contactGlance.params, input.params);
      const glance = options.glances?.[id];
      if (glance instanceof ApiError) throw glance;
      return answer(
        RelationshipGlance,
        glance ?? {
          lastContact: null,
          lastReply: null,
          last30Days: 0,
          last90Days: 0,
          rhythm: { state: "not_enough_history", activeDays: 0, medianGapDays: null, daysSinceLast: null },
        },
      );
    }
    if (name === "companyTimeline") {
      const { id } = request(routes.companyTimeline.params, input.params);
      const query = request(routes.companyTimeline.query, input.query ?? {});
      const items = (options.companyHistory?.[id] ?? []).slice(0, query.limit);
      return answer(InteractionPage, { items, nextCursor: null });
    }
    if (name === "contactRatings") {
      const { id } = request(routes.contactRatings.params, input.params);
      return answer(RatingSummary, options.ratings?.[id] ?? { nps: null, csat: null, recent: [] });
    }
    if (name === "createRatingLink") {
      const { id } = request(routes.createRatingLink.params, input.params);
      const { kind } = request(routes.createRatingLink.body, input.body);
      return answer(RatingLink, {
        kind,
        url: `https://rapport.example/s/${kind}-link-for-${id}`,
        language: "en",
        expiresAt: "2026-12-20T10:00:00.000Z",
      });
    }
    if (name === "listOccasionMails") {
      request(routes.listOccasionMails.query, input.query ?? {});
      return { day: new Date().toISOString().slice(0, 10), items: options.occasionMails ?? [] };
    }
    if (name === "dashboard") {
      request(routes.dashboard.query, input.query ?? {});
      if (dashboardFailures-- > 0) throw new ApiError(0, null);
      // Today in UTC, as a rep in UTC would have it (the tests' time zone).
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = Date.parse(`${today}T00:00:00Z`) + 86_400_000;
      const due = [...tasks.values()]
        .filter((t) => !t.done && t.dueAt !== null && Date.parse(t.dueAt) < tomorrow)
        .sort((a, b) => Date.parse(a.dueAt ?? "") - Date.parse(b.dueAt ?? ""));
      return answer(Dashboard, {
        owner: { id: ritaId, email: "rita@contoso.example", displayName: "Rita Rep" },
        timeZone: "UTC",
        today,
        generatedAt: new Date().toISOString(),
        followUps: {
          total: due.length,
          items: due.map((t) => ({
            ...t,
            overdue: Date.parse(t.dueAt ?? "") < Date.parse(`${today}T00:00:00Z`),
            contact: t.contactId === anna.id ? { id: anna.id, displayName: anna.displayName } : null,
            deal: null,
          })),
        },
        dealsNeedingAttention: { items: options.attention ?? [], total: options.attention?.length ?? 0 },
        recentInteractions: options.recent ?? [],
        pipeline: options.pipeline ?? [],
      });
    }
    if (name === "listCustomFields") {
      return answer(CustomFieldDefinitionList, { items: options.customFields ?? [] });
    }
    if (name === "getContact") {
      const { id } = request(routes.getContact.params, input.params);
      if (id !== anna.id) throw problem(404, "not_found", "The contact was not found.");
      return answer(Contact, annaNow());
    }
    if (name === "updateContact") {
      const { id } = request(routes.updateContact.params, input.params);
      const body = request(routes.updateContact.body, input.body);
      if (id !== anna.id) throw problem(404, "not_found", "The contact was not found.");
      if (body.version !== annaVersion)
        throw problem(409, "version_conflict", "The record was changed by someone else.", {
          current: answer(Contact, annaNow()),
        });
      if (body.customFields !== undefined) annaFields = checkFields("contact", body.customFields);
      annaVersion++;
      return answer(Contact, annaNow());
    }
    if (name === "getDeal") {
      const { id } = request(routes.getDeal.params, input.params);
      const found = [...knownDeals(), ...(options.otherDeals ?? [])].find((d) => d.id === id);
      if (!found) throw problem(404, "not_found", "The deal was not found.");
      return answer(DealWithStage, found);
    }
    if (name === "getCompany") {
      const { id } = request(routes.getCompany.params, input.params);
      if (id !== options.annaCompany?.id) throw problem(404, "not_found", "The company was not found.");
      return answer(Company, options.annaCompany);
    }
    if (name === "linkInteraction" || name === "unlinkInteraction") {
      // As the server links: the first deal, or one named primary, leads; the others follow in the order linked.
      const { id } = request(routes.linkInteraction.params, input.params);
      const meeting = [...server.meetings.values()][0];
      if (!(id === loggedInteraction.id && logged) && !(id === MEETING_ID && meeting))
        throw problem(404, "not_found", "The interaction was not found.");
      if (options.refuseLinks) throw problem(403, "forbidden", "Only the deal's owner may link to it.");
      const held = linksOf(id);
      if (name === "linkInteraction") {
        const body = request(routes.linkInteraction.body, input.body);
        if (body.dealId !== undefined) {
          const dealId = body.dealId;
          if (![...knownDeals(), ...(options.otherDeals ?? [])].some((d) => d.id === dealId))
            throw problem(404, "not_found", "The deal was not found.");
          if (held.dealIds.length === 0 || body.primary)
            held.dealIds = [dealId, ...held.dealIds.filter((d) => d !== dealId)];
          else if (!held.dealIds.includes(dealId)) held.dealIds = [...held.dealIds, dealId];
        } else if (body.companyId && !held.companies.some((c) => c.id === body.companyId))
          held.companies = [...held.companies, { id: body.companyId, via: "link" }];
      } else {
        const query = request(routes.unlinkInteraction.query, input.query ?? {});
        held.dealIds = held.dealIds.filter((d) => d !== query.dealId);
        held.companies = held.companies.filter((c) => c.id !== query.companyId);
      }
      held.version++;
      return id === MEETING_ID && meeting
        ? meetingInteraction(meeting)
        : answer(Interaction, interactionOf(withLinks(loggedInteraction)));
    }
    if (name === "updateDeal") {
      const { id } = request(routes.updateDeal.params, input.params);
      const body = request(routes.updateDeal.body, input.body);
      if (id !== deal.id) throw problem(404, "not_found", "The deal was not found.");
      if (body.version !== deal.version)
        throw problem(409, "version_conflict", "changed", { current: answer(DealWithStage, deal) });
      deal = {
        ...deal,
        customFields:
          body.customFields === undefined ? deal.customFields : checkFields("deal", body.customFields),
        version: deal.version + 1,
      };
      return answer(DealWithStage, deal);
    }
    if (name === "listPipelines") {
      return answer(PipelineList, {
        pipelines: [
          {
            id: pipelineId,
            name: "Sales",
            isDefault: true,
            position: 0,
            stages: [stage, negotiation, won],
            version: 1,
          },
        ],
      });
    }
    if (name === "moveDealToStage") {
      const body = request(routes.moveDealToStage.body, input.body);
      if (options.movedMeanwhileTo) {
        deal = {
          ...deal,
          stageId: options.movedMeanwhileTo.id,
          stage: options.movedMeanwhileTo,
          version: deal.version + 1,
        };
        throw problem(409, "version_conflict", "changed", { current: deal });
      }
      const target = [stage, negotiation, won].find((s) => s.id === body.stageId) ?? stage;
      deal = { ...deal, stageId: target.id, stage: target, version: deal.version + 1 };
      return answer(DealWithStage, deal);
    }
    if (name === "logEmail") {
      const body = request(routes.logEmail.body, input.body);
      const created = !logged;
      logged = true;
      // As the server: a deal named fills an open link; none named links the single open deal, if there is one.
      const held = linksOf(loggedInteraction.id);
      if (body.dealId !== undefined) {
        if (held.dealIds.length === 0 && body.dealId !== null) held.dealIds = [body.dealId];
      } else if (created && !options.secondDeal) held.dealIds = [deal.id as string];
      return answer(LoggedEmail, {
        interaction: interactionOf(withLinks(loggedInteraction)),
        created,
        followUp: null,
      });
    }
    if (name === "me") {
      return answer(Me, {
        user: { id: ritaId, email: "rita@contoso.example", displayName: "Rita Rep", role: "member" },
        organization: {
          id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a0f",
          name: "contoso.example",
          internalDomains: ["contoso.example"],
          loggingPolicy: options.loggingPolicy ?? {},
          hasAdmin: true,
        },
        adminAppRole: "Rapport.Admin",
        settings,
        privacy: {
          internalDomains: ["contoso.example"],
          blocklist: [...(options.orgBlocklist ?? []), ...[...personal.values()].map((e) => e.entry)],
        },
      });
    }
    if (name === "updateMySettings") {
      const body = request(routes.updateMySettings.body, input.body);
      settings = { ...settings, ...body };
      return answer(MySettings, settings);
    }
    if (name === "listMailboxes" || name === "myMailbox") {
      const status = settings.syncOptedOut ? "opted_out" : (options.mailboxStatus ?? "ok");
      const syncing = status !== "opted_out" && status !== "not_enabled" && status !== "not_configured";
      const mailbox: z.input<typeof Mailbox> = {
        userId: ritaId,
        email: "rita@contoso.example",
        displayName: "Rita Rep",
        syncing,
        enabledForUser: true,
        optedOut: settings.syncOptedOut,
        status,
        lastRunAt: now,
        lastSuccessAt: now,
        lastError: status === "failing" ? "Microsoft Graph answered 403" : null,
        retryAt: null,
        folders: [],
        calendar: {
          state: options.calendarState ?? (syncing ? "synced" : "off"),
          syncedAt: now,
          error: null,
        },
        notifications: { state: "off", reason: "not_configured", expiresAt: null, error: null },
      };
      if (name === "myMailbox") return answer(Mailbox, mailbox);
      return answer(MailboxList, {
        syncConfigured: true,
        notificationsConfigured: false,
        intervalSeconds: 60,
        backfillDays: 30,
        items: [mailbox],
      });
    }
    if (name === "listBlocklist") {
      const query = request(routes.listBlocklist.query, input.query);
      const items =
        query.scope === "personal"
          ? [...personal.values()]
          : (options.orgBlocklist ?? []).map((entry, i) => ({
              id: `7b000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
              scope: "organization" as const,
              entry,
              createdAt: now,
            }));
      return answer(Blocklist, { scope: query.scope, items });
    }
    if (name === "addBlocklistEntry") {
      const body = request(routes.addBlocklistEntry.body, input.body);
      if (body.scope !== "personal") throw problem(403, "forbidden", "Only an admin changes that list.");
      // Kept as written, compared canonically, as the server does.
      const existing = [...personal.values()].find(
        (e) => BlocklistEntryText.parse(e.entry).entry === body.entry.entry,
      );
      if (existing) return answer(BlocklistEntry, existing);
      const entry = {
        id: crypto.randomUUID(),
        scope: "personal" as const,
        entry: body.entry.written,
        createdAt: now,
      };
      personal.set(entry.id, entry);
      return answer(BlocklistEntry, entry);
    }
    if (name === "removeBlocklistEntry") {
      const { id } = request(routes.removeBlocklistEntry.params, input.params);
      if (!personal.delete(id)) throw problem(404, "not_found", "There is no such blocklist entry.");
      return { id, deleted: true };
    }
    if (name === "listTemplates") {
      const query = request(routes.listTemplates.query, input.query);
      const q = query.q?.toLowerCase();
      const items = (options.templates ?? [])
        .map((t) => Template.parse(t))
        .filter(
          (t) =>
            !q ||
            t.name.toLowerCase().includes(q) ||
            Object.values(t.variants).some((v) => v?.subject.toLowerCase().includes(q)),
        )
        .slice(0, query.limit);
      return answer(Page(Template), { items, nextCursor: null });
    }
    if (name === "renderTemplate") {
      const { id } = request(routes.renderTemplate.params, input.params);
      const body = request(routes.renderTemplate.body, input.body);
      const template = (options.templates ?? []).map((t) => Template.parse(t)).find((t) => t.id === id);
      if (!template) throw problem(404, "not_found", "There is no such template.");
      const contact = [annaNow(), ...others].find((c) => c.id === body.contactId);
      if (!contact) throw problem(400, "invalid_request", "There is no such contact.");
      // As the server does: English here (the fixtures' contacts have no language), the one open deal's fields.
      const variant = template.variants.en ?? Object.values(template.variants).find((v) => v !== undefined);
      if (!variant) throw new Error("a template without a variant");
      const dealOf = contact.openDeals.length === 1 ? contact.openDeals[0] : undefined;
      const filled = renderTemplate(variant, {
        "contact.firstName": contact.firstName,
        "contact.lastName": contact.lastName,
        "contact.title": contact.title,
        "deal.name": dealOf?.name ?? null,
        "rep.name": "Rita Rep",
        // As the server does: a survey link for the contact, unless the pane asked for none.
        ...(body.surveyLinks === false
          ? {}
          : {
              "survey.nps": `https://rapport.example/s/nps-${contact.id}`,
              "survey.csat": `https://rapport.example/s/csat-${contact.id}`,
            }),
      });
      return answer(RenderedTemplate, {
        templateId: template.id,
        language: "en",
        ...filled,
        contactId: contact.id,
        dealId: dealOf?.id ?? null,
      });
    }
    if (name === "listDealQuotes") {
      const { id } = request(routes.listDealQuotes.params, input.params);
      return answer(QuoteList, { items: quotes.get(id) ?? [] });
    }
    if (name === "createQuote") {
      const { id } = request(routes.createQuote.params, input.params);
      request(routes.createQuote.body, input.body);
      if (server.dealsWithoutLines.has(id))
        throw problem(
          422,
          "invalid_request",
          "deal.lines: the deal has no lines: a quote lists a deal's lines, add some first",
          {
            errors: [
              {
                path: "deal.lines",
                message: "the deal has no lines: a quote lists a deal's lines, add some first",
              },
            ],
          },
        );
      const made = [...quotes.values()].flat().length + 1;
      const quote = answer(Quote, {
        id: `7e000000-0000-4000-8000-${String(made).padStart(12, "0")}`,
        dealId: id,
        number: made,
        version: (quotes.get(id)?.length ?? 0) + 1,
        language: "en",
        currency: "EUR",
        total: "1250.00",
        validUntil: "2026-12-20",
        lines: [],
        createdBy: null,
        createdAt: now,
        filename: `quote-${made}.pdf`,
      });
      quotes.set(id, [quote, ...(quotes.get(id) ?? [])]);
      return quote;
    }
    if (name === "meetingBriefs") {
      const query = request(routes.meetingBriefs.query, input.query ?? {});
      if (meetingBriefFailures-- > 0) throw new ApiError(0, null);
      return answer(MeetingBriefs, {
        date: new Date().toISOString().slice(0, 10),
        timeZone: query.timeZone,
        meetings: options.meetingBriefs ?? [],
      });
    }
    if (name === "logMeeting") {
      const body = request(routes.logMeeting.body, input.body);
      if (options.meetingWithoutContact)
        throw problem(422, "no_contact", "Nobody at the meeting is a contact");
      const key =
        body.iCalUId ?? `${body.organizer.address.toLowerCase()}|${body.startsAt}|${body.subject ?? ""}`;
      const created = !server.meetings.has(key);
      server.meetings.set(key, body);
      // As the server: a deal named is linked (primary when none is); none named keeps what it has.
      const held = linksOf(MEETING_ID);
      if (body.dealId && !held.dealIds.includes(body.dealId)) held.dealIds = [...held.dealIds, body.dealId];
      return answer(LoggedMeeting, {
        interaction: meetingInteraction(body),
        meeting: {
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          location: body.location ?? null,
          onlineUrl: body.onlineUrl ?? null,
          iCalUId: body.iCalUId ?? null,
          cancelled: false,
          outcome: body.outcome ?? null,
        },
        created,
      });
    }
    throw new Error(`unexpected call ${name}`);
  };
  const quotes = new Map<string, Quote[]>();

  const server: FakeServer = {
    api: (async (name: RouteName, input: { params?: unknown; query?: unknown; body?: unknown }) => {
      const failing = name === "lookupPeople" && failures-- > 0;
      const call: FakeCall = { name, input, reached: server.reachable && !failing };
      calls.push(call);
      await holds.get(name);
      if (!call.reached) throw new ApiError(0, null);
      call.answer = await handle(name, input);
      return call.answer;
    }) as unknown as ApiClient,
    files: (async (name: RouteName, input: { params?: unknown }) => {
      const call: FakeCall = { name, input, reached: server.reachable };
      calls.push(call);
      await holds.get(name);
      if (!call.reached) throw new ApiError(0, null);
      const { id } = request(routes.downloadQuote.params, input.params);
      const quote = [...quotes.values()].flat().find((q) => q.id === id);
      if (!quote) throw problem(404, "not_found", "The quote does not exist.");
      return { blob: new Blob([`%PDF-1.7 quote ${quote.number}`]), filename: quote.filename };
    }) as unknown as FileClient,
    quotes,
    dealsWithoutLines: new Set(),
    calls,
    received: (name) => calls.filter((c) => c.name === name && c.reached).map((c) => c.input),
    reachable: true,
    hold(name) {
      let release = () => {};
      holds.set(
        name,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        holds.delete(name);
        release();
      };
    },
    notes,
    tasks,
    anna: () => ({ customFields: annaFields, version: annaVersion }),
    meetings: new Map(),
    editAnna(fields) {
      annaFields = fields;
      annaVersion++;
    },
  };
  return server;
}

export interface SetupOptions extends FakeApiOptions {
  /** The rep's calendar: meetings they organise or were invited to. */
  appointments?: SimulatedAppointment[];
  /** The rep's Outlook contacts, as Graph would give them (only where the pane signs in with Microsoft 365). */
  outlookContacts?: OutlookContacts;
  /** The meetings' iCalUIds as Graph would read them from the rep's calendar (Microsoft 365 sign-in only). */
  meetingIds?: MeetingIds;
  language?: string;
  messages?: SimulatedMessage[];
  prefersDark?: boolean;
}

export interface Pane {
  mailbox: SimulatedMailbox;
  server: FakeServer;
  calls: FakeCall[];
  storage: KeyValueStorage;
  services: Services;
  /** Closes the pane and opens it again on the same storage, as the rep reopening it would: a fresh start. */
  reopen(): Services;
}

const open: Services[] = [];
/** The pane's catalogues, which the page loads one at a time before its first paint (core/i18n loadCatalogue). */
const PANE_CATALOGUES = { en, sv, de, nb, hr };

/** Renders the pane over a simulated mailbox and the fake server; close it with closePanes() after each test. */
export function setup(options: SetupOptions = {}): Pane {
  const mailbox = createSimulatedMailbox({
    messages: options.messages ?? inbox,
    appointments: options.appointments,
    userAddress: "rita@contoso.example",
    displayLanguage: options.language,
    prefersDark: options.prefersDark,
  });
  const server = fakeApi(options);
  const storage = memoryStorage();
  const start = () => {
    const services = createServices({
      mailbox,
      api: server.api,
      files: server.files,
      storage,
      outlookContacts: options.outlookContacts,
      meetingIds: options.meetingIds,
    });
    open.push(services);
    return {
      services,
      rendered: render(
        <App services={services} catalogue={PANE_CATALOGUES[catalogueFor(options.language ?? "en-US")]} />,
      ),
    };
  };
  let current = start();
  return {
    mailbox,
    server,
    calls: server.calls,
    storage,
    services: current.services,
    reopen() {
      current.rendered.unmount();
      current.services.outbox.close();
      current = start();
      return current.services;
    },
  };
}

/** Stops the outboxes' retries, so no test's queue is sent during the next one. */
export function closePanes(): void {
  for (const services of open.splice(0)) services.outbox.close();
}
