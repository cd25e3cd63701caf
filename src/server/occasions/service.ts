import { type Kysely, sql } from "kysely";
import type {
  OccasionMailList,
  OccasionMailQuery,
  OccasionRule,
  OccasionRuleCreate,
  OccasionRuleList,
  OccasionRuleUpdate,
  OccasionSending,
} from "../../shared/occasions";
import { recordAudit } from "../audit";
import { localDay } from "../dashboard/local-day";
import type { DB } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { type Scope, iso } from "../scope";
import { currentRole } from "../users/service";
import { zoneOf } from "./prepare";

// Occasion rules. Who sees one: everyone in the organisation for its rules, only the owner for a rep's own.
// Admins write the organisation's; a rep writes their own. Each rep decides alone whether a send-mode rule may
// send from their mailbox (occasion_rule_senders): nobody, an admin included, can turn it on for them.

type RuleRow = {
  id: string;
  scope: "organization" | "personal";
  owner_id: string | null;
  name: string;
  kind: "birthday" | "won_deal";
  offset_days: number | null;
  yearly: boolean;
  template_id: string;
  mode: "draft" | "send";
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
  sending: boolean | number;
};

const toRule = (row: RuleRow): OccasionRule => ({
  id: row.id,
  scope: row.scope,
  ownerId: row.owner_id,
  name: row.name,
  kind: row.kind,
  timing:
    row.kind === "birthday" ? null : row.yearly ? { yearly: true } : { afterDays: row.offset_days ?? 1 },
  templateId: row.template_id,
  mode: row.mode,
  active: row.active,
  sendingFromMyMailbox: Boolean(row.sending),
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

function selectRules(db: Kysely<DB>, caller: Scope["caller"]) {
  return db
    .selectFrom("occasion_rules as r")
    .selectAll("r")
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("occasion_rule_senders as s")
            .select(sql`1`.as("one"))
            .whereRef("s.rule_id", "=", "r.id")
            .where("s.org_id", "=", caller.orgId)
            .where("s.user_id", "=", caller.userId),
        )
        .as("sending"),
    )
    .where("r.org_id", "=", caller.orgId)
    .where((eb) => eb.or([eb("r.scope", "=", "organization"), eb("r.owner_id", "=", caller.userId)]));
}

export async function listOccasionRules(scope: Scope): Promise<OccasionRuleList> {
  const rows = await selectRules(scope.db, scope.caller)
    .orderBy("r.scope")
    .orderBy("r.name")
    .orderBy("r.id")
    .execute();
  return { items: rows.map(toRule) };
}

export async function getOccasionRule(scope: Scope, id: string): Promise<OccasionRule> {
  const row = await selectRules(scope.db, scope.caller).where("r.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("The occasion rule");
  return toRule(row);
}

async function requireWriter(
  tx: Kysely<DB>,
  caller: Scope["caller"],
  rule: { scope: "organization" | "personal"; owner_id: string | null },
): Promise<void> {
  if (rule.scope === "personal") {
    if (rule.owner_id !== caller.userId) throw notFound("The occasion rule");
    return;
  }
  if ((await currentRole(tx, caller)) !== "admin")
    throw new AppError("forbidden", 403, "Only an admin of the organisation writes its occasion rules.");
}

/**
 * The template must be one every rep the rule serves can read: an organisation's rule takes an organisation's
 * template; a rep's own rule takes that or one of their own.
 */
async function checkTemplate(
  tx: Kysely<DB>,
  caller: Scope["caller"],
  ruleScope: "organization" | "personal",
  templateId: string,
): Promise<void> {
  const template = await tx
    .selectFrom("templates")
    .select(["scope", "owner_id", "archived_at"])
    .where("org_id", "=", caller.orgId)
    .where("id", "=", templateId)
    .where((eb) => eb.or([eb("scope", "=", "organization"), eb("owner_id", "=", caller.userId)]))
    .executeTakeFirst();
  const fail = (message: string) =>
    new AppError("invalid_request", 400, message, { errors: [{ path: "body.templateId", message }] });
  if (!template) throw fail("No such template.");
  if (ruleScope === "organization" && template.scope === "personal")
    throw fail("An organisation's rule needs one of the organisation's templates, which every rep can read.");
  if (template.archived_at) throw fail("The template is archived.");
}

const timingColumns = (timing: OccasionRuleCreate["timing"]) =>
  !timing
    ? { offset_days: null, yearly: false }
    : "yearly" in timing
      ? { offset_days: null, yearly: true }
      : { offset_days: timing.afterDays, yearly: false };

export async function createOccasionRule(scope: Scope, input: OccasionRuleCreate): Promise<OccasionRule> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    const ownerId = input.scope === "personal" ? userId : null;
    await requireWriter(tx, scope.caller, { scope: input.scope, owner_id: ownerId });
    await checkTemplate(tx, scope.caller, input.scope, input.templateId);
    const row = await tx
      .insertInto("occasion_rules")
      .values({
        org_id: orgId,
        scope: input.scope,
        owner_id: ownerId,
        name: input.name,
        kind: input.kind,
        ...timingColumns(input.kind === "won_deal" ? input.timing : null),
        template_id: input.templateId,
        mode: input.mode,
        active: input.active,
        created_by: userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      scope.caller,
      "occasion_rule.created",
      { type: "occasion_rule", id: row.id },
      {
        scope: input.scope,
        kind: input.kind,
        mode: input.mode,
      },
    );
    return getOccasionRule({ ...scope, db: tx }, row.id);
  });
}

