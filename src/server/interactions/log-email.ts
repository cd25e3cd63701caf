import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import { domainOf, isWithinDomains, normalizeEmailAddress } from "../../shared/email-address";
import { replySignals } from "../../shared/follow-ups";
import type { Interaction, LoggedEmail, LogEmail } from "../../shared/interactions";
import { normalizeMessageId } from "../../shared/message-id";
import { textExcerpt } from "../../shared/text-excerpt";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { lockAddresses } from "../db/address-lock";
import { refuseWhatPolicyKeepsOut } from "../organizations/privacy";
import { loggingRulesOf } from "../organizations/service";
import type { DB } from "../db/tables";
import type { Scope } from "../scope";
import { recordTemplateUse } from "../templates/service";
import { getInteraction } from "./service";
import type { LoggingPolicy } from "../../shared/organizations";
import { followUpDaysFor, reminderOf, scheduleFollowUp, settleByReply } from "../follow-ups/service";
import { emitEvent } from "../webhooks/outbox";

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
 * Logs an email once per organisation, keyed by its internet message id, or, while it has none (logged as it is
 * sent), by a Rapport key: logging it again adds the logger to the one interaction. The sent copy, logged with
 * both by its sender, joins the interaction its key made. Participants that are contacts are linked. With no deal
 * named, the participants' single open deal is linked; with several, none is (the rep picks, nobody guesses).
 * A log the rep did not choose (`source: "auto"`: the mailbox sync, the pane on open; `byPolicy`: on send by the
 * organisation's policy) of an email the organisation's privacy rules keep out is refused (422
 * `not_logged_by_policy`) and nothing is stored; a rep's own log is not, as the pane shows those rules as warnings
 * and leaves the choice to the rep.
 */
export async function logEmail(scope: Scope, input: LogEmailInput): Promise<LoggedEmail> {
  const { orgId } = scope.caller;
  const messageId = input.internetMessageId ? normalizeMessageId(input.internetMessageId) : null;
  const participants = participantsOf(input);
  const addresses = participants.map((p) => p.address);
  const occurredAt = new Date(input.sentAt);

  return scope.db.transaction().execute(async (tx) => {
    const { internalDomains, policy } = await loggingRulesOf(tx, orgId);
    if (input.source === "auto" || input.byPolicy === true)
      await refuseWhatPolicyKeepsOut(tx, scope.caller, addresses, internalDomains);
    // Everyone logging this email (by id or by key) takes turns, so finding, joining and merging see each other.
    await lockAddresses(tx, orgId, [
      ...(messageId ? [`message:${messageId}`] : []),
      ...(input.rapportKey ? [`rapport-key:${input.rapportKey}`] : []),
    ]);
    const keyed = await callersKey(tx, scope, input.rapportKey ?? null, messageId);
    const key = keyed?.key ?? null;
    const existing = await reconcile(tx, scope, messageId, keyed);
    const automatic = input.source === "auto" || input.byPolicy === true;
    if (existing) {
      if (input.templateId) await recordTemplateUse(tx, scope.caller, existing.id, input.templateId);
      await completeConversation(tx, orgId, existing.id, input.conversationId);
      const interaction = await addLogger(tx, scope, existing, input.dealId);
      // A reminder asked for now (the pane's log of the sent copy) is set once; the default applies only to the
      // first log of an email, so a later log never adds what the rep's first one left out.
      if (input.followUp) await followUp(tx, scope, interaction, input, policy);
      return { interaction, created: false, followUp: await reminderOf(tx, scope.caller, existing.id) };
    }

    await lockAddresses(tx, orgId, addresses);
    // Whatever logs it without the rep's choice (the sync, the pane on open, the policy on send), the
    // organisation decides what is kept.
    const content = automatic ? policy.autoLoggedContent : "excerpt";
    const contacts = await tx
      .selectFrom("contact_emails")
      .select(["address", "contact_id"])
      .where("org_id", "=", orgId)
      .where("address", "in", addresses)
      .execute();
    const contactOf = new Map(contacts.map((c) => [c.address, c.contact_id]));
    // The rep's choice (a deal, or null for none) wins; otherwise the conversation's, then the people's.
    const chosen =
      input.dealId !== undefined
        ? { dealId: input.dealId, thread: null }
        : await defaultLinks(tx, orgId, contactOf, participants, internalDomains, input);
    const dealId = chosen.dealId;
    const fromUs =
      input.from.address === normalizeEmailAddress(scope.caller.email ?? "") ||
      isWithinDomains(domainOf(input.from.address), internalDomains);

    const inserted = await tx
      .insertInto("interactions")
      .values({
        org_id: orgId,
        kind: "email",
        direction: fromUs ? "out" : "in",
        occurred_at: occurredAt,
        subject: content === "metadata" ? "" : input.subject,
        body: input.bodyText === undefined || content !== "excerpt" ? null : textExcerpt(input.bodyText),
        internet_message_id: messageId,
        rapport_key: key,
        rapport_key_owner: key ? scope.caller.userId : null,
        conversation_id: input.conversationId ?? null,
        source: input.source,
        deal_id: dealId,
        logged_by: scope.caller.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

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
      .values({ org_id: orgId, interaction_id: inserted.id, user_id: scope.caller.userId })
      .execute();
    if (chosen.thread?.hasLinks) await copyLinks(tx, orgId, chosen.thread.id, inserted.id);
    if (input.templateId) await recordTemplateUse(tx, scope.caller, inserted.id, input.templateId);
    await recordAudit(
      tx,
      scope.caller,
      "email.logged",
      { type: "interaction", id: inserted.id },
      {
        source: input.source,
        ...(input.templateId ? { templateId: input.templateId } : {}),
        ...(chosen.thread ? { linkedAs: chosen.thread.id } : {}),
      },
    );
    const interaction = await getInteraction(tx, scope.caller, inserted.id, "email");
    await emitEvent(tx, orgId, "interaction.logged", interaction);
    if (interaction.direction === "out") await followUp(tx, scope, interaction, input, policy);
    else
      await settleByReply(
        tx,
        scope.caller,
        {
          id: inserted.id,
          from: input.from.address,
          occurredAt,
          conversationId: input.conversationId ?? null,
        },
        replySignals(input.headers ?? []),
      );
    return { interaction, created: true, followUp: await reminderOf(tx, scope.caller, inserted.id) };
  });
}

/** The reminder this log asks for, or the organisation's default for it (docs/follow-ups.md). */
async function followUp(
  tx: Kysely<DB>,
  scope: Scope,
  interaction: Interaction,
  input: LogEmailInput,
  policy: LoggingPolicy,
) {
  const email = {
    id: interaction.id,
    direction: interaction.direction,
    occurredAt: new Date(interaction.occurredAt),
    dealId: interaction.dealId,
  };
  const days = await followUpDaysFor(tx, scope.caller.orgId, email, input.followUp, policy);
  if (days !== null) await scheduleFollowUp(tx, scope.caller, email, days);
}

/**
 * An email logged as it was sent has no conversation id yet when it is a new thread (Outlook gives one when it
 * goes): its sent copy's completes it, so replies in the conversation find the reminder.
 */
async function completeConversation(
  tx: Kysely<DB>,
  orgId: string,
  id: string,
  conversationId: string | undefined,
) {
  if (!conversationId) return;
  await tx
    .updateTable("interactions")
    .set({ conversation_id: conversationId, version: sql`version + 1`, updated_at: sql`now()` })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where("conversation_id", "is", null)
    .execute();
}

type Logged = {
  id: string;
  deal_id: string | null;
  internet_message_id: string | null;
  rapport_key: string | null;
  rapport_key_owner: string | null;
};

function findLogged(tx: Kysely<DB>, orgId: string, by: "internet_message_id" | "rapport_key", value: string) {
  return tx
    .selectFrom("interactions")
    .select(["id", "deal_id", "internet_message_id", "rapport_key", "rapport_key_owner"])
    .where("org_id", "=", orgId)
    .where("kind", "=", "email")
    .where(by, "=", value)
    .executeTakeFirst();
}

/**
 * The Rapport key, with the interaction logged under it, if the caller may use it. The key is made by the
 * sender's add-in as the mail goes and kept on the sender's own copy only, so the user who first logs under it
 * owns it, and only that user's logs (the on-send log, the sent copy from their mailbox by sync, pane or ribbon)
 * join by it. Only its owner reads it off the interaction (hydrateInteractions), but a key may travel otherwise
 * (a forwarded copy's properties): another user posting it with another email's message id would merge that email
 * and delete it. Their key is ignored, and the email logged by its message id alone; with no message id there is
 * nothing else to know the email by, and the log is refused.
 */
async function callersKey(
  tx: Kysely<DB>,
  scope: Scope,
  key: string | null,
  messageId: string | null,
): Promise<{ key: string; logged: Logged | undefined } | null> {
  if (key === null) return null;
  const logged = await findLogged(tx, scope.caller.orgId, "rapport_key", key);
  if (!logged || logged.rapport_key_owner === scope.caller.userId) return { key, logged };
  if (messageId) return null;
  throw new AppError("id_taken", 409, "This Rapport key belongs to an email another user sent.");
}

/**
 * The interaction this email already is, if any, made whole: the sent copy's message id joins the interaction
 * its Rapport key made; an email logged twice meanwhile (by key as it was sent, by message id from a colleague's
 * inbox, where the key does not travel) becomes one, keeping every logger.
 */
async function reconcile(
  tx: Kysely<DB>,
  scope: Scope,
  messageId: string | null,
  keyed: { key: string; logged: Logged | undefined } | null,
): Promise<Logged | undefined> {
  const { orgId, userId } = scope.caller;
  const key = keyed?.key ?? null;
  const byId = messageId ? await findLogged(tx, orgId, "internet_message_id", messageId) : undefined;
  const byKey = keyed?.logged;
  if (byKey && messageId && byKey.internet_message_id !== null && byKey.internet_message_id !== messageId)
    throw new AppError("id_taken", 409, "This Rapport key belongs to another email.");
  // An email keeps the key it has: it is its sender's, and their late logs (an on-send log retried) find the email
  // by it. Another key posted with its message id (a member's own, from an email of theirs) neither replaces it nor
  // merges that member's email into it: the email is joined by its message id alone, and theirs stays as it is.
  if (byId && byId.rapport_key !== null && byId.rapport_key !== key) return byId;

  if (byId && byKey && byId.id !== byKey.id) {
    await tx
      .insertInto("interaction_loggers")
      .columns(["org_id", "interaction_id", "user_id", "logged_at"])
      .expression(
        tx
          .selectFrom("interaction_loggers")
          .select([
            sql.lit(orgId).as("org_id"),
            sql.lit(byId.id).as("interaction_id"),
            "user_id",
            "logged_at",
          ])
          .where("org_id", "=", orgId)
          .where("interaction_id", "=", byKey.id),
      )
      .onConflict((oc) => oc.columns(["interaction_id", "user_id"]).doNothing())
      .execute();
    // The reminder set as the mail was sent goes with it (unless the email already has one).
    await tx
      .updateTable("follow_ups")
      .set({ interaction_id: byId.id, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("interaction_id", "=", byKey.id)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("follow_ups as other")
              .select("other.id")
              .where("other.org_id", "=", orgId)
              .where("other.interaction_id", "=", byId.id),
          ),
        ),
      )
      .execute();
    await tx.deleteFrom("interactions").where("org_id", "=", orgId).where("id", "=", byKey.id).execute();
    const merged = {
      ...byId,
      rapport_key: key,
      rapport_key_owner: userId,
      deal_id: byId.deal_id ?? byKey.deal_id,
    };
    await tx
      .updateTable("interactions")
      .set({
        rapport_key: key,
        rapport_key_owner: userId,
        deal_id: merged.deal_id,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", byId.id)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "email.merged",
      { type: "interaction", id: byId.id },
      { merged: byKey.id },
    );
    return merged;
  }
  const found = byId ?? byKey;
  if (!found) return undefined;
  const completes = {
    internet_message_id: found.internet_message_id ?? messageId,
    rapport_key: found.rapport_key ?? key,
  };
  // A key given to an email logged before is the caller's from now on.
  const owner = found.rapport_key === null && key !== null ? userId : found.rapport_key_owner;
  if (
    completes.internet_message_id !== found.internet_message_id ||
    completes.rapport_key !== found.rapport_key
  ) {
    await tx
      .updateTable("interactions")
      .set({ ...completes, rapport_key_owner: owner, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", found.id)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "email.completed",
      { type: "interaction", id: found.id },
      {
        fields: Object.keys(completes).filter(
          (k) => completes[k as keyof typeof completes] !== found[k as keyof typeof completes],
        ),
      },
    );
  }
  return { ...found, ...completes, rapport_key_owner: owner };
}

async function addLogger(
  tx: Kysely<DB>,
  scope: Scope,
  existing: Pick<Logged, "id" | "deal_id">,
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
  return getInteraction(tx, scope.caller, existing.id, "email");
}

interface DefaultLinks {
  dealId: string | null;
  /** The conversation's message whose links this email takes, if one was found. */
  thread: { id: string; hasLinks: boolean } | null;
}

/**
 * What an email logged without the rep naming a deal is linked to, in one statement whatever the number of headers:
 *
 * - a later message of a conversation already logged (the same conversation id, or an In-Reply-To or References
 *   header naming a logged email's message id) whose sender or one of whose outside recipients took part in that
 *   message (by address, or as the same contact) takes the links of the conversation's latest such message that has any
 *   (its primary deal, further deals and companies linked): a thread stays with its records from its first message
 *   to its last, whichever path logs each (the pane, on send, the ribbon, the mailbox sync), and when the rep moves
 *   one message to another deal, the messages after it follow that choice. A message id or conversation id is
 *   no secret (every recipient of a message has it, and whoever they forward it to): an outsider naming one, or
 *   writing only to us and our colleagues who were on the thread, does not get their mail onto its deal;
 * - failing that (no earlier message, or none linked), the participants' single open deal; with several, none
 *   (the rep picks, nobody guesses).
 */
async function defaultLinks(
  tx: Kysely<DB>,
  orgId: string,
  contactOf: ReadonlyMap<string, string>,
  participants: readonly ParticipantDraft[],
  internalDomains: readonly string[],
  input: LogEmailInput,
): Promise<DefaultLinks> {
  const contactIds = [...new Set(contactOf.values())];
  // Who may carry the thread on: its sender, and its recipients outside the organisation (our own people are on
  // every thread, so their being on it says nothing of who wrote this one).
  const people = participants
    .filter((p) => p.role === "from" || !isWithinDomains(domainOf(p.address), internalDomains))
    .map((p) => p.address);
  const peopleContacts = [...new Set(people.flatMap((address) => contactOf.get(address) ?? []))];
  const conversationId = input.conversationId ?? null;
  const references = replySignals(input.headers ?? []).answers;
  if (conversationId === null && references.length === 0 && contactIds.length === 0)
    return { dealId: null, thread: null };
  const rows = await sql<{ thread_id: string | null; deal_id: string | null; has_links: boolean }>`
    with thread as (
      select i.id, i.deal_id,
        exists (select 1 from interaction_links k where k.org_id = ${orgId} and k.interaction_id = i.id) as has_links
      from interactions i
      where i.org_id = ${orgId}
        and (i.conversation_id = ${conversationId}::text or i.internet_message_id = any(${references}::text[]))
        and exists (select 1 from interaction_participants p
          where p.org_id = ${orgId} and p.interaction_id = i.id
            and (p.address = any(${people}::text[]) or p.contact_id = any(${peopleContacts}::uuid[])))
        and (i.deal_id is not null
          or exists (select 1 from interaction_links k where k.org_id = ${orgId} and k.interaction_id = i.id))
      order by i.occurred_at desc, i.id desc
      limit 1
    )
    select id as thread_id, deal_id, has_links from thread
    union all
    (select null, d.id, false
      from deal_contacts dc
      join deals d on d.id = dc.deal_id and d.org_id = ${orgId}
      join stages s on s.id = d.stage_id
      where dc.org_id = ${orgId} and dc.contact_id = any(${contactIds}::uuid[]) and s.kind = 'open'
        and not exists (select 1 from thread)
      group by d.id
      limit 2)`.execute(tx);
  const thread = rows.rows.find((r) => r.thread_id !== null);
  if (thread?.thread_id)
    return { dealId: thread.deal_id, thread: { id: thread.thread_id, hasLinks: thread.has_links } };
  return { dealId: rows.rows.length === 1 ? (rows.rows[0]?.deal_id ?? null) : null, thread: null };
}

/** The conversation's links beyond its primary deal, taken by a later message of it (in the same statement). */
async function copyLinks(tx: Kysely<DB>, orgId: string, from: string, to: string) {
  await sql`
    insert into interaction_links (org_id, interaction_id, deal_id, company_id, created_by, created_at)
    select org_id, ${to}, deal_id, company_id, null, created_at
    from interaction_links where org_id = ${orgId} and interaction_id = ${from}
    order by created_at, id
    on conflict do nothing`.execute(tx);
}
