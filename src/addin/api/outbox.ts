import { z } from "zod";
import { IsoDateTime } from "../../shared/common";
import { LogEmail, NoteCreate } from "../../shared/interactions";
import { Task, TaskCreate } from "../../shared/tasks";
import { type ApiClient, ApiError } from "./client";
import type { KeyValueStorage } from "./storage";

/**
 * What the rep asked Rapport to write. Every one is safe to send twice: an email is keyed by its message id,
 * notes and tasks carry an id made here, and marking a task done twice leaves it done.
 */
export const OutboxAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("logEmail"), body: LogEmail }),
  z.object({ kind: z.literal("createNote"), body: NoteCreate.required({ id: true }) }),
  z.object({ kind: z.literal("createTask"), body: TaskCreate.required({ id: true }) }),
  z.object({ kind: z.literal("completeTask"), task: Task }),
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
export type SubmitResult = { status: "sent" } | { status: "queued"; entryId: string };

export interface Outbox {
  /**
   * Keeps the action (in storage, before anything is sent), then sends it in order after anything queued
   * earlier. Resolves "sent" once the server has it, "queued" when the server cannot be reached now (it is sent
   * when it can); rejects with the server's ApiError when the server refuses it, which leaves nothing queued.
   */
  submit(action: OutboxActionInput): Promise<SubmitResult>;
  /** What waits to be sent, oldest first, and what the server refused while no one was waiting for it. */
  entries(): readonly OutboxEntry[];
  subscribe(listener: () => void): () => void;
  /** Called after each action the server accepted, for the pane to refresh what it shows. */
  onSent(listener: (action: OutboxAction) => void): () => void;
  /** Tries the queue now (the rep's "Send now", the browser coming back online). */
  flush(): Promise<void>;
  dismiss(entryId: string): void;
  /** Stops retrying (the pane is going away); what is queued stays in storage for the next start. */
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
  let entries = load();
  const listeners = new Set<() => void>();
  const sentListeners = new Set<(action: OutboxAction) => void>();
  const waiting = new Map<string, { resolve(r: SubmitResult): void; reject(e: unknown): void }>();
  let flushing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let closed = false;

  function load(): OutboxEntry[] {
    const parsed = z.array(OutboxEntry).safeParse(safeJson(storage.getItem(storageKey)));
    return parsed.success ? parsed.data : [];
  }

  function save(next: OutboxEntry[]): void {
    entries = next;
    // Storage that is full or gone must not lose the click: the entry still lives in memory and is sent.
    try {
      storage.setItem(storageKey, JSON.stringify(entries));
    } catch {
      /* kept in memory only */
    }
    for (const listener of listeners) listener();
  }

  async function send(action: OutboxAction): Promise<void> {
    switch (action.kind) {
      case "logEmail":
        await api("logEmail", { body: action.body });
        return;
      case "createNote":
        await api("createNote", { body: action.body });
        return;
      case "createTask":
        await api("createTask", { body: action.body });
        return;
      case "completeTask": {
        let version = action.task.version;
        for (let attempt = 0; ; attempt++) {
          try {
            await api("updateTask", { params: { id: action.task.id }, body: { done: true, version } });
            return;
          } catch (error) {
            // Someone changed the task meanwhile: done is done; otherwise mark the task as it is now.
            const current = conflictingTask(error);
            if (!current || attempt > 0) throw error;
            if (current.done) return;
            version = current.version;
          }
        }
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
        await send(entry.action);
      } catch (error) {
        if (error instanceof ApiError && error.retryable) {
          save(entries.map((e) => (e.id === entry.id ? { ...e, attempts: e.attempts + 1 } : e)));
          // Everything behind it waits too: the rep's actions reach the server in the order they were made.
          for (const [entryId, pending] of waiting) pending.resolve({ status: "queued", entryId });
          waiting.clear();
          scheduleRetry();
          return;
        }
        const promise = waiting.get(entry.id);
        if (promise) {
          // The rep is looking at this action: the error is shown there, with their input, to fix or retry.
          waiting.delete(entry.id);
          save(entries.filter((e) => e.id !== entry.id));
          promise.reject(error);
        } else {
          save(
            entries.map((e) =>
              e.id === entry.id
                ? { ...e, refused: error instanceof Error ? error.message : String(error) }
                : e,
            ),
          );
        }
        continue;
      }
      failures = 0;
      save(entries.filter((e) => e.id !== entry.id));
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
    submit(input) {
      const entry: OutboxEntry = {
        id: crypto.randomUUID(),
        action: OutboxAction.parse(input),
        queuedAt: new Date().toISOString(),
        attempts: 0,
        refused: null,
      };
      const result = new Promise<SubmitResult>((resolve, reject) =>
        waiting.set(entry.id, { resolve, reject }),
      );
      save([...entries, entry]);
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
      save(entries.filter((e) => e.id !== entryId));
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
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
