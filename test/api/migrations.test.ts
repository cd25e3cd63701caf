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

/** The migrations up to and including this one, as a store of that release had them. */
const upTo = (name: string) => Object.fromEntries(Object.entries(migrations).filter(([key]) => key <= name));

/** A store of its own, migrated up to a release, and how to be rid of it. */
async function storeAt(kind: "pglite" | "postgres", name: string) {
  let store: Database;
  let drop = async () => {};
  if (kind === "pglite") store = await openPglite();
  else {
    const made = await createTestDatabase();
    drop = made.drop;
    store = await openPostgres(made.url);
  }
  await migrateToLatest(store.db, upTo(name));
  return {
    store,
    async close() {
      await store.close();
      await drop();
    },
  };
}

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

  // One store of an earlier release for the upgrade tests, migrated a step at a time: opening and migrating a
  // store is most of what they cost.
  describe("upgrading a store of an earlier release", () => {
    let upgrade: Awaited<ReturnType<typeof storeAt>>;
    beforeAll(async () => {
      upgrade = await storeAt(kind, "0004_org_wall");
    });
    afterAll(() => upgrade.close());

    it("defines the custom fields contacts already hold, so each record can be written back as it was read", async () => {
      // Migrated only up to 0004, holding values from before definitions existed.
      const empty = upgrade.store;
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
      expect(await migrateToLatest(empty.db, upTo("0005_admin_settings"))).toEqual(["0005_admin_settings"]);
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
    });

    it("gives each organisation the currency most of its deals are in as its base, EUR without any, and no rate", async () => {
      const { db } = upgrade.store;
      await migrateToLatest(db, upTo("0005_admin_settings"));
      const org = async (tenant: string, currencies: (string | null)[]) => {
        const made = await db
          .insertInto("organizations")
          .values({ tenant_id: tenant, name: tenant, internal_domains: [], logging_policy: "{}" })
          .returning("id")
          .executeTakeFirstOrThrow();
        const pipeline = await db
          .insertInto("pipelines")
          .values({ org_id: made.id, name: "Sales", is_default: true, position: 0 })
          .returning("id")
          .executeTakeFirstOrThrow();
        const stage = await db
          .insertInto("stages")
          .values({
            org_id: made.id,
            pipeline_id: pipeline.id,
            name: "Open",
            position: 0,
            probability: 10,
            kind: "open",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        for (const currency of currencies)
          await db
            .insertInto("deals")
            .values({
              org_id: made.id,
              name: "D",
              amount: 100,
              currency,
              pipeline_id: pipeline.id,
              stage_id: stage.id,
              custom_fields: "{}",
            })
            .execute();
        return made.id;
      };
      const danish = await org("danish", ["DKK", "EUR", "DKK", null, null, null]);
      const tie = await org("tie", ["SEK", "NOK"]);
      const none = await org("none", []);
      const unpriced = await org("unpriced", [null]);
      expect(await migrateToLatest(db, upTo("0006_base_currency"))).toEqual(["0006_base_currency"]);
      const bases = await db
        .selectFrom("organizations")
        .select(["id", "base_currency"])
        .where("id", "in", [danish, tie, none, unpriced])
        .execute();
      expect(Object.fromEntries(bases.map((b) => [b.id, b.base_currency]))).toEqual({
        [danish]: "DKK",
        [tie]: "NOK",
        [none]: "EUR",
        [unpriced]: "EUR",
      });
      expect(await db.selectFrom("exchange_rates").selectAll().execute()).toEqual([]);
    });
  });
});
