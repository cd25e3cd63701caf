import { connect } from "node:net";
import fc from "fast-check";
import { sql } from "kysely";
import { z } from "zod";
import { BODY_LIMIT } from "../../src/server/app";
import type { DB } from "../../src/server/db/tables";
import { Problem } from "../../src/shared/errors";
import { IMPORT_BODY_LIMIT } from "../../src/shared/imports";
import { PipelineList } from "../../src/shared/pipelines";
import { type RouteContract, routes } from "../../src/shared/routes";
import { issueToken } from "../../src/server/web-forms/token";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds, takesItsTurn } from "../helpers/stores";

/*
 * Hostile input, property-based: every route of the contract gets random and boundary values, wrong types,
 * huge strings and arrays, unicode edge cases, deep nesting, prototype-pollution keys, and the shapes that make
 * parsers slow (long runs of one character, separators, soft breaks, nesting, one huge line). Whatever comes in,
 * the answer is a 2xx or a 4xx problem (never a 5xx, never a crash), and a refused request stores nothing.
 *
 * A small model of the server's own input checks (the route's zod schemas, the JSON parser's refusals, the body
 * limit, the token) says which requests must be refused; those are also sent in batches of their own, and the
 * store must be byte-for-byte the same afterwards.
 *
 * FUZZ_RUNS (default 10, 100 under RAPPORT_DEEP_TESTS=1) sets the runs per route; FUZZ_SEED replays a reported
 * seed. The default keeps `npm test` within its time with some 170 routes on two stores (each run draws new
 * requests, so CI's runs add up); a deeper run is for a change to the input checks themselves.
 *
 * The bodies that the JSON parser, the body limit and the route's schema refuse before any store is reached (deep
 * nesting, huge arrays, polluting and wide keys) are sent to each route on one of the two stores, taking turns
 * route by route, and on both under RAPPORT_DEEP_TESTS=1: a third of the file's time went to sending them twice.
 * The bodies a route may store (a first text field near the limit) go to every route on both stores.
 */

const DEEP = process.env.RAPPORT_DEEP_TESTS === "1";
const RUNS = Number(process.env.FUZZ_RUNS ?? (DEEP ? 100 : 10));
const REJECTED_RUNS = Math.max(5, Math.round(RUNS / 2));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

// ---------------------------------------------------------------------------------------------------------
// JSON text that JSON.stringify cannot write: duplicate and `__proto__` keys, numbers past a double, bad literals.

class RawJson {
  constructor(readonly text: string) {}
}
class Entries {
  constructor(readonly entries: [string, Json][]) {}
}
type Json = null | boolean | number | string | Json[] | RawJson | Entries | { [key: string]: Json };

