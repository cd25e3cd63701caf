import { Deleted, IdParams } from "../common";
import {
  OccasionMailList,
  OccasionMailQuery,
  OccasionRule,
  OccasionRuleCreate,
  OccasionRuleList,
  OccasionRuleUpdate,
  OccasionSending,
} from "../occasions";
import type { RouteContract } from "./contract";

/**
 * Occasion mails: the rules (a birthday, N days or a year after a deal was won, and the template), the caller's
 * own switch that lets a send-mode rule send from their mailbox, and the caller's mails of a day.
 */
export const occasionRoutes = {
  listOccasionRules: {
    method: "GET",
    path: "/api/v1/occasion-rules",
    summary: "The organisation's occasion rules and the caller's own",
    responses: { 200: OccasionRuleList },
  },
  createOccasionRule: {
    method: "POST",
    path: "/api/v1/occasion-rules",
    summary:
      "Create an occasion rule (the organisation's: admins only; a rep's own for their contacts); its template must be one every rep it serves can read",
    body: OccasionRuleCreate,
    responses: { 201: OccasionRule },
  },
  getOccasionRule: {
    method: "GET",
    path: "/api/v1/occasion-rules/:id",
    summary: "Read an occasion rule",
    params: IdParams,
    responses: { 200: OccasionRule },
  },
  updateOccasionRule: {
    method: "PATCH",
    path: "/api/v1/occasion-rules/:id",
    summary: "Update an occasion rule (stale version: 409 with the current rule)",
    versioned: true,
    params: IdParams,
    body: OccasionRuleUpdate,
    responses: { 200: OccasionRule },
  },
  deleteOccasionRule: {
    method: "DELETE",
    path: "/api/v1/occasion-rules/:id",
    summary: "Delete an occasion rule (the mails it made stay, as the record that they happened)",
    params: IdParams,
    responses: { 200: Deleted },
  },
  setOccasionSending: {
    method: "POST",
    path: "/api/v1/occasion-rules/:id/sending",
    summary:
      "Turn on or off sending from the caller's own mailbox for a send-mode rule (off, or never turned on: it drafts)",
    params: IdParams,
    body: OccasionSending,
    responses: { 200: OccasionRule },
  },
  listOccasionMails: {
    method: "GET",
    path: "/api/v1/occasion-mails",
    summary: "The caller's occasion mails of a day (today in their time zone unless a day is named)",
    query: OccasionMailQuery,
    responses: { 200: OccasionMailList },
  },
} as const satisfies Record<string, RouteContract>;
