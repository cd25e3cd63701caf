// Demo data for a fresh store, created through the public API as the add-in would, so it passes the same
// validation and leaves the same audit trail and stage history as real use. It is the world the preview's
// sample emails (src/addin/preview/sample-mail.ts) live in: Anna Berg at Fabrikam is a known customer with one
// open deal, while Jonas Lind at Northwind stays unknown so the preview can show "Add to Rapport". The sample
// emails themselves are never logged here: logging them is the rep's first step in the preview.
import type { z } from "zod";
import { PREVIEW_USER } from "../src/addin/preview/sample-mail";
import { loadLocalIssuer } from "../src/server/auth/local-issuer";
import { Page } from "../src/shared/common";
import { Company, type CompanyCreate } from "../src/shared/companies";
import { Contact, type ContactCreate } from "../src/shared/contacts";
import { Currencies, ExchangeRate, type ExchangeRateSet } from "../src/shared/currencies";
import { type DealCreate, DealWithStage, type MoveDealToStage } from "../src/shared/deals";
import { domainOf } from "../src/shared/email-address";
import { Problem } from "../src/shared/errors";
import {
  Interaction,
  type LogEmail,
  LoggedEmail,
  type NoteCreate,
  type Outcome,
} from "../src/shared/interactions";
import { LookupResponse } from "../src/shared/people";
import { DEFAULT_PIPELINE, PipelineList, type Stage } from "../src/shared/pipelines";
import { AccountingBatchResult, type AccountingBatch } from "../src/shared/invoices";
import { Health, Me } from "../src/shared/routes";
import { Task, type TaskCreate } from "../src/shared/tasks";

export const DEMO_REP = { address: PREVIEW_USER, name: "Rita Rep" } as const;

export interface DemoSummary {
  companies: number;
  contacts: number;
  deals: number;
  tasks: number;
  interactions: number;
}

// ---------------------------------------------------------------------------------------------------------
// The data. Times are relative to the moment of loading, so the history always looks recent. The deals' openings
// and moves are dated in the past too (`openedAt`, `movedAt`: the organisation's admin may, as the demo's rep
// is), so the pane's history and Today's "longer in its stage than usual" read as they would in real use.

interface DemoCompany {
  key: string;
  name: string;
  domain: string;
  phone: string;
  address: string;
}

const COMPANIES = [
  {
    key: "fabrikam",
    name: "Fabrikam AB",
    domain: "fabrikam.example",
    phone: "+46 8 555 010 00",
    address: "Sveavägen 44, 111 34 Stockholm, Sweden",
  },
  {
    key: "litware",
    name: "Litware AS",
    domain: "litware.example",
    phone: "+47 22 55 01 00",
    address: "Karl Johans gate 12, 0154 Oslo, Norway",
  },
  {
    key: "woodgrove",
    name: "Woodgrove Bank A/S",
    domain: "woodgrove.example",
    phone: "+45 33 55 01 00",
    address: "Nyhavn 17, 1051 København K, Denmark",
  },
  {
    key: "proseware",
    name: "Proseware Oy",
    domain: "proseware.example",
    phone: "+358 9 555 0100",
    address: "Mannerheimintie 10, 00100 Helsinki, Finland",
  },
] as const satisfies readonly DemoCompany[];
type CompanyKey = (typeof COMPANIES)[number]["key"];

interface DemoContact {
  key: string;
  firstName: string;
  lastName: string;
  title: string;
  email: string;
  phone: string;
  company: CompanyKey;
  lifecycleStage: NonNullable<ContactCreate["lifecycleStage"]>;
  tags: string[];
}

