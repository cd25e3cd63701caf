import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import { domainOf, isWithinDomains, normalizeEmailAddress, withinDomains } from "../../shared/email-address";
import { replySignals } from "../../shared/follow-ups";
import type { Interaction, LoggedEmail, LogEmail } from "../../shared/interactions";
import { normalizeMessageId } from "../../shared/message-id";
import { textExcerpt } from "../../shared/text-excerpt";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { lockAddresses } from "../db/address-lock";
import { refuseWhatPolicyKeepsOut } from "../organizations/privacy";
import { loggingPolicyOf } from "../organizations/service";
import type { DB, InteractionRow } from "../db/tables";
import type { Scope } from "../scope";
import { recordTemplateUse } from "../templates/service";
import { getInteraction, toInteraction } from "./service";
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
 *
 * Every request pays for each round trip to the store, so the work is folded into few statements: the locks; what
 * the email's checks read (the organisation's rules, the email as logged before, the participants' contacts, the
 * webhook endpoints); and the write of a new email with everything that goes with it (its deal, participants,
 * logger, the conversation's links and the audit event). The webhook event and the follow-up come after, when
 * there is one.
 */
export async function logEmail(scope: Scope, input: LogEmailInput): Promise<LoggedEmail> {
  const { orgId } = scope.caller;
  const messageId = input.internetMessageId ? normalizeMessageId(input.internetMessageId) : null;
  const rapportKey = input.rapportKey ?? null;
  const participants = participantsOf(input);
  const addresses = participants.map((p) => p.address);
  const automatic = input.source === "auto" || input.byPolicy === true;

  return scope.db.transaction().execute(async (tx) => {
    // Everyone logging this email (by id or by key) takes turns, so finding, joining and merging see each other;
    // and with whoever gives one of its addresses to a contact, so the email is linked to that contact or the
    // contact picks the email up. One sorted acquisition for both, so no two writers wait on each other in a
    // circle. The reads come in the next statement: one that waited here must see what its predecessor committed.
    await lockAddresses(tx, orgId, [
      ...(messageId ? [`message:${messageId}`] : []),
      ...(rapportKey ? [`rapport-key:${rapportKey}`] : []),
      ...addresses,
    ]);
    const facts = await readFacts(tx, scope, { messageId, rapportKey, addresses, automatic });
    if (automatic) refuseWhatPolicyKeepsOut(addresses, facts);
    const keyed = callersKey(scope, rapportKey, messageId, facts.byKey);
    const existing = await reconcile(tx, scope, messageId, keyed, facts.byId);
    if (existing) {
      if (input.templateId) await recordTemplateUse(tx, scope.caller, existing.id, input.templateId);
      const interaction = await addLogger(tx, scope, existing, input.dealId, input.conversationId);
      // A reminder asked for now (the pane's log of the sent copy) is set once; the default applies only to the
      // first log of an email, so a later log never adds what the rep's first one left out.
      if (input.followUp) await followUp(tx, scope, interaction, input, facts.policy);
      return { interaction, created: false, followUp: await reminderOf(tx, scope.caller, existing.id) };
    }

    const interaction = await insertEmail(tx, scope, input, {
      messageId,
      key: keyed?.key ?? null,
      participants,
      facts,
      automatic,
    });
    if (input.templateId) await recordTemplateUse(tx, scope.caller, interaction.id, input.templateId);
    if (facts.endpoints.length > 0)
      await emitEvent(tx, orgId, "interaction.logged", interaction, interaction, facts.endpoints);
    let scheduled = false;
    if (interaction.direction === "out")
      scheduled = await followUp(tx, scope, interaction, input, facts.policy);
    else
      await settleByReply(
        tx,
        scope.caller,
        {
          id: interaction.id,
          from: input.from.address,
          occurredAt: new Date(input.sentAt),
          conversationId: input.conversationId ?? null,
        },
        replySignals(input.headers ?? []),
      );
    // A new email has a reminder only if this log just set one.
    return {
      interaction,
      created: true,
      followUp: scheduled ? await reminderOf(tx, scope.caller, interaction.id) : null,
    };
  });
}

type Logged = {
  id: string;
  deal_id: string | null;
  internet_message_id: string | null;
  rapport_key: string | null;
  rapport_key_owner: string | null;
};

/** What a log's checks read, in one statement after its locks. */
interface LogFacts {
  internalDomains: string[];
  policy: LoggingPolicy;
  /** The organisation's and the caller's blocklists, read only for a log the rep did not choose. */
  blocklist: string[];
  /** The email as logged before under its message id, and under the Rapport key. */
  byId: Logged | undefined;
  byKey: Logged | undefined;
  /** The participants' contacts, with each contact's company. */
  contacts: { address: string; contactId: string; companyId: string | null }[];
  /** The active webhook endpoints that take `interaction.logged`. */
  endpoints: string[];
}

async function readFacts(
  tx: Kysely<DB>,
  scope: Scope,
  asked: { messageId: string | null; rapportKey: string | null; addresses: string[]; automatic: boolean },
): Promise<LogFacts> {
  const { orgId, userId } = scope.caller;
  const logged = (column: "internet_message_id" | "rapport_key", value: string | null) =>
    value === null
      ? sql`null::json`
      : sql`(select json_build_object('id', i.id, 'deal_id', i.deal_id,
          'internet_message_id', i.internet_message_id, 'rapport_key', i.rapport_key,
          'rapport_key_owner', i.rapport_key_owner)
        from interactions i where i.org_id = ${orgId} and i.kind = 'email'
          and ${sql.ref(`i.${column}`)} = ${column === "rapport_key" ? sql`${value}::uuid` : sql`${value}::text`})`;
  const { rows } = await sql<{
    internal_domains: string[];
    logging_policy: unknown;
    blocklist: string[];
    by_id: Logged | null;
    by_key: Logged | null;
    contacts: LogFacts["contacts"];
    endpoints: string[];
  }>`
    select o.internal_domains, o.logging_policy,
      ${
        asked.automatic
          ? sql`array(select b.entry from blocklist_entries b
              where b.org_id = ${orgId} and (b.user_id is null or b.user_id = ${userId}))`
          : sql`'{}'::text[]`
      } as blocklist,
      ${logged("internet_message_id", asked.messageId)} as by_id,
      ${logged("rapport_key", asked.rapportKey)} as by_key,
      coalesce((
        select json_agg(json_build_object('address', ce.address, 'contactId', ce.contact_id,
          'companyId', c.company_id))
        from contact_emails ce join contacts c on c.id = ce.contact_id and c.org_id = ${orgId}
        where ce.org_id = ${orgId} and ce.address = any(${asked.addresses}::text[])
      ), '[]') as contacts,
      array(select e.id from webhook_endpoints e
        where e.org_id = ${orgId} and e.active and ${"interaction.logged"} = any(e.events)) as endpoints
    from organizations o where o.id = ${orgId}`.execute(tx);
  const row = rows[0];
  if (!row) throw new Error("the caller's organisation is not in the store");
  return {
    internalDomains: row.internal_domains,
    policy: loggingPolicyOf(row.logging_policy),
    blocklist: row.blocklist,
    byId: row.by_id ?? undefined,
    byKey: row.by_key ?? undefined,
    contacts: row.contacts,
    endpoints: row.endpoints,
  };
}

/**
 * A new email, in one statement: its deal (the rep's choice, or what defaultLinks' rule finds), the interaction,
 * its participants (linked to their contacts), its logger, the conversation's further links and the audit event.
 * The answer is made from what was written, as a read of it would give it.
 */
async function insertEmail(
  tx: Kysely<DB>,
  scope: Scope,
  input: LogEmailInput,
  email: {
    messageId: string | null;
    key: string | null;
    participants: ParticipantDraft[];
    facts: LogFacts;
    automatic: boolean;
  },
): Promise<Interaction> {
  const { orgId, userId } = scope.caller;
  const { participants, facts } = email;
  const occurredAt = new Date(input.sentAt);
  const contactOf = new Map(facts.contacts.map((c) => [c.address, c.contactId]));
  const companyOf = new Map(facts.contacts.map((c) => [c.address, c.companyId]));
  // Whatever logs it without the rep's choice (the sync, the pane on open, the policy on send), the
  // organisation decides what is kept.
  const content = email.automatic ? facts.policy.autoLoggedContent : "excerpt";
  const fromUs =
    input.from.address === normalizeEmailAddress(scope.caller.email ?? "") ||
    isWithinDomains(domainOf(input.from.address), facts.internalDomains);
  // The rep's choice (a deal, or null for none) wins; otherwise the conversation's, then the people's.
  const chosen =
    input.dealId !== undefined
      ? sql`select ${input.dealId}::uuid as deal_id, null::uuid as thread_id`
      : defaultLinks(orgId, contactOf, participants, facts.internalDomains, input, scope.caller.email);
  const details = {
    source: input.source,
    ...(input.templateId ? { templateId: input.templateId } : {}),
  };
  const { rows } = await sql<
    InteractionRow & { thread_id: string | null; linked_deals: string[]; linked_companies: string[] }
  >`
    with chosen as (${chosen}),
    i as (
      insert into interactions (org_id, kind, direction, occurred_at, subject, body, internet_message_id,
        rapport_key, rapport_key_owner, conversation_id, source, deal_id, logged_by)
      select ${orgId}::uuid, 'email', ${fromUs ? "out" : "in"}::text, ${occurredAt}::timestamptz,
        ${content === "metadata" ? "" : input.subject}::text,
        ${input.bodyText === undefined || content !== "excerpt" ? null : textExcerpt(input.bodyText)}::text,
        ${email.messageId}::text, ${email.key}::uuid, ${email.key ? userId : null}::uuid,
        ${input.conversationId ?? null}::text, ${input.source}::text, chosen.deal_id, ${userId}::uuid
      from chosen
      returning *
    ),
    participants as (
      insert into interaction_participants (org_id, interaction_id, contact_id, address, name, role, position,
        occurred_at)
      select ${orgId}::uuid, i.id, x.contact_id, x.address, x.name, x.role, (x.n - 1)::int, ${occurredAt}::timestamptz
      from i, unnest(
        ${participants.map((p) => contactOf.get(p.address) ?? null)}::uuid[],
        ${participants.map((p) => p.address)}::text[],
        ${participants.map((p) => p.name)}::text[],
        ${participants.map((p) => p.role)}::text[]
      ) with ordinality as x(contact_id, address, name, role, n)
    ),
    logger as (
      insert into interaction_loggers (org_id, interaction_id, user_id)
      select ${orgId}::uuid, i.id, ${userId}::uuid from i
    ),
    -- The conversation's links beyond its primary deal, taken by its later message.
    links as (
      insert into interaction_links (org_id, interaction_id, deal_id, company_id, created_by, created_at)
      select k.org_id, i.id, k.deal_id, k.company_id, null, k.created_at
      from i, chosen, interaction_links k
      where k.org_id = ${orgId} and k.interaction_id = chosen.thread_id
      order by k.created_at, k.id
      on conflict do nothing
      returning id, deal_id, company_id, created_at
    ),
    audit as (
      insert into audit_events (org_id, actor_id, action, entity_type, entity_id, details)
      select ${orgId}::uuid, ${userId}::uuid, 'email.logged', 'interaction', i.id,
        ${JSON.stringify(details)}::jsonb
          || case when chosen.thread_id is null then '{}'::jsonb else jsonb_build_object('linkedAs', chosen.thread_id) end
      from i, chosen
    )
    select i.*, chosen.thread_id,
      coalesce((select json_agg(l.deal_id order by l.created_at, l.id) from links l where l.deal_id is not null),
        '[]') as linked_deals,
      coalesce((select json_agg(l.company_id order by l.created_at, l.id) from links l
        where l.company_id is not null), '[]') as linked_companies
    from i, chosen`.execute(tx);
  const written = rows[0];
  if (!written) throw new Error("the email's insert returned no row");
  const { thread_id: _, linked_deals, linked_companies, ...row } = written;
  return toInteraction(
    row,
    participants.map((p) => ({
      address: p.address,
      name: p.name,
      contactId: contactOf.get(p.address) ?? null,
      role: p.role,
    })),
    [userId],
    scope.caller,
    {
      deals: linked_deals,
      companies: linked_companies,
      contactCompanies: participants.flatMap((p) => companyOf.get(p.address) ?? []),
    },
  );
}

/**
 * The reminder this log asks for, or the organisation's default for it (docs/follow-ups.md); whether one was
 * asked to be set.
 */
async function followUp(
  tx: Kysely<DB>,
  scope: Scope,
  interaction: Interaction,
  input: LogEmailInput,
  policy: LoggingPolicy,
): Promise<boolean> {
  const email = {
    id: interaction.id,
    direction: interaction.direction,
    occurredAt: new Date(interaction.occurredAt),
    dealId: interaction.dealId,
  };
  const days = await followUpDaysFor(tx, scope.caller.orgId, email, input.followUp, policy);
  if (days === null) return false;
  await scheduleFollowUp(tx, scope.caller, email, days);
  return true;
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
function callersKey(
  scope: Scope,
  key: string | null,
  messageId: string | null,
  logged: Logged | undefined,
): { key: string; logged: Logged | undefined } | null {
  if (key === null) return null;
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
  byId: Logged | undefined,
): Promise<Logged | undefined> {
  const { orgId, userId } = scope.caller;
  const key = keyed?.key ?? null;
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

/**
 * Adds the caller to the loggers of an email logged before, in one statement with what the log completes: the
 * conversation id an email logged as it was sent lacked (Outlook gives one when it goes; its sent copy's
 * completes it, so replies in the conversation find the reminder), a deal named now where none was linked, and
 * the audit event.
 */
async function addLogger(
  tx: Kysely<DB>,
  scope: Scope,
  existing: Pick<Logged, "id" | "deal_id">,
  dealId: string | null | undefined,
  conversationId: string | undefined,
) {
  const { orgId, userId } = scope.caller;
  // A deal named now fills a link left open before; it never replaces one someone already chose.
  // The null check is in the update itself: two colleagues picking different deals at once, the first wins.
  const deal = dealId && existing.deal_id === null ? dealId : null;
  const conversation = conversationId || null;
  await sql`
    with completed as (
      update interactions set
        conversation_id = coalesce(conversation_id, ${conversation}::text),
        deal_id = coalesce(deal_id, ${deal}::uuid),
        -- What each completion counted on its own before they shared a statement.
        version = version
          + case when conversation_id is null and ${conversation}::text is not null then 1 else 0 end
          + case when deal_id is null and ${deal}::uuid is not null then 1 else 0 end,
        updated_at = now()
      where org_id = ${orgId} and id = ${existing.id}
        and ((conversation_id is null and ${conversation}::text is not null)
          or (deal_id is null and ${deal}::uuid is not null))
    ),
    added as (
      insert into interaction_loggers (org_id, interaction_id, user_id)
      values (${orgId}, ${existing.id}, ${userId})
      on conflict (interaction_id, user_id) do nothing
      returning user_id
    )
    insert into audit_events (org_id, actor_id, action, entity_type, entity_id, details)
    select ${orgId}::uuid, ${userId}::uuid, 'email.logged_again', 'interaction', ${existing.id}::uuid, '{}'::jsonb
    from added`.execute(tx);
  return getInteraction(tx, scope.caller, existing.id, "email");
}

/**
 * What an email logged without the rep naming a deal is linked to, as the part of its insert that chooses
 * (`deal_id`, and `thread_id`: the message whose further links it takes), whatever the number of headers:
 *
 * - a later message of a conversation already logged (the same conversation id, or an In-Reply-To or References
 *   header naming a logged email's message id), one of whose outside participants (its sender or recipients
 *   outside the organisation) took part in that message (by address, or as the same contact), takes the links of
 *   the conversation's latest such message that has any (its primary deal, further deals and companies linked): a
 *   thread stays with its records from its first message to its last, whichever path logs each (the pane, on send,
 *   the ribbon, the mailbox sync), and when the rep moves one message to another deal, the messages after it
 *   follow that choice. A message id or conversation id is no secret (every recipient of a message has it, and
 *   whoever they forward it to): an outsider naming one, or writing only to us and our colleagues who were on the
 *   thread, does not get their mail onto its deal. Our own people are on every thread, so their being on it says
 *   nothing of who wrote this one: an internal address carries a thread on only as the sender of the caller's own
 *   log as they send it (`on-send`, with their own address as From). Anywhere else the From of an email is whatever its
 *   writer put there, and an outsider's mail "from" a colleague, naming a logged message, stays off its deal; a
 *   colleague's real reply follows through the customer it is written to;
 * - failing that (no earlier message, or none linked), the participants' single open deal; with several, none
 *   (the rep picks, nobody guesses).
 */
function defaultLinks(
  orgId: string,
  contactOf: ReadonlyMap<string, string>,
  participants: readonly ParticipantDraft[],
  internalDomains: readonly string[],
  input: LogEmailInput,
  callerEmail: string | null,
) {
  const contactIds = [...new Set(contactOf.values())];
  const internal = withinDomains(internalDomains);
  // The caller's own address, as they send: `on-send` is what the add-in says, the From is what it must be.
  const own = callerEmail === null ? null : normalizeEmailAddress(callerEmail);
  const sentByCaller = input.source === "on-send" && own !== null && input.from.address === own;
  const people = participants
    .filter((p) => !internal(domainOf(p.address)) || (p.role === "from" && sentByCaller))
    .map((p) => p.address);
  const peopleContacts = [...new Set(people.flatMap((address) => contactOf.get(address) ?? []))];
  const conversationId = input.conversationId ?? null;
  const references = replySignals(input.headers ?? []).answers;
  if (conversationId === null && references.length === 0 && contactIds.length === 0)
    return sql`select null::uuid as deal_id, null::uuid as thread_id`;
  return sql`
    with thread as (
      select i.id, i.deal_id
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
    ),
    open_deals as (
      select d.id
      from deal_contacts dc
      join deals d on d.id = dc.deal_id and d.org_id = ${orgId}
      join stages s on s.id = d.stage_id
      where dc.org_id = ${orgId} and dc.contact_id = any(${contactIds}::uuid[]) and s.kind = 'open'
        and not exists (select 1 from thread)
      group by d.id
      limit 2
    )
    select
      case when exists (select 1 from thread) then (select deal_id from thread)
        when (select count(*) from open_deals) = 1 then (select id from open_deals)
      end as deal_id,
      (select id from thread) as thread_id`;
}
