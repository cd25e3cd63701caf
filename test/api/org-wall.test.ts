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
    const deal = await post("/api/v1/deals", { name: "Renewal", contactIds: [contact.id] });
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
      },
    });
    expect(logged.status).toBe(201);
    const me = await server.request<{ user: { id: string } }>("GET", "/api/v1/me", { token });
    await post("/api/v1/blocklist", { scope: "personal", entry: `@secret.${domain}` });
    await post("/api/v1/currencies/rates", { currency: "DKK", rate: "0.1341", baseCurrency: "EUR" });
    await server.request("PATCH", `/api/v1/mailboxes/${me.body.user.id}`, { token, body: { enabled: true } });
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
    expect(Number(renamed.numUpdatedRows)).toBe(1);
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
    expect(await listed()).toBe(1);
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
    expect(await listed()).toBe(1);
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
