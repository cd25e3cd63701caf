import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { Contact } from "../../src/shared/contacts";
import { DealWithStage } from "../../src/shared/deals";
import { Interaction, LoggedEmail } from "../../src/shared/interactions";
import { ContactErased, PERSON_DATA_FORMAT, PersonDataExport } from "../../src/shared/person-data";
import { PipelineList } from "../../src/shared/pipelines";
import { Me } from "../../src/shared/routes";
import { Task } from "../../src/shared/tasks";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Anna Berg, a contact of Contoso, with two addresses, a company, two deals, a task, a note and four emails (one
 * with her alone, two shared with Bo Ek, one from Bo that quotes her address), named in Bo's records (a task's
 * notes, a note, a custom field), in a deal's name, and in an audit event that kept a snapshot of her. Evil Corp
 * has an Anna Berg of its own, at the same address, whom nothing here may touch.
 */

const ANNA = "anna.berg@fabrikam.example";
const ANNA_PRIVATE = "anna@berg.example";
const NAME = "Anna Berg";
/** Where Bo's records and a deal's name speak of her in their own words, which an erasure leaves them. */
const OTHERS_WORDS = [
  "contacts.custom_fields: Anna Berg",
  "deals.name: Anna Berg",
  "interactions.body: Anna Berg",
  "interactions.body: anna@berg.example",
  "tasks.notes: Anna Berg",
  "tasks.notes: anna.berg@fabrikam.example",
].sort();

