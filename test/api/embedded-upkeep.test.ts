import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../../src/server/db/database";
import { analyseGrownTables, startEmbeddedUpkeep } from "../../src/server/db/embedded-upkeep";
import { openTestStore } from "../helpers/stores";

// PGlite only: a PostgreSQL server analyses its tables itself (autovacuum).
describe("the embedded store's upkeep (pglite)", () => {
  let database: Database;
  const orgId = randomUUID();

  beforeAll(async () => {
    database = await openTestStore("pglite");
    await sql`insert into organizations (id, tenant_id, name) values (${orgId}, ${randomUUID()}, 'Upkeep')`.execute(
      database.db,
    );
  });
  afterAll(() => database.close());

  const addContacts = (n: number) =>
    sql`insert into contacts (org_id, display_name)
        select ${orgId}, 'Person ' || g from generate_series(1, ${n}::int) g`.execute(database.db);

  /** The plan the session keeps for the check a foreign key into contacts makes (the statement PostgreSQL runs). */
  const keptPlan = async () =>
    (
      await sql<{
        "QUERY PLAN": string;
      }>`explain execute contact_key_check(${sql.lit(orgId)}, ${sql.lit(randomUUID())})`.execute(database.db)
    ).rows
      .map((r) => r["QUERY PLAN"])
      .join("\n");

  it("analyses the tables that have grown, replans what the session kept for them, then rests", async () => {
    await addContacts(300);
    await sql`prepare contact_key_check (uuid, uuid) as
        select 1 from only contacts x where $1 = org_id and $2 = id for key share of x`.execute(database.db);
    // Five custom plans, then PostgreSQL settles on a generic one made for a table of 300 rows.
    for (let i = 0; i < 6; i++) await keptPlan();
    const small = await keptPlan();
    // What made a 100,000-row import spin: found by the organisation alone, each key checked against every row.
    expect(small).toMatch(/Filter: \(\$2 = id\)/);

    await addContacts(50_000);
    expect(await keptPlan()).toBe(small);

    const analysed = await analyseGrownTables(database.db);
    expect(analysed).toContain("contacts");
    const stats = await sql<{ reltuples: number }>`
      select reltuples from pg_class where relname = 'contacts'`.execute(database.db);
    expect(stats.rows[0]?.reltuples).toBe(50_300);
    expect(await keptPlan()).toMatch(/Index Scan using contacts_(pkey|org_id_id_key) on contacts/);

    expect(await analyseGrownTables(database.db)).toEqual([]);
  });

  it("runs a pass when started and another each period, and stops after the pass under way", async () => {
    await addContacts(60_000);
    const logged: unknown[] = [];
    const logger = {
      info: (fields: unknown) => logged.push(fields),
      warn: (fields: unknown) => logged.push(fields),
    };
    const upkeep = startEmbeddedUpkeep(database.db, logger, 50);
    await upkeep.stop();
    expect(logged).toEqual([{ analysed: ["contacts"], ms: expect.any(Number) }]);
    await addContacts(20_000);
    const again = startEmbeddedUpkeep(database.db, logger, 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await again.stop();
    expect(logged).toHaveLength(2);
    expect(await analyseGrownTables(database.db)).toEqual([]);
  });
});
