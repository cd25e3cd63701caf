import { IdParams } from "../common";
import { Interaction, LogEmail, LoggedEmail, NoteCreate, NoteListQuery, NoteUpdate } from "../interactions";
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
  listNotes: notes.list,
  createNote: notes.create,
  getNote: notes.get,
  updateNote: notes.update,
  deleteNote: notes.remove,
} as const satisfies Record<string, RouteContract>;
