import { IdParams } from "../common";
import { Contact, ContactCreate, ContactListQuery, ContactUpdate } from "../contacts";
import { Timeline, TimelineQuery } from "../people";
import { type RouteContract, crud } from "./contract";

const contacts = crud("/api/v1/contacts", "contact", Contact, ContactCreate, ContactUpdate, ContactListQuery);

/** Contacts, and a contact's timeline. */
export const contactRoutes = {
  contactTimeline: {
    method: "GET",
    path: "/api/v1/contacts/:id/timeline",
    summary: "Interactions, stage changes and tasks of a contact, newest first",
    params: IdParams,
    query: TimelineQuery,
    responses: { 200: Timeline },
  },
  listContacts: contacts.list,
  createContact: contacts.create,
  getContact: contacts.get,
  updateContact: contacts.update,
  deleteContact: contacts.remove,
} as const satisfies Record<string, RouteContract>;
