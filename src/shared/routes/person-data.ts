import { IdParams } from "../common";
import { ContactErased, PersonDataExport } from "../person-data";
import type { RouteContract } from "./contract";

/** A person's data: everything held about them (GDPR access), and their erasure. */
export const personDataRoutes = {
  exportPersonData: {
    method: "GET",
    path: "/api/v1/contacts/:id/data-export",
    summary:
      "Everything held about one contact (addresses, company, deals, stage changes, tasks, interactions with their excerpts, audit events) as one JSON document to save",
    params: IdParams,
    responses: { 200: PersonDataExport },
    attachment: true,
  },
  eraseContact: {
    method: "POST",
    path: "/api/v1/contacts/:id/erase",
    summary:
      "Erase a person everywhere (admins only): the contact, its addresses, its tasks, interactions no other contact was on; their name and addresses scrubbed from every other text, audit details included",
    params: IdParams,
    responses: { 200: ContactErased },
  },
} as const satisfies Record<string, RouteContract>;
