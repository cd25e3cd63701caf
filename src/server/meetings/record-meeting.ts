import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import { domainOf, normalizeEmailAddress, withinDomains } from "../../shared/email-address";
import type { MeetingOutcome } from "../../shared/interactions";
import type { LoggedMeeting, LogMeeting } from "../../shared/meetings";
import { isBlocked, reasonNotToLog } from "../../shared/privacy";
import { textExcerpt } from "../../shared/text-excerpt";
import { recordAudit } from "../audit";
import { lockAddresses } from "../db/address-lock";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import { getInteraction, meetingColumnsOf } from "../interactions/service";
import { blocklistFor } from "../organizations/privacy";
import { loggingRulesOf } from "../organizations/service";
import type { Scope } from "../scope";
import { erasedAmong } from "../person-data/erased-addresses";
import { mentionsOf } from "../person-data/mentions";
import { emitEvent } from "../webhooks/outbox";

export interface MeetingPerson {
  /** Canonical (the contract's EmailAddress, or normalizeEmailAddress). */
  address: string;
  name: string | null;
}

/**
 * A meeting to record, from the pane (the rep's choice: `manual`) or the calendar capture (`auto`). The two differ
 * in what they may change of a meeting already recorded: the rep brings notes and an outcome, the calendar brings
 * the meeting as it now is (moved, renamed, cancelled, attendees changed) and never touches the rep's notes.
 */
export interface MeetingDraft {
  /** The interaction's id, when the client made one (a retried log finds its meeting by it). */
  id?: string;
  iCalUId: string | null;
  subject: string | null;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  onlineUrl: string | null;
  organizer: MeetingPerson;
  attendees: MeetingPerson[];
  /** The rep's notes (manual), or what the organisation keeps of the invitation's text (auto, on create only). */
  body?: string | null;
  outcome?: MeetingOutcome | null;
  dealId?: string | null;
  cancelled?: boolean;
  source: "manual" | "auto";
}

interface ParticipantDraft extends MeetingPerson {
  role: "from" | "with";
}

/** The organiser first ("from"), then each attendee once ("with"); an address appears once. */
function participantsOf(draft: MeetingDraft): ParticipantDraft[] {
  const seen = new Set<string>();
  const out: ParticipantDraft[] = [];
  for (const [role, person] of [
    ["from", draft.organizer] as const,
    ...draft.attendees.map((a) => ["with", a] as const),
  ]) {
    if (seen.has(person.address)) continue;
    seen.add(person.address);
    out.push({ address: person.address, name: person.name?.trim() || null, role });
  }
  return out;
}

type Found = { id: string; deal_id: string | null; meeting_ical_uid: string | null };

/**
 * Records a meeting once per organisation: by its iCalUId with the same organiser, or without one by organiser,
 * start and subject (a meeting logged without an iCalUId and later with one is completed, not doubled; the pane,
 * which never has one, finds the meeting the calendar captured). The iCalUId is the sender's choice: the same UID
 * from another organiser is another meeting, never a way to rewrite this one. Logging it again adds the
 * caller as a logger. The privacy rules apply as to mail: blocklisted addresses are never stored (a rep's log drops
 * them; the capture, whose choice it is not, is refused as an automatic email would be), and a meeting without an
 * external attendee who is a contact is refused (422 `no_contact`). The capture never records a person the
 * organisation erased (withoutErased).
 */
