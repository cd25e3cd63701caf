import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openStore, storeDirOf } from "../../src/server/db/open-store";
import { hashSecret } from "../../src/server/accounts/secrets";
import { readArguments, readRebuildArguments, runAdminCommand } from "../../scripts/admin";

// The command makes a store of its own (PGlite's initdb and the migrations): seconds alone, past 30 s beside a
// busy suite.
jest.setTimeout(120_000);

describe("npm run admin", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-admin-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdminCommand(
      args,
      { RAPPORT_DATA_DIR: dataDir, ...env },
      {
        log: (line) => out.push(line),
        error: (line) => err.push(line),
      },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const linkIn = (text: string) => /https?:\/\/\S+#token=([A-Za-z0-9_-]{43})/.exec(text);

  it("refuses missing or malformed arguments with its usage", async () => {
    expect(readArguments(["--org", "Example"])).toEqual({ error: "--email needs the admin's email address" });
    expect(readArguments(["--email", "not an address", "--org", "Example"])).toHaveProperty("error");
    expect(readArguments(["--email", "ada@example.com"])).toEqual({
      error: "--org needs the organisation's name (or id)",
    });
    expect(readArguments(["--email", "ada@example.com", "--org", "X", "--password", "p"])).toHaveProperty(
      "error",
    );
    expect(readArguments(["--email", "Ada@Example.com", "--org", " Example Ltd "])).toEqual({
      email: "ada@example.com",
      org: "Example Ltd",
      url: null,
    });
    const refused = await run(["--email", "ada@example.com"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Usage: npm run admin");
  });

  it("makes the organisation and prints a one-time admin link whose token only the store's hash knows", async () => {
    const first = await run([
      "--email",
      "ada@example.com",
      "--org",
      "Example Ltd",
      "--url",
      "https://crm.example.com",
    ]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Made the organisation "Example Ltd"');
    const link = linkIn(first.out);
    expect(link?.[0].startsWith("https://crm.example.com/app/accept-invitation#token=")).toBe(true);

    // Again for the same organisation, by name in other letters: found, and only the newest link works.
    const second = await run(["--email", "ada@example.com", "--org", "example ltd"], {
      RAPPORT_PUBLIC_URL: "https://rapport.example.org/",
    });
    expect(second.code).toBe(0);
    expect(second.out).toContain('Found the organisation "Example Ltd"');
    const again = linkIn(second.out);
    expect(again?.[0].startsWith("https://rapport.example.org/app/accept-invitation#token=")).toBe(true);

    const { database } = await openStore({ dataDir, databaseUrl: null, databasePoolSize: 1 });
    try {
      const rows = await database.db
        .selectFrom("invitations")
        .innerJoin("organizations", "organizations.id", "invitations.org_id")
        .select([
          "invitations.token_hash",
          "invitations.role",
          "invitations.revoked_at",
          "organizations.name",
        ])
        .orderBy("invitations.created_at")
        .execute();
      expect(rows).toEqual([
        expect.objectContaining({
          token_hash: hashSecret(link?.[1] ?? ""),
          role: "admin",
          name: "Example Ltd",
        }),
        expect.objectContaining({
          token_hash: hashSecret(again?.[1] ?? ""),
          role: "admin",
          revoked_at: null,
        }),
      ]);
      expect(rows[0]?.revoked_at).not.toBeNull();
      // The token itself is nowhere in the store.
      const stored = JSON.stringify(await database.db.selectFrom("invitations").selectAll().execute());
      expect(stored).not.toContain(link?.[1]);
      expect(await database.db.selectFrom("pipelines").select("name").execute()).toHaveLength(1);
    } finally {
      await database.close();
    }

    // While another process holds the embedded store (a running server), the command says to stop it first.
    const lock = path.join(storeDirOf(dataDir), "rapport.lock");
    writeFileSync(lock, String(process.ppid));
    try {
      const locked = await run(["--email", "bo@example.com", "--org", "Example Ltd"]);
      expect(locked.code).toBe(1);
      expect(locked.err).toContain("stop it, run npm run admin");
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it("rebuilds the reports' rollups from the history, for one organisation or all", async () => {
    expect(readRebuildArguments(["--org", "Example Ltd"])).toEqual({
      error: "--org needs the organisation's id (a uuid)",
    });
    const refused = await run(["rebuild-rollups", "--org", "not-an-id"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Usage: npm run admin");

    const { database } = await openStore({ dataDir, databaseUrl: null, databasePoolSize: 1 });
    let orgId: string;
    let contactId: string;
    try {
      const db = database.db;
      const org = await db.selectFrom("organizations").select("id").executeTakeFirstOrThrow();
      orgId = org.id;
      const stages = await db
        .selectFrom("stages")
        .select(["id", "pipeline_id"])
        .where("org_id", "=", orgId)
        .orderBy("position")
        .execute();
      const [first, second] = stages;
      if (!first || !second) throw new Error("the default pipeline has no two stages");
      const deal = await db
        .insertInto("deals")
        .values({ org_id: orgId, name: "Renewal", pipeline_id: first.pipeline_id, stage_id: second.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("deal_stage_changes")
        .values([
          {
            org_id: orgId,
            deal_id: deal.id,
            to_stage_id: first.id,
            changed_at: "2026-01-01T00:00:00Z",
            source: "import",
          },
          {
            org_id: orgId,
            deal_id: deal.id,
            to_stage_id: second.id,
            changed_at: "2026-01-03T12:00:00Z",
            source: "import",
          },
        ])
        .execute();
      const call = await db
        .insertInto("interactions")
        .values({ org_id: orgId, kind: "call", occurred_at: "2026-01-02T09:00:00Z", source: "manual" })
        .returning("id")
        .executeTakeFirstOrThrow();
      contactId = (
        await db
          .insertInto("contacts")
          .values({ org_id: orgId, display_name: "Ann", tags: [] })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      await db
        .insertInto("interaction_participants")
        .values({
          org_id: orgId,
          interaction_id: call.id,
          contact_id: contactId,
          role: "with",
          position: 0,
          occurred_at: "2026-01-02T09:00:00Z",
        })
        .execute();
      // What a fix made with the triggers off would leave: rollups that no longer say what the history says.
      await db.deleteFrom("deal_stage_stays").execute();
      await db.deleteFrom("deal_stage_flows").execute();
      await db.deleteFrom("deal_stage_lengths").execute();
      await db.deleteFrom("interaction_weeks").execute();
      await db.updateTable("interaction_days").set({ interactions: 7 }).execute();
      await sql`update contacts set last_interaction_at = null where id = ${contactId}`.execute(db);
    } finally {
      await database.close();
    }

    const rebuilt = await run(["rebuild-rollups", "--org", orgId.toUpperCase()]);
    expect(rebuilt.err).toBe("");
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toContain("2 stage stays, 1 interaction days, 1 contacts with a last interaction");
    // 0031's summaries too: the entry and the move, the one ended stay, the call's week, the deal's last activity.
    expect(rebuilt.out).toContain(
      "2 stage flows, 1 stage lengths, 1 interaction weeks, 1 deals with a last activity",
    );
    const all = await run(["rebuild-rollups"]);
    expect(all.out).toContain("of every organisation");

    const reopened = await openStore({ dataDir, databaseUrl: null, databasePoolSize: 1 });
    try {
      const db = reopened.database.db;
      expect(
        await db
          .selectFrom("deal_stage_stays")
          .select(["seconds", "left_at"])
          .orderBy("entered_at")
          .execute(),
      ).toEqual([
        { seconds: 2.5 * 86_400, left_at: new Date("2026-01-03T12:00:00Z") },
        { seconds: null, left_at: null },
      ]);
      expect(
        await db.selectFrom("interaction_days").select(["day", "kind", "interactions"]).execute(),
      ).toEqual([{ day: "2026-01-02", kind: "call", interactions: 1 }]);
      expect(
        await db.selectFrom("contacts").select("last_interaction_at").where("id", "=", contactId).execute(),
      ).toEqual([{ last_interaction_at: new Date("2026-01-02T09:00:00Z") }]);
    } finally {
      await reopened.database.close();
    }
  });
});
