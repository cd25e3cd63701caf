import ExcelJS from "exceljs";
import { sql } from "kysely";
import { z } from "zod";
import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { DealWithStage } from "../../src/shared/deals";
import { Interaction } from "../../src/shared/interactions";
import { LIST_EXPORT_MAX_ROWS } from "../../src/shared/list-exports";
import { Pipeline, PipelineList } from "../../src/shared/pipelines";
import { Me } from "../../src/shared/routes";
import { Task } from "../../src/shared/tasks";
import { UserList } from "../../src/shared/users";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { parseCsv } from "../helpers/rfc4180";

/*
 * Each list's export must hold exactly the list's rows, with the same filters, in the same order, every page:
 * the list is read through the API page by page (two at a time), and the expected cells are worked out from its
 * JSON items here, independently of the server's table code. Texts carry what CSV must quote (commas, quotes,
 * line breaks) and what a spreadsheet would run as a formula.
 */

type Cell = string | number | null;
type ColumnType = "text" | "number" | "date" | "datetime";
type Expected<Item> = [header: string, type: ColumnType, value: (item: Item) => Cell][];

const csvCell = (value: Cell, type: ColumnType): string => {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return type === "text" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
};
const xlsxCell = (value: Cell, type: ColumnType): string | number | Date | null => {
  if (value === null || typeof value === "number") return value;
  if (type === "date") return new Date(`${value}T00:00:00.000Z`);
  if (type === "datetime") return new Date(value);
  return value;
};

