import fc from "fast-check";
import { sql } from "kysely";
import { localDay } from "../../src/server/dashboard/local-day";
import { Dashboard } from "../../src/shared/dashboard";
import { PipelineList } from "../../src/shared/pipelines";
import { ActivityByRep, StageConversion } from "../../src/shared/reports";
import { Me } from "../../src/shared/routes";
import {
  activityFromHistory,
  dealsNeedingAttentionFromHistory,
  stageConversionFromHistory,
} from "../helpers/report-oracle";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * The rollups of migration 0025 (deal_stage_stays, interaction_days) are kept by triggers as the history is
 * written. Whatever sequence of writes happened, the dashboard and the reports answered from them must be what the
 * old queries answer from the whole history (test/helpers/report-oracle.ts), and the rollups must be what a rebuild
 * from history makes. The writes are drawn at random: deals created (some back-dated), moved, deleted; stages
 * added, reordered, made won or lost, removed with their deals moved; changes back-dated, imported out of order or
 * deleted from the middle of a history; notes logged, edited, deleted; emails logged; a logger removed; tasks of deals
 * added, done, reopened, moved to another deal and deleted; a twin of the contact, with a call and a deal of its own,
 * merged into it (its history moves to the kept contact). Migration 0031's summaries (deal_stage_flows,
 * deal_stage_lengths, interaction_weeks, deals.last_activity_at) are
 * checked against a rebuild with the rest.
 *
 * 15 sequences per store in npm test; 200 under RAPPORT_DEEP_TESTS=1.
 */

const DEEP = process.env.RAPPORT_DEEP_TESTS === "1";
jest.setTimeout(DEEP ? 3_600_000 : 300_000);
const RUNS = DEEP ? 200 : 15;
const NOW = new Date("2026-12-01T12:00:00.000Z");
const DAY_MS = 86_400_000;
const daysAgo = (days: number, minutes = 0) => new Date(NOW.getTime() - days * DAY_MS - minutes * 60_000);

type Command =
  | { op: "createDeal"; owner: number; stage: number; openedDaysAgo: number | null }
  | { op: "moveDeal"; deal: number; stage: number; movedDaysAgo: number | null }
  | { op: "deleteDeal"; deal: number }
  | { op: "backDateChange"; change: number; minutes: number }
  | { op: "importChange"; deal: number; stage: number; daysAgo: number }
  | { op: "deleteChange"; change: number }
  | { op: "addStage"; kind: "open" | "won" | "lost"; position: number }
  | { op: "reorderStages"; seed: number }
  | { op: "changeStageKind"; stage: number; kind: "open" | "won" | "lost" }
  | { op: "deleteStage"; stage: number; to: number }
  | {
      op: "logNote";
      owner: number;
      kind: "note" | "call" | "meeting" | "visit";
      daysAgo: number;
      minutes: number;
    }
  | { op: "editNote"; note: number; kind: "note" | "call" | "meeting" | "visit"; daysAgo: number }
  | { op: "deleteNote"; note: number }
  | { op: "logEmail"; owner: number; daysAgo: number }
  | { op: "forgetLogger"; interaction: number }
  | { op: "addTask"; deal: number; done: boolean }
  | { op: "editTask"; task: number; deal: number; done: boolean; unlink: boolean }
  | { op: "deleteTask"; task: number }
  | { op: "mergeContact"; owner: number; daysAgo: number };

