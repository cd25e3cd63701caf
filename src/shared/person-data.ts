import { z } from "zod";
import { Id, IsoDateTime } from "./common";
import { Company } from "./companies";
import { Contact } from "./contacts";
import { CustomFieldType } from "./custom-fields";
import { DealWithStage, StageChange } from "./deals";
import { Interaction } from "./interactions";
import { Task } from "./tasks";
import { Rating } from "./ratings";
import { Lead } from "./web-forms";

/** Names the document's shape, so a reader years later knows which description applies. */
export const PERSON_DATA_FORMAT = "rapport.person-data/1";

/** A colleague the document names (owner, logger, assignee, actor), so ids read as people. */
export const PersonDataUser = z.object({
  id: Id,
  displayName: z.string().nullable(),
  email: z.string().nullable(),
});

/** One custom field value of the contact, with the label and type the organisation gave the field. */
export const PersonDataCustomField = z.object({
  key: z.string(),
  /** Null for a value whose definition was removed meanwhile. */
  label: z.string().nullable(),
  type: CustomFieldType.nullable(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

/** A change recorded in the audit trail about the contact, one of its tasks or one of its interactions. */
export const PersonDataAuditEvent = z.object({
  id: Id,
  at: IsoDateTime,
  action: z.string(),
  entityType: z.string(),
  entityId: Id,
  actorId: Id.nullable(),
  details: z.record(z.string(), z.unknown()),
});

/**
 * Everything Rapport holds about one person (a contact), as one JSON document: what an organisation hands a
 * person who asks for their data (GDPR article 15), or moves to another system (article 20).
 */
export const PersonDataExport = z.object({
  format: z.literal(PERSON_DATA_FORMAT),
  /** What each part of the document holds, in plain words, for whoever reads it without Rapport. */
  description: z.record(z.string(), z.string()),
  exportedAt: IsoDateTime,
  exportedBy: PersonDataUser,
  organization: z.object({ id: Id, name: z.string() }),
  contact: Contact,
  customFields: z.array(PersonDataCustomField),
  company: Company.nullable(),
  deals: z.array(DealWithStage),
  stageChanges: z.array(StageChange),
  tasks: z.array(Task),
  interactions: z.array(Interaction),
  leads: z.array(Lead),
  /** Their answers to survey links (NPS, CSAT), with their comments. */
  ratings: z.array(Rating),
  auditEvents: z.array(PersonDataAuditEvent),
  users: z.array(PersonDataUser),
});
export type PersonDataExport = z.infer<typeof PersonDataExport>;

/** What an erasure removed and rewrote: counts only, never what the person's data was. */
export const ContactErased = z.object({
  id: Id,
  erased: z.literal(true),
  /** Interactions no other contact took part in (the emails, calls, meetings, notes and visits with them). */
  interactionsDeleted: z.number().int(),
  /** Interactions other contacts took part in: kept without the person, their excerpt removed. */
  interactionsScrubbed: z.number().int(),
  /** Tasks linked to the person: about them, so they go. */
  tasksDeleted: z.number().int(),
  /** Web form submissions of theirs (linked to them, or sent with one of their addresses): what they sent goes. */
  leadsDeleted: z.number().int(),
  /** Their answers to survey links: theirs alone, so they go. */
  ratingsDeleted: z.number().int(),
  /**
   * Of the interactions kept, those whose subject named the person or gave their address or phone, rewritten
   * with "[erased]". Records that are not about the person (companies, deals, other contacts, their notes and
   * tasks, emails the person was not on) are never rewritten.
   */
  recordsScrubbed: z.number().int(),
  /** Audit events about the person's records whose details named them, rewritten the same way. */
  auditEventsScrubbed: z.number().int(),
});
export type ContactErased = z.infer<typeof ContactErased>;
