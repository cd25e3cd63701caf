import ExcelJS from "exceljs";
import fc from "fast-check";
import { sql } from "kysely";
import { Contact, MarketingConsent } from "../../src/shared/contacts";
import { Interaction, LoggedEmail } from "../../src/shared/interactions";
import { ContactErased } from "../../src/shared/person-data";
import { Me } from "../../src/shared/routes";
import {
  Segment,
  SegmentChanges,
  SegmentList,
  SegmentMembersPage,
  SegmentPreview,
} from "../../src/shared/segments";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Segments for marketing: saved filters over contacts, shared in the organisation, exported as files and read by
 * a marketing platform as members and as changes since a cursor; a contact who wants no marketing is in none.
 */
describe.each(storeKinds)("segments (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let colleague: string;
  let eve: string;
  let adminId: string;
  let memberId: string;

  type Body = Record<string, unknown> & { errors?: { path: string; message: string }[] };
  const request = (method: string, path: string, body?: unknown, token = admin) =>
    server.request<Body>(method, path, { token, ...(body === undefined ? {} : { body }) });

  const newContact = async (fields: Record<string, unknown>, token = admin) => {
    const response = await request("POST", "/api/v1/contacts", fields, token);
    expect([response.status, response.body.errors]).toEqual([201, undefined]);
    return parse(Contact, response);
  };
  const editContact = async (id: string, fields: Record<string, unknown>) => {
    const current = parse(Contact, await request("GET", `/api/v1/contacts/${id}`));
    const response = await request("PATCH", `/api/v1/contacts/${id}`, {
      ...fields,
      version: current.version,
    });
    expect([response.status, response.body.errors]).toEqual([200, undefined]);
    return parse(Contact, response);
  };
  const preview = async (conditions: unknown[], token = admin) => {
    const response = await request("POST", "/api/v1/segments/preview", { filter: { conditions } }, token);
    expect([response.status, response.body.errors]).toEqual([200, undefined]);
    return parse(SegmentPreview, response);
  };
  /** The preview's members by name: what a filter finds. */
  const found = async (...conditions: unknown[]) =>
    (await preview(conditions)).members.map((m) => m.displayName).sort();
  const newSegment = async (name: string, conditions: unknown[], token = admin) => {
    const response = await request("POST", "/api/v1/segments", { name, filter: { conditions } }, token);
    expect([response.status, response.body.errors]).toEqual([201, undefined]);
    return parse(Segment, response);
  };
  const changes = async (id: string, cursor: string, limit = 500) =>
    parse(
      SegmentChanges,
      await request("GET", `/api/v1/segments/${id}/changes?cursor=${cursor}&limit=${limit}`),
    );
  /** Every change since the cursor, page after page, as a sync loop reads them. */
  const changesSince = async (id: string, cursor: string, limit = 500) => {
    const seen: { seq: string; kind: string; contactId: string; email: string | null }[] = [];
    let at = cursor;
    for (;;) {
      const page = await changes(id, at, limit);
      seen.push(...page.items.map(({ seq, kind, contactId, email }) => ({ seq, kind, contactId, email })));
      at = page.cursor;
      if (!page.more) return { seen, cursor: at };
    }
  };

  let ada: Contact; // vip customer in Sweden, the admin's, plan gold, at Northwind
  let bo: Contact; // vip and newsletter prospect in Germany, the member's, plan silver
  let cy: Contact; // a lead in Norway without owner, tags or plan
  let dee: Contact; // vip, but wants no marketing
  let companyId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await server.token("ada@contoso.example");
    member = await server.token("max@contoso.example");
    colleague = await server.token("mia@contoso.example");
    eve = await server.token("eve@evil.example");
    const me = parse(Me, await request("GET", "/api/v1/me"));
    expect(me.user.role).toBe("admin");
    adminId = me.user.id;
    memberId = parse(Me, await request("GET", "/api/v1/me", undefined, member)).user.id;
    await request("GET", "/api/v1/me", undefined, colleague);
    const field = await request("POST", "/api/v1/custom-fields", {
      entity: "contact",
      key: "plan",
      label: "Plan",
      type: "text",
    });
    expect(field.status).toBe(201);
    const company = await request("POST", "/api/v1/companies", {
      name: "Northwind",
      domain: "northwind.example",
    });
    companyId = company.body.id as string;
    ada = await newContact({
      displayName: "Ada Andersson",
      emails: ["Ada@Northwind.example"],
      tags: ["vip"],
      lifecycleStage: "customer",
      ownerId: adminId,
      companyId,
      country: "se",
      customFields: { plan: "gold" },
    });
    bo = await newContact({
      displayName: "Bo Berg",
      emails: ["bo@customer.example"],
      tags: ["vip", "newsletter"],
      lifecycleStage: "prospect",
      ownerId: memberId,
      country: "DE",
      customFields: { plan: "silver" },
    });
    cy = await newContact({
      displayName: "Cy Carlsen",
      emails: ["cy@customer.example"],
      ownerId: null,
      country: "NO",
    });
    dee = await newContact({
      displayName: "Dee Dahl",
      emails: ["dee@customer.example"],
      tags: ["vip"],
      noMarketing: true,
    });
    // Ada was called in March, Bo written to a week before the clock's day; Cy never.
    const now = Date.now();
    for (const [contact, occurredAt] of [
      [ada, "2026-03-10T09:00:00Z"],
      [bo, new Date(now - 7 * 86_400_000).toISOString()],
    ] as const) {
      const note = await request("POST", "/api/v1/notes", {
        kind: "call",
        contactId: contact.id,
        body: "Talked",
        occurredAt,
      });
      expect(note.status).toBe(201);
    }
    // Bo gave consent on a web form (the lead keeps its text), as a submission leaves it.
    await server.database.db
      .insertInto("leads")
      .values({
        org_id: me.organization.id,
        contact_id: bo.id,
        consent_version: 1,
        consent_text: "You may write to me.",
        submitted: JSON.stringify({ email: "bo@customer.example" }),
      })
      .execute();
  });
  afterAll(() => server.close());

  describe("filters", () => {
    it("finds contacts by tags (any, all, none), lifecycle stage, owner, company and country", async () => {
      expect(await found({ field: "tags", match: "any", values: ["vip", "other"] })).toEqual([
        "Ada Andersson",
        "Bo Berg",
      ]);
      expect(await found({ field: "tags", match: "all", values: ["vip", "newsletter"] })).toEqual([
        "Bo Berg",
      ]);
      expect(await found({ field: "tags", match: "none", values: ["vip"] })).toEqual(["Cy Carlsen"]);
      expect(await found({ field: "lifecycleStage", values: ["customer", "lead"] })).toEqual([
        "Ada Andersson",
        "Cy Carlsen",
      ]);
      expect(await found({ field: "owner", values: [memberId, null] })).toEqual(["Bo Berg", "Cy Carlsen"]);
      expect(await found({ field: "company", values: [companyId] })).toEqual(["Ada Andersson"]);
      expect(await found({ field: "company", values: [null] })).toEqual(["Bo Berg", "Cy Carlsen"]);
      expect(await found({ field: "country", values: ["se", "NO"] })).toEqual([
        "Ada Andersson",
        "Cy Carlsen",
      ]);
    });

    it("finds contacts by custom field, last contact and consent, and ANDs the conditions", async () => {
      expect(
        await found({ field: "customField", key: "plan", op: "in", values: ["gold", "silver"] }),
      ).toEqual(["Ada Andersson", "Bo Berg"]);
      expect(await found({ field: "customField", key: "plan", op: "isNotSet" })).toEqual(["Cy Carlsen"]);
      expect(await found({ field: "lastContacted", op: "after", date: "2026-03-11" })).toEqual(["Bo Berg"]);
      expect(await found({ field: "lastContacted", op: "before", date: "2026-03-11" })).toEqual([
        "Ada Andersson",
      ]);
      expect(await found({ field: "lastContacted", op: "withinDays", days: 30 })).toEqual(["Bo Berg"]);
      expect(await found({ field: "lastContacted", op: "notWithinDays", days: 30 })).toEqual([
        "Ada Andersson",
        "Cy Carlsen",
      ]);
      expect(await found({ field: "lastContacted", op: "never" })).toEqual(["Cy Carlsen"]);
      expect(await found({ field: "consent", given: true })).toEqual(["Bo Berg"]);
      expect(await found({ field: "consent", given: false })).toEqual(["Ada Andersson", "Cy Carlsen"]);
      expect(
        await found(
          { field: "tags", match: "any", values: ["vip"] },
          { field: "lifecycleStage", values: ["customer"] },
        ),
      ).toEqual(["Ada Andersson"]);
    });

    it("finds contacts by their latest customer rating, and refuses a score off the question's scale", async () => {
      const orgId = parse(Me, await request("GET", "/api/v1/me")).organization.id;
      const answer = (
        contact: Contact,
        kind: "nps" | "csat",
        score: number,
        answeredAt: string,
        n: number,
      ) => ({
        org_id: orgId,
        link_id: `segmentrate${n}`,
        contact_id: contact.id,
        kind,
        score,
        language: "en" as const,
        sent_at: new Date(answeredAt),
        expires_at: new Date("2027-01-01T00:00:00Z"),
        answered_at: new Date(answeredAt),
      });
      // Ada answered NPS 3, then 10; Bo NPS 9, then 4 (the latest counts), and CSAT 5.
      await server.database.db
        .insertInto("ratings")
        .values([
          answer(ada, "nps", 3, "2026-10-01T09:00:00Z", 1),
          answer(ada, "nps", 10, "2026-11-01T09:00:00Z", 2),
          answer(bo, "nps", 9, "2026-10-01T09:00:00Z", 3),
          answer(bo, "nps", 4, "2026-11-01T09:00:00Z", 4),
          answer(bo, "csat", 5, "2026-11-01T09:00:00Z", 5),
        ])
        .execute();
      expect(await found({ field: "rating", kind: "nps", op: "atLeast", score: 9 })).toEqual([
        "Ada Andersson",
      ]);
      expect(await found({ field: "rating", kind: "nps", op: "atMost", score: 6 })).toEqual(["Bo Berg"]);
      expect(await found({ field: "rating", kind: "nps", op: "none" })).toEqual(["Cy Carlsen"]);
      expect(await found({ field: "rating", kind: "csat", op: "atLeast", score: 4 })).toEqual(["Bo Berg"]);
      expect(await found({ field: "rating", kind: "csat", op: "none" })).toEqual([
        "Ada Andersson",
        "Cy Carlsen",
      ]);
      for (const condition of [
        { field: "rating", kind: "csat", op: "atLeast", score: 0 },
        { field: "rating", kind: "nps", op: "atLeast", score: 11 },
        { field: "rating", kind: "nps", op: "atMost" },
        { field: "rating", kind: "nps", op: "none", score: 5 },
      ]) {
        const response = await request("POST", "/api/v1/segments/preview", {
          filter: { conditions: [condition] },
        });
        expect([response.status, response.body.errors?.[0]?.path]).toEqual([
          400,
          "body.filter.conditions.0.score",
        ]);
      }
    });

    it("counts the members while the filter is edited, and says how many want no marketing", async () => {
      const vip = await preview([{ field: "tags", match: "any", values: ["vip"] }]);
      expect([vip.count, vip.noMarketing, vip.members.map((m) => m.email)]).toEqual([
        2,
        1,
        [ada.emails[0], "bo@customer.example"],
      ]);
      const everyone = await preview([]);
      expect([everyone.count, everyone.noMarketing]).toEqual([3, 1]);
      const short = await request("POST", "/api/v1/segments/preview", {
        filter: { conditions: [] },
        limit: 1,
      });
      expect(parse(SegmentPreview, short)).toMatchObject({
        count: 3,
        members: [{ displayName: "Ada Andersson" }],
      });
    });

    it.each([
      [{ field: "stars", values: [5] }, "body.filter.conditions.0.field"],
      [{ field: "tags", match: "any", values: [] }, "body.filter.conditions.0.values"],
      [{ field: "tags", match: "some", values: ["vip"] }, "body.filter.conditions.0.match"],
      [{ field: "owner", values: ["not-an-id"] }, "body.filter.conditions.0.values.0"],
      [{ field: "country", values: ["Sweden"] }, "body.filter.conditions.0.values.0"],
      [{ field: "lastContacted", op: "after" }, "body.filter.conditions.0.date"],
      [{ field: "lastContacted", op: "withinDays", days: 0 }, "body.filter.conditions.0.days"],
      [{ field: "customField", key: "plan", op: "in" }, "body.filter.conditions.0.values"],
      [{ field: "customField", key: "unknown", op: "isSet" }, "body.filter.conditions.0.key"],
    ])("refuses the bad filter %j with a 400 naming %s, and stores nothing", async (condition, path) => {
      const before = await server.database.db.selectFrom("segments").select("id").execute();
      for (const route of ["/api/v1/segments/preview", "/api/v1/segments"]) {
        const response = await request("POST", route, { name: "Bad", filter: { conditions: [condition] } });
        expect(response.status).toBe(400);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        const paths = response.body.errors?.map((e) => e.path) ?? [];
        expect(paths.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(p))).toBe(true);
      }
      expect(await server.database.db.selectFrom("segments").select("id").execute()).toEqual(before);
    });
  });

  describe("sharing", () => {
    it("lets every member read a segment, and only its maker or an admin change or delete it", async () => {
      const made = await newSegment(
        "Member's VIPs",
        [{ field: "tags", match: "any", values: ["vip"] }],
        member,
      );
      expect(made).toMatchObject({ createdBy: memberId, canEdit: true, version: 1 });
      const seenByColleague = parse(
        Segment,
        await request("GET", `/api/v1/segments/${made.id}`, undefined, colleague),
      );
      expect(seenByColleague.canEdit).toBe(false);
      const list = parse(SegmentList, await request("GET", "/api/v1/segments", undefined, colleague));
      expect(list.items.map((s) => s.id)).toContain(made.id);

      const refused = await request(
        "PATCH",
        `/api/v1/segments/${made.id}`,
        { name: "Mine", version: 1 },
        colleague,
      );
      expect([refused.status, refused.body.code]).toEqual([403, "forbidden"]);
      const notDeleted = await request("DELETE", `/api/v1/segments/${made.id}`, undefined, colleague);
      expect(notDeleted.status).toBe(403);

      const renamed = await request(
        "PATCH",
        `/api/v1/segments/${made.id}`,
        { name: "VIPs", version: 1 },
        member,
      );
      expect(parse(Segment, renamed)).toMatchObject({ name: "VIPs", version: 2 });
      const stale = await request("PATCH", `/api/v1/segments/${made.id}`, { name: "Old", version: 1 });
      expect([stale.status, stale.body.code]).toEqual([409, "version_conflict"]);
      const byAdmin = await request("PATCH", `/api/v1/segments/${made.id}`, {
        description: "All VIPs",
        version: 2,
      });
      expect(parse(Segment, byAdmin)).toMatchObject({ description: "All VIPs", canEdit: true });
      const deleted = await request("DELETE", `/api/v1/segments/${made.id}`);
      expect(deleted.body).toEqual({ id: made.id, deleted: true });
      expect((await request("GET", `/api/v1/segments/${made.id}`)).status).toBe(404);
      const audit = await server.database.db
        .selectFrom("audit_events")
        .select("action")
        .where("entity_id", "=", made.id)
        .orderBy("at")
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        "segment.created",
        "segment.updated",
        "segment.updated",
        "segment.deleted",
      ]);
    });

    it("keeps each organisation's segments and contacts to itself", async () => {
      const vip = await newSegment("Walled VIPs", [{ field: "tags", match: "any", values: ["vip"] }]);
      for (const path of [
        `/api/v1/segments/${vip.id}`,
        `/api/v1/segments/${vip.id}/members`,
        `/api/v1/segments/${vip.id}/changes`,
        `/api/v1/segments/${vip.id}/export.csv`,
      ])
        expect([path, (await request("GET", path, undefined, eve)).status]).toEqual([path, 404]);
      const patch = await request("PATCH", `/api/v1/segments/${vip.id}`, { name: "Mine", version: 1 }, eve);
      expect(patch.status).toBe(404);
      expect((await request("DELETE", `/api/v1/segments/${vip.id}`, undefined, eve)).status).toBe(404);
      expect(parse(SegmentList, await request("GET", "/api/v1/segments", undefined, eve)).items).toEqual([]);
      expect((await preview([], eve)).count).toBe(0);
      // Another organisation's ids in a filter find nothing of theirs.
      expect((await preview([{ field: "company", values: [companyId] }], eve)).count).toBe(0);
      expect((await preview([{ field: "owner", values: [adminId] }], eve)).count).toBe(0);
      const unsubscribe = await request(
        "POST",
        "/api/v1/contacts/unsubscribe",
        { email: "bo@customer.example" },
        eve,
      );
      expect(unsubscribe.status).toBe(404);
      expect(parse(Contact, await request("GET", `/api/v1/contacts/${bo.id}`)).noMarketing).toBe(false);
    });
  });

  describe("exports", () => {
    it("exports the members as CSV, XLSX and vCards, never one who wants no marketing", async () => {
      const vip = await newSegment('VIP "export"\r\nlist', [
        { field: "tags", match: "any", values: ["vip"] },
      ]);
      const csv = await fetch(`${server.baseUrl}/api/v1/segments/${vip.id}/export.csv`, {
        headers: { authorization: `Bearer ${member}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-disposition")).toBe(
        'attachment; filename="segment-vip-export-list.csv"',
      );
      const text = await csv.text();
      expect(text).toContain("Ada Andersson");
      expect(text).toContain("bo@customer.example");
      expect(text).not.toContain("Dee Dahl");
      expect(text).not.toContain("Cy Carlsen");

      const xlsx = await fetch(`${server.baseUrl}/api/v1/segments/${vip.id}/export.xlsx`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsx.arrayBuffer());
      const names = workbook.worksheets[0]?.getColumn(1).values.slice(2);
      expect(names).toEqual(["Ada Andersson", "Bo Berg"]);

      const vcf = await fetch(`${server.baseUrl}/api/v1/segments/${vip.id}/export.vcf`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      const cards = await vcf.text();
      expect(cards.match(/BEGIN:VCARD/g)).toHaveLength(2);
      expect(cards).toContain("FN:Bo Berg");
      expect(cards).not.toContain("Dee Dahl");
    });
  });

  describe("a marketing platform's sync", () => {
    it("pages the members by a stable cursor, and says where the changes go on from", async () => {
      const everyone = await newSegment("Everyone", []);
      const seen: string[] = [];
      let cursor: string | null = null;
      let changesCursor: string | null = null;
      do {
        const page: SegmentMembersPage = parse(
          SegmentMembersPage,
          await request(
            "GET",
            `/api/v1/segments/${everyone.id}/members?limit=1${cursor ? `&cursor=${cursor}` : ""}`,
          ),
        );
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((m) => m.contactId));
        changesCursor ??= page.changesCursor;
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([ada.id, bo.id, cy.id].sort());
      // The first page's evaluation numbered the three joins: nothing has happened since.
      expect(changesCursor).toBe("3");
      expect((await changes(everyone.id, "3")).items).toEqual([]);
      const bad = await request("GET", `/api/v1/segments/${everyone.id}/members?cursor=forged`);
      expect(bad.status).toBe(400);
      expect((await request("GET", `/api/v1/segments/${everyone.id}/changes?cursor=-1`)).status).toBe(400);
    });

    it("refuses a cursor past the last change (a store restored from an older backup) rather than skip changes", async () => {
      const vip = await newSegment("VIP again", [{ field: "tags", match: "any", values: ["vip"] }]);
      const read = await changesSince(vip.id, "0");
      expect(read.cursor).toBe("2");
      // The store goes back to before those changes were made, as a restore of an older backup leaves it; the
      // platform's cursor is still "2". What happens next is numbered from 1 again.
      await server.database.db.deleteFrom("segment_changes").where("segment_id", "=", vip.id).execute();
      await server.database.db.deleteFrom("segment_members").where("segment_id", "=", vip.id).execute();
      await server.database.db
        .updateTable("segments")
        .set({ last_seq: "0" })
        .where("id", "=", vip.id)
        .execute();
      await editContact(ada.id, { tags: [] });
      const ahead = await request("GET", `/api/v1/segments/${vip.id}/changes?cursor=${read.cursor}`);
      expect([ahead.status, ahead.body.errors]).toEqual([
        400,
        [{ path: "query.cursor", message: expect.stringContaining("past the segment's last change") }],
      ]);
      // Refused before the evaluation numbered anything: the refusal stored nothing.
      const numbered = await server.database.db
        .selectFrom("segment_changes")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("segment_id", "=", vip.id)
        .executeTakeFirstOrThrow();
      expect(Number(numbered.n)).toBe(0);
      // Read again from the members, the platform learns who is in now; their changes cursor goes on from there.
      const members = parse(SegmentMembersPage, await request("GET", `/api/v1/segments/${vip.id}/members`));
      expect(members.items.map((m) => m.contactId)).toEqual([bo.id]);
      expect((await changes(vip.id, members.changesCursor)).items).toEqual([]);
      await editContact(ada.id, { tags: ["vip"] });
    });

    it("keeps an erased person's address only in the leave that tells the platform to drop it", async () => {
      const fay = await newContact({
        displayName: "Fay Falk",
        emails: ["fay@customer.example"],
        tags: ["erasable"],
      });
      const erasable = await newSegment("Erasable", [{ field: "tags", match: "any", values: ["erasable"] }]);
      const joined = await changesSince(erasable.id, "0");
      expect(joined.seen).toEqual([
        { seq: "1", kind: "joined", contactId: fay.id, email: "fay@customer.example" },
      ]);
      const erased = await request("POST", `/api/v1/contacts/${fay.id}/erase`, {});
      expect([erased.status, erased.body.errors]).toEqual([200, undefined]);
      // The platform is told once, with the address it knows her by; the history keeps it nowhere else.
      expect((await changesSince(erasable.id, joined.cursor)).seen).toEqual([
        { seq: "2", kind: "left", contactId: fay.id, email: "fay@customer.example" },
      ]);
      expect((await changesSince(erasable.id, "0")).seen).toEqual([
        { seq: "1", kind: "joined", contactId: fay.id, email: null },
        { seq: "2", kind: "left", contactId: fay.id, email: "fay@customer.example" },
      ]);
      const kept = await server.database.db
        .selectFrom("segment_members")
        .select("contact_id")
        .where("contact_id", "=", fay.id)
        .execute();
      expect(kept).toEqual([]);
    });

    it("erases the joins of a contact merged into the erased one, which still carry the merged-away address", async () => {
      const gil = await newContact({
        displayName: "Gil Grå",
        emails: ["gil@customer.example"],
        tags: ["merged"],
      });
      const twin = await newContact({
        displayName: "Gil G",
        emails: ["gil.private@elsewhere.example"],
        tags: ["merged"],
      });
      const merged = await newSegment("Merged", [{ field: "tags", match: "any", values: ["merged"] }]);
      const joined = await changesSince(merged.id, "0");
      expect(joined.seen.map((c) => [c.kind, c.email]).sort()).toEqual([
        ["joined", "gil.private@elsewhere.example"],
        ["joined", "gil@customer.example"],
      ]);
      const merge = await request("POST", `/api/v1/contacts/${gil.id}/merge`, {
        version: gil.version,
        mergedId: twin.id,
        mergedVersion: twin.version,
      });
      expect(merge.status).toBe(200);
      const erased = await request("POST", `/api/v1/contacts/${gil.id}/erase`, {});
      expect([erased.status, erased.body.errors]).toEqual([200, undefined]);
      // Neither join names an address any more; each leave tells the platform which address to drop.
      const history = await changesSince(merged.id, "0");
      expect(history.seen.filter((c) => c.kind === "joined").map((c) => c.email)).toEqual([null, null]);
      expect(
        history.seen
          .filter((c) => c.kind === "left")
          .map((c) => [c.contactId, c.email])
          .sort(),
      ).toEqual(
        [
          [gil.id, "gil@customer.example"],
          [twin.id, "gil.private@elsewhere.example"],
        ].sort(),
      );
      const stored = await server.database.db
        .selectFrom("segment_changes")
        .select("email")
        .where("segment_id", "=", merged.id)
        .where("kind", "=", "joined")
        .execute();
      expect(stored).toEqual([{ email: null }, { email: null }]);
    });

    it("records who joins and who leaves, by edit, deletion and the no-marketing flag, once each, in order", async () => {
      const newsletter = await newSegment("Newsletter", [
        { field: "tags", match: "any", values: ["newsletter"] },
      ]);
      const first = await changesSince(newsletter.id, "0");
      expect(first.seen).toEqual([
        { seq: "1", kind: "joined", contactId: bo.id, email: "bo@customer.example" },
      ]);

      const eli = await newContact({
        displayName: "Eli Ek",
        emails: ["eli@customer.example"],
        tags: ["newsletter"],
      });
      await editContact(cy.id, { tags: ["newsletter"] });
      await editContact(bo.id, { tags: ["vip"] }); // edited out
      const second = await changesSince(newsletter.id, first.cursor);
      expect(second.seen.map((c) => [c.kind, c.contactId])).toEqual(
        expect.arrayContaining([
          ["joined", eli.id],
          ["joined", cy.id],
          ["left", bo.id],
        ]),
      );
      expect(second.seen.map((c) => c.seq)).toEqual(["2", "3", "4"]);

      // Unsubscribed by the platform, then deleted: one leave each; the address is the one they joined with.
      const out = await request("POST", "/api/v1/contacts/unsubscribe", { email: "CY@customer.example" });
      expect(parse(MarketingConsent, out)).toEqual({ contactId: cy.id, noMarketing: true, changed: true });
      expect((await request("DELETE", `/api/v1/contacts/${eli.id}`)).status).toBe(200);
      const third = await changesSince(newsletter.id, second.cursor, 1);
      expect(third.seen).toEqual([
        { seq: "5", kind: "left", contactId: expect.any(String), email: expect.any(String) },
        { seq: "6", kind: "left", contactId: expect.any(String), email: expect.any(String) },
      ]);
      expect(new Set(third.seen.map((c) => c.contactId))).toEqual(new Set([cy.id, eli.id]));
      expect(third.seen.find((c) => c.contactId === eli.id)?.email).toBe("eli@customer.example");

      // Resubscribed: joins again. Reading again from an old cursor repeats the same history.
      const back = await request("POST", "/api/v1/contacts/resubscribe", { email: "cy@customer.example" });
      expect(parse(MarketingConsent, back).changed).toBe(true);
      const fourth = await changesSince(newsletter.id, third.cursor);
      expect(fourth.seen.map((c) => [c.seq, c.kind, c.contactId])).toEqual([["7", "joined", cy.id]]);
      expect((await changesSince(newsletter.id, first.cursor)).seen.map((c) => c.seq)).toEqual([
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
      ]);
      const members = parse(
        SegmentMembersPage,
        await request("GET", `/api/v1/segments/${newsletter.id}/members`),
      );
      expect([members.items.map((m) => m.contactId), members.changesCursor]).toEqual([[cy.id], "7"]);
      await editContact(cy.id, { tags: [] });
      await editContact(bo.id, { tags: ["vip", "newsletter"] });
    });

    it("has a filter's edit move members in and out on the next read", async () => {
      const stage = await newSegment("Customers", [{ field: "lifecycleStage", values: ["customer"] }]);
      const start = await changesSince(stage.id, "0");
      expect(start.seen.map((c) => c.contactId)).toEqual([ada.id]);
      const edited = await request("PATCH", `/api/v1/segments/${stage.id}`, {
        filter: { conditions: [{ field: "lifecycleStage", values: ["prospect"] }] },
        version: 1,
      });
      expect(edited.status).toBe(200);
      const after = await changesSince(stage.id, start.cursor);
      expect(after.seen.map((c) => [c.kind, c.contactId]).sort()).toEqual(
        [
          ["joined", bo.id],
          ["left", ada.id],
        ].sort(),
      );
    });

    it("gives concurrent readers every change once and in order while contacts change", async () => {
      const watched = await newSegment("Watched", [{ field: "tags", match: "any", values: ["watched"] }]);
      const people = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          newContact({ displayName: `Watched ${i}`, emails: [`watched${i}@customer.example`] }),
        ),
      );
      const readers = Array.from({ length: 4 }, () => ({
        cursor: "0",
        seen: [] as string[],
        log: [] as string[],
      }));
      let writing = true;
      const read = async (reader: (typeof readers)[number]) => {
        for (;;) {
          const stop = !writing;
          const page = await changes(watched.id, reader.cursor, 3);
          reader.seen.push(...page.items.map((c) => c.seq));
          reader.log.push(...page.items.map((c) => `${c.kind}:${c.contactId}`));
          reader.cursor = page.cursor;
          if (stop && !page.more) return;
        }
      };
      const write = async () => {
        for (let round = 0; round < 3; round += 1)
          for (const person of people)
            await editContact(person.id, { tags: round % 2 === 0 ? ["watched"] : [] });
        writing = false;
      };
      await Promise.all([write(), ...readers.map(read)]);
      // Edits between two evaluations may cancel out (tagged and untagged unseen), so the count is not fixed;
      // what is: every reader saw the same changes, numbered without a gap or a repeat.
      const total = Number(readers[0]?.cursor);
      expect(total).toBeGreaterThanOrEqual(6);
      for (const reader of readers) {
        expect(reader.seen).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
        expect(reader.log).toEqual(readers[0]?.log);
      }
      // Each contact's history alternates, joined first, and ends joined (rounds 0 and 2 tag them).
      const history = new Map<string, string[]>();
      for (const entry of readers[0]?.log ?? []) {
        const [change, id] = entry.split(":") as [string, string];
        history.set(id, [...(history.get(id) ?? []), change]);
      }
      expect(history.size).toBe(6);
      for (const changesOfOne of history.values())
        expect(changesOfOne).toEqual(changesOfOne.map((_, i) => (i % 2 === 0 ? "joined" : "left")));
      for (const changesOfOne of history.values()) expect(changesOfOne.at(-1)).toBe("joined");
      const stored = await server.database.db
        .selectFrom("segment_members")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("segment_id", "=", watched.id)
        .executeTakeFirstOrThrow();
      expect(stored.n).toBe(6);
      // Six more leaves, each read as it happens: past seq 9, pages still come in number order, not text order.
      for (const person of people) {
        await editContact(person.id, { tags: [] });
        await changes(watched.id, String(total));
      }
      const replay = await changesSince(watched.id, "0", 4);
      expect(replay.seen.map((c) => c.seq)).toEqual(
        Array.from({ length: total + 6 }, (_, i) => String(i + 1)),
      );
    });
  });

  describe("the no-marketing flag", () => {
    it("is set by a platform's unsubscribe and cleared back, audited, and shown and edited on the contact", async () => {
      const unknown = await request("POST", "/api/v1/contacts/unsubscribe", {
        email: "nobody@customer.example",
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, "not_found"]);
      const bad = await request("POST", "/api/v1/contacts/unsubscribe", { email: "not an address" });
      expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, "body.email"]);

      const out = parse(
        MarketingConsent,
        await request("POST", "/api/v1/contacts/unsubscribe", { email: "ada@northwind.example" }, member),
      );
      expect(out).toEqual({ contactId: ada.id, noMarketing: true, changed: true });
      const again = parse(
        MarketingConsent,
        await request("POST", "/api/v1/contacts/unsubscribe", { email: "ada@northwind.example" }),
      );
      expect(again.changed).toBe(false);
      expect(parse(Contact, await request("GET", `/api/v1/contacts/${ada.id}`))).toMatchObject({
        noMarketing: true,
        noAutomatedMail: false,
      });
      expect((await preview([{ field: "company", values: [companyId] }])).count).toBe(0);

      const cleared = await editContact(ada.id, { noMarketing: false });
      expect(cleared.noMarketing).toBe(false);
      expect((await preview([{ field: "company", values: [companyId] }])).count).toBe(1);
      const audit = await server.database.db
        .selectFrom("audit_events")
        .select(["action", "actor_id"])
        .where("entity_id", "=", ada.id)
        .where("action", "in", ["contact.unsubscribed", "contact.updated"])
        .orderBy("at")
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action).slice(-2)).toEqual(["contact.unsubscribed", "contact.updated"]);
      expect(audit.find((a) => a.action === "contact.unsubscribed")?.actor_id).toBe(memberId);
      expect(dee.noMarketing).toBe(true);
    });
  });
  /*
   * The last contact is kept on the contact by triggers (migration 0026) and the filter reads it: after every kind
   * of write it must equal max(occurred_at) over the contact's participant rows, which the filter asked before.
   * A separate organisation, so that the contacts here change no other test's members.
   */
  describe("the last contact, kept as interactions are written", () => {
    let pia: string;
    let piaOrg: string;
    const db = () => server.database.db;
    /** Every contact of the organisation: what the triggers kept, and the newest participant row recomputed. */
    const keptAndRecomputed = async () => {
      const rows = await sql<{ id: string; kept: Date | null; recomputed: Date | null }>`
        select c.id, c.last_interaction_at as kept,
          (select max(p.occurred_at) from interaction_participants p where p.contact_id = c.id) as recomputed
        from contacts c where c.org_id = ${piaOrg} order by c.id`.execute(db());
      return {
        kept: rows.rows.map((r) => [r.id, r.kept?.toISOString() ?? null]),
        recomputed: rows.rows.map((r) => [r.id, r.recomputed?.toISOString() ?? null]),
      };
    };
    const expectKeptExactly = async () => {
      const { kept, recomputed } = await keptAndRecomputed();
      expect(kept).toEqual(recomputed);
    };
    const piaFound = async (...conditions: unknown[]) => {
      const response = await request("POST", "/api/v1/segments/preview", { filter: { conditions } }, pia);
      expect([response.status, response.body.errors]).toEqual([200, undefined]);
      return parse(SegmentPreview, response)
        .members.map((m) => m.displayName)
        .sort();
    };
    const lastContactOf = async (id: string) =>
      (
        await db()
          .selectFrom("contacts")
          .select("last_interaction_at")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).last_interaction_at?.toISOString() ?? null;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

    beforeAll(async () => {
      pia = await server.token("pia@fabrikam.example");
      piaOrg = parse(Me, await request("GET", "/api/v1/me", undefined, pia)).organization.id;
    });

    it("follows emails logged, notes moved back in time and deleted, addresses linked, and an erasure", async () => {
      const eli = await newContact({ displayName: "Eli Ek", emails: ["eli@customer.example"] }, pia);
      const fay = await newContact({ displayName: "Fay Fors", emails: ["fay@customer.example"] }, pia);
      expect(await piaFound({ field: "lastContacted", op: "never" })).toEqual(["Eli Ek", "Fay Fors"]);

      // An email to both, three days ago; the pane logs it.
      const sentAt = daysAgo(3);
      const logged = await request(
        "POST",
        "/api/v1/emails",
        {
          internetMessageId: "<last-contact-1@fabrikam.example>",
          subject: "Offer",
          from: { address: "pia@fabrikam.example" },
          to: [{ address: "eli@customer.example" }],
          cc: [{ address: "fay@customer.example" }, { address: "gus@customer.example" }],
          sentAt,
        },
        pia,
      );
      expect(logged.status).toBe(201);
      const email = parse(LoggedEmail, logged).interaction;
      expect(await lastContactOf(eli.id)).toBe(new Date(sentAt).toISOString());
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 7 })).toEqual([
        "Eli Ek",
        "Fay Fors",
      ]);
      expect(await piaFound({ field: "lastContacted", op: "never" })).toEqual([]);

      // A call with Eli logged today, then moved back a year: the email is the last contact again.
      const created = await request(
        "POST",
        "/api/v1/notes",
        { kind: "call", contactId: eli.id, body: "Called", occurredAt: daysAgo(0.01) },
        pia,
      );
      expect(created.status).toBe(201);
      const call = parse(Interaction, created);
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 1 })).toEqual(["Eli Ek"]);
      const moved = await request(
        "PATCH",
        `/api/v1/notes/${call.id}`,
        { occurredAt: "2025-06-02T10:00:00.000Z", version: call.version },
        pia,
      );
      expect(moved.status).toBe(200);
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 1 })).toEqual([]);
      expect(await lastContactOf(eli.id)).toBe(new Date(sentAt).toISOString());
      // A back-dated note leaves a newer last contact as it is.
      const old = await request(
        "POST",
        "/api/v1/notes",
        { kind: "meeting", contactId: fay.id, body: "Met", occurredAt: "2024-01-15T08:00:00.000Z" },
        pia,
      );
      expect(old.status).toBe(201);
      expect(await lastContactOf(fay.id)).toBe(new Date(sentAt).toISOString());
      await expectKeptExactly();

      // The email deleted (in SQL: no route deletes an email): Eli's last contact is the moved call, Fay's the
      // old meeting.
      await db().deleteFrom("interactions").where("id", "=", email.id).execute();
      expect(await lastContactOf(eli.id)).toBe("2025-06-02T10:00:00.000Z");
      expect(await piaFound({ field: "lastContacted", op: "before", date: "2025-06-02" })).toEqual([
        "Fay Fors",
      ]);
      expect(await piaFound({ field: "lastContacted", op: "after", date: "2025-06-02" })).toEqual(["Eli Ek"]);
      expect(await piaFound({ field: "lastContacted", op: "notWithinDays", days: 30 })).toEqual([
        "Eli Ek",
        "Fay Fors",
      ]);
      // The call deleted through the API: Eli was never in an interaction now.
      const current = parse(Interaction, await request("GET", `/api/v1/notes/${call.id}`, undefined, pia));
      const deleted = await request(
        "DELETE",
        `/api/v1/notes/${call.id}?version=${current.version}`,
        undefined,
        pia,
      );
      expect(deleted.status).toBe(200);
      expect(await piaFound({ field: "lastContacted", op: "never" })).toEqual(["Eli Ek"]);

      // An email to an address nobody has yet, then a contact made with it: the email becomes Gus's last contact.
      const toGus = await request(
        "POST",
        "/api/v1/emails",
        {
          internetMessageId: "<last-contact-2@fabrikam.example>",
          from: { address: "pia@fabrikam.example" },
          to: [{ address: "gus@customer.example" }, { address: "fay@customer.example" }],
          sentAt: daysAgo(2),
        },
        pia,
      );
      expect(toGus.status).toBe(201);
      await newContact({ displayName: "Gus Gran", emails: ["gus@customer.example"] }, pia);
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 7 })).toEqual([
        "Fay Fors",
        "Gus Gran",
      ]);
      await expectKeptExactly();

      // Fay's data erased: the email she shared with Gus is kept without her, Gus's last contact with it.
      const erased = await request("POST", `/api/v1/contacts/${fay.id}/erase`, undefined, pia);
      expect(erased.status).toBe(200);
      expect(parse(ContactErased, erased).interactionsScrubbed).toBeGreaterThan(0);
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 7 })).toEqual(["Gus Gran"]);
      expect(await piaFound({ field: "lastContacted", op: "never" })).toEqual(["Eli Ek"]);
      await expectKeptExactly();
    });

    it("lets concurrent emails and calls with the same contact all log, and keeps the newest", async () => {
      const una = await newContact({ displayName: "Una Ulf", emails: ["una@customer.example"] }, pia);
      // Each participant row is checked against its contact (a key-share lock) before the trigger locks the
      // contact to write it: writers of one contact must take turns, not wait on each other's check (a deadlock).
      const sent = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          n % 2
            ? request(
                "POST",
                "/api/v1/emails",
                {
                  internetMessageId: `<concurrent-${n}@fabrikam.example>`,
                  from: { address: "pia@fabrikam.example" },
                  to: [{ address: "una@customer.example" }],
                  sentAt: daysAgo(1 + n / 100),
                },
                pia,
              )
            : request(
                "POST",
                "/api/v1/notes",
                { kind: "call", contactId: una.id, body: `Call ${n}`, occurredAt: daysAgo(1 + n / 100) },
                pia,
              ),
        ),
      );
      expect(sent.map((r) => [r.status, r.body.errors])).toEqual(Array(8).fill([201, undefined]));
      expect(await piaFound({ field: "lastContacted", op: "withinDays", days: 2 })).toContain("Una Ulf");
      await expectKeptExactly();
    });

    it("equals the newest participant row after random writes of every kind, in plain SQL", async () => {
      const people = ["Ivo", "Jon", "Kim", "Liv"];
      let ids: string[] = [];
      const pick = fc.nat(people.length); // the last index stands for "no contact" (an address nobody has)
      const at = fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000));
      const write = fc.oneof(
        fc.record({
          op: fc.constant("insert" as const),
          who: fc.array(pick, { minLength: 1, maxLength: 3 }),
          at,
        }),
        fc.record({ op: fc.constant("deleteInteraction" as const), n: fc.nat() }),
        fc.record({ op: fc.constant("deleteParticipant" as const), n: fc.nat() }),
        fc.record({ op: fc.constant("moveParticipant" as const), n: fc.nat(), who: pick }),
        fc.record({ op: fc.constant("moveInTime" as const), n: fc.nat(), at }),
        fc.record({ op: fc.constant("deleteContact" as const), n: fc.nat(people.length - 1) }),
      );
      const nth = async (table: "interactions" | "interaction_participants", n: number) => {
        const rows = await db()
          .selectFrom(table)
          .select("id")
          .where("org_id", "=", piaOrg)
          .orderBy("id")
          .execute();
        return rows.length ? rows[n % rows.length]?.id : undefined;
      };
      const live = async () =>
        new Set(
          (await db().selectFrom("contacts").select("id").where("org_id", "=", piaOrg).execute()).map(
            (c) => c.id,
          ),
        );
      const contactAt = async (n: number) => {
        const id = ids[n];
        return id && (await live()).has(id) ? id : null;
      };
      await fc.assert(
        fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
          // Each sequence from an empty history and four new contacts, so that a counterexample replays alone.
          await db().deleteFrom("interactions").where("org_id", "=", piaOrg).execute();
          ids = (
            await db()
              .insertInto("contacts")
              .values(people.map((name) => ({ org_id: piaOrg, display_name: name, tags: [] })))
              .returning("id")
              .execute()
          ).map((c) => c.id);
          for (const w of writes) {
            if (w.op === "insert") {
              const interaction = await db()
                .insertInto("interactions")
                .values({ org_id: piaOrg, kind: "email", occurred_at: w.at, source: "import" })
                .returning("id")
                .executeTakeFirstOrThrow();
              const participants = await Promise.all(
                w.who.map(async (n, position) => ({
                  org_id: piaOrg,
                  interaction_id: interaction.id,
                  contact_id: await contactAt(n),
                  address: `p${n}@customer.example`,
                  role: position === 0 ? ("from" as const) : ("to" as const),
                  position,
                  occurred_at: w.at,
                })),
              );
              await db().insertInto("interaction_participants").values(participants).execute();
            } else if (w.op === "deleteInteraction") {
              const id = await nth("interactions", w.n);
              if (id) await db().deleteFrom("interactions").where("id", "=", id).execute();
            } else if (w.op === "deleteParticipant") {
              const id = await nth("interaction_participants", w.n);
              if (id) await db().deleteFrom("interaction_participants").where("id", "=", id).execute();
            } else if (w.op === "moveParticipant") {
              const id = await nth("interaction_participants", w.n);
              const to = await contactAt(w.who);
              if (id)
                await db()
                  .updateTable("interaction_participants")
                  .set({ contact_id: to })
                  .where("id", "=", id)
                  .execute();
            } else if (w.op === "moveInTime") {
              // As a note's edit does: the interaction and all its participant rows in one go.
              const id = await nth("interactions", w.n);
              if (id) {
                await db()
                  .updateTable("interactions")
                  .set({ occurred_at: w.at })
                  .where("id", "=", id)
                  .execute();
                await db()
                  .updateTable("interaction_participants")
                  .set({ occurred_at: w.at })
                  .where("interaction_id", "=", id)
                  .execute();
              }
            } else {
              const id = await contactAt(w.n);
              if (id) await db().deleteFrom("contacts").where("id", "=", id).execute();
            }
          }
          await expectKeptExactly();
          // And the rebuild (admin rebuild-rollups) finds nothing to change.
          const before = await keptAndRecomputed();
          await sql`select rebuild_report_rollups(${piaOrg}::uuid)`.execute(db());
          expect((await keptAndRecomputed()).kept).toEqual(before.kept);
        }),
        { numRuns: process.env.RAPPORT_DEEP_TESTS === "1" ? 200 : 15 },
      );
      // A value a restore with triggers off left wrong is mended by the rebuild.
      const survivor = [...(await live())][0];
      if (survivor) {
        await sql`update contacts set last_interaction_at = '2000-01-01' where id = ${survivor}`.execute(
          db(),
        );
        await sql`select rebuild_report_rollups(${piaOrg}::uuid)`.execute(db());
      }
      await expectKeptExactly();
    });
  });
});
