import { IdParams } from "../common";
import {
  Interaction,
  InteractionLinkAdd,
  InteractionLinkRemove,
  InteractionPage,
  LogEmail,
  LoggedEmail,
  NoteCreate,
  NoteListQuery,
  NoteUpdate,
  RecordTimelineQuery,
  RelationshipGlance,
  TimelinePeople,
} from "../interactions";
import { type RouteContract, crud } from "./contract";

const notes = crud("/api/v1/notes", "note", Interaction, NoteCreate, NoteUpdate, NoteListQuery);

/** Emails logged, and notes, calls, meetings and visits. */
export const interactionRoutes = {
  logEmail: {
    method: "POST",
    path: "/api/v1/emails",
    summary: "Log an email (idempotent by internet message id)",
    body: LogEmail,
    responses: { 200: LoggedEmail, 201: LoggedEmail },
  },
  getEmail: {
    method: "GET",
    path: "/api/v1/emails/:id",
    summary: "Read a logged email",
    params: IdParams,
    responses: { 200: Interaction },
  },
  linkInteraction: {
    method: "PUT",
    path: "/api/v1/interactions/:id/links",
    summary: "Link an email, meeting or note to a deal or a company (idempotent)",
    params: IdParams,
    body: InteractionLinkAdd,
    responses: { 200: Interaction },
  },
  unlinkInteraction: {
    method: "DELETE",
    path: "/api/v1/interactions/:id/links",
    summary: "Unlink an email, meeting or note from a deal or a company (idempotent)",
    params: IdParams,
    query: InteractionLinkRemove,
    responses: { 200: Interaction },
  },
  companyTimeline: {
    method: "GET",
    path: "/api/v1/companies/:id/timeline",
    summary: "A company's interactions: its people's and those linked to it, newest first",
    params: IdParams,
    query: RecordTimelineQuery,
    responses: { 200: InteractionPage },
  },
  dealTimeline: {
    method: "GET",
    path: "/api/v1/deals/:id/timeline",
    summary: "A deal's interactions: those linked to it, newest first",
    params: IdParams,
    query: RecordTimelineQuery,
    responses: { 200: InteractionPage },
  },
  companyTimelinePeople: {
    method: "GET",
    path: "/api/v1/companies/:id/timeline/people",
    summary:
      "Everyone taking part in a company's interactions, by name: whom its timeline can be narrowed to",
    params: IdParams,
    responses: { 200: TimelinePeople },
  },
  dealTimelinePeople: {
    method: "GET",
    path: "/api/v1/deals/:id/timeline/people",
    summary: "Everyone taking part in a deal's interactions, by name: whom its timeline can be narrowed to",
    params: IdParams,
    responses: { 200: TimelinePeople },
  },
  contactGlance: {
    method: "GET",
    path: "/api/v1/contacts/:id/glance",
    summary: "A contact's relationship at a glance: last contact, last reply, recent counts, cooling",
    params: IdParams,
    responses: { 200: RelationshipGlance },
  },
  companyGlance: {
    method: "GET",
    path: "/api/v1/companies/:id/glance",
    summary: "A company's relationship at a glance: last contact, last reply, recent counts, cooling",
    params: IdParams,
    responses: { 200: RelationshipGlance },
  },
  listNotes: notes.list,
  createNote: notes.create,
  getNote: notes.get,
  updateNote: notes.update,
  deleteNote: notes.remove,
} as const satisfies Record<string, RouteContract>;
