import { Contact } from "../../src/shared/contacts";
import { DealWithStage } from "../../src/shared/deals";
import { OccasionMailList, OccasionRule, OccasionRuleList } from "../../src/shared/occasions";
import { PipelineList } from "../../src/shared/pipelines";
import { Template } from "../../src/shared/templates";
import type { SyncConfig } from "../../src/server/config";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID } from "../../src/server/sync/mail-graph";
import { OCCASION_PROPERTY_ID, createMailDrafts } from "../../src/server/occasions/mail-drafts";
import { type OccasionWorker, createOccasionWorker } from "../../src/server/occasions/worker";
import { GraphTestServer } from "../helpers/graph-server";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { trustingFetch } from "../helpers/trusting-fetch";

const TENANT = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const RITA = "rita@occ.example";
const SAM = "sam@occ.example";

describe.each(storeKinds)("occasion mails through Microsoft Graph (%s)", (kind) => {
  let server: TestServer;
  let graph: GraphTestServer;
  let rita: string;
  let sam: string;
  const workers: OccasionWorker[] = [];
  let now = new Date("2026-06-15T03:00:00Z");
  let birthdayTemplate: Template;
  let companyTemplate: Template;
  let birthdays: OccasionRule;

  const syncConfig = (): NonNullable<SyncConfig["graph"]> => ({
    clientId: graph.clientId,
    credential: { kind: "secret", secret: graph.secret },
    tenantId: TENANT,
    authority: graph.url,
    graphUrl: graph.url,
  });
  /** A server's occasion worker: each its own id and token cache, as two processes would have. */
  const newWorker = () => {
    const g = syncConfig();
    const worker = createOccasionWorker({
      database: server.database,
      drafts: createMailDrafts({ graphUrl: g.graphUrl, tokens: clientCredentialTokens(g) }),
      config: { intervalSeconds: 60, morningHour: 7, leaseSeconds: 60, tenantId: TENANT },
      clock: () => now,
    });
    workers.push(worker);
    return worker;
  };

  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    server = await startTestServer(kind, { clock: () => now });
    // The first user of an organisation is its admin.
    rita = await server.issuer.sign({ email: RITA, org: "occ.example", name: "Rita Rep" });
    sam = await server.issuer.sign({ email: SAM, org: "occ.example", name: "Sam Seller" });
    for (const token of [rita, sam]) await server.request("GET", "/api/v1/me", { token });
    graph.addMailbox(TENANT, RITA);
    graph.addMailbox(TENANT, SAM);
    // Rita's mornings are Stockholm's; Sam has no zone (UTC).
    expect((await call(rita, "PATCH", "/api/v1/me/settings", { timeZone: "Europe/Stockholm" })).status).toBe(
      200,
    );
    birthdayTemplate = await template(rita, {
      name: "Birthday",
      scope: "organization",
      variants: {
        en: {
          subject: "Happy birthday, {{contact.firstName}}",
          html: "<p>Happy birthday, {{contact.firstName}}!</p>",
        },
        sv: {
          subject: "Grattis, {{contact.firstName}}",
          html: "<p>Grattis på födelsedagen, {{contact.firstName}}!</p>",
        },
      },
    });
    companyTemplate = await template(rita, {
      name: "Company greeting",
      scope: "organization",
      variants: {
        en: { subject: "From us to {{company.name}}", html: "<p>Greetings to {{company.name}}</p>" },
      },
    });
  }, 120_000);
  afterAll(async () => {
    globalThis.fetch = realFetch;
    for (const worker of workers) await worker.stop();
    await server.close();
    await graph.close();
  });

  const call = (token: string, method: string, path: string, body?: unknown) =>
    server.request(method, path, { token, body });
  async function template(token: string, body: Record<string, unknown>) {
    const response = await call(token, "POST", "/api/v1/templates", body);
    expect(response.status).toBe(201);
    return parse(Template, response);
  }
  const contact = async (token: string, body: Record<string, unknown>) => {
    const response = await call(token, "POST", "/api/v1/contacts", body);
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    return parse(Contact, response);
  };
  const rule = async (token: string, body: Record<string, unknown>) => {
    const response = await call(token, "POST", "/api/v1/occasion-rules", body);
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    return parse(OccasionRule, response);
  };
  const mailsOf = async (token: string, day?: string) =>
    parse(OccasionMailList, await call(token, "GET", `/api/v1/occasion-mails${day ? `?day=${day}` : ""}`));
  const writtenTo = (user: string, address: string) =>
    graph.writtenTo(TENANT, user).filter((m) => m.to.includes(address));

  it("refuses birthdays that do not exist, and keeps 29 February", async () => {
    for (const birthday of [
      { day: 30, month: 2 },
      { day: 31, month: 4 },
      { day: 29, month: 2, year: 2023 },
      { day: 0, month: 1 },
      { day: 1, month: 13 },
    ]) {
      const response = await call(rita, "POST", "/api/v1/contacts", { displayName: "Nobody", birthday });
      expect([response.status, JSON.stringify(birthday)]).toEqual([400, JSON.stringify(birthday)]);
    }
    const leap = await contact(rita, {
      displayName: "Lea Leap",
      birthday: { day: 29, month: 2, year: 2024 },
    });
    expect(leap.birthday).toEqual({ day: 29, month: 2, year: 2024 });
    expect(leap.noAutomatedMail).toBe(false);
    await call(rita, "DELETE", `/api/v1/contacts/${leap.id}`);
  });

  it("drafts a birthday mail in the rep's mailbox on the morning of the day, once however often it runs", async () => {
    const anna = await contact(rita, {
      displayName: "Anna Berg",
      firstName: "Anna",
      emails: ["anna@fabrikam.example"],
      language: "sv",
      birthday: { day: 15, month: 6, year: 1980 },
    });
    birthdays = await rule(rita, {
      scope: "organization",
      name: "Birthdays",
      kind: "birthday",
      templateId: birthdayTemplate.id,
    });
    const worker = newWorker();

    // 05:00 in Stockholm: not morning yet.
    now = new Date("2026-06-15T03:00:00Z");
    await worker.runOnce();
    expect(writtenTo(RITA, "anna@fabrikam.example")).toEqual([]);

    // 09:00 in Stockholm.
    now = new Date("2026-06-15T07:00:00Z");
    await worker.runOnce();
    await worker.runOnce();
    await newWorker().runOnce();
    const drafts = writtenTo(RITA, "anna@fabrikam.example");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ isDraft: true, sends: 0, subject: "Grattis, Anna" });
    expect(drafts[0]?.html).toContain("Grattis på födelsedagen, Anna!");
    expect(drafts[0]?.properties[OCCASION_PROPERTY_ID]).toEqual(expect.any(String));

    const today = await mailsOf(rita);
    expect(today.day).toBe("2026-06-15");
    expect(today.items).toEqual([
      expect.objectContaining({
        contactId: anna.id,
        kind: "birthday",
        occasionKey: "birthday:2026",
        state: "drafted",
        mode: "draft",
      }),
    ]);
    // Next year's birthday is another occasion.
    now = new Date("2027-06-15T07:00:00Z");
    await worker.runOnce();
    expect(writtenTo(RITA, "anna@fabrikam.example")).toHaveLength(2);
  });

  it("writes one draft when two servers prepare the same morning at once", async () => {
    await contact(rita, {
      displayName: "Bo Ek",
      firstName: "Bo",
      emails: ["bo@northwind.example"],
      birthday: { day: 2, month: 7 },
    });
    now = new Date("2026-07-02T08:00:00Z");
    const [a, b] = [newWorker(), newWorker()];
    const reports = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    expect(writtenTo(RITA, "bo@northwind.example")).toHaveLength(1);
    expect(reports.reduce((n, r) => n + r.drafted, 0)).toBe(1);
  });

  it("sends only from the mailbox of a rep who turned sending on; the others get a draft", async () => {
    // The drafting rule, older, would take these birthdays first: paused for this test.
    const paused = await call(rita, "PATCH", `/api/v1/occasion-rules/${birthdays.id}`, {
      active: false,
      version: birthdays.version,
    });
    birthdays = parse(OccasionRule, paused);
    const sending = await rule(rita, {
      scope: "organization",
      name: "Birthday wishes, sent",
      kind: "birthday",
      templateId: birthdayTemplate.id,
      mode: "send",
    });
    expect(sending.sendingFromMyMailbox).toBe(false);
    await contact(rita, {
      displayName: "Cleo Day",
      firstName: "Cleo",
      emails: ["cleo@fabrikam.example"],
      birthday: { day: 3, month: 8 },
    });
    await contact(sam, {
      displayName: "Dan Dahl",
      firstName: "Dan",
      emails: ["dan@fabrikam.example"],
      birthday: { day: 3, month: 8 },
    });
    const worker = newWorker();
    now = new Date("2026-08-03T08:00:00Z");
    await worker.runOnce();
    expect(writtenTo(RITA, "cleo@fabrikam.example")).toEqual([
      expect.objectContaining({ isDraft: true, sends: 0 }),
    ]);

    // Rita turns sending on for herself; Sam did not, and an admin cannot do it for him.
    const on = await call(rita, "POST", `/api/v1/occasion-rules/${sending.id}/sending`, { enabled: true });
    expect(parse(OccasionRule, on).sendingFromMyMailbox).toBe(true);
    expect(
      parse(OccasionRule, await call(sam, "GET", `/api/v1/occasion-rules/${sending.id}`))
        .sendingFromMyMailbox,
    ).toBe(false);
    await contact(rita, {
      displayName: "Eda Eng",
      firstName: "Eda",
      emails: ["eda@fabrikam.example"],
      birthday: { day: 4, month: 8 },
    });
    await contact(sam, {
      displayName: "Finn Fors",
      firstName: "Finn",
      emails: ["finn@fabrikam.example"],
      birthday: { day: 4, month: 8 },
    });
    now = new Date("2026-08-04T08:00:00Z");
    await worker.runOnce();
    await worker.runOnce();
    expect(writtenTo(RITA, "eda@fabrikam.example")).toEqual([
      expect.objectContaining({ isDraft: false, sends: 1 }),
    ]);
    expect(writtenTo(SAM, "finn@fabrikam.example")).toEqual([
      expect.objectContaining({ isDraft: true, sends: 0 }),
    ]);
    expect((await mailsOf(rita)).items.find((m) => m.contactName === "Eda Eng")).toMatchObject({
      state: "sent",
      mode: "send",
    });
    await call(rita, "DELETE", `/api/v1/occasion-rules/${sending.id}`);
    birthdays = parse(
      OccasionRule,
      await call(rita, "PATCH", `/api/v1/occasion-rules/${birthdays.id}`, {
        active: true,
        version: birthdays.version,
      }),
    );
  });

  it("writes nothing to a contact who wants no automated mail, a blocked address, an erased person, or a contact without an address", async () => {
    const quiet = await contact(rita, {
      displayName: "Gun Quiet",
      emails: ["gun@fabrikam.example"],
      birthday: { day: 5, month: 9 },
      noAutomatedMail: true,
    });
    const blocked = await contact(rita, {
      displayName: "Hal Blocked",
      emails: ["hal@blocked.example"],
      birthday: { day: 5, month: 9 },
    });
    const erased = await contact(rita, {
      displayName: "Ivo Gone",
      emails: ["ivo@fabrikam.example"],
      birthday: { day: 5, month: 9 },
    });
    await contact(rita, { displayName: "Jon Nomail", birthday: { day: 5, month: 9 } });
    expect(
      (await call(rita, "POST", "/api/v1/blocklist", { scope: "organization", entry: "@blocked.example" }))
        .status,
    ).toBe(201);
    expect((await call(rita, "POST", `/api/v1/contacts/${erased.id}/erase`)).status).toBe(200);
    expect(quiet.noAutomatedMail).toBe(true);
    const before = graph.writes.length;
    now = new Date("2026-09-05T08:00:00Z");
    await newWorker().runOnce();
    expect(graph.writes.length).toBe(before);
    const items = (await mailsOf(rita)).items;
    expect(items.map((m) => [m.contactName, m.state, m.reason]).sort()).toEqual([
      ["Gun Quiet", "skipped", "no_automated_mail"],
      ["Hal Blocked", "skipped", "blocked_address"],
      ["Jon Nomail", "skipped", "no_address"],
    ]);
    expect(items.some((m) => m.contactId === blocked.id)).toBe(true);
  });

  it("writes a mail whose template leaves a field unfilled as a draft with the field marked, never sends it, and lists the field", async () => {
    // A sending rule, and Sam turned sending on: the unfilled field still keeps the mail a draft.
    const own = await rule(sam, {
      name: "My greetings",
      kind: "birthday",
      templateId: companyTemplate.id,
      mode: "send",
    });
    expect(own).toMatchObject({ scope: "personal", mode: "send" });
    const on = await call(sam, "POST", `/api/v1/occasion-rules/${own.id}/sending`, { enabled: true });
    expect(parse(OccasionRule, on).sendingFromMyMailbox).toBe(true);
    // Rita does not see Sam's own rule.
    expect(
      parse(OccasionRuleList, await call(rita, "GET", "/api/v1/occasion-rules")).items.map((r) => r.id),
    ).not.toContain(own.id);
    await contact(sam, {
      displayName: "Kim Nocompany",
      firstName: "Kim",
      emails: ["kim@fabrikam.example"],
      birthday: { day: 6, month: 10 },
    });
    const before = graph.writes.length;
    now = new Date("2026-10-06T08:00:00Z");
    await newWorker().runOnce();
    const drafts = writtenTo(SAM, "kim@fabrikam.example");
    expect(drafts).toEqual([
      expect.objectContaining({ isDraft: true, sends: 0, subject: "From us to [company.name]" }),
    ]);
    expect(drafts[0]?.html).toContain('<mark data-rapport-unfilled="company.name">[company.name]</mark>');
    expect(graph.writes.slice(before).map((w) => w.kind)).toEqual(["create"]);
    // Sam's own rule wins the occasion over the organisation's.
    const held = {
      contactName: "Kim Nocompany",
      state: "held",
      mode: "draft",
      unfilled: ["company.name"],
      ruleId: own.id,
    };
    expect((await mailsOf(sam)).items).toEqual([expect.objectContaining(held)]);

    // Another run, on another server: no second draft, still no send.
    await newWorker().runOnce();
    expect(writtenTo(SAM, "kim@fabrikam.example")).toEqual([
      expect.objectContaining({ isDraft: true, sends: 0 }),
    ]);
    expect(graph.writes.slice(before).map((w) => w.kind)).toEqual(["create"]);
    expect((await mailsOf(sam)).items).toEqual([expect.objectContaining(held)]);
    await call(sam, "DELETE", `/api/v1/occasion-rules/${own.id}`);
  });

  it("writes to a won deal's contacts N days after the win and on each anniversary", async () => {
    const pipelines = parse(PipelineList, await call(rita, "GET", "/api/v1/pipelines"));
    const won = pipelines.pipelines[0]?.stages.find((s) => s.kind === "won");
    if (!won) throw new Error("no won stage");
    const lars = await contact(rita, {
      displayName: "Lars Lund",
      firstName: "Lars",
      emails: ["lars@tailspin.example"],
    });
    const created = await call(rita, "POST", "/api/v1/deals", {
      name: "Tailspin renewal",
      contactIds: [lars.id],
      openedAt: "2026-02-01T09:00:00Z",
    });
    expect(created.status).toBe(201);
    const deal = parse(DealWithStage, created);
    const moved = await call(rita, "POST", `/api/v1/deals/${deal.id}/stage`, {
      stageId: won.id,
      version: deal.version,
      movedAt: "2026-03-01T12:00:00Z",
    });
    expect([moved.status, moved.body]).toEqual([200, expect.anything()]);
    await rule(rita, {
      scope: "organization",
      name: "A month after",
      kind: "won_deal",
      timing: { afterDays: 30 },
      templateId: birthdayTemplate.id,
    });
    await rule(rita, {
      scope: "organization",
      name: "Anniversary",
      kind: "won_deal",
      timing: { yearly: true },
      templateId: birthdayTemplate.id,
    });
    const worker = newWorker();
    for (const [at, expected] of [
      ["2026-03-30T08:00:00Z", 0],
      ["2026-03-31T08:00:00Z", 1],
      ["2026-04-01T08:00:00Z", 1],
      ["2027-03-01T08:00:00Z", 2],
      ["2027-03-01T15:00:00Z", 2],
      ["2028-03-01T08:00:00Z", 3],
    ] as const) {
      now = new Date(at);
      await worker.runOnce();
      expect([at, writtenTo(RITA, "lars@tailspin.example").length]).toEqual([at, expected]);
    }
    const keys = (await mailsOf(rita, "2027-03-01")).items.map((m) => m.occasionKey);
    expect(keys).toEqual([`won:${deal.id}:1y`]);
    expect((await mailsOf(rita, "2026-03-31")).items.map((m) => m.occasionKey)).toEqual([
      `won:${deal.id}:30d`,
    ]);
  });

  it("celebrates 29 February on 28 February in a common year", async () => {
    await contact(rita, {
      displayName: "Mia Leap",
      firstName: "Mia",
      emails: ["mia@fabrikam.example"],
      birthday: { day: 29, month: 2 },
    });
    now = new Date("2027-02-28T08:00:00Z");
    await newWorker().runOnce();
    expect(writtenTo(RITA, "mia@fabrikam.example")).toHaveLength(1);
    now = new Date("2027-03-01T08:00:00Z");
    await newWorker().runOnce();
    expect(writtenTo(RITA, "mia@fabrikam.example")).toHaveLength(1);
  });

  it("a Graph failure is tried again later, after Retry-After, without a second draft or holding up other mail", async () => {
    for (const [name, address] of [
      ["Gus Gateway", "gus@fabrikam.example"],
      ["Tia Throttle", "tia@fabrikam.example"],
      ["Ola Okay", "ola@fabrikam.example"],
    ] as const)
      await contact(rita, {
        displayName: name,
        firstName: name.split(" ")[0],
        emails: [address],
        birthday: { day: 20, month: 8 },
      });
    const drafts = () => ["gus", "tia", "ola"].map((n) => writtenTo(RITA, `${n}@fabrikam.example`).length);
    const failed = (mails: Awaited<ReturnType<typeof mailsOf>>) =>
      mails.items.filter((m) => m.state === "prepared").length;
    // The first create is carried out but answered 504 (a gateway timing out); the second is throttled for an hour.
    graph.writeFaults.push({ status: 504, afterWriting: true }, { status: 429, retryAfter: 3600 });
    now = new Date("2027-08-20T07:00:00Z");
    const report = await newWorker().runOnce();
    expect(report).toMatchObject({ failed: 2, drafted: 1 });
    expect(drafts().reduce((a, b) => a + b)).toBe(2);
    expect(failed(await mailsOf(rita, "2027-08-20"))).toBe(2);

    // After the worker's own wait: the 504's draft is found by its marker, not made again; the 429 still waits.
    now = new Date("2027-08-20T07:05:01Z");
    expect(await newWorker().runOnce()).toMatchObject({ drafted: 1, failed: 0 });
    expect(failed(await mailsOf(rita, "2027-08-20"))).toBe(1);
    // After Graph's Retry-After.
    now = new Date("2027-08-20T08:00:01Z");
    expect(await newWorker().runOnce()).toMatchObject({ drafted: 1, failed: 0 });
    expect(drafts()).toEqual([1, 1, 1]);
    expect(failed(await mailsOf(rita, "2027-08-20"))).toBe(0);
  }, 120_000);

  it("lets admins write the organisation's rules and each rep their own", async () => {
    const orgRule = { scope: "organization", name: "Org", kind: "birthday", templateId: birthdayTemplate.id };
    expect((await call(sam, "POST", "/api/v1/occasion-rules", orgRule)).status).toBe(403);
    const bad = await call(rita, "POST", "/api/v1/occasion-rules", { ...orgRule, kind: "won_deal" });
    expect(bad.status).toBe(400);
    const own = await rule(sam, { name: "Mine", kind: "birthday", templateId: birthdayTemplate.id });
    expect(
      (await call(rita, "PATCH", `/api/v1/occasion-rules/${own.id}`, { name: "Taken", version: own.version }))
        .status,
    ).toBe(404);
    const renamed = await call(sam, "PATCH", `/api/v1/occasion-rules/${own.id}`, {
      name: "Still mine",
      version: own.version,
    });
    expect(parse(OccasionRule, renamed)).toMatchObject({ name: "Still mine", version: 2 });
    expect(
      (await call(sam, "PATCH", `/api/v1/occasion-rules/${own.id}`, { name: "Stale", version: own.version }))
        .status,
    ).toBe(409);
    expect((await call(sam, "DELETE", `/api/v1/occasion-rules/${own.id}`)).status).toBe(200);
    expect((await call(sam, "GET", `/api/v1/occasion-rules/${own.id}`)).status).toBe(404);
  });
});
