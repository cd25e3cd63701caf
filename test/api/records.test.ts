import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { Deal, DealWithStage } from "../../src/shared/deals";
import { Interaction } from "../../src/shared/interactions";
import { PipelineList } from "../../src/shared/pipelines";
import { Task } from "../../src/shared/tasks";
import { Page } from "../../src/shared/common";
import { Me } from "../../src/shared/routes";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("contacts, companies, deals, tasks and notes (%s)", (kind) => {
  let server: TestServer;
  let rita: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown) => server.request("POST", path, { token: rita, body });
  const auditCount = async (entityId: string) =>
    Number(
      (
        await server.database.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("entity_id", "=", entityId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe("contacts", () => {
    it("creates a contact from the minimal body, with several addresses, and reads it back", async () => {
      const created = await post("/api/v1/contacts", {
        displayName: "Anna Berg",
        emails: ["anna@fabrikam.example", "Anna.Berg@Home.example"],
      });
      expect(created.status).toBe(201);
      const contact = parse(Contact, created);
      expect(contact).toMatchObject({
        displayName: "Anna Berg",
        emails: ["anna@fabrikam.example", "anna.berg@home.example"],
        version: 1,
        lifecycleStage: "lead",
      });
      const read = await server.request("GET", `/api/v1/contacts/${contact.id}`, { token: rita });
      expect(parse(Contact, read)).toEqual(contact);
      expect(await auditCount(contact.id)).toBe(1);
    });

    it("refuses an address that already belongs to another contact, whatever its case", async () => {
      await post("/api/v1/contacts", { displayName: "First", emails: ["taken@fabrikam.example"] });
      const second = await post("/api/v1/contacts", {
        displayName: "Second",
        emails: ["TAKEN@fabrikam.example"],
      });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: "email_address_taken" });
      const list = parse(
        Page(Contact),
        await server.request("GET", "/api/v1/contacts?q=Second", { token: rita }),
      );
      expect(list.items).toHaveLength(0);
    });

    it("updates with the version read, and answers a stale version with 409 and the current record", async () => {
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Vera Version", emails: ["vera@v.example"] }),
      );
      const updated = await server.request("PATCH", `/api/v1/contacts/${contact.id}`, {
        token: rita,
        body: { title: "CEO", emails: ["vera@v.example", "vera2@v.example"], version: contact.version },
      });
      expect(updated.status).toBe(200);
      expect(parse(Contact, updated)).toMatchObject({
        title: "CEO",
        version: 2,
        emails: ["vera@v.example", "vera2@v.example"],
        displayName: "Vera Version",
      });

      const stale = await server.request("PATCH", `/api/v1/contacts/${contact.id}`, {
        token: rita,
        body: { title: "Intern", version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: "version_conflict", current: { title: "CEO", version: 2 } });

      const viaHeader = await server.request("PATCH", `/api/v1/contacts/${contact.id}`, {
        token: rita,
        body: { title: "CTO" },
        headers: { "if-match": '"2"' },
      });
      expect(parse(Contact, viaHeader)).toMatchObject({ title: "CTO", version: 3 });

      const missing = await server.request("PATCH", `/api/v1/contacts/${contact.id}`, {
        token: rita,
        body: { title: "No version" },
      });
      expect(missing.status).toBe(428);
      expect(missing.body).toMatchObject({ code: "version_required" });
    });

    it("lists contacts by name with search and a cursor that visits each once", async () => {
      for (const name of ["Zed Page", "Amy Page", "Bob Page", "Cid Page", "Dan Page"]) {
        await post("/api/v1/contacts", {
          displayName: name,
          emails: [`${name.split(" ")[0]?.toLowerCase()}@page.example`],
        });
      }
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/contacts?q=page&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const page = parse(Page(Contact), await server.request("GET", url, { token: rita }));
        names.push(...page.items.map((c) => c.displayName));
        cursor = page.nextCursor;
      } while (cursor);
      expect(names).toEqual(["Amy Page", "Bob Page", "Cid Page", "Dan Page", "Zed Page"]);
      const byEmail = parse(
        Page(Contact),
        await server.request("GET", "/api/v1/contacts?q=cid@", { token: rita }),
      );
      expect(byEmail.items.map((c) => c.displayName)).toEqual(["Cid Page"]);
    });

    it("pages names with letters whose lower case differs between JavaScript and PostgreSQL, each once", async () => {
      const names = ["İlker A", "İlker B", "Ivan Collate", "ΝΙΚΟΣ Α", "ΝΙΚΟΣ Β", "Åsa Collate"];
      for (const [i, displayName] of names.entries()) {
        await post("/api/v1/contacts", { displayName, emails: [`collate${i}@c.example`] });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const url: string = `/api/v1/contacts?q=collate&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
        const page = parse(Page(Contact), await server.request("GET", url, { token: rita }));
        seen.push(...page.items.map((c) => c.emails[0] ?? ""));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen.sort()).toEqual(names.map((_, i) => `collate${i}@c.example`).sort());
    });

    it("deletes a contact, after which it is gone", async () => {
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Gone Soon", emails: ["gone@x.example"] }),
      );
      const deleted = await server.request("DELETE", `/api/v1/contacts/${contact.id}`, { token: rita });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ id: contact.id, deleted: true });
      expect((await server.request("GET", `/api/v1/contacts/${contact.id}`, { token: rita })).status).toBe(
        404,
      );
      expect((await server.request("DELETE", `/api/v1/contacts/${contact.id}`, { token: rita })).status).toBe(
        404,
      );
      // the address is free again
      expect(
        (await post("/api/v1/contacts", { displayName: "New Owner", emails: ["gone@x.example"] })).status,
      ).toBe(201);
    });
  });

  describe("companies", () => {
    it("creates, updates, lists and deletes a company, normalising its domain", async () => {
      const company = parse(
        Company,
        await post("/api/v1/companies", { name: "Northwind", domain: "HTTPS://www.northwind.example/" }),
      );
      expect(company.domain).toBe("northwind.example");
      const dup = await post("/api/v1/companies", { name: "Northwind 2", domain: "northwind.example" });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ code: "company_domain_taken" });
      const updated = parse(
        Company,
        await server.request("PATCH", `/api/v1/companies/${company.id}`, {
          token: rita,
          body: { phone: "+1 555 0100", version: 1 },
        }),
      );
      expect(updated).toMatchObject({ phone: "+1 555 0100", version: 2, name: "Northwind" });
      const list = parse(
        Page(Company),
        await server.request("GET", "/api/v1/companies?q=northwind", { token: rita }),
      );
      expect(list.items.map((c) => c.id)).toEqual([company.id]);
      expect(
        (await server.request("DELETE", `/api/v1/companies/${company.id}`, { token: rita })).status,
      ).toBe(200);
      expect((await server.request("GET", `/api/v1/companies/${company.id}`, { token: rita })).status).toBe(
        404,
      );
    });

    it("refuses a domain that is not one", async () => {
      const response = await post("/api/v1/companies", { name: "Bad", domain: "not a domain" });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: "invalid_request", errors: [{ path: "body.domain" }] });
    });
  });

  describe("deals and stages", () => {
    it("lists the default pipeline with its six stages", async () => {
      const { pipelines } = parse(
        PipelineList,
        await server.request("GET", "/api/v1/pipelines", { token: rita }),
      );
      expect(pipelines).toHaveLength(1);
      expect(pipelines[0]?.stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
        ["Prospecting", 10, "open"],
        ["Qualification", 25, "open"],
        ["Proposal", 50, "open"],
        ["Negotiation", 75, "open"],
        ["Won", 100, "won"],
        ["Lost", 0, "lost"],
      ]);
    });

    it("moves a deal, records who moved it from where, and refuses a stale move with the current deal", async () => {
      const { pipelines } = parse(
        PipelineList,
        await server.request("GET", "/api/v1/pipelines", { token: rita }),
      );
      const stages = pipelines[0]?.stages ?? [];
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Deal Person", emails: ["dp@deal.example"] }),
      );
      const deal = parse(
        Deal,
        await post("/api/v1/deals", { name: "Big one", amount: 5000, contactIds: [contact.id] }),
      );
      expect(deal.stageId).toBe(stages[0]?.id);
      expect(deal.contactIds).toEqual([contact.id]);

      const moved = await server.request("POST", `/api/v1/deals/${deal.id}/stage`, {
        token: rita,
        body: { stageId: stages[2]?.id, version: deal.version, source: "pane" },
      });
      expect(moved.status).toBe(200);
      const movedDeal = parse(DealWithStage, moved);
      expect(movedDeal).toMatchObject({
        stageId: stages[2]?.id,
        version: 2,
        status: "open",
        stage: { name: "Proposal" },
      });

      const stale = await server.request("POST", `/api/v1/deals/${deal.id}/stage`, {
        token: rita,
        body: { stageId: stages[4]?.id, version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        code: "version_conflict",
        current: { stageId: stages[2]?.id, stage: { name: "Proposal" } },
      });

      const won = parse(
        DealWithStage,
        await server.request("POST", `/api/v1/deals/${deal.id}/stage`, {
          token: rita,
          body: { stageId: stages[4]?.id, version: 2 },
        }),
      );
      expect(won.status).toBe("won");
      expect(won.closedAt).not.toBeNull();

      const changes = await server.database.db
        .selectFrom("deal_stage_changes")
        .selectAll()
        .where("deal_id", "=", deal.id)
        .orderBy("changed_at")
        .execute();
      expect(changes.map((c) => [c.from_stage_id, c.to_stage_id, c.source])).toEqual([
        [null, stages[0]?.id, "created"],
        [stages[0]?.id, stages[2]?.id, "pane"],
        [stages[2]?.id, stages[4]?.id, "api"],
      ]);
      const audits = await server.database.db
        .selectFrom("audit_events")
        .select("action")
        .where("entity_id", "=", deal.id)
        .execute();
      expect(audits.map((a) => a.action).sort()).toEqual([
        "deal.created",
        "deal.stage_changed",
        "deal.stage_changed",
      ]);
    });

    it("lets an admin date a deal's opening and moves in the past, in order, and nobody else", async () => {
      const { pipelines } = parse(
        PipelineList,
        await server.request("GET", "/api/v1/pipelines", { token: rita }),
      );
      const stages = pipelines[0]?.stages ?? [];
      const day = 24 * 3600 * 1000;
      const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
      const openedAt = ago(30);
      const deal = parse(DealWithStage, await post("/api/v1/deals", { name: "Migrated", openedAt }));
      expect(deal.createdAt).toBe(openedAt);
      const move = (body: Record<string, unknown>, token = rita) =>
        server.request("POST", `/api/v1/deals/${deal.id}/stage`, { token, body });
      const toProposal = parse(
        DealWithStage,
        await move({ stageId: stages[2]?.id, version: 1, movedAt: ago(20) }),
      );
      // Not before the previous move, not in the future.
      const outOfOrder = await move({ stageId: stages[3]?.id, version: 2, movedAt: ago(25) });
      expect([outOfOrder.status, (outOfOrder.body as { code: string }).code]).toEqual([
        400,
        "invalid_request",
      ]);
      const future = await move({
        stageId: stages[3]?.id,
        version: 2,
        movedAt: new Date(Date.now() + day).toISOString(),
      });
      expect([future.status, (future.body as { code: string }).code]).toEqual([400, "invalid_request"]);
      // A member may move the deal, but not date the move.
      const mo = await server.token("mo@contoso.example");
      const members = await move({ stageId: stages[3]?.id, version: 2, movedAt: ago(10) }, mo);
      expect([members.status, (members.body as { code: string }).code]).toEqual([403, "forbidden"]);
      const memberOpened = await server.request("POST", "/api/v1/deals", {
        token: mo,
        body: { name: "Backdated by a member", openedAt: ago(3) },
      });
      expect(memberOpened.status).toBe(403);
      const wonAt = ago(5);
      const won = parse(
        DealWithStage,
        await move({ stageId: stages[4]?.id, version: toProposal.version, movedAt: wonAt }),
      );
      expect(won.closedAt).toBe(wonAt);

      const changes = await server.database.db
        .selectFrom("deal_stage_changes")
        .select(["to_stage_id", "changed_at"])
        .where("deal_id", "=", deal.id)
        .orderBy("changed_at")
        .execute();
      expect(
        changes.map((c) => [c.to_stage_id, Math.round((Date.now() - c.changed_at.getTime()) / day)]),
      ).toEqual([
        [stages[0]?.id, 30],
        [stages[2]?.id, 20],
        [stages[4]?.id, 5],
      ]);
      const stored = await server.request("GET", "/api/v1/deals?q=Backdated", { token: rita });
      expect((stored.body as { items: unknown[] }).items).toEqual([]);
    });

    it("refuses an unknown stage and leaves the deal as it was", async () => {
      const deal = parse(Deal, await post("/api/v1/deals", { name: "Steady" }));
      const response = await server.request("POST", `/api/v1/deals/${deal.id}/stage`, {
        token: rita,
        body: { stageId: "00000000-0000-4000-8000-000000000000", version: 1 },
      });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: "stage_not_found" });
      expect(
        parse(DealWithStage, await server.request("GET", `/api/v1/deals/${deal.id}`, { token: rita })),
      ).toMatchObject({ version: 1, stageId: deal.stageId });
    });

    it("takes a deal's currency only as an ISO 4217 code: anything else is a 400 naming it, nothing stored or changed", async () => {
      const deals = async () =>
        Number(
          (
            await server.database.db
              .selectFrom("deals")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const deal = parse(Deal, await post("/api/v1/deals", { name: "Priced", amount: 10, currency: "dkk" }));
      expect(deal.currency).toBe("DKK");
      const before = await deals();
      // Three letters that name no currency, a name, a symbol, a number: each refused by the field.
      for (const currency of ["XYZ", "ABC", "EURO", "€", "", 978]) {
        const created = await post("/api/v1/deals", { name: "Made up", amount: 10, currency });
        const updated = await server.request("PATCH", `/api/v1/deals/${deal.id}`, {
          token: rita,
          body: { currency, version: deal.version },
        });
        for (const response of [created, updated])
          expect([currency, response.status, response.body]).toEqual([
            currency,
            400,
            expect.objectContaining({
              code: "invalid_request",
              errors: [expect.objectContaining({ path: "body.currency" })],
            }),
          ]);
        expect(created.headers.get("content-type")).toContain("application/problem+json");
      }
      expect(await deals()).toBe(before);
      expect(
        parse(DealWithStage, await server.request("GET", `/api/v1/deals/${deal.id}`, { token: rita })),
      ).toMatchObject({ currency: "DKK", version: deal.version });
      // A real code is taken, in any case, and none at all clears it.
      const changed = parse(
        Deal,
        await server.request("PATCH", `/api/v1/deals/${deal.id}`, {
          token: rita,
          body: { currency: "chf", version: deal.version },
        }),
      );
      expect(changed.currency).toBe("CHF");
      const cleared = parse(
        Deal,
        await server.request("PATCH", `/api/v1/deals/${deal.id}`, {
          token: rita,
          body: { currency: null, version: changed.version },
        }),
      );
      expect(cleared.currency).toBeNull();
    });

    it("updates a deal's amount and contacts with its version, and deletes it", async () => {
      const deal = parse(
        Deal,
        await post("/api/v1/deals", { name: "Editable", amount: 10, currency: "sek" }),
      );
      expect(deal.currency).toBe("SEK");
      const updated = parse(
        Deal,
        await server.request("PATCH", `/api/v1/deals/${deal.id}`, {
          token: rita,
          body: { amount: 99.5, expectedCloseDate: "2027-01-31", version: 1 },
        }),
      );
      expect(updated).toMatchObject({ amount: 99.5, expectedCloseDate: "2027-01-31", version: 2 });
      expect((await server.request("DELETE", `/api/v1/deals/${deal.id}`, { token: rita })).status).toBe(200);
      expect((await server.request("GET", `/api/v1/deals/${deal.id}`, { token: rita })).status).toBe(404);
    });
  });

  describe("tasks", () => {
    it("creates a follow-up, marks it done, and lists open tasks by due date", async () => {
      const later = parse(
        Task,
        await post("/api/v1/tasks", { title: "Later", dueAt: "2026-12-10T09:00:00+01:00" }),
      );
      const sooner = parse(
        Task,
        await post("/api/v1/tasks", { title: "Sooner", dueAt: "2026-12-01T09:00:00Z" }),
      );
      const open = parse(Page(Task), await server.request("GET", "/api/v1/tasks?mine=true", { token: rita }));
      expect(open.items.map((t) => t.title).slice(0, 2)).toEqual(["Sooner", "Later"]);
      const done = parse(
        Task,
        await server.request("PATCH", `/api/v1/tasks/${sooner.id}`, {
          token: rita,
          body: { done: true, version: 1 },
        }),
      );
      expect(done.done).toBe(true);
      expect(done.doneAt).not.toBeNull();
      const stillOpen = parse(Page(Task), await server.request("GET", "/api/v1/tasks", { token: rita }));
      expect(stillOpen.items.map((t) => t.id)).toEqual([later.id]);
      const finished = parse(
        Page(Task),
        await server.request("GET", "/api/v1/tasks?status=done", { token: rita }),
      );
      expect(finished.items.map((t) => t.id)).toEqual([sooner.id]);
    });
  });

  describe("notes, calls and visits", () => {
    it("adds a note and a failed call to a person, lists, updates and deletes them", async () => {
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Noted Person", emails: ["noted@n.example"] }),
      );
      const note = parse(
        Interaction,
        await post("/api/v1/notes", {
          kind: "note",
          contactId: contact.id,
          body: "Met at the fair; wants a demo.",
        }),
      );
      expect(note).toMatchObject({
        kind: "note",
        body: "Met at the fair; wants a demo.",
        participants: [{ contactId: contact.id, role: "with" }],
      });
      const call = parse(
        Interaction,
        await post("/api/v1/notes", { kind: "call", contactId: contact.id, body: "", outcome: "no_answer" }),
      );
      expect(call.outcome).toBe("no_answer");

      const list = parse(
        Page(Interaction),
        await server.request("GET", `/api/v1/notes?contactId=${contact.id}`, { token: rita }),
      );
      expect(list.items.map((i) => i.id).sort()).toEqual([note.id, call.id].sort());
      const search = parse(
        Page(Interaction),
        await server.request("GET", "/api/v1/notes?q=demo", { token: rita }),
      );
      expect(search.items.map((i) => i.id)).toEqual([note.id]);

      const edited = parse(
        Interaction,
        await server.request("PATCH", `/api/v1/notes/${note.id}`, {
          token: rita,
          body: { body: "Wants a demo in March.", version: 1 },
        }),
      );
      expect(edited).toMatchObject({ body: "Wants a demo in March.", version: 2 });
      expect((await server.request("DELETE", `/api/v1/notes/${call.id}`, { token: rita })).status).toBe(200);
      expect((await server.request("GET", `/api/v1/notes/${call.id}`, { token: rita })).status).toBe(404);
    });

    it("refuses a note about an unknown person", async () => {
      const response = await post("/api/v1/notes", {
        kind: "note",
        contactId: "00000000-0000-4000-8000-000000000001",
        body: "x",
      });
      expect(response.status).toBe(404);
    });
  });

  describe("creates made safe to retry by a client-made id", () => {
    const countRows = async (table: "tasks" | "interactions", id: string) =>
      Number(
        (
          await server.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .where("id", "=", id)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("answers a repeated task create with the task the first one made, also when the twins race", async () => {
      const id = crypto.randomUUID();
      const body = { id, title: "Call back", dueAt: "2026-12-03T09:00:00Z" };
      const first = await post("/api/v1/tasks", body);
      expect(first.status).toBe(201);
      const again = await post("/api/v1/tasks", { ...body, title: "Changed in the retry" });
      expect(again.status).toBe(201);
      expect(parse(Task, again)).toEqual(parse(Task, first));
      expect(await countRows("tasks", id)).toBe(1);
      expect(await auditCount(id)).toBe(1);

      const raced = crypto.randomUUID();
      const twins = await Promise.all(
        Array.from({ length: 5 }, () => post("/api/v1/tasks", { id: raced, title: "Twin", dueAt: null })),
      );
      expect(twins.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(twins.map((r) => parse(Task, r).id))).toEqual(new Set([raced]));
      expect(await countRows("tasks", raced)).toBe(1);
    });

    it("answers a repeated note create with the note the first one made", async () => {
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Retry Person", emails: ["retry@n.example"] }),
      );
      const id = crypto.randomUUID();
      const body = { id, kind: "call", contactId: contact.id, body: "", outcome: "busy" };
      const [first, second] = [await post("/api/v1/notes", body), await post("/api/v1/notes", body)];
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(parse(Interaction, second)).toEqual(parse(Interaction, first));
      expect(await countRows("interactions", id)).toBe(1);
      const list = parse(
        Page(Interaction),
        await server.request("GET", `/api/v1/notes?contactId=${contact.id}`, { token: rita }),
      );
      expect(list.items.map((i) => i.id)).toEqual([id]);
    });

    it("answers every raced twin of a task or a note create with the record, never an error (50 races each)", async () => {
      // The twins collide on the primary key and on the (org_id, id) key; a 1-in-300 race once got a 500.
      const contact = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: "Race Person", emails: ["race@n.example"] }),
      );
      const statuses = new Map<number, number>();
      for (let round = 0; round < 50; round++) {
        const [task, note] = [crypto.randomUUID(), crypto.randomUUID()];
        const twins = await Promise.all([
          ...Array.from({ length: 5 }, () => post("/api/v1/tasks", { id: task, title: "Twin", dueAt: null })),
          ...Array.from({ length: 5 }, () =>
            post("/api/v1/notes", { id: note, kind: "note", contactId: contact.id, body: "Twin" }),
          ),
        ]);
        for (const twin of twins) statuses.set(twin.status, (statuses.get(twin.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 201: 500 });
    }, 120_000);

    it("refuses an id another organisation's record holds, and shows nothing of it", async () => {
      const id = crypto.randomUUID();
      await post("/api/v1/tasks", { id, title: "Contoso's secret plan", dueAt: null });
      const other = await server.token("olga@other.example");
      const response = await server.request("POST", "/api/v1/tasks", {
        token: other,
        body: { id, title: "Mine", dueAt: null },
      });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: "id_taken" });
      expect(JSON.stringify(response.body)).not.toContain("secret");
      const read = await server.request("GET", `/api/v1/tasks/${id}`, { token: rita });
      expect(parse(Task, read).title).toBe("Contoso's secret plan");
    });
  });

  describe("the organisation's logging policy", () => {
    const policyOf = async (token: string) =>
      parse(Me, await server.request("GET", "/api/v1/me", { token })).organization.loggingPolicy;

    it("is off until an admin turns it on; a member cannot change it; other organisations are untouched", async () => {
      const admin = await server.token("ada@policy.example");
      const member = await server.token("max@policy.example");
      const other = await server.token("olga@other-policy.example");
      const defaults = {
        logOnSendToKnownContacts: false,
        syncAllMailboxes: false,
        autoLoggedContent: "excerpt",
        followUpOpenDeals: false,
        followUpDays: 3,
      };
      expect(await policyOf(admin)).toEqual(defaults);

      const refused = await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: member,
        body: { logOnSendToKnownContacts: true },
      });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: "forbidden" });
      expect(await policyOf(admin)).toEqual(defaults);

      const changed = await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: admin,
        body: { logOnSendToKnownContacts: true },
      });
      expect(changed.status).toBe(200);
      const changedPolicy = { ...defaults, logOnSendToKnownContacts: true };
      expect(changed.body).toEqual(changedPolicy);
      expect(await policyOf(member)).toEqual(changedPolicy);
      expect(await policyOf(other)).toEqual(defaults);

      const bad = await server.request("PATCH", "/api/v1/organization/logging-policy", {
        token: admin,
        body: { logOnSendToKnownContacts: "yes" },
      });
      expect(bad.status).toBe(400);
      for (const refusedBody of [
        {},
        { autoLoggedContent: "everything" },
        { syncAllMailboxes: true, extra: 1 },
      ]) {
        const refusedChange = await server.request("PATCH", "/api/v1/organization/logging-policy", {
          token: admin,
          body: refusedBody,
        });
        expect(refusedChange.status).toBe(400);
      }
      expect(await policyOf(admin)).toEqual(changedPolicy);
    });
  });
});