function toText(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Entries)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(",")}}`;
  if (Array.isArray(value)) return `[${value.map(toText).join(",")}]`;
  if (value !== null && typeof value === "object") return toText(new Entries(Object.entries(value)));
  return JSON.stringify(value) ?? "null";
}

/** Objects as key/value lists, so a mutation can add any key (`__proto__` included) without touching a prototype. */
function toTree(value: unknown): Json {
  if (Array.isArray(value)) return value.map(toTree);
  if (value !== null && typeof value === "object")
    return new Entries(Object.entries(value).map(([k, v]) => [k, toTree(v)]));
  return value as Json;
}

type Path = (string | number)[];

function pathsOf(tree: Json, prefix: Path = []): Path[] {
  const out: Path[] = prefix.length ? [prefix] : [];
  if (Array.isArray(tree)) tree.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (tree instanceof Entries)
    for (const [k, v] of tree.entries) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

const REMOVE = Symbol("remove");

/** A copy of the tree with the value at `path` replaced (or removed). */
function setAt(tree: Json, path: Path, value: Json | typeof REMOVE): Json {
  if (path.length === 0) return value === REMOVE ? null : value;
  const [head, ...rest] = path;
  if (Array.isArray(tree)) {
    const copy = [...tree];
    if (rest.length === 0 && value === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number] ?? null, rest, value);
    return copy;
  }
  if (tree instanceof Entries) {
    const entries = tree.entries.flatMap(([k, v]): [string, Json][] => {
      if (k !== head) return [[k, v]];
      if (rest.length === 0 && value === REMOVE) return [];
      return [[k, setAt(v, rest, value)]];
    });
    return new Entries(entries);
  }
  return tree;
}

/** Adds a key (possibly one already there, or `__proto__`) to the object at `path`, at a random position. */
function addKeyAt(tree: Json, path: Path, key: string, value: Json, position: number): Json {
  if (path.length === 0) {
    if (!(tree instanceof Entries)) return tree;
    const entries = [...tree.entries];
    entries.splice(position % (entries.length + 1), 0, [key, value]);
    return new Entries(entries);
  }
  const [head, ...rest] = path;
  if (Array.isArray(tree))
    return tree.map((v, i) => (i === head ? addKeyAt(v, rest, key, value, position) : v));
  if (tree instanceof Entries)
    return new Entries(
      tree.entries.map(([k, v]) => [k, k === head ? addKeyAt(v, rest, key, value, position) : v]),
    );
  return tree;
}

// ---------------------------------------------------------------------------------------------------------
// Hostile values.

const INVISIBLES = ["\u200f", "\u202e", "\u200d", "\u200b", "\ufeff", "\u2028", "\u00ad", "\u034f", "\u180e"];
const SPECIAL_STRINGS = [
  "",
  " ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "\u001f",
  "\u007f",
  "\u202eAnna\u202c",
  "\u200fשלום\u200f",
  "👩‍💼",
  "👨‍👩‍👧‍👦",
  "𝔅𝔢𝔯𝔤",
  "𐀀",
  "\u{10ffff}",
  "\ud800",
  "\udfff",
  "a\ud800b",
  "\udc00\ud800",
  "e\u0301",
  "İ",
  "ß",
  "Σ",
  "ﬀ",
  "Å",
  "NaN",
  "Infinity",
  "-0",
  "1e308",
  "null",
  "true",
  "undefined",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "' OR '1'='1",
  "'; drop table contacts; --",
  "%",
  "_",
  "\\",
  "%_\\",
  "$1",
  "${7*7}",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "anna@contoso.example",
  "ANNA@CONTOSO.EXAMPLE",
  "anna@@contoso.example",
  "\u202eanna@contoso.example",
  "anna\u200b@contoso.example",
  "Anna Berg <anna@contoso.example>",
  "@contoso.example",
  "@",
  "mailto:anna@contoso.example?subject=x",
  "straße.de",
  "xn--strae-oqa.de",
  "EUR",
  "eur",
  "EURO",
  "2026-11-20T10:00:00Z",
  "2026-11-20T10:00:00",
  "2026-02-30",
  "2026-02-29",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00+14:00",
  "9999-12-31T23:59:59-05:00",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "infinity",
  "-infinity",
  "epoch",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "00000000-0000-4000-8000-000000000000",
  "00000000-0000-4000-8000-00000000000G",
  "{00000000-0000-4000-8000-000000000000}",
  "00000000000040008000000000000000",
  "<message-id@mail.example>",
  "<with space@x.example>",
];

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 3,
});

const LENGTHS = [49, 50, 51, 63, 64, 65, 99, 100, 101, 199, 200, 201, 253, 254, 299, 300, 301, 320, 321];
const LONG_LENGTHS = [400, 401, 997, 998, 999, 1000, 1001, 5000, 5001, 20_000, 20_001];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: loneSurrogates },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...INVISIBLES), fc.constantFrom(...SPECIAL_STRINGS), fc.nat())
      .map(([mark, text, at]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + mark + text.slice(i);
      }),
  },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.domain() },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...LENGTHS, ...LONG_LENGTHS), fc.constantFrom("a", "字", "𝔅", "\u200d", " "))
      .map(([n, c]) => c.repeat(n)),
  },
);

const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    0,
    1,
    -1,
    0.5,
    2 ** 31,
    2 ** 31 - 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e13,
    1e13 + 0.5,
    1e308,
    -1e308,
    5e-324,
    Number.MAX_VALUE,
    new RawJson("-0"),
    new RawJson("9007199254740993"),
    new RawJson("-9007199254740993"),
    new RawJson("1e999"),
    new RawJson("-1e999"),
    new RawJson("1e-999"),
    new RawJson("123456789012345678901234567890"),
    new RawJson("1E+2"),
    new RawJson("0.1e1"),
    new RawJson("1.0"),
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Text that is not JSON at all where a value should be. */
const invalidLiteral = fc.constantFrom(
  new RawJson("NaN"),
  new RawJson("Infinity"),
  new RawJson("undefined"),
  new RawJson("'x'"),
  new RawJson("01"),
  new RawJson("+1"),
  new RawJson(".5"),
  new RawJson("0x10"),
  new RawJson('"\\x41"'),
  new RawJson('"\\u12"'),
  new RawJson('"\t"'),
  new RawJson('"unterminated'),
  new RawJson("[1,]"),
  new RawJson('{"a":1,}'),
  new RawJson("/* comment */ 1"),
);

/** Objects with the keys that pollute prototypes. */
const pollutingObject: fc.Arbitrary<Json> = fc.constantFrom(
  new Entries([["__proto__", new Entries([["polluted", true]])]]),
  new Entries([["constructor", new Entries([["prototype", new Entries([["polluted", true]])]])]]),
  new Entries([["__proto__", null]]),
  new Entries([["constructor", "x"]]),
  new Entries([["prototype", new Entries([["polluted", true]])]]),
  new Entries([
    ["a", 1],
    ["a", "duplicate"],
  ]),
);

const bigArray = fc
  .tuple(
    fc.constantFrom(0, 1, 19, 20, 21, 50, 51, 100, 101, 500, 501, 5000, 20_000),
    fc.constantFrom('"x"', "0"),
  )
  .map(([n, item]) => new RawJson(`[${new Array(n).fill(item).join(",")}]`));

/**
 * The shapes that made parsers slow: long runs of one character (spaces and tabs above all), many separators,
 * many quoted-printable soft breaks, deep nesting and one huge line, from a few thousand characters to nearly
 * the body limit as JSON.
 */
const SHAPE_UNITS = [
  " ",
  "\t",
  " \t",
  ";",
  ",",
  "|",
  "@",
  ".",
  "-",
  ">",
  "<",
  '"',
  "\\",
  "=\r\n",
  "\r\n",
  "<div>",
  "&nbsp;",
];
/** The few that the worst-shapes test fills every text field with. */
const WORST_UNITS = [" \t", ";,|", "=\r\n", "<div>", "x"];
const hostileShape: fc.Arbitrary<Json> = fc
  .tuple(
    fc.constantFrom(...SHAPE_UNITS),
    fc.constantFrom(4_000, 60_000, 900_000),
    fc.constantFrom("", "a", "Hello Rita", "anna@customer.example"),
  )
  .map(([unit, jsonChars, around]) => {
    const count = Math.floor(jsonChars / (JSON.stringify(unit).length - 2));
    return `${around}${unit.repeat(count)}${around}`;
  });

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileShape },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 2, arbitrary: fc.constantFrom<Json>(true, false, null, [], new Entries([])) },
  { weight: 1, arbitrary: invalidLiteral },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: bigArray },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(toTree) },
);

// ---------------------------------------------------------------------------------------------------------
// The records the good examples refer to, and a known-good example of each body and query.

interface Records {
  company: string;
  contact: string;
  deal: string;
  task: string;
  note: string;
  email: string;
  stage: string;
  pipeline: string;
  admin: string;
  member: string;
  blocked: string;
  stageIds: string[];
  field: string;
  template: string;
  webForm: string;
  occasionRule: string;
  product: string;
  webhook: string;
  segment: string;
}

/** A WebAuthn response in outline, answering no challenge the server gave: refused, whatever its fuzzed shape. */
const fuzzCredential = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: Buffer.from('{"type":"webauthn.get","challenge":"x"}').toString("base64url") },
  clientExtensionResults: {},
};

const goodBodies: Record<string, (r: Records) => unknown> = {
  updateLoggingPolicy: () => ({
    logOnSendToKnownContacts: false,
    syncAllMailboxes: false,
    autoLoggedContent: "excerpt",
  }),
  updateMailbox: () => ({ enabled: true }),
  updateMySettings: () => ({ autoLogOpened: true, syncOptedOut: false }),
  addBlocklistEntry: () => ({ scope: "personal", entry: "@blocked.example" }),
  logEmail: (r) => ({
    internetMessageId: "<fuzz-1@mail.example>",
    conversationId: "conversation-1",
    subject: "Renewal",
    from: { address: "anna@customer.example", name: "Anna Berg" },
    to: [{ address: "rep@contoso.example" }],
    cc: [{ address: "boss@contoso.example", name: "Boss" }],
    sentAt: "2026-11-20T10:00:00Z",
    bodyText: "Hello",
    dealId: r.deal,
    source: "manual",
    templateId: r.template,
  }),
  logMeeting: (r) => ({
    iCalUId: "040000008200E00074C5B7101A82E008-fuzz",
    subject: "Renewal review",
    startsAt: "2026-11-20T10:00:00Z",
    endsAt: "2026-11-20T11:00:00Z",
    location: "Room 4",
    onlineUrl: "https://teams.example/l/meetup-join/1",
    organizer: { address: "rep@contoso.example", name: "Rep" },
    attendees: [{ address: "anna@customer.example", name: "Anna Berg" }],
    notes: "Went well",
    outcome: "held",
    dealId: r.deal,
  }),
  createContact: (r) => ({
    displayName: "Anna Berg",
    firstName: "Anna",
    lastName: "Berg",
    title: "CEO",
    emails: ["anna.fuzz@customer.example"],
    phones: ["+1 555 0100"],
    companyId: r.company,
    lifecycleStage: "lead",
    tags: ["vip"],
    ownerId: r.admin,
    customFields: { size: 10, segment: "smb", renewal: "2027-01-31", none: null },
    source: "manual",
    birthday: { day: 29, month: 2, year: 1988 },
    noAutomatedMail: true,
  }),
  updateContact: (r) => ({
    displayName: "Anna B.",
    title: null,
    phone: "+1 555 0101",
    companyId: r.company,
    lifecycleStage: "customer",
    tags: ["vip", "renewal"],
    customFields: { size: 11 },
    version: 1,
  }),
  createCompany: (r) => ({
    name: "Fuzz Co",
    domain: "fuzz.example",
    phone: "+1 555 0199",
    website: "https://fuzz.example",
    address: "1 Main St",
    ownerId: r.admin,
  }),
  updateCompany: () => ({ name: "Fuzz Co 2", domain: "https://www.Fuzz2.example/about", version: 1 }),
  createDeal: (r) => ({
    name: "Renewal",
    amount: 1000,
    currency: "eur",
    expectedCloseDate: "2026-12-31",
    companyId: r.company,
    contactIds: [r.contact],
    ownerId: r.admin,
    stageId: r.stage,
  }),
  updateDeal: (r) => ({ name: "Renewal 2", amount: 2000.5, contactIds: [r.contact], version: 1 }),
  moveDealToStage: (r) => ({ stageId: r.stage, version: 1, source: "fuzz" }),
  createTask: (r) => ({
    title: "Call back",
    notes: "About the renewal",
    dueAt: "2026-12-01T09:00:00+01:00",
    contactId: r.contact,
    dealId: r.deal,
    assigneeId: r.member,
  }),
  updateTask: () => ({ title: "Call back again", done: true, dueAt: null, version: 1 }),
  createNote: (r) => ({
    kind: "call",
    contactId: r.contact,
    body: "Called about the renewal",
    subject: "Renewal",
    outcome: "connected",
    occurredAt: "2026-11-20T10:00:00Z",
    dealId: r.deal,
    direction: "out",
  }),
  updateNote: () => ({ body: "Edited", outcome: "no_answer", version: 1 }),
  linkInteraction: (r) => ({ dealId: r.deal, primary: true }),
  createPipeline: () => ({
    name: "Partners",
    isDefault: false,
    stages: [
      { name: "Talk", probability: 20, kind: "open" },
      { name: "Signed", probability: 100, kind: "won" },
      { name: "Gone", probability: 0, kind: "lost" },
    ],
  }),
  updatePipeline: () => ({ name: "Sales 2", isDefault: true, version: 1 }),
  reorderPipelines: (r) => ({ pipelineIds: [r.pipeline] }),
  addStage: () => ({ name: "Demo", probability: 40, kind: "open", position: 1, version: 1 }),
  reorderStages: (r) => ({ stageIds: [...r.stageIds].reverse(), version: 1 }),
  updateStage: () => ({ name: "Qualified", probability: 30, kind: "open", version: 1 }),
  createCustomField: () => ({
    entity: "deal",
    key: "fuzz_tier",
    label: "Tier",
    type: "choice",
    choices: ["gold", "silver"],
    required: false,
  }),
  updateCustomField: () => ({ label: "Head count", required: false, version: 1 }),
  renameTag: () => ({ name: "very important" }),
  updateOrganization: () => ({
    name: "Contoso",
    internalDomains: ["contoso.example", "@EU.Contoso.example"],
    version: 1,
  }),
  updateUser: () => ({ role: "member" }),
  createTemplate: () => ({
    name: "Fuzz offer",
    scope: "organization",
    folder: "Offers",
    tags: ["offer"],
    variants: {
      en: { subject: "Offer for {{company.name}}", html: "<p>Hi {{contact.firstName}}, {{deal.amount}}</p>" },
      sv: {
        subject: "Offert",
        html: '<p>Hej {{contact.custom.size}}</p><img src="https://x.example/a.png">',
      },
    },
  }),
  updateTemplate: () => ({
    name: "Fuzz offer 2",
    folder: null,
    variants: { de: { subject: "Angebot", html: "<p>{{rep.signature}}</p>" } },
    archived: false,
    version: 1,
  }),
  renderTemplate: (r) => ({ contactId: r.contact, dealId: r.deal, timeZone: "Europe/Stockholm" }),
  createOccasionRule: (r) => ({
    scope: "organization",
    name: "Fuzz anniversaries",
    kind: "won_deal",
    timing: { afterDays: 30 },
    templateId: r.template,
    mode: "send",
    active: true,
  }),
  updateOccasionRule: (r) => ({ name: "Fuzz birthdays", templateId: r.template, mode: "draft", version: 1 }),
  setOccasionSending: () => ({ enabled: true }),
  // A public address (this server allows no private one): nothing delivers here.
  createWebhookEndpoint: () => ({ url: "https://93.184.215.14/fuzz", events: ["deal.won"], active: true }),
  updateWebhookEndpoint: () => ({ events: ["deal.won", "deal.lost"], active: false, version: 1 }),
  updateSenderProfile: () => ({ title: "Account manager", phone: "+46 8 123", signature: "Rita\nContoso" }),
  // Rapport's own accounts: nobody here has one, so these are refused or answered alike, and store nothing.
  signInWithPassword: () => ({ email: "nobody@contoso.example", password: "not anyone's password" }),
  refreshSession: () => ({ refreshToken: "A".repeat(43) }),
  requestPasswordReset: () => ({ email: "nobody@contoso.example" }),
  resetPassword: () => ({ token: "B".repeat(43), password: "a long new password" }),
  acceptInvitation: () => ({ token: "C".repeat(43), password: "a long new password", displayName: "Fuzz" }),
  createInvitation: () => ({ email: "invited@contoso.example", role: "member", language: "sv" }),
  // Off is what it is: turning it on takes a Microsoft 365 sign-in, which no caller here has (403, nothing stored).
  setSignInPolicy: () => ({ microsoft365Only: false }),
  registerPasskey: () => ({ response: fuzzCredential, name: "Laptop" }),
  signInWithPasskey: () => ({ response: fuzzCredential }),
  // The store has users already: refused (409), whatever the input.
  setUp: () => ({
    organizationName: "Fuzz Org",
    email: "fuzz@contoso.example",
    password: "a long new password",
  }),
  changePassword: () => ({ currentPassword: "not anyone's password", newPassword: "a long new password" }),
  updateBaseCurrency: () => ({ baseCurrency: "eur" }),
  setExchangeRate: () => ({ currency: "dkk", rate: "0.1341", baseCurrency: "EUR" }),
  previewImport: () => ({
    content: "Name;Email;Size\r\nFuzz Person;fuzz.person@customer.example;12\r\n",
    format: "csv",
    entity: "contacts",
    mapping: [
      { column: 0, field: "displayName" },
      { column: 1, field: "email" },
      { column: 2, field: "customFields.size" },
    ],
    onDuplicate: "update",
    decisions: [{ line: 2, action: "skip" }],
    rows: 10,
  }),
  upsertAccountingRecords: (r) => ({
    invoices: [
      {
        externalId: "fuzz-invoice-1",
        number: "F-1",
        companyId: r.company,
        dealId: r.deal,
        issueDate: "2026-10-01",
        dueDate: "2026-10-31",
        amount: "14500.00",
        currency: "sek",
        status: "open",
      },
    ],
    payments: [
      {
        externalId: "fuzz-payment-1",
        invoiceExternalId: "fuzz-invoice-1",
        paidOn: "2026-10-15",
        amount: "500",
        currency: "SEK",
      },
    ],
  }),
  importAccountingFile: () => ({
    kind: "invoices",
    format: "csv",
    content:
      "Invoice number;Company domain;Invoice date;Due date;Amount;Currency\r\nF-2;customer.example;01.10.2026;2026-10-31;1 250,50;SEK\r\n",
    dryRun: false,
  }),
  createProduct: () => ({
    name: "Support hour",
    code: "FUZZ-1",
    unit: "hour",
    prices: [
      { currency: "SEK", amount: "1200.50" },
      { currency: "eur", amount: "110" },
    ],
    taxRate: "25",
    active: true,
  }),
  updateProduct: () => ({
    name: "Support hour 2",
    prices: [{ currency: "NOK", amount: "1300" }],
    taxRate: "12.5",
    active: false,
    version: 1,
  }),
  importProducts: () => ({
    format: "csv",
    content: "Code;Name;Unit;VAT;Price SEK;EUR\r\nFUZZ-2;Licence;pcs;25 %;1 499,50;129\r\n",
    dryRun: false,
  }),
  replaceDealLines: (r) => ({
    currency: "SEK",
    lines: [
      { productId: r.product, quantity: "2", discountPercent: "10" },
      { name: "Set-up", quantity: "1.5", unitPrice: "800.00", discountPercent: "0", taxRate: "25" },
    ],
    version: 1,
  }),
  updateQuoteTemplate: () => ({
    companyName: "Rapport Øst AS",
    address: "Storgata 1\n0155 Oslo",
    vatNumber: "NO 123 456 789 MVA",
    contact: "post@rapport.example",
    validityDays: 30,
    language: "nb",
    terms: { en: "Payment within 30 days.", nb: "Betaling innen 30 dager." },
    version: 0,
  }),
  setQuoteLogo: () => ({
    content:
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  }),
  createQuote: () => ({ language: "de" }),
  createSegment: (r) => ({
    name: "Fuzz segment",
    description: "Every kind of condition",
    filter: {
      conditions: [
        { field: "tags", match: "any", values: ["vip"] },
        { field: "lifecycleStage", values: ["customer", "lead"] },
        { field: "owner", values: [r.admin, null] },
        { field: "company", values: [r.company] },
        { field: "country", values: ["SE"] },
        { field: "customField", key: "segment", op: "in", values: ["smb"] },
        { field: "lastContacted", op: "withinDays", days: 30 },
        { field: "consent", given: true },
        { field: "rating", kind: "nps", op: "atMost", score: 6 },
      ],
    },
  }),
  updateSegment: () => ({
    name: "Fuzz segment 2",
    filter: { conditions: [{ field: "lastContacted", op: "after", date: "2026-01-01" }] },
    version: 1,
  }),
  previewSegment: (r) => ({
    filter: {
      conditions: [
        { field: "customField", key: "size", op: "isSet" },
        { field: "company", values: [r.company, null] },
      ],
    },
    limit: 10,
  }),
  unsubscribeContact: () => ({ email: "anna@customer.example" }),
  resubscribeContact: () => ({ email: "Anna@Customer.example" }),
  createRatingLink: () => ({ kind: "nps" }),
  createWebForm: (r) => ({
    name: "Contact us",
    title: "Talk to sales",
    fields: [
      { target: "contact.email", label: "Email", labels: { sv: "E-post" }, required: true },
      { target: "contact.firstName", label: "First name", required: false },
      { target: "company.name", label: "Company", required: false },
      { target: "contact.custom.segment", label: "Segment", required: false },
    ],
    consentText: "You may contact me.",
    afterSubmit: { kind: "redirect", url: "https://www.customer.example/thanks" },
    owner: { kind: "roundRobin", userIds: [r.admin, r.member] },
    allowedOrigins: ["https://www.customer.example"],
  }),
  updateWebForm: (r) => ({
    name: "Contact us 2",
    consentText: "You may contact me, again.",
    afterSubmit: { kind: "message", message: "Thanks" },
    owner: { kind: "user", userId: r.member },
    allowedOrigins: [],
    version: 1,
  }),
  // Pairs and merges naming records that are not contacts or companies: a 404 whatever the fuzz makes of them, so
  // no run merges away a record the other routes' examples name.
  dismissContactDuplicate: (r) => ({ ids: [r.contact, r.deal] }),
  dismissCompanyDuplicate: (r) => ({ ids: [r.company, r.deal] }),
  mergeContacts: (r) => ({
    mergedId: r.task,
    mergedVersion: 1,
    fields: { title: "merged", birthday: "kept" },
    customFields: { segment: "merged" },
    version: 1,
  }),
  mergeCompanies: (r) => ({ mergedId: r.deal, mergedVersion: 1, fields: { domain: "merged" }, version: 1 }),
  commitImport: () => ({
    content: "Name,Email\nFuzz Import,fuzz.import@customer.example\n",
    format: "csv",
    entity: "contacts",
    onDuplicate: "skip",
  }),
};

const goodQueries: Record<string, (r: Records) => [string, string][]> = {
  listBlocklist: () => [["scope", "personal"]],
  listOccasionMails: () => [["day", "2026-06-15"]],
  lookupPeople: () => [
    ["email", "anna@customer.example"],
    ["email", "Boss <boss@contoso.example>"],
  ],
  contactTimeline: () => [["limit", "5"]],
  listTasks: (r) => [
    ["status", "all"],
    ["mine", "true"],
    ["contactId", r.contact],
    ["limit", "10"],
  ],
  listNotes: (r) => [
    ["contactId", r.contact],
    ["kind", "call"],
  ],
  listLeads: (r) => [
    ["formId", r.webForm],
    ["limit", "10"],
  ],
  webFormEmbed: () => [["lang", "sv"]],
  dashboard: (r) => [
    ["timeZone", "Europe/Berlin"],
    ["ownerId", r.member],
  ],
  getCompanyAccount: () => [["timeZone", "Europe/Stockholm"]],
  listCompanyInvoices: () => [["limit", "10"]],
};
for (const format of ["", "Csv", "Xlsx"])
  goodQueries[`reportOpenBalances${format}`] = (r) => [
    ["ownerId", r.admin],
    ["timeZone", "Europe/Oslo"],
  ];
// Every report and its two files: the filters each takes, valid and naming the seeded records.
const reportQueries = (pipelines: boolean) => (r: Records) => {
  const query: [string, string][] = [
    ["ownerId", r.admin],
    ["from", "2026-01-01"],
    ["to", "2026-12-01"],
  ];
  return pipelines ? [...query, ["pipelineId", r.pipeline] as [string, string]] : query;
};
for (const [report, pipelines] of [
  ["PipelineByStage", true],
  ["WonLostByMonth", true],
  ["StageConversion", true],
  ["ActivityByRep", false],
  ["ContactsAdded", false],
  ["Ratings", false],
] as const)
  for (const format of ["", "Csv", "Xlsx"])
    goodQueries[`report${report}${format}`] = reportQueries(pipelines);
// The lists' exports: the lists' filters, without paging.
const dealFilters = (r: Records): [string, string][] => [
  ["q", "anna"],
  ["pipelineId", r.pipeline],
  ["stageId", r.stage],
  ["ownerId", r.admin],
  ["status", "open"],
];
const contactFilters = (r: Records): [string, string][] => [
  ["q", "anna"],
  ["tag", "vip"],
  ["lifecycleStage", "lead"],
  ["ownerId", r.member],
];
goodQueries.listDeals = (r) => [...dealFilters(r), ["limit", "10"]];
goodQueries.listContacts = (r) => [...contactFilters(r), ["limit", "10"]];
goodQueries.listTemplates = () => [
  ["q", "offer"],
  ["order", "recent"],
  ["scope", "organization"],
  ["folder", "Offers"],
  ["tag", "offer"],
  ["archived", "all"],
  ["limit", "10"],
];
goodQueries.listCompanies = (r) => [
  ["q", "anna"],
  ["ownerId", r.admin],
  ["limit", "10"],
];
for (const format of ["Csv", "Xlsx"]) {
  goodQueries[`exportCompanies${format}`] = (r) => [
    ["q", "anna"],
    ["ownerId", r.admin],
  ];
  goodQueries[`exportDeals${format}`] = dealFilters;
  goodQueries[`exportTasks${format}`] = (r) => [
    ["status", "all"],
    ["mine", "true"],
    ["contactId", r.contact],
    ["assigneeId", r.member],
  ];
  goodQueries[`exportNotes${format}`] = (r) => [
    ["contactId", r.contact],
    ["kind", "call"],
  ];
}
for (const format of ["Csv", "Xlsx", "Vcf"]) goodQueries[`exportContacts${format}`] = contactFilters;
goodQueries.listSegmentMembers = () => [["limit", "5"]];
goodQueries.listSegmentChanges = () => [
  ["cursor", "0"],
  ["limit", "10"],
];
const defaultListQuery: [string, string][] = [
  ["q", "anna"],
  ["limit", "10"],
];

const wide = (keys: number, value: string) =>
  `{${Array.from({ length: keys }, (_, i) => `"k${i}":${value}`).join(",")}}`;
const MAX_REFUSAL_BYTES = 40_000;

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const NIL = "00000000-0000-4000-8000-000000000000";
const hostileCursors = [
  cursorOf(["anna", NIL]),
  cursorOf(["2026-11-20T10:00:00Z", NIL]),
  cursorOf(["2026-11-20T10:00:00.000Z", NIL]),
  cursorOf(["infinity", NIL]),
  cursorOf(["garbage", NIL]),
  cursorOf(["\u0000", NIL]),
  cursorOf(["\ud800", NIL]),
  cursorOf(["x".repeat(600), NIL]),
  cursorOf(["anna", "not-a-uuid"]),
  cursorOf([1e308, NIL]),
  cursorOf(["anna", NIL, "extra"]),
  cursorOf({ __proto__: 1 }),
  cursorOf([]),
  cursorOf(null),
  "not base64!",
  "%%%",
  "AAAA",
  "=",
];

// ---------------------------------------------------------------------------------------------------------
// A request, and what the server's own checks must make of it.

type TokenKind = "admin" | "member" | "none" | "garbage";

/** A path parameter: a value sent percent-encoded, or raw text that is not a valid URL component at all. */
type Param = { value: string } | { raw: string };

interface FuzzRequest {
  name: string;
  params: Record<string, Param>;
  query: [string, string][];
  token: TokenKind;
  body?: Json | Uint8Array;
  contentType?: string;
  ifMatch?: string;
}

const JSON_TYPES = ["application/json", "application/json; charset=utf-8"];
const REFUSED_TYPES = ["text/plain", "application/x-www-form-urlencoded"];
// The server's answer to these is not modelled (415, or parsed as JSON): only "never a 5xx" is checked.
const ODD_TYPES = ["application/vnd.api+json", "APPLICATION/JSON", "application/json; charset=latin1", "*/*"];

/** Every byte but the unreserved ones percent-encoded; lone surrogates become U+FFFD as UTF-8 makes them. */
function encodeComponent(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
const asUtf8 = (text: string) => Buffer.from(text, "utf8").toString("utf8");

function urlOf(route: RouteContract, request: FuzzRequest): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const param = request.params[name] as Param;
    return "raw" in param ? param.raw : encodeComponent(param.value);
  });
  const query = request.query.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join("&");
  return query ? `${path}?${query}` : path;
}

const bodyText = (body: Json | Uint8Array): string =>
  body instanceof Uint8Array ? Buffer.from(body).toString("utf8") : toText(body);
const bodyBytes = (body: Json | Uint8Array): number =>
  body instanceof Uint8Array ? body.length : Buffer.byteLength(toText(body));

/** As the JSON parser refuses it: a `__proto__` key anywhere, or a `constructor` key holding a `prototype`. */
function isPoisoned(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const next = stack.pop();
    if (next === null || typeof next !== "object") continue;
    if (Object.prototype.hasOwnProperty.call(next, "__proto__")) return true;
    const ctor = (next as Record<string, unknown>).constructor;
    if (
      Object.prototype.hasOwnProperty.call(next, "constructor") &&
      ctor !== null &&
      typeof ctor === "object" &&
      Object.prototype.hasOwnProperty.call(ctor, "prototype")
    )
      return true;
    for (const value of Object.values(next)) stack.push(value);
  }
  return false;
}

/** route.ts's readVersion, as a yes/no. */
function versionAcceptable(fromBody: unknown, ifMatch: string | undefined): boolean {
  const fromHeader = ifMatch === undefined ? undefined : ifMatch.replace(/^W\//, "").replace(/"/g, "").trim();
  const candidate = fromBody ?? (fromHeader ? Number(fromHeader) : undefined);
  return candidate !== undefined && z.number().int().positive().safeParse(candidate).success;
}

/**
 * "rejected": the server's input checks must refuse this request (a 4xx, nothing stored). "maybe": it passes
 * them, and the handler decides (a 2xx, or a 4xx such as 404 for a reference to nothing or 409 for a stale
 * version).
 */
function predict(route: RouteContract, request: FuzzRequest): "rejected" | "maybe" {
  if (route.public) return "maybe";
  if (request.token === "none" || request.token === "garbage") return "rejected";
  if (route.params) {
    const params: Record<string, string> = {};
    for (const [name, param] of Object.entries(request.params)) {
      if ("raw" in param) return "rejected";
      params[name] = asUtf8(param.value);
    }
    if (!route.params.safeParse(params).success) return "rejected";
  }
  if (route.query) {
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of request.query.map(([k, v]) => [asUtf8(k), asUtf8(v)] as const)) {
      const seen = Object.prototype.hasOwnProperty.call(query, k) ? query[k] : undefined;
      const value = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
      Object.defineProperty(query, k, { value, enumerable: true, configurable: true, writable: true });
    }
    if (!route.query.safeParse(query).success) return "rejected";
  }
  let body: unknown = undefined;
  if (request.body !== undefined) {
    if (bodyBytes(request.body) > (route.bodyLimit ?? BODY_LIMIT)) return "rejected";
    if (request.contentType && REFUSED_TYPES.includes(request.contentType)) return "rejected";
    if (request.contentType && !JSON_TYPES.includes(request.contentType)) return "maybe";
    try {
      // Like the server's parser (secure-json-parse), and as RFC 8259 allows, a leading byte order mark is ignored.
      body = JSON.parse(bodyText(request.body).replace(/^\uFEFF/, ""));
    } catch {
      return "rejected";
    }
    if (isPoisoned(body)) return "rejected";
  }
  if (route.body) {
    let version: unknown = undefined;
    if (route.versioned && body && typeof body === "object" && !Array.isArray(body) && "version" in body) {
      ({ version, ...body } = body as Record<string, unknown>);
    }
    if (body === undefined || !route.body.safeParse(body).success) return "rejected";
    if (route.versioned && !versionAcceptable(version, request.ifMatch)) return "rejected";
  }
  return "maybe";
}

// ---------------------------------------------------------------------------------------------------------
// Generators of requests for one route.

const hostileParam: fc.Arbitrary<Param> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid().map((value) => ({ value })) },
  { weight: 1, arbitrary: fc.uuid().map((value) => ({ value: value.toUpperCase() })) },
  { weight: 3, arbitrary: hostileString.map((value) => ({ value })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Param>(
      { raw: "%ZZ" },
      { raw: "%C3%28" },
      { raw: "%E0%A4%A" },
      { raw: "%" },
      { raw: "%00" },
      { raw: "%ED%A0%80" },
      { raw: "a".repeat(150) },
      { value: "." },
      { value: ".." },
      { value: "a/b" },
      { value: "" },
      { value: "1" },
      { value: "-1" },
    ),
  },
);

/** The seeded record a path parameter can name, if any: deletes and erasures get none. */
function realId(route: RouteContract, name: string, records: Records): string | undefined {
  const resource =
    /\/api\/v1\/(contacts|companies|deals|tasks|notes|emails|blocklist|mailboxes|pipelines|custom-fields|templates|web-forms|occasion-rules|products|webhooks|segments)/.exec(
      route.path,
    )?.[1];
  const real: Record<string, string> = {
    contacts: records.contact,
    companies: records.company,
    deals: records.deal,
    tasks: records.task,
    notes: records.note,
    emails: records.email,
    blocklist: records.blocked,
    mailboxes: name === "userId" ? records.member : "",
    pipelines: name === "stageId" ? records.stage : records.pipeline,
    "custom-fields": records.field,
    templates: records.template,
    "web-forms": records.webForm,
    "occasion-rules": records.occasionRule,
    products: records.product,
    webhooks: name === "id" ? records.webhook : "",
    segments: records.segment,
  };
  const id = resource ? real[resource] : undefined;
  // Deletes and erasures get no real id: the seeded records must stay for the other routes' good examples.
  return !id || route.method === "DELETE" || route.path.endsWith("/erase") ? undefined : id;
}

function paramArb(route: RouteContract, name: string, records: Records): fc.Arbitrary<Param> {
  const id = realId(route, name, records);
  if (!id) return hostileParam;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ value: id }) },
    { weight: 3, arbitrary: hostileParam },
  );
}

function queryArb(route: RouteContract, good: [string, string][]): fc.Arbitrary<[string, string][]> {
  const shape = route.query instanceof z.ZodObject ? (route.query.shape as Record<string, z.ZodType>) : {};
  const keys = Object.keys(shape);
  const key = fc.oneof(
    { weight: keys.length ? 6 : 0, arbitrary: fc.constantFrom(...(keys.length ? keys : ["q"])) },
    { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "") },
    { weight: 1, arbitrary: hostileString },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: hostileString },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "0",
        "1",
        "-1",
        "200",
        "201",
        "100",
        "101",
        "1.5",
        "1e2",
        "0x10",
        " 5 ",
        "NaN",
        "Infinity",
        "1e308",
        "9007199254740993",
        "all",
        "open",
        "done",
        "true",
        "false",
        "organization",
        "personal",
        "note",
        "call",
        NIL,
      ),
    },
    { weight: 2, arbitrary: fc.constantFrom(...hostileCursors) },
  );
  const pair = fc.tuple(key, value);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(good) },
    { weight: 4, arbitrary: fc.array(pair, { maxLength: 6 }) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.nat(), pair).map(([i, [k, v]]) => {
        const copy = [...good];
        if (copy.length && i % 2 === 0) copy[i % copy.length] = [copy[i % copy.length]?.[0] ?? k, v];
        else copy.push([k, v]);
        return copy;
      }),
    },
    // The same key again and again: an array where a string is expected.
    {
      weight: 1,
      arbitrary: fc
        .tuple(key, fc.array(value, { minLength: 2, maxLength: 60 }))
        .map(([k, vs]) => vs.map((v): [string, string] => [k, v])),
    },
  );
}

function bodyArb(good: Json): fc.Arbitrary<Json | Uint8Array> {
  const paths = pathsOf(good);
  const objectPaths: Path[] = [[], ...paths.filter((p) => getAt(good, p) instanceof Entries)];
  const pathArb = paths.length ? fc.constantFrom(...paths) : fc.constant<Path>([]);
  const hostileKey = fc.oneof(
    fc.constantFrom("__proto__", "constructor", "prototype", "version", "id", "toString", "", " ", "\u0000"),
    hostileString,
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(good) },
    // One field, anywhere in the body, replaced by something hostile.
    {
      weight: 8,
      arbitrary: fc.tuple(pathArb, hostileValue).map(([path, value]) => setAt(good, path, value)),
    },
    // Two fields at once.
    {
      weight: 2,
      arbitrary: fc
        .tuple(pathArb, hostileValue, pathArb, hostileValue)
        .map(([p1, v1, p2, v2]) => setAt(setAt(good, p1, v1), p2, v2)),
    },
    // One field left out.
    { weight: 2, arbitrary: pathArb.map((path) => setAt(good, path, REMOVE)) },
    // A key added: unknown, duplicate, or one that pollutes prototypes.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...objectPaths), hostileKey, hostileValue, fc.nat())
        .map(([path, key, value, at]) => addKeyAt(good, path, key, value, at)),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(toTree) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Json>(
        null,
        [],
        new Entries([]),
        "",
        0,
        true,
        new RawJson(""),
        new RawJson(" "),
        new RawJson("{"),
        new RawJson("\u0000"),
        new RawJson("\ufeff{}"),
        new RawJson('{"a":1}garbage'),
      ),
    },
    { weight: 1, arbitrary: invalidLiteral },
    { weight: 1, arbitrary: pollutingObject },
    // Invalid UTF-8 inside a string of an otherwise good body.
    {
      weight: 1,
      arbitrary: pathArb.map((path) => {
        const text = toText(setAt(good, path, "\u0001MARK\u0001"));
        const [before, after] = text.split('"\\u0001MARK\\u0001"') as [string, string?];
        if (after === undefined) return Buffer.from(text);
        return Buffer.concat([
          Buffer.from(`${before}"`),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
          Buffer.from(`"${after}`),
        ]);
      }),
    },
  );
}