const index = fc.nat(1000);
const days = fc.integer({ min: 0, max: 40 });
const stageKind = fc.constantFrom("open" as const, "won" as const, "lost" as const);
const noteKind = fc.constantFrom("note" as const, "call" as const, "meeting" as const, "visit" as const);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("createDeal" as const),
      owner: fc.nat(1),
      stage: index,
      openedDaysAgo: fc.option(days, { nil: null }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("moveDeal" as const),
      deal: index,
      stage: index,
      movedDaysAgo: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteDeal" as const), deal: index }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("backDateChange" as const),
      change: index,
      minutes: fc.integer({ min: 1, max: 30 * 24 * 60 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("importChange" as const),
      deal: index,
      stage: index,
      daysAgo: days,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteChange" as const), change: index }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("addStage" as const), kind: stageKind, position: fc.nat(8) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reorderStages" as const), seed: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("changeStageKind" as const), stage: index, kind: stageKind }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("deleteStage" as const), stage: index, to: index }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("logNote" as const),
      owner: fc.nat(1),
      kind: noteKind,
      daysAgo: days,
      minutes: fc.nat(24 * 60),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("editNote" as const),
      note: index,
      kind: noteKind,
      daysAgo: days,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteNote" as const), note: index }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("logEmail" as const), owner: fc.nat(1), daysAgo: days }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("forgetLogger" as const), interaction: index }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("addTask" as const), deal: index, done: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("editTask" as const),
      task: index,
      deal: index,
      done: fc.boolean(),
      unlink: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteTask" as const), task: index }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("mergeContact" as const), owner: fc.nat(1), daysAgo: days }),
  },
);

