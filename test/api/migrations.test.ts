import { type Migration, sql } from "kysely";
import { migrateToLatest, migrations, MigrationError } from "../../src/server/db/migrate";
import { createTestDatabase, openTestStore, storeKinds } from "../helpers/stores";
import { type Database, type StoreKind, openPglite, openPostgres } from "../../src/server/db/database";

const tables = async (database: Database) =>
  (
    await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    )
  ).rows.map((r) => r.table_name);

/** A store of its own, not migrated: to bring up as an older release left it. */
async function emptyStore(kind: StoreKind): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === "pglite") return { database: await openPglite(), drop: async () => {} };
  const made = await createTestDatabase();
  return { database: await openPostgres(made.url), drop: made.drop };
}

/** The migrations that came before the named one: a store as an older release left it. */
const migrationsBefore = (name: string) =>
  Object.fromEntries(Object.entries(migrations).filter(([migration]) => migration < name));

describe.each(storeKinds)("migrations (%s)", (kind) => {
  /** A store of its own, migrated only up to (not including) the given migration. */
  async function storeBefore(name: string): Promise<{ store: Database; drop: () => Promise<void> }> {
    if (kind === "pglite") {
      const store = await openPglite();
      await migrateToLatest(store.db, migrationsBefore(name));
      return { store, drop: async () => {} };
    }
    const made = await createTestDatabase();
    const store = await openPostgres(made.url);
    await migrateToLatest(store.db, migrationsBefore(name));
    return { store, drop: made.drop };
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
    let empty: Database;
    let drop = async () => {};
    if (kind === "pglite") empty = await openPglite();
    else {
      const made = await createTestDatabase();
      drop = made.drop;
      empty = await openPostgres(made.url);
    }
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
});
