import pg from "pg";
import { sql } from "kysely";
import { type TestServer, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const describeOnPostgres = storeKinds.includes("postgres") ? describe : describe.skip;

/** As a PostgreSQL restart looks from the server: every connection cut, new ones refused for a while. */
describeOnPostgres("the PostgreSQL server going away and coming back", () => {
  let server: TestServer;
  let admin: pg.Client;
  let name: string;
  beforeAll(async () => {
    server = await startTestServer("postgres");
    name = (await sql<{ name: string }>`select current_database() as name`.execute(server.database.db))
      .rows[0]?.name as string;
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`alter database ${name} allow_connections true`).catch(() => undefined);
    await admin.end();
    await server.close();
  });

  it("answers 503 store_unavailable while it is gone, and recovers by itself once it is back", async () => {
    const token = await server.token("rita@outage.example");
    expect((await server.request("GET", "/api/v1/me", { token })).status).toBe(200);

    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    for (const path of ["/api/v1/me", "/api/v1/contacts", "/healthz", "/readyz"]) {
      const response = await server.request<{ code: string }>("GET", path, { token });
      expect([path, response.status, response.body.code]).toEqual([path, 503, "store_unavailable"]);
    }
    // Writes are refused the same way, and nothing half-done is left when the store is back.
    const refused = await server.request<{ code: string }>("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Written during the outage", emails: ["outage@fabrikam.example"] },
    });
    expect([refused.status, refused.body.code]).toEqual([503, "store_unavailable"]);

    await admin.query(`alter database ${name} allow_connections true`);
    // Polled until the server reaches the store again: the test's own timeout is the only limit, and until then
    // every answer is the outage's.
    for (;;) {
      const answer = await server.request<{ code?: string }>("GET", "/api/v1/me", { token });
      if (answer.status === 200) break;
      expect([answer.status, answer.body.code]).toEqual([503, "store_unavailable"]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const created = await server.request("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Written after", emails: ["outage@fabrikam.example"] },
    });
    expect(created.status).toBe(201);
  });
});
