import { PGlite } from "@electric-sql/pglite";
import { type Migration, sql } from "kysely";
import { migrateToLatest, migrations, MigrationError } from "../../src/server/db/migrate";
import { createTestDatabase, openTestStore, storeKinds, takesItsTurn } from "../helpers/stores";
import { type Database, type StoreKind, openPglite, openPostgres } from "../../src/server/db/database";
import { localDay } from "../../src/server/dashboard/local-day";
import { dashboard } from "../../src/server/dashboard/service";
import { activityByRep, stageConversion } from "../../src/server/reports/service";
import {
  activityFromHistory,
  dealsNeedingAttentionFromHistory,
  stageConversionFromHistory,
} from "../helpers/report-oracle";

const tables = async (database: Database) =>
  (
    await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    )
  ).rows.map((r) => r.table_name);

/**
 * PGlite before any migration, made once and copied for each store that needs one: initdb costs seconds (far more
 * on a busy machine), loading a copy a fraction of one.
 */
let bareStore: Promise<Blob> | null = null;
function bare(): Promise<Blob> {
  bareStore ??= (async () => {
    const pglite = await PGlite.create();
    try {
      return await pglite.dumpDataDir("none");
    } finally {
      await pglite.close();
    }
  })();
  return bareStore;
}

/** A store of its own, not migrated: to bring up as an older release left it. */
async function emptyStore(kind: StoreKind): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === "pglite")
    return { database: await openPglite({ loadDataDir: await bare() }), drop: async () => {} };
  const made = await createTestDatabase();
  return { database: await openPostgres(made.url), drop: made.drop };
}

// Every test here brings up a store of its own; the first pays for PGlite's initdb, which on a loaded machine has
// taken close to a minute. A patience limit, not a speed check.
jest.setTimeout(180_000);

/** The migrations that came before the named one: a store as an older release left it. */
const migrationsBefore = (name: string) =>
  Object.fromEntries(Object.entries(migrations).filter(([migration]) => migration < name));

