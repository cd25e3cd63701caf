import type { ApiClient } from "../../client/api-client";
import type { FileClient } from "../../client/files";
import { type Outbox, createOutbox } from "./outbox";
import { type ProfileCache, createProfileCache } from "./profile-cache";
import { type KeyValueStorage, browserStorage, memoryStorage } from "./storage";
import type { MeetingIds } from "../auth/meeting-ids";
import type { OutlookContacts } from "../auth/outlook-contacts";
import type { AccountSignIn } from "../auth/sign-in";
import type { Mailbox } from "../office/mailbox";

/**
 * What the pane and the commands run on: Outlook or the simulated mailbox, the API client, and what keeps them
 * useful offline. Plain objects, no React, so the ribbon command and the on-send handler load none.
 */
export interface Services {
  mailbox: Mailbox;
  api: ApiClient;
  /** The routes that answer a file (a quote's PDF to attach), with the same sign-in as `api`. */
  files?: FileClient;
  /** Every write the rep makes goes through it, so a click made offline is sent later instead of lost. */
  outbox: Outbox;
  profiles: ProfileCache;
  /** The rep's own Outlook contacts, where Rapport may read them (Microsoft 365 sign-in); none elsewhere. */
  outlookContacts?: OutlookContacts;
  /** The open meeting's iCalUId from the rep's calendar, where Rapport may read it (Microsoft 365 sign-in). */
  meetingIds?: MeetingIds;
  /** Rapport's own accounts: the rep's session here, and the ways in and out (where this pane has them). */
  account?: AccountSignIn;
}

/** The services of one rep's pane or command; their queue and cache are kept apart from any other rep's on the machine. */
export function createServices({
  mailbox,
  api,
  files,
  storage = browserStorage(),
  outlookContacts,
  meetingIds,
  account,
}: {
  mailbox: Mailbox;
  api: ApiClient;
  files?: FileClient;
  storage?: KeyValueStorage;
  outlookContacts?: OutlookContacts;
  meetingIds?: MeetingIds;
  account?: AccountSignIn;
}): Services {
  const user = mailbox.userAddress();
  // Without knowing whose pane this is, nothing is kept past it: it could show up in another rep's pane.
  const kept = user ? storage : memoryStorage();
  const owner = user ?? "unknown";
  return {
    mailbox,
    api,
    files,
    outbox: createOutbox({ api, storage: kept, owner }),
    profiles: createProfileCache({ storage: kept, owner }),
    outlookContacts,
    meetingIds,
    account,
  };
}
