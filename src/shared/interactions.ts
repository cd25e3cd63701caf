import { z } from "zod";
import { ClientId, EmailAddress, Id, IsoDateTime, ListQuery, OptionalText, Page, Version } from "./common";
import { FollowUpReminder, FollowUpRequest, MailHeader } from "./follow-ups";

export const InteractionKind = z.enum(["email", "call", "meeting", "note", "visit"]);
export type InteractionKind = z.infer<typeof InteractionKind>;
export const NoteKind = z.enum(["note", "call", "meeting", "visit"]);
export type NoteKind = z.infer<typeof NoteKind>;
export const InteractionSource = z.enum(["manual", "auto", "on-send", "import"]);
export type InteractionSource = z.infer<typeof InteractionSource>;
export const ParticipantRole = z.enum(["from", "to", "cc", "with"]);
export type ParticipantRole = z.infer<typeof ParticipantRole>;
/** How a call or visit went; anything but "connected" is a failed attempt to reach the person. */
export const Outcome = z.enum(["connected", "no_answer", "left_voicemail", "busy", "wrong_number"]);
export type Outcome = z.infer<typeof Outcome>;

/** How a meeting went: anything but "held" is a meeting that did not take place as planned. */
export const MeetingOutcome = z.enum(["held", "no_show", "rescheduled", "cancelled"]);
export type MeetingOutcome = z.infer<typeof MeetingOutcome>;

/** What a meeting has beyond an interaction's fields; an interaction of kind meeting carries it. */
export const MeetingDetails = z.object({
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  location: z.string().nullable(),
  /** The online meeting's join link (Teams or another), https only. */
  onlineUrl: z.string().nullable(),
  /**
   * The meeting's id across calendars (Graph's `iCalUId`, one per occurrence of a series): the same meeting seen in
   * two colleagues' calendars, or captured and logged from the pane, is one interaction.
   */
  iCalUId: z.string().nullable(),
  /** Cancelled by its organiser after it was logged: kept, marked, never logged twice. */
  cancelled: z.boolean(),
  outcome: MeetingOutcome.nullable(),
});
export type MeetingDetails = z.infer<typeof MeetingDetails>;

export const Participant = z.object({
  address: z.string().nullable(),
  name: z.string().nullable(),
  contactId: Id.nullable(),
  role: ParticipantRole,
});
export type Participant = z.infer<typeof Participant>;

/**
 * A company an interaction is linked to: by one of its people taking part (`contact`: read as the contacts are now,
 * never stored) or by a link someone made, or that its conversation carried (`link`: removable).
 */
export const InteractionCompany = z.object({ id: Id, via: z.enum(["contact", "link"]) });
export type InteractionCompany = z.infer<typeof InteractionCompany>;