describe.each(storeKinds)("migrations (%s)", (kind) => {
  /** A store of its own, migrated only up to (not including) the given migration. */
  async function storeBefore(name: string): Promise<{ store: Database; drop: () => Promise<void> }> {
    const { database: store, drop } = await emptyStore(kind);
    await migrateToLatest(store.db, migrationsBefore(name));
    return { store, drop };
  }

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
        "follow_ups",
        "occasion_rules",
        "occasion_rule_senders",
        "occasion_mails",
        "webhook_endpoints",
        "webhook_events",
        "webhook_deliveries",
        "quote_templates",
        "quotes",
        "segments",
        "segment_members",
        "segment_changes",
        "rating_keys",
        "ratings",
        "calendar_sync",
        "calendar_events",
        "interaction_links",
        "graph_subscriptions",
        "graph_notification_receipts",
        "contact_duplicate_dismissals",
        "company_duplicate_dismissals",
        "contact_merges",
        "company_merges",
        "erasures",
        "erasure_keys",
        "erased_addresses",
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

  it("defines the custom fields contacts already hold, so each record can be written back as it was read", async () => {
    // A store of its own, migrated only up to 0004, holding values from before definitions existed.
    const { database: empty, drop } = await emptyStore(kind);
    try {
      await migrateToLatest(empty.db, migrationsBefore("0005_admin_settings"));
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
      expect(await migrateToLatest(empty.db, migrationsBefore("0006"))).toEqual(["0005_admin_settings"]);
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
    } finally {
      await empty.close();
      await drop();
    }
  });
  it("gives each stored Rapport key to the user who gave it to its email", async () => {
    const { store, drop } = await storeBefore("0008_rapport_key_owner");
    try {
      const { db } = store;
      const [org] = await db
        .insertInto("organizations")
        .values({ tenant_id: "t", name: "T", internal_domains: [], logging_policy: "{}" })
        .returning("id")
        .execute();
      const orgId = org?.id as string;
      const [rita, max] = await db
        .insertInto("users")
        .values(
          ["rita", "max"].map((n) => ({
            org_id: orgId,
            external_id: n,
            email: `${n}@t.example`,
            role: "member" as const,
          })),
        )
        .returning("id")
        .execute()
        .then((rows) => rows.map((r) => r.id));
      const email = async (key: string | null, loggedBy: string | undefined) =>
        (
          await db
            .insertInto("interactions")
            .values({
              org_id: orgId,
              kind: "email",
              occurred_at: new Date(),
              rapport_key: key,
              source: "manual",
              logged_by: loggedBy ?? null,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      const audit = (actor: string | undefined, action: string, id: string, details: object) =>
        db
          .insertInto("audit_events")
          .values({
            org_id: orgId,
            actor_id: actor ?? null,
            action,
            entity_type: "interaction",
            entity_id: id,
            details: JSON.stringify(details),
          })
          .execute();
      // Logged under its key by Rita (on send), then completed with its message id by her sent copy.
      const onSend = await email(crypto.randomUUID(), rita);
      await audit(rita, "email.completed", onSend, { fields: ["internet_message_id"] });
      // Logged by Max from his inbox; Rita's sent copy gave it her key.
      const stamped = await email(crypto.randomUUID(), max);
      await audit(rita, "email.completed", stamped, { fields: ["rapport_key"] });
      // Logged by Max from his inbox; Rita's on-send log was merged into it.
      const merged = await email(crypto.randomUUID(), max);
      await audit(rita, "email.merged", merged, { merged: crypto.randomUUID() });
      const keyless = await email(null, max);

      expect(await migrateToLatest(db)).toContain("0008_rapport_key_owner");
      const owners = await db
        .selectFrom("interactions")
        .select(["id", "rapport_key_owner"])
        .execute()
        .then((rows) => new Map(rows.map((r) => [r.id, r.rapport_key_owner])));
      expect([onSend, stamped, merged, keyless].map((id) => owners.get(id))).toEqual([
        rita,
        rita,
        rita,
        null,
      ]);
    } finally {
      await store.close();
      await drop();
    }
  });

  it("rewrites stored addresses and domains to their canonical form, keeping one of two that become the same", async () => {
    const { database: old, drop } = await emptyStore(kind);
    try {
      await migrateToLatest(old.db, migrationsBefore("0007"));
      const db = old.db;
      const [org] = await db
        .insertInto("organizations")
        .values({
          tenant_id: "t",
          name: "T",
          internal_domains: ["müller.example", "xn--mller-kva.example", "contoso.example"],
          logging_policy: "{}",
        })
        .returning("id")
        .execute();
      const orgId = org?.id as string;
      const [user] = await db
        .insertInto("users")
        .values({ org_id: orgId, external_id: "u", email: "rita@contoso.example", role: "admin" })
        .returning("id")
        .execute();
      const userId = user?.id as string;
      // Created a minute apart, oldest first: the older of two contacts keeps an address they come to share.
      const contact = async (name: string, minute: number, ...addresses: string[]) => {
        const [row] = await db
          .insertInto("contacts")
          .values({
            org_id: orgId,
            display_name: name,
            phones: [],
            tags: [],
            custom_fields: "{}",
            created_at: new Date(Date.UTC(2025, 0, 1, 9, minute)),
          })
          .returning("id")
          .execute();
        const id = row?.id as string;
        if (addresses.length)
          await db
            .insertInto("contact_emails")
            .values(
              addresses.map((address, position) => ({ org_id: orgId, contact_id: id, address, position })),
            )
            .execute();
        return id;
      };
      const jorg = await contact("Jörg Müller", 0, "jorg@müller.example", "jorg@xn--mller-kva.example");
      const anna = await contact("Anna Bäcker", 1, "anna@bäckerei.example");
      const annaTwin = await contact("Anna B.", 2, "anna@xn--bckerei-5wa.example", "anna@home.example");
      const bo = await contact("Bo Åsa", 3, "bo@xn--sa-xia.example");
      const boTwin = await contact("Bo", 4, "bo@åsa.example");
      const carl = await contact("Carl Gröna", 5, "carl@xn--grna-6qa.example");
      const plain = await contact("Plain", 6, "plain@contoso.example");

      const [email] = await db
        .insertInto("interactions")
        .values({ org_id: orgId, kind: "email", occurred_at: new Date(), source: "manual" })
        .returning("id")
        .execute();
      const participant = (address: string, contactId: string | null, position: number) => ({
        org_id: orgId,
        interaction_id: email?.id as string,
        contact_id: contactId,
        address,
        name: null,
        role: "to" as const,
        position,
        occurred_at: new Date(),
      });
      await db
        .insertInto("interaction_participants")
        .values([participant("jorg@müller.example", jorg, 0), participant("carl@gröna.example", null, 1)])
        .execute();

      const company = async (name: string, minute: number, domain: string) => {
        const [row] = await db
          .insertInto("companies")
          .values({
            org_id: orgId,
            name,
            domain,
            custom_fields: "{}",
            created_at: new Date(Date.UTC(2025, 0, 1, 9, minute)),
          })
          .returning("id")
          .execute();
        return row?.id as string;
      };
      const mueller = await company("Müller GmbH", 0, "müller.example");
      const muellerTwin = await company("Mueller", 1, "xn--mller-kva.example");
      const bakery = await company("Bäckerei", 2, "xn--bckerei-5wa.example");

      const entry = (entry: string, minute: number, user: string | null = null) => ({
        org_id: orgId,
        user_id: user,
        entry,
        created_at: new Date(Date.UTC(2025, 0, 1, 9, minute)),
      });
      await db
        .insertInto("blocklist_entries")
        .values([
          entry("@müller.example", 0),
          entry("@xn--mller-kva.example", 1),
          entry("ceo@bäckerei.example", 2, userId),
          entry("@contoso-lawyers.example", 3),
        ])
        .execute();

      expect(await migrateToLatest(db)).toContain("0007_canonical_addresses");

      const emails = await db
        .selectFrom("contact_emails")
        .select(["contact_id", "address", "address_as_written", "position"])
        .orderBy("contact_id")
        .orderBy("position")
        .execute();
      const of = (id: string) =>
        emails.filter((e) => e.contact_id === id).map((e) => [e.address, e.address_as_written]);
      // One contact with both spellings keeps the first in its list, as it was written.
      expect(of(jorg)).toEqual([["jorg@xn--mller-kva.example", "jorg@müller.example"]]);
      // Two contacts: the older keeps the address; the younger stays, without it.
      expect(of(anna)).toEqual([["anna@xn--bckerei-5wa.example", "anna@bäckerei.example"]]);
      expect(of(annaTwin)).toEqual([["anna@home.example", null]]);
      expect(of(bo)).toEqual([["bo@xn--sa-xia.example", null]]);
      expect(of(boTwin)).toEqual([]);
      expect(of(carl)).toEqual([["carl@xn--grna-6qa.example", null]]);
      expect(of(plain)).toEqual([["plain@contoso.example", null]]);
      const contacts = await db.selectFrom("contacts").select(["id", "version"]).execute();
      expect(contacts).toHaveLength(7);
      expect(new Map(contacts.map((c) => [c.id, c.version]))).toEqual(
        new Map([
          [jorg, 1],
          [anna, 1],
          [annaTwin, 2],
          [bo, 1],
          [boTwin, 2],
          [carl, 1],
          [plain, 1],
        ]),
      );
      const audits = await db
        .selectFrom("audit_events")
        .select(["action", "entity_id", "details"])
        .orderBy("action")
        .orderBy("entity_id")
        .execute();
      expect(audits).toEqual(
        expect.arrayContaining([
          {
            action: "contact.updated",
            entity_id: annaTwin,
            details: expect.objectContaining({ removed: "anna@xn--bckerei-5wa.example", keptBy: anna }),
          },
          {
            action: "contact.updated",
            entity_id: boTwin,
            details: expect.objectContaining({ removed: "bo@åsa.example", keptBy: bo }),
          },
          {
            action: "company.updated",
            entity_id: muellerTwin,
            details: expect.objectContaining({ removed: "xn--mller-kva.example", keptBy: mueller }),
          },
        ]),
      );

      // Logged participants take the canonical form, and one nobody had in that spelling joins its contact.
      const participants = await db
        .selectFrom("interaction_participants")
        .select(["address", "contact_id"])
        .orderBy("position")
        .execute();
      expect(participants).toEqual([
        { address: "jorg@xn--mller-kva.example", contact_id: jorg },
        { address: "carl@xn--grna-6qa.example", contact_id: carl },
      ]);

      const companies = await db
        .selectFrom("companies")
        .select(["id", "domain", "domain_as_written", "version"])
        .execute();
      expect(new Map(companies.map((c) => [c.id, [c.domain, c.domain_as_written, c.version]]))).toEqual(
        new Map([
          [mueller, ["xn--mller-kva.example", "müller.example", 1]],
          [muellerTwin, [null, null, 2]],
          [bakery, ["xn--bckerei-5wa.example", null, 1]],
        ]),
      );

      const entries = await db
        .selectFrom("blocklist_entries")
        .select(["user_id", "entry", "entry_as_written"])
        .orderBy("entry")
        .execute();
      expect(entries).toEqual([
        { user_id: null, entry: "@contoso-lawyers.example", entry_as_written: null },
        { user_id: null, entry: "@xn--mller-kva.example", entry_as_written: "@müller.example" },
        { user_id: userId, entry: "ceo@xn--bckerei-5wa.example", entry_as_written: "ceo@bäckerei.example" },
      ]);

      const organization = await db
        .selectFrom("organizations")
        .select(["internal_domains", "internal_domains_as_written"])
        .executeTakeFirstOrThrow();
      expect(organization).toEqual({
        internal_domains: ["xn--mller-kva.example", "contoso.example"],
        internal_domains_as_written: ["müller.example", "contoso.example"],
      });
    } finally {
      await old.close();
      await drop();
    }
  });

  it("gives each organisation the currency most of its deals are in as its base, EUR without any, and no rate", async () => {
    const { store, drop } = await storeBefore("0006_base_currency");
    try {
      const { db } = store;
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
      expect(await migrateToLatest(db, migrationsBefore("0007"))).toEqual(["0006_base_currency"]);
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
    } finally {
      await store.close();
      await drop();
    }
  });

  it("keeps the stage stays and activity of the history it finds, so the reports answer as before the upgrade", async () => {
    const { store, drop } = await storeBefore("0025_report_rollups");
    try {
      const { db } = store;
      const org = await db
        .insertInto("organizations")
        .values({ tenant_id: "rollups", name: "Rollups", internal_domains: [], logging_policy: "{}" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const orgId = org.id;
      const users = await db
        .insertInto("users")
        .values(
          (["admin", "member"] as const).map((role, n) => ({
            org_id: orgId,
            external_id: `user${n}`,
            email: `user${n}@x.example`,
            role,
          })),
        )
        .returning("id")
        .execute();
      const [rita, sam] = users.map((u) => u.id) as [string, string];
      const pipeline = await db
        .insertInto("pipelines")
        .values({ org_id: orgId, name: "Sales", is_default: true, position: 0 })
        .returning("id")
        .executeTakeFirstOrThrow();
      const stageIds: string[] = [];
      for (const [position, kind] of (["open", "open", "won", "lost"] as const).entries())
        stageIds.push(
          (
            await db
              .insertInto("stages")
              .values({
                org_id: orgId,
                pipeline_id: pipeline.id,
                name: `S${position}`,
                position,
                probability: 10,
                kind,
              })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id,
        );
      // Six deals of two owners; each walks some of the stages, a day or more apart, one of them back and forth.
      const walks = [[0, 1, 2], [0, 1], [0, 2], [0, 1, 0, 1, 3], [1], [0, 1, 2]];
      for (const [n, walk] of walks.entries()) {
        const deal = await db
          .insertInto("deals")
          .values({
            org_id: orgId,
            name: `D${n}`,
            owner_id: n % 2 ? sam : rita,
            pipeline_id: pipeline.id,
            stage_id: stageIds[walk.at(-1) as number] as string,
            created_at: "2026-01-01T00:00:00Z",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        for (const [step, stage] of walk.entries())
          await db
            .insertInto("deal_stage_changes")
            .values({
              org_id: orgId,
              deal_id: deal.id,
              to_stage_id: stageIds[stage] as string,
              changed_at: new Date(Date.UTC(2026, 0, 1 + step * (n + 1), n)),
              source: "import",
            })
            .execute();
      }
      for (const [n, kind] of (
        ["email", "call", "note", "meeting", "visit", "call", "note"] as const
      ).entries())
        await db
          .insertInto("interactions")
          .values({
            org_id: orgId,
            kind,
            occurred_at: new Date(Date.UTC(2026, 0, 1 + n * 3, 23, 30)),
            source: "manual",
            logged_by: n === 6 ? null : n % 2 ? sam : rita,
            ...(kind === "email" ? { internet_message_id: `<m${n}@x.example>` } : {}),
          })
          .execute();

      const now = new Date("2026-03-01T12:00:00Z");
      const view = { orgId, now, day: localDay("UTC", now) };
      const periods = [{}, { from: "2026-01-05" }, { to: "2026-01-10" }];
      const answer = async (read: "history" | "rollups") => {
        const scope = { db, caller: { orgId, userId: rita, email: null } };
        const result: unknown[] = [];
        for (const period of periods)
          for (const ownerId of [undefined, rita, sam]) {
            const query = { ...period, ...(ownerId ? { ownerId } : {}) };
            result.push(
              read === "history"
                ? await stageConversionFromHistory(db, orgId, pipeline.id, query)
                : (await stageConversion(scope, { pipelineId: pipeline.id, ...query })).rows,
              read === "history"
                ? await activityFromHistory(db, orgId, query)
                : (await activityByRep(scope, query)).rows,
            );
          }
        for (const ownerId of [rita, sam])
          result.push(
            read === "history"
              ? await dealsNeedingAttentionFromHistory(db, { ...view, ownerId })
              : (await dashboard(scope, { timeZone: "UTC", ownerId }, now)).dealsNeedingAttention,
          );
        return result;
      };
      const before = await answer("history");
      // Through the latest: the reports read what later migrations keep too (0031's summaries, rebuilt from what
      // 0025 and 0026 made of this history).
      expect((await migrateToLatest(db)).slice(0, 2)).toEqual([
        "0025_report_rollups",
        "0026_contact_last_interaction",
      ]);
      expect(await answer("rollups")).toEqual(before);
      // What was found, kept: a stay per change, and the days of the interactions.
      const kept = await sql<{ stays: number; days: number }>`
        select (select count(*)::int from deal_stage_stays) as stays,
          (select coalesce(sum(interactions), 0)::int from interaction_days) as days`.execute(db);
      expect(kept.rows).toEqual([{ stays: walks.flat().length, days: 7 }]);
    } finally {
      await store.close();
      await drop();
    }
  });

  it("gives each contact the newest of the interactions it finds, as the last-contacted filter read them", async () => {
    const { store, drop } = await storeBefore("0026_contact_last_interaction");
    try {
      const { db } = store;
      const org = await db
        .insertInto("organizations")
        .values({
          tenant_id: "last-contact",
          name: "Last contact",
          internal_domains: [],
          logging_policy: "{}",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const contactIds = (
        await db
          .insertInto("contacts")
          .values(["Ann", "Bo", "Cy"].map((name) => ({ org_id: org.id, display_name: name, tags: [] })))
          .returning("id")
          .execute()
      ).map((c) => c.id);
      const [ann, bo, cy] = contactIds as [string, string, string];
      // Ann in a call and, later, an email with Bo and an address nobody has; Cy in nothing.
      for (const [day, who] of [
        [3, [ann]],
        [9, [ann, bo, null]],
      ] as const) {
        const interaction = await db
          .insertInto("interactions")
          .values({
            org_id: org.id,
            kind: "call",
            occurred_at: new Date(Date.UTC(2026, 0, day)),
            source: "import",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db
          .insertInto("interaction_participants")
          .values(
            who.map((contactId, position) => ({
              org_id: org.id,
              interaction_id: interaction.id,
              contact_id: contactId,
              address: contactId ? null : "nobody@x.example",
              role: "with" as const,
              position,
              occurred_at: new Date(Date.UTC(2026, 0, day)),
            })),
          )
          .execute();
      }
      expect(await migrateToLatest(db, migrationsBefore("0027"))).toEqual(["0026_contact_last_interaction"]);
      const kept = await sql<{ id: string; last: Date | null }>`
        select id, last_interaction_at as last from contacts where org_id = ${org.id}`.execute(db);
      expect(Object.fromEntries(kept.rows.map((r) => [r.id, r.last?.toISOString() ?? null]))).toEqual({
        [ann]: "2026-01-09T00:00:00.000Z",
        [bo]: "2026-01-09T00:00:00.000Z",
        [cy]: null,
      });
      // From then on the triggers keep it: the newest email gone, Ann's call is her last contact, Bo never had one.
      await db
        .deleteFrom("interactions")
        .where("occurred_at", "=", new Date(Date.UTC(2026, 0, 9)))
        .execute();
      const after = await sql<{ id: string; last: Date | null }>`
        select id, last_interaction_at as last from contacts where org_id = ${org.id}`.execute(db);
      expect(Object.fromEntries(after.rows.map((r) => [r.id, r.last?.toISOString() ?? null]))).toEqual({
        [ann]: "2026-01-03T00:00:00.000Z",
        [bo]: null,
        [cy]: null,
      });
    } finally {
      await store.close();
      await drop();
    }
  });
});

/** Ids fixed up front, so each row can name the rows it references whatever schema it is written at. */
const ID = {
  org: "00000000-0000-4000-8000-000000000001",
  rita: "00000000-0000-4000-8000-000000000002",
  sam: "00000000-0000-4000-8000-000000000003",
  company: "00000000-0000-4000-8000-000000000004",
  contact: "00000000-0000-4000-8000-000000000005",
  pipeline: "00000000-0000-4000-8000-000000000006",
  open: "00000000-0000-4000-8000-000000000007",
  won: "00000000-0000-4000-8000-000000000008",
  deal: "00000000-0000-4000-8000-000000000009",
  change: "00000000-0000-4000-8000-00000000000a",
  email: "00000000-0000-4000-8000-00000000000b",
  participant: "00000000-0000-4000-8000-00000000000c",
  task: "00000000-0000-4000-8000-00000000000d",
  audit: "00000000-0000-4000-8000-00000000000e",
  blocked: "00000000-0000-4000-8000-00000000000f",
  field: "00000000-0000-4000-8000-000000000010",
  session: "00000000-0000-4000-8000-000000000011",
  template: "00000000-0000-4000-8000-000000000012",
  followUp: "00000000-0000-4000-8000-000000000013",
  rule: "00000000-0000-4000-8000-000000000014",
  occasionMail: "00000000-0000-4000-8000-000000000015",
  webhook: "00000000-0000-4000-8000-000000000016",
  webhookEvent: "00000000-0000-4000-8000-000000000017",
  webhookDelivery: "00000000-0000-4000-8000-000000000018",
  segment: "00000000-0000-4000-8000-000000000019",
  rating: "00000000-0000-4000-8000-000000000020",
  subscription: "00000000-0000-4000-8000-000000000021",
  mergedContact: "00000000-0000-4000-8000-000000000024",
  mergedCompany: "00000000-0000-4000-8000-000000000025",
  meeting: "00000000-0000-4000-8000-000000000026",
  dealLink: "00000000-0000-4000-8000-000000000027",
  companyLink: "00000000-0000-4000-8000-000000000028",
};
const at = "2025-03-04T05:06:07.089Z";
/** A second contact, after the first in id order (a dismissal holds its pair in that order). */
const SECOND_CONTACT = "00000000-0000-4000-8000-000000000023";

/**
 * One or two rows for every table of the data model, as the latest schema has them; written at an older schema,
 * each row keeps only the columns that schema has, and a table it does not have yet is left out. The values are
 * already in the forms later migrations rewrite to (canonical addresses, one currency), so the upgrade must leave
 * every one of them as it was.
 */
const REPRESENTATIVE_ROWS: [table: string, rows: Record<string, unknown>[]][] = [
  [
    "organizations",
    [
      {
        id: ID.org,
        tenant_id: "tenant-contoso",
        name: "Contoso",
        internal_domains: ["contoso.example"],
        logging_policy: JSON.stringify({ autoLogContent: "excerpt" }),
        base_currency: "EUR",
        // Not the default: the upgrade must keep an organisation's switch as it was (0018).
        microsoft365_only: true,
        created_at: at,
      },
    ],
  ],
  [
    "users",
    [
      {
        id: ID.rita,
        org_id: ID.org,
        external_id: "rita",
        email: "rita@contoso.example",
        display_name: "Rita",
        role: "admin",
        admin_grant: "server_list",
        grant_token_issued_at: at,
        language: "sv",
        time_zone: "Europe/Stockholm",
        created_at: at,
      },
      {
        id: ID.sam,
        org_id: ID.org,
        external_id: "sam",
        email: "sam@contoso.example",
        display_name: null,
        role: "member",
        auto_log_opened: true,
        time_zone: "America/New_York",
        created_at: at,
      },
    ],
  ],
  [
    "companies",
    [
      {
        id: ID.company,
        org_id: ID.org,
        name: "Fabrikam",
        domain: "fabrikam.example",
        phone: "+46 8 123 456",
        website: "https://fabrikam.example",
        address: "Storgatan 1",
        owner_id: ID.rita,
        custom_fields: "{}",
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "contacts",
    [
      {
        id: ID.contact,
        org_id: ID.org,
        display_name: "Ann Berg",
        first_name: "Ann",
        last_name: "Berg",
        title: "CFO",
        phones: ["+46 70 123 45 67"],
        company_id: ID.company,
        lifecycle_stage: "customer",
        tags: ["vip"],
        owner_id: ID.rita,
        source: "manual",
        custom_fields: "{}",
        // 29 February of a leap year, and no mail from a machine (0017).
        birthday_day: 29,
        birthday_month: 2,
        birthday_year: 1988,
        no_automated_mail: true,
        // Wants no marketing, in Sweden (0024).
        no_marketing: true,
        country: "SE",
        created_at: at,
        updated_at: at,
      },
      {
        // The same person once more (0029: the duplicates list pairs them by phone and name at the company).
        id: SECOND_CONTACT,
        org_id: ID.org,
        display_name: "Ann Berg",
        first_name: "Ann",
        last_name: null,
        title: null,
        phones: ["070-123 45 67"],
        company_id: ID.company,
        lifecycle_stage: "lead",
        tags: [],
        owner_id: ID.sam,
        source: "import",
        custom_fields: "{}",
        birthday_day: null,
        birthday_month: null,
        birthday_year: null,
        no_automated_mail: false,
        no_marketing: false,
        country: "SE",
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "contact_emails",
    [{ org_id: ID.org, contact_id: ID.contact, address: "ann@fabrikam.example", position: 0 }],
  ],
  [
    "pipelines",
    [{ id: ID.pipeline, org_id: ID.org, name: "Sales", is_default: true, position: 0, created_at: at }],
  ],
  [
    "stages",
    [
      {
        id: ID.open,
        org_id: ID.org,
        pipeline_id: ID.pipeline,
        name: "Qualified",
        position: 0,
        probability: 20,
        kind: "open",
      },
      {
        id: ID.won,
        org_id: ID.org,
        pipeline_id: ID.pipeline,
        name: "Won",
        position: 1,
        probability: 100,
        kind: "won",
      },
    ],
  ],
  [
    "deals",
    [
      {
        id: ID.deal,
        org_id: ID.org,
        name: "Licences",
        amount: 1234.5,
        currency: "EUR",
        expected_close_date: "2025-06-30",
        company_id: ID.company,
        owner_id: ID.rita,
        pipeline_id: ID.pipeline,
        stage_id: ID.won,
        closed_at: at,
        custom_fields: "{}",
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  ["deal_contacts", [{ org_id: ID.org, deal_id: ID.deal, contact_id: ID.contact }]],
  [
    "deal_stage_changes",
    [
      {
        id: ID.change,
        org_id: ID.org,
        deal_id: ID.deal,
        from_stage_id: ID.open,
        to_stage_id: ID.won,
        changed_by: ID.rita,
        changed_at: at,
        source: "web",
      },
    ],
  ],
  [
    "interactions",
    [
      {
        id: ID.email,
        org_id: ID.org,
        kind: "email",
        direction: "in",
        occurred_at: at,
        subject: "Order",
        body: "Hello",
        internet_message_id: "<order-1@fabrikam.example>",
        rapport_key: "6f1c0d1e-0000-4000-8000-000000000001",
        rapport_key_owner: ID.sam,
        conversation_id: "conv-1",
        source: "manual",
        deal_id: ID.deal,
        logged_by: ID.sam,
        created_at: at,
        updated_at: at,
        // An email has no meeting details; named here, the columns written are the meeting's below too.
        meeting_ends_at: null,
        meeting_location: null,
        meeting_online_url: null,
        meeting_ical_uid: null,
        meeting_organizer: null,
        meeting_cancelled: null,
        meeting_outcome: null,
      },
      // A meeting (0027): an interaction whose meeting columns are filled; written at an older schema, a meeting
      // noted without them.
      {
        id: ID.meeting,
        org_id: ID.org,
        kind: "meeting",
        direction: "out",
        occurred_at: at,
        subject: "Quarterly review",
        body: "Ann wants the numbers",
        internet_message_id: null,
        rapport_key: null,
        rapport_key_owner: null,
        conversation_id: null,
        source: "auto",
        deal_id: ID.deal,
        logged_by: ID.sam,
        created_at: at,
        updated_at: at,
        meeting_ends_at: "2025-03-04T06:06:07.089Z",
        meeting_location: "Room 4",
        meeting_online_url: "https://teams.example/l/meetup-join/1",
        meeting_ical_uid: "040000008200E00074C5B7101A82E008",
        meeting_organizer: "sam@contoso.example",
        meeting_cancelled: false,
        meeting_outcome: "held",
      },
    ],
  ],
  ["interaction_loggers", [{ org_id: ID.org, interaction_id: ID.email, user_id: ID.sam, logged_at: at }]],
  [
    "interaction_participants",
    [
      {
        id: ID.participant,
        org_id: ID.org,
        interaction_id: ID.email,
        contact_id: ID.contact,
        address: "ann@fabrikam.example",
        name: "Ann Berg",
        role: "from",
        position: 0,
        occurred_at: at,
      },
    ],
  ],
  [
    "tasks",
    [
      {
        id: ID.task,
        org_id: ID.org,
        title: "Send the contract",
        notes: "Before Friday",
        due_at: at,
        assignee_id: ID.sam,
        contact_id: ID.contact,
        deal_id: ID.deal,
        interaction_id: ID.email,
        created_by: ID.rita,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "audit_events",
    [
      {
        id: ID.audit,
        org_id: ID.org,
        actor_id: ID.rita,
        action: "deal.stage_changed",
        entity_type: "deal",
        entity_id: ID.deal,
        at,
        details: JSON.stringify({ to: ID.won }),
      },
    ],
  ],
  [
    "mailboxes",
    [
      {
        org_id: ID.org,
        user_id: ID.sam,
        enabled: true,
        status: "ok",
        last_success_at: at,
        updated_at: at,
        wake_at: at,
      },
    ],
  ],
  [
    "mailbox_sync",
    [
      {
        org_id: ID.org,
        user_id: ID.sam,
        folder: "inbox",
        link: "https://graph.example/delta",
        link_kind: "delta",
        backfill_from: at,
        messages_seen: 3,
        messages_logged: 1,
      },
    ],
  ],
  [
    "blocklist_entries",
    [
      {
        id: ID.blocked,
        org_id: ID.org,
        user_id: null,
        entry: "@lawyers.example",
        created_by: ID.rita,
        created_at: at,
      },
    ],
  ],
  [
    "custom_field_definitions",
    [
      {
        id: ID.field,
        org_id: ID.org,
        entity: "deal",
        key: "region",
        label: "Region",
        type: "choice",
        choices: ["North", "South"],
        position: 0,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "exchange_rates",
    [{ org_id: ID.org, currency: "SEK", rate: "0.0870000000", set_at: at, set_by: ID.rita }],
  ],
  [
    "sessions",
    [
      {
        id: ID.session,
        org_id: ID.org,
        user_id: ID.sam,
        user_agent: "Firefox",
        created_at: at,
        last_used_at: at,
        expires_at: at,
        ended_at: at,
        // A reason from before 0018 widened the list: the new check must still hold it.
        end_reason: "password_changed",
      },
    ],
  ],
  [
    "templates",
    [
      {
        id: ID.template,
        org_id: ID.org,
        scope: "organization",
        owner_id: null,
        name: "Happy birthday",
        folder: "Occasions",
        tags: ["birthday"],
        created_by: ID.rita,
        version: 2,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "template_variants",
    [
      {
        org_id: ID.org,
        template_id: ID.template,
        language: "sv",
        subject: "Grattis",
        html: "<p>Grattis {{contact.firstName}}!</p>",
      },
    ],
  ],
  [
    "follow_ups",
    [
      {
        id: ID.followUp,
        org_id: ID.org,
        interaction_id: ID.email,
        owner_id: ID.sam,
        contact_id: ID.contact,
        deal_id: ID.deal,
        days: 3,
        time_zone: "America/New_York",
        due_at: at,
        state: "fired",
        task_id: ID.task,
        reply_id: null,
        settled_at: at,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "occasion_rules",
    [
      {
        id: ID.rule,
        org_id: ID.org,
        scope: "organization",
        owner_id: null,
        name: "Birthdays",
        kind: "birthday",
        offset_days: null,
        yearly: false,
        template_id: ID.template,
        mode: "send",
        active: true,
        created_by: ID.rita,
        version: 3,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  ["occasion_rule_senders", [{ org_id: ID.org, rule_id: ID.rule, user_id: ID.sam, turned_on_at: at }]],
  [
    "occasion_mails",
    [
      {
        id: ID.occasionMail,
        org_id: ID.org,
        contact_id: ID.contact,
        rule_id: ID.rule,
        user_id: ID.sam,
        deal_id: null,
        occasion_key: "birthday:2025",
        occasion_day: "2025-02-28",
        kind: "birthday",
        mode: "send",
        state: "sent",
        reason: null,
        unfilled: ["contact.title"],
        graph_message_id: "AAMkAD-sent-1",
        attempts: 1,
        error: null,
        lease_owner: null,
        lease_until: null,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "webhook_endpoints",
    [
      {
        id: ID.webhook,
        org_id: ID.org,
        url: "https://erp.contoso.example/rapport",
        events: ["deal.won", "contact.created"],
        secret: "whsec_representative",
        active: true,
        created_by: ID.rita,
        version: 2,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "webhook_events",
    [
      {
        id: ID.webhookEvent,
        org_id: ID.org,
        seq: 7,
        type: "deal.won",
        record_type: "deal",
        record_id: ID.deal,
        payload: JSON.stringify({ id: ID.deal, name: "Renewal" }),
        occurred_at: at,
      },
    ],
  ],
  [
    "webhook_deliveries",
    [
      {
        id: ID.webhookDelivery,
        org_id: ID.org,
        endpoint_id: ID.webhook,
        event_id: ID.webhookEvent,
        seq: 7,
        record_key: `deal:${ID.deal}`,
        state: "failed",
        attempts: 12,
        next_attempt_at: at,
        last_attempt_at: at,
        last_status: 500,
        last_error: "HTTP 500: down",
        delivered_at: null,
        lease_owner: null,
        lease_until: null,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "segments",
    [
      {
        id: ID.segment,
        org_id: ID.org,
        name: "VIPs in Sweden",
        description: "For the spring campaign",
        filter: JSON.stringify({
          conditions: [
            { field: "tags", match: "any", values: ["vip"] },
            { field: "country", values: ["SE"] },
          ],
        }),
        created_by: ID.rita,
        last_seq: 2,
        version: 2,
        created_at: at,
        updated_at: at,
      },
    ],
  ],
  [
    "segment_members",
    [
      {
        org_id: ID.org,
        segment_id: ID.segment,
        contact_id: ID.contact,
        email: "ann@fabrikam.example",
        joined_seq: 1,
      },
    ],
  ],
  [
    "segment_changes",
    [
      {
        org_id: ID.org,
        segment_id: ID.segment,
        seq: 1,
        contact_id: ID.contact,
        kind: "joined",
        email: "ann@fabrikam.example",
        at,
      },
      {
        org_id: ID.org,
        segment_id: ID.segment,
        // A contact deleted since: changes keep naming it (no foreign key to contacts).
        seq: 2,
        contact_id: ID.deal,
        kind: "left",
        email: null,
        at,
      },
    ],
  ],
  ["rating_keys", [{ org_id: ID.org, key: Buffer.alloc(32, 7), created_at: at }]],
  [
    "calendar_sync",
    [
      {
        org_id: ID.org,
        user_id: ID.sam,
        link: "https://graph.example/calendarView/delta",
        link_kind: "delta",
        window_start: at,
        window_end: "2025-03-18T05:06:07.089Z",
        last_run_at: at,
        last_success_at: at,
        events_seen: 4,
        meetings_logged: 1,
        restarts: 0,
      },
    ],
  ],
  [
    "contact_duplicate_dismissals",
    [
      {
        org_id: ID.org,
        first_id: ID.contact,
        second_id: SECOND_CONTACT,
        dismissed_by: ID.rita,
        dismissed_at: at,
      },
    ],
  ],
  [
    "calendar_events",
    [{ org_id: ID.org, user_id: ID.sam, event_id: "AAMkEvent1", interaction_id: ID.meeting }],
  ],
  [
    "contact_merges",
    [{ org_id: ID.org, merged_id: ID.mergedContact, kept_id: ID.contact, merged_by: ID.rita, merged_at: at }],
  ],
  [
    "company_merges",
    [{ org_id: ID.org, merged_id: ID.mergedCompany, kept_id: ID.company, merged_by: null, merged_at: at }],
  ],
  [
    "ratings",
    [
      {
        id: ID.rating,
        org_id: ID.org,
        link_id: "AAECAwQFBgcI",
        contact_id: ID.contact,
        kind: "nps",
        score: 9,
        comment: "Quick answers, every time.",
        language: "sv",
        owner_id: ID.sam,
        sent_at: at,
        expires_at: "2025-04-03T05:06:07.000Z",
        answered_at: at,
        created_at: at,
      },
    ],
  ],
  [
    "interaction_links",
    [
      {
        id: ID.dealLink,
        org_id: ID.org,
        interaction_id: ID.email,
        deal_id: ID.deal,
        company_id: null,
        created_by: ID.rita,
        created_at: at,
      },
      {
        id: ID.companyLink,
        org_id: ID.org,
        interaction_id: ID.email,
        deal_id: null,
        company_id: ID.company,
        created_by: null,
        created_at: at,
      },
    ],
  ],
  [
    "graph_subscriptions",
    [
      {
        id: ID.subscription,
        org_id: ID.org,
        user_id: ID.sam,
        resource: "messages",
        subscription_id: "7f3c9a52-0000-4000-8000-0000000000aa",
        client_state_hash: Buffer.alloc(32, 9),
        expires_at: "2025-03-07T05:06:07.000Z",
        renew_now: false,
        created_at: at,
        renewed_at: null,
      },
    ],
  ],
  [
    "graph_notification_receipts",
    [{ org_id: ID.org, subscription_id: ID.subscription, digest: Buffer.alloc(32, 3), received_at: at }],
  ],
  [
    "erasures",
    [
      {
        // An erasure a server was stopped in the middle of: the next start carries it on.
        org_id: ID.org,
        contact_id: ID.contact,
        requested_by: ID.rita,
        mentions: JSON.stringify({ names: ["Ann Lee"], addresses: ["ann@fabrikam.example"], phones: [] }),
        counts: JSON.stringify({ interactionsDeleted: 3, interactionsScrubbed: 1 }),
        slices: 2,
        started_at: at,
        updated_at: at,
      },
    ],
  ],
  ["erasure_keys", [{ org_id: ID.org, key: Buffer.alloc(32, 5), created_at: at }]],
  ["erased_addresses", [{ org_id: ID.org, digest: Buffer.alloc(32, 6), erased_at: at }]],
];

const columnsOf = async (db: Database["db"], table: string) =>
  new Set(
    (
      await sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_schema = 'public' and table_name = ${table}`.execute(db)
    ).rows.map((r) => r.name),
  );

/** Writes the representative rows the store's schema can hold; answers which columns of which table it wrote. */
async function writeRepresentativeRows(db: Database["db"]): Promise<Map<string, string[]>> {
  const written = new Map<string, string[]>();
  for (const [table, rows] of REPRESENTATIVE_ROWS) {
    const present = await columnsOf(db, table);
    if (present.size === 0) continue;
    const columns = Object.keys(rows[0] ?? {}).filter((column) => present.has(column));
    for (const row of rows)
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        values (${sql.join(columns.map((c) => sql`${row[c] ?? null}`))})`.execute(db);
    written.set(table, columns);
  }
  return written;
}

/**
 * Each table's rows, only the columns written, as PostgreSQL renders them: comparable across an upgrade. A number
 * is compared by its value, not its scale: 0020 widened deals' amount to four decimals, which writes 95000.00 as
 * 95000.0000 and keeps it all the same.
 */
async function readRows(
  db: Database["db"],
  written: Map<string, string[]>,
): Promise<Record<string, unknown>> {
  const read: Record<string, unknown> = {};
  for (const [table, columns] of written) {
    const numeric = new Set(
      (
        await sql<{ name: string }>`
          select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and data_type = 'numeric'`.execute(db)
      ).rows.map((r) => r.name),
    );
    const selected = columns.map((c) =>
      numeric.has(c) ? sql`trim_scale(${sql.ref(c)}) as ${sql.ref(c)}` : sql.ref(c),
    );
    const rows = await sql<{ row: string }>`
      select to_jsonb(t)::text as row from (select ${sql.join(selected)} from ${sql.table(table)}) t
      order by 1`.execute(db);
    read[table] = rows.rows.map((r) => r.row);
  }
  return read;
}

/** The schema as the catalogues describe it: columns, constraints, indexes and row-level security policies. */
async function describeSchema(db: Database["db"]) {
  const [columns, constraints, indexes, policies] = await Promise.all([
    sql`select table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default
        from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`.execute(
      db,
    ),
    sql`select conrelid::regclass::text as table_name, conname, contype, pg_get_constraintdef(oid) as definition
        from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`.execute(db),
    sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`.execute(
      db,
    ),
    sql`select tablename, policyname, roles::text, cmd, qual, with_check from pg_policies
        where schemaname = 'public' order by 1, 2`.execute(db),
  ]);
  return {
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
    policies: policies.rows,
  };
}

describe.each(storeKinds)("upgrades from every earlier schema (%s)", (kind) => {
  let latest: Awaited<ReturnType<typeof describeSchema>>;

  beforeAll(async () => {
    const fresh = await openTestStore(kind);
    try {
      latest = await describeSchema(fresh.db);
    } finally {
      await fresh.close();
    }
  });

  /**
   * One store walked through the migrations in order, one more for each case, which is then given a copy of it as
   * that release left it: bringing a new store up to each release in turn ran every earlier migration again
   * for each case, where the walker runs each once.
   */
  let walker: {
    advance(through: Record<string, Migration>): Promise<void>;
    copy(): ReturnType<typeof emptyStore>;
    close(): Promise<void>;
  };
  beforeAll(async () => {
    if (kind === "pglite") {
      const { database } = await emptyStore(kind);
      const { snapshot } = database;
      if (!snapshot) throw new Error("a PGlite store can be copied");
      walker = {
        advance: async (through) => void (await migrateToLatest(database.db, through)),
        copy: async () => ({
          database: await openPglite({ loadDataDir: await snapshot() }),
          drop: async () => {},
        }),
        close: () => database.close(),
      };
    } else {
      // PostgreSQL copies a database only while no one is connected to it: the walker connects for each step.
      const made = await createTestDatabase();
      const name = new URL(made.url).pathname.slice(1);
      walker = {
        advance: async (through) => {
          const database = await openPostgres(made.url, { poolSize: 1 });
          try {
            await migrateToLatest(database.db, through);
          } finally {
            await database.close();
          }
        },
        copy: async () => {
          const copied = await createTestDatabase(name);
          return { database: await openPostgres(copied.url), drop: copied.drop };
        },
        close: made.drop,
      };
    }
  });
  afterAll(() => walker.close());

  // Each release's upgrade runs on one of the stores, taking turns (the latest, whose rows are checked whole, on
  // both), and every one on both under RAPPORT_DEEP_TESTS=1: the migrations are the same SQL on either, the walker
  // still applies each on both, and these cases were most of this file's time.
  //
  // The cases grow with the square of the migrations (each upgrades through every later one), and with 33 they were
  // the suite's last file for many minutes. A new migration meets old data in the newest releases' cases, so those
  // run every time; older releases are sampled (every sixth), all of them under RAPPORT_DEEP_TESTS=1. The walker
  // still applies every migration in order on both stores.
  const releases = Object.keys(migrations);
  const deep = process.env.RAPPORT_DEEP_TESTS === "1";
  const sampled = releases.filter((_, index) => deep || index >= releases.length - 4 || index % 6 === 0);
  const onThisStore = sampled.filter((name, index) => name === releases.at(-1) || takesItsTurn(index, kind));
  it.each(onThisStore)(
    "keeps the data of a store left at %s and brings its schema to a fresh store's",
    async (name) => {
      const through = Object.fromEntries(
        Object.entries(migrations).filter(([migration]) => migration <= name),
      );
      await walker.advance(through);
      const { database: store, drop } = await walker.copy();
      try {
        const written = await writeRepresentativeRows(store.db);
        expect(written.get("organizations")).toContain("internal_domains");
        // At the latest schema every representative row is written whole: a misspelt table or column would
        // otherwise drop out of the comparison unnoticed.
        if (name === Object.keys(migrations).at(-1))
          expect([...written]).toEqual(
            REPRESENTATIVE_ROWS.map(([table, rows]) => [table, Object.keys(rows[0] ?? {})]),
          );
        const before = await readRows(store.db, written);

        const applied = await migrateToLatest(store.db);
        expect(applied).toEqual(Object.keys(migrations).filter((migration) => migration > name));
        expect(await readRows(store.db, written)).toEqual(before);
        expect(await describeSchema(store.db)).toEqual(latest);
      } finally {
        await store.close();
        await drop();
      }
    },
  );
});
