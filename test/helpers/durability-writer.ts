/**
 * The durability test's load: a process of its own (`node --import tsx test/helpers/durability-writer.ts
 * <config.json>`) that keeps 200 concurrent writers going against a Rapport server which the test kills with
 * -9 and restarts. Each writer logs emails, makes notes or tasks (with client-made ids) or moves deals between
 * stages, and this process writes down, synchronously and right after the answer arrives:
 *
 * - every acknowledged write (a 2xx answer) as one JSON line in `ackFile`;
 * - every attempt that did not get one (no answer: refused, reset, timed out; or an error status) in `failFile`.
 *
 * A write that gets no answer is sent again with the same id (as the add-in's outbox does) or given up, at
 * random, so some writes stay unacknowledged: whether they are in the store is unknown, but if they are, they
 * must be whole. The server's URL is read from `urlFile` before each attempt (a restart may pick another port).
 * It runs until `stopFile` exists, SIGTERM arrives or `budgetMs` passes, finishes the requests in flight, and
 * prints a JSON summary line.
 */
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";

export interface WriterConfig {
  urlFile: string;
  stopFile: string;
  ackFile: string;
  failFile: string;
  /** One bearer token per user; `addresses[i]` is the email address of the user of `tokens[i]`. */
  tokens: string[];
  addresses: string[];
  contacts: { id: string; address: string; name: string }[];
  deals: { id: string; version: number; stageId: string }[];
  stageIds: string[];
  /** How many writers of each kind; 200 in all by default. */
  writers?: Partial<Record<WriteKind, number>>;
  budgetMs: number;
  /** Per request; a request without an answer by then counts as unanswered. */
  requestTimeoutMs?: number;
}

export type WriteKind = "email" | "note" | "task" | "stage";

/** One write as the writer made it; `key` identifies it in the store (message id, record id or stage tag). */
export type Write =
  | { kind: "email"; key: string; user: number; contactId: string; subject: string }
  | { kind: "note"; key: string; user: number; contactId: string; body: string }
  | { kind: "task"; key: string; user: number; title: string; contactId: string | null }
  | {
      kind: "stage";
      /** The move's `source`, unique per move: how it is found in deal_stage_changes. */
      key: string;
      user: number;
      dealId: string;
      fromVersion: number;
      fromStageId: string;
      stageId: string;
    };

/** A line of `ackFile`. */
export interface Acknowledged {
  write: Write;
  status: number;
  attempts: number;
  at: number;
  /** Emails: the interaction the server answered with. */
  interactionId?: string | null;
  /** Stage moves: the deal's version and stage in the answer (null if the body could not be read). */
  version?: number | null;
  stageId?: string | null;
}

/** A line of `failFile`: one attempt without a 2xx. */
export interface FailedAttempt {
  write: Write;
  attempt: number;
  /**
   * null: no answer. With `error` ECONNREFUSED no server took the request; otherwise (reset, closed, timed out)
   * it may or may not have been carried out.
   */
  status: number | null;
  error: string | null;
  at: number;
}

export interface WriterSummary {
  acknowledged: Record<WriteKind, number>;
  /** Attempts without an answer, by error code. */
  unanswered: Record<string, number>;
  answeredWithError: Record<string, number>;
  conflicts: number;
  givenUp: number;
  elapsedMs: number;
}

const DEFAULT_WRITERS: Record<WriteKind, number> = { email: 50, note: 50, task: 50, stage: 50 };