function getAt(tree: Json, path: Path): Json | undefined {
  let node: Json | undefined = tree;
  for (const key of path) {
    if (Array.isArray(node)) node = node[key as number];
    else if (node instanceof Entries) node = node.entries.find(([k]) => k === key)?.[1];
    else return undefined;
  }
  return node;
}

const tokenArb = (weights: Record<TokenKind, number>): fc.Arbitrary<TokenKind> =>
  fc.oneof(
    ...(Object.entries(weights) as [TokenKind, number][])
      .filter(([, w]) => w > 0)
      .map(([kind, weight]) => ({ weight, arbitrary: fc.constant(kind) })),
  );

function requestArb(
  name: string,
  route: RouteContract,
  records: Records,
  tokens: fc.Arbitrary<TokenKind>,
): fc.Arbitrary<FuzzRequest> {
  const paramNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const params = fc.record(
    Object.fromEntries(paramNames.map((p) => [p, paramArb(route, p, records)])) as Record<
      string,
      fc.Arbitrary<Param>
    >,
  );
  const good = goodQueries[name]?.(records) ?? (route.query ? defaultListQuery : []);
  const query = route.query
    ? queryArb(route, good)
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant<[string, string][]>([]) },
        { weight: 1, arbitrary: queryArb(route, []) },
      );
  const goodBody = goodBodies[name];
  const hasBody = route.method === "POST" || route.method === "PUT" || route.method === "PATCH";
  const body: fc.Arbitrary<Json | Uint8Array | undefined> = hasBody
    ? fc.oneof(
        { weight: 12, arbitrary: bodyArb(toTree(goodBody ? goodBody(records) : {})) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.constant(undefined);
  const contentType = fc.oneof(
    { weight: 16, arbitrary: fc.constantFrom(...JSON_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(...REFUSED_TYPES, ...ODD_TYPES) },
  );
  const ifMatch = route.versioned
    ? fc.option(
        fc.constantFrom(
          '"1"',
          'W/"1"',
          "1",
          "0",
          "-1",
          "abc",
          "1.5",
          "0x10",
          "1e3",
          "9".repeat(30),
          '"',
          "*",
          "",
        ),
        {
          freq: 3,
        },
      )
    : fc.constant(null);
  return fc
    .record({ params, query, token: tokens, body, contentType, ifMatch })
    .map(({ params, query, token, body, contentType, ifMatch }) => ({
      name,
      params,
      query,
      token,
      ...(body === undefined ? {} : { body, contentType }),
      ...(ifMatch === null ? {} : { ifMatch }),
    }));
}

// ---------------------------------------------------------------------------------------------------------
// The store, all of it: every business table's row count and a digest of its rows.

const TABLES = {
  organizations: true,
  users: true,
  companies: true,
  contacts: true,
  contact_emails: true,
  pipelines: true,
  stages: true,
  deals: true,
  deal_contacts: true,
  deal_stage_changes: true,
  deal_stage_stays: true,
  deal_stage_flows: true,
  deal_stage_lengths: true,
  interactions: true,
  interaction_days: true,
  interaction_weeks: true,
  interaction_loggers: true,
  interaction_participants: true,
  tasks: true,
  audit_events: true,
  mailboxes: true,
  mailbox_sync: true,
  blocklist_entries: true,
  custom_field_definitions: true,
  exchange_rates: true,
  invoices: true,
  payments: true,
  products: true,
  product_prices: true,
  deal_lines: true,
  templates: true,
  template_variants: true,
  template_uses: true,
  web_forms: true,
  web_form_owners: true,
  web_form_consents: true,
  web_form_token_uses: true,
  leads: true,
  accounts: true,
  invitations: true,
  password_resets: true,
  sessions: true,
  refresh_tokens: true,
  signing_keys: true,
  passkeys: true,
  webauthn_challenges: true,
  follow_ups: true,
  occasion_rules: true,
  occasion_rule_senders: true,
  occasion_mails: true,
  webhook_endpoints: true,
  webhook_events: true,
  webhook_deliveries: true,
  quote_templates: true,
  quotes: true,
  segments: true,
  segment_members: true,
  segment_changes: true,
  rating_keys: true,
  ratings: true,
  calendar_sync: true,
  calendar_events: true,
  graph_subscriptions: true,
  graph_notification_receipts: true,
  contact_duplicate_dismissals: true,
  company_duplicate_dismissals: true,
  contact_merges: true,
  company_merges: true,
  interaction_links: true,
  erasures: true,
  erasure_keys: true,
  erased_addresses: true,
} as const satisfies Record<keyof DB, true>;

/**
 * Counters of abuse, not data: a public form's post counts a use of its signed token before the post is checked,
 * so that a token can be brought back only a few times whatever its posts hold (test/api/web-forms.test.ts holds
 * the count). A refused post may raise it; it stores nothing else.
 */
const COUNTERS = new Set<string>(["web_form_token_uses"] satisfies (keyof DB)[]);

const snapshotQuery = sql.raw<Record<string, string | number>>(
  `select ${Object.keys(TABLES)
    .filter((t) => !COUNTERS.has(t))
    .map(
      (t) =>
        `(select count(*) from "${t}")::int as "${t}", ` +
        `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from "${t}" x) as "${t}.rows"`,
    )
    .join(", ")}`,
);

// ---------------------------------------------------------------------------------------------------------
// Raw HTTP/1.1, for what fetch will not send: invalid UTF-8 and control bytes in headers, oversized headers.

/** The server's answer, once it closes the connection: one that never does fails by the test's own timeout. */
function rawRequest(port: number, bytes: Buffer): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {
      // A reset after the answer (or instead of one) is a clean refusal too.
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, text });
    });
    socket.write(bytes);
  });
}

