import { z } from "zod";
import { MySettings, PrivacyRules } from "../mailboxes";
import { LoggingPolicy, LoggingPolicyUpdate, Organization, OrganizationUpdate } from "../organizations";
import type { RouteContract } from "./contract";

export const Me = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    role: z.enum(["admin", "member"]),
    /**
     * How this request's caller signed in: Microsoft 365 (`entra`), Rapport's own account (`account`: the web app
     * shows account settings), or the local issuer of development (`local`).
     */
    signedInWith: z.enum(["entra", "account", "local"]).optional(),
  }),
  organization: z.object({
    id: z.uuid(),
    name: z.string(),
    internalDomains: z.array(z.string()),
    loggingPolicy: LoggingPolicy,
    /** Whether anyone is its admin yet: with Entra sign-in, admins come from the tenant or the server's list. */
    hasAdmin: z.boolean(),
  }),
  /** The Entra app role that makes its holder an admin at sign-in; null where nobody signs in with Entra. */
  adminAppRole: z.string().nullable(),
  /** The caller's own switches (auto-log on open, opt-out of the mailbox sync). */
  settings: MySettings,
  /** What the pane checks before it logs: internal domains, the organisation's and the caller's blocklists. */
  privacy: PrivacyRules,
});
export type Me = z.infer<typeof Me>;

/** The organisation: the caller with it (`/me`), its name and internal domains, and what it logs by itself. */
export const organizationRoutes = {
  me: {
    method: "GET",
    path: "/api/v1/me",
    summary: "The caller and their organisation",
    responses: { 200: Me },
  },
  getOrganization: {
    method: "GET",
    path: "/api/v1/organization",
    summary: "The organisation's name and internal domains, with its version",
    responses: { 200: Organization },
  },
  updateOrganization: {
    method: "PATCH",
    path: "/api/v1/organization",
    summary: "Rename the organisation or set its internal domains (admins only; stale version: 409)",
    versioned: true,
    body: OrganizationUpdate,
    responses: { 200: Organization },
  },
  updateLoggingPolicy: {
    method: "PATCH",
    path: "/api/v1/organization/logging-policy",
    summary: "Change what the organisation logs by itself (admins only)",
    body: LoggingPolicyUpdate,
    responses: { 200: LoggingPolicy },
  },
} as const satisfies Record<string, RouteContract>;