describe.each(storeKinds)("list exports (%s)", (kind) => {
  let server: TestServer;
  let rita: string; // admin
  let max: string; // member
  let eve: string; // another organisation
  let ritaId: string;
  let maxId: string;
  const userName = new Map<string, string>();
  const companyName = new Map<string, string>();
  const contactName = new Map<string, string>();
  const dealName = new Map<string, string>();
  let pipelineName: string;
  let pipelineId: string;
  let stage: Record<string, string>;
  let anna: Contact;
  let bo: Contact;

  const post = async <T extends z.ZodType>(schema: T, path: string, body: unknown, token = rita) => {
    const response = await server.request("POST", path, { token, body });
    expect([path, response.status]).toEqual([path, 201]);
    return parse(schema, response);
  };
  const nameOf = (map: Map<string, string>, id: string | null) => (id === null ? null : (map.get(id) ?? id));

  /** Every page of the list, two items at a time. */
  async function listAll<T extends z.ZodType>(schema: T, path: string, query: string, token = rita) {
    const items: z.output<T>[] = [];
    let cursor: string | null = null;
    do {
      const page = `${path}?${query}${query ? "&" : ""}limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await server.request("GET", page, { token });
      expect([page, response.status]).toEqual([page, 200]);
      const body = z
        .object({ items: z.array(schema), nextCursor: z.string().nullable() })
        .parse(response.body);
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  /** The raw bytes: fetch's text() would drop the byte order mark. */
  async function download(path: string, token = rita) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([path, response.status]).toEqual([path, 200]);
    return { headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** The list with these filters, and its CSV and XLSX exports: the same rows, cell by cell. */
  async function expectExportsMatch<T extends z.ZodType>(options: {
    path: string;
    schema: T;
    query: string;
    filename: string;
    columns: Expected<z.output<T>>;
    token?: string;
    expectIds?: string[];
  }) {
    const { path, schema, query, filename, columns, token = rita } = options;
    const items = await listAll(schema, path, query, token);
    if (options.expectIds) expect(items.map((i) => (i as { id: string }).id)).toEqual(options.expectIds);
    const headers = columns.map(([header]) => header);
    const suffix = query ? `?${query}` : "";

    const csv = await download(`${path}/export.csv${suffix}`, token);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${filename}.csv"`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...records] = parseCsv(csv.bytes.subarray(3).toString("utf8"));
    expect(header).toEqual(headers);
    expect(records).toEqual(
      items.map((item) => columns.map(([, type, value]) => csvCell(value(item), type))),
    );

    const xlsx = await download(`${path}/export.xlsx${suffix}`, token);
    expect(xlsx.headers.get("content-disposition")).toBe(`attachment; filename="${filename}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("no worksheet");
    expect(sheet.name).toBe(filename);
    const row = (n: number) => columns.map((_, c) => sheet.getRow(n).getCell(c + 1).value ?? null);
    expect(row(1)).toEqual(headers);
    expect(sheet.rowCount).toBe(items.length + 1);
    items.forEach((item, i) =>
      expect(row(i + 2)).toEqual(columns.map(([, type, value]) => xlsxCell(value(item), type))),
    );
    return items;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    max = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    ritaId = parse(Me, await server.request("GET", "/api/v1/me", { token: rita })).user.id;
    maxId = parse(Me, await server.request("GET", "/api/v1/me", { token: max })).user.id;
    await server.database.db
      .updateTable("users")
      .set({ display_name: "Rita Rep" })
      .where("id", "=", ritaId)
      .execute();
    for (const u of parse(UserList, await server.request("GET", "/api/v1/users", { token: rita })).items)
      userName.set(u.id, u.displayName ?? u.email ?? u.id);
    const { pipelines } = parse(
      PipelineList,
      await server.request("GET", "/api/v1/pipelines", { token: rita }),
    );
    const sales = pipelines[0];
    if (!sales) throw new Error("no pipeline");
    pipelineName = sales.name;
    pipelineId = sales.id;
    stage = Object.fromEntries(sales.stages.map((s) => [s.name, s.id]));

    await server.request("POST", "/api/v1/custom-fields", {
      token: rita,
      body: { entity: "company", key: "tier", label: "Tier", type: "number" },
    });
    await server.request("POST", "/api/v1/custom-fields", {
      token: rita,
      body: { entity: "deal", key: "region", label: "Region", type: "text" },
    });
    const companies = [
      {
        name: "Alpha Oy",
        domain: "alpha.example",
        phone: "+358 9 123",
        website: "https://alpha.example",
        address: "Street 1, Helsinki",
        customFields: { tier: 2 },
      },
      { name: '=HYPERLINK("http://evil.example","x")', customFields: { tier: 1.5 } },
      { name: "beta AB", domain: "beta.example" },
      { name: 'Gamma "Quoted" Ltd', address: "Line 1\nLine 2" },
      { name: "Delta", domain: "delta-alpha.example", ownerId: maxId },
    ];
    for (const body of companies) {
      const company = await post(Company, "/api/v1/companies", body);
      companyName.set(company.id, company.name);
    }
    await post(Company, "/api/v1/companies", { name: "Alpha Evil" }, eve);
    const alpha = [...companyName].find(([, name]) => name === "Alpha Oy")?.[0] as string;

    anna = await post(Contact, "/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna@alpha.example"],
      companyId: alpha,
      tags: ["vip", "nordics"],
      lifecycleStage: "customer",
    });
    bo = await post(Contact, "/api/v1/contacts", {
      displayName: "bo Ek",
      emails: ["bo@alpha.example"],
      tags: ["vip"],
      lifecycleStage: "lead",
      ownerId: maxId,
    });
    const cy = await post(Contact, "/api/v1/contacts", {
      displayName: "Cy Lead",
      emails: ["cy@beta.example"],
      tags: ["vipp"],
      lifecycleStage: "lead",
    });
    for (const c of [anna, bo, cy]) contactName.set(c.id, c.displayName);
    await post(Contact, "/api/v1/contacts", { displayName: "Evil Lead", tags: ["vip"] }, eve);

    const deals = [
      {
        name: "Alpha deal",
        amount: 1234.5,
        currency: "eur",
        companyId: alpha,
        contactIds: [bo.id, anna.id],
        expectedCloseDate: "2026-12-31",
        customFields: { region: "North, East" },
      },
      { name: "Beta deal", stageId: stage.Won, ownerId: maxId },
      { name: "alpha extension", amount: 10, contactIds: [anna.id] },
      { name: "-minus", amount: 0 },
      { name: "Zeta", stageId: stage.Lost, expectedCloseDate: "2027-01-15" },
    ];
    for (const body of deals) {
      const deal = await post(DealWithStage, "/api/v1/deals", body);
      dealName.set(deal.id, deal.name);
    }
    await post(DealWithStage, "/api/v1/deals", { name: "Alpha of Evil" }, eve);
    const alphaDeal = [...dealName].find(([, name]) => name === "Alpha deal")?.[0] as string;

    const tasks = [
      {
        title: "Call Anna",
        dueAt: "2026-12-01T09:00:00Z",
        contactId: anna.id,
        dealId: alphaDeal,
        notes: 'Ask about "Q3", and budget',
      },
      { title: "Send offer", dueAt: "2026-11-30T15:30:00Z", contactId: bo.id, assigneeId: maxId },
      { title: "Follow up", dueAt: null },
      { title: "=cmd|' /C calc'!A0", dueAt: "2026-12-05T08:00:00Z" },
    ];
    for (const body of tasks) {
      const task = await post(Task, "/api/v1/tasks", body);
      if (task.title === "Follow up")
        await server.request("PATCH", `/api/v1/tasks/${task.id}`, {
          token: rita,
          body: { done: true, version: task.version },
        });
    }
    await post(Task, "/api/v1/tasks", { title: "Evil task", dueAt: "2026-12-01T09:00:00Z" }, eve);

    const notes = [
      {
        kind: "call",
        contactId: anna.id,
        body: "Tried, no answer",
        outcome: "no_answer",
        occurredAt: "2026-11-01T10:00:00Z",
        direction: "out",
      },
      {
        kind: "meeting",
        contactId: bo.id,
        subject: "Kickoff",
        body: "Line 1\nLine 2, with a comma",
        occurredAt: "2026-11-05T13:00:00Z",
      },
      {
        kind: "note",
        contactId: anna.id,
        body: 'He said "yes"',
        dealId: alphaDeal,
        occurredAt: "2026-11-10T08:15:00Z",
      },
    ];
    for (const body of notes) await post(Interaction, "/api/v1/notes", body);
    const evilAnna = await post(Contact, "/api/v1/contacts", { displayName: "Evil Anna" }, eve);
    await post(
      Interaction,
      "/api/v1/notes",
      { kind: "call", contactId: evilAnna.id, body: "Evil call" },
      eve,
    );
  });
  afterAll(() => server.close());

  const companyColumns: Expected<Company> = [
    ["ID", "text", (c) => c.id],
    ["Name", "text", (c) => c.name],
    ["Domain", "text", (c) => c.domain],
    ["Phone", "text", (c) => c.phone],
    ["Website", "text", (c) => c.website],
    ["Address", "text", (c) => c.address],
    ["Owner", "text", (c) => nameOf(userName, c.ownerId)],
    ["Tier", "number", (c) => (c.customFields.tier as number | undefined) ?? null],
    ["Created", "datetime", (c) => c.createdAt],
    ["Updated", "datetime", (c) => c.updatedAt],
  ];
  const dealColumns: Expected<DealWithStage> = [
    ["ID", "text", (d) => d.id],
    ["Name", "text", (d) => d.name],
    ["Amount", "number", (d) => d.amount],
    ["Currency", "text", (d) => d.currency],
    ["Pipeline", "text", () => pipelineName],
    ["Stage", "text", (d) => d.stage.name],
    ["Probability %", "number", (d) => d.stage.probability],
    ["Status", "text", (d) => d.status],
    ["Expected close", "date", (d) => d.expectedCloseDate],
    ["Closed", "datetime", (d) => d.closedAt],
    ["Company", "text", (d) => nameOf(companyName, d.companyId)],
    [
      "Contacts",
      "text",
      (d) =>
        d.contactIds
          .map((id) => contactName.get(id) as string)
          .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
          .join("; ") || null,
    ],
    ["Owner", "text", (d) => nameOf(userName, d.ownerId)],
    ["Region", "text", (d) => (d.customFields.region as string | undefined) ?? null],
    ["Created", "datetime", (d) => d.createdAt],
    ["Updated", "datetime", (d) => d.updatedAt],
  ];
  const taskColumns: Expected<Task> = [
    ["ID", "text", (t) => t.id],
    ["Title", "text", (t) => t.title],
    ["Notes", "text", (t) => t.notes],
    ["Due", "datetime", (t) => t.dueAt],
    ["Status", "text", (t) => (t.done ? "done" : "open")],
    ["Done", "datetime", (t) => t.doneAt],
    ["Assignee", "text", (t) => nameOf(userName, t.assigneeId)],
    ["Contact", "text", (t) => nameOf(contactName, t.contactId)],
    ["Deal", "text", (t) => nameOf(dealName, t.dealId)],
    ["Created by", "text", (t) => nameOf(userName, t.createdBy)],
    ["Created", "datetime", (t) => t.createdAt],
    ["Updated", "datetime", (t) => t.updatedAt],
  ];
  const noteColumns: Expected<Interaction> = [
    ["ID", "text", (n) => n.id],
    ["Kind", "text", (n) => n.kind],
    ["When", "datetime", (n) => n.occurredAt],
    ["Direction", "text", (n) => n.direction],
    ["Subject", "text", (n) => n.subject],
    ["Text", "text", (n) => n.body],
    ["Outcome", "text", (n) => n.outcome],
    ["With", "text", (n) => n.participants.map((p) => nameOf(contactName, p.contactId)).join("; ") || null],
    ["Deal", "text", (n) => nameOf(dealName, n.dealId)],
    ["Logged by", "text", (n) => n.loggedBy.map((id) => nameOf(userName, id)).join("; ") || null],
    ["Created", "datetime", (n) => n.createdAt],
  ];

  it("exports every company, and those a search finds, as the list has them", async () => {
    const all = await expectExportsMatch({
      path: "/api/v1/companies",
      schema: Company,
      query: "",
      filename: "companies",
      columns: companyColumns,
    });
    // The order is the store's collation of lower(name) (punctuation first or ignored): the list's, whichever.
    expect(all.map((c) => c.name).sort()).toEqual([
      '=HYPERLINK("http://evil.example","x")',
      "Alpha Oy",
      "Delta",
      'Gamma "Quoted" Ltd',
      "beta AB",
    ]);
    const found = await expectExportsMatch({
      path: "/api/v1/companies",
      schema: Company,
      query: "q=alpha",
      filename: "companies",
      columns: companyColumns,
    });
    expect(found.map((c) => c.name)).toEqual(["Alpha Oy", "Delta"]);
  });

  it("exports deals with their stage, company, contacts, owner and custom fields", async () => {
    const all = await expectExportsMatch({
      path: "/api/v1/deals",
      schema: DealWithStage,
      query: "",
      filename: "deals",
      columns: dealColumns,
    });
    expect(all.map((d) => d.name).sort()).toEqual([
      "-minus",
      "Alpha deal",
      "Beta deal",
      "Zeta",
      "alpha extension",
    ]);
    const alpha = all.find((d) => d.name === "Alpha deal") as DealWithStage;
    expect(dealColumns.map(([, , value]) => value(alpha)).slice(1, 14)).toEqual([
      "Alpha deal",
      1234.5,
      "EUR",
      pipelineName,
      "Prospecting",
      10,
      "open",
      "2026-12-31",
      null,
      "Alpha Oy",
      "Anna Berg; bo Ek",
      "Rita Rep",
      "North, East",
    ]);
    const found = await expectExportsMatch({
      path: "/api/v1/deals",
      schema: DealWithStage,
      query: "q=ALPHA",
      filename: "deals",
      columns: dealColumns,
    });
    expect(found.map((d) => d.name)).toEqual(["Alpha deal", "alpha extension"]);
  });

  it("filters deals by pipeline, stage, owner and status, the list and its exports alike", async () => {
    const renewals = parse(
      Pipeline,
      await server.request("POST", "/api/v1/pipelines", { token: rita, body: { name: "Renewals" } }),
    );
    const renewal = await post(DealWithStage, "/api/v1/deals", {
      name: "Alpha renewal",
      stageId: renewals.stages[0]?.id,
    });
    dealName.set(renewal.id, renewal.name);
    const deals = (query: string) =>
      expectExportsMatch({
        path: "/api/v1/deals",
        schema: DealWithStage,
        query,
        filename: "deals",
        columns: dealColumns.map(([header, type, value]) =>
          header === "Pipeline"
            ? [header, type, (d: DealWithStage) => (d.pipelineId === renewals.id ? "Renewals" : pipelineName)]
            : [header, type, value],
        ),
      }).then((items) => items.map((d) => d.name));
    expect(await deals(`stageId=${stage.Won}`)).toEqual(["Beta deal"]);
    expect(await deals("status=lost")).toEqual(["Zeta"]);
    // Sorted here: where "-minus" falls is the store's collation's choice, the list's and the file's alike.
    expect((await deals(`status=open&ownerId=${ritaId}`)).sort()).toEqual([
      "-minus",
      "Alpha deal",
      "Alpha renewal",
      "alpha extension",
    ]);
    expect(await deals(`ownerId=${maxId}`)).toEqual(["Beta deal"]);
    expect(await deals(`pipelineId=${renewals.id}`)).toEqual(["Alpha renewal"]);
    expect(await deals(`pipelineId=${pipelineId}&q=alpha&status=open`)).toEqual([
      "Alpha deal",
      "alpha extension",
    ]);
    // Filters that match nothing give an empty list and a file with its header row only.
    expect(await deals(`pipelineId=${renewals.id}&stageId=${stage.Won}`)).toEqual([]);
    await server.request("DELETE", `/api/v1/deals/${renewal.id}`, { token: rita });
  });

  it("filters companies by owner, and tasks by assignee, the list and its exports alike", async () => {
    const companies = await expectExportsMatch({
      path: "/api/v1/companies",
      schema: Company,
      query: `ownerId=${maxId}`,
      filename: "companies",
      columns: companyColumns,
    });
    expect(companies.map((c) => c.name)).toEqual(["Delta"]);
    const tasks = await expectExportsMatch({
      path: "/api/v1/tasks",
      schema: Task,
      query: `status=all&assigneeId=${maxId}`,
      filename: "tasks",
      columns: taskColumns,
    });
    expect(tasks.map((t) => t.title)).toEqual(["Send offer"]);
  });

  it("filters contacts by owner, lifecycle stage and tag, the list and its CSV, XLSX and vCard exports alike", async () => {
    async function contacts(query: string) {
      const items = await listAll(Contact, "/api/v1/contacts", query);
      const expected = items.map((c) => [
        c.displayName,
        c.emails.join("; "),
        c.tags.join("; "),
        c.lifecycleStage,
      ]);
      const csv = await download(`/api/v1/contacts/export.csv?${query}`);
      const [header, ...records] = parseCsv(csv.bytes.subarray(3).toString("utf8"));
      const at = (name: string) => (header ?? []).indexOf(name);
      const columns = [at("Name"), at("Emails"), at("Tags"), at("Lifecycle stage")];
      expect(records.map((r) => columns.map((c) => r[c]))).toEqual(expected);
      const xlsx = await download(`/api/v1/contacts/export.xlsx?${query}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error("no worksheet");
      expect(sheet.rowCount).toBe(items.length + 1);
      expect(items.map((_, i) => sheet.getRow(i + 2).getCell(at("Name") + 1).value)).toEqual(
        items.map((c) => c.displayName),
      );
      const vcf = await download(`/api/v1/contacts/export.vcf?${query}`);
      expect(vcf.bytes.toString("utf8").match(/^FN:.*$/gm) ?? []).toEqual(
        items.map((c) => `FN:${c.displayName}`),
      );
      return items.map((c) => c.displayName);
    }
    expect(await contacts("tag=vip")).toEqual(["Anna Berg", "bo Ek"]);
    expect(await contacts("lifecycleStage=lead")).toEqual(["bo Ek", "Cy Lead"]);
    expect(await contacts(`ownerId=${maxId}`)).toEqual(["bo Ek"]);
    expect(await contacts(`tag=vip&lifecycleStage=lead&ownerId=${maxId}&q=bo`)).toEqual(["bo Ek"]);
    expect(await contacts(`tag=vip&ownerId=${ritaId}&lifecycleStage=lead`)).toEqual([]);
  });

  it("refuses a filter that is not one with 400 problem+json, on the list and its exports", async () => {
    const refused = [
      "/api/v1/deals?status=closed",
      "/api/v1/deals/export.csv?stageId=won",
      "/api/v1/deals/export.xlsx?pipelineId=1",
      "/api/v1/companies?ownerId=me",
      "/api/v1/companies/export.csv?ownerId=",
      "/api/v1/contacts?lifecycleStage=vip",
      "/api/v1/contacts/export.vcf?lifecycleStage=Lead",
      `/api/v1/contacts/export.csv?tag=${"x".repeat(51)}`,
      "/api/v1/tasks/export.xlsx?assigneeId=rita",
      "/api/v1/deals?colour=red",
    ];
    for (const path of refused) {
      const response = await server.request("GET", path, { token: rita });
      expect([path, response.status, response.headers.get("content-type")]).toEqual([
        path,
        400,
        expect.stringContaining("application/problem+json"),
      ]);
      expect((response.body as { code: string }).code).toBe("invalid_request");
    }
  });

  it("exports tasks with the list's filters: open by default, all of mine, one contact's", async () => {
    const open = await expectExportsMatch({
      path: "/api/v1/tasks",
      schema: Task,
      query: "",
      filename: "tasks",
      columns: taskColumns,
    });
    expect(open.map((t) => t.title)).toEqual(["Send offer", "Call Anna", "=cmd|' /C calc'!A0"]);
    const mine = await expectExportsMatch({
      path: "/api/v1/tasks",
      schema: Task,
      query: "status=all&mine=true",
      filename: "tasks",
      columns: taskColumns,
      token: max,
    });
    expect(mine.map((t) => t.title)).toEqual(["Send offer"]);
    const done = await expectExportsMatch({
      path: "/api/v1/tasks",
      schema: Task,
      query: "status=done",
      filename: "tasks",
      columns: taskColumns,
    });
    expect(done.map((t) => [t.title, t.done])).toEqual([["Follow up", true]]);
    const annas = await expectExportsMatch({
      path: "/api/v1/tasks",
      schema: Task,
      query: `status=all&contactId=${anna.id}`,
      filename: "tasks",
      columns: taskColumns,
    });
    expect(annas.map((t) => t.title)).toEqual(["Call Anna"]);
  });

  it("exports notes, calls, meetings and visits, newest first, by kind and by contact", async () => {
    const all = await expectExportsMatch({
      path: "/api/v1/notes",
      schema: Interaction,
      query: "",
      filename: "notes",
      columns: noteColumns,
    });
    expect(all.map((n) => n.kind)).toEqual(["note", "meeting", "call"]);
    const calls = await expectExportsMatch({
      path: "/api/v1/notes",
      schema: Interaction,
      query: "kind=call",
      filename: "notes",
      columns: noteColumns,
    });
    expect(calls.map((n) => [n.body, n.outcome])).toEqual([["Tried, no answer", "no_answer"]]);
    const bos = await expectExportsMatch({
      path: "/api/v1/notes",
      schema: Interaction,
      query: `contactId=${bo.id}`,
      filename: "notes",
      columns: noteColumns,
    });
    expect(bos.map((n) => n.subject)).toEqual(["Kickoff"]);
  });

  it("exports another organisation's own rows only, with its own custom fields", async () => {
    const evil = await listAll(DealWithStage, "/api/v1/deals", "", eve);
    const { bytes } = await download("/api/v1/deals/export.csv", eve);
    const [header, ...records] = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).not.toContain("Region");
    expect(records.map((r) => [r[0], r[1]])).toEqual(evil.map((d) => [d.id, d.name]));
    expect(records.map((r) => r[1])).toEqual(["Alpha of Evil"]);
  });

  it("refuses paging parameters, and asks for a token", async () => {
    for (const query of ["limit=10", "cursor=abc"]) {
      const response = await server.request("GET", `/api/v1/deals/export.csv?${query}`, { token: rita });
      expect([query, response.status, (response.body as { code: string }).code]).toEqual([
        query,
        400,
        "invalid_request",
      ]);
    }
    expect((await server.request("GET", "/api/v1/tasks/export.xlsx")).status).toBe(401);
  });

  it(`refuses more than ${LIST_EXPORT_MAX_ROWS} rows with 422 export_too_large, and exports a narrower filter`, async () => {
    const orgId = parse(Me, await server.request("GET", "/api/v1/me", { token: eve })).organization.id;
    await sql`insert into tasks (org_id, title) select ${orgId}::uuid, 'Bulk ' || g
      from generate_series(1, ${LIST_EXPORT_MAX_ROWS}) g`.execute(server.database.db);
    // With Eve's own task, one past the cap.
    for (const format of ["csv", "xlsx"]) {
      const response = await server.request("GET", `/api/v1/tasks/export.${format}`, { token: eve });
      expect([format, response.status, (response.body as { code: string }).code]).toEqual([
        format,
        422,
        "export_too_large",
      ]);
    }
    const { bytes } = await download("/api/v1/tasks/export.csv?q=evil", eve);
    expect(parseCsv(bytes.subarray(3).toString("utf8")).map((r) => r[1])).toEqual(["Title", "Evil task"]);
  });

  it(`caps the contacts' export at ${LIST_EXPORT_MAX_ROWS} rows too, in every format`, async () => {
    const mallory = await server.token("mallory@many-contacts.example");
    const orgId = parse(Me, await server.request("GET", "/api/v1/me", { token: mallory })).organization.id;
    await sql`insert into contacts (org_id, display_name, tags)
      select ${orgId}::uuid, 'Bulk ' || g, case when g = 1 then array['vip'] else '{}' end
      from generate_series(1, ${LIST_EXPORT_MAX_ROWS + 1}) g`.execute(server.database.db);
    for (const format of ["csv", "xlsx", "vcf"]) {
      const response = await server.request("GET", `/api/v1/contacts/export.${format}`, { token: mallory });
      expect([format, response.status, (response.body as { code: string }).code]).toEqual([
        format,
        422,
        "export_too_large",
      ]);
    }
    const { bytes } = await download("/api/v1/contacts/export.csv?tag=vip", mallory);
    expect(parseCsv(bytes.subarray(3).toString("utf8")).map((r) => r[0])).toEqual(["Name", "Bulk 1"]);
  });
});
