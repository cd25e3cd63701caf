import { z } from "zod";
import { ClientId, EmailAddress, Id, IsoDate, IsoDateTime, OptionalText } from "./common";
import { Interaction, InteractionKind, MeetingDetails, MeetingOutcome } from "./interactions";
import { TimeZone } from "./time-zone";

// MeetingOutcome and MeetingDetails are written in interactions.ts, since an Interaction carries its meeting's
// details and this file imports Interaction; they are exported here too, under the same names.
export { MeetingDetails, MeetingOutcome } from "./interactions";

const MeetingPerson = z.strictObject({
  address: EmailAddress,
  name: z.string().trim().max(300).optional(),
});

/**
 * A meeting logged from the pane (organiser or attendee) or from Outlook mobile. Logging the same meeting again
 * (the same `iCalUId` from the same organiser, or without one the same organiser, start and subject, which also
 * finds the meeting the calendar captured) updates its notes and outcome, and its deal when `dealId` is given, and
 * adds the caller as a logger: never a second interaction. The organisation's privacy rules apply as to mail: a
 * meeting with no external attendee who is a contact is refused (422 `no_contact`), blocklisted addresses are never
 * stored as participants.
 */
export const LogMeeting = z
  .strictObject({
    id: ClientId,
    iCalUId: z.string().trim().min(1).max(1000).optional(),
    subject: OptionalText(998).optional(),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    location: OptionalText(1000).optional(),
    onlineUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
    organizer: MeetingPerson,
    attendees: z.array(MeetingPerson).max(500).default([]),
    /** The rep's notes: stored as the interaction's body (plain text). */
    notes: z.string().trim().max(20_000).optional(),
    outcome: MeetingOutcome.nullable().optional(),
    /**
     * A deal to link; null links none. When omitted, the attendees' single open deal is linked (a meeting logged
     * again keeps its deal).
     */
    dealId: Id.nullable().optional(),
  })
  .refine((meeting) => new Date(meeting.endsAt) >= new Date(meeting.startsAt), {
    message: "a meeting ends at or after its start",
    path: ["endsAt"],
  });
export type LogMeeting = z.input<typeof LogMeeting>;

export const LoggedMeeting = z.object({
  interaction: Interaction,
  meeting: MeetingDetails,
  created: z.boolean(),
});
export type LoggedMeeting = z.infer<typeof LoggedMeeting>;

export const MeetingBriefsQuery = z.strictObject({
  /** Where "today" starts and ends. UTC when omitted. */
  timeZone: TimeZone.default("UTC"),
  /** Another day than today, in the time zone. */
  date: IsoDate.optional(),
});
export type MeetingBriefsQuery = z.infer<typeof MeetingBriefsQuery>;

/** One external contact of a meeting, with what a rep reads before walking in. */
export const BriefContact = z.object({
  contact: z.object({
    id: Id,
    displayName: z.string(),
    title: z.string().nullable(),
    email: z.string().nullable(),
  }),
  company: z.object({ id: Id, name: z.string() }).nullable(),
  openDeals: z.array(
    z.object({
      id: Id,
      name: z.string(),
      amount: z.number().nullable(),
      currency: z.string().nullable(),
      stage: z.object({ id: Id, name: z.string() }),
    }),
  ),
  /** The contact's last three interactions before the meeting, newest first. */
  lastInteractions: z
    .array(
      z.object({
        id: Id,
        kind: InteractionKind,
        direction: z.enum(["in", "out"]).nullable(),
        occurredAt: IsoDateTime,
        subject: z.string().nullable(),
      }),
    )
    .max(3),
  openTasks: z.array(z.object({ id: Id, title: z.string(), dueAt: IsoDateTime.nullable() })),
});
export type BriefContact = z.infer<typeof BriefContact>;

/** A meeting of the caller's on the day with at least one external contact. */
export const MeetingBrief = z.object({
  interactionId: Id,
  subject: z.string().nullable(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  location: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  cancelled: z.boolean(),
  /** Everyone invited, the organiser first; contactId where the address is a contact's. */
  attendees: z.array(
    z.object({ address: z.string(), name: z.string().nullable(), contactId: Id.nullable() }),
  ),
  /** The external attendees who are contacts, in the attendees' order. */
  contacts: z.array(BriefContact),
});
export type MeetingBrief = z.infer<typeof MeetingBrief>;

export const MeetingBriefs = z.object({
  date: IsoDate,
  timeZone: z.string(),
  /** By start, earliest first. */
  meetings: z.array(MeetingBrief),
});
export type MeetingBriefs = z.infer<typeof MeetingBriefs>;