// ---------------------------------------------------------------------------------------------------------

interface Tally {
  requests: number;
  rejected: number;
  byStatus: Record<number, number>;
}
const totals: Record<string, Tally> = {};

afterAll(() => {
  for (const [kind, t] of Object.entries(totals)) {
    if (t.requests === 0) continue;
    const statuses = Object.entries(t.byStatus)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    console.log(
      `hostile input (${kind}): ${t.requests} fuzz requests over ${Object.keys(routes).length} routes, ` +
        `${t.rejected} in rejected-only batches; statuses ${statuses}; every refusal a problem with a code`,
    );
  }
});

describe.each(storeKinds)("hostile input (%s)", (kind) => {
  let server: TestServer;
  let port: number;
  const tokens: Record<"admin" | "member", string> = { admin: "", member: "" };
  let records: Records;
  const tally: Tally = { requests: 0, rejected: 0, byStatus: {} };
  totals[kind] = tally;

  beforeAll(async () => {
    server = await startTestServer(kind);
    port = Number(new URL(server.baseUrl).port);
    await sql`create table hostile_changes (n bigint not null)`.execute(server.database.db);
    await sql`insert into hostile_changes values (0)`.execute(server.database.db);
    await sql`
      create function hostile_count_change() returns trigger language plpgsql security definer as $$
      begin
        update hostile_changes set n = n + 1;
        return null;
      end $$`.execute(server.database.db);
    for (const table of Object.keys(TABLES))
      await sql`
        create trigger hostile_count_change after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function hostile_count_change()`.execute(server.database.db);
    tokens.admin = await server.token("admin@contoso.example");
    tokens.member = await server.token("member@contoso.example");
    const post = async (path: string, body: unknown) => {
      const response = await server.request<Record<string, unknown>>("POST", path, {
        token: tokens.admin,
        body,
      });
      expect([path, response.status]).toEqual([path, 201]);
      return response.body;
    };
    const me = async (token: string) =>
      (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
    const admin = await me(tokens.admin);
    const member = await me(tokens.member);
    const { pipelines } = parse(
      PipelineList,
      await server.request("GET", "/api/v1/pipelines", { token: tokens.admin }),
    );
    // The contact fields the good examples fill in.
    const field = (
      await post("/api/v1/custom-fields", { entity: "contact", key: "size", label: "Size", type: "number" })
    ).id as string;
    await post("/api/v1/custom-fields", {
      entity: "contact",
      key: "segment",
      label: "Segment",
      type: "choice",
      choices: ["smb", "enterprise"],
    });
    await post("/api/v1/custom-fields", {
      entity: "contact",
      key: "renewal",
      label: "Renewal",
      type: "date",
    });
    await post("/api/v1/custom-fields", { entity: "contact", key: "none", label: "None", type: "text" });
    const company = (await post("/api/v1/companies", { name: "Customer", domain: "customer.example" }))
      .id as string;
    const contact = (
      await post("/api/v1/contacts", {
        displayName: "Anna Berg",
        emails: ["anna@customer.example"],
        companyId: company,
      })
    ).id as string;
    const deal = (await post("/api/v1/deals", { name: "Renewal", contactIds: [contact], companyId: company }))
      .id as string;
    const task = (await post("/api/v1/tasks", { title: "Call", dueAt: null, contactId: contact }))
      .id as string;
    const note = (await post("/api/v1/notes", { kind: "note", contactId: contact, body: "Met" }))
      .id as string;
    const logged = await post("/api/v1/emails", {
      internetMessageId: "<seed@mail.example>",
      from: { address: "anna@customer.example" },
      to: [{ address: "admin@contoso.example" }],
      sentAt: "2026-11-20T10:00:00Z",
    });
    const blocked = (await post("/api/v1/blocklist", { scope: "personal", entry: "@seed-blocked.example" }))
      .id as string;
    const template = (
      await post("/api/v1/templates", {
        name: "Seed template",
        scope: "organization",
        variants: { en: { subject: "Hello {{contact.firstName}}", html: "<p>{{deal.name}}</p>" } },
      })
    ).id as string;
    const webForm = (
      await post("/api/v1/web-forms", {
        name: "Seed form",
        title: null,
        fields: [{ target: "contact.email", label: "Email", required: true }],
        consentText: "Seed consent",
        afterSubmit: { kind: "message", message: "Thanks" },
        owner: { kind: "user", userId: admin },
        allowedOrigins: ["https://www.customer.example"],
      })
    ).id as string;
    const occasionRule = (
      await post("/api/v1/occasion-rules", {
        scope: "organization",
        name: "Seed birthdays",
        kind: "birthday",
        templateId: template,
      })
    ).id as string;
    const product = (
      await post("/api/v1/products", {
        name: "Seed support",
        code: "SEED-1",
        unit: "hour",
        prices: [{ currency: "SEK", amount: "1200" }],
        taxRate: "25",
      })
    ).id as string;
    const webhook = (
      (await post("/api/v1/webhooks", { url: "https://93.184.215.14/seed", events: ["deal.won"] })) as {
        endpoint: { id: string };
      }
    ).endpoint.id;
    const segment = (
      await post("/api/v1/segments", {
        name: "Seed segment",
        filter: { conditions: [{ field: "company", values: [company] }] },
      })
    ).id as string;
    records = {
      segment,
      product,
      webhook,
      occasionRule,
      webForm,
      company,
      contact,
      deal,
      task,
      note,
      email: (logged.interaction as { id: string }).id,
      stage: pipelines[0]?.stages[1]?.id as string,
      pipeline: pipelines[0]?.id as string,
      admin,
      member,
      blocked,
      stageIds: pipelines[0]?.stages.map((s) => s.id) ?? [],
      field,
      template,
    };
  });
  afterAll(() => server?.close());

  /**
   * The store's digest, read again only when it may have changed: a statement-level trigger on every table counts
   * the statements that wrote to it, in the writer's own transaction, so a write rolled back counts nothing. Most
   * requests here are refused and write nothing; reading the digest of every row before and after each of them
   * was nearly half of this file's time. A count that moved (an accepted write, or a refused request that wrote
   * and committed) has the digest read again, which tells a changed row from a statement that changed none.
   */
  let known: { count: string; digest: Record<string, string | number> | undefined } | null = null;
  const snapshot = async () => {
    const [row] = (await sql<{ n: string }>`select n::text from hostile_changes`.execute(server.database.db))
      .rows;
    if (!row) throw new Error("the change counter is gone");
    if (known?.count !== row.n)
      known = { count: row.n, digest: (await snapshotQuery.execute(server.database.db)).rows[0] };
    return known.digest;
  };

  /** Sends one request; checks status, problem and (for a refusal) that the store did not change. */
  async function send(route: RouteContract, request: FuzzRequest): Promise<number> {
    const url = urlOf(route, request);
    const headers: Record<string, string> = {};
    if (request.token === "admin" || request.token === "member")
      headers.authorization = `Bearer ${tokens[request.token]}`;
    if (request.token === "garbage") headers.authorization = "Bearer \u00e9\u00ff.garbage.\u0080";
    if (request.ifMatch !== undefined) headers["if-match"] = request.ifMatch;
    let body: string | Uint8Array | undefined;
    if (request.body !== undefined) {
      body = request.body instanceof Uint8Array ? request.body : toText(request.body);
      headers["content-type"] = request.contentType ?? "application/json";
    }
    const expected = predict(route, request);
    const before = await snapshot();
    const response = await fetch(`${server.baseUrl}${url}`, {
      method: route.method,
      headers,
      body: typeof body === "string" ? body : body && new Uint8Array(body),
    });
    const text = await response.text();
    tally.requests++;
    tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
    const shown = body === undefined ? "" : Buffer.from(body).toString("utf8").slice(0, 400);
    const label = `${request.name} ${route.method} ${url.slice(0, 300)} token=${request.token} if-match=${request.ifMatch} content-type=${headers["content-type"]} body(${body?.length ?? 0})=${shown} → ${response.status} ${text.slice(0, 400)}`;
    const fail = (why: string) => {
      throw new Error(`${why}\n  ${label}`);
    };
    if (response.status >= 500) fail("a 5xx");
    if (response.status < 200 || (response.status >= 300 && response.status < 400))
      fail("neither 2xx nor 4xx");
    if (expected === "rejected" && response.status < 400) fail("accepted a request its own checks refuse");
    if (response.status >= 400) {
      // Every refusal, the framework's and the HTTP parser's included, is a problem with a code.
      {
        if (!response.headers.get("content-type")?.includes("application/problem+json"))
          fail("not a problem");
        let problem: unknown;
        try {
          problem = JSON.parse(text);
        } catch {
          fail("a problem that is not JSON");
        }
        if (!Problem.safeParse(problem).success) fail("a problem without its code");
        if ((problem as Problem).status !== response.status) fail("a problem with another status");
        // A refusal stays small whatever was sent (no amplification): at most 50 issues of bounded text.
        if ((problem as Problem).code === "invalid_request" && text.length > MAX_REFUSAL_BYTES)
          fail(`a refusal of ${text.length} bytes`);
      }
      // Nothing stored by a refused request: every table as it was, row for row.
      const after = await snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        const changed = Object.keys(after ?? {}).filter((k) => after?.[k] !== before?.[k]);
        fail(`a refused request changed the store: ${changed.join(", ")}`);
      }
    }
    return response.status;
  }

  const runProperty = (
    arb: fc.Arbitrary<FuzzRequest>,
    numRuns: number,
    check: (r: FuzzRequest) => Promise<void>,
  ) =>
    fc.assert(fc.asyncProperty(arb, check), {
      numRuns,
      endOnFailure: true,
      ...(SEED === undefined ? {} : { seed: SEED }),
    });

  it("notices a row changed behind the server's back, and one changed back", async () => {
    const before = await snapshot();
    const db = server.database.db;
    const { id, name } = await db
      .selectFrom("organizations")
      .select(["id", "name"])
      .executeTakeFirstOrThrow();
    await db
      .updateTable("organizations")
      .set({ name: `${name} (moved)` })
      .where("id", "=", id)
      .execute();
    expect(await snapshot()).not.toEqual(before);
    await db.updateTable("organizations").set({ name }).where("id", "=", id).execute();
    expect(await snapshot()).toEqual(before);
  });

  it("has a good example body for every route that takes one", () => {
    const missing = Object.entries(routes as Record<string, RouteContract>)
      .filter(([name, route]) => route.body && !goodBodies[name])
      .map(([name]) => name);
    expect(missing).toEqual([]);
    for (const [name, make] of Object.entries(goodBodies)) {
      const route = (routes as Record<string, RouteContract>)[name];
      const { version: _, ...rest } = make(records) as Record<string, unknown>;
      const body = route?.versioned ? rest : make(records);
      expect([name, route?.body?.safeParse(body).success]).toEqual([name, true]);
    }
  });

  describe.each(Object.entries(routes as Record<string, RouteContract>))("%s", (name, route) => {
    it("answers random, boundary and hostile requests with a 2xx or a 4xx problem; a refusal stores nothing", async () => {
      await runProperty(
        requestArb(name, route, records, tokenArb({ admin: 16, member: 2, none: 1, garbage: 1 })),
        RUNS,
        async (request) => {
          await send(route, request);
        },
      );
    }, 120_000);

    it("refuses whatever its own checks refuse, and the store is exactly as it was", async () => {
      if (route.public) return;
      const hasInputs = route.params || route.query || route.body;
      const arb = requestArb(
        name,
        route,
        records,
        hasInputs
          ? tokenArb({ admin: 1, member: 0, none: 0, garbage: 0 })
          : tokenArb({ admin: 0, member: 0, none: 1, garbage: 1 }),
      ).filter((r) => predict(route, r) === "rejected");
      const before = await snapshot();
      await runProperty(arb, REJECTED_RUNS, async (request) => {
        tally.rejected++;
        const status = await send(route, request);
        expect(status >= 400 && status < 500).toBe(true);
      });
      expect(await snapshot()).toEqual(before);
    }, 120_000);

    const paramsOf = (): Record<string, Param> =>
      Object.fromEntries([...route.path.matchAll(/:(\w+)/g)].map((m) => [m[1] as string, { value: NIL }]));

    if (route.method === "POST" || route.method === "PUT" || route.method === "PATCH") {
      it("survives deep nesting, bodies near and over the limit, huge arrays and polluting keys", async () => {
        const good = toTree(goodBodies[name]?.(records) ?? {});
        const firstString = pathsOf(good).find((p) => typeof getAt(good, p) === "string") ?? ["x"];
        const firstArray = pathsOf(good).find((p) => Array.isArray(getAt(good, p))) ?? firstString;
        const deepArrays = new RawJson("[".repeat(10_000) + "]".repeat(10_000));
        const deepObjects = new RawJson('{"a":'.repeat(10_000) + "1" + "}".repeat(10_000));
        const deeper = new RawJson("[".repeat(100_000) + "]".repeat(100_000));
        const deepPoison = new RawJson(
          '{"a":'.repeat(10_000) + '{"__proto__":{"polluted":true}}' + "}".repeat(10_000),
        );
        const nearLimit = (unit: string, bytes: number) =>
          unit.repeat(Math.floor((BODY_LIMIT - 2_000) / bytes));
        const storable: Json[] = [
          setAt(good, firstString, nearLimit("x", 1)),
          setAt(good, firstString, nearLimit("𝔅", 4)),
          setAt(good, firstString, nearLimit("\u200d", 3)),
        ];
        const routeIndex = Object.keys(routes).indexOf(name);
        // The parser's refusals on one store per route, taking turns (see the top of the file).
        const onThisStore = takesItsTurn(routeIndex, kind);
        const bodies: Json[] = !onThisStore
          ? storable
          : [
              ...storable,
              deepArrays,
              deepObjects,
              deeper,
              deepPoison,
              setAt(good, firstString, deepArrays),
              setAt(good, firstString, deepObjects),
              setAt(good, firstString, "x".repeat(BODY_LIMIT)),
              setAt(good, firstString, "x".repeat(BODY_LIMIT * 3)),
              setAt(good, firstArray, new RawJson(`[${new Array(200_000).fill("0").join(",")}]`)),
              setAt(good, firstArray, new RawJson(`[${new Array(100_000).fill('"a"').join(",")}]`)),
              setAt(good, firstArray, new RawJson(`[${new Array(100_000).fill("{}").join(",")}]`)),
              new RawJson(`[${new Array(400_000).fill("0").join(",")}]`),
              addKeyAt(good, [], "__proto__", new Entries([["polluted", true]]), 0),
              addKeyAt(good, [], "__proto__", new Entries([["polluted", true]]), 99),
              addKeyAt(
                good,
                [],
                "constructor",
                new Entries([["prototype", new Entries([["polluted", true]])]]),
                0,
              ),
              ...pathsOf(good)
                .filter((p) => getAt(good, p) instanceof Entries)
                .map((p) => addKeyAt(good, p, "__proto__", new Entries([["polluted", true]]), 0)),
              new Entries([
                ["__proto__", new Entries([["isAdmin", true]])],
                ["constructor", new Entries([["prototype", new Entries([["isAdmin", true]])]])],
              ]),
              // Wide objects: 50,000 unknown keys, and 50,000 wrong values in every object of the body.
              new RawJson(wide(50_000, "1")),
              ...[[], ...pathsOf(good).filter((p) => getAt(good, p) instanceof Entries)].map((p) =>
                setAt(good, p, new RawJson(wide(50_000, "[]"))),
              ),
            ];
        for (const body of bodies) {
          await send(route, { name, params: paramsOf(), query: [], token: "admin", body });
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        }
      }, 120_000);
    }

    if (route.query) {
      it("survives huge and repeated query values and polluting query keys", async () => {
        const queries: [string, string][][] = [
          [["q", "x".repeat(100_000)]],
          [["cursor", "A".repeat(100_000)]],
          new Array(1_000).fill(["limit", "1"]),
          new Array(1_000).fill(["email", "anna@customer.example"]),
          [["__proto__", "x"]],
          [["constructor", "x"]],
          [["__proto__[polluted]", "true"]],
          [["constructor[prototype][polluted]", "true"]],
        ];
        for (const query of queries) {
          await send(route, { name, params: paramsOf(), query, token: "admin" });
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }
      }, 60_000);
    }
  });

  // The public form post is outside the contract (a page and a form body, not JSON under /api/v1): it gets
  // hostile form bodies and JSON of its own. Whatever comes in, the answer is a page, a redirect or a problem,
  // never a 5xx; a refusal (4xx) stores nothing; and an answer is HTML for a form body, JSON for JSON.
  it("answers hostile posts to a public form with a 2xx, a 303 or a 4xx, and a refusal stores nothing", async () => {
    const form = await server.database.db
      .selectFrom("web_forms")
      .select(["public_id", "signing_key", "consent_version"])
      .where("id", "=", records.webForm)
      .executeTakeFirstOrThrow();
    const token = issueToken(
      form.signing_key,
      form.public_id,
      new Date(Date.now() - 60_000),
      form.consent_version,
    );
    const names = fc.constantFrom(
      "contact.email",
      "contact.firstName",
      "consent",
      "_rapport_t",
      "website_url_2",
      "page_url",
      "utm_source",
      "__proto__",
      "constructor",
      "",
    );
    const pair = fc.tuple(fc.oneof(names, hostileString), fc.oneof(hostileString, fc.constant(token)));
    const formBody = fc.oneof(
      fc.array(pair, { maxLength: 8 }).map((pairs) => ({
        type: "application/x-www-form-urlencoded",
        text: pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join("&"),
      })),
      fc
        .constantFrom(
          "%ZZ=1",
          "a=%",
          "&&&&",
          "=".repeat(10_000),
          "a=1&".repeat(3_000),
          `contact.email=${"a".repeat(15_000)}`,
          `contact.email=x%40y.example&_rapport_t=${token}&consent=yes&website_url_2=`,
          "__proto__[polluted]=true",
          "x".repeat(17_000),
        )
        .map((text) => ({ type: "application/x-www-form-urlencoded", text })),
      fc.dictionary(fc.oneof(names, hostileString), hostileValue).map((body) => ({
        type: "application/json",
        text: toText(toTree(body)),
      })),
      fc.constantFrom("text/plain", "multipart/form-data; boundary=x", "application/xml").map((type) => ({
        type,
        text: "contact.email=x@y.example",
      })),
    );
    const posts = fc.record({
      body: formBody,
      origin: fc.constantFrom(undefined, "https://www.customer.example", "null", "https://evil.example"),
    });
    await fc.assert(
      fc.asyncProperty(posts, async ({ body, origin }) => {
        const before = await snapshot();
        const response = await fetch(`${server.baseUrl}/f/${form.public_id}`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": body.type, ...(origin ? { origin } : {}) },
          body: body.text,
        });
        const text = await response.text();
        tally.requests++;
        tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
        const label = `POST /f ${body.type} origin=${origin} ${body.text.slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
        expect([label, response.status < 500 && response.status !== 304]).toEqual([label, true]);
        if (response.status >= 400) {
          const after = await snapshot();
          expect([label, JSON.stringify(after)]).toEqual([label, JSON.stringify(before)]);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS * 3, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 240_000);

  it("answers invalid UTF-8, control bytes and oversized headers with a 4xx or a clean close, and lives on", async () => {
    const request = (head: string, ...extra: (string | Buffer)[]) =>
      Buffer.concat([
        Buffer.from(head, "latin1"),
        ...extra.map((e) => (typeof e === "string" ? Buffer.from(e, "latin1") : e)),
        Buffer.from("\r\n", "latin1"),
      ]);
    const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]);
    const cases: { what: string; bytes: Buffer; expect: (status: number | null) => boolean }[] = [
      {
        what: "invalid UTF-8 as the bearer token",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ",
          bad,
          "\r\n",
        ),
        expect: (s) => s === 401,
      },
      {
        what: "invalid UTF-8 as the whole Authorization header",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ",
          bad,
          "\r\n",
        ),
        expect: (s) => s === 401,
      },
      {
        what: "invalid UTF-8 in a custom header of a signed-in request",
        bytes: request(
          `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nX-Odd: `,
          bad,
          "\r\nX-Odd-2: \u00e9\u00ff\r\n",
        ),
        expect: (s) => s === 200,
      },
      {
        what: "invalid UTF-8 in the If-Match header of an update",
        bytes: request(
          `PATCH /api/v1/tasks/${records.task} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nIf-Match: `,
          bad,
          "\r\n\r\n{}",
        ),
        expect: (s) => s !== null && s >= 400 && s < 500,
      },
      {
        what: "a NUL byte in a header",
        bytes: request("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Nul: a\u0000b\r\n"),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "a bare CR in the Authorization header",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer a\rb\r\n",
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "a header name with invalid characters",
        bytes: request("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX(Bad)\u00e9: 1\r\n"),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "a 100 KB header",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ",
          "a".repeat(100_000),
          "\r\n",
        ),
        expect: (s) => s === null || s === 431 || s === 400,
      },
      {
        what: "a 100 KB Authorization header",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ",
          "a".repeat(100_000),
          "\r\n",
        ),
        expect: (s) => s === null || s === 431 || s === 400,
      },
      {
        what: "3,000 headers",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
          Array.from({ length: 3_000 }, (_, i) => `X-H${i}: ${i}\r\n`).join(""),
        ),
        expect: (s) => s === null || s === 431 || s === 400,
      },
      {
        what: "a folded (obs-fold) Authorization header",
        bytes: request(
          "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer\r\n  abc\r\n",
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "two Content-Length headers that disagree",
        bytes: request(
          `POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}`,
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "Content-Length and chunked together (request smuggling)",
        bytes: request(
          `POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/me HTTP/1.1\r\n`,
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "a broken chunked body",
        bytes: request(
          `POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n`,
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "a Content-Length far beyond the body limit",
        bytes: request(
          `POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}`,
        ),
        expect: (s) => s === null || s === 413,
      },
      {
        what: "raw invalid UTF-8 bytes in the path",
        bytes: request(
          "GET /api/v1/contacts/",
          bad,
          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
          `Authorization: Bearer ${tokens.admin}\r\n`,
        ),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "raw invalid UTF-8 bytes in the query",
        bytes: request(
          "GET /api/v1/contacts?q=",
          bad,
          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
          `Authorization: Bearer ${tokens.admin}\r\n`,
        ),
        expect: (s) => s === null || s === 200 || (s >= 400 && s < 500),
      },
      {
        what: "percent-encoded invalid UTF-8 in the query",
        bytes: request(
          `GET /api/v1/contacts?q=%C3%28%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\n`,
        ),
        expect: (s) => s === 200 || (s !== null && s >= 400 && s < 500),
      },
      {
        what: "an absolute-form request target with a foreign host",
        bytes: request(
          `GET http://evil.example/api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${tokens.admin}\r\n`,
        ),
        expect: (s) => s === 200 || (s !== null && s >= 400 && s < 500),
      },
      {
        what: "HTTP/1.0 with no Host",
        bytes: request(`GET /api/v1/me HTTP/1.0\r\nAuthorization: Bearer ${tokens.admin}\r\n`),
        expect: (s) => s === 200 || (s !== null && s >= 400 && s < 500),
      },
      {
        what: "an unknown method",
        bytes: request("BREW /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
      {
        what: "garbage instead of HTTP",
        bytes: Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5]), bad, Buffer.from("\r\n\r\n")]),
        expect: (s) => s === null || (s >= 400 && s < 500),
      },
    ];
    const answers: string[] = [];
    const before = await snapshot();
    for (const c of cases) {
      const { status, text } = await rawRequest(port, c.bytes);
      tally.requests++;
      if (status !== null) tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      answers.push(`${c.what}: ${status ?? "closed"}`);
      expect([c.what, status, c.expect(status)]).toEqual([c.what, status, true]);
      // Every refusal, the HTTP parser's included, is a problem with a code.
      if (status !== null && status >= 400) {
        const body = text.slice(text.indexOf("\r\n\r\n") + 4);
        expect([c.what, /content-type: application\/problem\+json/i.test(text)]).toEqual([c.what, true]);
        expect(() => Problem.parse(JSON.parse(body))).not.toThrow();
      }
      const health = await server.request("GET", "/healthz");
      expect([c.what, health.status]).toEqual([c.what, 200]);
    }
    expect(await snapshot()).toEqual(before);
    console.log(`raw HTTP (${kind}): ${answers.join("; ")}`);
  });

  it("takes the worst shapes in every text field, as long as the field takes them, and answers each", async () => {
    const statuses: Record<number, number> = {};
    const answer = async (route: RouteContract, url: string, body?: string) => {
      const response = await fetch(`${server.baseUrl}${url}`, {
        method: route.method,
        headers: {
          authorization: `Bearer ${tokens.admin}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body,
      });
      const text = await response.text();
      tally.requests++;
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const label = `${route.method} ${url.slice(0, 200)} body(${body?.length ?? 0})=${body?.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
      expect([label, response.status >= 200 && response.status < 500]).toEqual([label, true]);
      if (response.status >= 400)
        expect([label, Problem.safeParse(JSON.parse(text)).success]).toEqual([label, true]);
    };
    const shaped = (unit: string, chars: number) =>
      `a${unit.repeat(Math.max(1, Math.floor(chars / unit.length)))}a`;
    const jsonChars = (unit: string) => JSON.stringify(unit).length - 2;
    const paramsFor = (name: string, route: RouteContract): Record<string, Param> =>
      Object.fromEntries(
        [...route.path.matchAll(/:(\w+)/g)].map((m) => {
          const param = m[1] as string;
          return [param, { value: realId(route, param, records) ?? NIL }];
        }),
      );

    // Each text field of each body, filled with each shape as long as the route's own checks take it.
    for (const [name, route] of Object.entries(routes as Record<string, RouteContract>)) {
      const make = goodBodies[name];
      if (!route.body || !make || name === "previewImport" || name === "commitImport") continue;
      const good = toTree(make(records));
      const params = paramsFor(name, route);
      for (const path of pathsOf(good).filter((p) => typeof getAt(good, p) === "string")) {
        for (const unit of WORST_UNITS) {
          const fits = Math.floor((BODY_LIMIT - 4_000) / jsonChars(unit)) * unit.length;
          for (const chars of [Math.min(fits, 1_000_000), 20_000, 5_000, 998, 400, 300, 200, 100]) {
            const request: FuzzRequest = {
              name,
              params,
              query: [],
              token: "admin",
              body: setAt(good, path, shaped(unit, chars - 2)),
            };
            if (predict(route, request) === "rejected") continue;
            await answer(route, urlOf(route, request), toText(request.body as Json));
            break;
          }
        }
      }
    }

    // The search of every list and the lookup's addresses, at their longest.
    for (const unit of WORST_UNITS) {
      for (const [name, route] of Object.entries(routes as Record<string, RouteContract>)) {
        const shape =
          route.query instanceof z.ZodObject ? (route.query.shape as Record<string, z.ZodType>) : {};
        if (!("q" in shape) || route.params) continue;
        await answer(
          route,
          urlOf(route, { name, params: {}, query: [["q", shaped(unit, 198)]], token: "admin" }),
        );
      }
      // As many addresses as a request line takes (16 KB): the fifty a lookup allows would not reach the server.
      const lookup = routes.lookupPeople as RouteContract;
      const address = shaped(unit, 398);
      const count = Math.min(50, Math.floor(12_000 / encodeComponent(address).length));
      const emails = Array.from({ length: count }, (): [string, string] => ["email", address]);
      await answer(
        lookup,
        urlOf(lookup, { name: "lookupPeople", params: {}, query: emails, token: "admin" }),
      );
    }

    // Files to import: the shapes at 2 MB, and (once: reading is the same on either store) the vCard of soft
    // breaks at the whole 50 MB.
    const preview = routes.previewImport as RouteContract;
    const card = (body: string) => `BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Anna\r\n${body}END:VCARD\r\n`;
    const softBreaks = "a=\r\n".repeat(
      Math.floor((kind === storeKinds[0] ? IMPORT_BODY_LIMIT : 2_000_000) / 6 - 200),
    );
    const files: [string, string][] = [
      ["vcard", card(`NOTE;ENCODING=QUOTED-PRINTABLE:${softBreaks}b\r\n`)],
      ["vcard", card(`NOTE:${"\r\n a".repeat(320_000)}\r\n`)],
      ["vcard", card(`EMAIL${";TYPE=a".repeat(280_000)}:anna@customer.example\r\n`)],
      ["vcard", card("EMAIL:anna@customer.example\r\n".repeat(70_000))],
      ["vcard", "BEGIN:VCARD\r\n".repeat(200_001)],
      ["csv", `Name,Email\n${",".repeat(2_000_000)}`],
      ["csv", `Name,Email\n${"\n".repeat(1_100_000)}`],
      ["csv", `Name,Email\n"${"x\n".repeat(600_000)}`],
      ["csv", `Name,Email\n"${'""'.repeat(1_000_000)}"`],
      ["csv", `Name,Email\n${"x".repeat(2_000_000)}`],
    ];
    for (const [format, content] of files)
      await answer(preview, preview.path, JSON.stringify({ format, entity: "contacts", content }));
    console.log(
      `worst shapes (${kind}): ${Object.entries(statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
    );
  }, 300_000);

  it("counts custom fields before checking them, and keeps every refusal small", async () => {
    const many = await server.request<Problem>("POST", "/api/v1/contacts", {
      token: tokens.admin,
      raw: `{"displayName":"Wide","customFields":${wide(50_000, "[]")}}`,
      headers: { "content-type": "application/json" },
    });
    tally.requests++;
    expect(many.status).toBe(400);
    // One issue for the count, not 50,000 union failures (3 MB of problem, seconds of CPU).
    expect(many.body.errors).toEqual([{ path: "body.customFields", message: "at most 100 custom fields" }]);
    const unknownKeys = await server.request<Problem>("POST", "/api/v1/contacts", {
      token: tokens.admin,
      raw: wide(50_000, "1"),
      headers: { "content-type": "application/json" },
    });
    tally.requests++;
    expect(unknownKeys.status).toBe(400);
    expect(JSON.stringify(unknownKeys.body).length).toBeLessThan(MAX_REFUSAL_BYTES);
    const manyWrong = await server.request<Problem>("POST", "/api/v1/emails", {
      token: tokens.admin,
      body: {
        internetMessageId: "<wide@mail.example>",
        from: { address: "anna@customer.example" },
        sentAt: "2026-11-20T10:00:00Z",
        to: new Array(500).fill({ address: 1, extra: "x".repeat(500) }),
      },
    });
    tally.requests++;
    expect(manyWrong.status).toBe(400);
    expect(manyWrong.body.errors?.length).toBeLessThanOrEqual(50);
  });

  it("is still healthy, and no prototype was polluted", async () => {
    const health = await server.request("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok", store: kind });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const me = await server.request("GET", "/api/v1/me", { token: tokens.admin });
    expect(me.status).toBe(200);
  });
});
