import { Deleted, IdParams } from "../common";
import {
  Blocklist,
  BlocklistEntry,
  BlocklistEntryCreate,
  BlocklistQuery,
  Mailbox,
  MailboxList,
  MailboxUpdate,
  MySettings,
  MySettingsUpdate,
  UserIdParams,
} from "../mailboxes";
import type { RouteContract } from "./contract";

/** The mailbox sync: each mailbox's switches and status, the caller's own switches, and the blocklists every automatic log obeys. */
export const syncRoutes = {
  listMailboxes: {
    method: "GET",
    path: "/api/v1/mailboxes",
    summary:
      "Mailbox sync: each mailbox's switches, status, last run and last error, calendar capture and change notifications (admins: everyone's)",
    responses: { 200: MailboxList },
  },
  myMailbox: {
    method: "GET",
    path: "/api/v1/me/mailbox",
    summary:
      "The caller's own mailbox sync: status, and where its calendar capture and change notifications stand",
    responses: { 200: Mailbox },
  },
  updateMailbox: {
    method: "PATCH",
    path: "/api/v1/mailboxes/:userId",
    summary: "Turn one user's mailbox sync on or off (admins only; the user's opt-out still wins)",
    params: UserIdParams,
    body: MailboxUpdate,
    responses: { 200: Mailbox },
  },
  mySettings: {
    method: "GET",
    path: "/api/v1/me/settings",
    summary: "The caller's own switches",
    responses: { 200: MySettings },
  },
  updateMySettings: {
    method: "PATCH",
    path: "/api/v1/me/settings",
    summary:
      "Change the caller's own switches (auto-log on open, opt out of the mailbox sync, the web app's language, the time zone)",
    body: MySettingsUpdate,
    responses: { 200: MySettings },
  },
  listBlocklist: {
    method: "GET",
    path: "/api/v1/blocklist",
    summary:
      "The organisation's blocklist, or the caller's own (personal entries are visible to their owner only)",
    query: BlocklistQuery,
    responses: { 200: Blocklist },
  },
  addBlocklistEntry: {
    method: "POST",
    path: "/api/v1/blocklist",
    summary: "Block an address or an @domain (organisation scope: admins only); adding it again returns it",
    body: BlocklistEntryCreate,
    responses: { 200: BlocklistEntry, 201: BlocklistEntry },
  },
  removeBlocklistEntry: {
    method: "DELETE",
    path: "/api/v1/blocklist/:id",
    summary: "Unblock an entry (organisation scope: admins only)",
    params: IdParams,
    responses: { 200: Deleted },
  },
} as const satisfies Record<string, RouteContract>;
