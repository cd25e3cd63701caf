import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { PipelineList } from "../../src/shared/pipelines";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

interface Records {
  company: string;
  contact: string;
  deal: string;
  task: string;
  note: string;
  email: string;
  stage: string;
  pipeline: string;
  user: string;
  blocked: string;
  rapportKey: string;
  address: string;
  field: string;
  tag: string;
  /** A currency the organisation has an exchange rate for (and the other has not). */
  currency: string;
  template: string;
  webForm: string;
  occasionRule: string;
  /** Rapport's own accounts: an invitation, a signed-in newcomer's session, and a passkey of theirs. */
  invitation: string;
  session: string;
  passkey: string;
  product: string;
  /** A webhook endpoint, and a delivery of the contact's creation to it. */
  webhook: string;
  webhookDelivery: string;
  quote: string;
  /** A segment of the contact's tag, company and owner, evaluated once (its members and changes). */
  segment: string;
}

/** One of everything, the same shapes in each organisation. */
async function seed(server: TestServer, token: string, domain: string, currency: string): Promise<Records> {
  const post = async (path: string, body: unknown) => {
    const response = await server.request<Record<string, unknown>>("POST", path, { token, body });
    expect(response.status).toBeLessThan(300);
    return response.body;
  };
  const { pipelines } = parse(PipelineList, await server.request("GET", "/api/v1/pipelines", { token }));
  // A public address (this server allows no private one); nothing delivers here, so the delivery stays pending.
  const webhook = (
    (await post("/api/v1/webhooks", {
      url: `https://93.184.215.14/${domain}`,
      events: ["contact.created"],
    })) as {
      endpoint: { id: string };
    }
  ).endpoint.id;
  const company = (
    await post("/api/v1/companies", { name: `Customer of ${domain}`, domain: `customer-${domain}` })
  ).id as string;
  const field = (
    await post("/api/v1/custom-fields", { entity: "contact", key: "segment", label: "Segment", type: "text" })
  ).id as string;
  const tag = `tag-${domain}`;
  const contact = (
    await post("/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: [`anna@customer-${domain}`],
      companyId: company,
      tags: [tag],
      customFields: { segment: `segment of ${domain}` },
    })
  ).id as string;
  const segment = (
    await post("/api/v1/segments", {
      name: `Segment of ${domain}`,
      filter: {
        conditions: [
          { field: "tags", match: "any", values: [tag] },
          { field: "company", values: [company] },
          { field: "customField", key: "segment", op: "isSet" },
        ],
      },
    })
  ).id as string;
  const members = await server.request<{ items: unknown[] }>("GET", `/api/v1/segments/${segment}/members`, {
    token,
  });
  expect(members.body.items).toHaveLength(1);
  const deal = (await post("/api/v1/deals", { name: "Renewal", contactIds: [contact], companyId: company }))
    .id as string;
  const task = (
    await post("/api/v1/tasks", {
      title: "Call back",
      dueAt: "2026-12-01T09:00:00Z",
      contactId: contact,
      dealId: deal,
    })
  ).id as string;
  const note = (
    await post("/api/v1/notes", { kind: "note", contactId: contact, body: "secret note", dealId: deal })
  ).id as string;
  const rapportKey = randomUUID();
  const logged = await post("/api/v1/emails", {
    rapportKey,
    internetMessageId: `<iso-${domain}@mail.example>`,
    subject: "Confidential",
    from: { address: `anna@customer-${domain}` },
    to: [{ address: `rep@${domain}` }],
    sentAt: "2026-11-20T10:00:00Z",
  });
  const email = (logged.interaction as { id: string }).id;
  const user = (await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token })).body.user.id;
  const blocked = (await post("/api/v1/blocklist", { scope: "personal", entry: `@secret-${domain}` }))
    .id as string;
  await post("/api/v1/blocklist", { scope: "organization", entry: `@blocked-${domain}` });
  await server.request("PATCH", `/api/v1/mailboxes/${user}`, { token, body: { enabled: true } });
  await post("/api/v1/currencies/rates", { currency, rate: "0.0123", baseCurrency: "EUR" });
  const template = (
    await post("/api/v1/templates", {
      name: `Offer of ${domain}`,
      scope: "organization",
      variants: { en: { subject: `Secret offer of ${domain}`, html: "<p>{{contact.custom.segment}}</p>" } },
    })
  ).id as string;
  await post("/api/v1/emails", {
    internetMessageId: `<iso-template-${domain}@mail.example>`,
    from: { address: `rep@${domain}` },
    to: [{ address: `anna@customer-${domain}` }],
    sentAt: "2026-11-21T10:00:00Z",
    templateId: template,
  });
  const occasionRule = (
    await post("/api/v1/occasion-rules", {
      scope: "organization",
      name: `Birthdays of ${domain}`,
      kind: "birthday",
      templateId: template,
    })
  ).id as string;
  const webForm = (
    await post("/api/v1/web-forms", {
      name: `Form of ${domain}`,
      title: null,
      fields: [{ target: "contact.email", label: "Email", required: true }],
      consentText: `Consent of ${domain}`,
      afterSubmit: { kind: "message", message: `Thanks from ${domain}` },
      owner: { kind: "user", userId: user },
      allowedOrigins: [`https://www.${domain}`],
    })
  ).id as string;
  // A product of the catalogue on the deal's lines.
  const product = (
    await post("/api/v1/products", {
      name: `Secret product of ${domain}`,
      code: `CODE-${domain}`,
      prices: [{ currency: "EUR", amount: "100" }],
      taxRate: "25",
    })
  ).id as string;
  const dealVersion = (await server.request<{ version: number }>("GET", `/api/v1/deals/${deal}`, { token }))
    .body.version;
  const lines = await server.request("PUT", `/api/v1/deals/${deal}/lines`, {
    token,
    body: { currency: "EUR", version: dealVersion, lines: [{ productId: product, quantity: "2" }] },
  });
  expect(lines.status).toBe(200);
  // The organisation's quote template and a quote of the deal (its PDF and the counter's row).
  const quoteTemplate = await server.request("PUT", "/api/v1/quote-template", {
    token,
    body: {
      companyName: `Seller of ${domain}`,
      address: `Secret street of ${domain}`,
      vatNumber: "",
      contact: "",
      validityDays: 30,
      language: "en",
      terms: { en: `Secret terms of ${domain}` },
      version: 0,
    },
  });
  expect(quoteTemplate.status).toBe(200);
  const quote = (await post(`/api/v1/deals/${deal}/quotes`, {})).id as string;
  // A survey link's answer, its comment the organisation's secret: the link key and a ratings row.
  const link = (await post(`/api/v1/contacts/${contact}/rating-links`, { kind: "nps" })) as { url: string };
  const answered = await server.request("POST", new URL(link.url).pathname, {
    raw: `score=9&comment=${encodeURIComponent(`Secret praise of ${domain}`)}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(answered.status).toBe(200);
  // Rapport's own accounts: an invitation to someone, and a newcomer who accepted one (a session, a passkey).
  const invitation = (
    (await post("/api/v1/invitations", { email: `someone@${domain}` })) as { invitation: { id: string } }
  ).invitation.id;
  const invited = (await post("/api/v1/invitations", { email: `newcomer@${domain}` })) as { link: string };
  const accepted = await server.request<{ accessToken: string }>("POST", "/api/v1/invitations/accept", {
    body: {
      token: new URL(invited.link).hash.slice("#token=".length),
      password: `a passphrase for ${domain}`,
    },
  });
  expect(accepted.status).toBe(200);
  const sessions = await server.request<{ items: { id: string }[] }>("GET", "/api/v1/account/sessions", {
    token: accepted.body.accessToken,
  });
  const session = sessions.body.items[0]?.id as string;
  const newcomer = await server.request<{ user: { id: string }; organization: { id: string } }>(
    "GET",
    "/api/v1/me",
    { token: accepted.body.accessToken },
  );
  // A passkey as a registration leaves it (test/api/passkeys.test.ts registers one for real).
  const { id: passkey } = await server.database.db
    .insertInto("passkeys")
    .values({
      org_id: newcomer.body.organization.id,
      user_id: newcomer.body.user.id,
      credential_id: `credential-of-${domain}`,
      public_key: Buffer.from([1, 2, 3]),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const webhookDelivery = (
    await server.request<{ items: { id: string }[] }>("GET", `/api/v1/webhooks/${webhook}/deliveries`, {
      token,
    })
  ).body.items[0]?.id as string;
  return {
    product,
    webhook,
    webhookDelivery,
    quote,
    segment,
    occasionRule,
    invitation,
    session,
    passkey,
    webForm,
    company,
    contact,
    deal,
    task,
    note,
    email,
    stage: pipelines[0]?.stages[1]?.id as string,
    pipeline: pipelines[0]?.id as string,
    user,
    blocked,
    rapportKey,
    address: `anna@customer-${domain}`,
    field,
    tag,
    currency,
    template,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The sweep is generated from the OpenAPI document the server publishes: every operation, every id it takes in
// its path, its query or its body (nested ones included). A new route, or a new id field, is covered without
// anyone remembering to; one whose ids the sweep cannot place fails it, with what to add.

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

/** The record an `{id}` in a path names, by the collection before it. */
const COLLECTIONS: Record<string, keyof Records> = {
  contacts: "contact",
  companies: "company",
  deals: "deal",
  tasks: "task",
  notes: "note",
  emails: "email",
  blocklist: "blocked",
  pipelines: "pipeline",
  "custom-fields": "field",
  users: "user",
  templates: "template",
  "web-forms": "webForm",
  "occasion-rules": "occasionRule",
  invitations: "invitation",
  sessions: "session",
  passkeys: "passkey",
  products: "product",
  webhooks: "webhook",
  quotes: "quote",
  segments: "segment",
  // A meeting is an interaction, as a note is: a client id that is another organisation's note must stay theirs.
  meetings: "note",
  // /interactions/:id/links: any kind of interaction; the sweep's email is one.
  interactions: "email",
};
/** The record an id field or parameter names, by its name. */
const REFERENCES: Record<string, keyof Records> = {
  contactId: "contact",
  contactIds: "contact",
  companyId: "company",
  dealId: "deal",
  stageId: "stage",
  pipelineId: "pipeline",
  ownerId: "user",
  assigneeId: "user",
  userId: "user",
  userIds: "user",
  formId: "webForm",
  rapportKey: "rapportKey",
  email: "address",
  pipelineIds: "pipeline",
  stageIds: "stage",
  moveDealsTo: "stage",
  tag: "tag",
  currency: "currency",
  templateId: "template",
  productId: "product",
  deliveryId: "webhookDelivery",
  segmentId: "segment",
  // A merge's other record and a dismissed pair: the victim's contacts (for the companies' routes too, a record
  // the intruder cannot reach all the same).
  mergedId: "contact",
  ids: "contact",
};
/** Ids the client chooses (an idempotent create's id, the on-send key): another organisation's may be refused
 * or kept apart, never joined to its record. */
const CLIENT_KEYS = new Set(["id", "rapportKey"]);
/**
 * References that only annotate what they come with: the template a logged email was written from is counted
 * where the logger sees it, and the email is logged all the same where not (deleted since, or another's). */
const ANNOTATIONS = new Set(["templateId"]);
/** Strings whose shape the schema does not say. */
const EXAMPLES: Record<string, (n: number) => string> = {
  address: () => "someone@sweep.example",
  entry: () => "@sweep.example",
  internetMessageId: (n) => `<sweep-${n}@sweep.example>`,
  currency: () => "SEK",
  baseCurrency: () => "EUR",
  rate: () => "0.0871",
  key: (n) => `sweep_${n}`,
  amount: () => "100.00",
  quantity: () => "1",
  taxRate: () => "25",
  discountPercent: () => "0",
  unitPrice: () => "10.00",
  code: (n) => `SWEEP-${n}`,
};

/** Without its null; of alternatives (a discriminated union), the first, as the body's sample takes it. */
const withoutNull = (schema: Schema): Schema =>
  schema.anyOf
    ? withoutNull(schema.anyOf.find((s) => !s.enum?.includes(null)) ?? schema)
    : schema.oneOf?.[0]
      ? withoutNull(schema.oneOf[0])
      : schema;

const isId = (schema: Schema) => {
  const s = withoutNull(schema);
  return s.type === "string" && s.format === "uuid";
};

function recordFor(name: string, collection: string | undefined, where: string): keyof Records {
  const kind = name === "id" && collection ? COLLECTIONS[collection] : REFERENCES[name];
  if (!kind)
    throw new Error(
      `isolation sweep: ${where} takes an id "${name}" the sweep cannot place; map it in REFERENCES`,
    );
  return kind;
}

/** A valid value for the schema: the fields it needs, ids of `ids`' organisation. */
function sample(
  schema: Schema,
  name: string,
  ids: Records,
  collection: string | undefined,
  n: number,
): unknown {
  if (schema.$ref) throw new Error(`isolation sweep: follow $ref ${schema.$ref}`);
  const s = withoutNull(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case "object":
      return Object.fromEntries(
        Object.keys(s.properties ?? {})
          .filter(
            // What the schema requires, plus what a refinement or a precondition does (the version, a message id).
            (key) => s.required?.includes(key) || key === "version" || key in EXAMPLES,
          )
          .map((key) => [key, sample((s.properties ?? {})[key] as Schema, key, ids, collection, n)]),
      );
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items ?? {}, name, ids, collection, n));
    case "string":
      if (s.format === "uuid")
        return CLIENT_KEYS.has(name) ? randomUUID() : ids[recordFor(name, collection, "a body")];
      if (s.format === "date-time") return "2026-11-20T10:00:00Z";
      if (s.format === "date") return "2026-12-01";
      return EXAMPLES[name]?.(n) ?? "Sweep".padEnd(s.minLength ?? 0, "x");
    case "integer":
    case "number":
      return Math.max(1, s.minimum ?? 1);
    case "boolean":
      return false;
  }
  throw new Error(`isolation sweep: cannot sample ${JSON.stringify(schema).slice(0, 200)}`);
}

/**
 * An id field of a body schema: its path of keys and whether it is a list of ids. One inside a list of objects
 * (a batch's records) is `item`: the list is sent with one valid record whose field is the id.
 */
interface IdField {
  at: string[];
  list: boolean;
  item?: { schema: Schema; field: IdField };
}

/** Every id field of a body schema, nested objects and lists of objects included. */
function idFields(schema: Schema, at: string[] = []): IdField[] {
  const s = withoutNull(schema);
  if (s.type === "object")
    return Object.entries(s.properties ?? {}).flatMap(([key, property]) => idFields(property, [...at, key]));
  if (s.type === "array" && s.items) {
    if (isId(s.items)) return [{ at, list: true }];
    const items = s.items;
    return idFields(items).map((field) => ({ at, list: false, item: { schema: items, field } }));
  }
  return isId(s) ? [{ at, list: false }] : [];
}

function setAt(body: Record<string, unknown>, at: string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = at as [string, ...string[]];
  if (rest.length === 0) return { ...body, [key]: value };
  return { ...body, [key]: setAt((body[key] as Record<string, unknown> | undefined) ?? {}, rest, value) };
}

/** `as_unknown`: the answer must be the one a never-used id gets. `kept_apart`: anything but a leak or a 5xx. */
type Expect = { as_unknown: string } | "kept_apart";
interface Attack {
  operation: string;
  method: string;
  path: string;
  body?: unknown;
  expect: Expect;
}

/** For one operation: requests from the intruder that name the victim's ids in the path, the query and the body. */
function attacksOn(
  template: string,
  method: string,
  operation: Operation,
  victim: Records,
  own: Records,
  n: () => number,
): Attack[] {
  const parameters = operation.parameters ?? [];
  // The collection an `{id}` belongs to is the segment before it (/account/sessions/{id}), else the first one.
  const collection = (/\/([a-z-]+)\/\{id\}/.exec(template) ?? /\/api\/v1\/([a-z-]+)/.exec(template))?.[1];
  const where = `${method.toUpperCase()} ${template}`;
  const fill = (ids: Records) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => ids[recordFor(name, collection, where)]);
  const queryParams = parameters.filter((p) => p.in === "query");
  const baseQuery = (): Record<string, string> =>
    Object.fromEntries(
      queryParams
        .filter((p) => p.required)
        .map((p) => [p.name, String(sample(p.schema, p.name, own, collection, n()))]),
    );
  const bodySchema = operation.requestBody?.content["application/json"].schema;
  const baseBody = () =>
    bodySchema ? (sample(bodySchema, "", own, collection, n()) as Record<string, unknown>) : undefined;
  const at = (path: string, query: Record<string, string>) => {
    const q = new URLSearchParams(query).toString();
    return q ? `${path}?${q}` : path;
  };
  const base = { operation: operation.operationId, method: method.toUpperCase() };
  const list: Attack[] = [];
  if (parameters.some((p) => p.in === "path"))
    for (const p of parameters.filter((p) => p.in === "path"))
      list.push({
        ...base,
        path: at(
          fill(own).replace(
            own[recordFor(p.name, collection, where)],
            victim[recordFor(p.name, collection, where)],
          ),
          baseQuery(),
        ),
        body: baseBody(),
        expect: { as_unknown: victim[recordFor(p.name, collection, where)] },
      });
  for (const p of queryParams) {
    const s = withoutNull(p.schema);
    if (isId(p.schema) || (p.name in REFERENCES && !s.enum)) {
      const value = victim[recordFor(p.name, collection, where)];
      list.push({
        ...base,
        path: at(fill(own), { ...baseQuery(), [p.name]: value }),
        body: baseBody(),
        expect: isId(p.schema) ? { as_unknown: value } : "kept_apart",
      });
    }
    for (const value of s.enum ?? [])
      list.push({
        ...base,
        path: at(fill(own), { ...baseQuery(), [p.name]: String(value) }),
        body: baseBody(),
        expect: "kept_apart",
      });
  }
  for (const outer of bodySchema ? idFields(bodySchema) : []) {
    const field = outer.item?.field ?? outer;
    const name = field.at[field.at.length - 1] as string;
    const key = CLIENT_KEYS.has(name);
    const id =
      victim[key && name === "id" ? recordFor("id", collection, where) : recordFor(name, collection, where)];
    const value = field.list ? [id] : id;
    // A record of a list: one valid record of the caller's, with the victim's id in its field.
    const item = outer.item
      ? [
          setAt(
            sample(outer.item.schema, "", own, collection, n()) as Record<string, unknown>,
            field.at,
            value,
          ),
        ]
      : undefined;
    list.push({
      ...base,
      path: at(fill(own), baseQuery()),
      body: setAt(baseBody() ?? {}, outer.at, item ?? value),
      expect: key || ANNOTATIONS.has(name) ? "kept_apart" : { as_unknown: id },
    });
  }
  // Names nothing of anyone's: it can only ever act on the caller's own organisation.
  if (list.length === 0)
    list.push({ ...base, path: at(fill(own), baseQuery()), body: baseBody(), expect: "kept_apart" });
  return list;
}

describe.each(storeKinds)("isolation between organisations (%s)", (kind) => {
  let server: TestServer;
  let victimToken: string;
  let intruderToken: string;
  let victim: Records;
  let own: Records;

  beforeAll(async () => {
    server = await startTestServer(kind);
    victimToken = await server.token("rep@contoso.example");
    intruderToken = await server.token("rep@evil.example");
    victim = await seed(server, victimToken, "contoso.example", "ISK");
    own = await seed(server, intruderToken, "evil.example", "NOK");
  });
  afterAll(() => server.close());

  const snapshot = async () => {
    const paths = [
      `/api/v1/contacts/${victim.contact}`,
      `/api/v1/companies/${victim.company}`,
      `/api/v1/deals/${victim.deal}`,
      `/api/v1/tasks/${victim.task}`,
      `/api/v1/notes/${victim.note}`,
      // The victim's organisation, its logging policy included.
      "/api/v1/me",
      `/api/v1/emails/${victim.email}`,
      `/api/v1/contacts/${victim.contact}/timeline`,
      "/api/v1/contacts",
      "/api/v1/companies",
      "/api/v1/deals",
      "/api/v1/tasks",
      "/api/v1/notes",
      "/api/v1/pipelines",
      "/api/v1/mailboxes",
      "/api/v1/me/settings",
      "/api/v1/blocklist?scope=organization",
      "/api/v1/blocklist?scope=personal",
      `/api/v1/pipelines/${victim.pipeline}`,
      "/api/v1/custom-fields",
      "/api/v1/tags",
      "/api/v1/organization",
      "/api/v1/users",
      "/api/v1/currencies",
      "/api/v1/reports/pipeline-by-stage",
      "/api/v1/reports/won-lost-by-month",
      "/api/v1/reports/stage-conversion",
      "/api/v1/reports/activity-by-rep",
      "/api/v1/web-forms",
      `/api/v1/web-forms/${victim.webForm}`,
      "/api/v1/leads",
      "/api/v1/occasion-rules",
      `/api/v1/occasion-rules/${victim.occasionRule}`,
      "/api/v1/occasion-mails?day=2026-06-15",
      "/api/v1/products",
      `/api/v1/products/${victim.product}`,
      `/api/v1/deals/${victim.deal}/lines`,
      "/api/v1/webhooks",
      `/api/v1/webhooks/${victim.webhook}/deliveries`,
      `/api/v1/deals/${victim.deal}/quotes`,
      "/api/v1/quote-template",
      "/api/v1/segments",
      `/api/v1/segments/${victim.segment}`,
      `/api/v1/segments/${victim.segment}/members`,
      `/api/v1/segments/${victim.segment}/changes`,
      `/api/v1/contacts/${victim.contact}/ratings`,
      `/api/v1/companies/${victim.company}/ratings`,
      "/api/v1/reports/ratings",
      "/api/v1/duplicates/contacts",
      "/api/v1/duplicates/companies",
    ];
    return Promise.all(paths.map(async (p) => (await server.request("GET", p, { token: victimToken })).body));
  };

  /**
   * The intruder's request. A workbook comes back as its cells' text: its bytes are compressed (a leak would not
   * show in them) and carry the second it was written (twins written a second apart would differ).
   */
  const ask = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${intruderToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.headers.get("content-type")?.includes("spreadsheetml")) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const cells = workbook.worksheets.flatMap((sheet) =>
        sheet.getSheetValues().map((row) => (Array.isArray(row) ? row.map(String) : [])),
      );
      return { status: response.status, body: cells as unknown };
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text (CSV, vCard)
    }
    return { status: response.status, body: parsed };
  };

  it("never lets one organisation's token read or change another's records, on any operation of the OpenAPI document", async () => {
    const document = (await server.request<OpenApi>("GET", "/api/v1/openapi.json")).body;
    const before = await snapshot();
    const victimValues = Object.values(victim);
    let counter = 0;
    let twins = 0;
    const covered = new Map<string, number>();
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security?.length === 0) continue; // public: no organisation to cross
        covered.set(operation.operationId, 0);
        for (const attack of attacksOn(template, method, operation, victim, own, () => counter++)) {
          covered.set(operation.operationId, (covered.get(operation.operationId) ?? 0) + 1);
          const response = await ask(attack.method, attack.path, attack.body);
          // An empty answer (no vCards to export) has no body at all, and leaks nothing.
          const text = JSON.stringify(response.body) ?? "";
          const sent = JSON.stringify([decodeURIComponent(attack.path), attack.body]);
          const leaked = victimValues.filter((v) => text.includes(v) && !sent.includes(v));
          const label = `${attack.operation} ${attack.method} ${attack.path} ${JSON.stringify(attack.body ?? "")} → ${response.status} ${text.slice(0, 300)}`;
          if (attack.expect === "kept_apart") expect([label, response.status < 500]).toEqual([label, true]);
          else {
            // Naming a foreign id must look exactly like naming one that does not exist.
            const foreign = attack.expect.as_unknown;
            const unknown = randomUUID();
            twins++;
            const twin = await ask(
              attack.method,
              attack.path.replace(foreign, unknown),
              attack.body === undefined
                ? undefined
                : JSON.parse(JSON.stringify(attack.body).replace(foreign, unknown)),
            );
            const codeOf = (body: unknown) => (body as { code?: string } | undefined)?.code;
            expect([label, response.status, codeOf(response.body)]).toEqual([
              label,
              twin.status,
              codeOf(twin.body),
            ]);
            expect([label, response.status]).not.toEqual([label, 500]);
            if (response.status < 300)
              expect([label, JSON.stringify(response.body)]).toEqual([label, JSON.stringify(twin.body)]);
          }
          expect([label, leaked]).toEqual([label, []]);
        }
      }
    }
    const requests = [...covered.values()].reduce((a, b) => a + b, 0);
    console.log(
      `isolation sweep (${kind}): ${requests} requests over ${covered.size} operations, ${twins} of them also sent with a never-used id`,
    );
    expect([...covered].filter(([, count]) => count === 0)).toEqual([]);
    expect(covered.size).toBeGreaterThanOrEqual(40);
    expect(await snapshot()).toEqual(before);
  });
});
