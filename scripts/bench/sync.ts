// The mailbox sync's share of `npm run bench`: the first run (backfill) over a fresh mailbox, read through the
// local Graph server over https with the Graph client library, on the store the bench uses; the time of a run
// that finds one new message; and, with the worker running at the default interval, the lag from a message
// appearing in the mailbox to its interaction stored.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { buildApp } from "../../src/server/app";
import type { LocalIssuer } from "../../src/server/auth/local-issuer";
import type { VerifyToken } from "../../src/server/auth/verify";
import { type GraphSyncConfig, loadConfig } from "../../src/server/config";
import type { Database } from "../../src/server/db/database";
import { clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, type MailGraph, PAGE_SIZE, createMailGraph } from "../../src/server/sync/mail-graph";
import { type RunReport, createSyncWorker } from "../../src/server/sync/worker";
import { MailboxList, Mailbox } from "../../src/shared/mailboxes";
import { Me } from "../../src/shared/routes";
import { GraphTestServer, type TestMessage } from "../../test/helpers/graph-server";
import { trustingFetch } from "../../test/helpers/trusting-fetch";
import { type Stats, summarize } from "./stats";

/** The goals, printed next to what was measured. */
export const BACKFILL_GOAL_SECONDS = 30;
export const LAG_GOAL_SECONDS = 60;

const TENANT = "7d3f9a52-1c4e-4b8a-9f26-3e5d7c1b0a84";
/** The rep whose mailbox is read: the first user of an organisation of its own, so its admin. */
const REP = { email: "rep@sync-bench.example", name: "Sync Rep", org: "sync-bench.example" };
const KNOWN_CONTACTS = 200;
/** One message in this many is from (or, in Sent Items, to) a known contact: 20%. */
const KNOWN_EVERY = 5;
/** Messages are spread over this many days before the run, inside the backfill window. */
const SPREAD_DAYS = 29;
const INCREMENTAL_SAMPLES = 5;
const POLL_MS = 100;
const DAY_MS = 86_400_000;

export interface SyncOptions {
  /** Messages in the mailbox before its first run. */
  messages: number;
  /** New messages whose lag is measured with the worker running at its interval; 0 skips that part. */
  lagSamples: number;
}

export interface LagSample {
  /** Message added → its interaction found in the store. */
  lagMs: number;
  /** Message added → the start of the run that logged it (its first Inbox request). */
  waitMs: number;
  /** That run's start → the interaction found. */
  processingMs: number;
}

export interface SyncReport {
  mailbox: {
    messages: number;
    inbox: number;
    sentItems: number;
    knownContacts: number;
    /** Messages with a known contact on them: what the backfill must log, no more, no less. */
    fromKnownContacts: number;
    spreadDays: number;
  };
  /** The worker's settings: the server's defaults. */
  config: { intervalSeconds: number; backfillDays: number; concurrency: number; pageSize: number };
  backfill: {
    ms: number;
    messagesPerSecond: number;
    logged: number;
    pages: number;
    skipped: RunReport["skipped"];
    goalSeconds: number;
  };
  /** runOnce after one new message arrived, the worker otherwise idle (ms). */
  incremental: Stats;
  lag: { stats: Stats; samples: LagSample[]; pollMs: number; goalSeconds: number } | null;
}

const fmtInt = (n: number): string => n.toLocaleString("en-US");
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function expectRun(what: string, report: RunReport, logged: number): void {
  if (report.mailboxes !== 1 || report.failed !== 0 || report.logged !== logged) {
    throw new Error(
      `${what}: expected 1 mailbox, 0 failed and ${fmtInt(logged)} logged, got ${JSON.stringify(report)}`,
    );
  }
}

async function api<T>(
  baseUrl: string,
  token: string,
  method: "GET" | "POST" | "PATCH",
  url: string,
  parse: (body: unknown) => T,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return parse(JSON.parse(text));
}

const contactAddress = (k: number): string => `client${k}@customer${k % 40}.example`;

