import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import { domainOf, isWithinDomains } from "../../shared/email-address";
import type { LoggedEmail, LogEmail } from "../../shared/interactions";
import { normalizeMessageId } from "../../shared/message-id";
import { textExcerpt } from "../../shared/text-excerpt";
import { recordAudit } from "../audit";
import { lockAddresses } from "../db/address-lock";
import { internalDomainsOf } from "../organizations";
import type { DB } from "../db/tables";
import type { Scope } from "../scope";
import { getInteraction } from "./service";

type LogEmailInput = z.output<typeof LogEmail>;

interface ParticipantDraft {
  address: string;
  name: string | null;
  role: "from" | "to" | "cc";
}

function participantsOf(input: LogEmailInput): ParticipantDraft[] {
  const seen = new Set<string>();
  const drafts: ParticipantDraft[] = [];
  const add = (role: ParticipantDraft["role"], m: { address: string; name?: string }) => {
    if (seen.has(m.address)) return; // one row per address: "from" wins over "to", "to" over "cc"
    seen.add(m.address);
    drafts.push({ address: m.address, name: m.name?.trim() || null, role });
  };
  add("from", input.from);
  input.to.forEach((m) => add("to", m));
  input.cc.forEach((m) => add("cc", m));
  return drafts;
}

/**
 * Logs an email once per organisation, keyed by its internet message id: logging it again, by anyone, adds
 * the logger to the one interaction. Participants that are contacts are linked. With no deal named, the
 * participants' single open deal is linked; with several, none is (the rep picks, nobody guesses).
 */
export async function logEmail(scope: Scope, input: LogEmailInput): Promise<LoggedEmail> {
  const { orgId, userId } = scope.caller;
  const messageId = normalizeMessageId(input.internetMessageId);
  const participants = participantsOf(input);
  const addresses = participants.map((p) => p.address);
  const occurredAt = new Date(input.sentAt);

  return scope.db.transaction().execute(async (tx) => {
    const existing = await findLogged(tx, orgId, messageId);
    if (existing) return { interaction: await addLogger(tx, scope, existing, input.dealId), created: false };

    await lockAddresses(tx, orgId, addresses);
    const internalDomains = await internalDomainsOf(tx, orgId);
    const contacts = await tx
      .selectFrom("contact_emails")
      .select(["address", "contact_id"])
      .where("org_id", "=", orgId)
      .where("address", "in", addresses)
      .execute();
    const contactOf = new Map(contacts.map((c) => [c.address, c.contact_id]));
    const dealId =
      input.dealId !== undefined
        ? input.dealId
        : await singleOpenDeal(tx, orgId, [...new Set(contactOf.values())]);
    const fromUs =
      input.from.address === scope.caller.email ||
      isWithinDomains(domainOf(input.from.address), internalDomains);

    const inserted = await tx
      .insertInto("interactions")
      .values({
        org_id: orgId,
        kind: "email",
        direction: fromUs ? "out" : "in",
        occurred_at: occurredAt,
        subject: input.subject,
        body: input.bodyText === undefined ? null : textExcerpt(input.bodyText),
        internet_message_id: messageId,
        conversation_id: input.conversationId ?? null,
        source: input.source,
        deal_id: dealId,
        logged_by: userId,
      })
      // A colleague logging the same email at this very moment: their row wins, this request joins it.
      .onConflict((oc) => oc.columns(["org_id", "internet_message_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      // Committed by now (the conflict waited for it), so this read finds it.
      const winner = await findLogged(tx, orgId, messageId);
      if (!winner) throw new Error(`the email ${messageId} conflicted but cannot be found`);
      return { interaction: await addLogger(tx, scope, winner, input.dealId), created: false };
    }

    await tx
      .insertInto("interaction_participants")
      .values(
        participants.map((p, position) => ({
          org_id: orgId,
          interaction_id: inserted.id,
          contact_id: contactOf.get(p.address) ?? null,
          address: p.address,
          name: p.name,
          role: p.role,
          position,
          occurred_at: occurredAt,
        })),
      )
      .execute();
    await tx
      .insertInto("interaction_loggers")
      .values({ org_id: orgId, interaction_id: inserted.id, user_id: userId })
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "email.logged",
      { type: "interaction", id: inserted.id },
      { source: input.source },
    );
    return { interaction: await getInteraction(tx, orgId, inserted.id, "email"), created: true };
  });
}

function findLogged(tx: Kysely<DB>, orgId: string, messageId: string) {
  return tx
    .selectFrom("interactions")
    .select(["id", "deal_id"])
    .where("org_id", "=", orgId)
    .where("internet_message_id", "=", messageId)
    .executeTakeFirst();
}

async function addLogger(
  tx: Kysely<DB>,
  scope: Scope,
  existing: { id: string; deal_id: string | null },
  dealId: string | null | undefined,
) {
  const { orgId, userId } = scope.caller;
  const added = await tx
    .insertInto("interaction_loggers")
    .values({ org_id: orgId, interaction_id: existing.id, user_id: userId })
    .onConflict((oc) => oc.columns(["interaction_id", "user_id"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  // A deal named now fills a link left open before; it never replaces one someone already chose.
  // The null check is in the update itself: two colleagues picking different deals at once, the first wins.
  if (dealId && existing.deal_id === null) {
    await tx
      .updateTable("interactions")
      .set({ deal_id: dealId, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", existing.id)
      .where("deal_id", "is", null)
      .execute();
  }
  if (added)
    await recordAudit(tx, scope.caller, "email.logged_again", { type: "interaction", id: existing.id });
  return getInteraction(tx, orgId, existing.id, "email");
}

async function singleOpenDeal(tx: Kysely<DB>, orgId: string, contactIds: string[]): Promise<string | null> {
  if (contactIds.length === 0) return null;
  const deals = await tx
    .selectFrom("deal_contacts as dc")
    .innerJoin("deals as d", "d.id", "dc.deal_id")
    .innerJoin("stages as s", "s.id", "d.stage_id")
    .select("d.id")
    .distinct()
    .where("dc.org_id", "=", orgId)
    .where("dc.contact_id", "in", contactIds)
    .where("s.kind", "=", "open")
    .limit(2)
    .execute();
  return deals.length === 1 ? (deals[0]?.id ?? null) : null;
}
