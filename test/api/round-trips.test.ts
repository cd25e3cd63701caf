import { randomUUID } from "node:crypto";
import { LoggedEmail } from "../../src/shared/interactions";
import { type TestServer, lookupPeople, parse, startTestServer } from "../helpers/server";
import { isWallStatement, statementsDuring } from "../helpers/statements";
import { storeKinds } from "../helpers/stores";

// Each statement is a round trip to the store, and on the embedded store a turn of its single connection: these
// are the budgets of the pane's two most frequent requests (docs/performance.md).
describe.each(storeKinds)("round trips to the store (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let tom: string;
  let stranger: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    tom = await server.token("tom@contoso.example");
    stranger = await server.token("sam@northwind.example");
    const post = async <T>(path: string, body: unknown) => {
      const response = await server.request<T>("POST", path, { token: rita, body });
      expect(response.status).toBe(201);
      return response.body;
    };
    const fabrikam = await post<{ id: string }>("/api/v1/companies", {
      name: "Fabrikam",
      domain: "fabrikam.example",
    });
    const anna = await post<{ id: string }>("/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna@fabrikam.example"],
      companyId: fabrikam.id,
    });
    await post("/api/v1/deals", { name: "Fabrikam renewal", contactIds: [anna.id], companyId: fabrikam.id });
    await post("/api/v1/tasks", { title: "Send the contract", dueAt: null, contactId: anna.id });
    for (let i = 0; i < 3; i++) await logFromAnna(rita, `<warm-${i}@fabrikam.example>`);
    // The other organisation's first request provisions it, so later ones only switch the wall.
    await lookupPeople(server, stranger, ["someone@northwind.example"]);
  });
  afterAll(() => server.close());

  function logFromAnna(token: string, internetMessageId: string) {
    return server.request("POST", "/api/v1/emails", {
      token,
      body: {
        internetMessageId,
        conversationId: `conv-${internetMessageId}`,
        subject: "Renewal",
        from: { address: "anna@fabrikam.example", name: "Anna Berg" },
        to: [{ address: "rita@contoso.example" }],
        cc: [{ address: "tom@contoso.example" }],
        sentAt: new Date().toISOString(),
        bodyText: "Shall we sign?",
      },
    });
  }

  /** The statements one request sends, once it has run before (its token known, its statements prepared). */
  async function statementsOf(request: () => Promise<unknown>) {
    await request();
    const sent = await statementsDuring(request);
    return { all: sent.length, work: sent.filter((s) => !isWallStatement(s)).length };
  }

  it("looks a known sender up in one statement: profile, company, deals, tasks and history together", async () => {
    const lookup = () => lookupPeople(server, rita, ["anna@fabrikam.example"]);
    const [result] = await lookup();
    expect(result?.contact?.openDeals).toHaveLength(1);
    expect(result?.contact?.openTasks).toHaveLength(1);
    expect(result?.contact?.recentInteractions.length).toBeGreaterThanOrEqual(3);
    expect(await statementsOf(lookup)).toEqual({ all: 1, work: 1 });
  });

  it("answers known, unknown and internal addresses together in the same one statement", async () => {
    const lookup = () =>
      lookupPeople(server, rita, [
        "anna@fabrikam.example",
        "new.person@fabrikam.example",
        "tom@contoso.example",
      ]);
    const results = await lookup();
    expect(results.map((r) => [r.contact !== null, r.suggestion?.company?.name ?? null])).toEqual([
      [true, null],
      [false, "Fabrikam"],
      [false, null],
    ]);
    expect((await statementsOf(lookup)).work).toBe(1);
  });

  it("pays at most one statement for the wall when another organisation used the connection last", async () => {
    const sent = await statementsDuring(async () => {
      await lookupPeople(server, stranger, ["someone@northwind.example"]);
      await lookupPeople(server, rita, ["anna@fabrikam.example"]);
    });
    expect(sent.filter((s) => !isWallStatement(s))).toHaveLength(2);
    expect(sent.length).toBeLessThanOrEqual(4);
  });

  it("logs a new email in five statements besides the reply check, begin and commit included", async () => {
    let n = 0;
    const log = async () => {
      const response = await logFromAnna(rita, `<new-${++n}-${randomUUID()}@fabrikam.example>`);
      expect(response.status).toBe(201);
      return parse(LoggedEmail, response);
    };
    const sent = await statementsDuring(log);
    // begin, the locks, the checks' reads, the write, the reply check (the email is in a conversation), commit.
    expect(sent).toHaveLength(6);
    expect(sent.filter(isWallStatement)).toEqual([]);
  });

  it("carries the wall in the transaction's first statement when another organisation used the connection last", async () => {
    await lookupPeople(server, stranger, ["someone@northwind.example"]);
    const sent = await statementsDuring(async () => {
      const response = await logFromAnna(rita, `<switch-${randomUUID()}@fabrikam.example>`);
      expect(response.status).toBe(201);
    });
    expect(sent.filter(isWallStatement)).toEqual([]);
    expect(sent).toHaveLength(6);
    // The session's wall is untouched by the transaction's: the stranger's next request still sees its own rows.
    const [own] = await lookupPeople(server, stranger, ["anna@fabrikam.example"]);
    expect(own?.contact).toBeNull();
  });

  it("adds a colleague to an email logged before in seven statements", async () => {
    const internetMessageId = `<again-${randomUUID()}@fabrikam.example>`;
    expect((await logFromAnna(rita, internetMessageId)).status).toBe(201);
    await logFromAnna(tom, `<tom-warm-${randomUUID()}@fabrikam.example>`);
    const sent = await statementsDuring(async () => {
      const response = await logFromAnna(tom, internetMessageId);
      expect(response.status).toBe(200);
      expect(parse(LoggedEmail, response).interaction.loggedBy).toHaveLength(2);
    });
    // begin, the locks, the checks' reads, the logger with its audit, the email read back, its reminder, commit.
    expect(sent).toHaveLength(7);
  });
});
