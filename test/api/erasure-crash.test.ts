import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LoggedEmail, Interaction } from "../../src/shared/interactions";
import { PersonDataExport } from "../../src/shared/person-data";
import { Me } from "../../src/shared/routes";
import { loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { type Database, openPglite, openPostgres } from "../../src/server/db/database";
import { storeDirOf } from "../../src/server/db/open-store";
import { type ServerProcess, apiCaller, startServerProcess } from "../helpers/server-process";
import { createTestDatabase, storeKinds } from "../helpers/stores";

/*
 * An erasure runs in slices (person-data/erase.ts). A server killed between two of them has deleted some of the
 * person's interactions and not the rest; the erasure's row in the store says so, and the next start carries it
 * on to its end: nothing erased comes back, the rest goes, and the audit trail says once that the person was
 * erased, counting the whole of it.
 */

const ALONE = 80;
const CLEO = "cleo.lund@northwind.example";
const DAN = "dan.ek@northwind.example";

/** Polls until `done` holds: the test's own timeout is the only limit (servers start under tsx on a busy machine). */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe.each(storeKinds)("an erasure over a kill -9 (%s)", (kind) => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | null = null;
  let call: ReturnType<typeof apiCaller>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-erasure-"));
    if (kind === "postgres") {
      const created = await createTestDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    env = {
      RAPPORT_DATA_DIR: path.join(dataDir, "data"),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      RAPPORT_ADDIN_DIR: path.join(dataDir, "no-addin"),
      RAPPORT_DRAIN_SECONDS: "0",
      // One interaction per transaction: the kill lands between two slices of many.
      RAPPORT_ERASURE_SLICE: "1",
    };
    server = await startServerProcess(env);
    const issuer = await loadLocalIssuer(env.RAPPORT_DATA_DIR as string);
    call = apiCaller(
      () => server.url,
      await issuer.sign({ email: "rita@contoso.example", org: "contoso.example" }),
    );
  }, 300_000);
  afterAll(async () => {
    server.process.kill("SIGKILL");
    await server.exited;
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("carries on at the next start an erasure the server was killed in the middle of", async () => {
    const me = Me.parse(await call("GET", "/api/v1/me"));
    const cleo = await call<{ id: string }>("POST", "/api/v1/contacts", {
      displayName: "Cleo Lund",
      emails: [CLEO],
    });
    await call("POST", "/api/v1/contacts", { displayName: "Dan Ek", emails: [DAN] });
    const log = async (n: number, body: Record<string, unknown>) =>
      LoggedEmail.parse(
        await call("POST", "/api/v1/emails", {
          internetMessageId: `<m${n}@mail.northwind.example>`,
          sentAt: new Date(Date.UTC(2026, 10, 1, 9, 0, n)).toISOString(),
          from: { address: CLEO, name: "Cleo Lund" },
          to: [{ address: "rita@contoso.example" }],
          bodyText: "As promised.",
          ...body,
        }),
      ).interaction;
    const alone: Interaction[] = [];
    for (let n = 0; n < ALONE; n++) alone.push(await log(n, { subject: `Offer ${n}` }));
    const shared = [
      await log(1000, { subject: "Re: pilot with Cleo Lund", cc: [{ address: DAN }] }),
      await log(1001, { subject: "Contract", cc: [{ address: DAN }] }),
    ];
    const left = async () =>
      PersonDataExport.parse(await call("GET", `/api/v1/contacts/${cleo.id}/data-export`)).interactions
        .length;
    expect(await left()).toBe(ALONE + 2);

    // Asked, and killed once some slices are in and before the last: the admin gets no answer.
    const asked = call("POST", `/api/v1/contacts/${cleo.id}/erase`).then(
      () => "answered",
      () => "no answer",
    );
    let atKill = ALONE + 2;
    await until(async () => {
      atKill = await left();
      return atKill < ALONE + 2;
    });
    server.process.kill("SIGKILL");
    await server.exited;
    expect(await asked).toBe("no answer");
    expect(atKill).toBeGreaterThan(0);

    // The next start finishes it without being asked.
    server = await startServerProcess(env);
    await until(() =>
      call("GET", `/api/v1/contacts/${cleo.id}`).then(
        () => false,
        (error: unknown) => / 404 /.test(String(error)),
      ),
    );
    for (const email of alone)
      await expect(call("GET", `/api/v1/emails/${email.id}`)).rejects.toThrow(/ 404 /);
    for (const email of shared) {
      const kept = Interaction.parse(await call("GET", `/api/v1/emails/${email.id}`));
      expect(kept.participants.map((p) => p.address)).toEqual(["rita@contoso.example", DAN]);
      expect(kept.body).toBeNull();
      expect(kept.subject).not.toMatch(/cleo|lund/i);
    }
    await expect(call("POST", `/api/v1/contacts/${cleo.id}/erase`)).rejects.toThrow(/ 404 /);

    // Stopped, the store says once that she was erased, by the admin who asked, counting all of it.
    server.process.kill("SIGTERM");
    await server.exited;
    const database: Database =
      kind === "postgres"
        ? await openPostgres(databaseUrl as string)
        : await openPglite({ dataDir: storeDirOf(env.RAPPORT_DATA_DIR as string) });
    try {
      const events = await database.db
        .selectFrom("audit_events")
        .select(["actor_id", "details"])
        .where("action", "=", "contact.erased")
        .where("entity_id", "=", cleo.id)
        .execute();
      expect(events).toEqual([
        {
          actor_id: me.user.id,
          details: expect.objectContaining({
            interactionsDeleted: ALONE,
            interactionsScrubbed: 2,
            recordsScrubbed: 1,
          }),
        },
      ]);
      expect(await database.db.selectFrom("erasures").selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
    }
  }, 600_000);
});