/**
 * Message i of the mailbox: one in five with a known contact, the others with a stranger each; one in twenty
 * sent by the rep (Sent Items); received at an even spread over the last SPREAD_DAYS days, newest first.
 */
function backfillMessage(
  i: number,
  count: number,
  runId: string,
  now: number,
): { sent: boolean; m: TestMessage } {
  const known = i % KNOWN_EVERY === 0;
  const sent = Math.floor(i / KNOWN_EVERY) % 20 === 0;
  const contact = Math.floor(i / KNOWN_EVERY) % KNOWN_CONTACTS;
  const other = known
    ? { address: contactAddress(contact), name: `Client ${contact}` }
    : { address: `sender${i}@unknown${i % 97}.example`, name: `Sender ${i}` };
  const rep = { address: REP.email, name: REP.name };
  const received = new Date(now - ((i + 0.5) / count) * SPREAD_DAYS * DAY_MS).toISOString();
  return {
    sent,
    m: {
      internetMessageId: `<sync-${runId}-${i}@mail.example>`,
      subject: `${sent ? "Re: " : ""}Order ${i}: delivery dates and the revised quote`,
      bodyPreview:
        "Hello, thanks for the call yesterday. Attached is the revised quote for the second site; could you " +
        `confirm the delivery dates by Friday? Best regards, ${sent ? REP.name : other.name}`,
      from: sent ? rep : other,
      to: [sent ? other : rep],
      ...(i % 4 === 1 ? { cc: [{ address: `cc${i % 13}@partner.example` }] } : {}),
      receivedDateTime: received,
    },
  };
}

/** A new message from a known contact, received now. */
function newMessage(label: string, k: number, runId: string): TestMessage {
  return {
    internetMessageId: `<sync-${runId}-${label}@mail.example>`,
    subject: `New question ${label}`,
    bodyPreview: "Hello, one more question about the offer: is installation included? Thanks.",
    from: { address: contactAddress(k % KNOWN_CONTACTS), name: `Client ${k}` },
    to: [{ address: REP.email, name: REP.name }],
    receivedDateTime: new Date().toISOString(),
  };
}

/**
 * Runs the sync measurements on `database` (its own organisation, next to whatever the bench seeded), printing
 * progress lines as it goes. `onCleanup` is handed what must run before the store closes if the bench is
 * interrupted (the worker's stop).
 */
