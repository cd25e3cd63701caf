import ExcelJS from "exceljs";
import { sql } from "kysely";
import { Contact } from "../../src/shared/contacts";
import { Currencies } from "../../src/shared/currencies";
import { DealWithStage } from "../../src/shared/deals";
import { PipelineList } from "../../src/shared/pipelines";
import {
  ActivityByRep,
  ContactsAdded,
  PipelineByStage,
  StageConversion,
  WonLostByMonth,
} from "../../src/shared/reports";
import { Me } from "../../src/shared/routes";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { parseCsv } from "../helpers/rfc4180";

/*
 * A small organisation whose every number is known, and another one whose numbers must never show. Records are
 * made through the API; their timestamps (closings, stage moves, when a contact was added) are then set in the
 * store, so that months, weeks and durations are fixed. Every expected value below is worked out by hand.
 *
 * Stages of the default pipeline: Prospecting (0, 10 %), Qualification (1, 25 %), Proposal (2, 50 %),
 * Negotiation (3, 75 %), Won (4, 100 %), Lost (5, 0 %). Owners: R = rita (admin), M = max (member).
 *
 * Every amount is in EUR, the organisation's base currency (Gamma has neither amount nor currency); the reports'
 * currencies are tested on an organisation of their own further down.
 *
 *   deal   owner amount   expected close  history (UTC)                                            closed
 *   Alpha  R     1234.50  2026-03-15      P 01-01                                                  -
 *   Beta   M     2000     2026-04-10      P 01-01, Q 01-05, P 01-08                                -
 *   Gamma  R     (none)   -               P 01-01, Q 01-03                                         -
 *   Delta  R     4000     2026-03-31      P 01-02, Q 01-06, Pr 01-07                               -
 *   Won1   R     5000     -               P 01-01, Q 01-07, Won 01-20                              01-20 10:00
 *   Won2   M     3000     -               P 02-01, Won 03-05                                       03-05 08:00
 *   Lost1  R     700      -               P 01-10, Lost 01-31 12:00                                01-31 23:30
 *   Renew  R     999      -               (second pipeline: Renewal due, 40 %)                     -
 */

const DAY = "T00:00:00.000Z";
const ZERO = { amount: "0.00", weightedAmount: "0.00" };

