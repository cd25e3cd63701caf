import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import pg from "pg";
import { openPostgres } from "../../src/server/db/database";
import { buildWalls } from "../../src/server/db/org-wall";
import { migrateToLatest } from "../../src/server/db/migrate";
import type { DB } from "../../src/server/db/tables";
import { issueToken } from "../../src/server/web-forms/token";
import { type TestServer, startTestServer } from "../helpers/server";
import { createTestDatabase, storeKinds } from "../helpers/stores";

// Row-level security, the second wall between organisations (migration 0004): a query that forgets its
// `org_id` filter, run the way every request runs its queries, still sees and changes only the caller's rows.
describe.each(storeKinds)("row-level security between organisations (%s)", (kind) => {
  let server: TestServer;
  let own: string;
  let foreign: string;
  let ownToken: string;

  const orgOf = async (token: string) =>
    (await server.request<{ organization: { id: string } }>("GET", "/api/v1/me", { token })).body.organization
      .id;

  /** One of most things, so every table has rows of both organisations. */
  async function seed(token: string, domain: string) {
    const post = async (path: string, body: unknown) => {
      const response = await server.request<{ id: string }>("POST", path, { token, body });
      expect([path, response.status]).toEqual([path, 201]);
      return response.body;
    };
    // An endpoint (a public address: this server allows no private one) hears of the contact below: an event
    // and its delivery.
    await post("/api/v1/webhooks", { url: `https://93.184.215.14/${domain}`, events: ["contact.created"] });
    await post("/api/v1/custom-fields", {
      entity: "contact",
      key: "segment",
      label: "Segment",
      type: "text",
    });
    const company = await post("/api/v1/companies", { name: `Customer of ${domain}`, domain: `c.${domain}` });
    const contact = await post("/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: [`anna@c.${domain}`],
      companyId: company.id,
    });
    // Duplicates (0029): a twin of the contact and of the company, each pair dismissed; and a contact and a company
    // merged into them (their pointers kept).
    const twin = await post("/api/v1/contacts", { displayName: "Anna B", emails: [`anna+twin@c.${domain}`] });
    const twinCompany = await post("/api/v1/companies", { name: `Customer of ${domain} AB` });
    for (const [kind, ids] of [
      ["contacts", [contact.id, twin.id]],
      ["companies", [company.id, twinCompany.id]],
    ] as const) {
      const dismissed = await server.request("POST", `/api/v1/duplicates/${kind}/dismissals`, {
        token,
        body: { ids },
      });
      expect(dismissed.status).toBe(200);
    }
    const mergedAway = await post("/api/v1/contacts", { displayName: "Anna (old)" });
    const mergedCompany = await post("/api/v1/companies", { name: `Old customer of ${domain}` });
    for (const [path, kept, merged] of [
      ["contacts", contact.id, mergedAway.id],
      ["companies", company.id, mergedCompany.id],
    ] as const) {
      const current = await server.request<{ version: number }>("GET", `/api/v1/${path}/${kept}`, { token });
      const answer = await server.request("POST", `/api/v1/${path}/${kept}/merge`, {
        token,
        body: { version: current.body.version, mergedId: merged, mergedVersion: 1 },
      });
      expect(answer.status).toBe(200);
    }
    const deal = await post("/api/v1/deals", { name: "Renewal", contactIds: [contact.id] });
    // Moved on, so a stay has ended and the stays' lengths per stage (0031) hold a row too.
    const { body: list } = await server.request<{ pipelines: { stages: { id: string }[] }[] }>(
      "GET",
      "/api/v1/pipelines",
      { token },
    );
    const moved = await server.request("POST", `/api/v1/deals/${deal.id}/stage`, {
      token,
      body: { stageId: list.pipelines[0]?.stages[1]?.id, version: 1 },
    });
    expect(moved.status).toBe(200);
    const template = await post("/api/v1/templates", {
      name: "Offer",
      scope: "organization",
      variants: { en: { subject: "Offer", html: "<p>{{contact.firstName}}</p>" } },
    });
    await post("/api/v1/tasks", { title: "Call back", dueAt: null, contactId: contact.id, dealId: deal.id });
    await post("/api/v1/notes", { kind: "note", contactId: contact.id, body: "private", dealId: deal.id });
    const logged = await server.request("POST", "/api/v1/emails", {
      token,
      body: {
        internetMessageId: `<wall-${domain}@mail.example>`,
        subject: "Confidential",
        from: { address: `anna@c.${domain}` },
        to: [{ address: `rep@${domain}` }],
        sentAt: "2026-11-20T10:00:00Z",
        dealId: deal.id,
        templateId: template.id,
      },
    });
    expect(logged.status).toBe(201);
    // The email linked to the company too: an interaction_links row.
    const linked = await server.request(
      "PUT",
      `/api/v1/interactions/${(logged.body as { interaction: { id: string } }).interaction.id}/links`,
      { token, body: { companyId: company.id } },
    );
    expect(linked.status).toBe(200);
    // A sent mail with a no-reply reminder: a follow_ups row.
    const sent = await server.request("POST", "/api/v1/emails", {
      token,
      body: {
        internetMessageId: `<wall-sent-${domain}@mail.example>`,
        subject: "Offer",
        from: { address: `rep@${domain}` },
        to: [{ address: `anna@c.${domain}` }],
        sentAt: "2026-11-20T11:00:00Z",
        dealId: deal.id,
        followUp: { days: 3 },
      },
    });
    expect(sent.status).toBe(201);
    const me = await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token });
    await post("/api/v1/blocklist", { scope: "personal", entry: `@secret.${domain}` });
    await post("/api/v1/currencies/rates", { currency: "DKK", rate: "0.1341", baseCurrency: "EUR" });
    const ledger = await server.request("POST", "/api/v1/accounting/batch", {
      token,
      body: {
        invoices: [
          {
            externalId: "wall-invoice",
            number: "1",
            companyId: company.id,
            issueDate: "2026-11-01",
            dueDate: "2026-11-30",
            amount: "100.00",
            currency: "EUR",
            status: "open",
          },
        ],
        payments: [
          {
            externalId: "wall-payment",
            invoiceExternalId: "wall-invoice",
            paidOn: "2026-11-15",
            amount: "40.00",
            currency: "EUR",
          },
        ],
      },
    });
    expect(ledger.status).toBe(200);
    // A product with a price, on the deal's lines: products, product_prices and deal_lines rows.
    const product = await post("/api/v1/products", {
      name: "Support",
      code: "SUP",
      prices: [{ currency: "EUR", amount: "100" }],
      taxRate: "25",
    });
    const dealVersion = (
      await server.request<{ version: number }>("GET", `/api/v1/deals/${deal.id}`, { token })
    ).body.version;
    const lines = await server.request("PUT", `/api/v1/deals/${deal.id}/lines`, {
      token,
      body: { currency: "EUR", version: dealVersion, lines: [{ productId: product.id, quantity: "2" }] },
    });
    expect(lines.status).toBe(200);
    // The quote template (with its counter) and a quote of the deal: quote_templates and quotes rows.
    const quoteTemplate = await server.request("PUT", "/api/v1/quote-template", {
      token,
      body: {
        companyName: `Seller of ${domain}`,
        address: "",
        vatNumber: "",
        contact: "",
        validityDays: 30,
        language: "en",
        terms: {},
        version: 0,
      },
    });
    expect(quoteTemplate.status).toBe(200);
    await post(`/api/v1/deals/${deal.id}/quotes`, {});
    // A segment of the contact's company, evaluated once: segments, segment_members and segment_changes rows.
    const segment = await post("/api/v1/segments", {
      name: `Segment of ${domain}`,
      filter: { conditions: [{ field: "company", values: [company.id] }] },
    });
    const members = await server.request<{ items: unknown[] }>(
      "GET",
      `/api/v1/segments/${segment.id}/members`,
      {
        token,
      },
    );
    expect(members.body.items).toHaveLength(1);
    // A survey link's answer: the organisation's link key and a ratings row.
    const link = await server.request<{ url: string }>(
      "POST",
      `/api/v1/contacts/${contact.id}/rating-links`,
      {
        token,
        body: { kind: "csat" },
      },
    );
    expect(link.status).toBe(200);
    const answered = await server.request("POST", new URL(link.body.url).pathname, {
      raw: "score=4&comment=fine",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(answered.status).toBe(200);
    await server.request("PATCH", `/api/v1/mailboxes/${me.body.user.id}`, { token, body: { enabled: true } });
    // A web form with its consent version and owner, and a lead it brought from the contact above (its token
    // signed a minute ago, so the submit-time check passes).
    const form = await server.request<{ id: string; publicId: string; consentVersion: number }>(
      "POST",
      "/api/v1/web-forms",
      {
        token,
        body: {
          name: "Contact us",
          title: null,
          fields: [{ target: "contact.email", label: "Email", required: true }],
          consentText: "You may contact me.",
          afterSubmit: { kind: "message", message: "Thanks" },
          owner: { kind: "user", userId: me.body.user.id },
          allowedOrigins: [],
        },
      },
    );
    expect(form.status).toBe(201);
    const { signing_key } = await server.database.db
      .selectFrom("web_forms")
      .select("signing_key")
      .where("id", "=", form.body.id)
      .executeTakeFirstOrThrow();
    const submitted = await server.request("POST", `/f/${form.body.publicId}`, {
      body: {
        _rapport_t: issueToken(
          signing_key,
          form.body.publicId,
          new Date(Date.now() - 60_000),
          form.body.consentVersion,
        ),
        "contact.email": `anna@c.${domain}`,
        consent: true,
      },
    });
    expect(submitted.status).toBe(200);
    // Rapport's own accounts: an invitation, its account and session, and a reset link.
    const invited = await server.request<{ link: string }>("POST", "/api/v1/invitations", {
      token,
      body: { email: `new@${domain}` },
    });
    expect(invited.status).toBe(201);
    const accepted = await server.request<{ accessToken: string }>("POST", "/api/v1/invitations/accept", {
      body: {
        token: new URL(invited.body.link).hash.slice("#token=".length),
        password: `a passphrase for ${domain}`,
      },
    });
    expect(accepted.status).toBe(200);
    const newcomer = await server.request<{ user: { id: string } }>("GET", "/api/v1/me", {
      token: accepted.body.accessToken,
    });
    const reset = await server.request("POST", `/api/v1/users/${newcomer.body.user.id}/password-reset-link`, {
      token,
    });
    expect(reset.status).toBe(201);
    // A passkey, as a registration leaves it (test/api/passkeys.test.ts registers one for real).
    await server.database.db
      .insertInto("passkeys")
      .values({
        org_id: await orgOf(token),
        user_id: newcomer.body.user.id,
        credential_id: `credential-of-${domain}`,
        public_key: Buffer.from([1, 2, 3]),
      })
      .execute();
    // What a sync run leaves (no Graph here).
    const org = await orgOf(token);
    await server.database.db
      .insertInto("mailbox_sync")
      .values({
        org_id: org,
        user_id: me.body.user.id,
        folder: "inbox",
        link: null,
        link_kind: null,
        backfill_from: new Date(),
      })
      .execute();
    // What Graph change notifications leave (0030): a subscription of the mailbox and a notification's receipt.
    const subscription = await server.database.db
      .insertInto("graph_subscriptions")
      .values({
        org_id: org,
        user_id: me.body.user.id,
        resource: "messages",
        subscription_id: `subscription-of-${domain}`,
        client_state_hash: Buffer.alloc(32, 5),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await server.database.db
      .insertInto("graph_notification_receipts")
      .values({ org_id: org, subscription_id: subscription.id, digest: Buffer.alloc(32, 6) })
      .execute();
    // A meeting with the contact, as the calendar capture leaves it (no Graph here): its interaction's meeting
    // columns, its place in the calendar's delta and which event it was.
    const meeting = await server.database.db
      .insertInto("interactions")
      .values({
        org_id: org,
        kind: "meeting",
        occurred_at: new Date("2026-11-21T09:00:00Z"),
        subject: "Review",
        source: "auto",
        meeting_ends_at: new Date("2026-11-21T10:00:00Z"),
        meeting_ical_uid: `wall-meeting-${domain}`,
        meeting_organizer: `rep@${domain}`,
        meeting_cancelled: false,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await server.database.db
      .insertInto("calendar_sync")
      .values({ org_id: org, user_id: me.body.user.id, window_start: new Date(), window_end: new Date() })
      .execute();
    await server.database.db
      .insertInto("calendar_events")
      .values({
        org_id: org,
        user_id: me.body.user.id,
        event_id: `event-of-${domain}`,
        interaction_id: meeting.id,
      })
      .execute();
    // A birthday rule sending from this rep's mailbox, which they turned on.
    await sql`
      with rule as (
        insert into occasion_rules (org_id, scope, name, kind, template_id, mode)
        values (${org}, 'organization', 'Birthdays', 'birthday', ${template.id}, 'send')
        returning id
      )
      insert into occasion_rule_senders (org_id, rule_id, user_id) select ${org}, id, ${me.body.user.id} from rule
    `.execute(server.database.db);
    // What the occasion worker leaves for a birthday (no Graph here).
    await sql`
      insert into occasion_mails (org_id, contact_id, user_id, occasion_key, occasion_day, kind, mode)
      values (${org}, ${contact.id}, ${me.body.user.id}, 'birthday:2026', '2026-11-20', 'birthday', 'draft')
    `.execute(server.database.db);
    // What a finished erasure leaves (0034): the organisation's key and the erased address's digest.
    const gone = await post("/api/v1/contacts", { displayName: "Gone Person", emails: [`gone@c.${domain}`] });
    const erased = await server.request("POST", `/api/v1/contacts/${gone.id}/erase`, { token });
    expect(erased.status).toBe(200);
    // What an erasure a server stopped in the middle of leaves (person-data/erase.ts): its row, until carried on.
    await sql`
      insert into erasures (org_id, contact_id, requested_by, mentions, counts)
      values (${org}, ${contact.id}, ${me.body.user.id}, ${JSON.stringify({ names: [], addresses: [], phones: [] })},
        ${JSON.stringify({ interactionsDeleted: 1 })})
    `.execute(server.database.db);
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    ownToken = await server.token("rep@contoso.example");
    const foreignToken = await server.token("rep@evil.example");
    await seed(ownToken, "contoso.example");
    await seed(foreignToken, "evil.example");
    own = await orgOf(ownToken);
    foreign = await orgOf(foreignToken);
  });
  afterAll(() => server.close());

  /** The tables that hold an organisation's rows, read from the catalog so a new table is covered too. */
  const scopedTables = async () =>
    (
      await sql<{ table_name: keyof DB }>`
        select c.table_name from information_schema.columns c
        join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = current_schema() and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'
        order by 1`.execute(server.database.db)
    ).rows.map((r) => r.table_name);

  it("walls every table that holds an organisation's rows, for a role that cannot bypass it", async () => {
    const tables = await scopedTables();
    expect(tables.length).toBeGreaterThanOrEqual(16);
    // The reports' rollups (0025), written by triggers as the requests' writes happen, are swept like the rest.
    expect(tables).toEqual(
      expect.arrayContaining([
        "deal_stage_stays",
        "interaction_days",
        "deal_stage_flows",
        "deal_stage_lengths",
        "interaction_weeks",
      ]),
    );
    const walled = await sql<{ relname: string; relrowsecurity: boolean; policies: number }>`
      select c.relname, c.relrowsecurity,
        (select count(*)::int from pg_policies p
          where p.tablename = c.relname and p.policyname = 'org_wall' and 'rapport_app' = any(p.roles)) as policies
      from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relname = any(${[...tables, "organizations"]})
      order by 1`.execute(server.database.db);
    expect(walled.rows.filter((r) => !r.relrowsecurity || r.policies !== 1)).toEqual([]);
    expect(walled.rows).toHaveLength(tables.length + 1);
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>`
      select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'rapport_app'`.execute(
      server.database.db,
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
  });

  it("returns nothing foreign to a query that forgot its org_id filter, on every table", async () => {
    const walledDb = server.database.forOrganization(own);
    for (const table of await scopedTables()) {
      // Without the wall the same unfiltered query sees both organisations: the test could fail.
      const all = await sql<{ org_id: string }>`select org_id from ${sql.table(table)}`.execute(
        server.database.db,
      );
      expect([table, new Set(all.rows.map((r) => r.org_id))]).toEqual([table, new Set([own, foreign])]);
      const seen = await sql<{ org_id: string }>`select org_id from ${sql.table(table)}`.execute(walledDb);
      expect([table, seen.rows.length > 0 && seen.rows.every((r) => r.org_id === own)]).toEqual([
        table,
        true,
      ]);
    }
    const orgs = await walledDb.selectFrom("organizations").select("id").execute();
    expect(orgs).toEqual([{ id: own }]);
  });

  it("changes nothing foreign through an unfiltered update or delete, and refuses a foreign insert", async () => {
    const walledDb = server.database.forOrganization(own);
    const foreignBefore = await server.database.db
      .selectFrom("contacts")
      .select(["id", "display_name"])
      .where("org_id", "=", foreign)
      .execute();
    const renamed = await walledDb.updateTable("contacts").set({ title: "Touched" }).executeTakeFirst();
    expect(Number(renamed.numUpdatedRows)).toBe(2); // the contact and its twin
    const deleted = await walledDb.deleteFrom("blocklist_entries").executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(1);
    await expect(
      walledDb
        .insertInto("blocklist_entries")
        .values({ org_id: foreign, user_id: null, entry: "@planted.example" })
        .execute(),
    ).rejects.toThrow(/row-level security/);
    expect(
      await server.database.db
        .selectFrom("contacts")
        .select(["id", "display_name"])
        .where("org_id", "=", foreign)
        .execute(),
    ).toEqual(foreignBefore);
    expect(
      await server.database.db
        .selectFrom("blocklist_entries")
        .select("entry")
        .where("org_id", "=", foreign)
        .execute(),
    ).toEqual([{ entry: "@secret.evil.example" }]);
  });

  it("runs every request behind the wall, and hands connections back without it", async () => {
    const listed = async () =>
      (await server.request<{ items: unknown[] }>("GET", "/api/v1/contacts", { token: ownToken })).body.items
        .length;
    // The contact and its twin (the duplicates' rows).
    expect(await listed()).toBe(2);
    // A policy that admits nothing: a request that were not behind the wall would still list the contact.
    await sql`alter policy org_wall on contacts using (false)`.execute(server.database.db);
    try {
      expect(await listed()).toBe(0);
    } finally {
      await sql`alter policy org_wall on contacts
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)`.execute(
        server.database.db,
      );
    }
    expect(await listed()).toBe(2);
    // The owner's connections (sign-in, the sync's scheduler) never inherit a request's organisation: ask on
    // more connections at once than the pool holds, so every one of them answers.
    const sessions = await Promise.all(
      Array.from({ length: 24 }, () =>
        sql<{ who: string; org: string | null }>`
          select current_user as who, nullif(current_setting('rapport.org_id', true), '') as org,
            pg_sleep(0.02)`.execute(server.database.db),
      ),
    );
    const leaked = sessions.map((s) => s.rows[0]).filter((r) => r?.org !== null || r.who === "rapport_app");
    expect(leaked).toEqual([]);
  });

  // The embedded store only: a new connection to a PostgreSQL server is a new session.
  const onTheEmbeddedStore = kind === "pglite" ? it : () => undefined;
  onTheEmbeddedStore(
    "resets a connection it has not seen before its first use: a new one onto the embedded store's single session keeps the last wall",
    async () => {
      const pglite = await PGlite.create({
        loadDataDir: new Blob([readFileSync(process.env.RAPPORT_TEST_TEMPLATE as string)]),
      });
      // The pool closes its idle connection at once, as pg's default does after 10 s.
      const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 1 });
      const walls = buildWalls(pool);
      try {
        const orgId = randomUUID();
        const walled = await sql<{ who: string }>`select current_user as who`.execute(
          walls.forOrganization(orgId),
        );
        expect(walled.rows[0]?.who).toBe("rapport_app");
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(pool.totalCount).toBe(0);
        const owner = await sql<{ who: string; org: string | null }>`
        select current_user as who, nullif(current_setting('rapport.org_id', true), '') as org`.execute(
          walls.owner,
        );
        expect(owner.rows[0]?.who).not.toBe("rapport_app");
        expect(owner.rows[0]?.org).toBeNull();
      } finally {
        await walls.owner.destroy();
        await pglite.close();
      }
    },
  );
});

// What a real deployment looks like: Rapport connects as the owner of its database, not as a superuser.
if (storeKinds.includes("postgres")) {
  describe("row-level security when Rapport connects as an ordinary user (postgres)", () => {
    it("says how to get the role it may not create, then walls requests while the owner sees all", async () => {
      const { url, drop } = await createTestDatabase();
      const owner = `rapport_owner_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const name = new URL(url).pathname.slice(1);
      await admin.query(`create role ${owner} login`);
      await admin.query(`alter database ${name} owner to ${owner}`);
      const ownerUrl = new URL(url);
      ownerUrl.username = owner;
      const database = await openPostgres(ownerUrl.toString());
      try {
        await admin.query(`revoke rapport_app from ${owner}`).catch(() => undefined);
        await expect(migrateToLatest(database.db)).rejects.toThrow(
          new RegExp(`create role rapport_app nologin; grant rapport_app to ${owner}`),
        );
        // The failed migration left nothing behind.
        const tables =
          await sql`select 1 from information_schema.tables where table_name = 'contacts'`.execute(
            database.db,
          );
        expect(tables.rows).toHaveLength(0);

        await admin.query(`grant rapport_app to ${owner}`);
        await migrateToLatest(database.db);
        const orgs = await database.db
          .insertInto("organizations")
          .values([
            { tenant_id: "a", name: "A", internal_domains: [], logging_policy: JSON.stringify({}) },
            { tenant_id: "b", name: "B", internal_domains: [], logging_policy: JSON.stringify({}) },
          ])
          .returning("id")
          .execute();
        const [a, b] = orgs.map((o) => o.id) as [string, string];
        await database.db
          .insertInto("contacts")
          .values([
            { org_id: a, display_name: "Of A", phones: [], tags: [], custom_fields: JSON.stringify({}) },
            { org_id: b, display_name: "Of B", phones: [], tags: [], custom_fields: JSON.stringify({}) },
          ])
          .execute();
        expect(
          await database.db.selectFrom("contacts").select("display_name").orderBy("display_name").execute(),
        ).toHaveLength(2);
        expect(
          await database.forOrganization(a).selectFrom("contacts").select("display_name").execute(),
        ).toEqual([{ display_name: "Of A" }]);
      } finally {
        await database.close();
        await drop();
        await admin.query(`drop role if exists ${owner}`);
        await admin.end();
      }
    });
  });
}

// The wall under load: connections go back to the pool still walled, and the next borrower switches them. Two
// organisations' requests, interleaved and held so they overlap, at twice as many at once as the pool holds.
if (storeKinds.includes("postgres")) {
  describe("the organisation wall under concurrent requests of two organisations (postgres)", () => {
    const POOL = 4;
    let server: TestServer;
    const orgs: { token: string; id: string; contacts: string[] }[] = [];

    beforeAll(async () => {
      server = await startTestServer("postgres", {}, { poolSize: POOL });
      for (const domain of ["contoso.example", "fabrikam.example"]) {
        const token = await server.token(`rep@${domain}`);
        const contacts: string[] = [];
        for (const name of ["Anna", "Bo", "Cai"]) {
          const created = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
            token,
            body: { displayName: `${name} of ${domain}`, emails: [`${name.toLowerCase()}@c.${domain}`] },
          });
          expect(created.status).toBe(201);
          contacts.push(created.body.id);
        }
        const me = await server.request<{ organization: { id: string } }>("GET", "/api/v1/me", { token });
        orgs.push({ token, id: me.body.organization.id, contacts: contacts.sort() });
      }
    });
    afterAll(() => server.close());

    it("answers each organisation's interleaved requests with its own rows only, at six times the pool size", async () => {
      const [a, b] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
      const interleaved = Array.from({ length: 2 * POOL * 3 }, (_, i) => (i % 2 === 0 ? a : b));
      // Queries that forgot their org_id filter, run as every request runs its queries (app.ts: the caller's
      // forOrganization): only the wall keeps them apart. The sleep holds each connection so the next wave
      // borrows connections the other organisation used last.
      const walled = interleaved.map(async (org) => {
        const { rows } = await sql<{ org_id: string; pid: number }>`
          select c.org_id, pg_backend_pid() as pid from contacts c, pg_sleep(0.02)`.execute(
          server.database.forOrganization(org.id),
        );
        return { org, rows };
      });
      // And through HTTP, where each answer must be exactly the caller's contacts: a request left behind the
      // other organisation's wall finds none of its own.
      const answered = interleaved.map(async (org) => {
        const response = await server.request<{ items: { id: string }[] }>("GET", "/api/v1/contacts", {
          token: org.token,
        });
        return { org, status: response.status, ids: response.body.items.map((c) => c.id).sort() };
      });
      const [queries, requests] = await Promise.all([Promise.all(walled), Promise.all(answered)]);

      expect(
        queries.filter(({ org, rows }) => rows.length !== 3 || rows.some((r) => r.org_id !== org.id)),
      ).toEqual([]);
      expect(
        requests.filter(({ org, status, ids }) => status !== 200 || ids.join() !== org.contacts.join()),
      ).toEqual([]);
      // Connections did change hands between the organisations: the wall was switched, not only set once.
      const orgsOf = new Map<number, Set<string>>();
      for (const { org, rows } of queries)
        for (const r of rows) orgsOf.set(r.pid, (orgsOf.get(r.pid) ?? new Set()).add(org.id));
      expect([...orgsOf.values()].some((seen) => seen.size === 2)).toBe(true);
    });
  });

  describe("a connection that cannot change its wall (postgres)", () => {
    it("is destroyed rather than lent behind another organisation's wall, and the pool replaces it", async () => {
      const POOL = 3;
      const { url, drop } = await createTestDatabase();
      const owner = `rapport_owner_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const name = new URL(url).pathname.slice(1);
      await admin.query(`create role ${owner} login`);
      await admin.query(`alter database ${name} owner to ${owner}`);
      await admin.query(`grant rapport_app to ${owner}`);
      const ownerUrl = new URL(url);
      ownerUrl.username = owner;
      const database = await openPostgres(ownerUrl.toString(), { poolSize: POOL });
      try {
        await migrateToLatest(database.db);
        const orgs = await database.db
          .insertInto("organizations")
          .values(
            ["a", "b"].map((t) => ({ tenant_id: t, name: t, internal_domains: [], logging_policy: "{}" })),
          )
          .returning("id")
          .execute();
        const [a, b] = orgs.map((o) => o.id) as [string, string];
        await database.db
          .insertInto("contacts")
          .values(
            [a, b].map((org_id) => ({
              org_id,
              display_name: org_id,
              phones: [],
              tags: [],
              custom_fields: "{}",
            })),
          )
          .execute();
        const unfiltered = (orgId: string) =>
          sql<{ org_id: string; pid: number }>`
            select c.org_id, pg_backend_pid() as pid from contacts c, pg_sleep(0.05)`.execute(
            database.forOrganization(orgId),
          );
        const alive = async () =>
          new Set(
            (
              await admin.query<{ pid: number }>(
                "select pid from pg_stat_activity where usename = $1 and datname = $2",
                [owner, name],
              )
            ).rows.map((r) => r.pid),
          );

        // Every connection of the pool walled into A.
        const walledIntoA = new Set(
          (await Promise.all(Array.from({ length: POOL }, () => unfiltered(a)))).flatMap((r) =>
            r.rows.map((row) => row.pid),
          ),
        );
        expect(walledIntoA.size).toBe(POOL);

        // Now no connection can enter a wall (the role was taken away): B's requests, twice as many as the
        // pool holds, each borrow one of A's connections or a new one, and each must fail, not run as A.
        await admin.query(`revoke rapport_app from ${owner}`);
        const asB = await Promise.allSettled(Array.from({ length: 2 * POOL }, () => unfiltered(b)));
        expect(asB.filter((r) => r.status === "fulfilled")).toEqual([]);
        expect(asB.map((r) => (r.status === "rejected" ? String((r.reason as Error).message) : ""))).toEqual(
          Array.from({ length: 2 * POOL }, () => expect.stringMatching(/permission denied to set role/)),
        );
        // A's connections were closed, not handed back: their server sessions end.
        for (let i = 0; i < 100 && [...(await alive())].some((pid) => walledIntoA.has(pid)); i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect([...(await alive())].filter((pid) => walledIntoA.has(pid))).toEqual([]);

        // The role back: the pool opens new connections, and both organisations see their own rows only.
        await admin.query(`grant rapport_app to ${owner}`);
        const after = await Promise.all(
          Array.from({ length: 2 * POOL }, async (_, i) => {
            const org = i % 2 === 0 ? a : b;
            return { org, rows: (await unfiltered(org)).rows };
          }),
        );
        expect(after.filter(({ org, rows }) => rows.length !== 1 || rows[0]?.org_id !== org)).toEqual([]);
        expect(
          after.flatMap(({ rows }) => rows.map((r) => r.pid)).filter((pid) => walledIntoA.has(pid)),
        ).toEqual([]);
      } finally {
        await database.close();
        await drop();
        await admin.query(`drop role if exists ${owner}`);
        await admin.end();
      }
    });

    it("serves both organisations their own rows after every connection was killed under it", async () => {
      const server = await startTestServer("postgres", {}, { poolSize: 3 });
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        const orgs = await server.database.db
          .insertInto("organizations")
          .values(
            ["a", "b"].map((t) => ({ tenant_id: t, name: t, internal_domains: [], logging_policy: "{}" })),
          )
          .returning("id")
          .execute();
        const ids = orgs.map((o) => o.id);
        await server.database.db
          .insertInto("contacts")
          .values(
            ids.map((org_id) => ({
              org_id,
              display_name: org_id,
              phones: [],
              tags: [],
              custom_fields: "{}",
            })),
          )
          .execute();
        const round = () =>
          Promise.allSettled(
            Array.from({ length: 6 }, async (_, i) => {
              const org = ids[i % 2] as string;
              const { rows } = await sql<{ org_id: string }>`
                select c.org_id from contacts c, pg_sleep(0.02)`.execute(
                server.database.forOrganization(org),
              );
              return { org, rows };
            }),
          );
        await round();
        const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
          server.database.db,
        );
        const killed = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
          [rows[0]?.name],
        );
        expect(killed.rowCount).toBeGreaterThan(0);
        // Whatever the kill broke fails, and the pool replaces it: round after round until every request is
        // answered; no answer in any round holds the other organisation's rows.
        const wrong: unknown[] = [];
        let answered = 0;
        for (let i = 0; i < 20 && answered < 6; i++) {
          const results = await round();
          for (const r of results)
            if (r.status === "fulfilled" && r.value.rows.some((row) => row.org_id !== r.value.org))
              wrong.push(r.value);
          answered = results.filter((r) => r.status === "fulfilled" && r.value.rows.length === 1).length;
        }
        expect(wrong).toEqual([]);
        expect(answered).toBe(6);
      } finally {
        await admin.end();
        await server.close();
      }
    });
  });
}
