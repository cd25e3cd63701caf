import { type Kysely, sql } from "kysely";
import type {
  DealCreate,
  DealListQuery,
  DealUpdate,
  DealWithStage,
  MoveDealToStage,
} from "../../shared/deals";
import { deleteOwnedRecord, recordAudit } from "../audit";
import { checkCustomFields } from "../custom-fields/service";
import type { DB, DealRow, StageRow } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { NameCursor, byName, decodeCursor, likePattern, pageOf } from "../http/cursor";
import { firstOpenStage, getStage } from "../pipelines/service";
import { type Scope, iso, isoOrNull } from "../scope";
import { requireAdmin } from "../users/service";
import { fieldRefused } from "../products/service";
import { getDealLines, hasLines } from "./lines";
import { emitEvent } from "../webhooks/outbox";

type DealJoined = DealRow & {
  contact_ids: string[];
  stage_name: string;
  stage_position: number;
  stage_probability: number;
  stage_kind: StageRow["kind"];
};

/** Every deal the API returns carries its stage, read in the same query. */
export const toDeal = (row: DealJoined): DealWithStage => ({
  id: row.id,
  name: row.name,
  amount: row.amount,
  currency: row.currency,
  expectedCloseDate: row.expected_close_date,
  companyId: row.company_id,
  contactIds: row.contact_ids,
  ownerId: row.owner_id,
  pipelineId: row.pipeline_id,
  stageId: row.stage_id,
  status: row.stage_kind,
  closedAt: isoOrNull(row.closed_at),
  customFields: row.custom_fields,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
  stage: {
    id: row.stage_id,
    pipelineId: row.pipeline_id,
    name: row.stage_name,
    position: row.stage_position,
    probability: row.stage_probability,
    kind: row.stage_kind,
  },
});

export function selectDeals(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("deals as d")
    .innerJoin("stages as s", "s.id", "d.stage_id")
    .selectAll("d")
    .select([
      "s.name as stage_name",
      "s.position as stage_position",
      "s.probability as stage_probability",
      "s.kind as stage_kind",
    ])
    .select(
      sql<
        string[]
      >`array(select dc.contact_id from deal_contacts dc where dc.deal_id = d.id order by dc.contact_id)`.as(
        "contact_ids",
      ),
    )
    .where("d.org_id", "=", orgId);
}

/** The deals the list's filters match: the list pages them, the export takes them all, in the same order. */
export function matchingDeals(scope: Scope, query: Omit<DealListQuery, "cursor" | "limit">) {
  let select = selectDeals(scope.db, scope.caller.orgId);
  if (query.q) select = select.where("d.name", "ilike", likePattern(query.q));
  if (query.pipelineId) select = select.where("d.pipeline_id", "=", query.pipelineId);
  if (query.stageId) select = select.where("d.stage_id", "=", query.stageId);
  if (query.ownerId) select = select.where("d.owner_id", "=", query.ownerId);
  if (query.status) select = select.where("s.kind", "=", query.status);
  return select;
}

export const dealOrder = byName("d.name", "d.id");

export async function listDeals(scope: Scope, query: DealListQuery) {
  const after = decodeCursor(query.cursor, NameCursor);
  let select = matchingDeals(scope, query).select(dealOrder.key.as("sort_key"));
  if (after) select = select.where(dealOrder.after(after));
  const rows = await select
    .orderBy(dealOrder.key)
    .orderBy("d.id")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toDeal, (r) => [r.sort_key, r.id]);
}

export async function getDeal(scope: Scope, id: string): Promise<DealWithStage> {
  const row = await selectDeals(scope.db, scope.caller.orgId).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("The deal");
  return toDeal(row);
}

async function setDealContacts(
  tx: Kysely<DB>,
  orgId: string,
  dealId: string,
  contactIds: string[],
): Promise<void> {
  await tx.deleteFrom("deal_contacts").where("org_id", "=", orgId).where("deal_id", "=", dealId).execute();
  const unique = [...new Set(contactIds)];
  if (unique.length === 0) return;
  // The composite foreign key rejects a contact of another organisation as if it did not exist.
  await tx
    .insertInto("deal_contacts")
    .values(unique.map((contact_id) => ({ org_id: orgId, deal_id: dealId, contact_id })))
    .execute();
}

