import { type Kysely, sql } from "kysely";
import type { Interaction, InteractionLinkAdd, InteractionLinkRemove } from "../../shared/interactions";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { getInteraction } from "./service";

/**
 * The interaction's row, held for this transaction: two colleagues linking one email at once take turns, so the
 * primary deal and the links beyond it never disagree (a deal both primary and linked, or two primaries).
 */
async function lockInteraction(tx: Kysely<DB>, orgId: string, id: string) {
  const row = await tx
    .selectFrom("interactions")
    .select(["id", "deal_id"])
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("The interaction");
  return row;
}

async function touch(tx: Kysely<DB>, orgId: string, id: string, dealId?: string | null) {
  await tx
    .updateTable("interactions")
    .set({
      ...(dealId !== undefined ? { deal_id: dealId } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .execute();
}

/**
 * Links an interaction to a deal or a company; linking again changes nothing. The interaction's primary deal
 * (`dealId`, what follow-ups and reports count by) is the first deal linked, or the one linked with `primary`;
 * the former primary then stays linked beside it.
 */
export async function linkInteraction(
  scope: Scope,
  id: string,
  input: InteractionLinkAdd,
): Promise<Interaction> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const row = await lockInteraction(tx, orgId, id);
    let changed = false;
    if (input.dealId !== undefined) {
      const dealId = input.dealId;
      const deal = await tx
        .selectFrom("deals")
        .select("id")
        .where("org_id", "=", orgId)
        .where("id", "=", dealId)
        .executeTakeFirst();
      if (!deal) throw notFound("The deal");
      if (row.deal_id === dealId) {
        // Already the primary deal.
      } else if (row.deal_id === null || input.primary === true) {
        if (row.deal_id !== null)
          await tx
            .insertInto("interaction_links")
            .values({ org_id: orgId, interaction_id: id, deal_id: row.deal_id, created_by: userId })
            .onConflict((oc) => oc.doNothing())
            .execute();
        await tx
          .deleteFrom("interaction_links")
          .where("org_id", "=", orgId)
          .where("interaction_id", "=", id)
          .where("deal_id", "=", dealId)
          .execute();
        await touch(tx, orgId, id, dealId);
        changed = true;
      } else {
        const added = await tx
          .insertInto("interaction_links")
          .values({ org_id: orgId, interaction_id: id, deal_id: dealId, created_by: userId })
          .onConflict((oc) => oc.doNothing())
          .returning("id")
          .executeTakeFirst();
        changed = added !== undefined;
      }
    } else if (input.companyId !== undefined) {
      const companyId = input.companyId;
      const company = await tx
        .selectFrom("companies")
        .select("id")
        .where("org_id", "=", orgId)
        .where("id", "=", companyId)
        .executeTakeFirst();
      if (!company) throw notFound("The company");
      const added = await tx
        .insertInto("interaction_links")
        .values({ org_id: orgId, interaction_id: id, company_id: companyId, created_by: userId })
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .executeTakeFirst();
      changed = added !== undefined;
    }
    if (changed) {
      if (input.companyId !== undefined || (row.deal_id !== null && input.primary !== true))
        await touch(tx, orgId, id);
      await recordAudit(tx, scope.caller, "interaction.linked", { type: "interaction", id }, { ...input });
    }
    return getInteraction(tx, scope.caller, id, "any");
  });
}

/**
 * Unlinks a deal or a company; unlinking what is not linked changes nothing. Unlinking the primary deal makes the
 * earliest deal linked beside it primary, or leaves the interaction without one.
 */
export async function unlinkInteraction(
  scope: Scope,
  id: string,
  input: InteractionLinkRemove,
): Promise<Interaction> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const row = await lockInteraction(tx, orgId, id);
    let changed: boolean;
    if (input.dealId !== undefined && row.deal_id === input.dealId) {
      const next = await tx
        .deleteFrom("interaction_links")
        .where("id", "=", (eb) =>
          eb
            .selectFrom("interaction_links")
            .select("id")
            .where("org_id", "=", orgId)
            .where("interaction_id", "=", id)
            .where("deal_id", "is not", null)
            .orderBy("created_at")
            .orderBy("id")
            .limit(1),
        )
        .returning("deal_id")
        .executeTakeFirst();
      await touch(tx, orgId, id, next?.deal_id ?? null);
      changed = true;
    } else {
      const removed = await tx
        .deleteFrom("interaction_links")
        .where("org_id", "=", orgId)
        .where("interaction_id", "=", id)
        .$if(input.dealId !== undefined, (q) => q.where("deal_id", "=", input.dealId ?? null))
        .$if(input.companyId !== undefined, (q) => q.where("company_id", "=", input.companyId ?? null))
        .returning("id")
        .executeTakeFirst();
      changed = removed !== undefined;
      if (changed) await touch(tx, orgId, id);
    }
    if (changed)
      await recordAudit(tx, scope.caller, "interaction.unlinked", { type: "interaction", id }, { ...input });
    return getInteraction(tx, scope.caller, id, "any");
  });
}
