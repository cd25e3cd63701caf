// The load bench's server process (npm run bench -- --load): Rapport's server exactly as `npm run serve` starts it,
// and beside it, in the same process and over the same store (PGlite's one connection, or the same PostgreSQL
// pool), a minimal HTTP server that answers the lookup's data with one hand-written statement
// (bench/lookup-sql.ts) and nothing else: no framework, no sign-in, no checks. What Rapport does per request beyond
// that statement is the difference between the two; the bench reports Rapport's throughput and p99 as ratios of
// the baseline's, measured in the same run.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../src/server/config";
import type { Database } from "../../src/server/db/database";
import { startServer } from "../../src/server/start-server";
import { type Viewer, profileQuery } from "./lookup-sql";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the organisation wall costs one statement: the lookup's statement timed as the store's owner (no row-level
 * security) and behind the wall (the role and its policies, as every request runs), in this process, without HTTP.
 * The two take turns round by round, each round in the other order, so that drift (the cache, the collector, the
 * machine) falls on both; a whole round runs on one view, so the pooled connection is walled once per round, not
 * per statement, as in the server, where a connection keeps its wall between borrowers of one organisation.
 */
async function wallCost(
  database: Database,
  viewer: Viewer,
  emails: string[],
  rounds: number,
): Promise<{ owner: number[]; walled: number[] }> {
  const views = { owner: database.db, walled: database.forOrganization(viewer.orgId) };
  const times = { owner: [] as number[], walled: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (["owner", "walled"] as const) : (["walled", "owner"] as const);
    for (const view of order) {
      // The first statement on a view changes the connection's wall: not the statement's own cost.
      await profileQuery(viewer, emails[0] as string).execute(views[view]);
      for (const email of emails) {
        const started = performance.now();
        await profileQuery(viewer, email).execute(views[view]);
        times[view].push(performance.now() - started);
      }
    }
  }
  return times;
}

async function main(): Promise<void> {
  const { database } = await startServer(loadConfig());
  const baseline = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://baseline");
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === "/healthz") return answer(200, { ok: true });
    if (url.pathname === "/wall-cost") {
      const orgId = url.searchParams.get("org") ?? "";
      const userId = url.searchParams.get("user") ?? "";
      const emails = url.searchParams.getAll("email");
      const rounds = Number(url.searchParams.get("rounds") ?? "20");
      if (!UUID.test(orgId) || !UUID.test(userId) || !emails.length || !(rounds >= 1 && rounds <= 1000))
        return answer(400, { error: "GET /wall-cost?org=<uuid>&user=<uuid>&email=…&rounds=<1-1000>" });
      wallCost(database, { orgId, userId }, emails, rounds)
        .then((times) => answer(200, times))
        .catch((error: unknown) => answer(500, { error: String(error) }));
      return;
    }
    const [orgId, userId, email] = ["org", "user", "email"].map((name) => url.searchParams.get(name) ?? "");
    if (url.pathname !== "/lookup" || !UUID.test(orgId ?? "") || !UUID.test(userId ?? "") || !email)
      return answer(400, { error: "GET /lookup?org=<uuid>&user=<uuid>&email=<address>" });
    profileQuery({ orgId: orgId as string, userId: userId as string }, email)
      .execute(database.db)
      .then(({ rows }) => answer(200, { results: [{ email, contact: rows[0]?.profile ?? null }] }))
      .catch((error: unknown) => answer(500, { error: String(error) }));
  });
  baseline.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => baseline.listen(0, "127.0.0.1", resolve));
  const { port } = baseline.address() as AddressInfo;
  console.log(`Baseline listening on http://127.0.0.1:${port}`);
}

main().catch((error: unknown) => {
  console.error("The bench's server could not start:", error);
  process.exit(1);
});