export async function recordMeeting(scope: Scope, asked: MeetingDraft): Promise<LoggedMeeting> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const { internalDomains, policy } = await loggingRulesOf(tx, orgId);
    const blocklist = await blocklistFor(tx, orgId, userId);
    const { draft, erased } =
      asked.source === "auto" ? await withoutErased(tx, orgId, asked) : { draft: asked, erased: NO_ONE };
    let participants = participantsOf(draft).filter((p) => !erased.has(p.address));
    if (draft.source === "auto") {
      const reason = reasonNotToLog(
        participants.map((p) => p.address),
        {},
        { internalDomains, blocklist },
      );
      if (reason)
        throw new AppError(
          "not_logged_by_policy",
          422,
          `The organisation's privacy rules keep this meeting out of automatic logs (${reason}).`,
          { reason },
        );
    } else {
      participants = participants.filter((p) => !isBlocked(p.address, blocklist));
    }
    // A blocked organiser is no more stored as the meeting's key than as its participant.
    const organizer = participants.some((p) => p.address === draft.organizer.address)
      ? normalizeEmailAddress(draft.organizer.address)
      : null;
    const slotKey = `meeting-slot:${organizer ?? ""}|${draft.startsAt.toISOString()}|${draft.subject ?? ""}`;
    // Everyone recording this meeting (two colleagues' calendars, the pane and the capture) takes turns.
    await lockAddresses(tx, orgId, [
      ...(draft.iCalUId ? [`meeting:${organizer ?? ""}|${draft.iCalUId}`] : []),
      slotKey,
      ...participants.map((p) => p.address),
    ]);
    const existing = await findMeeting(tx, orgId, draft, organizer);
    if (existing) {
      await updateMeeting(tx, scope, existing, draft, participants);
      return recorded(tx, scope, existing.id, false);
    }

    const internal = withinDomains(internalDomains);
    const external = participants.filter((p) => !internal(domainOf(p.address)));
    const contacts = await contactsOf(
      tx,
      orgId,
      participants.map((p) => p.address),
    );
    const externalContacts = [
      ...new Set(external.map((p) => contacts.get(p.address)).filter((c): c is string => c !== undefined)),
    ];
    if (externalContacts.length === 0)
      throw new AppError(
        "no_contact",
        422,
        "No one outside the organisation at this meeting is a contact: there is nobody to log it with.",
      );
    const dealId =
      draft.dealId !== undefined ? draft.dealId : await singleOpenDeal(tx, orgId, externalContacts);
    const content = draft.source === "auto" ? policy.autoLoggedContent : "excerpt";
    const fromUs = organizer !== null && internal(domainOf(organizer));
    const inserted = await tx
      .insertInto("interactions")
      .values({
        ...(draft.id ? { id: draft.id } : {}),
        org_id: orgId,
        kind: "meeting",
        direction: fromUs ? "out" : "in",
        occurred_at: draft.startsAt,
        subject: content === "metadata" ? "" : draft.subject,
        body: bodyOf(draft, content),
        outcome: null,
        source: draft.source,
        deal_id: dealId,
        logged_by: userId,
        meeting_ends_at: draft.endsAt,
        meeting_location: content === "metadata" ? null : draft.location,
        meeting_online_url: draft.onlineUrl,
        meeting_ical_uid: draft.iCalUId,
        meeting_organizer: organizer,
        meeting_cancelled: draft.cancelled ?? false,
        meeting_outcome: draft.outcome ?? null,
      })
      // A client id another record holds (of this organisation or another): the same answer as a taken note id.
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) throw new AppError("id_taken", 409, "This id belongs to another record.");
    await insertParticipants(tx, orgId, inserted.id, participants, contacts, draft.startsAt);
    await tx
      .insertInto("interaction_loggers")
      .values({ org_id: orgId, interaction_id: inserted.id, user_id: userId })
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "meeting.logged",
      { type: "interaction", id: inserted.id },
      {
        source: draft.source,
      },
    );
    const logged = await recorded(tx, scope, inserted.id, true);
    await emitEvent(tx, orgId, "interaction.logged", logged.interaction);
    return logged;
  });
}

/**
 * A captured meeting without the people the organisation erased (person-data/erased-addresses.ts): the calendar
 * is read again every day, and an erasure would otherwise hold only until the next read. Their participant entry
 * is not recorded, their name and address (as the calendar gives them) leave the subject and the place as the
 * erasure rewrote them, and a meeting they organised keeps neither them as its organiser (so the key is the one
 * the erasure left) nor its online link (their meeting room). The invitation's text, which can quote them, is not
 * kept. A rep's own log is theirs to make and is not changed.
 */
async function withoutErased(
  tx: Kysely<DB>,
  orgId: string,
  draft: MeetingDraft,
): Promise<{ draft: MeetingDraft; erased: ReadonlySet<string> }> {
  const people = [draft.organizer, ...draft.attendees];
  const erased = await erasedAmong(
    tx,
    orgId,
    people.map((p) => p.address),
  );
  if (erased.size === 0) return { draft, erased };
  const gone = people.filter((p) => erased.has(p.address));
  const mentions = mentionsOf(
    gone.map((p) => p.name),
    gone.map((p) => p.address),
  );
  const scrub = (text: string | null) => (text !== null && mentions ? mentions.scrub(text) : text);
  return {
    draft: {
      ...draft,
      subject: scrub(draft.subject),
      location: scrub(draft.location),
      onlineUrl: erased.has(draft.organizer.address) ? null : draft.onlineUrl,
      body: null,
    },
    erased,
  };
}

const NO_ONE: ReadonlySet<string> = new Set();

/** The rep's notes as written; of an invitation's text, what the organisation keeps of automatic logs. */
function bodyOf(draft: MeetingDraft, content: "metadata" | "subject" | "excerpt"): string | null {
  if (!draft.body) return null;
  if (draft.source === "manual") return draft.body;
  return content === "excerpt" ? textExcerpt(draft.body) : null;
}