/**
 * When an admin dates a deal's history in the past (a move from another CRM, sample data): checked to be a
 * real past moment. Members cannot: a won deal dated into last quarter would change what the reports say.
 */
async function datedInThePast(
  tx: Kysely<DB>,
  scope: Scope,
  field: "openedAt" | "movedAt",
  value: string | undefined,
): Promise<Date | null> {
  if (value === undefined) return null;
  await requireAdmin(tx, scope.caller, "dates a deal's history in the past");
  const at = new Date(value);
  if (at.getTime() > Date.now())
    throw new AppError(
      "invalid_request",
      400,
      `${field} is in the future; a deal's history is in the past.`,
      {
        errors: [{ path: field, message: "must not be in the future" }],
      },
    );
  return at;
}

export async function createDeal(scope: Scope, input: DealCreate): Promise<DealWithStage> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    const openedAt = await datedInThePast(tx, scope, "openedAt", input.openedAt);
    const customFields = await checkCustomFields(tx, orgId, "deal", input.customFields ?? {});
    const stage = input.stageId ? await getStage(tx, orgId, input.stageId) : await firstOpenStage(tx, orgId);
    const row = await tx
      .insertInto("deals")
      .values({
        org_id: orgId,
        name: input.name,
        amount: input.amount ?? null,
        currency: input.currency ?? null,
        expected_close_date: input.expectedCloseDate ?? null,
        company_id: input.companyId ?? null,
        owner_id: input.ownerId === undefined ? userId : input.ownerId,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        closed_at: stage.kind === "open" ? null : (openedAt ?? new Date()),
        custom_fields: JSON.stringify(customFields),
        ...(openedAt ? { created_at: openedAt } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await setDealContacts(tx, orgId, row.id, input.contactIds ?? []);
    await tx
      .insertInto("deal_stage_changes")
      .values({
        org_id: orgId,
        deal_id: row.id,
        from_stage_id: null,
        to_stage_id: stage.id,
        changed_by: userId,
        source: "created",
        ...(openedAt ? { changed_at: openedAt } : {}),
      })
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "deal.created",
      { type: "deal", id: row.id },
      { stageId: stage.id, ...(openedAt ? { openedAt: iso(openedAt) } : {}) },
    );
    const deal = await getDeal({ ...scope, db: tx }, row.id);
    await emitEvent(tx, orgId, "deal.created", deal);
    // Made already won (or lost): an accounting system taking won deals as orders must hear of it too.
    if (stage.kind === "won")
      await emitEvent(tx, orgId, "deal.won", deal, () => asOrder({ ...scope, db: tx }, deal));
    else if (stage.kind === "lost") await emitEvent(tx, orgId, "deal.lost", deal);
    return deal;
  });
}

export async function updateDeal(
  scope: Scope,
  id: string,
  version: number,
  input: DealUpdate,
): Promise<DealWithStage> {
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const customFields =
      input.customFields === undefined
        ? undefined
        : await checkCustomFields(tx, scope.caller.orgId, "deal", input.customFields);
    if (input.amount !== undefined || input.currency !== undefined)
      await keepLinesAmount(tx, scope.caller.orgId, id, input);
    const row = await tx
      .updateTable("deals")
      .set({
        name: input.name,
        amount: input.amount,
        currency: input.currency,
        expected_close_date: input.expectedCloseDate,
        company_id: input.companyId,
        owner_id: input.ownerId,
        custom_fields: customFields === undefined ? undefined : JSON.stringify(customFields),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw versionConflict(await getDeal(txScope, id));
    if (input.contactIds !== undefined) await setDealContacts(tx, scope.caller.orgId, id, input.contactIds);
    await recordAudit(tx, scope.caller, "deal.updated", { type: "deal", id }, { fields: Object.keys(input) });
    return getDeal(txScope, id);
  });
}

/**
 * A deal with lines takes its amount and currency from them (PUT /deals/:id/lines): an update that sends them
 * as they are passes (a form sends every field), one that would change them is refused, naming the field.
 */
async function keepLinesAmount(tx: Kysely<DB>, orgId: string, id: string, input: DealUpdate): Promise<void> {
  if (!(await hasLines(tx, orgId, id))) return;
  const current = await tx
    .selectFrom("deals")
    .select(["amount", "currency"])
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  if (
    input.amount !== undefined &&
    input.amount !== (current.amount === null ? null : Number(current.amount))
  )
    throw fieldRefused("body.amount", "the deal's amount is the sum of its lines: change the lines instead");
  if (input.currency !== undefined && input.currency !== current.currency)
    throw fieldRefused(
      "body.currency",
      "the deal's lines are in its currency: replace the lines to change it",
    );
}