async function ruleToWrite(tx: Kysely<DB>, caller: Scope["caller"], id: string) {
  const row = await tx
    .selectFrom("occasion_rules")
    .select(["id", "scope", "owner_id", "kind", "version"])
    .where("org_id", "=", caller.orgId)
    .where("id", "=", id)
    .where((eb) => eb.or([eb("scope", "=", "organization"), eb("owner_id", "=", caller.userId)]))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("The occasion rule");
  await requireWriter(tx, caller, row);
  return row;
}

export async function updateOccasionRule(
  scope: Scope,
  id: string,
  version: number,
  input: OccasionRuleUpdate,
): Promise<OccasionRule> {
  return scope.db.transaction().execute(async (tx) => {
    const rule = await ruleToWrite(tx, scope.caller, id);
    const txScope = { ...scope, db: tx };
    if (rule.version !== version) throw versionConflict(await getOccasionRule(txScope, id));
    if (input.timing && rule.kind === "birthday") {
      const message = "a birthday rule has no timing";
      throw new AppError("invalid_request", 400, message, { errors: [{ path: "body.timing", message }] });
    }
    if (input.templateId) await checkTemplate(tx, scope.caller, rule.scope, input.templateId);
    await tx
      .updateTable("occasion_rules")
      .set({
        name: input.name,
        template_id: input.templateId,
        mode: input.mode,
        active: input.active,
        ...(input.timing ? timingColumns(input.timing) : {}),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "occasion_rule.updated",
      { type: "occasion_rule", id },
      {
        fields: Object.keys(input),
        ...(input.mode ? { mode: input.mode } : {}),
      },
    );
    return getOccasionRule(txScope, id);
  });
}

export async function deleteOccasionRule(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    await ruleToWrite(tx, scope.caller, id);
    await tx
      .deleteFrom("occasion_rules")
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, scope.caller, "occasion_rule.deleted", { type: "occasion_rule", id });
    return { id, deleted: true as const };
  });
}

/** The caller's own consent to a rule sending from their mailbox; only they can give or take it back. */
export async function setOccasionSending(
  scope: Scope,
  id: string,
  input: OccasionSending,
): Promise<OccasionRule> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    const txScope = { ...scope, db: tx };
    await getOccasionRule(txScope, id);
    if (input.enabled)
      await tx
        .insertInto("occasion_rule_senders")
        .values({ org_id: orgId, rule_id: id, user_id: userId })
        .onConflict((oc) => oc.columns(["rule_id", "user_id"]).doNothing())
        .execute();
    else
      await tx
        .deleteFrom("occasion_rule_senders")
        .where("org_id", "=", orgId)
        .where("rule_id", "=", id)
        .where("user_id", "=", userId)
        .execute();
    await recordAudit(
      tx,
      scope.caller,
      "occasion_rule.sending_set",
      { type: "occasion_rule", id },
      {
        enabled: input.enabled,
      },
    );
    return getOccasionRule(txScope, id);
  });
}

/** The caller's occasion mails of a day: today in their time zone unless the query names one. */
export async function listOccasionMails(
  scope: Scope,
  query: OccasionMailQuery,
  now: Date,
): Promise<OccasionMailList> {
  const { orgId, userId } = scope.caller;
  const user = await scope.db
    .selectFrom("users")
    .select("time_zone")
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const day = query.day ?? localDay(zoneOf(user.time_zone), now).date;
  const rows = await scope.db
    .selectFrom("occasion_mails as m")
    .innerJoin("contacts as c", (j) =>
      j.onRef("c.id", "=", "m.contact_id").onRef("c.org_id", "=", "m.org_id"),
    )
    .leftJoin("occasion_rules as r", (j) =>
      j.onRef("r.id", "=", "m.rule_id").onRef("r.org_id", "=", "m.org_id"),
    )
    .select([
      "m.id",
      "m.contact_id",
      "c.display_name",
      "m.rule_id",
      "r.name as rule_name",
      "m.kind",
      "m.occasion_key",
      sql<string>`m.occasion_day::text`.as("day"),
      "m.mode",
      "m.state",
      "m.reason",
      "m.unfilled",
      "m.deal_id",
    ])
    .where("m.org_id", "=", orgId)
    .where("m.user_id", "=", userId)
    .where("m.occasion_day", "=", day)
    .orderBy("c.display_name")
    .orderBy("m.id")
    .execute();
  return {
    day,
    items: rows.map((r) => ({
      id: r.id,
      contactId: r.contact_id,
      contactName: r.display_name,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      kind: r.kind,
      occasionKey: r.occasion_key,
      day: r.day,
      mode: r.mode,
      state: r.state,
      reason: r.reason,
      unfilled: r.unfilled,
      dealId: r.deal_id,
    })),
  };
}