const CONTACTS = [
  // Anna, Bo and Carl are the people in the sample emails; Anna's details match her signature there.
  {
    key: "anna",
    firstName: "Anna",
    lastName: "Berg",
    title: "CFO",
    email: "anna.berg@fabrikam.example",
    phone: "+46 70 123 45 67",
    company: "fabrikam",
    lifecycleStage: "customer",
    tags: ["decision-maker", "finance"],
  },
  {
    key: "bo",
    firstName: "Bo",
    lastName: "Ek",
    title: "Head of IT",
    email: "bo.ek@fabrikam.example",
    phone: "+46 70 234 56 78",
    company: "fabrikam",
    lifecycleStage: "customer",
    tags: ["technical"],
  },
  {
    key: "carl",
    firstName: "Carl",
    lastName: "Sund",
    title: "Procurement Manager, Fabrikam EU",
    // Fabrikam's EU office mails from a subdomain: the sample thread shows that it still counts as Fabrikam.
    email: "carl.sund@eu.fabrikam.example",
    phone: "+46 70 345 67 89",
    company: "fabrikam",
    lifecycleStage: "customer",
    tags: ["procurement"],
  },
  {
    key: "ingrid",
    firstName: "Ingrid",
    lastName: "Solberg",
    title: "CEO",
    email: "ingrid.solberg@litware.example",
    phone: "+47 912 45 678",
    company: "litware",
    lifecycleStage: "prospect",
    tags: ["decision-maker"],
  },
  {
    key: "magnus",
    firstName: "Magnus",
    lastName: "Haugen",
    title: "IT Manager",
    email: "magnus.haugen@litware.example",
    phone: "+47 934 56 789",
    company: "litware",
    lifecycleStage: "prospect",
    tags: ["technical"],
  },
  {
    key: "sofie",
    firstName: "Sofie",
    lastName: "Dahl",
    title: "Procurement Lead",
    email: "sofie.dahl@litware.example",
    phone: "+47 945 67 890",
    company: "litware",
    lifecycleStage: "prospect",
    tags: ["procurement"],
  },
  {
    key: "mette",
    firstName: "Mette",
    lastName: "Kjær",
    title: "Head of Operations",
    email: "mette.kjaer@woodgrove.example",
    phone: "+45 20 12 34 56",
    company: "woodgrove",
    lifecycleStage: "lead",
    tags: ["champion"],
  },
  {
    key: "lars",
    firstName: "Lars",
    lastName: "Nielsen",
    title: "CTO",
    email: "lars.nielsen@woodgrove.example",
    phone: "+45 30 23 45 67",
    company: "woodgrove",
    lifecycleStage: "lead",
    tags: ["decision-maker", "technical"],
  },
  {
    key: "aino",
    firstName: "Aino",
    lastName: "Virtanen",
    title: "COO",
    email: "aino.virtanen@proseware.example",
    phone: "+358 40 123 4567",
    company: "proseware",
    lifecycleStage: "customer",
    tags: ["decision-maker"],
  },
  {
    key: "mikko",
    firstName: "Mikko",
    lastName: "Korhonen",
    title: "Purchasing Manager",
    email: "mikko.korhonen@proseware.example",
    phone: "+358 50 234 5678",
    company: "proseware",
    lifecycleStage: "customer",
    tags: ["procurement"],
  },
  {
    key: "elin",
    firstName: "Elin",
    lastName: "Lund",
    title: "Former Finance Director",
    email: "elin.lund@proseware.example",
    phone: "+358 40 345 6789",
    company: "proseware",
    lifecycleStage: "former",
    tags: ["alumni"],
  },
] as const satisfies readonly DemoContact[];
type ContactKey = (typeof CONTACTS)[number]["key"];

type StageName = (typeof DEFAULT_PIPELINE)["stages"][number]["name"];

interface DemoDeal {
  key: string;
  name: string;
  amount: number;
  currency: string;
  company: CompanyKey;
  contacts: ContactKey[];
  /** How many days ago the deal was opened, in the first stage. */
  openedDaysAgo: number;
  /**
   * Where the deal went after it was opened, and how many days ago each move was; the last is where it is now.
   * Dated like real history, so stays in a stage vary and only some deals are slower than the team's usual.
   */
  journey: readonly (readonly [StageName, number])[];
  /** Negative for closed deals: when they closed. */
  closeInDays: number;
}

