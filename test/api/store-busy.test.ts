import pg from "pg";
import { toAppError } from "../../src/server/http/problem";
import { createTestDatabase, storeKinds } from "../helpers/stores";

/** What PostgreSQL itself raises, caught from a real server: the mapping is checked against real errors. */
async function raisedBy(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected PostgreSQL to refuse");
}

const onPostgres = storeKinds.includes("postgres") ? describe : describe.skip;

onPostgres("a request that collides with other writes (PostgreSQL)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    const setup = await client();
    await setup.query(
      "create table pair (id int primary key, n int); insert into pair values (1, 0), (2, 0)",
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await database.drop();
  });

  it("answers a deadlock with a retryable 503 store_busy, not a 500", async () => {
    const [a, b] = [await client(), await client()];
    await a.query("begin");
    await b.query("begin");
    await a.query("update pair set n = n + 1 where id = 1");
    await b.query("update pair set n = n + 1 where id = 2");
    // Each now waits for the other's row: PostgreSQL aborts one of them.
    const outcomes = await Promise.allSettled([
      a.query("update pair set n = n + 1 where id = 2"),
      b.query("update pair set n = n + 1 where id = 1"),
    ]);
    await a.query("rollback");
    await b.query("rollback");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(refused).toHaveLength(1);
    expect((refused[0] as { code?: string }).code).toBe("40P01");
    expect(toAppError(refused[0])).toMatchObject({ code: "store_busy", status: 503 });
  });

  it("answers a statement cut off by the statement timeout with 503 store_busy", async () => {
    const c = await client();
    await c.query("set statement_timeout = 50");
    const error = await raisedBy(() => c.query("select pg_sleep(2)"));
    expect((error as { code?: string }).code).toBe("57014");
    expect(toAppError(error)).toMatchObject({ code: "store_busy", status: 503 });
  });
});