export async function measureSync(deps: {
  database: Database;
  issuer: LocalIssuer;
  verifyToken: VerifyToken;
  options: SyncOptions;
  onCleanup: (undo: () => Promise<void>) => void;
}): Promise<SyncReport> {
  const { database, issuer, verifyToken, options } = deps;
  const { db } = database;
  const defaults = loadConfig({}).sync;
  const runId = randomBytes(4).toString("hex");

  const graph = await new GraphTestServer(ADDIN_ID).start();
  const realFetch = globalThis.fetch;
  // The Graph client calls the global fetch: let it trust the local server's certificate (and only that).
  globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
  const graphConfig: GraphSyncConfig = {
    clientId: graph.clientId,
    credential: { kind: "secret", secret: graph.secret },
    tenantId: TENANT,
    authority: graph.url,
    graphUrl: graph.url,
  };
  // The app is the bench's own second one on the same store, configured for the sync so its status API says so.
  const app = await buildApp({ database, verifyToken, sync: { ...defaults, graph: graphConfig } });
  try {
    const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
    const token = await issuer.sign(REP, { expiresIn: "12h" });
    const me = await api(baseUrl, token, "GET", "/api/v1/me", (b) => Me.parse(b));
    if (me.user.role !== "admin") throw new Error(`${REP.email} should be the first user of ${REP.org}`);
    const orgId = me.organization.id;
    for (let k = 0; k < KNOWN_CONTACTS; k++) {
      await api(baseUrl, token, "POST", "/api/v1/contacts", (b) => b, {
        displayName: `Client ${k}`,
        emails: [contactAddress(k)],
      });
    }

    // The mailbox, before the sync has seen it.
    const now = Date.now();
    let sentItems = 0;
    let known = 0;
    for (let i = 0; i < options.messages; i++) {
      const { sent, m } = backfillMessage(i, options.messages, runId, now);
      graph.add(TENANT, REP.email, sent ? "sentitems" : "inbox", m);
      if (sent) sentItems += 1;
      if (i % KNOWN_EVERY === 0) known += 1;
    }
    const enabled = await api(
      baseUrl,
      token,
      "PATCH",
      `/api/v1/mailboxes/${me.user.id}`,
      (b) => Mailbox.parse(b),
      { enabled: true },
    );
    if (enabled.status !== "pending") throw new Error(`the new mailbox is ${enabled.status}, not pending`);

    // Start times of the Inbox requests: each run reads the Inbox first, so they mark when runs began.
    const inboxRequests: number[] = [];
    const mailGraph = createMailGraph({ graphUrl: graph.url, tokens: clientCredentialTokens(graphConfig) });
    const timedGraph: MailGraph = {
      deltaPage(tenant, user, folder, start) {
        if (folder === "inbox") inboxRequests.push(performance.now());
        return mailGraph.deltaPage(tenant, user, folder, start);
      },
    };
    const worker = createSyncWorker({
      database,
      graph: timedGraph,
      config: { ...defaults, tenantId: TENANT },
      logger: pino({ level: "warn" }),
      exclusiveStore: database.kind === "pglite",
    });
    deps.onCleanup(() => worker.stop());

    const interactionCount = async () =>
      Number(
        (
          await db
            .selectFrom("interactions")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("org_id", "=", orgId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    /** Polls the store until the message's interaction is there; when it was found. */
    const storedAt = async (internetMessageId: string, deadline: number): Promise<number> => {
      for (;;) {
        const row = await db
          .selectFrom("interactions")
          .select("id")
          .where("org_id", "=", orgId)
          .where("internet_message_id", "=", internetMessageId)
          .executeTakeFirst();
        if (row) return performance.now();
        if (performance.now() > deadline)
          throw new Error(`lag: ${internetMessageId} was not stored by the deadline`);
        await sleep(POLL_MS);
      }
    };

    // 1. Backfill: the mailbox's first run.
    console.log(
      `  mailbox: ${fmtInt(options.messages)} messages (${fmtInt(sentItems)} in Sent Items), ` +
        `${fmtInt(known)} with one of ${KNOWN_CONTACTS} known contacts, over the last ${SPREAD_DAYS} days`,
    );
    const backfillStarted = performance.now();
    const backfill = await worker.runOnce();
    const backfillMs = performance.now() - backfillStarted;
    expectRun("backfill", backfill, known);
    const stored = await interactionCount();
    if (stored !== known)
      throw new Error(`backfill: ${fmtInt(stored)} interactions stored, expected ${fmtInt(known)}`);
    const notLogged = backfill.skipped.no_contact ?? 0;
    if (notLogged !== options.messages - known)
      throw new Error(
        `backfill: ${fmtInt(notLogged)} messages skipped for want of a contact, expected ${fmtInt(options.messages - known)}: ` +
          JSON.stringify(backfill.skipped),
      );
    const messagesPerSecond = options.messages / (backfillMs / 1000);
    console.log(
      `  ${"backfill (first run)".padEnd(48)} ${seconds(backfillMs)}, ${messagesPerSecond.toFixed(0)} messages/s, ` +
        `${fmtInt(backfill.logged)} logged, ${backfill.pages} pages   (goal ≤ ${BACKFILL_GOAL_SECONDS} s)`,
    );

    // 2. A run that finds one new message: what a message waits for once its run has started.
    const incrementalTimes: number[] = [];
    let extra = 0;
    for (let j = 0; j < INCREMENTAL_SAMPLES; j++) {
      graph.add(TENANT, REP.email, "inbox", newMessage(`incremental-${j}`, j, runId));
      const started = performance.now();
      const report = await worker.runOnce();
      incrementalTimes.push(performance.now() - started);
      expectRun(`incremental run ${j + 1}`, report, 1);
      extra += 1;
    }
    const incremental = summarize("sync run with 1 new message", incrementalTimes);
    console.log(
      `  ${incremental.name.padEnd(48)} p50 ${incremental.p50.toFixed(2)}  max ${incremental.max.toFixed(2)} ms`,
    );

    // 3. Lag, with the worker on its own schedule: each message arrives at a random moment of the interval.
    let lag: SyncReport["lag"] = null;
    if (options.lagSamples > 0) {
      const intervalMs = defaults.intervalSeconds * 1000;
      console.log(
        `  worker started (every ${defaults.intervalSeconds} s); ${options.lagSamples} messages at random moments, ` +
          `the store polled every ${POLL_MS} ms: about ${Math.ceil((options.lagSamples * intervalMs) / 60_000)} min`,
      );
      const samples: LagSample[] = [];
      worker.start();
      try {
        for (let s = 0; s < options.lagSamples; s++) {
          await sleep(Math.random() * intervalMs);
          const message = newMessage(`lag-${s}`, 100 + s, runId);
          graph.add(TENANT, REP.email, "inbox", message);
          const added = performance.now();
          const found = await storedAt(message.internetMessageId, added + 2 * intervalMs + 60_000);
          extra += 1;
          const runStart = inboxRequests.filter((t) => t <= found).at(-1) ?? added;
          const sample = {
            lagMs: found - added,
            waitMs: Math.max(0, runStart - added),
            processingMs: found - Math.max(runStart, added),
          };
          samples.push(sample);
          console.log(
            `  lag sample ${s + 1}/${options.lagSamples}`.padEnd(50) +
              ` ${seconds(sample.lagMs)}  (next run after ${seconds(sample.waitMs)}, ` +
              `then ${(sample.processingMs / 1000).toFixed(2)} s to stored)`,
          );
        }
      } finally {
        await worker.stop();
      }
      lag = {
        stats: summarize(
          "sync lag, new message → interaction stored",
          samples.map((s) => s.lagMs),
        ),
        samples,
        pollMs: POLL_MS,
        goalSeconds: LAG_GOAL_SECONDS,
      };
    }

    // Every message with a contact logged once, and the mailbox's status as the API reports it.
    const total = await interactionCount();
    if (total !== known + extra)
      throw new Error(`${fmtInt(total)} interactions stored in all, expected ${fmtInt(known + extra)}`);
    const list = await api(baseUrl, token, "GET", "/api/v1/mailboxes", (b) => MailboxList.parse(b));
    const mailbox = list.items.find((m) => m.userId === me.user.id);
    const seen = mailbox?.folders.reduce((sum, f) => sum + f.messagesSeen, 0) ?? 0;
    if (mailbox?.status !== "ok" || mailbox.lastError !== null || seen !== options.messages + extra)
      throw new Error(
        `the mailbox reports ${mailbox?.status} (${mailbox?.lastError}), ${seen} messages seen, expected ` +
          `ok and ${options.messages + extra}`,
      );

    return {
      mailbox: {
        messages: options.messages,
        inbox: options.messages - sentItems,
        sentItems,
        knownContacts: KNOWN_CONTACTS,
        fromKnownContacts: known,
        spreadDays: SPREAD_DAYS,
      },
      config: {
        intervalSeconds: defaults.intervalSeconds,
        backfillDays: defaults.backfillDays,
        concurrency: defaults.concurrency,
        pageSize: PAGE_SIZE,
      },
      backfill: {
        ms: backfillMs,
        messagesPerSecond,
        logged: backfill.logged,
        pages: backfill.pages,
        skipped: backfill.skipped,
        goalSeconds: BACKFILL_GOAL_SECONDS,
      },
      incremental,
      lag,
    };
  } finally {
    await app.close();
    globalThis.fetch = realFetch;
    await graph.close();
  }
}