const DEALS = [
  // Anna's only open deal: the sample emails are about its proposal and kick-off.
  {
    key: "fabrikamRenewal",
    openedDaysAgo: 45,
    name: "Fabrikam renewal",
    amount: 12000,
    currency: "EUR",
    company: "fabrikam",
    contacts: ["anna", "bo"],
    journey: [
      ["Qualification", 35],
      ["Proposal", 26],
    ],
    closeInDays: 38,
  },
  {
    key: "fabrikamFirst",
    openedDaysAgo: 120,
    name: "Fabrikam first year",
    amount: 9500,
    currency: "EUR",
    company: "fabrikam",
    contacts: ["anna"],
    journey: [
      ["Qualification", 105],
      ["Proposal", 85],
      ["Negotiation", 60],
      ["Won", 40],
    ],
    closeInDays: -40,
  },
  {
    key: "litwareLicences",
    openedDaysAgo: 60,
    name: "Litware sales team licences",
    amount: 180000,
    currency: "NOK",
    company: "litware",
    contacts: ["ingrid", "magnus"],
    journey: [
      ["Qualification", 50],
      ["Proposal", 33],
      ["Negotiation", 19],
    ],
    closeInDays: 14,
  },
  {
    key: "litwareTraining",
    openedDaysAgo: 40,
    name: "Litware training package",
    amount: 4000,
    currency: "EUR",
    company: "litware",
    contacts: ["sofie"],
    journey: [
      ["Qualification", 30],
      ["Lost", 12],
    ],
    closeInDays: -12,
  },
  {
    key: "woodgrovePilot",
    openedDaysAgo: 30,
    name: "Woodgrove operations pilot",
    amount: 95000,
    currency: "DKK",
    company: "woodgrove",
    contacts: ["mette"],
    journey: [["Qualification", 21]],
    closeInDays: 60,
  },
  {
    key: "woodgroveEnterprise",
    openedDaysAgo: 9,
    name: "Woodgrove enterprise licence",
    amount: 60000,
    currency: "EUR",
    company: "woodgrove",
    contacts: ["lars"],
    journey: [],
    closeInDays: 120,
  },
  {
    key: "prosewareExpansion",
    openedDaysAgo: 90,
    name: "Proseware expansion",
    amount: 18500,
    currency: "EUR",
    company: "proseware",
    contacts: ["aino"],
    journey: [
      ["Qualification", 75],
      ["Proposal", 55],
      ["Negotiation", 35],
      ["Won", 21],
    ],
    closeInDays: -21,
  },
  {
    key: "prosewareSupport",
    openedDaysAgo: 25,
    name: "Proseware support renewal",
    amount: 6000,
    currency: "EUR",
    company: "proseware",
    contacts: ["mikko"],
    journey: [["Qualification", 16]],
    closeInDays: 45,
  },
] as const satisfies readonly DemoDeal[];
type DealKey = (typeof DEALS)[number]["key"];

/**
 * Rates to EUR, the demo organisation's base currency (a new organisation's default, and what most of its deals
 * are in), so that the reports convert the Norwegian and the Danish deal. Round example figures, not market data.
 */
const RATES = [
  { currency: "DKK", rate: "0.1341" },
  { currency: "NOK", rate: "0.0855" },
] as const;

/**
 * What the accounting system would have sent (issue 18): Fabrikam buys every month or so in SEK, two of its
 * invoices are overdue ("2 invoices overdue: SEK 14,500, oldest 23 days", the flag the preview's pane shows for
 * Anna's mail), and its first year, won in EUR, is part paid; Proseware's won expansion is a week overdue. Dates are
 * days from the moment of loading (negative: past).
 */
interface DemoInvoice {
  number: string;
  company: CompanyKey;
  deal?: DealKey;
  issuedInDays: number;
  dueInDays: number;
  amount: string;
  currency: string;
  /** Payments, each days from loading; an invoice paid in full is `paid`. */
  payments?: { inDays: number; amount: string }[];
  status: "open" | "paid";
}

const INVOICES: readonly DemoInvoice[] = [
  {
    number: "FAB-101",
    company: "fabrikam",
    issuedInDays: -180,
    dueInDays: -150,
    amount: "8000.00",
    currency: "SEK",
    status: "paid",
    payments: [{ inDays: -151, amount: "8000.00" }],
  },
  {
    number: "FAB-114",
    company: "fabrikam",
    issuedInDays: -150,
    dueInDays: -120,
    amount: "8000.00",
    currency: "SEK",
    status: "paid",
    payments: [{ inDays: -118, amount: "8000.00" }],
  },
  {
    number: "FAB-127",
    company: "fabrikam",
    issuedInDays: -120,
    dueInDays: -90,
    amount: "6500.00",
    currency: "SEK",
    status: "paid",
    payments: [{ inDays: -86, amount: "6500.00" }],
  },
  {
    number: "FAB-140",
    company: "fabrikam",
    issuedInDays: -90,
    dueInDays: -60,
    amount: "4000.00",
    currency: "SEK",
    status: "paid",
    payments: [{ inDays: -61, amount: "4000.00" }],
  },
  {
    number: "FAB-152",
    company: "fabrikam",
    issuedInDays: -53,
    dueInDays: -23,
    amount: "9000.00",
    currency: "SEK",
    status: "open",
  },
  {
    number: "FAB-160",
    company: "fabrikam",
    issuedInDays: -39,
    dueInDays: -9,
    amount: "5500.00",
    currency: "SEK",
    status: "open",
  },
  {
    number: "FAB-171",
    company: "fabrikam",
    issuedInDays: -8,
    dueInDays: 22,
    amount: "12000.00",
    currency: "SEK",
    status: "open",
  },
  {
    number: "EU-031",
    company: "fabrikam",
    deal: "fabrikamFirst",
    issuedInDays: -40,
    dueInDays: 5,
    amount: "9500.00",
    currency: "EUR",
    status: "open",
    payments: [{ inDays: -10, amount: "4000.00" }],
  },
  {
    number: "PRO-2207",
    company: "proseware",
    deal: "prosewareExpansion",
    issuedInDays: -21,
    dueInDays: -7,
    amount: "18500.00",
    currency: "EUR",
    status: "open",
  },
];