describe.each(storeKinds)("reports read from rollups kept as history is written (%s)", (kind) => {
  let server: TestServer;
  let orgId: string;
  let pipelineId: string;
  let contactId: string;
  const tokens: string[] = [];
  const userIds: string[] = [];
  let emails = 0;
  let twins = 0;
  const statuses: Record<string, number> = {};

  const request = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const response = await server.request<T>(method, path, { token, body });
    const key = `${method} ${path.replace(/[0-9a-f-]{36}/g, ":id").replace(/\?.*/, "")} ${response.status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (response.status >= 400 && process.env.DEBUG_ROLLUPS) console.log(key, JSON.stringify(response.body));
    return response;
  };
  const admin = () => tokens[0] as string;
  const ids = async (query: ReturnType<typeof sql<{ id: string }>>) =>
    (await query.execute(server.database.db)).rows.map((r) => r.id);
  const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
  const pipeline = async () => {
    const { pipelines } = parse(PipelineList, await request(admin(), "GET", "/api/v1/pipelines"));
    const found = pipelines.find((p) => p.id === pipelineId);
    if (!found) throw new Error("the pipeline is gone");
    return found;
  };

  /** One write, through the route a user would use or, for what imports and fixes do, straight in SQL. */
  async function run(c: Command): Promise<void> {
    const db = server.database.db;
    const deals = () => ids(sql`select id from deals where org_id = ${orgId} order by id`);
    const changes = () => ids(sql`select id from deal_stage_changes where org_id = ${orgId} order by id`);
    const notes = () =>
      ids(sql`select id from interactions where org_id = ${orgId} and kind <> 'email' order by id`);
    const stages = async () => (await pipeline()).stages;
    switch (c.op) {
      case "createDeal": {
        const stage = pick(await stages(), c.stage);
        await request(tokens[c.owner] as string, "POST", "/api/v1/deals", {
          name: "Deal",
          stageId: stage?.id,
          contactIds: [contactId],
          ...(c.openedDaysAgo !== null && c.owner === 0
            ? { openedAt: daysAgo(c.openedDaysAgo).toISOString() }
            : {}),
        });
        return;
      }
      case "moveDeal": {
        const deal = pick(await deals(), c.deal);
        const stage = pick(await stages(), c.stage);
        if (!deal || !stage) return;
        const { body } = await request<{ version: number }>(admin(), "GET", `/api/v1/deals/${deal}`);
        const last = await db
          .selectFrom("deal_stage_changes")
          .select(sql<Date>`max(changed_at)`.as("at"))
          .where("deal_id", "=", deal)
          .executeTakeFirst();
        const movedAt = c.movedDaysAgo === null ? null : daysAgo(c.movedDaysAgo);
        // A back-dated move may not go before the deal's previous one (the route refuses it): then a move now.
        const ok = movedAt && (!last?.at || movedAt >= last.at) && movedAt <= NOW;
        await request(admin(), "POST", `/api/v1/deals/${deal}/stage`, {
          stageId: stage.id,
          version: body.version,
          ...(ok ? { movedAt: movedAt.toISOString() } : {}),
        });
        return;
      }
      case "deleteDeal": {
        const deal = pick(await deals(), c.deal);
        if (deal) await request(admin(), "DELETE", `/api/v1/deals/${deal}`);
        return;
      }
      case "backDateChange": {
        const change = pick(await changes(), c.change);
        if (change)
          await sql`update deal_stage_changes set changed_at = changed_at - make_interval(mins => ${c.minutes})
            where id = ${change}`.execute(db);
        return;
      }
      case "importChange": {
        const deal = pick(await deals(), c.deal);
        const stage = pick(await stages(), c.stage);
        if (deal && stage)
          await db
            .insertInto("deal_stage_changes")
            .values({
              org_id: orgId,
              deal_id: deal,
              to_stage_id: stage.id,
              changed_at: daysAgo(c.daysAgo, 7),
              source: "import",
            })
            .execute();
        return;
      }
      case "deleteChange": {
        const change = pick(await changes(), c.change);
        if (change) await db.deleteFrom("deal_stage_changes").where("id", "=", change).execute();
        return;
      }
      case "addStage": {
        const { version } = await pipeline();
        await request(admin(), "POST", `/api/v1/pipelines/${pipelineId}/stages`, {
          name: `Stage ${c.position}-${c.kind}`,
          probability: 30,
          kind: c.kind,
          position: c.position,
          version,
        });
        return;
      }
      case "reorderStages": {
        const { version, stages: list } = await pipeline();
        const shuffled = [...list].sort(
          (a, b) =>
            ((a.position * 7919 + c.seed) % 13) - ((b.position * 7919 + c.seed) % 13) ||
            a.position - b.position,
        );
        await request(admin(), "POST", `/api/v1/pipelines/${pipelineId}/stages/order`, {
          stageIds: shuffled.map((s) => s.id),
          version,
        });
        return;
      }
      case "changeStageKind": {
        const { version, stages: list } = await pipeline();
        const stage = pick(list, c.stage);
        if (stage)
          await request(admin(), "PATCH", `/api/v1/pipelines/${pipelineId}/stages/${stage.id}`, {
            kind: c.kind,
            version,
          });
        return;
      }
      case "deleteStage": {
        const { stages: list } = await pipeline();
        const stage = pick(list, c.stage);
        const to = pick(
          list.filter((s) => s.id !== stage?.id),
          c.to,
        );
        if (stage && to)
          await request(
            admin(),
            "DELETE",
            `/api/v1/pipelines/${pipelineId}/stages/${stage.id}?moveDealsTo=${to.id}`,
          );
        return;
      }
      case "logNote": {
        const deal = pick(await deals(), c.minutes);
        await request(tokens[c.owner] as string, "POST", "/api/v1/notes", {
          kind: c.kind,
          contactId,
          body: "Spoke",
          occurredAt: daysAgo(c.daysAgo, c.minutes).toISOString(),
          dealId: c.minutes % 2 ? (deal ?? null) : null,
        });
        return;
      }
      case "editNote": {
        const note = pick(await notes(), c.note);
        if (!note) return;
        const { body } = await request<{ version: number }>(admin(), "GET", `/api/v1/notes/${note}`);
        await request(admin(), "PATCH", `/api/v1/notes/${note}`, {
          kind: c.kind,
          occurredAt: daysAgo(c.daysAgo, 3).toISOString(),
          version: body.version,
        });
        return;
      }
      case "deleteNote": {
        const note = pick(await notes(), c.note);
        if (note) await request(admin(), "DELETE", `/api/v1/notes/${note}`);
        return;
      }
      case "logEmail": {
        emails += 1;
        await request(tokens[c.owner] as string, "POST", "/api/v1/emails", {
          internetMessageId: `<rollup-${kind}-${emails}@mail.example>`,
          subject: "Offer",
          from: { address: "anna@fabrikam.example" },
          to: [{ address: "rep@contoso.example" }],
          sentAt: daysAgo(c.daysAgo, 11).toISOString(),
        });
        return;
      }
      case "addTask": {
        const deal = pick(await deals(), c.deal);
        if (!deal) return;
        const { body } = await request<{ id: string; version: number }>(admin(), "POST", "/api/v1/tasks", {
          title: "Call back",
          dealId: deal,
          dueAt: null,
        });
        if (c.done && body.id)
          await request(admin(), "PATCH", `/api/v1/tasks/${body.id}`, { done: true, version: body.version });
        return;
      }
      case "editTask": {
        // Done or reopened, and linked to another deal or to none: a deal's last activity counts done tasks.
        const task = pick(await ids(sql`select id from tasks where org_id = ${orgId} order by id`), c.task);
        const deal = pick(await deals(), c.deal);
        if (!task) return;
        const { body } = await request<{ version: number }>(admin(), "GET", `/api/v1/tasks/${task}`);
        await request(admin(), "PATCH", `/api/v1/tasks/${task}`, {
          done: c.done,
          dealId: c.unlink ? null : (deal ?? null),
          version: body.version,
        });
        return;
      }
      case "deleteTask": {
        const task = pick(await ids(sql`select id from tasks where org_id = ${orgId} order by id`), c.task);
        if (task) await request(admin(), "DELETE", `/api/v1/tasks/${task}`);
        return;
      }
      case "mergeContact": {
        const owner = tokens[c.owner] as string;
        twins += 1;
        const twin = await request<{ id: string; version: number }>(owner, "POST", "/api/v1/contacts", {
          displayName: "Anna B",
          emails: [`anna+${twins}@fabrikam.example`],
        });
        await request(owner, "POST", "/api/v1/notes", {
          kind: "call",
          contactId: twin.body.id,
          body: "Twin",
          occurredAt: daysAgo(c.daysAgo, 7).toISOString(),
        });
        await request(owner, "POST", "/api/v1/deals", { name: "Twin's", contactIds: [twin.body.id] });
        const kept = await request<{ version: number }>(admin(), "GET", `/api/v1/contacts/${contactId}`);
        const merged = await request(admin(), "POST", `/api/v1/contacts/${contactId}/merge`, {
          version: kept.body.version,
          mergedId: twin.body.id,
          mergedVersion: twin.body.version,
        });
        expect(merged.status).toBe(200);
        return;
      }
      case "forgetLogger": {
        // What removing a user does to what they logged (the foreign key sets logged_by to null).
        const interaction = pick(
          await ids(sql`select id from interactions where org_id = ${orgId} order by id`),
          c.interaction,
        );
        if (interaction)
          await db
            .updateTable("interactions")
            .set({ logged_by: null })
            .where("id", "=", interaction)
            .execute();
        return;
      }
    }
  }

  /** Every answer from the rollups against the old recomputation from history; and the rollups against a rebuild. */
  async function expectRollupsToMatchHistory(): Promise<void> {
    const db = server.database.db;
    const periods: Record<string, string>[] = [
      {},
      { from: daysAgo(10).toISOString().slice(0, 10) },
      { to: daysAgo(5).toISOString().slice(0, 10) },
    ];
    const owners = [undefined, ...userIds];
    for (const period of periods)
      for (const ownerId of owners) {
        const query = { ...period, ...(ownerId ? { ownerId } : {}) };
        const search = new URLSearchParams({ pipelineId, ...query }).toString();
        const conversion = parse(
          StageConversion,
          await request(admin(), "GET", `/api/v1/reports/stage-conversion?${search}`),
        );
        expect(conversion.rows).toEqual(await stageConversionFromHistory(db, orgId, pipelineId, query));
        const activity = parse(
          ActivityByRep,
          await request(
            admin(),
            "GET",
            `/api/v1/reports/activity-by-rep?${new URLSearchParams(query).toString()}`,
          ),
        );
        expect(activity.rows).toEqual(await activityFromHistory(db, orgId, query));
      }
    for (const ownerId of userIds) {
      const dashboard = parse(
        Dashboard,
        await request(admin(), "GET", `/api/v1/dashboard?ownerId=${ownerId}`),
      );
      expect(dashboard.dealsNeedingAttention).toEqual(
        await dealsNeedingAttentionFromHistory(db, { orgId, ownerId, now: NOW, day: localDay("UTC", NOW) }),
      );
    }
    // The rollups themselves are what a rebuild makes (rolled back: the next sequence goes on from the kept ones).
    const snapshot = async (trx: typeof db) =>
      (
        await sql<{ rows: string }>`select
          (select coalesce(string_agg(s::text, '|' order by s.change_id), '') from deal_stage_stays s) ||
          '#' || (select coalesce(string_agg(d::text, '|' order by d::text), '') from interaction_days d) ||
          -- Migration 0031's summaries of the stays and the deals' last activity.
          '#' || (select coalesce(string_agg(f::text, '|' order by f::text), '') from deal_stage_flows f) ||
          '#' || (select coalesce(string_agg(l::text, '|' order by l::text), '') from deal_stage_lengths l) ||
          '#' || (select coalesce(string_agg(w::text, '|' order by w::text), '') from interaction_weeks w) ||
          '#' || (select coalesce(string_agg(d.id || '=' || coalesce(d.last_activity_at::text, ''), '|' order by d.id), '')
            from deals d) as rows`.execute(trx)
      ).rows[0]?.rows;
    const kept = await snapshot(db);
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`select rebuild_report_rollups(null)`.execute(trx);
        expect(await snapshot(trx)).toBe(kept);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  }

  beforeAll(async () => {
    server = await startTestServer(kind, { clock: () => NOW });
    for (const email of ["rita@contoso.example", "max@contoso.example"]) {
      const token = await server.token(email);
      tokens.push(token);
      userIds.push(parse(Me, await request(token, "GET", "/api/v1/me")).user.id);
    }
    orgId = parse(Me, await request(admin(), "GET", "/api/v1/me")).organization.id;
    const { pipelines } = parse(PipelineList, await request(admin(), "GET", "/api/v1/pipelines"));
    pipelineId = (pipelines[0] as { id: string }).id;
    contactId = (
      await request<{ id: string }>(admin(), "POST", "/api/v1/contacts", {
        displayName: "Anna Berg",
        emails: ["anna@fabrikam.example"],
      })
    ).body.id;
    // Another organisation's history, in the same tables: none of it may reach these answers.
    const eve = await server.token("eve@evil.example");
    const foreign = await request<{ id: string; version: number }>(eve, "POST", "/api/v1/deals", {
      name: "Theirs",
    });
    const { pipelines: theirs } = parse(PipelineList, await request(eve, "GET", "/api/v1/pipelines"));
    await request(eve, "POST", `/api/v1/deals/${foreign.body.id}/stage`, {
      stageId: theirs[0]?.stages[1]?.id,
      version: foreign.body.version,
    });
  });
  afterAll(() => {
    if (process.env.DEBUG_ROLLUPS) console.log(statuses);
    return server.close();
  });

  it("answers the dashboard, stage conversion and activity from the rollups exactly as from the whole history", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        for (const c of commands) await run(c);
        await expectRollupsToMatchHistory();
      }),
      { numRuns: RUNS },
    );
    // The sequences did write: the check was not of empty tables.
    const counts = await sql<{ stays: number; days: number; lengths: number; repeats: number }>`
      select (select count(*)::int from deal_stage_stays where org_id = ${orgId}) as stays,
        (select count(*)::int from interaction_days where org_id = ${orgId}) as days,
        (select count(*)::int from deal_stage_lengths where org_id = ${orgId}) as lengths,
        (select count(*)::int from deal_stage_stays where org_id = ${orgId} and prev_entered_at is not null) as repeats`.execute(
      server.database.db,
    );
    if (process.env.DEBUG_ROLLUPS) console.log(counts.rows[0]);
    expect(counts.rows[0]?.stays).toBeGreaterThan(0);
    expect(counts.rows[0]?.days).toBeGreaterThan(0);
    expect(counts.rows[0]?.lengths).toBeGreaterThan(0);
  });
});

class RolledBack extends Error {}
