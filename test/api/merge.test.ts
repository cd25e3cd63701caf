import { sql } from "kysely";
import { COMPANY_REFERENCES, CONTACT_REFERENCES } from "../../src/server/duplicates/merge";
import { type WebhookWorker, createWebhookWorker } from "../../src/server/webhooks/worker";
import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { CompanyMerged, ContactMerged } from "../../src/shared/duplicates";
import { Problem } from "../../src/shared/errors";
import { Timeline } from "../../src/shared/people";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { WebhookReceiver } from "../helpers/webhook-receiver";

/*
 * Merging two contacts or two companies through the API: the kept record takes the chosen fields and everything
 * of the other, conflicts are resolved, a stale version leaves both untouched, the merged-away id points at the
 * kept one, the webhook is delivered, the audit says what was chosen. And the catalog: every table referencing
 * contacts or companies is handled by the merge.
 */

describe.each(storeKinds)("merging records (%s)", (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let worker: WebhookWorker;

  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { allowPrivate: true } });
    receiver = await new WebhookReceiver().start();
    worker = createWebhookWorker({
      database: server.database,
      clock: () => new Date(),
      config: {
        intervalSeconds: 1,
        allowPrivate: true,
        timeoutMs: 2000,
        backoffBaseMs: 1000,
        backoffMaxMs: 60_000,
        maxAttempts: 3,
        concurrency: 1,
      },
    });
  });
  afterAll(async () => {
    await worker.stop();
    await receiver.close();
    await server.close();
  });

  const ok = <T>(status: number, response: Response<T>): T => {
    expect([response.status, response.body]).toEqual([status, expect.anything()]);
    return response.body;
  };
  const post = async <T>(token: string, path: string, body: unknown, status = 201) =>
    ok(status, await server.request<T>("POST", path, { token, body }));
  const newContact = async (token: string, body: Record<string, unknown>) =>
    Contact.parse(await post(token, "/api/v1/contacts", body));
  const newCompany = async (token: string, body: Record<string, unknown>) =>
    Company.parse(await post(token, "/api/v1/companies", body));
  /** A request that does not follow redirects, as a client without that habit sees the answer. */
  const unfollowed = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: (await response.json()) as unknown,
    };
  };
  const count = async (table: string, column: string, id: string) =>
    Number(
      (
        await sql<{
          n: string;
        }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(
          server.database.db,
        )
      ).rows[0]?.n,
    );

  it("handles every table that references contacts or companies (read from the catalog)", async () => {
    const references = await sql<{ target: string; source: string }>`
      select confrelid::regclass::text as target,
             conrelid::regclass::text || '.' || (
               select string_agg(a.attname, ',' order by a.attnum)
               from unnest(c.conkey) as k(n) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n
               where a.attname <> 'org_id'
             ) as source
      from pg_constraint c
      where contype = 'f' and confrelid in ('contacts'::regclass, 'companies'::regclass)
    `.execute(server.database.db);
    const of = (target: string) =>
      references.rows
        .filter((r) => r.target === target)
        .map((r) => r.source)
        .sort();
    // A table added with a foreign key to contacts or companies fails here until merge.ts says what a merge does
    // with its rows (src/server/duplicates/merge.ts: CONTACT_REFERENCES, COMPANY_REFERENCES).
    expect(of("contacts")).toEqual(Object.keys(CONTACT_REFERENCES).sort());
    expect(of("companies")).toEqual(Object.keys(COMPANY_REFERENCES).sort());
  });

  it("merges two contacts field by field, moving every interaction, deal, task, tag, address and custom field", async () => {
    const token = await server.token("ada@merge.example");
    await post(token, "/api/v1/custom-fields", {
      entity: "contact",
      key: "size",
      label: "Size",
      type: "number",
    });
    await post(token, "/api/v1/custom-fields", {
      entity: "contact",
      key: "tier",
      label: "Tier",
      type: "text",
    });
    await post(token, "/api/v1/custom-fields", {
      entity: "contact",
      key: "region",
      label: "Region",
      type: "text",
    });
    const acme = await newCompany(token, { name: "Acme" });
    const kept = await newContact(token, {
      displayName: "Anna Berg",
      firstName: "Anna",
      title: "CTO",
      emails: ["anna@acme.example"],
      phones: ["+46 70 111 11 11"],
      tags: ["vip", "nordics"],
      customFields: { size: 10, tier: "gold" },
    });
    const merged = await newContact(token, {
      displayName: "Anna B.",
      firstName: "Annie",
      title: "Chief Technology Officer",
      companyId: acme.id,
      emails: ["anna+news@acme.example", "anna.berg@home.example"],
      phones: ["+46 70 222 22 22", "+46 70 111 11 11"],
      tags: ["vip", "newsletter"],
      customFields: { size: 12, region: "north" },
    });
    // An email with the merged-away contact, a note on it, a task for it, a deal with both and one with it alone.
    await post(token, "/api/v1/emails", {
      internetMessageId: "<m1@acme.example>",
      subject: "Hello",
      from: { address: "anna.berg@home.example", name: "Anna" },
      to: [{ address: "ada@merge.example", name: "Ada" }],
      cc: [],
      sentAt: "2026-11-20T09:30:00.000Z",
      bodyText: "Hi",
    });
    await post(token, "/api/v1/notes", { kind: "note", contactId: merged.id, body: "Met at the fair" });
    const task = await post<{ id: string }>(token, "/api/v1/tasks", {
      title: "Call",
      dueAt: null,
      contactId: merged.id,
    });
    const both = await post<{ id: string }>(token, "/api/v1/deals", {
      name: "Both",
      contactIds: [kept.id, merged.id],
    });
    const alone = await post<{ id: string }>(token, "/api/v1/deals", {
      name: "Alone",
      contactIds: [merged.id],
    });
    const before = {
      emails:
        (await count("contact_emails", "contact_id", kept.id)) +
        (await count("contact_emails", "contact_id", merged.id)),
      participants:
        (await count("interaction_participants", "contact_id", kept.id)) +
        (await count("interaction_participants", "contact_id", merged.id)),
    };

    const result = parse(
      ContactMerged,
      await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
        token,
        body: {
          version: kept.version,
          mergedId: merged.id,
          mergedVersion: merged.version,
          fields: { firstName: "merged", companyId: "merged", title: "kept" },
          customFields: { size: "merged" },
        },
      }),
    );
    expect(result.mergedId).toBe(merged.id);
    expect(result.kept).toMatchObject({
      id: kept.id,
      displayName: "Anna Berg",
      firstName: "Annie",
      title: "CTO",
      companyId: acme.id,
      emails: ["anna@acme.example", "anna+news@acme.example", "anna.berg@home.example"],
      phones: ["+46 70 111 11 11", "+46 70 222 22 22"],
      tags: ["vip", "nordics", "newsletter"],
      customFields: { size: 12, tier: "gold", region: "north" },
      version: kept.version + 1,
    });
    expect(await count("contacts", "id", merged.id)).toBe(0);
    expect(await count("contact_emails", "contact_id", kept.id)).toBe(before.emails);
    expect(await count("interaction_participants", "contact_id", kept.id)).toBe(before.participants);
    expect(await count("interaction_participants", "contact_id", kept.id)).toBeGreaterThanOrEqual(2);
    const movedTask = ok(
      200,
      await server.request<{ contactId: string }>("GET", `/api/v1/tasks/${task.id}`, { token }),
    );
    expect(movedTask.contactId).toBe(kept.id);
    for (const deal of [both, alone]) {
      const read = ok(
        200,
        await server.request<{ contactIds: string[] }>("GET", `/api/v1/deals/${deal.id}`, { token }),
      );
      expect(read.contactIds).toEqual([kept.id]);
    }
    // The timeline of the kept contact has the email and the note.
    const timeline = parse(
      Timeline,
      await server.request("GET", `/api/v1/contacts/${kept.id}/timeline`, { token }),
    );
    expect(
      timeline.items.map((i) => (i.type === "interaction" ? i.interaction.kind : i.type)).sort(),
    ).toEqual(["email", "note", "stage_change", "stage_change", "task"]); // each deal's opening too

    const audit = await server.database.db
      .selectFrom("audit_events")
      .select(["entity_id", "details"])
      .where("action", "=", "contact.merged")
      .where("entity_id", "in", [kept.id, merged.id])
      .execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([kept.id, merged.id].sort());
    expect(audit[0]?.details).toEqual({
      keptId: kept.id,
      mergedId: merged.id,
      fromMerged: ["firstName", "companyId", "customFields.size"],
    });
  });

  it("answers a read of a merged-away contact's id with 301 to the kept one and a write with 409 that changes nothing, and lands notes and tasks made for it there", async () => {
    const token = await server.token("ada@pointer.example");
    const kept = await newContact(token, { displayName: "Bo", emails: ["bo@pointer.example"] });
    const merged = await newContact(token, { displayName: "Bo L", emails: ["bo+x@pointer.example"] });
    await post(
      token,
      `/api/v1/contacts/${kept.id}/merge`,
      { version: kept.version, mergedId: merged.id, mergedVersion: merged.version },
      200,
    );
    const read = await unfollowed(token, "GET", `/api/v1/contacts/${merged.id}`);
    expect(read.status).toBe(301);
    expect(read.location).toBe(`/api/v1/contacts/${kept.id}`);
    expect(Problem.parse(read.body)).toMatchObject({
      code: "record_merged",
      mergedInto: { type: "contact", id: kept.id },
    });
    // A write to it is refused, never redirected: the kept contact's version is 2 after the merge, and a stale
    // PATCH made against the merged-away contact with version 2 would have landed on it.
    const keptNow = Contact.parse(
      ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${kept.id}`, { token })),
    );
    const patch = await unfollowed(token, "PATCH", `/api/v1/contacts/${merged.id}`, {
      version: keptNow.version,
      title: "CEO",
    });
    expect([patch.status, patch.location]).toEqual([409, null]);
    expect(Problem.parse(patch.body)).toMatchObject({
      type: "https://rapport.dev/problems/record_merged",
      code: "record_merged",
      mergedInto: { type: "contact", id: kept.id, location: `/api/v1/contacts/${kept.id}` },
    });
    // Followed by fetch as a client would: still 409, and the kept contact is as it was.
    const followedPatch = await server.request<Problem>("PATCH", `/api/v1/contacts/${merged.id}`, {
      token,
      body: { version: keptNow.version, title: "CEO" },
    });
    expect(followedPatch.status).toBe(409);
    const keptAfter = ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${kept.id}`, { token }));
    expect([keptAfter.version, keptAfter.title]).toEqual([keptNow.version, keptNow.title]);
    // A client that follows redirects (fetch, the add-in's and the web app's API client) reads the kept contact.
    const followed = ok(
      200,
      await server.request<Contact>("GET", `/api/v1/contacts/${merged.id}`, { token }),
    );
    expect(followed.id).toBe(kept.id);
    // What the add-in's outbox replays after the merge (a note and a task made for the merged-away contact).
    const note = await post<{ id: string }>(token, "/api/v1/notes", {
      id: "0b5c3f52-52a4-4a43-8c3e-111111111111",
      kind: "call",
      contactId: merged.id,
      body: "Called back",
    });
    expect(await count("interaction_participants", "interaction_id", note.id)).toBe(1);
    const participant = await server.database.db
      .selectFrom("interaction_participants")
      .select("contact_id")
      .where("interaction_id", "=", note.id)
      .executeTakeFirstOrThrow();
    expect(participant.contact_id).toBe(kept.id);
    const task = await post<{ contactId: string }>(token, "/api/v1/tasks", {
      id: "0b5c3f52-52a4-4a43-8c3e-222222222222",
      title: "Send the offer",
      dueAt: null,
      contactId: merged.id,
    });
    expect(task.contactId).toBe(kept.id);
    // Deleting, merging or erasing by it goes nowhere: the merged-away id is not the kept contact's.
    const deleted = await unfollowed(token, "DELETE", `/api/v1/contacts/${merged.id}`);
    expect([deleted.status, deleted.location]).toEqual([409, null]);
    expect(Problem.parse(deleted.body)).toMatchObject({ code: "record_merged", mergedInto: { id: kept.id } });
    const other = await newContact(token, { displayName: "Cy", emails: ["cy@pointer.example"] });
    const mergeInto = await unfollowed(token, "POST", `/api/v1/contacts/${merged.id}/merge`, {
      version: 1,
      mergedId: other.id,
      mergedVersion: other.version,
    });
    expect([mergeInto.status, mergeInto.location]).toEqual([409, null]);
    const mergeAway = await unfollowed(token, "POST", `/api/v1/contacts/${other.id}/merge`, {
      version: other.version,
      mergedId: merged.id,
      mergedVersion: 1,
    });
    expect(Problem.parse(mergeAway.body)).toMatchObject({ status: 409, mergedInto: { id: kept.id } });
    const erase = await unfollowed(token, "POST", `/api/v1/contacts/${merged.id}/erase`);
    expect(Problem.parse(erase.body)).toMatchObject({ status: 409, mergedInto: { id: kept.id } });
    // A survey link is a write too: 409 naming the kept contact, and no link made.
    const survey = await unfollowed(token, "POST", `/api/v1/contacts/${merged.id}/rating-links`, {
      kind: "nps",
    });
    expect(Problem.parse(survey.body)).toMatchObject({ status: 409, mergedInto: { id: kept.id } });
    expect(await count("contacts", "id", kept.id)).toBe(1);
    expect(await count("contacts", "id", other.id)).toBe(1);
    expect(await count("contact_merges", "kept_id", other.id)).toBe(0);
    // Another organisation learns nothing of the pointer.
    const stranger = await server.token("eve@stranger.example");
    expect((await unfollowed(stranger, "GET", `/api/v1/contacts/${merged.id}`)).status).toBe(404);
  });

  it("follows a chain of merges to the record kept last, and carries a dismissed pair to the kept record", async () => {
    const token = await server.token("ada@chain.example");
    const a = await newContact(token, { displayName: "A", emails: ["a@chain.example"] });
    const b = await newContact(token, { displayName: "B", emails: ["a+b@chain.example"] });
    const c = await newContact(token, { displayName: "C", emails: ["a+c@chain.example"] });
    await post(token, "/api/v1/duplicates/contacts/dismissals", { ids: [a.id, c.id] }, 200);
    await post(
      token,
      `/api/v1/contacts/${b.id}/merge`,
      { version: b.version, mergedId: a.id, mergedVersion: a.version },
      200,
    );
    // "A is not C" now says "B is not C": the pair is not listed again.
    const pairs = ok(
      200,
      await server.request<{ items: unknown[] }>("GET", "/api/v1/duplicates/contacts", { token }),
    );
    expect(pairs.items).toEqual([]);
    const bNow = ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${b.id}`, { token }));
    await post(
      token,
      `/api/v1/contacts/${c.id}/merge`,
      { version: c.version, mergedId: b.id, mergedVersion: bNow.version },
      200,
    );
    for (const gone of [a.id, b.id]) {
      const read = await unfollowed(token, "GET", `/api/v1/contacts/${gone}`);
      expect([read.status, read.location]).toEqual([301, `/api/v1/contacts/${c.id}`]);
    }
  });

  it("refuses a stale version of either record with 409, and merges nothing", async () => {
    const token = await server.token("ada@stale.example");
    const kept = await newContact(token, { displayName: "Cy", emails: ["cy@stale.example"], tags: ["a"] });
    const merged = await newContact(token, {
      displayName: "Cy 2",
      emails: ["cy+2@stale.example"],
      tags: ["b"],
    });
    await post(token, "/api/v1/notes", { kind: "note", contactId: merged.id, body: "Note" });
    const edited = ok(
      200,
      await server.request<Contact>("PATCH", `/api/v1/contacts/${merged.id}`, {
        token,
        body: { version: merged.version, title: "Buyer" },
      }),
    );
    const staleMerged = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: kept.version, mergedId: merged.id, mergedVersion: merged.version },
    });
    expect(staleMerged.status).toBe(409);
    expect(Problem.parse(staleMerged.body)).toMatchObject({
      code: "version_conflict",
      current: { id: merged.id, title: "Buyer" },
    });
    const staleKept = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: kept.version + 5, mergedId: merged.id, mergedVersion: edited.version },
    });
    expect(staleKept.status).toBe(409);
    expect(Problem.parse(staleKept.body)).toMatchObject({
      code: "version_conflict",
      current: { id: kept.id },
    });
    // Untouched: both there as they were, the note still the merged-away one's, no audit, no pointer.
    expect(
      ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${kept.id}`, { token })),
    ).toMatchObject({
      tags: ["a"],
      version: kept.version,
    });
    expect(
      ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${merged.id}`, { token })),
    ).toMatchObject({
      id: merged.id,
      version: edited.version,
    });
    expect(await count("interaction_participants", "contact_id", merged.id)).toBe(1);
    expect(await count("contact_merges", "merged_id", merged.id)).toBe(0);
    expect(await count("audit_events", "entity_id", merged.id)).toBe(2); // created, updated
  });

  it("keeps an opt-out either contact had, whichever side is chosen", async () => {
    const token = await server.token("ada@optout.example");
    const kept = await newContact(token, { displayName: "Fia", noAutomatedMail: true, noMarketing: false });
    const merged = await newContact(token, {
      displayName: "Fia B",
      noAutomatedMail: false,
      noMarketing: true,
    });
    const result = parse(
      ContactMerged,
      await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
        token,
        body: {
          version: kept.version,
          mergedId: merged.id,
          mergedVersion: merged.version,
          fields: { noAutomatedMail: "merged", noMarketing: "kept" },
        },
      }),
    );
    expect(result.kept).toMatchObject({ noAutomatedMail: true, noMarketing: true });
  });

  it("refuses with 409 to merge a contact whose erasure is under way, and changes nothing", async () => {
    const token = await server.token("ada@erasing.example");
    const me = ok(200, await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token }));
    for (const erasing of ["kept", "merged"] as const) {
      const kept = await newContact(token, {
        displayName: "Gus",
        emails: [`gus-${erasing}@erasing.example`],
      });
      const merged = await newContact(token, {
        displayName: "Gus 2",
        emails: [`gus2-${erasing}@erasing.example`],
      });
      await post(token, "/api/v1/notes", { kind: "note", contactId: merged.id, body: "Note" });
      // An erasure with slices still to run (the state a slice leaves between its transactions, or a crash).
      const erased = erasing === "kept" ? kept : merged;
      await server.database.db
        .insertInto("erasures")
        .values({
          org_id: (
            await server.database.db
              .selectFrom("contacts")
              .select("org_id")
              .where("id", "=", erased.id)
              .executeTakeFirstOrThrow()
          ).org_id,
          contact_id: erased.id,
          requested_by: me.user.id,
          mentions: JSON.stringify({ names: [], addresses: [] }),
          counts: JSON.stringify({}),
        })
        .execute();
      const refused = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
        token,
        body: { version: kept.version, mergedId: merged.id, mergedVersion: merged.version },
      });
      expect([refused.status, Problem.parse(refused.body).code]).toEqual([409, "invalid_request"]);
      for (const c of [kept, merged])
        expect(
          ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${c.id}`, { token })).version,
        ).toBe(c.version);
      expect(await count("interaction_participants", "contact_id", merged.id)).toBe(1);
      expect(await count("contact_emails", "contact_id", merged.id)).toBe(1);
      expect(await count("contact_merges", "merged_id", merged.id)).toBe(0);
      await server.database.db.deleteFrom("erasures").where("contact_id", "=", erased.id).execute();
    }
  });

  it("refuses a merge into itself, an unknown record and another organisation's, and bad choices", async () => {
    const token = await server.token("ada@refuse.example");
    const kept = await newContact(token, { displayName: "Dag" });
    const self = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: 1, mergedId: kept.id, mergedVersion: 1 },
    });
    expect(self.status).toBe(400);
    const strangerToken = await server.token("eve@refuse-other.example");
    const theirs = await newContact(strangerToken, { displayName: "Theirs" });
    const across = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: 1, mergedId: theirs.id, mergedVersion: 1 },
    });
    expect(across.status).toBe(404);
    expect(await count("contacts", "id", theirs.id)).toBe(1);
    const badChoice = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: 1, mergedId: theirs.id, mergedVersion: 1, fields: { displayName: "theirs" } },
    });
    expect(badChoice.status).toBe(400);
    const unknownField = await server.request("POST", `/api/v1/contacts/${kept.id}/merge`, {
      token,
      body: { version: 1, mergedId: theirs.id, mergedVersion: 1, fields: { emails: "merged" } },
    });
    expect(unknownField.status).toBe(400);
  });

  it("merges two companies: contacts and deals move, the chosen domain stays, the old id points on", async () => {
    const token = await server.token("ada@firms.example");
    const kept = await newCompany(token, { name: "Contoso AB", phone: "+46 8 123" });
    const merged = await newCompany(token, {
      name: "Contoso",
      domain: "contoso.example",
      website: "https://contoso.example",
    });
    const person = await newContact(token, { displayName: "Eva", companyId: merged.id });
    const deal = await post<{ id: string }>(token, "/api/v1/deals", {
      name: "Licences",
      companyId: merged.id,
    });
    // Emails linked to the merged company, one to both: the links move, the shared one kept once.
    const email = async (n: number) =>
      (
        await post<{ interaction: { id: string } }>(token, "/api/v1/emails", {
          internetMessageId: `<firms-${n}@outside.example>`,
          subject: "Licences",
          from: { address: "buyer@outside.example" },
          to: [{ address: "ada@firms.example" }],
          sentAt: new Date().toISOString(),
        })
      ).interaction.id;
    const linkTo = async (id: string, companyId: string) =>
      ok(
        200,
        await server.request("PUT", `/api/v1/interactions/${id}/links`, { token, body: { companyId } }),
      );
    const onlyMerged = await email(1);
    const onBoth = await email(2);
    await linkTo(onlyMerged, merged.id);
    await linkTo(onBoth, merged.id);
    await linkTo(onBoth, kept.id);
    const result = parse(
      CompanyMerged,
      await server.request("POST", `/api/v1/companies/${kept.id}/merge`, {
        token,
        body: {
          version: kept.version,
          mergedId: merged.id,
          mergedVersion: merged.version,
          fields: { domain: "merged", website: "merged" },
        },
      }),
    );
    expect(result.kept).toMatchObject({
      id: kept.id,
      name: "Contoso AB",
      domain: "contoso.example",
      website: "https://contoso.example",
      phone: "+46 8 123",
    });
    expect(
      ok(200, await server.request<Contact>("GET", `/api/v1/contacts/${person.id}`, { token })).companyId,
    ).toBe(kept.id);
    expect(
      ok(200, await server.request<{ companyId: string }>("GET", `/api/v1/deals/${deal.id}`, { token }))
        .companyId,
    ).toBe(kept.id);
    const links = await server.database.db
      .selectFrom("interaction_links")
      .select(["interaction_id", "company_id"])
      .where("interaction_id", "in", [onlyMerged, onBoth])
      .orderBy("interaction_id")
      .execute();
    expect(links).toEqual(
      [onlyMerged, onBoth].sort().map((interaction_id) => ({ interaction_id, company_id: kept.id })),
    );
    const read = await unfollowed(token, "GET", `/api/v1/companies/${merged.id}`);
    expect([read.status, read.location]).toEqual([301, `/api/v1/companies/${kept.id}`]);
    expect(Problem.parse(read.body).mergedInto).toEqual({
      type: "company",
      id: kept.id,
      location: `/api/v1/companies/${kept.id}`,
    });
    const keptNow = ok(200, await server.request<Company>("GET", `/api/v1/companies/${kept.id}`, { token }));
    for (const [method, body] of [
      ["PATCH", { version: keptNow.version, name: "Stale" }],
      ["DELETE", undefined],
    ] as const) {
      const write = await unfollowed(token, method, `/api/v1/companies/${merged.id}`, body);
      expect([write.status, write.location]).toEqual([409, null]);
      expect(Problem.parse(write.body)).toMatchObject({ code: "record_merged", mergedInto: { id: kept.id } });
    }
    expect(ok(200, await server.request<Company>("GET", `/api/v1/companies/${kept.id}`, { token }))).toEqual(
      keptNow,
    );
    const audit = await server.database.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "company.merged")
      .where("entity_id", "=", kept.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ fromMerged: ["domain", "website"] });
  });

  it("delivers contact.merged and company.merged to a webhook endpoint", async () => {
    const token = await server.token("ada@hooks.example");
    await post(token, "/api/v1/webhooks", {
      url: receiver.url("/merged"),
      events: ["contact.merged", "company.merged"],
    });
    const kept = await newContact(token, { displayName: "Fia" });
    const merged = await newContact(token, { displayName: "Fia 2" });
    await post(
      token,
      `/api/v1/contacts/${kept.id}/merge`,
      { version: kept.version, mergedId: merged.id, mergedVersion: merged.version },
      200,
    );
    const keptCompany = await newCompany(token, { name: "Hooks" });
    const mergedCompany = await newCompany(token, { name: "Hooks AB" });
    await post(
      token,
      `/api/v1/companies/${keptCompany.id}/merge`,
      { version: keptCompany.version, mergedId: mergedCompany.id, mergedVersion: mergedCompany.version },
      200,
    );
    await worker.runOnce();
    const events = receiver.at("/merged").map((r) => r.event);
    expect(events.map((e) => e.type)).toEqual(["contact.merged", "company.merged"]);
    expect(events[0]?.data).toMatchObject({ kept: { id: kept.id, displayName: "Fia" }, mergedId: merged.id });
    expect(events[1]?.data).toMatchObject({ kept: { id: keptCompany.id }, mergedId: mergedCompany.id });
  });
});