interface DemoTask {
  title: string;
  notes?: string;
  contact: ContactKey;
  deal?: DealKey;
  /** Negative: overdue. None is done: a task done now would top the history as today's, dated like nothing else. */
  dueInDays: number;
}

const TASKS: readonly DemoTask[] = [
  {
    title: "Send the revised proposal with a January start",
    notes: "Anna asked to move the start; check the price for a shorter first term.",
    contact: "anna",
    deal: "fabrikamRenewal",
    dueInDays: 1,
  },
  {
    title: "Call Bo about single sign-on",
    contact: "bo",
    deal: "fabrikamRenewal",
    dueInDays: -2,
  },
  {
    title: "Answer Litware's contract redlines",
    notes: "Liability cap and the data processing addendum.",
    contact: "ingrid",
    deal: "litwareLicences",
    dueInDays: -1,
  },
  {
    title: "Book a demo for Woodgrove's operations team",
    contact: "mette",
    deal: "woodgrovePilot",
    dueInDays: 3,
  },
  {
    title: "Prepare the Proseware support quote",
    contact: "mikko",
    deal: "prosewareSupport",
    dueInDays: 6,
  },
  {
    title: "Check in with Aino after go-live",
    contact: "aino",
    dueInDays: -5,
  },
];

type Party = ContactKey | "rep";

interface DemoEmail {
  /** Never one of the sample emails' ids: those stay unlogged for the rep to log in the preview. */
  internetMessageId: string;
  subject: string;
  from: Party;
  to: Party[];
  cc?: Party[];
  daysAgo: number;
  hour: number;
  body: string;
  /** Omitted: the server links the participants' single open deal, as it does for the rep. */
  deal?: DealKey;
}

const EMAILS: readonly DemoEmail[] = [
  {
    internetMessageId: "<demo-onboarding-done@fabrikam.example>",
    subject: "Onboarding done",
    from: "anna",
    to: ["rep"],
    daysAgo: 34,
    hour: 8,
    body: "Hi Rita,\n\nall teams are live now. Thanks for the smooth start!\n\nAnna",
    deal: "fabrikamFirst",
  },
  {
    internetMessageId: "<demo-renewal-request@fabrikam.example>",
    subject: "Renewal for next year",
    from: "anna",
    to: ["rep"],
    cc: ["bo"],
    daysAgo: 26,
    hour: 9,
    body: "Hi Rita,\n\nwe would like to renew and add the IT team. Can you send us an offer?\n\nAnna",
  },
  {
    internetMessageId: "<demo-renewal-reply@contoso.example>",
    subject: "Re: Renewal for next year",
    from: "rep",
    to: ["anna"],
    cc: ["bo"],
    daysAgo: 25,
    hour: 14,
    body: "Hi Anna,\n\ngreat to hear. Let us go through the scope next week.\n\nRita",
  },
  {
    internetMessageId: "<demo-sso-questions@fabrikam.example>",
    subject: "Single sign-on questions",
    from: "bo",
    to: ["rep"],
    daysAgo: 12,
    hour: 10,
    body: "Hi Rita,\n\ndoes the renewal include single sign-on with our Entra tenant?\n\nBo",
  },
  {
    internetMessageId: "<demo-proposal-q3@contoso.example>",
    subject: "Proposal for Q3",
    from: "rep",
    to: ["anna"],
    cc: ["bo"],
    daysAgo: 5,
    hour: 16,
    body: "Hi Anna,\n\nplease find our proposal for the renewal attached: 12 000 EUR per year.\n\nRita",
  },
  {
    internetMessageId: "<demo-redlines@litware.example>",
    subject: "Contract redlines",
    from: "ingrid",
    to: ["rep"],
    cc: ["sofie"],
    daysAgo: 4,
    hour: 11,
    body: "Hi Rita,\n\nour lawyers have marked up the contract, see the attachment.\n\nIngrid",
  },
  {
    internetMessageId: "<demo-training-decision@litware.example>",
    subject: "Training package",
    from: "sofie",
    to: ["rep"],
    daysAgo: 13,
    hour: 9,
    body: "Hi Rita,\n\nwe will run the training in-house this year, so we pass on the package.\n\nSofie",
    deal: "litwareTraining",
  },
  {
    internetMessageId: "<demo-pilot-scope@contoso.example>",
    subject: "Pilot scope",
    from: "rep",
    to: ["mette"],
    daysAgo: 9,
    hour: 13,
    body: "Hi Mette,\n\nas discussed: a three-month pilot for the operations team of 25 people.\n\nRita",
  },
  {
    internetMessageId: "<demo-support-questions@proseware.example>",
    subject: "Support renewal",
    from: "mikko",
    to: ["rep"],
    daysAgo: 2,
    hour: 8,
    body: "Hi Rita,\n\ncould you send a quote for another year of premium support?\n\nMikko",
  },
];