export const Interaction = z.object({
  id: Id,
  kind: InteractionKind,
  direction: z.enum(["in", "out"]).nullable(),
  occurredAt: IsoDateTime,
  subject: z.string().nullable(),
  /** For email a bounded plain-text excerpt (never HTML); for notes the note itself. */
  body: z.string().nullable(),
  outcome: Outcome.nullable(),
  internetMessageId: z.string().nullable(),
  /** Rapport's key for an email logged on send (its message id comes later, with the sent copy). */
  rapportKey: z.string().nullable(),
  conversationId: z.string().nullable(),
  source: InteractionSource,
  /** The primary deal: what follow-ups and the reports count by. `dealIds` lists it first, with the others. */
  dealId: Id.nullable(),
  /** Every deal it is linked to, the primary one first (empty when it has none). */
  dealIds: z.array(Id),
  /** The companies it is linked to: its participants' (via contact) and those linked to it (via link). */
  companies: z.array(InteractionCompany),
  /** Everyone who logged it: the same email logged by two colleagues is one interaction. */
  loggedBy: z.array(Id),
  participants: z.array(Participant),
  /**
   * A meeting's details: null for everything but a meeting, and for a meeting noted by hand without them (a note
   * of kind meeting).
   */
  meeting: MeetingDetails.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Interaction = z.infer<typeof Interaction>;

export const MAILBOX_NAME_MAX_CHARS = 300;
/** The longest body text a logged email takes (templates' bodies are bounded the same). */
export const EMAIL_BODY_TEXT_MAX_CHARS = 1_000_000;
const MailboxInput = z.strictObject({
  address: EmailAddress,
  name: z.string().trim().max(MAILBOX_NAME_MAX_CHARS).optional(),
});

export const LogEmail = z
  .strictObject({
    // RFC 5322 message ids are printable ASCII; the bound keeps the unique index's rows within PostgreSQL's limit.
    internetMessageId: z
      .string()
      .trim()
      .min(3)
      .max(998)
      .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces, as RFC 5322 message ids are")
      .optional(),
    /**
     * Rapport's key for an email logged as it is sent, when it has no message id yet (the add-in puts the same
     * key on the message). Logging the sent copy later with its message id and this key joins the same email.
     * The key is its sender's, the user who first logged under it: from anyone else it is ignored (the email is
     * logged by its message id alone), and without a message id refused (409 `id_taken`).
     */
    rapportKey: z.uuid().optional(),
    conversationId: z.string().trim().max(1000).optional(),
    subject: z.string().max(998).default(""),
    from: MailboxInput,
    to: z.array(MailboxInput).max(500).default([]),
    cc: z.array(MailboxInput).max(500).default([]),
    sentAt: IsoDateTime,
    /** Plain text of the body; HTML is reduced to text and everything is cut to a bounded excerpt. */
    bodyText: z.string().max(EMAIL_BODY_TEXT_MAX_CHARS).optional(),
    /**
     * A deal to link; null links none. When omitted, a later message of a conversation already logged (the same
     * conversation id, or an In-Reply-To or References header naming a logged email) takes the deals and companies
     * its latest linked message has; failing that, the participants' single open deal is linked.
     */
    dealId: Id.nullable().optional(),
    source: InteractionSource.exclude(["import"]).default("manual"),
    /**
     * Logged because the organisation's policy asks (on send to a known contact), not because the rep chose it:
     * the server applies the privacy rules to it as to an automatic log.
     */
    byPolicy: z.boolean().optional(),
    /**
     * The template the email was written from, one the logger can see (else 400, nothing stored): counted in the
     * template's stats, once per email; a later log of the same email naming another template changes nothing.
     */
    templateId: Id.optional(),
    /**
     * For mail the caller sends: remind them (a task on their Today) when no reply came within so many working
     * days; null: no reminder. Left out, the organisation's default applies to outgoing mail on an open deal.
     * One reminder per email, however often it is logged (docs/follow-ups.md).
     */
    followUp: FollowUpRequest.optional(),
    /**
     * The email's In-Reply-To, References, Auto-Submitted, X-Auto-Response-Suppress and Precedence headers, as
     * read (others are ignored): they make an inbound email a reply to mail with a reminder, or an automatic answer
     * that is not one.
     */
    headers: z.array(MailHeader).max(50).optional(),
  })
  .refine((email) => email.internetMessageId !== undefined || email.rapportKey !== undefined, {
    message: "an email needs its internet message id, or a Rapport key while it has none",
    path: ["internetMessageId"],
  });
export type LogEmail = z.input<typeof LogEmail>;

export const LoggedEmail = z.object({
  interaction: Interaction,
  created: z.boolean(),
  /** The email's no-reply reminder, the caller's own, if it has one. */
  followUp: FollowUpReminder.nullable(),
});
export type LoggedEmail = z.infer<typeof LoggedEmail>;

const noteFields = {
  body: z.string().trim().max(20_000),
  subject: OptionalText(300).optional(),
  outcome: Outcome.nullable().optional(),
  occurredAt: IsoDateTime.optional(),
  dealId: Id.nullable().optional(),
  direction: z.enum(["in", "out"]).nullable().optional(),
};

export const NoteCreate = z.strictObject({ ...noteFields, id: ClientId, kind: NoteKind, contactId: Id });
export type NoteCreate = z.infer<typeof NoteCreate>;

export const NoteUpdate = z.strictObject({
  ...noteFields,
  body: noteFields.body.optional(),
  kind: NoteKind.optional(),
  version: Version.optional(),
});
export type NoteUpdate = z.infer<typeof NoteUpdate>;

export const NoteListQuery = ListQuery.extend({
  contactId: z.uuid().optional(),
  dealId: z.uuid().optional(),
  kind: NoteKind.optional(),
});
export type NoteListQuery = z.infer<typeof NoteListQuery>;

/** One record to link an interaction to, or unlink it from: a deal or a company, exactly one. */
const oneRecord = <T extends { dealId?: string; companyId?: string }>(target: T) =>
  (target.dealId === undefined) !== (target.companyId === undefined);
const ONE_RECORD = { message: "name exactly one of dealId and companyId", path: ["dealId"] };

/**
 * Links an interaction to a deal or a company (idempotent). A deal becomes the primary one when the interaction has
 * none, or when `primary` says so (the former primary stays linked).
 */
export const InteractionLinkAdd = z
  .strictObject({ dealId: Id.optional(), companyId: Id.optional(), primary: z.boolean().optional() })
  .refine(oneRecord, ONE_RECORD)
  .refine((link) => link.primary === undefined || link.dealId !== undefined, {
    message: "only a deal is primary",
    path: ["primary"],
  });
export type InteractionLinkAdd = z.infer<typeof InteractionLinkAdd>;

/**
 * Unlinks a deal or a company (idempotent). Unlinking the primary deal makes the next linked deal (the earliest
 * linked) primary. A company linked only by its people taking part stays linked while they are its contacts.
 */
export const InteractionLinkRemove = z
  .strictObject({ dealId: Id.optional(), companyId: Id.optional() })
  .refine(oneRecord, ONE_RECORD);
export type InteractionLinkRemove = z.infer<typeof InteractionLinkRemove>;

/** A company's or a deal's interactions, newest first, narrowed to one kind or to one person taking part. */
export const RecordTimelineQuery = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  kind: InteractionKind.optional(),
  contactId: Id.optional(),
});
export type RecordTimelineQuery = z.infer<typeof RecordTimelineQuery>;