async function recorded(tx: Kysely<DB>, scope: Scope, id: string, created: boolean): Promise<LoggedMeeting> {
  const interaction = await getInteraction(tx, scope.caller, id, "notes");
  const row = await tx
    .selectFrom("interactions")
    .selectAll()
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const meeting = meetingColumnsOf(row);
  if (!meeting) throw new Error("a recorded meeting has its details");
  return { interaction, meeting, created };
}

async function contactsOf(tx: Kysely<DB>, orgId: string, addresses: string[]): Promise<Map<string, string>> {
  if (addresses.length === 0) return new Map();
  const rows = await tx
    .selectFrom("contact_emails")
    .select(["address", "contact_id"])
    .where("org_id", "=", orgId)
    .where("address", "in", addresses)
    .execute();
  return new Map(rows.map((r) => [r.address, r.contact_id]));
}

async function insertParticipants(
  tx: Kysely<DB>,
  orgId: string,
  interactionId: string,
  participants: ParticipantDraft[],
  contacts: Map<string, string>,
  occurredAt: Date,
) {
  if (participants.length === 0) return;
  await tx
    .insertInto("interaction_participants")
    .values(
      participants.map((p, position) => ({
        org_id: orgId,
        interaction_id: interactionId,
        contact_id: contacts.get(p.address) ?? null,
        address: p.address,
        name: p.name,
        role: p.role,
        position,
        occurred_at: occurredAt,
      })),
    )
    .execute();
}

/**
 * The meeting by its client id (a retry), its iCalUId and organiser, or its organiser, start and subject. An
 * iCalUId counts only with the same organiser (an invitation's sender picks its UID: a stranger reusing a
 * meeting's UID must not reach it). Without an iCalUId (the pane never has one) the organiser, start and subject
 * find the meeting whether or not the calendar captured it (under "who and when only", by organiser and start);
 * with one, they find only a meeting logged without
 * one (which it then completes): a meeting with another UID is another meeting.
 */
async function findMeeting(
  tx: Kysely<DB>,
  orgId: string,
  draft: MeetingDraft,
  organizer: string | null,
): Promise<Found | undefined> {
  const any = () =>
    tx.selectFrom("interactions").select(["id", "deal_id", "meeting_ical_uid"]).where("org_id", "=", orgId);
  if (draft.id) {
    const byId = await any()
      .where("id", "=", draft.id)
      .where("kind", "=", "meeting")
      .where("meeting_ends_at", "is not", null)
      .executeTakeFirst();
    if (byId) return byId;
  }
  // By the unique keys alone, whatever the interaction's kind is now (a rep may have edited a meeting into a
  // call): the key is taken, and a second interaction could not have it.
  if (draft.iCalUId) {
    // As the unique index reads it: a meeting whose organiser is not stored is one key of its own.
    const byUid = await any()
      .where("meeting_ical_uid", "=", draft.iCalUId)
      .where(sql<string>`coalesce(meeting_organizer, '')`, "=", organizer ?? "")
      .executeTakeFirst();
    if (byUid) return byUid;
  }
  if (organizer === null) return undefined;
  const sameSubject = sql<boolean>`(md5(coalesce(subject, '')) = md5(${draft.subject ?? ""}::text))`;
  const bySlot = any().where("meeting_organizer", "=", organizer).where("occurred_at", "=", draft.startsAt);
  if (draft.iCalUId)
    return bySlot.where("meeting_ical_uid", "is", null).where(sameSubject).executeTakeFirst();
  // A meeting the capture stored under "who and when only" has "" for its subject: the pane's log of it (which
  // has the subject) finds it by organiser and start. One pick when several match: the same subject first, then
  // the one without a UID (the slot's own key), then the same one every time.
  return (
    bySlot
      // Implied by an organiser (only meetings have one), and lets interactions_meetings serve captured rows.
      .where("meeting_ends_at", "is not", null)
      .where((eb) =>
        eb.or([
          eb(sameSubject, "=", true),
          eb.and([eb("meeting_ical_uid", "is not", null), eb("subject", "=", "")]),
        ]),
      )
      .orderBy(sql`${sameSubject} desc`)
      .orderBy(sql`meeting_ical_uid is not null`)
      .orderBy("id")
      .executeTakeFirst()
  );
}

/**
 * The meeting logged again. A rep's log brings their notes and outcome, and the deal when it names one (or names
 * none: null unlinks), as the pane then says the meeting is logged as the rep chose; the calendar
 * brings the meeting as it now is: its time, place, subject, attendees and whether it is cancelled. Either adds its
 * logger. Nothing else is overwritten: the rep's notes stay the rep's.
 */