async function run(config: WriterConfig): Promise<WriterSummary> {
  const started = Date.now();
  const timeoutMs = config.requestTimeoutMs ?? 20_000;
  const ackFd = openSync(config.ackFile, "a");
  const failFd = openSync(config.failFile, "a");
  const summary: WriterSummary = {
    acknowledged: { email: 0, note: 0, task: 0, stage: 0 },
    unanswered: {},
    answeredWithError: {},
    conflicts: 0,
    givenUp: 0,
    elapsedMs: 0,
  };

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on("SIGTERM", stop);
  const budget = setTimeout(stop, config.budgetMs);
  const poll = setInterval(() => {
    if (existsSync(config.stopFile)) stop();
  }, 100);

  // What the writers know of each deal: raised by every answer that shows a newer version.
  const known = new Map(config.deals.map((d) => [d.id, { version: d.version, stageId: d.stageId }]));
  const learn = (deal: unknown) => {
    const d = deal as { id?: unknown; version?: unknown; stageId?: unknown } | null;
    if (!d || typeof d.id !== "string" || typeof d.version !== "number" || typeof d.stageId !== "string")
      return;
    const k = known.get(d.id);
    if (k && d.version > k.version) known.set(d.id, { version: d.version, stageId: d.stageId });
  };

  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const baseUrl = () => readFileSync(config.urlFile, "utf8").trim();

  function makeWrite(kind: WriteKind, writer: number): { write: Write; path: string; body: unknown } {
    const user = writer % config.tokens.length;
    const contact = pick(config.contacts);
    const id = randomUUID();
    switch (kind) {
      case "email": {
        const key = `<durability-${id}@fabrikam.example>`;
        const subject = `Durability ${id.slice(0, 8)}`;
        return {
          write: { kind, key, user, contactId: contact.id, subject },
          path: "/api/v1/emails",
          body: {
            internetMessageId: key,
            subject,
            from: { address: contact.address, name: contact.name },
            to: [{ address: config.addresses[user] }],
            sentAt: new Date(Date.now() - Math.floor(Math.random() * 86_400_000)).toISOString(),
            bodyText: `Hello,\nthis is email ${id}.\n`,
          },
        };
      }
      case "note": {
        const body = `Durability note ${id}`;
        const noteKind = pick(["note", "call", "meeting", "visit"] as const);
        return {
          write: { kind, key: id, user, contactId: contact.id, body },
          path: "/api/v1/notes",
          body: { id, kind: noteKind, contactId: contact.id, body, subject: `Note ${id.slice(0, 8)}` },
        };
      }
      case "task": {
        const title = `Durability task ${id}`;
        const contactId = Math.random() < 0.5 ? contact.id : null;
        return {
          write: { kind, key: id, user, title, contactId },
          path: "/api/v1/tasks",
          body: {
            id,
            title,
            dueAt: Math.random() < 0.5 ? null : new Date(Date.now() + 86_400_000).toISOString(),
            ...(contactId ? { contactId } : {}),
          },
        };
      }
      case "stage": {
        // Two writers share each deal, so some moves collide (409) besides those the crashes leave behind.
        const deal = config.deals[Math.floor(writer / 2) % config.deals.length] as WriterConfig["deals"][0];
        const state = known.get(deal.id) as { version: number; stageId: string };
        const stageId = pick(config.stageIds.filter((s) => s !== state.stageId));
        const key = `durability:${id}`;
        return {
          write: {
            kind,
            key,
            user,
            dealId: deal.id,
            fromVersion: state.version,
            fromStageId: state.stageId,
            stageId,
          },
          path: `/api/v1/deals/${deal.id}/stage`,
          body: { stageId, version: state.version, source: key },
        };
      }
    }
  }

  /** Sends one write until it is answered with 2xx, refused for good, or given up. */
  async function perform(request: { write: Write; path: string; body: unknown }): Promise<void> {
    const { write } = request;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl()}${request.path}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${config.tokens[write.user]}`,
            "content-type": "application/json",
          },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? (error as Error).name;
        const line: FailedAttempt = { write, attempt, status: null, error: code, at: Date.now() };
        writeSync(failFd, `${JSON.stringify(line)}\n`);
        summary.unanswered[code] = (summary.unanswered[code] ?? 0) + 1;
        await sleep(150 + Math.random() * 350);
        // Half the unanswered writes are sent again as they were (same id, same version), half are given up.
        if (stopping || Math.random() < 0.5) {
          summary.givenUp++;
          return;
        }
        continue;
      }
      if (response.ok) {
        // Recorded before anything else can run: nothing acknowledged goes unrecorded.
        const line: Acknowledged = { write, status: response.status, attempts: attempt, at: Date.now() };
        writeSync(ackFd, `${JSON.stringify(line)}\n`);
        summary.acknowledged[write.kind]++;
        const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
        if (write.kind === "stage") learn(body);
        // The details of the answer, as a second line for the same write (the test merges them by key).
        const detail: Acknowledged = {
          ...line,
          interactionId:
            write.kind === "email"
              ? ((body?.interaction as { id?: string } | undefined)?.id ?? null)
              : undefined,
          version: write.kind === "stage" ? ((body?.version as number | undefined) ?? null) : undefined,
          stageId: write.kind === "stage" ? ((body?.stageId as string | undefined) ?? null) : undefined,
        };
        writeSync(ackFd, `${JSON.stringify({ ...detail, detail: true })}\n`);
        return;
      }
      const text = await response.text().catch(() => "");
      const line: FailedAttempt = {
        write,
        attempt,
        status: response.status,
        error: text.slice(0, 300),
        at: Date.now(),
      };
      writeSync(failFd, `${JSON.stringify(line)}\n`);
      summary.answeredWithError[response.status] = (summary.answeredWithError[response.status] ?? 0) + 1;
      if (response.status === 409 && write.kind === "stage") {
        summary.conflicts++;
        try {
          learn((JSON.parse(text) as { current?: unknown }).current);
        } catch {
          // not a problem body: the next move finds out
        }
        return;
      }
      // A server answering with an error (starting up, overloaded): wait, then once more unless stopping.
      await sleep(200 + Math.random() * 300);
      if (stopping || response.status < 500) return;
    }
  }

  const counts = { ...DEFAULT_WRITERS, ...config.writers };
  const kinds = (Object.keys(counts) as WriteKind[]).flatMap((kind) =>
    Array.from({ length: counts[kind] }, (_, i) => ({ kind, i })),
  );
  await Promise.all(
    kinds.map(async ({ kind, i }) => {
      // Spread the start so the first second is not one burst.
      await sleep(Math.random() * 200);
      while (!stopping) await perform(makeWrite(kind, i));
    }),
  );

  clearTimeout(budget);
  clearInterval(poll);
  closeSync(ackFd);
  closeSync(failFd);
  summary.elapsedMs = Date.now() - started;
  return summary;
}

const configFile = process.argv[2];
if (!configFile) {
  console.error("usage: node --import tsx test/helpers/durability-writer.ts <config.json>");
  process.exit(2);
}
run(JSON.parse(readFileSync(configFile, "utf8")) as WriterConfig).then(
  (summary) => {
    console.log(JSON.stringify(summary));
    process.exit(0);
  },
  (error: unknown) => {
    console.error("durability writer failed:", error);
    process.exit(1);
  },
);
