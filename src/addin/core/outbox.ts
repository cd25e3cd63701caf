import { z } from "zod";
import { IsoDateTime } from "../../shared/common";
import { LogEmail, NoteCreate } from "../../shared/interactions";
import { LogMeeting } from "../../shared/meetings";
import { Task, TaskCreate } from "../../shared/tasks";
import type { ApiClient } from "../../client/api-client";
import { ApiError, errorDetail } from "../../client/problems";
import type { KeyValueStorage } from "./storage";

/**
 * What the rep asked Rapport to write. Each is safe to send twice: an email is keyed by its message id, notes
 * and tasks carry an id made here, a meeting is one interaction however often it is logged (the server knows it by
 * its iCalUId, or its organiser, start and subject), and marking a task done twice leaves it done. (A create sent again after
 * its record was deleted makes it anew; a "done" sent again after someone reopened the task closes it again.)
 */
export const OutboxAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("logEmail"), body: LogEmail }),
  z.object({ kind: z.literal("logMeeting"), body: LogMeeting }),
  z.object({ kind: z.literal("createNote"), body: NoteCreate.required({ id: true }) }),
  z.object({ kind: z.literal("createTask"), body: TaskCreate.required({ id: true }) }),
  // Only what sending and showing it need: a queue kept over an upgrade must still read when Task grows.
  z.object({
    kind: z.literal("completeTask"),
    task: Task.pick({ id: true, title: true, version: true, contactId: true }),
  }),
  // The undo of a "done": the version is the one the done left (a guess the server corrects, as for done).
  z.object({
    kind: z.literal("reopenTask"),
    task: Task.pick({ id: true, title: true, version: true, contactId: true }),
  }),
]);
export type OutboxAction = z.infer<typeof OutboxAction>;
export type OutboxActionInput = z.input<typeof OutboxAction>;