describe.each(storeKinds)("reports (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let max: string;
  let eve: string;
  let ritaId: string;
  let maxId: string;
  let eveId: string;
  let evePipelineId: string;
  let salesId: string;
  let renewalsId: string;
  const stage: Record<string, string> = {};

  const get = (path: string, token = rita) => server.request("GET", path, { token });
  const post = async (path: string, body: unknown, token = rita) => {
    const response = await server.request<Record<string, unknown>>("POST", path, { token, body });
    expect([path, response.status]).toEqual([path, 201]);
    return response;
  };
  const meOf = async (token: string) => parse(Me, await get("/api/v1/me", token));

  /** Creates a deal in its first stage, moves it through the others, then dates every step of its history. */
  async function deal(
    token: string,
    fields: Record<string, unknown>,
    history: [stageName: string, at: string][],
    closedAt?: string,
  ): Promise<string> {
    const [first, ...moves] = history as [[string, string], ...[string, string][]];
    let current = parse(
      DealWithStage,
      await post("/api/v1/deals", { ...fields, stageId: stage[first[0]] }, token),
    );
    for (const [name] of moves) {
      const moved = await server.request("POST", `/api/v1/deals/${current.id}/stage`, {
        token,
        body: { stageId: stage[name], version: current.version },
      });
      current = parse(DealWithStage, moved);
    }
    const { db } = server.database;
    const changes = await db
      .selectFrom("deal_stage_changes")
      .select(["id", "to_stage_id"])
      .where("deal_id", "=", current.id)
      .orderBy("changed_at")
      .execute();
    expect(changes.map((c) => c.to_stage_id)).toEqual(history.map(([name]) => stage[name]));
    for (const [i, change] of changes.entries())
      await db
        .updateTable("deal_stage_changes")
        .set({ changed_at: (history[i] as [string, string])[1] })
        .where("id", "=", change.id)
        .execute();
    if (closedAt)
      await db.updateTable("deals").set({ closed_at: closedAt }).where("id", "=", current.id).execute();
    return current.id;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    max = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    ritaId = (await meOf(rita)).user.id;
    maxId = (await meOf(max)).user.id;
    eveId = (await meOf(eve)).user.id;
    const { db } = server.database;
    // A name a spreadsheet would run as a formula: the CSV must keep it text.
    await db.updateTable("users").set({ display_name: "Rita Rep" }).where("id", "=", ritaId).execute();
    await db
      .updateTable("users")
      .set({ display_name: '=HYPERLINK("http://evil.example","Max")' })
      .where("id", "=", maxId)
      .execute();

    const { pipelines } = parse(PipelineList, await get("/api/v1/pipelines"));
    const sales = pipelines[0];
    if (!sales) throw new Error("no default pipeline");
    salesId = sales.id;
    for (const s of sales.stages) stage[s.name] = s.id;
    evePipelineId = (parse(PipelineList, await get("/api/v1/pipelines", eve)).pipelines[0]?.id ??
      "") as string;

    // A second pipeline (the API cannot make one yet), to show the filter.
    const orgId = (await meOf(rita)).organization.id;
    const renewals = await db
      .insertInto("pipelines")
      .values({ org_id: orgId, name: "Renewals", is_default: false, position: 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    renewalsId = renewals.id;
    const renewalStages = await db
      .insertInto("stages")
      .values([
        {
          org_id: orgId,
          pipeline_id: renewalsId,
          name: "Renewal due",
          position: 0,
          probability: 40,
          kind: "open",
        },
        {
          org_id: orgId,
          pipeline_id: renewalsId,
          name: "Renewed",
          position: 1,
          probability: 100,
          kind: "won",
        },
      ])
      .returning(["id", "name"])
      .execute();
    for (const s of renewalStages) stage[s.name] = s.id;

    await deal(rita, { name: "Alpha", amount: 1234.5, currency: "EUR", expectedCloseDate: "2026-03-15" }, [
      ["Prospecting", `2026-01-01${DAY}`],
    ]);
    await deal(max, { name: "Beta", amount: 2000, currency: "EUR", expectedCloseDate: "2026-04-10" }, [
      ["Prospecting", `2026-01-01${DAY}`],
      ["Qualification", `2026-01-05${DAY}`],
      ["Prospecting", `2026-01-08${DAY}`],
    ]);
    await deal(rita, { name: "Gamma" }, [
      ["Prospecting", `2026-01-01${DAY}`],
      ["Qualification", `2026-01-03${DAY}`],
    ]);
    await deal(rita, { name: "Delta", amount: 4000, currency: "EUR", expectedCloseDate: "2026-03-31" }, [
      ["Prospecting", `2026-01-02${DAY}`],
      ["Qualification", `2026-01-06${DAY}`],
      ["Proposal", `2026-01-07${DAY}`],
    ]);
    await deal(
      rita,
      { name: "Won1", amount: 5000, currency: "EUR" },
      [
        ["Prospecting", `2026-01-01${DAY}`],
        ["Qualification", `2026-01-07${DAY}`],
        ["Won", `2026-01-20${DAY}`],
      ],
      "2026-01-20T10:00:00Z",
    );
    await deal(
      max,
      { name: "Won2", amount: 3000, currency: "EUR" },
      [
        ["Prospecting", `2026-02-01${DAY}`],
        ["Won", `2026-03-05${DAY}`],
      ],
      "2026-03-05T08:00:00Z",
    );
    await deal(
      rita,
      { name: "Lost1", amount: 700, currency: "EUR" },
      [
        ["Prospecting", `2026-01-10${DAY}`],
        ["Lost", "2026-01-31T12:00:00.000Z"],
      ],
      "2026-01-31T23:30:00Z",
    );
    await deal(rita, { name: "Renew", amount: 999, currency: "EUR" }, [["Renewal due", `2026-01-01${DAY}`]]);

    // Contacts: two in the week of Monday 2026-02-02 (one late on its Sunday), one in the week of 02-16.
    const contact = async (token: string, name: string, createdAt: string) => {
      const made = parse(
        Contact,
        await post("/api/v1/contacts", { displayName: name, emails: [`${name}@customer.example`] }, token),
      );
      await db.updateTable("contacts").set({ created_at: createdAt }).where("id", "=", made.id).execute();
      return made.id;
    };
    const anna = await contact(rita, "anna", "2026-02-02T08:00:00Z");
    await contact(rita, "bert", "2026-02-08T23:00:00Z");
    await contact(max, "carl", "2026-02-17T00:00:00Z");

    // Activity. Weeks start on Monday 2026-03-02, 03-09 and 03-16.
    const email = (token: string, n: number, sentAt: string) =>
      post(
        "/api/v1/emails",
        {
          internetMessageId: `<report-${n}@customer.example>`,
          from: { address: "anna@customer.example" },
          to: [{ address: "rita@contoso.example" }],
          sentAt,
        },
        token,
      );
    const note = (token: string, noteKind: string, occurredAt: string) =>
      post("/api/v1/notes", { kind: noteKind, contactId: anna, body: noteKind, occurredAt }, token);
    await email(rita, 1, "2026-03-02T09:00:00Z");
    await email(rita, 2, "2026-03-08T23:59:00Z");
    await note(rita, "call", "2026-03-04T10:00:00Z");
    await note(rita, "meeting", "2026-03-09T00:00:00Z");
    await note(rita, "note", "2026-03-10T12:00:00Z");
    await note(rita, "visit", "2026-03-11T12:00:00Z");
    await note(max, "call", "2026-03-03T10:00:00Z");
    await note(max, "call", "2026-03-05T10:00:00Z");
    await note(max, "note", "2026-03-16T10:00:00Z");

    // The other organisation: large numbers in the same months and weeks, which must never be counted here.
    const big = parse(
      DealWithStage,
      await post("/api/v1/deals", { name: "Evil deal", amount: 100_000, currency: "EUR" }, eve),
    );
    const evilOrgStages = parse(PipelineList, await get("/api/v1/pipelines", eve)).pipelines[0]?.stages ?? [];
    await server.request("POST", `/api/v1/deals/${big.id}/stage`, {
      token: eve,
      body: { stageId: evilOrgStages.find((s) => s.kind === "won")?.id, version: big.version },
    });
    await db
      .updateTable("deals")
      .set({ closed_at: "2026-01-15T00:00:00Z" })
      .where("id", "=", big.id)
      .execute();
    await db
      .updateTable("deal_stage_changes")
      .set({
        changed_at: sql`case when from_stage_id is null then '2026-01-05Z'::timestamptz else '2026-01-15Z' end`,
      })
      .where("deal_id", "=", big.id)
      .execute();
    const evilContact = parse(
      Contact,
      await post("/api/v1/contacts", { displayName: "Zed", emails: ["zed@victim.example"] }, eve),
    );
    await db
      .updateTable("contacts")
      .set({ created_at: "2026-02-03T00:00:00Z" })
      .where("id", "=", evilContact.id)
      .execute();
    await post(
      "/api/v1/notes",
      { kind: "call", contactId: evilContact.id, body: "x", occurredAt: "2026-03-03T00:00:00Z" },
      eve,
    );
  });
  afterAll(() => server.close());

  describe("pipeline by stage", () => {
    const report = async (query = "", token = rita) =>
      parse(PipelineByStage, await get(`/api/v1/reports/pipeline-by-stage${query}`, token));
    /** Each stage's deals and its figures in the base currency (every amount here is in it). */
    const counts = (r: PipelineByStage) =>
      r.rows.map((row) => [
        row.stageName,
        row.deals,
        Number(row.inBase.amount),
        Number(row.inBase.weightedAmount),
      ]);

    it("lists every stage of the default pipeline in order, empty ones included, with amounts and weighted amounts", async () => {
      const r = await report();
      expect(r.pipeline).toEqual({ id: salesId, name: "Sales" });
      expect(r.rows.map((row) => [row.position, row.kind, row.probability])).toEqual([
        [0, "open", 10],
        [1, "open", 25],
        [2, "open", 50],
        [3, "open", 75],
        [4, "won", 100],
        [5, "lost", 0],
      ]);
      expect(r.rows[0]?.stageId).toBe(stage.Prospecting);
      // Gamma has no amount: it counts, with 0, under no currency (and converts, since 0 is 0 in any).
      expect(r.rows[1]?.currencies).toEqual([
        { currency: null, deals: 1, amount: "0.00", weightedAmount: "0.00", inBase: ZERO },
      ]);
      expect(r.rows[0]?.currencies).toEqual([
        {
          currency: "EUR",
          deals: 2,
          amount: "3234.50",
          weightedAmount: "323.45",
          inBase: { amount: "3234.50", weightedAmount: "323.45" },
        },
      ]);
      expect(r.rows[3]?.currencies).toEqual([]);
      expect(r.conversion).toEqual({ baseCurrency: "EUR", rates: [], notConverted: [] });
      expect(counts(r)).toEqual([
        ["Prospecting", 2, 3234.5, 323.45],
        ["Qualification", 1, 0, 0],
        ["Proposal", 1, 4000, 2000],
        ["Negotiation", 0, 0, 0],
        ["Won", 2, 8000, 8000],
        ["Lost", 1, 700, 0],
      ]);
    });

    it("answers a member the same as an admin", async () => {
      expect(await report("", max)).toEqual(await report("", rita));
    });

    it("filters by owner", async () => {
      expect(counts(await report(`?ownerId=${maxId}`))).toEqual([
        ["Prospecting", 1, 2000, 200],
        ["Qualification", 0, 0, 0],
        ["Proposal", 0, 0, 0],
        ["Negotiation", 0, 0, 0],
        ["Won", 1, 3000, 3000],
        ["Lost", 0, 0, 0],
      ]);
    });

    it("filters by expected close date, from inclusive, to exclusive", async () => {
      // Alpha (03-15) and Delta (03-31) are in March; Beta (04-10) is not; the closed ones have no date.
      expect(counts(await report("?from=2026-03-01&to=2026-04-01"))).toEqual([
        ["Prospecting", 1, 1234.5, 123.45],
        ["Qualification", 0, 0, 0],
        ["Proposal", 1, 4000, 2000],
        ["Negotiation", 0, 0, 0],
        ["Won", 0, 0, 0],
        ["Lost", 0, 0, 0],
      ]);
      expect(counts(await report("?from=2026-03-15&to=2026-03-31"))[0]).toEqual([
        "Prospecting",
        1,
        1234.5,
        123.45,
      ]);
      expect(counts(await report("?from=2026-03-16&to=2026-03-31"))[2]).toEqual(["Proposal", 0, 0, 0]);
    });

    it("reports another pipeline when asked", async () => {
      const r = await report(`?pipelineId=${renewalsId}`);
      expect(r.pipeline).toEqual({ id: renewalsId, name: "Renewals" });
      expect(counts(r)).toEqual([
        ["Renewal due", 1, 999, 399.6],
        ["Renewed", 0, 0, 0],
      ]);
    });

    it("counts only the caller's organisation", async () => {
      expect(counts(await report("", eve))).toEqual([
        ["Prospecting", 0, 0, 0],
        ["Qualification", 0, 0, 0],
        ["Proposal", 0, 0, 0],
        ["Negotiation", 0, 0, 0],
        ["Won", 1, 100_000, 100_000],
        ["Lost", 0, 0, 0],
      ]);
    });
  });

  describe("won and lost by month", () => {
    /** Each month's closings with their amounts in the base currency (every amount here is in it). */
    const report = async (query = "", token = rita) =>
      parse(WonLostByMonth, await get(`/api/v1/reports/won-lost-by-month${query}`, token)).rows.map((r) => ({
        month: r.month,
        wonDeals: r.wonDeals,
        wonAmount: Number(r.inBase.wonAmount),
        lostDeals: r.lostDeals,
        lostAmount: Number(r.inBase.lostAmount),
      }));

    it("counts and adds up the closings per UTC month, with the months between as zeros", async () => {
      // Lost1 closed 01-31 23:30 UTC: still January.
      expect(await report()).toEqual([
        { month: "2026-01", wonDeals: 1, wonAmount: 5000, lostDeals: 1, lostAmount: 700 },
        { month: "2026-02", wonDeals: 0, wonAmount: 0, lostDeals: 0, lostAmount: 0 },
        { month: "2026-03", wonDeals: 1, wonAmount: 3000, lostDeals: 0, lostAmount: 0 },
      ]);
      expect(await report("", max)).toEqual(await report());
    });

    it("filters by owner and by period (to exclusive)", async () => {
      expect(await report(`?ownerId=${maxId}`)).toEqual([
        { month: "2026-03", wonDeals: 1, wonAmount: 3000, lostDeals: 0, lostAmount: 0 },
      ]);
      expect(await report("?from=2026-02-01&to=2026-04-01")).toEqual([
        { month: "2026-03", wonDeals: 1, wonAmount: 3000, lostDeals: 0, lostAmount: 0 },
      ]);
      // Up to 01-31 00:00: Won1 (01-20) but not Lost1 (01-31 23:30).
      expect(await report("?from=2026-01-01&to=2026-01-31")).toEqual([
        { month: "2026-01", wonDeals: 1, wonAmount: 5000, lostDeals: 0, lostAmount: 0 },
      ]);
    });

    it("answers an empty period with no rows, and another pipeline with its own closings", async () => {
      expect(await report("?from=2025-01-01&to=2025-06-01")).toEqual([]);
      expect(await report("?from=2026-01-01&to=2026-01-01")).toEqual([]);
      expect(await report(`?pipelineId=${renewalsId}`)).toEqual([]);
    });

    it("counts only the caller's organisation", async () => {
      expect(await report("", eve)).toEqual([
        { month: "2026-01", wonDeals: 1, wonAmount: 100_000, lostDeals: 0, lostAmount: 0 },
      ]);
    });
  });

  describe("stage conversion", () => {
    const report = async (query = "", token = rita) =>
      parse(StageConversion, await get(`/api/v1/reports/stage-conversion${query}`, token)).rows.map((r) => [
        r.stageName,
        r.entered,
        r.movedOn,
        r.conversionRate,
        r.medianDaysInStage,
      ]);

    it("counts entries and moves on per stage, and the median stay of the deals that left", async () => {
      // Prospecting: all 7 deals entered; Beta, Gamma, Delta, Won1 went on to Qualification and Won2 to Won
      // (Lost1 to Lost does not count). Stays that ended: 4, 2, 4, 6, 32 and 21.5 days → median (4 + 6) / 2.
      // Qualification: Beta (back after 3 days), Gamma (still there), Delta (on after 1), Won1 (won after 13).
      expect(await report()).toEqual([
        ["Prospecting", 7, 5, 5 / 7, 5],
        ["Qualification", 4, 2, 0.5, 3],
        ["Proposal", 1, 0, 0, null],
        ["Negotiation", 0, 0, null, null],
        ["Won", 2, 0, 0, null],
        ["Lost", 1, 0, 0, null],
      ]);
      expect(await report("", max)).toEqual(await report());
    });

    it("filters by owner", async () => {
      // Max's deals: Beta (on to Qualification after 4 days, back after 3) and Won2 (won after 32 days).
      expect(await report(`?ownerId=${maxId}`)).toEqual([
        ["Prospecting", 2, 2, 1, 18],
        ["Qualification", 1, 0, 0, 3],
        ["Proposal", 0, 0, null, null],
        ["Negotiation", 0, 0, null, null],
        ["Won", 1, 0, 0, null],
        ["Lost", 0, 0, null, null],
      ]);
    });

    it("filters by when the stage was entered, the stay measured to its end even after the period", async () => {
      // Entered from 01-05 to before 02-01: Beta back in Prospecting (01-08, still there) and Lost1 (01-10,
      // lost after 21.5 days); Qualification: Beta (3 days, back), Delta (1 day, on), Won1 (13 days, won).
      expect(await report("?from=2026-01-05&to=2026-02-01")).toEqual([
        ["Prospecting", 2, 0, 0, 21.5],
        ["Qualification", 3, 2, 2 / 3, 3],
        ["Proposal", 1, 0, 0, null],
        ["Negotiation", 0, 0, null, null],
        ["Won", 1, 0, 0, null],
        ["Lost", 1, 0, 0, null],
      ]);
      expect(await report("?from=2027-01-01")).toEqual([
        ["Prospecting", 0, 0, null, null],
        ["Qualification", 0, 0, null, null],
        ["Proposal", 0, 0, null, null],
        ["Negotiation", 0, 0, null, null],
        ["Won", 0, 0, null, null],
        ["Lost", 0, 0, null, null],
      ]);
    });

    it("reports another pipeline, and only the caller's organisation", async () => {
      expect(await report(`?pipelineId=${renewalsId}`)).toEqual([
        ["Renewal due", 1, 0, 0, null],
        ["Renewed", 0, 0, null, null],
      ]);
      // Eve's deal went from Prospecting (01-05) to Won (01-15): a stay of 10 days.
      expect(await report("", eve)).toEqual([
        ["Prospecting", 1, 1, 1, 10],
        ["Qualification", 0, 0, null, null],
        ["Proposal", 0, 0, null, null],
        ["Negotiation", 0, 0, null, null],
        ["Won", 1, 0, 0, null],
        ["Lost", 0, 0, null, null],
      ]);
    });
  });

  describe("activity per rep", () => {
    const report = async (query = "", token = rita) =>
      parse(ActivityByRep, await get(`/api/v1/reports/activity-by-rep${query}`, token)).rows;
    const maxName = '=HYPERLINK("http://evil.example","Max")';
    const counts = { emails: 0, calls: 0, meetings: 0, notes: 0, visits: 0 };
    const maxWeek1 = { userName: maxName, week: "2026-03-02", ...counts, calls: 2, total: 2 };
    const ritaWeek1 = { userName: "Rita Rep", week: "2026-03-02", ...counts, emails: 2, calls: 1, total: 3 };
    const ritaWeek2 = {
      userName: "Rita Rep",
      week: "2026-03-09",
      ...counts,
      meetings: 1,
      notes: 1,
      visits: 1,
      total: 3,
    };
    const maxWeek3 = { userName: maxName, week: "2026-03-16", ...counts, notes: 1, total: 1 };

    it("counts each rep's interactions by kind per ISO week in UTC, by week then rep", async () => {
      // Sunday 03-08 23:59 belongs to the week of 03-02; Monday 03-09 00:00 starts the next.
      expect(await report()).toEqual([
        { userId: maxId, ...maxWeek1 },
        { userId: ritaId, ...ritaWeek1 },
        { userId: ritaId, ...ritaWeek2 },
        { userId: maxId, ...maxWeek3 },
      ]);
      expect(await report("", max)).toEqual(await report());
    });

    it("filters by rep and by period", async () => {
      expect(await report(`?ownerId=${maxId}`)).toEqual([
        { userId: maxId, ...maxWeek1 },
        { userId: maxId, ...maxWeek3 },
      ]);
      expect(await report("?from=2026-03-09&to=2026-03-16")).toEqual([{ userId: ritaId, ...ritaWeek2 }]);
      expect(await report("?from=2025-01-01&to=2025-01-01")).toEqual([]);
    });

    it("counts only the caller's organisation", async () => {
      expect(await report("", eve)).toEqual([
        { userId: eveId, userName: "eve@evil.example", week: "2026-03-02", ...counts, calls: 1, total: 1 },
      ]);
    });
  });

  describe("contacts added", () => {
    const report = async (query = "", token = rita) =>
      parse(ContactsAdded, await get(`/api/v1/reports/contacts-added${query}`, token)).rows;

    it("counts contacts per ISO week in UTC, quiet weeks between as zeros", async () => {
      expect(await report()).toEqual([
        { week: "2026-02-02", contacts: 2 },
        { week: "2026-02-09", contacts: 0 },
        { week: "2026-02-16", contacts: 1 },
      ]);
      expect(await report("", max)).toEqual(await report());
    });

    it("filters by owner and by period, and answers an empty period with no rows", async () => {
      expect(await report(`?ownerId=${maxId}`)).toEqual([{ week: "2026-02-16", contacts: 1 }]);
      expect(await report(`?ownerId=${ritaId}&to=2026-02-08`)).toEqual([{ week: "2026-02-02", contacts: 1 }]);
      expect(await report("?from=2026-02-09&to=2026-03-01")).toEqual([{ week: "2026-02-16", contacts: 1 }]);
      expect(await report("?from=2024-01-01&to=2024-02-01")).toEqual([]);
    });

    it("counts only the caller's organisation", async () => {
      expect(await report("", eve)).toEqual([{ week: "2026-02-02", contacts: 1 }]);
    });
  });

  /*
   * An organisation that sells in three currencies, base EUR (the default of an organisation without deals):
   *
   *   deal        amount        stage           closed
   *   Copenhagen  DKK 95,000    Qualification   -
   *   Berlin      EUR  6,000    Qualification   -
   *   Boston      USD  5,000    Proposal        -
   *   Aarhus      DKK 10,000    Won             2026-05-10
   *   Munich      EUR  2,000    Won             2026-05-12
   *   Denver      USD  1,000    Lost            2026-05-20
   */
  describe("amounts in several currencies", () => {
    let ada: string;
    const nordic: Record<string, string> = {};

    beforeAll(async () => {
      ada = await server.token("ada@nordic.example");
      const { pipelines } = parse(PipelineList, await get("/api/v1/pipelines", ada));
      for (const s of pipelines[0]?.stages ?? []) nordic[s.name] = s.id;
      const deal = async (
        name: string,
        amount: number,
        currency: string,
        stageName: string,
        closed?: string,
      ) => {
        const made = parse(
          DealWithStage,
          await post("/api/v1/deals", { name, amount, currency, stageId: nordic[stageName] }, ada),
        );
        if (closed)
          await server.database.db
            .updateTable("deals")
            .set({ closed_at: closed })
            .where("id", "=", made.id)
            .execute();
      };
      await deal("Copenhagen", 95_000, "DKK", "Qualification");
      await deal("Berlin", 6_000, "EUR", "Qualification");
      await deal("Boston", 5_000, "USD", "Proposal");
      await deal("Aarhus", 10_000, "DKK", "Won", "2026-05-10T10:00:00Z");
      await deal("Munich", 2_000, "EUR", "Won", "2026-05-12T10:00:00Z");
      await deal("Denver", 1_000, "USD", "Lost", "2026-05-20T10:00:00Z");
    });

    const pipelineReport = async () => {
      const response = await get("/api/v1/reports/pipeline-by-stage", ada);
      return { text: JSON.stringify(response.body), report: parse(PipelineByStage, response) };
    };
    const stageRow = (r: PipelineByStage, name: string) => r.rows.find((row) => row.stageName === name);
    const setRate = (currency: string, rate: string) =>
      server.request("POST", "/api/v1/currencies/rates", {
        token: ada,
        body: { currency, rate, baseCurrency: "EUR" },
      });

    it("never adds DKK 95,000 and EUR 6,000 into 101,000: each stays in its currency, DKK without a rate not converted", async () => {
      const { text, report } = await pipelineReport();
      expect(text).not.toMatch(/101000|101,000/);
      const qualification = stageRow(report, "Qualification");
      expect(qualification?.deals).toBe(2);
      expect(qualification?.currencies).toEqual([
        { currency: "DKK", deals: 1, amount: "95000.00", weightedAmount: "23750.00", inBase: null },
        {
          currency: "EUR",
          deals: 1,
          amount: "6000.00",
          weightedAmount: "1500.00",
          inBase: { amount: "6000.00", weightedAmount: "1500.00" },
        },
      ]);
      // The base figures are the EUR deal's alone, and say so: one deal of the two.
      expect(qualification?.inBase).toEqual({ deals: 1, amount: "6000.00", weightedAmount: "1500.00" });
      expect(report.conversion).toEqual({ baseCurrency: "EUR", rates: [], notConverted: ["DKK", "USD"] });
    });

    it("converts at the rate an admin set, naming the rate and when it was set; a currency without one stays apart", async () => {
      const set = await setRate("DKK", "0.1341");
      expect(set.status).toBe(201);
      const setAt = (set.body as { setAt: string }).setAt;
      const { text, report } = await pipelineReport();
      expect(text).not.toMatch(/101000/);
      expect(report.conversion).toEqual({
        baseCurrency: "EUR",
        rates: [{ currency: "DKK", rate: "0.1341", setAt }],
        notConverted: ["USD"],
      });
      const qualification = stageRow(report, "Qualification");
      // 95,000 × 0.1341 = 12,739.50 and 23,750 × 0.1341 = 3,184.875 → 3,184.88; then the EUR deal's own.
      expect(qualification?.currencies[0]?.inBase).toEqual({ amount: "12739.50", weightedAmount: "3184.88" });
      expect(qualification?.inBase).toEqual({ deals: 2, amount: "18739.50", weightedAmount: "4684.88" });
      const proposal = stageRow(report, "Proposal");
      expect(proposal?.currencies).toEqual([
        { currency: "USD", deals: 1, amount: "5000.00", weightedAmount: "2500.00", inBase: null },
      ]);
      expect(proposal?.inBase).toEqual({ deals: 0, amount: "0.00", weightedAmount: "0.00" });
    });

    it("gives won and lost per month per currency, and in the base currency at the rates", async () => {
      const report = parse(WonLostByMonth, await get("/api/v1/reports/won-lost-by-month", ada));
      expect(report.conversion.notConverted).toEqual(["USD"]);
      expect(report.rows).toEqual([
        {
          month: "2026-05",
          wonDeals: 2,
          lostDeals: 1,
          currencies: [
            {
              currency: "DKK",
              wonDeals: 1,
              wonAmount: "10000.00",
              lostDeals: 0,
              lostAmount: "0.00",
              inBase: { wonAmount: "1341.00", lostAmount: "0.00" },
            },
            {
              currency: "EUR",
              wonDeals: 1,
              wonAmount: "2000.00",
              lostDeals: 0,
              lostAmount: "0.00",
              inBase: { wonAmount: "2000.00", lostAmount: "0.00" },
            },
            {
              currency: "USD",
              wonDeals: 0,
              wonAmount: "0.00",
              lostDeals: 1,
              lostAmount: "1000.00",
              inBase: null,
            },
          ],
          inBase: { wonDeals: 2, wonAmount: "3341.00", lostDeals: 0, lostAmount: "0.00" },
        },
      ]);
    });

    it("names the currency on every line of the files, with the rate used, and flags what was not converted", async () => {
      const rate = parse(Currencies, await get("/api/v1/currencies", ada)).rates[0];
      const csv = async (name: string) => {
        const response = await fetch(`${server.baseUrl}/api/v1/reports/${name}.csv`, {
          headers: { authorization: `Bearer ${ada}` },
        });
        return parseCsv((await response.text()).replace(/^\ufeff/, ""));
      };
      const pipeline = await csv("pipeline-by-stage");
      expect(pipeline[0]?.slice(4, 13)).toEqual([
        "Currency",
        "Deals",
        "Amount",
        "Weighted amount",
        "Rate to EUR",
        "Rate set",
        "Amount in EUR",
        "Weighted amount in EUR",
        "Not converted",
      ]);
      expect(
        pipeline.filter((l) => ["Qualification", "Proposal"].includes(l[0] ?? "")).map((l) => l.slice(4, 13)),
      ).toEqual([
        ["DKK", "1", "95000.00", "23750.00", "0.1341", rate?.setAt, "12739.50", "3184.88", ""],
        ["EUR", "1", "6000.00", "1500.00", "1", "", "6000.00", "1500.00", ""],
        ["USD", "1", "5000.00", "2500.00", "", "", "", "", "no rate from USD to EUR"],
      ]);
      expect((await csv("won-lost-by-month")).slice(1)).toEqual([
        ["2026-05", "DKK", "1", "10000.00", "0", "0.00", "0.1341", rate?.setAt, "1341.00", "0.00", ""],
        ["2026-05", "EUR", "1", "2000.00", "0", "0.00", "1", "", "2000.00", "0.00", ""],
        ["2026-05", "USD", "0", "0.00", "1", "1000.00", "", "", "", "", "no rate from USD to EUR"],
      ]);
    });

    it("converts into a new base currency only once rates to it are set", async () => {
      const changed = await server.request("PATCH", "/api/v1/currencies", {
        token: ada,
        body: { baseCurrency: "DKK" },
      });
      expect(changed.status).toBe(200);
      let { report } = await pipelineReport();
      // The DKK deal is now in the base; the EUR rate to DKK is not set, so EUR is not converted.
      expect(report.conversion).toEqual({ baseCurrency: "DKK", rates: [], notConverted: ["EUR", "USD"] });
      expect(stageRow(report, "Qualification")?.inBase).toEqual({
        deals: 1,
        amount: "95000.00",
        weightedAmount: "23750.00",
      });
      const set = await server.request("POST", "/api/v1/currencies/rates", {
        token: ada,
        body: { currency: "EUR", rate: "7.4571", baseCurrency: "DKK" },
      });
      expect(set.status).toBe(201);
      ({ report } = await pipelineReport());
      // 6,000 × 7.4571 = 44,742.60; 1,500 × 7.4571 = 11,185.65.
      expect(stageRow(report, "Qualification")?.inBase).toEqual({
        deals: 2,
        amount: "139742.60",
        weightedAmount: "34935.65",
      });
    });

    it("keeps amounts exact to the cent past what a floating-point number holds", async () => {
      const token = await server.token("ada@big.example");
      const { pipelines } = parse(PipelineList, await get("/api/v1/pipelines", token));
      const [pipeline] = pipelines;
      const first = pipeline?.stages[0];
      if (!pipeline || !first) throw new Error("no pipeline");
      const orgId = (await meOf(token)).organization.id;
      const row = (amount: string) => ({
        org_id: orgId,
        name: "Big",
        amount: amount as unknown as number,
        currency: "EUR",
        pipeline_id: pipeline.id,
        stage_id: first.id,
        custom_fields: "{}",
      });
      await server.database.db
        .insertInto("deals")
        .values([...Array.from({ length: 100 }, () => row("9999999999999.99")), row("0.91")])
        .execute();
      // 100 × 9,999,999,999,999.99 + 0.91: as a double it would read 999999999999999.9.
      const report = parse(PipelineByStage, await get("/api/v1/reports/pipeline-by-stage", token));
      expect(report.rows[0]?.currencies[0]?.amount).toBe("999999999999999.91");
      expect(report.rows[0]?.inBase.amount).toBe("999999999999999.91");
    });
  });

  describe("refusals", () => {
    const names = [
      "pipeline-by-stage",
      "won-lost-by-month",
      "stage-conversion",
      "activity-by-rep",
      "contacts-added",
      "ratings",
    ];

    it.each(names)(
      "%s: bad dates, a period that ends before it starts and unknown filters are 400",
      async (name) => {
        for (const suffix of ["", ".csv", ".xlsx"])
          for (const query of [
            "from=2026-02-30",
            "from=2026-13-01",
            "to=yesterday",
            "from=2026-03-01T00:00:00Z",
            "from=0000-01-01",
            "from=2026-03-01&to=2026-02-01",
            "ownerId=not-an-id",
            "color=red",
          ]) {
            const response = await get(`/api/v1/reports/${name}${suffix}?${query}`);
            expect([suffix, query, response.status]).toEqual([suffix, query, 400]);
            expect(response.headers.get("content-type")).toContain("application/problem+json");
            expect(response.body).toMatchObject({ code: "invalid_request" });
          }
      },
    );

    it("refuses a pipeline filter on reports without pipelines", async () => {
      for (const name of ["activity-by-rep", "contacts-added", "ratings"]) {
        const response = await get(`/api/v1/reports/${name}?pipelineId=${salesId}`);
        expect(response.status).toBe(400);
      }
    });

    it.each(names)(
      "%s: another organisation's rep or pipeline is as unknown as one that never existed",
      async (name) => {
        const unknown = "00000000-0000-4000-8000-000000000000";
        const filters = ["ownerId"];
        if (!["activity-by-rep", "contacts-added", "ratings"].includes(name)) filters.push("pipelineId");
        for (const filter of filters) {
          const foreign = filter === "ownerId" ? eveId : evePipelineId;
          const answers = await Promise.all(
            [foreign, unknown].map((id) => get(`/api/v1/reports/${name}?${filter}=${id}`)),
          );
          expect(answers.map((a) => a.status)).toEqual([404, 404]);
          expect((answers[0]?.body as { code: string }).code).toBe("not_found");
          expect(answers[0]?.body).toEqual(answers[1]?.body);
        }
      },
    );

    it("asks for a token", async () => {
      const response = await server.request("GET", "/api/v1/reports/pipeline-by-stage.csv");
      expect(response.status).toBe(401);
    });
  });

  describe("exports", () => {
    /** The raw bytes: fetch's text() would drop the byte order mark this checks for. */
    async function download(path: string) {
      const response = await fetch(`${server.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${rita}` },
      });
      expect([path, response.status]).toEqual([path, 200]);
      return { headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
    }

    interface Export {
      name: string;
      query: string;
      headers: string[];
      keys: string[];
      /** Columns that Excel gets as dates (the rest of the non-text ones as numbers). */
      dates: string[];
      months: string[];
      rows: () => Promise<Record<string, unknown>[]>;
    }
    const exports: Export[] = [
      {
        name: "stage-conversion",
        query: "",
        headers: [
          "Stage",
          "Position",
          "Kind",
          "Entered",
          "Moved on",
          "Conversion",
          "Median days in stage",
          "Stage id",
        ],
        keys: [
          "stageName",
          "position",
          "kind",
          "entered",
          "movedOn",
          "conversionRate",
          "medianDaysInStage",
          "stageId",
        ],
        dates: [],
        months: [],
        rows: async () => parse(StageConversion, await get("/api/v1/reports/stage-conversion")).rows,
      },
      {
        name: "activity-by-rep",
        query: "",
        headers: ["Week", "Rep", "Emails", "Calls", "Meetings", "Notes", "Visits", "Total", "Rep id"],
        keys: ["week", "userName", "emails", "calls", "meetings", "notes", "visits", "total", "userId"],
        dates: ["week"],
        months: [],
        rows: async () => parse(ActivityByRep, await get("/api/v1/reports/activity-by-rep")).rows,
      },
      {
        name: "contacts-added",
        query: "?from=2026-02-01&to=2026-03-01",
        headers: ["Week", "Contacts added"],
        keys: ["week", "contacts"],
        dates: ["week"],
        months: [],
        rows: async () =>
          parse(ContactsAdded, await get("/api/v1/reports/contacts-added?from=2026-02-01&to=2026-03-01"))
            .rows,
      },
    ];
    const textKeys = new Set(["stageName", "kind", "stageId", "userName", "userId", "week", "month"]);

    it.each(exports.map((e) => [e.name, e] as const))(
      "%s.csv holds the JSON's rows: UTF-8 with a byte order mark, CRLF, formulas kept as text",
      async (_, e) => {
        const { headers, bytes } = await download(`/api/v1/reports/${e.name}.csv${e.query}`);
        expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
        expect(headers.get("content-disposition")).toBe(`attachment; filename="${e.name}.csv"`);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const [header, ...records] = parseCsv(bytes.subarray(3).toString("utf8"));
        expect(header).toEqual(e.headers);
        const expected = (await e.rows()).map((row) =>
          e.keys.map((key) => {
            const value = row[key];
            if (value === null) return "";
            // The one text that starts like a formula in this data: Max's name, kept text by an apostrophe.
            if (typeof value === "string" && value.startsWith("=")) return `'${value}`;
            return String(value);
          }),
        );
        expect(records).toEqual(expected);
        expect(records.length).toBeGreaterThan(0);
      },
    );

    it("keeps a formula-like name text in CSV, quoted and with its quotes doubled", async () => {
      const { bytes } = await download("/api/v1/reports/activity-by-rep.csv");
      expect(bytes.toString("utf8")).toContain(
        `\r\n2026-03-02,"'=HYPERLINK(""http://evil.example"",""Max"")",0,2,0,0,0,2,${maxId}\r\n`,
      );
    });

    it.each(exports.map((e) => [e.name, e] as const))(
      "%s.xlsx holds the JSON's rows under a header row, numbers and dates typed",
      async (_, e) => {
        const { headers, bytes } = await download(`/api/v1/reports/${e.name}.xlsx${e.query}`);
        expect(headers.get("content-type")).toBe(
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        );
        expect(headers.get("content-disposition")).toBe(`attachment; filename="${e.name}.xlsx"`);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
        const sheet = workbook.worksheets[0];
        if (!sheet) throw new Error("no worksheet");
        expect(sheet.name).toBe(e.name);
        const values = (row: number) =>
          e.keys.map((_, column) => sheet.getRow(row).getCell(column + 1).value ?? null);
        expect(values(1)).toEqual(e.headers);
        const rows = await e.rows();
        expect(sheet.rowCount).toBe(rows.length + 1);
        rows.forEach((row, i) => {
          const expected = e.keys.map((key) => {
            const value = row[key];
            if (e.dates.includes(key)) return new Date(`${value as string}T00:00:00.000Z`);
            if (e.months.includes(key)) return new Date(`${value as string}-01T00:00:00.000Z`);
            return value;
          });
          expect(values(i + 2)).toEqual(expected);
          // Numbers are numbers, not text that looks like one.
          for (const [column, key] of e.keys.entries()) {
            const cell = values(i + 2)[column];
            if (!textKeys.has(key) && cell !== null) expect([key, typeof cell]).toEqual([key, "number"]);
          }
        });
      },
    );

    /**
     * The reports with amounts: a line per row and currency, the currency named on every line, the rate it was
     * converted at beside it and the base currency in the converted columns' headers. All in EUR here (the base);
     * Gamma, without amount or currency, has a line of its own that needs no rate.
     */
    const amountExports = [
      {
        name: "pipeline-by-stage",
        lines: () => [
          [
            "Stage",
            "Position",
            "Kind",
            "Probability %",
            "Currency",
            "Deals",
            "Amount",
            "Weighted amount",
            "Rate to EUR",
            "Rate set",
            "Amount in EUR",
            "Weighted amount in EUR",
            "Not converted",
            "Stage id",
          ],
          [
            "Prospecting",
            "0",
            "open",
            "10",
            "EUR",
            "2",
            "3234.50",
            "323.45",
            "1",
            "",
            "3234.50",
            "323.45",
            "",
            stage.Prospecting,
          ],
          [
            "Qualification",
            "1",
            "open",
            "25",
            "",
            "1",
            "0.00",
            "0.00",
            "",
            "",
            "0.00",
            "0.00",
            "",
            stage.Qualification,
          ],
          [
            "Proposal",
            "2",
            "open",
            "50",
            "EUR",
            "1",
            "4000.00",
            "2000.00",
            "1",
            "",
            "4000.00",
            "2000.00",
            "",
            stage.Proposal,
          ],
          [
            "Negotiation",
            "3",
            "open",
            "75",
            "EUR",
            "0",
            "0.00",
            "0.00",
            "1",
            "",
            "0.00",
            "0.00",
            "",
            stage.Negotiation,
          ],
          [
            "Won",
            "4",
            "won",
            "100",
            "EUR",
            "2",
            "8000.00",
            "8000.00",
            "1",
            "",
            "8000.00",
            "8000.00",
            "",
            stage.Won,
          ],
          ["Lost", "5", "lost", "0", "EUR", "1", "700.00", "0.00", "1", "", "700.00", "0.00", "", stage.Lost],
        ],
        text: [0, 2, 4, 9, 12, 13],
      },
      {
        name: "won-lost-by-month",
        lines: () => [
          [
            "Month",
            "Currency",
            "Won deals",
            "Won amount",
            "Lost deals",
            "Lost amount",
            "Rate to EUR",
            "Rate set",
            "Won amount in EUR",
            "Lost amount in EUR",
            "Not converted",
          ],
          ["2026-01", "EUR", "1", "5000.00", "1", "700.00", "1", "", "5000.00", "700.00", ""],
          ["2026-02", "EUR", "0", "0.00", "0", "0.00", "1", "", "0.00", "0.00", ""],
          ["2026-03", "EUR", "1", "3000.00", "0", "0.00", "1", "", "3000.00", "0.00", ""],
        ],
        text: [1, 7, 10],
      },
    ];

    it.each(amountExports.map((e) => [e.name, e] as const))(
      "%s.csv has a line per row and currency, the currency and the rate named on each",
      async (_, e) => {
        const { headers, bytes } = await download(`/api/v1/reports/${e.name}.csv`);
        expect(headers.get("content-disposition")).toBe(`attachment; filename="${e.name}.csv"`);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(parseCsv(bytes.subarray(3).toString("utf8"))).toEqual(e.lines());
      },
    );

    it.each(amountExports.map((e) => [e.name, e] as const))(
      "%s.xlsx has the same lines, amounts and rates as numbers",
      async (_, e) => {
        const { bytes } = await download(`/api/v1/reports/${e.name}.xlsx`);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
        const sheet = workbook.worksheets[0];
        if (!sheet) throw new Error("no worksheet");
        const [header, ...lines] = e.lines();
        expect(sheet.rowCount).toBe(lines.length + 1);
        const values = (row: number) =>
          (header as string[]).map((_, column) => sheet.getRow(row).getCell(column + 1).value ?? null);
        expect(values(1)).toEqual(header);
        lines.forEach((line, i) => {
          const expected = line.map((cell, column) => {
            if (cell === "") return null;
            if (e.name === "won-lost-by-month" && column === 0) return new Date(`${cell}-01T00:00:00.000Z`);
            return e.text.includes(column) ? cell : Number(cell);
          });
          expect(values(i + 2)).toEqual(expected);
        });
      },
    );

    it("exports with the filters of the JSON", async () => {
      const { bytes } = await download(`/api/v1/reports/won-lost-by-month.csv?ownerId=${maxId}`);
      expect(parseCsv(bytes.subarray(3).toString("utf8")).slice(1)).toEqual([
        ["2026-03", "EUR", "1", "3000.00", "0", "0.00", "1", "", "3000.00", "0.00", ""],
      ]);
      const empty = await download("/api/v1/reports/won-lost-by-month.xlsx?from=2025-01-01&to=2025-02-01");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(empty.bytes as unknown as ArrayBuffer);
      expect(workbook.worksheets[0]?.rowCount).toBe(1);
    });
  });
});
