// The load bench's server process (npm run bench -- --load): Rapport's server exactly as `npm run serve` starts it,
// and beside it, in the same process and over the same store (PGlite's one connection, or the same PostgreSQL
// pool), a minimal HTTP server that answers the lookup's data with one hand-written statement
// (bench/lookup-sql.ts) and nothing else: no framework, no sign-in, no checks. What Rapport does per request beyond
// that statement is the difference between the two; the bench reports Rapport's throughput and p99 as ratios of
// the baseline's, measured in the same run.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../src/server/config";
import { startServer } from "../../src/server/start-server";
import { profileQuery } from "./lookup-sql";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function main(): Promise<void> {
  const { database } = await startServer(loadConfig());
  const baseline = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://baseline");
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === "/healthz") return answer(200, { ok: true });
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
