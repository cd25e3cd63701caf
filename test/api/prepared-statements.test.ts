import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import { sql } from "kysely";
import pg from "pg";
import { buildWalls } from "../../src/server/db/org-wall";
import { schemaChanged } from "../../src/server/db/prepared";
import { createTestDatabase, storeKinds } from "../helpers/stores";

// Statements with parameters are prepared once per connection (src/server/db/prepared.ts): the plan is kept, so
// what must still hold is what a kept plan could get wrong: another organisation's rows, a schema changed under
// it, and a connection that replaces a broken one onto the embedded store's one session.

async function openPool(kind: string): Promise<{ pool: pg.Pool; close: () => Promise<void> }> {
  if (kind === "pglite") {
    const pglite = await PGlite.create({
      loadDataDir: new Blob([readFileSync(process.env.RAPPORT_TEST_TEMPLATE as string)]),
    });
    // idleTimeoutMillis 1: the pool closes its idle connection at once, so the next borrower opens a new one
    // onto the same session.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 1 });
    return { pool, close: () => pglite.close() };
  }
  const { url, drop } = await createTestDatabase();
  const { migrateToLatest } = await import("../../src/server/db/migrate");
  const { openPostgres } = await import("../../src/server/db/database");
  const store = await openPostgres(url);
  await migrateToLatest(store.db);
  await store.close();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return { pool, close: drop };
}

describe.each(storeKinds)("prepared statements (%s)", (kind) => {
  let pool: pg.Pool;
  let close: () => Promise<void>;
  let walls: ReturnType<typeof buildWalls>;
  const orgs = [randomUUID(), randomUUID()] as const;

  beforeAll(async () => {
    ({ pool, close } = await openPool(kind));
    walls = buildWalls(pool);
    for (const [index, orgId] of orgs.entries()) {
      await sql`insert into organizations (id, tenant_id, name) values (${orgId}, ${`tenant-${orgId}`}, ${`Org ${index}`})`.execute(
        walls.owner,
      );
      await sql`insert into companies (org_id, name) values (${orgId}, ${`company-of-${index}`})`.execute(
        walls.forOrganization(orgId),
      );
    }
  });
  afterAll(async () => {
    await walls.owner.destroy();
    await close();
  });

  const companiesOf = async (orgId: string) =>
    (
      await sql<{
        name: string;
      }>`select name from companies where name like ${"company-of-%"} order by name`.execute(
        walls.forOrganization(orgId),
      )
    ).rows.map((row) => row.name);

  it("prepares a statement with parameters once and runs it again by name", async () => {
    await companiesOf(orgs[0]);
    await companiesOf(orgs[0]);
    const kept = await sql<{ name: string; statement: string }>`
      select name, statement from pg_prepared_statements where statement like ${"%from companies where name like%"}`.execute(
      walls.owner,
    );
    expect(kept.rows.length).toBeGreaterThanOrEqual(1);
    expect(kept.rows.every((row) => row.name.startsWith("r"))).toBe(true);
  });

  it("answers each organisation its own rows from one kept plan, past the point PostgreSQL plans it generically", async () => {
    for (let round = 0; round < 8; round++) {
      expect(await companiesOf(orgs[round % 2] as string)).toEqual([`company-of-${round % 2}`]);
    }
  });

  it("never runs a statement planned before a schema change after it", async () => {
    const readAll = async () =>
      (
        await sql<Record<string, unknown>>`select * from companies where name = ${"company-of-0"}`.execute(
          walls.forOrganization(orgs[0]),
        )
      ).rows[0];
    expect(await readAll()).not.toHaveProperty("prepared_probe");
    await sql`alter table companies add column prepared_probe integer default 7`.execute(walls.owner);
    schemaChanged();
    expect(await readAll()).toMatchObject({ prepared_probe: 7 });
    await sql`alter table companies drop column prepared_probe`.execute(walls.owner);
    schemaChanged();
    expect(await readAll()).not.toHaveProperty("prepared_probe");
  });

  if (kind === "pglite") {
    it("keeps working when a new connection opens onto the session its predecessor prepared in", async () => {
      expect(await companiesOf(orgs[1])).toEqual(["company-of-1"]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pool.totalCount).toBe(0);
      expect(await companiesOf(orgs[1])).toEqual(["company-of-1"]);
      expect(await companiesOf(orgs[0])).toEqual(["company-of-0"]);
    });
  }
});
