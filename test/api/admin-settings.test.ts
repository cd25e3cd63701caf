import { randomUUID } from "node:crypto";
import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { Currencies, ExchangeRate } from "../../src/shared/currencies";
import { CustomFieldDefinition, CustomFieldDefinitionList } from "../../src/shared/custom-fields";
import { DealWithStage } from "../../src/shared/deals";
import type { Problem } from "../../src/shared/errors";
import { LoggedEmail } from "../../src/shared/interactions";
import { Organization } from "../../src/shared/organizations";
import { Timeline } from "../../src/shared/people";
import { Pipeline, PipelineList } from "../../src/shared/pipelines";
import { Me } from "../../src/shared/routes";
import { TagList } from "../../src/shared/tags";
import { User, UserList } from "../../src/shared/users";
import { type Response, type TestServer, lookupPeople, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("admin settings (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    // The first user of an organisation is its admin; the next ones are members.
    admin = await server.token("ada@settings.example");
    member = await server.token("max@settings.example");
    await server.request("GET", "/api/v1/me", { token: admin });
    await server.request("GET", "/api/v1/me", { token: member });
  });
  afterAll(() => server.close());

  const call = (
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => server.request(method, path, { token, body, headers });
  const as = <T>(status: number, response: Response): T => {
    expect([response.status, response.body]).toEqual([status, expect.anything()]);
    return response.body as T;
  };
  const problem = (response: Response) => response.body as Problem;

  const pipelines = async () => parse(PipelineList, await call(admin, "GET", "/api/v1/pipelines")).pipelines;
  const newPipeline = async (name: string) =>
    parse(Pipeline, await call(admin, "POST", "/api/v1/pipelines", { name }));
  const newDeal = async (name: string, stageId: string) =>
    parse(DealWithStage, await call(admin, "POST", "/api/v1/deals", { name, stageId }));
  const getDeal = async (id: string) => parse(DealWithStage, await call(admin, "GET", `/api/v1/deals/${id}`));
  const stageHistory = (dealId: string) =>
    server.database.db
      .selectFrom("deal_stage_changes")
      .select(["from_stage_id", "to_stage_id", "source"])
      .where("deal_id", "=", dealId)
      .orderBy("changed_at")
      .orderBy("id")
      .execute();
  const audits = (action: string, entityId: string) =>
    server.database.db
      .selectFrom("audit_events")
      .select(["action", "details"])
      .where("action", "=", action)
      .where("entity_id", "=", entityId)
      .execute();

  describe("who may change settings", () => {
    it("lets members read every setting and refuses each change with 403 forbidden, changing nothing", async () => {
      const [sales] = await pipelines();
      const pipeline = sales as Pipeline;
      const stage = pipeline.stages[1]?.id as string;
      const field = parse(
        CustomFieldDefinition,
        await call(admin, "POST", "/api/v1/custom-fields", {
          entity: "contact",
          key: "guarded",
          label: "Guarded",
          type: "text",
        }),
      );
      await call(admin, "POST", "/api/v1/contacts", { displayName: "Tagged", tags: ["guarded-tag"] });
      as(
        201,
        await call(admin, "POST", "/api/v1/currencies/rates", {
          currency: "DKK",
          rate: "0.1341",
          baseCurrency: "EUR",
        }),
      );
      const adminId = parse(Me, await call(admin, "GET", "/api/v1/me")).user.id;

      for (const path of [
        "/api/v1/pipelines",
        `/api/v1/pipelines/${pipeline.id}`,
        "/api/v1/custom-fields",
        "/api/v1/tags",
        "/api/v1/organization",
        "/api/v1/users",
        "/api/v1/currencies",
      ])
        expect([path, (await call(member, "GET", path)).status]).toEqual([path, 200]);

      const before = await Promise.all(
        [
          "/api/v1/pipelines",
          "/api/v1/custom-fields",
          "/api/v1/tags",
          "/api/v1/organization",
          "/api/v1/users",
          "/api/v1/currencies",
        ].map(async (p) => (await call(admin, "GET", p)).body),
      );
      const v = pipeline.version;
      const changes: [string, string, unknown?][] = [
        ["POST", "/api/v1/pipelines", { name: "Members' pipeline" }],
        ["PATCH", `/api/v1/pipelines/${pipeline.id}`, { name: "Renamed", version: v }],
        ["POST", "/api/v1/pipelines/order", { pipelineIds: [pipeline.id] }],
        ["DELETE", `/api/v1/pipelines/${pipeline.id}`],
        [
          "POST",
          `/api/v1/pipelines/${pipeline.id}/stages`,
          { name: "X", probability: 5, kind: "open", version: v },
        ],
        [
          "POST",
          `/api/v1/pipelines/${pipeline.id}/stages/order`,
          { stageIds: pipeline.stages.map((s) => s.id).reverse(), version: v },
        ],
        ["PATCH", `/api/v1/pipelines/${pipeline.id}/stages/${stage}`, { name: "Y", version: v }],
        ["DELETE", `/api/v1/pipelines/${pipeline.id}/stages/${stage}`],
        ["POST", "/api/v1/custom-fields", { entity: "deal", key: "nope", label: "Nope", type: "number" }],
        ["PATCH", `/api/v1/custom-fields/${field.id}`, { label: "Nope", version: field.version }],
        ["DELETE", `/api/v1/custom-fields/${field.id}`],
        ["PATCH", "/api/v1/tags/guarded-tag", { name: "renamed" }],
        ["DELETE", "/api/v1/tags/guarded-tag"],
        ["PATCH", "/api/v1/organization", { internalDomains: ["member.example"], version: 1 }],
        ["PATCH", `/api/v1/users/${adminId}`, { role: "member" }],
        ["PATCH", "/api/v1/organization/logging-policy", { syncAllMailboxes: true }],
        ["PATCH", "/api/v1/currencies", { baseCurrency: "SEK" }],
        ["POST", "/api/v1/currencies/rates", { currency: "NOK", rate: "0.0855", baseCurrency: "EUR" }],
        ["POST", "/api/v1/currencies/rates", { currency: "DKK", rate: "1", baseCurrency: "EUR" }],
        ["DELETE", "/api/v1/currencies/rates/DKK"],
      ];
      for (const [method, path, body] of changes) {
        const response = await call(member, method, path, body);
        expect([method, path, response.status, problem(response).code]).toEqual([
          method,
          path,
          403,
          "forbidden",
        ]);
      }
      const after = await Promise.all(
        [
          "/api/v1/pipelines",
          "/api/v1/custom-fields",
          "/api/v1/tags",
          "/api/v1/organization",
          "/api/v1/users",
          "/api/v1/currencies",
        ].map(async (p) => (await call(admin, "GET", p)).body),
      );
      expect(after).toEqual(before);
    });
  });

  describe("pipelines", () => {
    it("creates a pipeline with the default stages, renames it and makes it the default, each change audited", async () => {
      const created = as<Pipeline>(201, await call(admin, "POST", "/api/v1/pipelines", { name: "Partners" }));
      expect(created.stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
        ["Prospecting", 10, "open"],
        ["Qualification", 25, "open"],
        ["Proposal", 50, "open"],
        ["Negotiation", 75, "open"],
        ["Won", 100, "won"],
        ["Lost", 0, "lost"],
      ]);
      expect(created).toMatchObject({ isDefault: false, version: 1 });
      const renamed = parse(
        Pipeline,
        await call(admin, "PATCH", `/api/v1/pipelines/${created.id}`, { name: "Partner deals", version: 1 }),
      );
      expect(renamed).toMatchObject({ name: "Partner deals", version: 2 });

      const stale = await call(admin, "PATCH", `/api/v1/pipelines/${created.id}`, {
        name: "Lost edit",
        version: 1,
      });
      expect(stale.status).toBe(409);
      expect(problem(stale)).toMatchObject({
        code: "version_conflict",
        current: { name: "Partner deals", version: 2 },
      });
      expect(
        (await call(admin, "PATCH", `/api/v1/pipelines/${created.id}`, { name: "No version" })).status,
      ).toBe(428);

      const oldDefault = (await pipelines()).find((p) => p.isDefault) as Pipeline;
      parse(
        Pipeline,
        await call(admin, "PATCH", `/api/v1/pipelines/${created.id}`, { isDefault: true, version: 2 }),
      );
      const now = await pipelines();
      expect(now.filter((p) => p.isDefault).map((p) => p.id)).toEqual([created.id]);
      // The old default changed too, so its version moved: an edit made from the old screen is stale.
      expect(now.find((p) => p.id === oldDefault.id)?.version).toBe(oldDefault.version + 1);
      // New deals now start in the new default's first open stage.
      const deal = parse(DealWithStage, await call(admin, "POST", "/api/v1/deals", { name: "Partner deal" }));
      expect(deal.stageId).toBe(created.stages[0]?.id);
      expect(
        (await call(admin, "PATCH", `/api/v1/pipelines/${created.id}`, { isDefault: false, version: 3 }))
          .status,
      ).toBe(400);
      // Back to the original default, so the other tests see it as they expect.
      parse(
        Pipeline,
        await call(admin, "PATCH", `/api/v1/pipelines/${oldDefault.id}`, {
          isDefault: true,
          version: oldDefault.version + 1,
        }),
      );
      expect((await audits("pipeline.created", created.id)).length).toBe(1);
      expect((await audits("pipeline.updated", created.id)).length).toBe(2);
    });

    it("creates a pipeline with its own stages only when it has an open, a won and a lost one", async () => {
      const refused = await call(admin, "POST", "/api/v1/pipelines", {
        name: "No lost",
        stages: [
          { name: "A", probability: 10, kind: "open" },
          { name: "B", probability: 50, kind: "open" },
          { name: "Won", probability: 100, kind: "won" },
        ],
      });
      expect(refused.status).toBe(400);
      expect(problem(refused).errors?.[0]?.path).toBe("body.stages");
      const made = as<Pipeline>(
        201,
        await call(admin, "POST", "/api/v1/pipelines", {
          name: "Short",
          stages: [
            { name: "Talk", probability: 20, kind: "open" },
            { name: "Signed", probability: 100, kind: "won" },
            { name: "Gone", probability: 0, kind: "lost" },
          ],
        }),
      );
      expect(made.stages.map((s) => [s.name, s.position])).toEqual([
        ["Talk", 0],
        ["Signed", 1],
        ["Gone", 2],
      ]);
    });

    it("reorders pipelines with every pipeline once; an unknown or foreign id is 404, a missing one 400", async () => {
      const list = await pipelines();
      const reversed = list.map((p) => p.id).reverse();
      const answer = parse(
        PipelineList,
        await call(admin, "POST", "/api/v1/pipelines/order", { pipelineIds: reversed }),
      );
      expect(answer.pipelines.map((p) => p.id)).toEqual(reversed);
      expect((await pipelines()).map((p) => p.id)).toEqual(reversed);

      const foreignToken = await server.token("eve@other-org.example");
      const foreign = parse(PipelineList, await call(foreignToken, "GET", "/api/v1/pipelines"))
        .pipelines[0] as Pipeline;
      for (const stranger of [foreign.id, randomUUID()]) {
        const response = await call(admin, "POST", "/api/v1/pipelines/order", {
          pipelineIds: [...reversed.slice(1), stranger],
        });
        expect([response.status, problem(response).code]).toEqual([404, "not_found"]);
      }
      const missing = await call(admin, "POST", "/api/v1/pipelines/order", {
        pipelineIds: reversed.slice(1),
      });
      expect([missing.status, problem(missing).errors?.[0]?.path]).toEqual([400, "body.pipelineIds"]);
      const twice = await call(admin, "POST", "/api/v1/pipelines/order", {
        pipelineIds: [...reversed, reversed[0]],
      });
      expect(twice.status).toBe(400);
      expect((await pipelines()).map((p) => p.id)).toEqual(reversed);
    });

    it("deletes a pipeline only when it is not the default, and one with deals only when they are moved", async () => {
      const doomed = await newPipeline("Doomed");
      const keeper = await newPipeline("Keeper");
      const deal = await newDeal("In doomed", doomed.stages[2]?.id as string);
      const defaultPipeline = (await pipelines()).find((p) => p.isDefault) as Pipeline;

      const isDefault = await call(admin, "DELETE", `/api/v1/pipelines/${defaultPipeline.id}`);
      expect([isDefault.status, problem(isDefault).code]).toEqual([409, "default_pipeline"]);

      const withDeals = await call(admin, "DELETE", `/api/v1/pipelines/${doomed.id}`);
      expect([withDeals.status, problem(withDeals).code]).toEqual([409, "pipeline_has_deals"]);
      expect((await getDeal(deal.id)).version).toBe(deal.version);

      const sameAsDoomed = await call(
        admin,
        "DELETE",
        `/api/v1/pipelines/${doomed.id}?moveDealsTo=${doomed.stages[0]?.id}`,
      );
      expect(sameAsDoomed.status).toBe(400);
      const nowhere = await call(
        admin,
        "DELETE",
        `/api/v1/pipelines/${doomed.id}?moveDealsTo=${randomUUID()}`,
      );
      expect([nowhere.status, problem(nowhere).code]).toEqual([404, "stage_not_found"]);

      const target = keeper.stages[1]?.id as string;
      const deleted = await call(admin, "DELETE", `/api/v1/pipelines/${doomed.id}?moveDealsTo=${target}`);
      expect(deleted.body).toEqual({ id: doomed.id, deleted: true, movedDeals: 1 });
      expect((await pipelines()).map((p) => p.id)).not.toContain(doomed.id);
      expect((await call(admin, "GET", `/api/v1/pipelines/${doomed.id}`)).status).toBe(404);
      const moved = await getDeal(deal.id);
      expect(moved).toMatchObject({ stageId: target, pipelineId: keeper.id, version: deal.version + 1 });
      expect(await stageHistory(deal.id)).toEqual([
        { from_stage_id: null, to_stage_id: doomed.stages[2]?.id, source: "created" },
        { from_stage_id: doomed.stages[2]?.id, to_stage_id: target, source: "admin" },
      ]);
      expect(await audits("deal.stage_changed", deal.id)).toHaveLength(1);
      expect(await audits("pipeline.deleted", doomed.id)).toHaveLength(1);
      // A removed pipeline's stages take no new deals.
      const late = await call(admin, "POST", "/api/v1/deals", {
        name: "Late",
        stageId: doomed.stages[0]?.id,
      });
      expect([late.status, problem(late).code]).toEqual([404, "stage_not_found"]);

      const empty = await newPipeline("Empty");
      expect((await call(admin, "DELETE", `/api/v1/pipelines/${empty.id}`)).body).toEqual({
        id: empty.id,
        deleted: true,
        movedDeals: 0,
      });
    });
  });

  describe("stages", () => {
    it("adds a stage where it is asked for, and takes the pipeline's version", async () => {
      const p = await newPipeline("Adding");
      const added = as<Pipeline>(
        201,
        await call(admin, "POST", `/api/v1/pipelines/${p.id}/stages`, {
          name: "Demo",
          probability: 40,
          kind: "open",
          position: 2,
          version: p.version,
        }),
      );
      expect(added.stages.map((s) => s.name)).toEqual([
        "Prospecting",
        "Qualification",
        "Demo",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
      ]);
      expect(added.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(added.version).toBe(p.version + 1);
      const stale = await call(admin, "POST", `/api/v1/pipelines/${p.id}/stages`, {
        name: "Late",
        probability: 40,
        kind: "open",
        version: p.version,
      });
      expect(stale.status).toBe(409);
      expect(problem(stale)).toMatchObject({
        code: "version_conflict",
        current: { id: p.id, version: added.version },
      });
    });

    it("renames a stage and the deals' history shows the same stage id with the new name", async () => {
      const p = await newPipeline("Renaming");
      const [first, second] = p.stages as [Pipeline["stages"][number], Pipeline["stages"][number]];
      const contact = parse(
        Contact,
        await call(admin, "POST", "/api/v1/contacts", { displayName: "History Holder" }),
      );
      const deal = parse(
        DealWithStage,
        await call(admin, "POST", "/api/v1/deals", {
          name: "Historic",
          stageId: first.id,
          contactIds: [contact.id],
        }),
      );
      parse(
        DealWithStage,
        await call(admin, "POST", `/api/v1/deals/${deal.id}/stage`, {
          stageId: second.id,
          version: deal.version,
        }),
      );
      const renamed = parse(
        Pipeline,
        await call(admin, "PATCH", `/api/v1/pipelines/${p.id}/stages/${first.id}`, {
          name: "First contact",
          version: p.version,
        }),
      );
      expect(renamed.stages[0]).toMatchObject({
        id: first.id,
        name: "First contact",
        probability: first.probability,
      });
      const timeline = parse(Timeline, await call(admin, "GET", `/api/v1/contacts/${contact.id}/timeline`));
      const changes = timeline.items.flatMap((i) => (i.type === "stage_change" ? [i.stageChange] : []));
      expect(changes.map((c) => [c.fromStage, c.toStage])).toEqual([
        [
          { id: first.id, name: "First contact" },
          { id: second.id, name: second.name },
        ],
        [null, { id: first.id, name: "First contact" }],
      ]);
      expect(await stageHistory(deal.id)).toEqual([
        { from_stage_id: null, to_stage_id: first.id, source: "created" },
        { from_stage_id: first.id, to_stage_id: second.id, source: "api" },
      ]);
      expect(await audits("stage.updated", first.id)).toHaveLength(1);
    });

    it("reorders stages with exactly the pipeline's stages: missing, duplicate or another pipeline's is 400, unknown or foreign 404, stale 409", async () => {
      const p = await newPipeline("Ordering");
      const other = await newPipeline("Other");
      const ids = p.stages.map((s) => s.id);
      const reordered = [ids[1], ids[0], ...ids.slice(2)] as string[];
      const path = `/api/v1/pipelines/${p.id}/stages/order`;
      const foreignToken = await server.token("eve@other-org.example");
      const foreignStage = parse(PipelineList, await call(foreignToken, "GET", "/api/v1/pipelines"))
        .pipelines[0]?.stages[0]?.id as string;

      const cases: [string, string[], number, string][] = [
        ["missing", ids.slice(1), 400, "invalid_request"],
        ["duplicate", [...ids, ids[0] as string], 400, "invalid_request"],
        ["another pipeline's", [...ids.slice(1), other.stages[0]?.id as string], 400, "invalid_request"],
        ["unknown", [...ids.slice(1), randomUUID()], 404, "stage_not_found"],
        ["another organisation's", [...ids.slice(1), foreignStage], 404, "stage_not_found"],
      ];
      for (const [what, stageIds, status, code] of cases) {
        const response = await call(admin, "POST", path, { stageIds, version: p.version });
        expect([what, response.status, problem(response).code]).toEqual([what, status, code]);
      }
      const anotherPipelines = await call(admin, "POST", path, {
        stageIds: [...ids.slice(1), other.stages[0]?.id],
        version: p.version,
      });
      expect(problem(anotherPipelines).errors).toEqual([
        { path: "body.stageIds.5", message: "a stage of another pipeline" },
      ]);
      expect(parse(Pipeline, await call(admin, "GET", `/api/v1/pipelines/${p.id}`))).toEqual(p);

      const done = parse(
        Pipeline,
        await call(admin, "POST", path, { stageIds: reordered, version: p.version }),
      );
      expect(done.stages.map((s) => s.id)).toEqual(reordered);
      expect(done.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5]);
      const stale = await call(admin, "POST", path, { stageIds: ids, version: p.version });
      expect(stale.status).toBe(409);
      expect(problem(stale)).toMatchObject({ code: "version_conflict", current: { version: done.version } });
      expect((problem(stale).current as Pipeline).stages.map((s) => s.id)).toEqual(reordered);
    });

    it("sets probability (0-100) and kind, keeping an open, a won and a lost stage; deals follow their stage's kind", async () => {
      let p = await newPipeline("Kinds");
      const stage = (i: number) => p.stages[i] as Pipeline["stages"][number];
      const patch = (i: number, body: Record<string, unknown>) =>
        call(admin, "PATCH", `/api/v1/pipelines/${p.id}/stages/${stage(i).id}`, {
          ...body,
          version: p.version,
        });

      for (const probability of [-1, 101, 50.5, "50"])
        expect([probability, (await patch(0, { probability })).status]).toEqual([probability, 400]);
      expect((await patch(0, { kind: "paused" })).status).toBe(400);
      p = parse(Pipeline, await patch(0, { probability: 0 }));
      p = parse(Pipeline, await patch(0, { probability: 100 }));
      expect(stage(0).probability).toBe(100);

      const lastWon = await patch(4, { kind: "open" });
      expect([lastWon.status, problem(lastWon).code]).toEqual([409, "stage_kinds_required"]);
      const lastLost = await patch(5, { kind: "won" });
      expect([lastLost.status, problem(lastLost).code]).toEqual([409, "stage_kinds_required"]);

      const deal = await newDeal("Closing with its stage", stage(3).id);
      p = parse(Pipeline, await patch(3, { kind: "won" }));
      const won = await getDeal(deal.id);
      expect(won).toMatchObject({ status: "won", version: deal.version + 1 });
      expect(won.closedAt).not.toBeNull();
      // The last open stage left cannot close too, and the pipeline is unchanged by the refusal.
      p = parse(Pipeline, await patch(0, { kind: "lost" }));
      p = parse(Pipeline, await patch(1, { kind: "lost" }));
      const lastOpen = await patch(2, { kind: "won" });
      expect([lastOpen.status, problem(lastOpen).code]).toEqual([409, "stage_kinds_required"]);
      expect(parse(Pipeline, await call(admin, "GET", `/api/v1/pipelines/${p.id}`))).toEqual(p);
      p = parse(Pipeline, await patch(3, { kind: "open" }));
      expect(await getDeal(deal.id)).toMatchObject({
        status: "open",
        closedAt: null,
        version: deal.version + 2,
      });
    });

    it("refuses to delete a stage with deals without moveDealsTo (nothing changes), and with it moves them, recorded and audited", async () => {
      const p = await newPipeline("Removing");
      const other = await newPipeline("Elsewhere");
      const proposal = p.stages[2] as Pipeline["stages"][number];
      const negotiation = p.stages[3] as Pipeline["stages"][number];
      const contact = parse(
        Contact,
        await call(admin, "POST", "/api/v1/contacts", { displayName: "Deal Watcher" }),
      );
      const deals = [
        parse(
          DealWithStage,
          await call(admin, "POST", "/api/v1/deals", {
            name: "One",
            stageId: proposal.id,
            contactIds: [contact.id],
          }),
        ),
        await newDeal("Two", proposal.id),
      ];
      const path = `/api/v1/pipelines/${p.id}/stages/${proposal.id}`;

      const refused = await call(admin, "DELETE", path);
      expect([refused.status, problem(refused).code]).toEqual([409, "stage_has_deals"]);
      expect(parse(Pipeline, await call(admin, "GET", `/api/v1/pipelines/${p.id}`))).toEqual(p);
      for (const deal of deals) expect(await getDeal(deal.id)).toEqual(deal);

      const outside = await call(admin, "DELETE", `${path}?moveDealsTo=${other.stages[2]?.id}`);
      expect([outside.status, problem(outside).errors?.[0]?.path]).toEqual([400, "query.moveDealsTo"]);
      const itself = await call(admin, "DELETE", `${path}?moveDealsTo=${proposal.id}`);
      expect(itself.status).toBe(400);
      const unknown = await call(admin, "DELETE", `${path}?moveDealsTo=${randomUUID()}`);
      expect([unknown.status, problem(unknown).code]).toEqual([404, "stage_not_found"]);
      expect(parse(Pipeline, await call(admin, "GET", `/api/v1/pipelines/${p.id}`))).toEqual(p);

      const deleted = await call(admin, "DELETE", `${path}?moveDealsTo=${negotiation.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ id: proposal.id, deleted: true, movedDeals: 2 });
      const after = parse(Pipeline, await call(admin, "GET", `/api/v1/pipelines/${p.id}`));
      expect(after.stages.map((s) => s.name)).toEqual([
        "Prospecting",
        "Qualification",
        "Negotiation",
        "Won",
        "Lost",
      ]);
      expect(after.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4]);
      for (const deal of deals) {
        expect(await getDeal(deal.id)).toMatchObject({ stageId: negotiation.id, version: deal.version + 1 });
        expect((await stageHistory(deal.id)).at(-1)).toEqual({
          from_stage_id: proposal.id,
          to_stage_id: negotiation.id,
          source: "admin",
        });
        expect(await audits("deal.stage_changed", deal.id)).toHaveLength(1);
      }
      expect(await audits("stage.deleted", proposal.id)).toHaveLength(1);
      // The history still names the removed stage.
      const timeline = parse(Timeline, await call(admin, "GET", `/api/v1/contacts/${contact.id}/timeline`));
      const latest = timeline.items.find((i) => i.type === "stage_change");
      expect(latest?.type === "stage_change" && latest.stageChange.fromStage).toEqual({
        id: proposal.id,
        name: "Proposal",
      });
      // A deal cannot be moved into the removed stage.
      const back = await call(admin, "POST", `/api/v1/deals/${deals[0]?.id}/stage`, {
        stageId: proposal.id,
        version: (deals[0]?.version ?? 0) + 1,
      });
      expect([back.status, problem(back).code]).toEqual([404, "stage_not_found"]);

      const empty = await call(admin, "DELETE", `/api/v1/pipelines/${p.id}/stages/${p.stages[0]?.id}`);
      expect(empty.body).toMatchObject({ deleted: true, movedDeals: 0 });
      const onlyLost = await call(admin, "DELETE", `/api/v1/pipelines/${p.id}/stages/${p.stages[5]?.id}`);
      expect([onlyLost.status, problem(onlyLost).code]).toEqual([409, "stage_kinds_required"]);
      const wrongPipeline = await call(
        admin,
        "DELETE",
        `/api/v1/pipelines/${other.id}/stages/${negotiation.id}`,
      );
      expect([wrongPipeline.status, problem(wrongPipeline).code]).toEqual([404, "stage_not_found"]);
    });
  });

  describe("custom fields", () => {
    const define = async (body: Record<string, unknown>) =>
      parse(CustomFieldDefinition, await call(admin, "POST", "/api/v1/custom-fields", body));

    beforeAll(async () => {
      for (const entity of ["contact", "company", "deal"]) {
        await define({ entity, key: "notes_text", label: "Notes", type: "text" });
        await define({ entity, key: "size", label: "Size", type: "number" });
        await define({ entity, key: "renewal", label: "Renewal", type: "date" });
        await define({ entity, key: "tier", label: "Tier", type: "choice", choices: ["gold", "silver"] });
      }
    });

    it("defines fields with a unique key per entity and choices only for a choice field", async () => {
      const taken = await call(admin, "POST", "/api/v1/custom-fields", {
        entity: "contact",
        key: "size",
        label: "Again",
        type: "text",
      });
      expect([taken.status, problem(taken).code]).toEqual([409, "custom_field_key_taken"]);
      for (const [what, body, path] of [
        ["choice without choices", { entity: "deal", key: "c1", label: "C", type: "choice" }, "body.choices"],
        [
          "choices on text",
          { entity: "deal", key: "c2", label: "C", type: "text", choices: ["a"] },
          "body.choices",
        ],
        [
          "duplicate choices",
          { entity: "deal", key: "c3", label: "C", type: "choice", choices: ["a", "a"] },
          "body.choices",
        ],
        ["bad key", { entity: "deal", key: "Bad Key", label: "C", type: "text" }, "body.key"],
        ["unknown type", { entity: "deal", key: "c4", label: "C", type: "boolean" }, "body.type"],
        ["unknown entity", { entity: "task", key: "c5", label: "C", type: "text" }, "body.entity"],
      ] as const) {
        const response = await call(admin, "POST", "/api/v1/custom-fields", body);
        expect([what, response.status, problem(response).errors?.[0]?.path]).toEqual([what, 400, path]);
      }
      const list = parse(
        CustomFieldDefinitionList,
        await call(member, "GET", "/api/v1/custom-fields?entity=company"),
      );
      expect(list.items.map((f) => f.key)).toEqual(["notes_text", "size", "renewal", "tier"]);
    });

    const good = { notes_text: "Met at the fair", size: 250, renewal: "2027-02-28", tier: "gold" };
    const bad: [string, Record<string, unknown>, string][] = [
      ["an unknown key", { colour: "red" }, "body.customFields.colour"],
      ["text as a number", { notes_text: 12 }, "body.customFields.notes_text"],
      ["a number as text", { size: "250" }, "body.customFields.size"],
      ["a flag", { size: true }, "body.customFields.size"],
      ["a date that does not exist", { renewal: "2027-02-30" }, "body.customFields.renewal"],
      ["a date in another format", { renewal: "28/02/2027" }, "body.customFields.renewal"],
      ["a date and time", { renewal: "2027-02-28T10:00:00Z" }, "body.customFields.renewal"],
      ["a choice not offered", { tier: "platinum" }, "body.customFields.tier"],
      ["a choice in another case", { tier: "Gold" }, "body.customFields.tier"],
    ];

    it.each([
      ["contact", "/api/v1/contacts", { displayName: "Custom Carla" }, Contact],
      ["company", "/api/v1/companies", { name: "Custom Co" }, Company],
      ["deal", "/api/v1/deals", { name: "Custom deal" }, DealWithStage],
    ] as const)(
      "checks a %s's values on create and update, naming the field",
      async (_entity, base, minimal, schema) => {
        for (const [what, customFields, path] of bad) {
          const response = await call(admin, "POST", base, { ...minimal, customFields });
          expect([what, response.status, problem(response).code, problem(response).errors]).toEqual([
            what,
            400,
            "invalid_request",
            [{ path, message: expect.any(String) }],
          ]);
        }
        const created = parse(
          schema,
          await call(admin, "POST", base, { ...minimal, customFields: { ...good, size: null } }),
        );
        // null clears: nothing stored for it.
        expect(created.customFields).toEqual({
          notes_text: good.notes_text,
          renewal: good.renewal,
          tier: good.tier,
        });
        expect(parse(schema, await call(admin, "GET", `${base}/${created.id}`)).customFields).toEqual(
          created.customFields,
        );
        for (const [what, customFields, path] of bad) {
          const response = await call(admin, "PATCH", `${base}/${created.id}`, {
            customFields,
            version: created.version,
          });
          expect([what, response.status, problem(response).errors?.[0]?.path]).toEqual([what, 400, path]);
        }
        expect(parse(schema, await call(admin, "GET", `${base}/${created.id}`))).toEqual(created);
        const updated = parse(
          schema,
          await call(admin, "PATCH", `${base}/${created.id}`, {
            customFields: good,
            version: created.version,
          }),
        );
        expect(updated.customFields).toEqual(good);
        // Two wrong fields: both named.
        const two = await call(admin, "PATCH", `${base}/${created.id}`, {
          customFields: { size: "x", nope: 1 },
          version: updated.version,
        });
        expect(
          problem(two)
            .errors?.map((e) => e.path)
            .sort(),
        ).toEqual(["body.customFields.nope", "body.customFields.size"]);
      },
    );

    it("requires a required field on create and when the fields are replaced, not on other updates", async () => {
      const required = await define({
        entity: "company",
        key: "region",
        label: "Region",
        type: "text",
        required: true,
      });
      const missing = await call(admin, "POST", "/api/v1/companies", { name: "No region" });
      expect([missing.status, problem(missing).errors]).toEqual([
        400,
        [{ path: "body.customFields.region", message: '"Region" is required' }],
      ]);
      const empty = await call(admin, "POST", "/api/v1/companies", {
        name: "Empty region",
        customFields: { region: "" },
      });
      expect(empty.status).toBe(400);
      const company = parse(
        Company,
        await call(admin, "POST", "/api/v1/companies", {
          name: "Has region",
          customFields: { region: "EMEA" },
        }),
      );
      const renamed = parse(
        Company,
        await call(admin, "PATCH", `/api/v1/companies/${company.id}`, {
          name: "Has region 2",
          version: company.version,
        }),
      );
      expect(renamed.customFields).toEqual({ region: "EMEA" });
      const cleared = await call(admin, "PATCH", `/api/v1/companies/${company.id}`, {
        customFields: { size: 3 },
        version: renamed.version,
      });
      expect(problem(cleared).errors?.[0]?.path).toBe("body.customFields.region");
      await call(admin, "DELETE", `/api/v1/custom-fields/${required.id}`);
    });

    it("keeps values when a label changes, refuses to take away a choice in use, and removes values with the field", async () => {
      const field = await define({
        entity: "contact",
        key: "channel",
        label: "Channel",
        type: "choice",
        choices: ["web", "fair"],
      });
      const contact = parse(
        Contact,
        await call(admin, "POST", "/api/v1/contacts", {
          displayName: "Channel Chad",
          customFields: { channel: "fair" },
        }),
      );
      const relabelled = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          label: "Lead channel",
          version: field.version,
        }),
      );
      expect(relabelled).toMatchObject({ label: "Lead channel", key: "channel", version: field.version + 1 });
      expect(parse(Contact, await call(admin, "GET", `/api/v1/contacts/${contact.id}`)).customFields).toEqual(
        {
          channel: "fair",
        },
      );
      const stale = await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
        label: "Lost",
        version: field.version,
      });
      expect([stale.status, problem(stale).current]).toEqual([
        409,
        expect.objectContaining({ label: "Lead channel" }),
      ]);

      const inUse = await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
        choices: ["web"],
        version: relabelled.version,
      });
      expect([inUse.status, problem(inUse).code]).toEqual([409, "custom_field_in_use"]);
      const added = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          choices: ["web", "fair", "referral"],
          version: relabelled.version,
        }),
      );
      expect(added.choices).toEqual(["web", "fair", "referral"]);
      const notChoice = (await define({
        entity: "contact",
        key: "plain",
        label: "Plain",
        type: "text",
      })) as CustomFieldDefinition;
      const choicesOnText = await call(admin, "PATCH", `/api/v1/custom-fields/${notChoice.id}`, {
        choices: ["a"],
        version: notChoice.version,
      });
      expect(choicesOnText.status).toBe(400);

      const removed = await call(admin, "DELETE", `/api/v1/custom-fields/${field.id}`);
      expect(removed.body).toEqual({ id: field.id, deleted: true, clearedRecords: 1 });
      const after = parse(Contact, await call(admin, "GET", `/api/v1/contacts/${contact.id}`));
      expect(after.customFields).toEqual({});
      expect(after.version).toBe(contact.version + 1);
      expect((await call(admin, "DELETE", `/api/v1/custom-fields/${field.id}`)).status).toBe(404);
      // The key is free again, and an old value is no longer accepted until it is.
      const again = await call(admin, "POST", "/api/v1/contacts", {
        displayName: "Old",
        customFields: { channel: "fair" },
      });
      expect(problem(again).errors?.[0]?.path).toBe("body.customFields.channel");
      expect(await audits("custom_field.deleted", field.id)).toHaveLength(1);
    });

    it("renames or removes a choice no record holds, refuses one a record holds, and turns required on and off", async () => {
      const field = await define({
        entity: "deal",
        key: "source",
        label: "Source",
        type: "choice",
        choices: ["web", "fair", "referal"],
      });
      const stageId = (await pipelines()).find((p) => p.isDefault)?.stages[0]?.id as string;
      const deal = parse(
        DealWithStage,
        await call(admin, "POST", "/api/v1/deals", {
          name: "Sourced",
          stageId,
          customFields: { source: "fair" },
        }),
      );
      // A rename is the old choice taken away and a new one added: allowed while no record holds the old one.
      const renamed = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          choices: ["web", "fair", "referral"],
          version: field.version,
        }),
      );
      expect(renamed.choices).toEqual(["web", "fair", "referral"]);
      const renameHeld = await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
        choices: ["web", "trade fair", "referral"],
        version: renamed.version,
      });
      expect([renameHeld.status, problem(renameHeld).code]).toEqual([409, "custom_field_in_use"]);
      expect(problem(renameHeld).detail).toMatch(/^1 record\(s\) hold a choice being taken away \(fair\)/);
      const unchanged = parse(CustomFieldDefinitionList, await call(admin, "GET", "/api/v1/custom-fields"));
      expect(unchanged.items.find((f) => f.id === field.id)).toMatchObject({
        choices: ["web", "fair", "referral"],
        version: renamed.version,
      });
      const removed = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          choices: ["fair", "referral"],
          version: renamed.version,
        }),
      );
      expect(removed.choices).toEqual(["fair", "referral"]);

      const required = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          required: true,
          version: removed.version,
        }),
      );
      expect(required).toMatchObject({ required: true, choices: ["fair", "referral"] });
      const missing = await call(admin, "POST", "/api/v1/deals", { name: "No source", stageId });
      expect(problem(missing).errors).toEqual([
        { path: "body.customFields.source", message: '"Source" is required' },
      ]);
      // A record stored before the field became required keeps its value and stays readable.
      expect((await getDeal(deal.id)).customFields).toEqual({ source: "fair" });
      const optional = parse(
        CustomFieldDefinition,
        await call(admin, "PATCH", `/api/v1/custom-fields/${field.id}`, {
          required: false,
          version: required.version,
        }),
      );
      expect(optional.required).toBe(false);
      expect((await call(admin, "POST", "/api/v1/deals", { name: "No source", stageId })).status).toBe(201);
      const memberTry = await call(member, "PATCH", `/api/v1/custom-fields/${field.id}`, {
        required: true,
        version: optional.version,
      });
      expect([memberTry.status, problem(memberTry).code]).toEqual([403, "forbidden"]);
      await call(admin, "DELETE", `/api/v1/custom-fields/${field.id}`);
    });
  });

  describe("tags", () => {
    it("lists the tags in use with counts, renames one everywhere (merging) and deletes one everywhere", async () => {
      const tagOrg = await server.token("tia@tags.example");
      const tagMember = await server.token("tom@tags.example");
      const make = async (displayName: string, tags: string[]) =>
        parse(Contact, await call(tagOrg, "POST", "/api/v1/contacts", { displayName, tags }));
      const a = await make("A", ["vip", "lead-2026", "fair"]);
      const b = await make("B", ["VIP", "vip"]);
      const c = await make("C", ["fair"]);
      await make("D", []);
      const list = async () => parse(TagList, await call(tagMember, "GET", "/api/v1/tags")).items;
      expect(await list()).toEqual([
        { name: "fair", contacts: 2 },
        { name: "lead-2026", contacts: 1 },
        { name: "VIP", contacts: 1 },
        { name: "vip", contacts: 2 },
      ]);

      const renamed = await call(tagOrg, "PATCH", "/api/v1/tags/vip", { name: "VIP" });
      expect(renamed.body).toEqual({ name: "VIP", contacts: 2 });
      const readA = parse(Contact, await call(tagOrg, "GET", `/api/v1/contacts/${a.id}`));
      expect(readA).toMatchObject({ tags: ["VIP", "lead-2026", "fair"], version: a.version + 1 });
      // B had both: it keeps the name once, where it first was.
      expect(parse(Contact, await call(tagOrg, "GET", `/api/v1/contacts/${b.id}`)).tags).toEqual(["VIP"]);

      const spaced = await call(tagOrg, "PATCH", `/api/v1/tags/${encodeURIComponent("lead-2026")}`, {
        name: "  Lead 2026 ",
      });
      expect(spaced.body).toEqual({ name: "Lead 2026", contacts: 1 });

      const deleted = await call(tagOrg, "DELETE", "/api/v1/tags/fair");
      expect(deleted.body).toEqual({ name: "fair", deleted: true, contacts: 2 });
      expect(parse(Contact, await call(tagOrg, "GET", `/api/v1/contacts/${c.id}`)).tags).toEqual([]);
      expect(await list()).toEqual([
        { name: "Lead 2026", contacts: 1 },
        { name: "VIP", contacts: 2 },
      ]);

      for (const [method, body] of [
        ["PATCH", { name: "x" }],
        ["DELETE", undefined],
      ] as const) {
        const none = await call(tagOrg, method, "/api/v1/tags/fair", body);
        expect([method, none.status, problem(none).code]).toEqual([method, 404, "not_found"]);
      }
      const tooLong = await call(tagOrg, "PATCH", "/api/v1/tags/VIP", { name: "x".repeat(51) });
      expect(tooLong.status).toBe(400);
      // Another organisation's tags are not touched, nor seen.
      expect((await call(admin, "DELETE", "/api/v1/tags/VIP")).status).toBe(404);
      expect((await list()).map((t) => t.name)).toEqual(["Lead 2026", "VIP"]);
      const audited = await server.database.db
        .selectFrom("audit_events")
        .select("action")
        .where("action", "in", ["tag.renamed", "tag.deleted"])
        .execute();
      expect(audited.map((r) => r.action).sort()).toEqual(["tag.deleted", "tag.renamed", "tag.renamed"]);
    });
  });

  describe("the organisation", () => {
    it("sets internal domains validated, lower-cased and deduplicated, with the version read", async () => {
      const org = parse(Organization, await call(member, "GET", "/api/v1/organization"));
      expect(org.internalDomains).toEqual(["settings.example"]);
      for (const [i, wrong] of [
        "not a domain",
        "https://contoso.com",
        "localhost",
        "10.0.0.1",
        "-x.com",
        "a..com",
        "",
      ].entries()) {
        const response = await call(admin, "PATCH", "/api/v1/organization", {
          internalDomains: ["settings.example", wrong],
          version: org.version,
        });
        expect([i, response.status, problem(response).errors?.[0]?.path]).toEqual([
          i,
          400,
          "body.internalDomains.1",
        ]);
      }
      const updated = parse(
        Organization,
        await call(admin, "PATCH", "/api/v1/organization", {
          internalDomains: [" Settings.EXAMPLE ", "@settings.example", "EU.Settings.example", "straße.de"],
          version: org.version,
        }),
      );
      expect(updated).toMatchObject({
        internalDomains: ["settings.example", "eu.settings.example", "straße.de"],
        version: org.version + 1,
      });
      expect(parse(Me, await call(member, "GET", "/api/v1/me")).organization.internalDomains).toEqual(
        updated.internalDomains,
      );
      const stale = await call(admin, "PATCH", "/api/v1/organization", {
        internalDomains: [],
        version: org.version,
      });
      expect([stale.status, problem(stale).code, problem(stale).current]).toEqual([
        409,
        "version_conflict",
        updated,
      ]);
      expect((await call(admin, "PATCH", "/api/v1/organization", { version: updated.version })).status).toBe(
        400,
      );
      const renamed = parse(
        Organization,
        await call(admin, "PATCH", "/api/v1/organization", {
          name: "Settings Ltd",
          version: updated.version,
        }),
      );
      expect(renamed).toMatchObject({ name: "Settings Ltd", internalDomains: updated.internalDomains });
      expect(await audits("organization.updated", org.id)).toHaveLength(2);
    });

    it("keeps internal domains as written, one per domain in either spelling, and knows mail in either spelling as internal", async () => {
      const org = parse(Organization, await call(admin, "GET", "/api/v1/organization"));
      const updated = parse(
        Organization,
        await call(admin, "PATCH", "/api/v1/organization", {
          internalDomains: ["Müller.example", "xn--mller-kva.example", "settings.example"],
          version: org.version,
        }),
      );
      expect(updated.internalDomains).toEqual(["müller.example", "settings.example"]);
      const me = parse(Me, await call(member, "GET", "/api/v1/me"));
      expect(me.organization.internalDomains).toEqual(["müller.example", "settings.example"]);
      // What the pane compares with: canonical.
      expect(me.privacy.internalDomains).toEqual(["xn--mller-kva.example", "settings.example"]);
      const [punycode, unicode] = await lookupPeople(server, member, [
        "ole@xn--mller-kva.example",
        "ole@eu.müller.example",
      ]);
      expect([punycode?.suggestion?.internal, unicode?.suggestion?.internal]).toEqual([true, true]);
      const logged = await call(member, "POST", "/api/v1/emails", {
        internetMessageId: "<internal-spelling@settings.example>",
        from: { address: "ole@xn--mller-kva.example" },
        to: [{ address: "kund@customer.example" }],
        sentAt: "2026-11-20T09:30:00.000Z",
      });
      expect(parse(LoggedEmail, logged).interaction.direction).toBe("out");
    });
  });

  describe("base currency and exchange rates", () => {
    const currencies = async (token = admin) =>
      parse(Currencies, await call(token, "GET", "/api/v1/currencies"));
    const setRate = (body: unknown) => call(admin, "POST", "/api/v1/currencies/rates", body);
    const orgId = async () => parse(Me, await call(admin, "GET", "/api/v1/me")).organization.id;

    it("refuses a code ISO 4217 does not define and a rate that is not a positive decimal: 400, nothing stored", async () => {
      const before = await currencies();
      const base = before.baseCurrency;
      const refused: [unknown, string][] = [
        [{ currency: "XYZ", rate: "1.5", baseCurrency: base }, "body.currency"],
        [{ currency: "EURO", rate: "1.5", baseCurrency: base }, "body.currency"],
        [{ currency: "", rate: "1.5", baseCurrency: base }, "body.currency"],
        [{ currency: "SEK", rate: "0", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "0.0000000000", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "-0.5", baseCurrency: base }, "body.rate"],
        // The API takes the rate with a dot only; the web app reads a typed comma into one, never a
        // thousands separator.
        [{ currency: "SEK", rate: "0,087", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "1.234,5", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "1,234.5", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "1 234.5", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "1.2.3", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "1e-2", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "NaN", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: 0.087, baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "0.12345678901", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "12345678901", baseCurrency: base }, "body.rate"],
        [{ currency: "SEK", rate: "0.087" }, "body.baseCurrency"],
        [{ currency: "SEK", rate: "0.087", baseCurrency: base, setAt: "2020-01-01T00:00:00Z" }, "body"],
        // The base's own rate is 1 by definition.
        [{ currency: base, rate: "1", baseCurrency: base }, "body.currency"],
      ];
      for (const [body, path] of refused) {
        const response = await setRate(body);
        expect([body, response.status, problem(response).code, problem(response).errors?.[0]?.path]).toEqual([
          body,
          400,
          "invalid_request",
          path,
        ]);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
      }
      for (const body of [{ baseCurrency: "XYZ" }, { baseCurrency: "eu" }, { baseCurrency: 978 }, {}]) {
        const response = await call(admin, "PATCH", "/api/v1/currencies", body);
        expect([body, response.status, problem(response).code]).toEqual([body, 400, "invalid_request"]);
      }
      const unknown = await call(admin, "DELETE", "/api/v1/currencies/rates/XYZ");
      expect([unknown.status, problem(unknown).code]).toEqual([404, "not_found"]);
      expect(await currencies()).toEqual(before);
    });

    it("sets a rate as typed, with when and by whom, replaces it and removes it, each change audited", async () => {
      const me = parse(Me, await call(admin, "GET", "/api/v1/me")).user;
      const created = await setRate({ currency: "sek", rate: " 0.0870 ", baseCurrency: "eur" });
      const rate = parse(ExchangeRate, { body: as(201, created) } as Response);
      expect(rate).toMatchObject({ currency: "SEK", rate: "0.087", setBy: { id: me.id, name: me.email } });
      // Everyone reads the rates; a member sees what the admin set.
      expect((await currencies(member)).rates).toContainEqual(rate);

      const replaced = parse(ExchangeRate, {
        body: as(200, await setRate({ currency: "SEK", rate: "0.0865", baseCurrency: "EUR" })),
      } as Response);
      expect(replaced.rate).toBe("0.0865");
      expect(Date.parse(replaced.setAt)).toBeGreaterThanOrEqual(Date.parse(rate.setAt));
      expect((await currencies()).rates.filter((r) => r.currency === "SEK")).toEqual([replaced]);

      expect(as(200, await call(admin, "DELETE", "/api/v1/currencies/rates/sek"))).toEqual({
        currency: "SEK",
        deleted: true,
      });
      const again = await call(admin, "DELETE", "/api/v1/currencies/rates/SEK");
      expect([again.status, problem(again).code]).toEqual([404, "not_found"]);
      expect((await currencies()).rates.map((r) => r.currency)).not.toContain("SEK");

      // Exact at the widest a rate may be, which a float would round to 10000000000.
      const widest = await setRate({ currency: "IDR", rate: "9999999999.9999999999", baseCurrency: "EUR" });
      expect(parse(ExchangeRate, { body: as(201, widest) } as Response).rate).toBe("9999999999.9999999999");
      expect((await currencies()).rates.find((r) => r.currency === "IDR")?.rate).toBe(
        "9999999999.9999999999",
      );
      as(200, await call(admin, "DELETE", "/api/v1/currencies/rates/IDR"));

      const org = await orgId();
      expect((await audits("exchange_rate.set", org)).map((a) => a.details)).toEqual(
        expect.arrayContaining([
          { currency: "SEK", rate: "0.0870", baseCurrency: "EUR", previous: null },
          { currency: "SEK", rate: "0.0865", baseCurrency: "EUR", previous: "0.087" },
        ]),
      );
      expect((await audits("exchange_rate.removed", org)).map((a) => a.details)).toContainEqual({
        currency: "SEK",
        rate: "0.0865",
      });
    });

    it("lists the currencies the deals are in, with how many, deals without one last", async () => {
      for (const currency of ["NOK", "NOK", "CHF"])
        as(201, await call(admin, "POST", "/api/v1/deals", { name: `In ${currency}`, amount: 10, currency }));
      as(201, await call(admin, "POST", "/api/v1/deals", { name: "In no currency", amount: 10 }));
      const { dealCurrencies } = await currencies(member);
      expect(dealCurrencies.filter((d) => d.currency !== null)).toEqual([
        { currency: "CHF", deals: 1 },
        { currency: "NOK", deals: 2 },
      ]);
      expect(dealCurrencies.at(-1)?.currency).toBeNull();
    });

    it("removes the rates with a new base currency, which they were not to; naming the same base keeps them", async () => {
      as(201, await setRate({ currency: "NOK", rate: "0.0855", baseCurrency: "EUR" }));
      const before = await currencies();
      expect(before.rates.map((r) => r.currency)).toContain("NOK");
      expect(
        parse(Currencies, await call(admin, "PATCH", "/api/v1/currencies", { baseCurrency: "eur" })),
      ).toEqual(before);
      const changed = parse(
        Currencies,
        await call(admin, "PATCH", "/api/v1/currencies", { baseCurrency: "SEK" }),
      );
      expect(changed).toMatchObject({ baseCurrency: "SEK", rates: [] });
      expect((await currencies(member)).baseCurrency).toBe("SEK");
      const [event] = await audits("organization.base_currency", await orgId());
      expect(event?.details).toEqual({
        from: "EUR",
        to: "SEK",
        removedRates: before.rates.map((r) => ({ currency: r.currency, rate: r.rate })),
      });
    });

    it("refuses a rate meant for a base another admin changed meanwhile (409 base_currency_changed), storing nothing", async () => {
      const now = await currencies();
      expect(now.baseCurrency).toBe("SEK");
      const stale = await setRate({ currency: "NOK", rate: "0.0855", baseCurrency: "EUR" });
      expect([stale.status, problem(stale).code, problem(stale).current]).toEqual([
        409,
        "base_currency_changed",
        now,
      ]);
      expect(await currencies()).toEqual(now);
      // To the base it is now, the same rate is taken.
      expect((await setRate({ currency: "NOK", rate: "0.93", baseCurrency: "SEK" })).status).toBe(201);
    });
  });

  describe("users and roles", () => {
    it("lists users for everyone, lets admins change roles, never leaves the organisation without an admin", async () => {
      const boss = await server.token("boss@roles.example");
      const rep = await server.token("rep@roles.example");
      const list = async (token: string) => parse(UserList, await call(token, "GET", "/api/v1/users")).items;
      // Signed in in this order: the first one is the organisation's admin.
      await call(boss, "GET", "/api/v1/me");
      await call(rep, "GET", "/api/v1/me");
      const users = await list(rep);
      expect(users.map((u) => [u.email, u.role])).toEqual([
        ["boss@roles.example", "admin"],
        ["rep@roles.example", "member"],
      ]);
      // Seen as they signed in, the first time too.
      expect(users.map((u) => u.lastSeenAt === null)).toEqual([false, false]);
      const [bossUser, repUser] = users as [User, User];

      const last = await call(boss, "PATCH", `/api/v1/users/${bossUser.id}`, { role: "member" });
      expect([last.status, problem(last).code]).toEqual([409, "last_admin"]);
      expect((await list(boss))[0]?.role).toBe("admin");

      const promoted = parse(
        User,
        await call(boss, "PATCH", `/api/v1/users/${repUser.id}`, { role: "admin" }),
      );
      expect(promoted.role).toBe("admin");
      // The promoted user may act at once, though the server remembered them as a member.
      expect(
        (await call(rep, "PATCH", "/api/v1/organization/logging-policy", { syncAllMailboxes: false })).status,
      ).toBe(200);
      // Now the first admin may step down; then they lose their rights at once.
      expect(
        parse(User, await call(boss, "PATCH", `/api/v1/users/${bossUser.id}`, { role: "member" })).role,
      ).toBe("member");
      const demoted = await call(boss, "POST", "/api/v1/pipelines", { name: "After demotion" });
      expect([demoted.status, problem(demoted).code]).toEqual([403, "forbidden"]);
      expect((await call(boss, "PATCH", `/api/v1/users/${bossUser.id}`, { role: "admin" })).status).toBe(403);
      const lastAgain = await call(rep, "PATCH", `/api/v1/users/${repUser.id}`, { role: "member" });
      expect([lastAgain.status, problem(lastAgain).code]).toEqual([409, "last_admin"]);
      expect(parse(Me, await call(boss, "GET", "/api/v1/me")).user.role).toBe("member");

      expect((await call(rep, "PATCH", `/api/v1/users/${randomUUID()}`, { role: "admin" })).status).toBe(404);
      const adaId = parse(Me, await call(admin, "GET", "/api/v1/me")).user.id;
      expect((await call(rep, "PATCH", `/api/v1/users/${adaId}`, { role: "member" })).status).toBe(404);
      expect((await call(rep, "PATCH", `/api/v1/users/${repUser.id}`, { role: "owner" })).status).toBe(400);
      expect(await audits("user.role_changed", repUser.id)).toHaveLength(1);
      expect(await audits("user.role_changed", bossUser.id)).toHaveLength(1);
    });

    it("keeps an admin when two admins demote each other at the same time", async () => {
      const one = await server.token("one@race.example");
      const two = await server.token("two@race.example");
      const users = async () => parse(UserList, await call(one, "GET", "/api/v1/users")).items;
      await call(one, "GET", "/api/v1/me");
      await call(two, "GET", "/api/v1/me");
      const [first, second] = (await users()) as [User, User];
      parse(User, await call(one, "PATCH", `/api/v1/users/${second.id}`, { role: "admin" }));
      const answers = await Promise.all([
        call(one, "PATCH", `/api/v1/users/${second.id}`, { role: "member" }),
        call(two, "PATCH", `/api/v1/users/${first.id}`, { role: "member" }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, expect.any(Number)]);
      expect((await users()).filter((u) => u.role === "admin")).toHaveLength(1);
    });
  });
});
