import { type Migration, sql } from "kysely";
import { migrateToLatest, migrations, MigrationError } from "../../src/server/db/migrate";
import { openTestStore, storeKinds } from "../helpers/stores";
import type { Database } from "../../src/server/db/database";

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
});
