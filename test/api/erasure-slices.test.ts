import { sql } from "kysely";
import { Contact } from "../../src/shared/contacts";
import { LoggedEmail } from "../../src/shared/interactions";
import { ContactErased, PersonDataExport } from "../../src/shared/person-data";
import { Me } from "../../src/shared/routes";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * An erasure runs in slices of the person's interactions, one transaction each (person-data/erase.ts), so that
 * other requests get the store between two (the embedded store is one connection). Two servers over two stores
 * hold the same organisation: one takes a single interaction per slice, the other its default, which takes all
 * of these in one. Whatever the slices, the erasure must do exactly the same, and between them other requests
 * must be answered.
 */

const CLEO = "cleo.lund@northwind.example";
const CLEO_NAME = "Cleo Lund";
const DAN = "dan.ek@northwind.example";

interface World {
  server: TestServer;
  rita: string;
  orgId: string;
  cleo: Contact;
  dan: Contact;
}

async function seedWorld(server: TestServer, emailsAlone: number): Promise<World> {
  const rita = await server.token("rita@contoso.example");
  const orgId = parse(Me, await server.request("GET", "/api/v1/me", { token: rita })).organization.id;
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await server.request<T>("POST", path, { token: rita, body });
    if (response.status >= 300)
      throw new Error(`${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const cleo = Contact.parse(
    await post("/api/v1/contacts", {
      displayName: CLEO_NAME,
      firstName: "Cleo",
      lastName: "Lund",
      emails: [CLEO],
      phones: ["+46 31 555 0101"],
    }),
  );
  const dan = Contact.parse(await post("/api/v1/contacts", { displayName: "Dan Ek", emails: [DAN] }));
  const logEmail = (n: number, body: Record<string, unknown>) =>
    post("/api/v1/emails", {
      internetMessageId: `<m${n}@mail.northwind.example>`,
      sentAt: new Date(Date.UTC(2026, 10, 1, 9, n)).toISOString(),
      to: [{ address: "rita@contoso.example", name: "Rita" }],
      ...body,
    }).then((r) => LoggedEmail.parse(r));
  // One at a time: the order of their ids and times is the same on both servers.
  for (let n = 0; n < emailsAlone; n++)
    await logEmail(n, {
      subject: `Offer ${n}`,
      from: { address: CLEO, name: CLEO_NAME },
      bodyText: `Hi Rita, offer ${n} as promised. ${CLEO_NAME}, +46 31 555 0101`,
    });
  // Shared with Dan: kept without her, their subjects rewritten where they name her.
  for (let n = 0; n < 3; n++)
    await logEmail(100 + n, {
      subject: `Re: the pilot, ${CLEO_NAME} (${CLEO})`,
      from: { address: CLEO, name: CLEO_NAME },
      cc: [{ address: DAN, name: "Dan Ek" }],
      bodyText: "Dan, please join.",
    });
  // The last one carries a name only its header gave her: the slice that takes it comes after the others
  // deleted the emails that carried her usual name, and must still know this one.
  await logEmail(200, {
    subject: "Lund, Cleo: contract",
    from: { address: CLEO, name: "Lund, Cleo" },
    cc: [{ address: DAN, name: "Dan Ek" }],
    bodyText: "Signed.",
  });
  await post("/api/v1/notes", { kind: "call", contactId: cleo.id, body: "Called about the pilot" });
  await post("/api/v1/tasks", {
    title: "Send the contract",
    contactId: cleo.id,
    dueAt: "2026-12-01T09:00:00Z",
  });
  return { server, rita, orgId, cleo, dan };
}

/** Dan's data export without what differs between two stores by nature (ids, times, versions). */
async function dansView(world: World): Promise<unknown> {
  const response = await world.server.request("GET", `/api/v1/contacts/${world.dan.id}/data-export`, {
    token: world.rita,
  });
  const exported = parse(PersonDataExport, response);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !/(^id$|Id$|Ids$|At$|By$|^version$)/.test(key))
          .map(([key, v]) => [key, strip(v)]),
      );
    return value;
  };
  return strip({ interactions: exported.interactions, contact: exported.contact });
}

/** Where the organisation's rows still hold a text: "table.column" for each. */
async function traces(world: World, needle: string): Promise<string[]> {
  const { db } = world.server.database;
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    join information_schema.columns o on o.table_schema = c.table_schema and o.table_name = c.table_name
      and o.column_name = 'org_id'
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      and (c.data_type in ('text', 'json', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name = '_text'))`.execute(
    db,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table_name)}
      where org_id = ${world.orgId} and lower(${sql.ref(column_name)}::text) like ${`%${needle}%`}`.execute(
      db,
    );
    if ((rows[0]?.n ?? 0) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe.each(storeKinds)("an erasure in slices (%s)", (kind) => {
  let sliced: World;
  let whole: World;

  beforeAll(async () => {
    sliced = await seedWorld(await startTestServer(kind, { erasureSlice: 1 }), 6);
    whole = await seedWorld(await startTestServer(kind), 6);
  }, 300_000);
  afterAll(async () => {
    await sliced?.server.close();
    await whole?.server.close();
  });

  it("erases exactly what one transaction erases, one interaction per slice", async () => {
    const erase = (world: World) =>
      world.server.request("POST", `/api/v1/contacts/${world.cleo.id}/erase`, { token: world.rita });
    const [bySlices, atOnce] = [await erase(sliced), await erase(whole)];
    expect(bySlices.status).toBe(200);
    expect({ ...parse(ContactErased, bySlices), id: null }).toEqual({
      ...parse(ContactErased, atOnce),
      id: null,
    });
    expect(parse(ContactErased, bySlices)).toMatchObject({
      interactionsDeleted: 7, // the six emails with her alone and the call
      interactionsScrubbed: 4,
      tasksDeleted: 1,
      recordsScrubbed: 4,
    });
    // What is left of her shared emails is the same, down to the subject that only her header's name gave away.
    const left = await dansView(sliced);
    expect(left).toEqual(await dansView(whole));
    expect(JSON.stringify(left)).not.toMatch(/cleo|lund|555 0101/i);
    for (const needle of ["cleo", "lund", "555 0101"])
      expect([needle, await traces(sliced, needle)]).toEqual([needle, []]);
    // The erasure's own row, which held her names while it ran, went with her.
    expect(await sliced.server.database.db.selectFrom("erasures").selectAll().execute()).toEqual([]);
    const again = await sliced.server.request("POST", `/api/v1/contacts/${sliced.cleo.id}/erase`, {
      token: sliced.rita,
    });
    expect(again.status).toBe(404);
  }, 120_000);

  it("answers other requests between its slices", async () => {
    const world = await seedWorld(await startTestServer(kind, { erasureSlice: 1 }), 60);
    const { server, rita, cleo, dan } = world;
    try {
      let answered = false;
      const erasing = server
        .request("POST", `/api/v1/contacts/${cleo.id}/erase`, { token: rita })
        .finally(() => (answered = true));
      // Its row appears with its first slice, and counts them.
      const slicesDone = async () =>
        (
          await server.database.db
            .selectFrom("erasures")
            .select("slices")
            .where("contact_id", "=", cleo.id)
            .executeTakeFirst()
        )?.slices ?? null;
      // Each look waits a moment: the embedded store answers without I/O, and a loop of nothing but its queries
      // would never let this process send the request it waits for.
      const look = async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return slicesDone();
      };
      let seen = await look();
      while (seen === null && !answered) seen = await look();
      expect(seen).not.toBeNull();
      // Requests of others, one after the other, while it runs: each is answered before the erasure is, at a
      // moment when the erasure had done more slices than when it was sent.
      const progress: number[] = [];
      let before = 0;
      while (!answered && before < 5) {
        const other = await server.request("GET", `/api/v1/contacts/${dan.id}`, { token: rita });
        const lookup = await server.request("GET", `/api/v1/people/lookup?email=${encodeURIComponent(DAN)}`, {
          token: rita,
        });
        expect([other.status, lookup.status]).toEqual([200, 200]);
        if (answered) break;
        before++;
        progress.push((await slicesDone()) ?? Number.POSITIVE_INFINITY);
      }
      const erased = await erasing;
      expect(erased.status).toBe(200);
      expect(parse(ContactErased, erased).interactionsDeleted).toBe(61);
      expect(before).toBe(5);
      // The slices went on between those requests: the erasure was never one transaction they waited behind.
      expect(new Set(progress).size).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await server.close();
    }
  }, 300_000);
});