async function updateMeeting(
  tx: Kysely<DB>,
  scope: Scope,
  existing: Found,
  draft: MeetingDraft,
  participants: ParticipantDraft[],
): Promise<void> {
  const { orgId, userId } = scope.caller;
  const changes: Record<string, unknown> = {};
  if (draft.source === "manual") {
    if (draft.body !== undefined && draft.body !== null) changes.body = draft.body;
    if (draft.outcome !== undefined) changes.meeting_outcome = draft.outcome;
  } else {
    const { policy } = await loggingRulesOf(tx, orgId);
    const content = policy.autoLoggedContent;
    Object.assign(changes, {
      occurred_at: draft.startsAt,
      meeting_ends_at: draft.endsAt,
      meeting_online_url: draft.onlineUrl,
      meeting_cancelled: draft.cancelled ?? false,
    });
    // Kept only where the organisation keeps them; where it keeps metadata alone, what a rep logged stays.
    if (content !== "metadata")
      Object.assign(changes, { subject: draft.subject, meeting_location: draft.location });
  }
  if (existing.meeting_ical_uid === null && draft.iCalUId) changes.meeting_ical_uid = draft.iCalUId;
  // The capture never changes the deal: that is the rep's choice.
  if (draft.source === "manual" && draft.dealId !== undefined) changes.deal_id = draft.dealId;
  const before = await tx
    .selectFrom("interactions")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", existing.id)
    .executeTakeFirstOrThrow();
  const changed = Object.keys(changes).filter((key) => {
    const was = before[key as keyof typeof before];
    const now = changes[key];
    return was instanceof Date && now instanceof Date ? was.getTime() !== now.getTime() : was !== now;
  });
  if (changed.length > 0) {
    await tx
      .updateTable("interactions")
      .set({
        ...Object.fromEntries(changed.map((key) => [key, changes[key]])),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", existing.id)
      .execute();
  }
  // The calendar's attendees are the meeting's: replaced when they changed (the rep's log keeps them as they are).
  if (draft.source === "auto")
    await refreshParticipants(tx, orgId, existing.id, participants, draft.startsAt);
  const added = await tx
    .insertInto("interaction_loggers")
    .values({ org_id: orgId, interaction_id: existing.id, user_id: userId })
    .onConflict((oc) => oc.columns(["interaction_id", "user_id"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  if (changed.length > 0 || added)
    await recordAudit(
      tx,
      scope.caller,
      "meeting.updated",
      { type: "interaction", id: existing.id },
      {
        source: draft.source,
        fields: changed,
        ...(added ? { loggedAgain: true } : {}),
      },
    );
}

async function refreshParticipants(
  tx: Kysely<DB>,
  orgId: string,
  interactionId: string,
  participants: ParticipantDraft[],
  startsAt: Date,
) {
  const current = await tx
    .selectFrom("interaction_participants")
    .select(["address", "name", "role", "occurred_at"])
    .where("org_id", "=", orgId)
    .where("interaction_id", "=", interactionId)
    .orderBy("position")
    .execute();
  const same =
    current.length === participants.length &&
    current.every(
      (c, i) =>
        c.address === participants[i]?.address &&
        c.name === participants[i]?.name &&
        c.role === participants[i]?.role &&
        c.occurred_at.getTime() === startsAt.getTime(),
    );
  if (same) return;
  await tx
    .deleteFrom("interaction_participants")
    .where("org_id", "=", orgId)
    .where("interaction_id", "=", interactionId)
    .execute();
  const contacts = await contactsOf(
    tx,
    orgId,
    participants.map((p) => p.address),
  );
  await insertParticipants(tx, orgId, interactionId, participants, contacts, startsAt);
}

/** The attendees' single open deal, as email logging links it; with several, none (the rep picks). */
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

/** A rep's log from the pane or Outlook mobile, as the contract takes it. */
export function logMeeting(scope: Scope, input: z.output<typeof LogMeeting>): Promise<LoggedMeeting> {
  return recordMeeting(scope, {
    id: input.id,
    iCalUId: input.iCalUId ?? null,
    subject: input.subject ?? null,
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
    location: input.location ?? null,
    onlineUrl: input.onlineUrl ?? null,
    organizer: { address: input.organizer.address, name: input.organizer.name ?? null },
    attendees: input.attendees.map((a) => ({ address: a.address, name: a.name ?? null })),
    body: input.notes ?? null,
    outcome: input.outcome,
    dealId: input.dealId,
    source: "manual",
  });
}