const OutboxEntry = z.object({
  id: z.string(),
  action: OutboxAction,
  queuedAt: IsoDateTime,
  attempts: z.number().int(),
  /** Set once the server refused it for good (a 4xx): kept until the rep has seen why. */
  refused: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

/** "queued" names its outbox entry, to follow it until it is sent (gone from the outbox) or refused. */
export interface SubmitOptions {
  /**
   * Whether the rep still looks at the action when the server refuses it: then the refusal is theirs to see
   * (and the entry goes); otherwise it stays in the outbox, refused, until they dismiss it there.
   */
  watched?: () => boolean;
}

export type SubmitResult = { status: "sent" } | { status: "queued"; entryId: string };

export interface Outbox {
  /**
   * Keeps the action (in storage, before anything is sent), then sends it in order after anything queued
   * earlier. Resolves "sent" once the server has it, "queued" when the server cannot be reached now (it is sent
   * when it can); rejects when the server refuses it (see SubmitOptions.watched for where the refusal shows).
   * Another window on the same storage may send it first: "sent" if the server took it, "queued" if it refused
   * it (the refusal then waits in the outbox, as an unwatched one does).
   */
  submit(action: OutboxActionInput, options?: SubmitOptions): Promise<SubmitResult>;
  /** What waits to be sent, oldest first, and what the server refused while no one was waiting for it. */
  entries(): readonly OutboxEntry[];
  subscribe(listener: () => void): () => void;
  /** Called after each action the server accepted, for the pane to refresh what it shows. */
  onSent(listener: (action: OutboxAction) => void): () => void;
  /** Tries the queue now (the rep's "Send now", the browser coming back online). */
  flush(): Promise<void>;
  dismiss(entryId: string): void;
  /**
   * Stops retrying (the pane is going away); what is queued stays in storage for the next start. A send under
   * way still finishes, and takes its entry out of storage if the server has it.
   */
  close(): void;
}

export interface OutboxOptions {
  api: ApiClient;
  storage: KeyValueStorage;
  /** Whose actions these are (the rep's address): each rep on a shared machine has their own queue. */
  owner: string;
  /** Pause before each next retry while the server stays unreachable, then the last one over and over. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_DELAYS = [2_000, 5_000, 15_000, 30_000, 60_000];

export function createOutbox({ api, storage, owner, retryDelaysMs = DEFAULT_DELAYS }: OutboxOptions): Outbox {
  const storageKey = `rapport.outbox.v1:${owner.toLowerCase()}`;
  const listeners = new Set<() => void>();
  const sentListeners = new Set<(action: OutboxAction) => void>();
  const waiting = new Map<
    string,
    { resolve(r: SubmitResult): void; reject(e: unknown): void; watched(): boolean }
  >();
  let flushing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let closed = false;
  /** Entries only this window holds, because storage refused to keep them (full, or gone). */
  let unsaved: OutboxEntry[] = [];
  let entries = read().entries;

  /** The stored queue, entry by entry: one that no longer reads (an older release's) is kept, not lost. */
  function read(): { entries: OutboxEntry[]; unreadable: unknown[] } {
    const stored = safeJson(storage.getItem(storageKey));
    const items = Array.isArray(stored) ? stored : [];
    const result: { entries: OutboxEntry[]; unreadable: unknown[] } = { entries: [], unreadable: [] };
    for (const item of items) {
      const parsed = OutboxEntry.safeParse(item);
      if (parsed.success) result.entries.push(parsed.data);
      else result.unreadable.push(item);
    }
    return result;
  }

  /**
   * Every change is made to what storage holds now, not to this window's copy: another Outlook window on the
   * same storage may have queued or sent something meanwhile, and neither may undo the other's.
   */
  function change(apply: (current: OutboxEntry[]) => OutboxEntry[]): void {
    const stored = read();
    const known = new Set(stored.entries.map((e) => e.id));
    const next = apply([...stored.entries, ...unsaved.filter((e) => !known.has(e.id))]);
    try {
      storage.setItem(storageKey, JSON.stringify([...stored.unreadable, ...next]));
      unsaved = [];
    } catch {
      // Storage that is full or gone must not lose the click: the entry still lives here and is sent.
      unsaved = next;
    }
    entries = next;
    settleSentElsewhere();
    for (const listener of listeners) listener();
  }

  /**
   * An action this window waits for left storage without this window sending it: another window on the same
   * storage sent it (only a send takes an entry out that someone here still waits for), so the rep hears "sent"
   * instead of waiting for ever. One that another window sent and the server refused stays in the outbox with
   * the refusal, where nobody sends it again: the rep hears it is there ("queued") rather than waiting for ever,
   * and rather than "sent" once someone dismisses it.
   */
  function settleSentElsewhere(): void {
    for (const [entryId, pending] of waiting) {
      const entry = entries.find((e) => e.id === entryId);
      if (entry && entry.refused === null) continue;
      waiting.delete(entryId);
      pending.resolve(entry ? { status: "queued", entryId } : { status: "sent" });
    }
  }

  // Another window changed the queue: show it as it is now.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== storageKey) return;
    const known = new Set<string>();
    entries = [...read().entries, ...unsaved].filter((e) => !known.has(e.id) && known.add(e.id));
    settleSentElsewhere();
    for (const listener of listeners) listener();
  };
  globalThis.addEventListener?.("storage", onStorage);

  /**
   * Whether the entry still waits in storage (or here, where storage refused it): gone, another window on the
   * same storage has sent it.
   */
  const stillQueued = (entryId: string) => [...read().entries, ...unsaved].some((e) => e.id === entryId);

  async function send({ id, action }: OutboxEntry): Promise<void> {
    switch (action.kind) {
      case "logEmail":
        await api("logEmail", { body: action.body });
        return;
      case "logMeeting":
        await api("logMeeting", { body: action.body });
        return;
      case "createNote":
        await api("createNote", { body: action.body });
        return;
      case "createTask":
        await api("createTask", { body: action.body });
        return;
      case "completeTask":
      case "reopenTask":
        await markTask(action.task, action.kind === "completeTask", () => stillQueued(id));
        return;
    }
  }

  async function markTask(
    task: Pick<Task, "id" | "version">,
    done: boolean,
    stillWanted: () => boolean,
  ): Promise<void> {
    let version = task.version;
    for (let attempt = 0; ; attempt++) {
      try {
        await api("updateTask", { params: { id: task.id }, body: { done, version } });
        return;
      } catch (error) {
        // Someone changed the task meanwhile: if it is already as wanted, so be it; otherwise mark it as it is now.
        const current = conflictingTask(error);
        if (!current || attempt > 0) throw error;
        if (current.done === done) return;
        // Unless another window already sent this very action and what changed the task since is the rep's own
        // later action (the undo of this "done"): this copy arrived late, and marking it again would undo the undo.
        if (!stillWanted()) return;
        version = current.version;
      }
    }
  }

  function scheduleRetry(): void {
    if (closed || timer) return;
    const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)] ?? 60_000;
    failures++;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delay);
  }

  async function drain(): Promise<void> {
    for (;;) {
      const entry = entries.find((e) => e.refused === null);
      if (!entry || closed) return;
      try {
        await send(entry);
      } catch (error) {
        if (error instanceof ApiError && error.retryable) {
          change((current) =>
            current.map((e) => (e.id === entry.id ? { ...e, attempts: e.attempts + 1 } : e)),
          );
          // Everything behind it waits too: the rep's actions reach the server in the order they were made.
          for (const [entryId, pending] of waiting) pending.resolve({ status: "queued", entryId });
          waiting.clear();
          scheduleRetry();
          return;
        }
        const promise = waiting.get(entry.id);
        waiting.delete(entry.id);
        if (promise?.watched()) {
          // The rep is looking at this action: the error is shown there, with their input, to fix or retry.
          change((current) => current.filter((e) => e.id !== entry.id));
        } else {
          const why = errorDetail(error);
          change((current) => current.map((e) => (e.id === entry.id ? { ...e, refused: why } : e)));
        }
        promise?.reject(error);
        continue;
      }
      failures = 0;
      change((current) => current.filter((e) => e.id !== entry.id));
      waiting.get(entry.id)?.resolve({ status: "sent" });
      waiting.delete(entry.id);
      for (const listener of sentListeners) listener(entry.action);
    }
  }

  const sendable = () => !closed && !timer && entries.some((e) => e.refused === null);

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    // One drain at a time: a second flush joins the running one, which picks up whatever was queued meanwhile;
    // one queued as that drain was ending is caught by the check after it.
    flushing ??= drain().finally(() => {
      flushing = null;
      if (sendable()) void flush();
    });
    return flushing;
  }

  // What an earlier session queued is sent as soon as this one starts.
  if (sendable()) void flush();

  return {
    submit(input, options = {}) {
      const entry: OutboxEntry = {
        id: crypto.randomUUID(),
        action: OutboxAction.parse(input),
        queuedAt: new Date().toISOString(),
        attempts: 0,
        refused: null,
      };
      const result = new Promise<SubmitResult>((resolve, reject) =>
        waiting.set(entry.id, { resolve, reject, watched: options.watched ?? (() => true) }),
      );
      change((current) => [...current, entry]);
      if (closed) {
        waiting.delete(entry.id);
        return Promise.resolve({ status: "queued", entryId: entry.id });
      }
      // A new click is a good moment to try again, even while a retry is pending.
      void flush();
      return result;
    },
    entries: () => entries,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onSent(listener) {
      sentListeners.add(listener);
      return () => sentListeners.delete(listener);
    },
    flush,
    dismiss(entryId) {
      change((current) => current.filter((e) => e.id !== entryId));
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      globalThis.removeEventListener?.("storage", onStorage);
      // What is still on its way stays queued in storage; whoever waits for it hears so now.
      for (const [entryId, pending] of waiting) pending.resolve({ status: "queued", entryId });
      waiting.clear();
    },
  };
}

function conflictingTask(error: unknown): Task | null {
  if (!(error instanceof ApiError) || error.code !== "version_conflict") return null;
  const current = Task.safeParse(error.problem?.current);
  return current.success ? current.data : null;
}

function safeJson(text: string | null): unknown {
  if (text === null) return [];
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