export const InteractionPage = Page(Interaction);
export type InteractionPage = z.infer<typeof InteractionPage>;

/** The most people a record's timeline offers to narrow by: more would not fit a choice list anyway. */
export const TIMELINE_PEOPLE_MAX = 500;

/**
 * Everyone who took part in a company's or a deal's interactions (the people its timeline can be narrowed to), by
 * name; `more` when there were more than TIMELINE_PEOPLE_MAX.
 */
export const TimelinePeople = z.object({
  items: z.array(z.object({ id: Id, displayName: z.string() })),
  more: z.boolean(),
});
export type TimelinePeople = z.infer<typeof TimelinePeople>;

/**
 * When a relationship is cooling (docs/api.md, "Relationship at a glance"): the record has been in touch on at least
 * COOLING_MIN_ACTIVE_DAYS distinct UTC days in the year up to its last interaction, and the whole UTC days since that
 * interaction exceed COOLING_FACTOR times the median gap between those days, and at least COOLING_MIN_SILENCE_DAYS.
 */
export const COOLING_MIN_ACTIVE_DAYS = 4;
export const COOLING_FACTOR = 2;
export const COOLING_MIN_SILENCE_DAYS = 7;

export const GlanceInteraction = z.object({
  interactionId: Id,
  at: IsoDateTime,
  kind: InteractionKind,
  direction: z.enum(["in", "out"]).nullable(),
  subject: z.string().nullable(),
  /** Our side: the colleague who logged it first (null when they were removed). */
  user: z.object({ id: Id, displayName: z.string().nullable() }).nullable(),
  /** Their side: the record's person who took part (the sender for a reply); null for a company-only link. */
  contact: z.object({ id: Id, displayName: z.string() }).nullable(),
});
export type GlanceInteraction = z.infer<typeof GlanceInteraction>;

export const RelationshipGlance = z.object({
  /** The newest interaction, any kind and direction. */
  lastContact: GlanceInteraction.nullable(),
  /** The newest interaction from them: inbound, sent (or held, for a call or visit) by the record's person. */
  lastReply: GlanceInteraction.nullable(),
  last30Days: z.number().int().nonnegative(),
  last90Days: z.number().int().nonnegative(),
  rhythm: z.object({
    state: z.enum(["cooling", "steady", "not_enough_history"]),
    /** Distinct UTC days with an interaction in the year up to the last one. */
    activeDays: z.number().int().nonnegative(),
    /** The median of the gaps, in days, between those days; null below two days. */
    medianGapDays: z.number().nullable(),
    /** Whole UTC days since the last interaction; null with none. */
    daysSinceLast: z.number().int().nullable(),
  }),
});
export type RelationshipGlance = z.infer<typeof RelationshipGlance>;
