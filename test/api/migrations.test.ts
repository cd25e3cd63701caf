import { type Migration, sql } from "kysely";
import { migrateToLatest, migrations, MigrationError } from "../../src/server/db/migrate";
import { createTestDatabase, openTestStore, storeKinds } from "../helpers/stores";
import { type Database, openPglite, openPostgres } from "../../src/server/db/database";

const tables = async (database: Database) =>
  (
    await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    )
  ).rows.map((r) => r.table_name);

describe.each(storeKinds)("migrations (%s)", (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestStore(kind);
  });
  afterEach(() => database.close());

  it("has every table of the data model after migrating", async () => {
    expect(await tables(database)).toEqual(
      expect.arrayContaining([
        "organizations",
        "users",
        "companies",
        "contacts",
        "contact_emails",
        "pipelines",
        "stages",
        "deals",
        "deal_contacts",
        "deal_stage_changes",
        "interactions",
        "interaction_loggers",
        "interaction_participants",
        "tasks",
        "audit_events",
      ]),
    );
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it("leaves the store exactly as it was when a migration fails, and says which one", async () => {
    const before = await tables(database);
    const broken: Migration = {
      async up(db) {
        await sql`create table half_done (id int)`.execute(db);
        await sql`alter table contacts add column nickname text`.execute(db);
        await sql`select * from no_such_table`.execute(db);
      },
    };
    const attempt = migrateToLatest(database.db, { ...migrations, "0099_broken": broken });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(/0099_broken failed: .*no_such_table.*left as it was/);
    expect(await tables(database)).toEqual(before);
    const columns = await sql<{
      column_name: string;
    }>`select column_name from information_schema.columns where table_name = 'contacts'`.execute(database.db);
    expect(columns.rows.map((c) => c.column_name)).not.toContain("nickname");
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
  });

  it("defines the custom fields contacts already hold, so each record can be written back as it was read", async () => {
    // A store of its own, migrated only up to 0004, holding values from before definitions existed.
    let empty: Database;
    let drop = async () => {};
    if (kind === "pglite") empty = await openPglite();
    else {
      const made = await createTestDatabase();
      drop = made.drop;
      empty = await openPostgres(made.url);
    }
    try {
      const before0005 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0005"));
      await migrateToLatest(empty.db, before0005);
      const [org] = await empty.db
        .insertInto("organizations")
        .values({ tenant_id: "t", name: "T", internal_domains: [], logging_policy: "{}" })
        .returning("id")
        .execute();
      const orgId = org?.id as string;
      const contact = (custom: Record<string, unknown>) => ({
        org_id: orgId,
        display_name: "C",
        phones: [],
        tags: [],
        custom_fields: JSON.stringify(custom),
      });
      await empty.db
        .insertInto("contacts")
        .values([
          contact({ size: 10, note: "hello", flag: true, gone: null }),
          contact({ size: 12.5, note: 7, flag: false }),
          contact({}),
        ])
        .execute();
      expect(await migrateToLatest(empty.db)).toEqual(
        Object.keys(migrations).filter((name) => name >= "0005"),
      );
      const definitions = await empty.db
        .selectFrom("custom_field_definitions")
        .select(["entity", "key", "label", "type", "position"])
        .orderBy("key")
        .execute();
      expect(definitions).toEqual([
        { entity: "contact", key: "flag", label: "flag", type: "text", position: 0 },
        { entity: "contact", key: "note", label: "note", type: "text", position: 1 },
        { entity: "contact", key: "size", label: "size", type: "number", position: 2 },
      ]);
      const values = await empty.db
        .selectFrom("contacts")
        .select("custom_fields")
        .orderBy("custom_fields")
        .execute();
      expect(values.map((v) => v.custom_fields)).toEqual([
        {},
        { flag: "false", note: "7", size: 12.5 },
        { flag: "true", note: "hello", size: 10 },
      ]);
    } finally {
      await empty.close();
      await drop();
    }
  });
});