interface DemoNote {
  kind: NoteCreate["kind"];
  contact: ContactKey;
  subject?: string;
  body: string;
  outcome?: Outcome;
  direction?: "in" | "out";
  daysAgo: number;
  hour: number;
  deal?: DealKey;
}

const NOTES: readonly DemoNote[] = [
  {
    kind: "meeting",
    contact: "anna",
    subject: "Renewal scoping",
    body: "Walked through usage with Anna and Bo. They want the IT team on board and a January start.",
    daysAgo: 20,
    hour: 10,
    deal: "fabrikamRenewal",
  },
  {
    kind: "call",
    contact: "anna",
    subject: "Pricing",
    body: "Anna is fine with the price if the first term can be shorter.",
    outcome: "connected",
    direction: "out",
    daysAgo: 8,
    hour: 15,
    deal: "fabrikamRenewal",
  },
  {
    kind: "call",
    contact: "anna",
    body: "Tried to reach Anna about the start date.",
    outcome: "left_voicemail",
    direction: "out",
    daysAgo: 1,
    hour: 9,
    deal: "fabrikamRenewal",
  },
  {
    kind: "note",
    contact: "carl",
    body: "Carl handles procurement for the EU entities: invoices in EUR, sent by Peppol.",
    daysAgo: 15,
    hour: 11,
  },
  {
    kind: "visit",
    contact: "ingrid",
    subject: "Negotiation meeting in Oslo",
    body: "Agreed on 40 seats. Open points: liability cap and the data processing addendum.",
    daysAgo: 18,
    hour: 13,
    deal: "litwareLicences",
  },
  {
    kind: "call",
    contact: "magnus",
    subject: "Technical review",
    body: "Magnus confirmed the Outlook rollout through their admin centre.",
    outcome: "connected",
    direction: "in",
    daysAgo: 7,
    hour: 10,
    deal: "litwareLicences",
  },
  {
    kind: "call",
    contact: "sofie",
    body: "Line busy; will try again.",
    outcome: "busy",
    direction: "out",
    daysAgo: 3,
    hour: 14,
  },
  {
    kind: "meeting",
    contact: "mette",
    subject: "Discovery",
    body: "The operations team tracks customers in spreadsheets; Mette wants a pilot before budgeting.",
    daysAgo: 16,
    hour: 9,
    deal: "woodgrovePilot",
  },
  {
    kind: "call",
    contact: "lars",
    body: "No answer; Mette says Lars decides on enterprise licences in Q1.",
    outcome: "no_answer",
    direction: "out",
    daysAgo: 5,
    hour: 11,
  },
  {
    kind: "meeting",
    contact: "aino",
    subject: "Go-live review",
    body: "The expansion is live in all three offices. Aino is happy; reference customer candidate.",
    daysAgo: 11,
    hour: 12,
    deal: "prosewareExpansion",
  },
  {
    kind: "note",
    contact: "elin",
    body: "Elin left Proseware for a new role; Mikko took over purchasing.",
    daysAgo: 30,
    hour: 16,
  },
];

// ---------------------------------------------------------------------------------------------------------
// The API, spoken plainly: fetch with the bearer token, answers parsed with the shared contract.

interface Api {
  send<S extends z.ZodType>(
    schema: S,
    what: string,
    method: "GET" | "POST" | "PATCH",
    path: string,
    body?: unknown,
  ): Promise<z.output<S>>;
}