describe.each(storeKinds)("a person's data: export and erasure (%s)", (kind) => {
  let server: TestServer;
  let rita: string; // admin
  let max: string; // member
  let eve: string; // another organisation's admin
  let ritaId: string;
  let contosoId: string;
  let anna: Contact;
  let bo: Contact;
  let eveAnna: Contact;
  let companyId: string;
  let renewal: DealWithStage;
  let pilot: DealWithStage;
  let annaTask: Task;
  let boTask: Task;
  let annaNote: Interaction;
  let boNote: Interaction;
  const email: Record<"alone" | "shared" | "headerName" | "fromBo", Interaction> = {} as never;

  const post = async <T>(path: string, body: unknown, token = rita): Promise<T> => {
    const response = await server.request<T>("POST", path, { token, body });
    expect([path, response.status < 300]).toEqual([path, true]);
    return response.body;
  };
  const logEmail = async (body: Record<string, unknown>, token = rita) =>
    LoggedEmail.parse(await post("/api/v1/emails", { sentAt: "2026-11-20T09:30:00Z", ...body }, token))
      .interaction;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    max = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    const me = parse(Me, await server.request("GET", "/api/v1/me", { token: rita }));
    ritaId = me.user.id;
    contosoId = me.organization.id;
    await server.request("GET", "/api/v1/me", { token: max });

    await post("/api/v1/custom-fields", {
      entity: "contact",
      key: "segment",
      label: "Segment",
      type: "text",
    });
    companyId = (
      await post<{ id: string }>("/api/v1/companies", { name: "Fabrikam", domain: "fabrikam.example" })
    ).id;
    anna = Contact.parse(
      await post("/api/v1/contacts", {
        displayName: NAME,
        firstName: "Anna",
        lastName: "Berg",
        title: "CFO",
        emails: [ANNA, ANNA_PRIVATE],
        phones: ["+46 8 123 456"],
        companyId,
        tags: ["vip"],
        customFields: { segment: "enterprise" },
      }),
    );
    bo = Contact.parse(
      await post("/api/v1/contacts", {
        displayName: "Bo Ek",
        emails: ["bo.ek@fabrikam.example"],
        companyId,
        customFields: { segment: `referred by ${NAME}` },
      }),
    );
    eveAnna = Contact.parse(
      await post("/api/v1/contacts", { displayName: NAME, emails: [ANNA], title: "CFO" }, eve),
    );

    const { pipelines } = parse(
      PipelineList,
      await server.request("GET", "/api/v1/pipelines", { token: rita }),
    );
    const stages = pipelines[0]?.stages ?? [];
    renewal = DealWithStage.parse(
      await post("/api/v1/deals", { name: "Fabrikam renewal", amount: 5000, contactIds: [anna.id, bo.id] }),
    );
    renewal = DealWithStage.parse(
      await post(`/api/v1/deals/${renewal.id}/stage`, { stageId: stages[1]?.id, version: renewal.version }),
    );
    pilot = DealWithStage.parse(
      await post("/api/v1/deals", { name: `${NAME}'s pilot`, contactIds: [anna.id] }),
    );

    annaTask = Task.parse(
      await post("/api/v1/tasks", {
        title: "Call her back",
        dueAt: "2026-12-01T09:00:00Z",
        contactId: anna.id,
      }),
    );
    boTask = Task.parse(
      await post("/api/v1/tasks", {
        title: "Ask Bo about the budget",
        notes: `He reports to ${NAME} (${ANNA})`,
        dueAt: "2026-12-02T09:00:00Z",
        contactId: bo.id,
      }),
    );
    annaNote = Interaction.parse(
      await post("/api/v1/notes", { kind: "meeting", contactId: anna.id, body: "Met at the fair in Malmö" }),
    );
    boNote = Interaction.parse(
      await post("/api/v1/notes", {
        kind: "call",
        contactId: bo.id,
        body: "Bo says ANNA BERG is leaving in May",
      }),
    );

    email.alone = await logEmail({
      internetMessageId: "<q3-proposal@mail.fabrikam.example>",
      subject: "Proposal for Q3",
      from: { address: ANNA, name: NAME },
      to: [{ address: "rita@contoso.example", name: "Rita" }],
      bodyText: `Hi Rita, here is the proposal.\n\nBest,\n${NAME}\nCFO, Fabrikam`,
    });
    email.shared = await logEmail({
      internetMessageId: "<pilot-thread@mail.fabrikam.example>",
      subject: `Re: pilot with ${NAME}`,
      from: { address: ANNA, name: NAME },
      to: [{ address: "rita@contoso.example" }],
      cc: [{ address: "bo.ek@fabrikam.example", name: "Bo Ek" }],
      bodyText: "Let us start in January.\n\n> On Monday Rita wrote: what about the pilot?",
    });
    email.headerName = await logEmail({
      internetMessageId: "<contract@mail.fabrikam.example>",
      subject: "Contract",
      from: { address: ANNA_PRIVATE.toUpperCase(), name: "Berg, Anna" },
      to: [{ address: "bo.ek@fabrikam.example" }],
      bodyText: "Signed copy attached.",
    });
    email.fromBo = await logEmail({
      internetMessageId: "<from-bo@mail.fabrikam.example>",
      subject: "New contact",
      from: { address: "bo.ek@fabrikam.example", name: "Bo Ek" },
      to: [{ address: "rita@contoso.example" }],
      bodyText: `Please write to Anna from now on: ${ANNA_PRIVATE}. Thanks!`,
    });

    // An audit trail that kept a snapshot of her, as a "before" of an update might.
    await server.database.db
      .insertInto("audit_events")
      .values({
        org_id: contosoId,
        actor_id: ritaId,
        action: "contact.updated",
        entity_type: "contact",
        entity_id: anna.id,
        details: JSON.stringify({
          before: { displayName: NAME, emails: [ANNA, ANNA_PRIVATE] },
          fields: ["title"],
        }),
      })
      .execute();
  });
  afterAll(() => server.close());

  describe("export", () => {
    it("hands everything about her to anyone in the organisation, as a JSON file to save", async () => {
      const response = await server.request("GET", `/api/v1/contacts/${anna.id}/data-export`, { token: max });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="person-data-${anna.id}.json"`,
      );
      const doc = parse(PersonDataExport, response);

      expect(doc.format).toBe(PERSON_DATA_FORMAT);
      expect(Object.keys(doc.description).sort()).toEqual([
        "auditEvents",
        "company",
        "contact",
        "customFields",
        "deals",
        "interactions",
        "leads",
        "ratings",
        "stageChanges",
        "tasks",
        "users",
      ]);
      expect(doc.organization).toEqual({ id: contosoId, name: expect.any(String) });
      expect(doc.contact).toMatchObject({
        id: anna.id,
        displayName: NAME,
        firstName: "Anna",
        lastName: "Berg",
        title: "CFO",
        emails: [ANNA, ANNA_PRIVATE],
        phones: ["+46 8 123 456"],
        companyId,
        tags: ["vip"],
        customFields: { segment: "enterprise" },
      });
      expect(doc.customFields).toEqual([
        { key: "segment", label: "Segment", type: "text", value: "enterprise" },
      ]);
      expect(doc.company).toMatchObject({ id: companyId, name: "Fabrikam", domain: "fabrikam.example" });

      expect(doc.deals.map((d) => d.name).sort()).toEqual([`${NAME}'s pilot`, "Fabrikam renewal"]);
      // Renewal: created in Prospecting, moved to Qualification; the pilot created in Prospecting.
      expect(
        doc.stageChanges.map((c) => [c.dealName, c.fromStage?.name ?? null, c.toStage.name]).sort(),
      ).toEqual([
        [`${NAME}'s pilot`, null, "Prospecting"],
        ["Fabrikam renewal", null, "Prospecting"],
        ["Fabrikam renewal", "Prospecting", "Qualification"],
      ]);
      expect(doc.tasks.map((t) => t.id)).toEqual([annaTask.id]);

      // Her meeting and the three emails she is on; not Bo's email that only quotes her address.
      expect(doc.interactions.map((i) => i.id).sort()).toEqual(
        [annaNote.id, email.alone.id, email.shared.id, email.headerName.id].sort(),
      );
      const alone = doc.interactions.find((i) => i.id === email.alone.id);
      expect(alone?.body).toBe(`Hi Rita, here is the proposal.\n\nBest,\n${NAME}\nCFO, Fabrikam`);
      expect(alone?.participants[0]).toEqual({ address: ANNA, name: NAME, contactId: anna.id, role: "from" });
      expect(doc.interactions.find((i) => i.id === annaNote.id)?.body).toBe("Met at the fair in Malmö");

      // The audit trail about her, her task and her interactions, oldest first.
      const about = new Set(doc.auditEvents.map((e) => `${e.action} ${e.entityId}`));
      for (const expected of [
        `contact.created ${anna.id}`,
        `contact.updated ${anna.id}`,
        `task.created ${annaTask.id}`,
        `meeting.created ${annaNote.id}`,
        `email.logged ${email.alone.id}`,
      ])
        expect(about).toContain(expected);
      expect(
        doc.auditEvents.every((e) =>
          [anna.id, annaTask.id, ...doc.interactions.map((i) => i.id)].includes(e.entityId),
        ),
      ).toBe(true);
      const times = doc.auditEvents.map((e) => e.at);
      expect(times).toEqual([...times].sort());

      // The colleagues it names, so ids read as people.
      expect(doc.users.map((u) => u.email).sort()).toEqual(["max@contoso.example", "rita@contoso.example"]);
      expect(doc.exportedBy.email).toBe("max@contoso.example");
    });

    it("answers 404 for another organisation's contact, exactly as for one that never was", async () => {
      const foreign = await server.request("GET", `/api/v1/contacts/${anna.id}/data-export`, { token: eve });
      const unknown = await server.request("GET", `/api/v1/contacts/${randomUUID()}/data-export`, {
        token: eve,
      });
      expect([foreign.status, unknown.status]).toEqual([404, 404]);
      expect((foreign.body as { code: string }).code).toBe("not_found");
      expect(JSON.stringify(foreign.body)).not.toContain(NAME);
    });
  });

  describe("erasure", () => {
    /** Every text, text[], json and jsonb column of every table, as the catalogue lists them. */
    async function textColumns() {
      const { rows } = await sql<{ table_name: string; column_name: string }>`
        select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
            or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
        order by 1, 2`.execute(server.database.db);
      return rows;
    }

    /** Where Contoso's store still holds one of these (case-insensitively): "table.column", one per hit. */
    async function traces(needles: string[]): Promise<string[]> {
      const { db } = server.database;
      const orgScoped = new Set(
        (
          await sql<{ table_name: string }>`
            select table_name from information_schema.columns
            where table_schema = current_schema() and column_name = 'org_id'`.execute(db)
        ).rows.map((r) => r.table_name),
      );
      const found: string[] = [];
      for (const { table_name, column_name } of await textColumns()) {
        const where = orgScoped.has(table_name)
          ? sql`org_id = ${contosoId}`
          : table_name === "organizations"
            ? sql`id = ${contosoId}`
            : sql`true`;
        for (const needle of needles) {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from ${sql.table(table_name)}
            where ${where} and lower(${sql.ref(column_name)}::text) like ${`%${needle.toLowerCase()}%`}`.execute(
            db,
          );
          if ((rows[0]?.n ?? 0) > 0) found.push(`${table_name}.${column_name}: ${needle}`);
        }
      }
      return found;
    }

    it("searches every text column of the store (the check below would see her anywhere)", async () => {
      const columns = (await textColumns()).map((c) => `${c.table_name}.${c.column_name}`);
      expect(columns).toEqual(
        expect.arrayContaining([
          "interactions.body",
          "audit_events.details",
          "contacts.custom_fields",
          "tasks.notes",
        ]),
      );
      expect(await traces([ANNA, ANNA_PRIVATE, NAME])).toEqual(
        expect.arrayContaining([
          `contact_emails.address: ${ANNA}`,
          `interactions.body: ${ANNA_PRIVATE}`,
          `audit_events.details: ${NAME}`,
          `deals.name: ${NAME}`,
          `contacts.custom_fields: ${NAME}`,
        ]),
      );
    });

    it("is for admins: a member is refused and nothing changes", async () => {
      const response = await server.request("POST", `/api/v1/contacts/${anna.id}/erase`, { token: max });
      expect(response.status).toBe(403);
      expect((response.body as { code: string }).code).toBe("forbidden");
      expect((await server.request("GET", `/api/v1/contacts/${anna.id}`, { token: rita })).status).toBe(200);
    });

    it("answers 404 for another organisation's contact, exactly as for one that never was", async () => {
      const foreign = await server.request("POST", `/api/v1/contacts/${anna.id}/erase`, { token: eve });
      const unknown = await server.request("POST", `/api/v1/contacts/${randomUUID()}/erase`, { token: eve });
      expect([foreign.status, unknown.status]).toEqual([404, 404]);
      expect(foreign.body).toEqual({ ...(unknown.body as object) });
      expect((await server.request("GET", `/api/v1/contacts/${anna.id}`, { token: rita })).status).toBe(200);
    });

    it("erases her from what is about her, leaves what is others', and says what it did in counts", async () => {
      const response = await server.request("POST", `/api/v1/contacts/${anna.id}/erase`, { token: rita });
      expect(response.status).toBe(200);
      expect(parse(ContactErased, response)).toEqual({
        id: anna.id,
        erased: true,
        // Her meeting and the email with her alone.
        interactionsDeleted: 2,
        // The two emails Bo was on.
        interactionsScrubbed: 2,
        tasksDeleted: 1,
        leadsDeleted: 0,
        ratingsDeleted: 0,
        // The shared email's subject.
        recordsScrubbed: 1,
        auditEventsScrubbed: 1,
      });

      // Nothing of her is left but what other records say in their own words.
      expect((await traces([ANNA, ANNA_PRIVATE, NAME, "Berg, Anna"])).sort()).toEqual(OTHERS_WORDS);

      const get = (path: string) => server.request("GET", path, { token: rita });
      expect((await get(`/api/v1/contacts/${anna.id}`)).status).toBe(404);
      expect((await get(`/api/v1/tasks/${annaTask.id}`)).status).toBe(404);
      expect((await get(`/api/v1/notes/${annaNote.id}`)).status).toBe(404);
      expect((await get(`/api/v1/emails/${email.alone.id}`)).status).toBe(404);

      // Bo's records are his: left as they were, versions and all.
      const boNow = parse(Contact, await get(`/api/v1/contacts/${bo.id}`));
      expect(boNow).toEqual(bo);
      expect(parse(Task, await get(`/api/v1/tasks/${boTask.id}`))).toEqual(boTask);
      expect(parse(Interaction, await get(`/api/v1/notes/${boNote.id}`))).toEqual(boNote);
      const shared = parse(Interaction, await get(`/api/v1/emails/${email.shared.id}`));
      expect(shared).toMatchObject({ subject: "Re: pilot with [erased]", body: null });
      expect(shared.participants.map((p) => p.address)).toEqual([
        "rita@contoso.example",
        "bo.ek@fabrikam.example",
      ]);
      expect(shared.version).toBeGreaterThan(email.shared.version);
      const headerName = parse(Interaction, await get(`/api/v1/emails/${email.headerName.id}`));
      expect(headerName).toMatchObject({ subject: "Contract", body: null });
      expect(headerName.participants.map((p) => p.address)).toEqual(["bo.ek@fabrikam.example"]);
      // An email she was not on is the record of those who were.
      expect(parse(Interaction, await get(`/api/v1/emails/${email.fromBo.id}`))).toEqual(email.fromBo);

      // Deals stay, with their names; she is off them.
      const renewalNow = parse(DealWithStage, await get(`/api/v1/deals/${renewal.id}`));
      expect(renewalNow).toMatchObject({ name: "Fabrikam renewal", contactIds: [bo.id], amount: 5000 });
      expect(parse(DealWithStage, await get(`/api/v1/deals/${pilot.id}`))).toMatchObject({
        name: `${NAME}'s pilot`,
        contactIds: [],
      });
      expect((await get(`/api/v1/companies/${companyId}`)).status).toBe(200);

      // Evil Corp's Anna Berg is another person, in another organisation.
      expect(
        parse(Contact, await server.request("GET", `/api/v1/contacts/${eveAnna.id}`, { token: eve })),
      ).toMatchObject({
        displayName: NAME,
        emails: [ANNA],
      });
    });

    it("leaves in the audit trail that she was erased, by whom and when, and nothing of her", async () => {
      const events = await server.database.db
        .selectFrom("audit_events")
        .select(["action", "actor_id", "entity_id", "details", "at"])
        .where("org_id", "=", contosoId)
        .where("action", "=", "contact.erased")
        .execute();
      expect(events).toEqual([
        {
          action: "contact.erased",
          actor_id: ritaId,
          entity_id: anna.id,
          at: expect.any(Date),
          details: {
            interactionsDeleted: 2,
            interactionsScrubbed: 2,
            tasksDeleted: 1,
            leadsDeleted: 0,
            ratingsDeleted: 0,
            recordsScrubbed: 1,
            auditEventsScrubbed: 1,
          },
        },
      ]);
      // The snapshot an older event kept is rewritten, its shape intact.
      const snapshot = await server.database.db
        .selectFrom("audit_events")
        .select("details")
        .where("org_id", "=", contosoId)
        .where("entity_id", "=", anna.id)
        .where(sql<boolean>`details ? 'before'`)
        .executeTakeFirstOrThrow();
      expect(snapshot.details).toEqual({
        before: { displayName: "[erased]", emails: ["[erased]", "[erased]"] },
        fields: ["title"],
      });
    });

    it("answers 404 when asked again: she is gone", async () => {
      const again = await server.request("POST", `/api/v1/contacts/${anna.id}/erase`, { token: rita });
      expect(again.status).toBe(404);
      const exported = await server.request("GET", `/api/v1/contacts/${anna.id}/data-export`, {
        token: rita,
      });
      expect(exported.status).toBe(404);
    });

    it("does not bring her back when a shared email is logged again (a colleague, the mailbox sync)", async () => {
      const again = await logEmail(
        {
          internetMessageId: "<pilot-thread@mail.fabrikam.example>",
          subject: `Re: pilot with ${NAME}`,
          from: { address: ANNA, name: NAME },
          to: [{ address: "rita@contoso.example" }],
          cc: [{ address: "bo.ek@fabrikam.example", name: "Bo Ek" }],
          bodyText: "Let us start in January.",
          source: "auto",
        },
        max,
      );
      expect(again.id).toBe(email.shared.id);
      expect(again.participants.map((p) => p.address)).toEqual([
        "rita@contoso.example",
        "bo.ek@fabrikam.example",
      ]);
      expect((await traces([ANNA, ANNA_PRIVATE, NAME, "Berg, Anna"])).sort()).toEqual(OTHERS_WORDS);
    });

    it("leaves a company, a deal and another contact's mail that only look like an erased sender", async () => {
      // Olle writes as "Acme Corp", the name of a company and of a deal of Contoso's; Bo is on one of his emails.
      const acme = (await post<{ id: string }>("/api/v1/companies", { name: "Acme Corp" })).id;
      let olle = Contact.parse(
        await post("/api/v1/contacts", {
          displayName: "Olle Lind",
          emails: ["olle@acme.example", "orders@acme.example"],
        }),
      );
      // He wrote from the orders address, then handed it to Acme's order desk, who wrote from it too.
      const olleOrders = await logEmail({
        internetMessageId: "<olle-orders@acme.example>",
        subject: "First order",
        from: { address: "orders@acme.example", name: "Acme Corp" },
        to: [{ address: "rita@contoso.example" }],
      });
      olle = parse(
        Contact,
        await server.request("PATCH", `/api/v1/contacts/${olle.id}`, {
          token: rita,
          body: { emails: ["olle@acme.example"], version: olle.version },
        }),
      );
      await post("/api/v1/contacts", { displayName: "Acme Order Desk", emails: ["orders@acme.example"] });
      const desk = await logEmail({
        internetMessageId: "<desk@acme.example>",
        subject: "Your order has shipped",
        from: { address: "orders@acme.example", name: "Acme Corp" },
        to: [{ address: "rita@contoso.example" }],
      });
      const deal = DealWithStage.parse(
        await post("/api/v1/deals", { name: "Acme Corp", companyId: acme, contactIds: [olle.id, bo.id] }),
      );
      const task = Task.parse(
        await post("/api/v1/tasks", {
          title: "Send Acme Corp the quote",
          dueAt: "2026-12-03T09:00:00Z",
          dealId: deal.id,
        }),
      );
      const order = await logEmail({
        internetMessageId: "<order@acme.example>",
        subject: "Acme Corp order",
        from: { address: "olle@acme.example", name: "Acme Corp" },
        to: [{ address: "rita@contoso.example" }],
        cc: [{ address: "bo.ek@fabrikam.example", name: "Bo Ek" }],
        bodyText: "Please confirm.\n\nAcme Corp",
      });
      const aboutAcme = await logEmail({
        internetMessageId: "<about-acme@mail.fabrikam.example>",
        subject: "Acme Corp pricing",
        from: { address: "bo.ek@fabrikam.example", name: "Bo Ek" },
        to: [{ address: "rita@contoso.example" }],
        bodyText: "Acme Corp asked for a discount.",
      });

      const erased = await server.request("POST", `/api/v1/contacts/${olle.id}/erase`, { token: rita });
      expect(parse(ContactErased, erased)).toMatchObject({ interactionsDeleted: 1, interactionsScrubbed: 1 });

      const get = (path: string) => server.request("GET", path, { token: rita });
      expect(
        [(await get(`/api/v1/companies/${acme}`)).body, (await get(`/api/v1/deals/${deal.id}`)).body].map(
          (r) => (r as { name: string }).name,
        ),
      ).toEqual(["Acme Corp", "Acme Corp"]);
      expect(parse(DealWithStage, await get(`/api/v1/deals/${deal.id}`)).contactIds).toEqual([bo.id]);
      expect(parse(Task, await get(`/api/v1/tasks/${task.id}`))).toEqual(task);
      expect(parse(Interaction, await get(`/api/v1/emails/${aboutAcme.id}`))).toEqual(aboutAcme);
      // The address he once had is the order desk's now, and so is the mail it wrote since; his own went.
      expect(parse(Interaction, await get(`/api/v1/emails/${desk.id}`))).toEqual(desk);
      expect((await get(`/api/v1/emails/${olleOrders.id}`)).status).toBe(404);
      // The email he was on: without him, his excerpt, and the name his mail carried where it meant him.
      const orderNow = parse(Interaction, await get(`/api/v1/emails/${order.id}`));
      expect(orderNow).toMatchObject({ subject: "[erased] order", body: null });
      expect(orderNow.participants.map((p) => [p.address, p.name])).toEqual([
        ["rita@contoso.example", null],
        ["bo.ek@fabrikam.example", "Bo Ek"],
      ]);
    });
  });
});
