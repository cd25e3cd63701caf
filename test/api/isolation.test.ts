import { type RouteContract, routes } from "../../src/shared/routes";
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
  user: string;
  blocked: string;
}

/** One of everything, the same shapes in each organisation. */
async function seed(server: TestServer, token: string, domain: string): Promise<Records> {
  const post = async (path: string, body: unknown) => {
    const response = await server.request<Record<string, unknown>>("POST", path, { token, body });
    expect(response.status).toBeLessThan(300);
    return response.body;
  };
  const { pipelines } = parse(PipelineList, await server.request("GET", "/api/v1/pipelines", { token }));
  const company = (
    await post("/api/v1/companies", { name: `Customer of ${domain}`, domain: `customer-${domain}` })
  ).id as string;
  const contact = (
    await post("/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: [`anna@customer-${domain}`],
      companyId: company,
    })
  ).id as string;
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
  const logged = await post("/api/v1/emails", {
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
  return {
    company,
    contact,
    deal,
    task,
    note,
    email,
    stage: pipelines[0]?.stages[1]?.id as string,
    user,
    blocked,
  };
}

/** Routes that name no record and act on the caller's own organisation (or the caller's own settings). */
const ORGANISATION_WIDE = new Set(["updateLoggingPolicy", "updateMySettings", "addBlocklistEntry"]);

/** For each route: requests from the intruder that name the victim's ids in the path, the query and the body. */
function attacks(
  name: string,
  route: RouteContract,
  victim: Records,
  own: Records,
): { path: string; body?: unknown }[] {
  const resource = /\/api\/v1\/(contacts|companies|deals|tasks|notes|emails|blocklist)/.exec(route.path)?.[1];
  const idFor: Record<string, string> = {
    contacts: victim.contact,
    companies: victim.company,
    deals: victim.deal,
    tasks: victim.task,
    notes: victim.note,
    emails: victim.email,
    blocklist: victim.blocked,
  };
  const path = route.path
    .replace(":id", resource ? (idFor[resource] as string) : "")
    .replace(":userId", victim.user);
  const bodies: Record<string, unknown[]> = {
    logEmail: [
      {
        internetMessageId: "<x@y.example>",
        from: { address: "a@b.example" },
        sentAt: "2026-11-20T10:00:00Z",
        dealId: victim.deal,
      },
    ],
    createContact: [{ displayName: "X", companyId: victim.company }],
    updateContact: [{ displayName: "Hijacked", version: 1 }],
    createCompany: [{ name: "X", ownerId: victim.contact }],
    updateCompany: [{ name: "Hijacked", version: 1 }],
    createDeal: [
      { name: "X", companyId: victim.company },
      { name: "Y", contactIds: [victim.contact] },
      { name: "Z", stageId: victim.stage },
    ],
    updateDeal: [{ name: "Hijacked", version: 1 }],
    moveDealToStage: [{ stageId: own.stage, version: 1 }],
    createTask: [
      { title: "X", dueAt: null, contactId: victim.contact },
      { title: "Y", dueAt: null, dealId: victim.deal },
    ],
    updateTask: [{ title: "Hijacked", version: 1 }],
    createNote: [
      { kind: "note", contactId: victim.contact, body: "x" },
      { kind: "note", contactId: own.contact, body: "y", dealId: victim.deal },
    ],
    updateNote: [{ body: "Hijacked", version: 1 }],
    // Names no record: it can only ever change the caller's own organisation (the snapshot checks the victim's).
    updateLoggingPolicy: [{ logOnSendToKnownContacts: true }],
    updateMailbox: [{ enabled: false }],
    updateMySettings: [{ syncOptedOut: true, autoLogOpened: true }],
    addBlocklistEntry: [
      { scope: "organization", entry: `@customer-contoso.example` },
      { scope: "personal", entry: `@secret-contoso.example` },
    ],
  };
  const attacksOnOwn: Record<string, { path: string; body: unknown }[]> = {
    // The intruder's own records pointed at the victim's.
    moveDealToStage: [
      { path: route.path.replace(":id", own.deal), body: { stageId: victim.stage, version: 1 } },
    ],
    updateContact: [
      { path: route.path.replace(":id", own.contact), body: { companyId: victim.company, version: 1 } },
    ],
    updateDeal: [
      { path: route.path.replace(":id", own.deal), body: { contactIds: [victim.contact], version: 1 } },
    ],
    updateTask: [
      { path: route.path.replace(":id", own.task), body: { contactId: victim.contact, version: 1 } },
    ],
    updateNote: [{ path: route.path.replace(":id", own.note), body: { dealId: victim.deal, version: 1 } }],
  };
  if (route.body && !bodies[name])
    throw new Error(`isolation sweep: no attack body for route ${name}; add one`);
  const queries: Record<string, string[]> = {
    listTasks: [`?contactId=${victim.contact}`, `?dealId=${victim.deal}`],
    listNotes: [`?contactId=${victim.contact}`, `?dealId=${victim.deal}`],
    lookupPeople: ["?email=anna@customer-contoso.example"],
    listBlocklist: ["?scope=organization", "?scope=personal"],
  };
  const list = [
    ...(route.body
      ? (bodies[name] ?? []).map((body) => ({ path, body }))
      : (queries[name] ?? [""]).map((q) => ({ path: `${path}${q}` }))),
    ...(attacksOnOwn[name] ?? []),
  ];
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
    victim = await seed(server, victimToken, "contoso.example");
    own = await seed(server, intruderToken, "evil.example");
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
      "/api/v1/pipelines",
      "/api/v1/mailboxes",
      "/api/v1/me/settings",
      "/api/v1/blocklist?scope=organization",
      "/api/v1/blocklist?scope=personal",
    ];
    return Promise.all(paths.map(async (p) => (await server.request("GET", p, { token: victimToken })).body));
  };

  it("never lets one organisation's token read or change another's records, on any route of the contract", async () => {
    const before = await snapshot();
    const victimIds = Object.values(victim);
    let requests = 0;
    for (const [name, route] of Object.entries(routes) as [string, RouteContract][]) {
      if (route.public) continue;
      for (const attack of attacks(name, route, victim, own)) {
        requests++;
        const response = await server.request(route.method, attack.path, {
          token: intruderToken,
          body: attack.body,
        });
        const text = JSON.stringify(response.body);
        const leaked = victimIds.filter((id) => text.includes(id) && !JSON.stringify(attack).includes(id));
        const label = `${name} ${route.method} ${attack.path} ${JSON.stringify(attack.body ?? "")} → ${response.status} ${text.slice(0, 300)}`;
        if (ORGANISATION_WIDE.has(name)) {
          // Acts on the caller's own organisation only: allowed or refused, never about the victim.
          expect([label, [200, 201, 403].includes(response.status)]).toEqual([label, true]);
        } else if (route.path.includes(":id") || route.body) {
          // Naming a foreign id must look exactly like naming one that does not exist.
          expect([label, response.status]).toEqual([label, 404]);
        } else {
          expect([label, response.status < 500]).toEqual([label, true]);
        }
        expect([label, leaked]).toEqual([label, []]);
      }
    }
    expect(requests).toBeGreaterThan(40);
    expect(await snapshot()).toEqual(before);
  });
});