function api(apiUrl: string, token: string): Api {
  const base = apiUrl.replace(/\/+$/, "");
  return {
    async send(schema, what, method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new Error(
          `${what} (${method} ${path}): the API at ${base} did not answer (${describe(error)})`,
          { cause: error },
        );
      }
      const text = await response.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: the status and the text say enough.
      }
      if (!response.ok) {
        const problem = Problem.safeParse(json);
        const detail = problem.success
          ? `${problem.data.code}: ${problem.data.detail}${problem.data.errors?.map((e) => ` [${e.path}: ${e.message}]`).join("") ?? ""}`
          : text.slice(0, 300);
        throw new Error(`${what} (${method} ${path}) failed with ${response.status}: ${detail}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new Error(`${what} (${method} ${path}): unexpected answer: ${parsed.error.message}`);
      }
      return parsed.data;
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

// ---------------------------------------------------------------------------------------------------------
// One small function per kind of record.

const DAY_MS = 24 * 3600 * 1000;

function daysAgo(now: Date, days: number, hour: number): string {
  const at = new Date(now.getTime() - days * DAY_MS);
  at.setUTCHours(hour, 0, 0, 0);
  // A time later today would be in the future; history never is.
  return new Date(Math.min(at.getTime(), now.getTime() - 60_000)).toISOString();
}

function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

function createCompany(client: Api, company: DemoCompany): Promise<Company> {
  const body: z.input<typeof CompanyCreate> = {
    name: company.name,
    domain: company.domain,
    phone: company.phone,
    website: `https://www.${company.domain}`,
    address: company.address,
  };
  return client.send(Company, `Creating the company ${company.name}`, "POST", "/api/v1/companies", body);
}

function createContact(client: Api, contact: DemoContact, companyId: string): Promise<Contact> {
  const body: z.input<typeof ContactCreate> = {
    displayName: `${contact.firstName} ${contact.lastName}`,
    firstName: contact.firstName,
    lastName: contact.lastName,
    title: contact.title,
    emails: [contact.email],
    phone: contact.phone,
    companyId,
    lifecycleStage: contact.lifecycleStage,
    tags: [...contact.tags],
    source: "import",
  };
  return client.send(Contact, `Creating the contact ${body.displayName}`, "POST", "/api/v1/contacts", body);
}

async function createDeal(
  client: Api,
  deal: DemoDeal,
  ids: { companyId: string; contactIds: string[]; stageIdOf: (name: StageName) => string },
  now: Date,
): Promise<DealWithStage> {
  const body: z.input<typeof DealCreate> = {
    name: deal.name,
    amount: deal.amount,
    currency: deal.currency,
    expectedCloseDate: daysFrom(now, deal.closeInDays).toISOString().slice(0, 10),
    companyId: ids.companyId,
    contactIds: ids.contactIds,
    openedAt: daysAgo(now, deal.openedDaysAgo, 9),
  };
  let current = await client.send(
    DealWithStage,
    `Creating the deal ${deal.name}`,
    "POST",
    "/api/v1/deals",
    body,
  );
  // Stage by stage, so the deal's history reads like a real one.
  for (const [stage, days] of deal.journey) {
    const move: z.input<typeof MoveDealToStage> = {
      stageId: ids.stageIdOf(stage),
      version: current.version,
      source: "demo",
      movedAt: daysAgo(now, days, 14),
    };
    current = await client.send(
      DealWithStage,
      `Moving the deal ${deal.name} to ${stage}`,
      "POST",
      `/api/v1/deals/${current.id}/stage`,
      move,
    );
  }
  return current;
}

async function createTask(
  client: Api,
  task: DemoTask,
  ids: { contactId: string; dealId: string | null },
  now: Date,
): Promise<Task> {
  const body: z.input<typeof TaskCreate> = {
    title: task.title,
    notes: task.notes ?? null,
    contactId: ids.contactId,
    dealId: ids.dealId,
    dueAt: daysFrom(now, task.dueInDays).toISOString(),
  };
  return client.send(Task, `Creating the task "${task.title}"`, "POST", "/api/v1/tasks", body);
}

function logEmail(
  client: Api,
  email: DemoEmail,
  mailboxOf: (party: Party) => { address: string; name: string },
  dealId: string | undefined,
  now: Date,
): Promise<z.output<typeof LoggedEmail>> {
  const body: LogEmail = {
    internetMessageId: email.internetMessageId,
    conversationId: `demo-${email.subject.replace(/^Re: /, "").toLowerCase().replace(/\W+/g, "-")}`,
    subject: email.subject,
    from: mailboxOf(email.from),
    to: email.to.map(mailboxOf),
    cc: (email.cc ?? []).map(mailboxOf),
    sentAt: daysAgo(now, email.daysAgo, email.hour),
    bodyText: email.body,
    ...(dealId === undefined ? {} : { dealId }),
  };
  return client.send(LoggedEmail, `Logging the email "${email.subject}"`, "POST", "/api/v1/emails", body);
}

function createNote(
  client: Api,
  note: DemoNote,
  ids: { contactId: string; name: string; dealId: string | null },
  now: Date,
): Promise<Interaction> {
  const body: z.input<typeof NoteCreate> = {
    kind: note.kind,
    contactId: ids.contactId,
    subject: note.subject ?? null,
    body: note.body,
    outcome: note.outcome ?? null,
    direction: note.direction ?? null,
    occurredAt: daysAgo(now, note.daysAgo, note.hour),
    dealId: ids.dealId,
  };
  return client.send(
    Interaction,
    `Recording the ${note.kind} with ${ids.name}`,
    "POST",
    "/api/v1/notes",
    body,
  );
}

/** The demo's invoices and payments in one accounting batch, as an accounting system sends them. */
function sendInvoices(
  client: Api,
  ids: { companyId: (key: CompanyKey) => string; dealId: (key: DealKey) => string },
  now: Date,
): Promise<AccountingBatchResult> {
  const day = (days: number) => daysFrom(now, days).toISOString().slice(0, 10);
  const body: z.input<typeof AccountingBatch> = {
    invoices: INVOICES.map((invoice) => ({
      externalId: `demo-${invoice.number}`,
      number: invoice.number,
      companyId: ids.companyId(invoice.company),
      dealId: invoice.deal ? ids.dealId(invoice.deal) : null,
      issueDate: day(invoice.issuedInDays),
      dueDate: day(invoice.dueInDays),
      amount: invoice.amount,
      currency: invoice.currency,
      status: invoice.status,
    })),
    payments: INVOICES.flatMap((invoice) =>
      (invoice.payments ?? []).map((payment, i) => ({
        externalId: `demo-${invoice.number}-payment-${i + 1}`,
        invoiceExternalId: `demo-${invoice.number}`,
        paidOn: day(payment.inDays),
        amount: payment.amount,
        currency: invoice.currency,
      })),
    ),
  };
  return client.send(
    AccountingBatchResult,
    "Sending the accounting system's invoices",
    "POST",
    "/api/v1/accounting/batch",
    body,
  );
}

// ---------------------------------------------------------------------------------------------------------

/** Whether the caller's organisation has no contacts yet: the only state in which demo data is offered. */
export async function storeIsEmpty(apiUrl: string, token: string): Promise<boolean> {
  const page = await api(apiUrl, token).send(
    Page(Contact),
    "Checking for contacts",
    "GET",
    "/api/v1/contacts?limit=1",
  );
  return page.items.length === 0;
}

/** Refuses before creating anything when some of the demo people or companies already exist. */
async function refuseDuplicates(client: Api): Promise<void> {
  const query = CONTACTS.map((c) => `email=${encodeURIComponent(c.email)}`).join("&");
  const { results } = await client.send(
    LookupResponse,
    "Checking for earlier demo data",
    "GET",
    `/api/v1/people/lookup?${query}`,
  );
  const demoDomains = new Set<string>(COMPANIES.map((c) => c.domain));
  const taken = results.flatMap((r) => {
    if (r.contact) return [`the contact ${r.email}`];
    const domain = r.suggestion?.company?.domain;
    return domain && demoDomains.has(domain) ? [`a company with the domain ${domain}`] : [];
  });
  const [first, ...others] = [...new Set(taken)];
  if (first) {
    const more = others.length ? ` (and ${others.length} more demo records)` : "";
    throw new Error(`The demo data seems to be loaded already: ${first} exists${more}. Nothing was created.`);
  }
}

async function defaultStages(client: Api): Promise<(name: StageName) => string> {
  const { pipelines } = await client.send(PipelineList, "Reading the pipelines", "GET", "/api/v1/pipelines");
  const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0];
  if (!pipeline) throw new Error("The organisation has no pipeline to put the demo deals in.");
  const byPosition = [...pipeline.stages].sort((a, b) => a.position - b.position);
  return (name) => {
    // An admin may have renamed the stages: then the stage in the same place stands in.
    const index = DEFAULT_PIPELINE.stages.findIndex((s) => s.name === name);
    const stage: Stage | undefined = byPosition.find((s) => s.name === name) ?? byPosition[index];
    if (!stage) throw new Error(`The pipeline "${pipeline.name}" has no stage "${name}" for the demo deals.`);
    return stage.id;
  };
}

