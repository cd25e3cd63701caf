/// <reference types="office-runtime" />

/**
 * Emails the classic Outlook on Windows handler logged on send, waiting for a pane to send them. That handler
 * runs in a JavaScript-only runtime, without localStorage (so without the outbox) and without a sign-in of its
 * own: it keeps the log in OfficeRuntime.storage, which the add-in's pages share, and the next pane or command
 * moves it into the outbox.
 */
export const ON_SEND_QUEUE_KEY = "rapport.onSendQueue";

/** A draft as it went, with its Rapport key: the contract's LogEmail fields, as plain data. */
export interface QueuedSend {
  rapportKey: string;
  conversationId: string | null;
  subject: string;
  from: string;
  to: { address: string; name: string | null }[];
  cc: { address: string; name: string | null }[];
  sentAt: string;
  bodyText: string;
  /** Queued by the organisation's policy, not by the rep: sent only if someone on it is a known contact. */
  ifKnownContacts?: boolean;
  /** The template the rep put into the draft, recorded as its use. */
  templateId?: string;
}

const POLICY_KEY = "rapport.logOnSendToKnownContacts";

/**
 * The organisation's "log mail to known contacts on send", as a pane last read it: the classic handler cannot
 * ask the server, so the pages leave it here for it.
 */
export async function rememberLogOnSendPolicy(on: boolean): Promise<void> {
  await storage()?.setItem(POLICY_KEY, on ? "1" : "0");
}

export async function logOnSendPolicy(): Promise<boolean> {
  return (await storage()?.getItem(POLICY_KEY)) === "1";
}

function storage(): OfficeRuntime.Storage | null {
  return typeof OfficeRuntime === "undefined" ? null : OfficeRuntime.storage;
}

async function read(store: OfficeRuntime.Storage): Promise<unknown[]> {
  try {
    const parsed: unknown = JSON.parse((await store.getItem(ON_SEND_QUEUE_KEY)) ?? "[]");
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export async function pushQueuedSend(entry: QueuedSend): Promise<void> {
  const store = storage();
  if (!store) throw new Error("OfficeRuntime.storage is not available here");
  await store.setItem(ON_SEND_QUEUE_KEY, JSON.stringify([...(await read(store)), entry]));
}

/**
 * Hands each waiting entry to `take` (which must have kept it, e.g. in the outbox, when it resolves), then
 * drops the ones taken; anything queued meanwhile stays for the next time.
 */
export async function drainQueuedSends(take: (entry: unknown) => Promise<void>): Promise<number> {
  const store = storage();
  if (!store) return 0;
  const entries = await read(store);
  if (entries.length === 0) return 0;
  const taken = new Set<unknown>();
  for (const entry of entries) {
    await take(entry);
    taken.add(entry);
  }
  const now = await read(store);
  const key = (e: unknown) => JSON.stringify(e);
  const done = new Set([...taken].map(key));
  await store.setItem(ON_SEND_QUEUE_KEY, JSON.stringify(now.filter((e) => !done.has(key(e)))));
  return taken.size;
}