/** Moves a deal, records where it came from, who moved it and from where, in one transaction. */
export async function moveDealToStage(
  scope: Scope,
  id: string,
  input: MoveDealToStage,
): Promise<DealWithStage> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    const txScope = { ...scope, db: tx };
    // The deal alone is locked: joined to its stage, a move committed meanwhile would leave PostgreSQL's recheck
    // of the locked row comparing its new stage with the stage read before, finding no row: a 404 for a deal
    // that exists. Its stage's kind is read after the lock, from the stage it has then.
    const locked = await tx
      .selectFrom("deals")
      .select(["stage_id", "version"])
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw notFound("The deal");
    const { kind: stage_kind } = await tx
      .selectFrom("stages")
      .select("kind")
      .where("org_id", "=", orgId)
      .where("id", "=", locked.stage_id)
      .executeTakeFirstOrThrow();
    const current = { ...locked, stage_kind };
    if (current.version !== input.version) throw versionConflict(await getDeal(txScope, id));
    const movedAt = await datedInThePast(tx, scope, "movedAt", input.movedAt);
    const stage = await getStage(tx, orgId, input.stageId);
    if (stage.id === current.stage_id) return getDeal(txScope, id);
    if (movedAt) {
      const previous = await tx
        .selectFrom("deal_stage_changes")
        .select((eb) => eb.fn.max("changed_at").as("at"))
        .where("org_id", "=", orgId)
        .where("deal_id", "=", id)
        .executeTakeFirst();
      if (previous?.at && movedAt < previous.at)
        throw new AppError(
          "invalid_request",
          400,
          `movedAt is before the deal's previous move (${iso(previous.at)}); its history stays in order.`,
          { errors: [{ path: "movedAt", message: "must not be before the deal's previous move" }] },
        );
    }
    await tx
      .updateTable("deals")
      .set({
        stage_id: stage.id,
        pipeline_id: stage.pipeline_id,
        closed_at: stage.kind === "open" ? null : sql`coalesce(closed_at, ${movedAt ?? sql`now()`})`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute();
    await tx
      .insertInto("deal_stage_changes")
      .values({
        org_id: orgId,
        deal_id: id,
        from_stage_id: current.stage_id,
        to_stage_id: stage.id,
        changed_by: userId,
        source: input.source ?? "api",
        ...(movedAt ? { changed_at: movedAt } : {}),
      })
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "deal.stage_changed",
      { type: "deal", id },
      { from: current.stage_id, to: stage.id, ...(movedAt ? { movedAt: iso(movedAt) } : {}) },
    );
    await emitDealMoved(txScope, id, current.stage_kind, stage.kind);
    return getDeal(txScope, id);
  });
}

/**
 * A won deal as an accounting system takes it for an order: the deal as the API reads it, with its line items
 * (none for a deal that has only an amount) and their totals per tax rate, as GET /deals/:id/lines answers them.
 */
async function asOrder(txScope: Scope, deal: DealWithStage): Promise<object> {
  const { lines, totals } = await getDealLines(txScope, deal.id);
  return { ...deal, lines, totals };
}

/**
 * A deal's move, for the webhooks: its stage change, and its win or loss when the move closes it that way. deal.won
 * carries the deal with its lines, for an accounting system to take as an order.
 */
export async function emitDealMoved(
  txScope: Scope,
  id: string,
  from: StageRow["kind"],
  to: StageRow["kind"],
): Promise<void> {
  let read: Promise<DealWithStage> | null = null;
  const deal = () => (read ??= getDeal(txScope, id));
  const { orgId } = txScope.caller;
  await emitEvent(txScope.db, orgId, "deal.stage_changed", { id }, deal);
  if (to !== from && to === "won")
    await emitEvent(txScope.db, orgId, "deal.won", { id }, async () => asOrder(txScope, await deal()));
  else if (to !== from && to === "lost") await emitEvent(txScope.db, orgId, "deal.lost", { id }, deal);
}

export function deleteDeal(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return deleteOwnedRecord(scope.db, scope.caller, "deals", "deal", id);
}