/** Loads the demo organisation's companies, contacts, deals, tasks and history for the caller (the rep). */
export async function loadDemoData(
  apiUrl: string,
  token: string,
  log: (line: string) => void = () => {},
): Promise<DemoSummary> {
  const client = api(apiUrl, token);
  const now = new Date();
  // Before anything is created: the deals' history dated in the past, the exchange rates and the accounting
  // system's invoices are an admin's to set.
  const me = await client.send(Me, "Reading who is signed in", "GET", "/api/v1/me");
  if (me.user.role !== "admin")
    throw new Error(
      `The demo data is loaded by an admin of the organisation (it dates the deals' history and sets exchange ` +
        `rates); ${me.user.email ?? "this user"} is a member. Sign in as its admin, or load it into a new organisation.`,
    );
  await refuseDuplicates(client);
  const stageIdOf = await defaultStages(client);

  const companyIds = new Map<CompanyKey, string>();
  for (const company of COMPANIES) {
    companyIds.set(company.key, (await createCompany(client, company)).id);
    log(`company  ${company.name}`);
  }
  const contactIds = new Map<ContactKey, string>();
  for (const contact of CONTACTS) {
    const created = await createContact(client, contact, need(companyIds, contact.company));
    contactIds.set(contact.key, created.id);
    log(`contact  ${created.displayName} <${contact.email}>`);
  }
  const { baseCurrency } = await client.send(
    Currencies,
    "Reading the base currency",
    "GET",
    "/api/v1/currencies",
  );
  // An organisation whose base is not EUR gets no made-up rates: its reports show the other currencies apart.
  if (baseCurrency === "EUR")
    for (const rate of RATES) {
      const body: z.input<typeof ExchangeRateSet> = { ...rate, baseCurrency };
      await client.send(
        ExchangeRate,
        `Setting the rate of ${rate.currency}`,
        "POST",
        "/api/v1/currencies/rates",
        body,
      );
      log(`rate     1 ${rate.currency} = ${rate.rate} ${baseCurrency}`);
    }
  const dealIds = new Map<DealKey, string>();
  for (const deal of DEALS) {
    const created = await createDeal(
      client,
      deal,
      {
        companyId: need(companyIds, deal.company),
        contactIds: deal.contacts.map((c) => need(contactIds, c)),
        stageIdOf,
      },
      now,
    );
    dealIds.set(deal.key, created.id);
    log(`deal     ${deal.name} (${created.stage.name})`);
  }
  await sendInvoices(
    client,
    { companyId: (key) => need(companyIds, key), dealId: (key) => need(dealIds, key) },
    now,
  );
  log(`invoices ${INVOICES.length}, of which ${INVOICES.filter((i) => i.status === "open").length} open`);
  for (const task of TASKS) {
    const ids = {
      contactId: need(contactIds, task.contact),
      dealId: task.deal ? need(dealIds, task.deal) : null,
    };
    await createTask(client, task, ids, now);
    log(`task     ${task.title}`);
  }

  const byKey = new Map<string, DemoContact>(CONTACTS.map((c) => [c.key, c]));
  const mailboxOf = (party: Party) => {
    if (party === "rep") return { ...DEMO_REP };
    const contact = byKey.get(party);
    if (!contact) throw new Error(`The demo data names an unknown contact "${party}".`);
    return { address: contact.email, name: `${contact.firstName} ${contact.lastName}` };
  };
  for (const email of EMAILS) {
    await logEmail(client, email, mailboxOf, email.deal && need(dealIds, email.deal), now);
    log(`email    ${email.subject}`);
  }
  for (const note of NOTES) {
    const ids = {
      contactId: need(contactIds, note.contact),
      name: mailboxOf(note.contact).name,
      dealId: note.deal ? need(dealIds, note.deal) : null,
    };
    await createNote(client, note, ids, now);
    log(`${note.kind.padEnd(8)} ${note.subject ?? note.body.slice(0, 60)}`);
  }

  return {
    companies: COMPANIES.length,
    contacts: CONTACTS.length,
    deals: DEALS.length,
    tasks: TASKS.length,
    interactions: EMAILS.length + NOTES.length,
  };
}

function need<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined)
    throw new Error(`The demo data refers to "${String(key)}", which was not created.`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Shared by `npm run demo` and `npm start`.

/** A token for the preview's rep, from the local issuer in the data directory, as `npm run token` makes one. */
export async function mintPreviewToken(dataDir: string): Promise<string> {
  const issuer = await loadLocalIssuer(dataDir);
  return issuer.sign(
    { email: DEMO_REP.address, name: DEMO_REP.name, org: domainOf(DEMO_REP.address) },
    { expiresIn: "1h" },
  );
}

/** The API at this address answers its health check, or the time is up (false), or `stop` says so. */
export async function waitForApi(
  apiUrl: string,
  timeoutMs: number,
  stop: () => boolean = () => false,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const url = `${apiUrl.replace(/\/+$/, "")}/healthz`;
  while (!stop()) {
    if (await isHealthy(url)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok && Health.safeParse(await response.json()).success;
  } catch {
    // Not listening yet, or not answering in time: the caller tries again.
    return false;
  }
}

/** Where the scripts find the API: RAPPORT_API_URL, else the port the server listens on locally. */
export function apiUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.RAPPORT_API_URL || `http://127.0.0.1:${env.PORT || 3001}`;
}
