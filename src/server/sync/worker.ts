import { periodicRun } from "../periodic-run";
import { randomBytes, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { domainOf, isWithinDomains } from "../../shared/email-address";
import { type MailFolder } from "../../shared/mailboxes";
import type { NotificationsConfig, SyncConfig } from "../config";
import type { Database } from "../db/database";
import { AppError } from "../errors";
import { logEmail } from "../interactions/log-email";
import { blocklistFor } from "../organizations/privacy";
import { type CalendarReport, captureCalendar, emptyCalendarReport } from "./calendar-capture";
import type { CalendarGraph } from "./calendar-graph";
import { markCalendarRefused } from "./calendar-store";
import { type Candidate, type NotLogged, graphEmail } from "./graph-email";
import { type DeltaStart, GraphFailure, type MailGraph } from "./mail-graph";
import {
  type DueMailbox,
  claimMailbox,
  dueMailboxes,
  finishRun,
  folderState,
  releaseAllLeases,
  releaseLease,
  renewLease,
  restartFolder,
  savePage,
} from "./mailbox-store";
import { type GraphSubscriptions, SUBSCRIBED_RESOURCES } from "./graph-subscriptions";
import {
  clearWake,
  deleteSubscription,
  hashClientState,
  markRenewed,
  pruneReceipts,
  saveSubscription,
  subscriptionsOf,
  subscriptionsToDrop,
} from "./subscription-store";
import type { Wakeups } from "./wakeups";

export const FOLDERS: readonly MailFolder[] = ["inbox", "sentitems"];

/** What one run did, per reason; the bench and the tests read it, the log prints it. */
export interface RunReport {
  mailboxes: number;
  failed: number;
  pages: number;
  logged: number;
  skipped: Partial<Record<NotLogged, number>>;
  /** The calendars' meetings, when the worker captures them (calendar-capture.ts). */
  calendar?: CalendarReport;
}

export interface SyncWorker {
  /** One pass over every due mailbox; resolves when all of them are done (or failed). */
  runOnce(): Promise<RunReport>;
  /** One pass over the mailboxes change notifications woke (start() runs it on each wake and every second). */
  runWoken(): Promise<void>;
  /** Runs every interval (start to start) until stopped. */
  start(): void;
  /** Stops after the page in hand: nothing half-saved, the next start resumes from the saved links. */
  stop(): Promise<void>;
}

export interface SyncWorkerDeps {
  /** The owner's view schedules every organisation's mailboxes; each page is logged behind its organisation's wall. */
  database: Pick<Database, "db" | "forOrganization">;
  graph: MailGraph;
  /** Each mailbox's calendar is captured too (meetings: calendar-capture.ts); without it, mail only. */
  calendar?: CalendarGraph;
  config: Pick<SyncConfig, "intervalSeconds" | "backfillDays" | "concurrency" | "leaseSeconds"> & {
    /** The tenant the credentials are for; null: each organisation's own (a multi-tenant app). */
    tenantId: string | null;
  };
  logger?: Pick<Logger, "info" | "warn" | "error" | "debug">;
  /** The store is this process's alone (PGlite): a lease found at start is a crashed run's, freed at once. */
  exclusiveStore?: boolean;
  /** Graph's subscriptions: kept for each synced mailbox with `notifications`, and deleted when no longer wanted. */
  subscriptions?: GraphSubscriptions;
  /**
   * Graph change notifications (a public address Graph can reach is configured): each synced mailbox keeps a
   * subscription of its messages and its events, and a notification's mailbox is run at once. Absent: the
   * minute's run alone, and subscriptions left from before are deleted.
   */
  notifications?: NotificationsConfig | null;
  /** This process's notification endpoint telling its worker at once (the store's wake_at is polled anyway). */
  wakeups?: Wakeups;
  /** How often the store is asked for mailboxes a notification woke (received by any server); 1 s by default. */
  wakePollMs?: number;
}

class Stopped extends Error {}

/**
 * Which tenant a mailbox is read in, and as whom, or null when these credentials cannot read it. An Entra
 * organisation is read in its own tenant, by the user's object id; an organisation of the local issuer (one
 * machine, no Entra sign-in) is read in the configured tenant, by the user's address.
 */
export function graphIdentity(
  m: Pick<DueMailbox, "tenantId" | "email" | "externalId" | "internalDomains">,
  tenantId: string | null,
): { tenant: string; user: string } | null {
  if (m.tenantId.startsWith("local:")) {
    // The local issuer vouches for the address itself: only addresses in the organisation's own domains are read.
    if (!tenantId || !m.email || !isWithinDomains(domainOf(m.email), m.internalDomains)) return null;
    return { tenant: tenantId, user: m.email };
  }
  if (tenantId && tenantId.toLowerCase() !== m.tenantId.toLowerCase()) return null;
  return { tenant: m.tenantId, user: m.externalId };
}

export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const { graph, config } = deps;
  const { db } = deps.database;
  const workerId = randomUUID();

  async function logPage(
    m: DueMailbox,
    folder: MailFolder,
    items: Parameters<typeof graphEmail>[0][],
    report: RunReport,
  ) {
    const privacy = {
      internalDomains: m.internalDomains,
      blocklist: await blocklistFor(db, m.orgId, m.userId),
    };
    const candidates: Candidate[] = [];
    const skip = (reason: NotLogged) => {
      report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    };
    for (const item of items) {
      const result = graphEmail(item, m.email, folder, privacy, m.policy.autoLoggedContent);
      if ("skip" in result) skip(result.skip);
      else candidates.push(result);
    }
    const addresses = [...new Set(candidates.flatMap((c) => c.others))];
    const known = new Set(
      addresses.length === 0
        ? []
        : (
            await db
              .selectFrom("contact_emails")
              .select("address")
              .where("org_id", "=", m.orgId)
              .where("address", "in", addresses)
              .execute()
          ).map((r) => r.address),
    );
    const scope = {
      db: deps.database.forOrganization(m.orgId),
      caller: { orgId: m.orgId, userId: m.userId, email: m.email },
    };
    let logged = 0;
    // A stop waits for the page in hand to be logged and its link saved: a page is the unit of progress.
    for (const candidate of candidates) {
      if (!candidate.others.some((a) => known.has(a))) {
        skip("no_contact");
        continue;
      }
      // The same path as a click in the pane: keyed by message id (and Rapport key), so mail logged by hand,
      // on send or from a colleague's mailbox is joined, never duplicated.
      try {
        await logEmail(scope, candidate.input);
        logged += 1;
      } catch (error) {
        // A message the server refuses (a Rapport key copied onto another email, say) will be refused every
        // time: skip it, so it cannot hold the mailbox back. Anything else may pass later: the page is retried.
        if (!(error instanceof AppError && error.status < 500)) throw error;
        skip("rejected");
        deps.logger?.warn(
          { userId: m.userId, internetMessageId: candidate.input.internetMessageId, code: error.code },
          "a synced message was refused",
        );
      }
    }
    report.logged += logged;
    return logged;
  }

  async function syncFolder(
    m: DueMailbox,
    identity: { tenant: string; user: string },
    folder: MailFolder,
    report: RunReport,
  ) {
    const state = await folderState(db, m, folder, config.backfillDays);
    let start: DeltaStart = state.link ? { link: state.link } : { since: state.backfillFrom };
    let restarts = 0;
    for (;;) {
      // Before each request: a mailbox opted out, or taken over by another server, stops here.
      if (loop.stopping || !(await renewLease(db, m, workerId, config.leaseSeconds))) throw new Stopped();
      let page;
      try {
        page = await graph.deltaPage(identity.tenant, identity.user, folder, start);
      } catch (error) {
        // 410: the delta state expired. Read the folder again within the window; logging is idempotent, so
        // what was logged before is joined, not duplicated. Twice in one run means something else is wrong.
        if (error instanceof GraphFailure && error.status === 410 && restarts < 2) {
          restarts += 1;
          deps.logger?.warn(
            { userId: m.userId, folder, code: error.code },
            "delta expired: reading the folder again",
          );
          start = { since: await restartFolder(db, m, folder, config.backfillDays) };
          continue;
        }
        throw error;
      }
      const logged = await logPage(m, folder, page.items, report);
      report.pages += 1;
      const link = page.nextLink ?? page.deltaLink;
      if (!link)
        throw new Error("Microsoft Graph sent a delta page with neither a next link nor a delta link");
      const saved = await savePage(db, m, folder, workerId, {
        link,
        kind: page.nextLink ? "next" : "delta",
        seen: page.items.length,
        logged,
      });
      if (!saved) throw new Stopped();
      if (!page.nextLink) return;
      start = { link };
    }
  }

  async function syncCalendar(
    m: DueMailbox,
    identity: { tenant: string; user: string },
    calendar: CalendarGraph,
    report: RunReport,
  ) {
    report.calendar ??= emptyCalendarReport();
    const keepGoing = async () => !loop.stopping && (await renewLease(db, m, workerId, config.leaseSeconds));
    try {
      const done = await captureCalendar(
        { database: deps.database, calendar, logger: deps.logger },
        m,
        identity,
        workerId,
        keepGoing,
        report.calendar,
      );
      if (!done) throw new Stopped();
    } catch (error) {
      // Credentials without Calendars.Read: the mail goes on being logged, and the log says why meetings are not.
      if (error instanceof GraphFailure && error.status === 403) {
        // Recorded for the mailboxes API (sync-status.ts), which tells the admin what to grant.
        await markCalendarRefused(db, m, workerId);
        deps.logger?.warn(
          { userId: m.userId, code: error.code },
          "calendar not readable: grant Calendars.Read",
        );
        return;
      }
      throw error;
    }
  }

  /**
   * The mailbox's subscriptions, made when missing, renewed when half their lifetime has passed or Graph asked
   * for reauthorisation, made again when Graph forgot one. A failure is logged and tried again at the next run:
   * the minute's run still reads the mailbox.
   */
  async function keepSubscriptions(m: DueMailbox, identity: { tenant: string; user: string }): Promise<void> {
    const notifications = deps.notifications;
    const subscriptions = deps.subscriptions;
    if (!notifications || !subscriptions) return;
    const lifetimeMs = notifications.subscriptionMinutes * 60_000;
    const rows = await subscriptionsOf(db, m);
    for (const resource of SUBSCRIBED_RESOURCES) {
      const row = rows.find((r) => r.resource === resource);
      const now = Date.now();
      const left = row ? row.expires_at.getTime() - now : 0;
      if (row && !row.renew_now && left > lifetimeMs / 2) continue;
      const expiresAt = new Date(now + lifetimeMs);
      try {
        if (row && left > 0) {
          try {
            const renewed = await subscriptions.renew(identity.tenant, row.subscription_id, expiresAt);
            await markRenewed(db, row, renewed.expiresAt);
            continue;
          } catch (error) {
            // Graph no longer has it (removed, or expired meanwhile): a new one below. Anything else waits.
            if (!(error instanceof GraphFailure && error.status === 404)) throw error;
          }
        }
        const secret = randomBytes(32).toString("base64url");
        const made = await subscriptions.create(identity.tenant, identity.user, {
          resource,
          notificationUrl: notifications.url,
          expiresAt,
          clientState: secret,
        });
        await saveSubscription(db, m, resource, {
          subscriptionId: made.id,
          clientStateHash: hashClientState(secret),
          expiresAt: made.expiresAt,
        });
      } catch (error) {
        deps.logger?.warn(
          { userId: m.userId, resource, err: error instanceof Error ? error.message : String(error) },
          "could not keep the mailbox's change notifications; the minute's run goes on",
        );
      }
    }
  }

  /** Subscriptions of mailboxes no longer synced (or all, with notifications off): deleted at Graph and here. */
  async function dropSubscriptions(): Promise<void> {
    const subscriptions = deps.subscriptions;
    if (!subscriptions) return;
    const rows = await subscriptionsToDrop(db, !deps.notifications);
    for (const row of rows) {
      const identity = graphIdentity(
        {
          tenantId: row.tenant_id,
          email: row.email,
          externalId: row.external_id,
          internalDomains: row.internal_domains,
        },
        config.tenantId,
      );
      try {
        if (identity) await subscriptions.remove(identity.tenant, row.subscription_id);
        await deleteSubscription(db, row);
      } catch (error) {
        deps.logger?.warn(
          { userId: row.user_id, err: error instanceof Error ? error.message : String(error) },
          "could not delete a mailbox's change notifications; tried again at the next run",
        );
      }
    }
  }

  async function syncMailbox(m: DueMailbox, report: RunReport): Promise<void> {
    const identity = graphIdentity(m, config.tenantId);
    if (!identity) {
      // Nothing can answer a notification's wake of a mailbox these credentials cannot read.
      await clearWake(db, m).catch(() => undefined);
      return;
    }
    try {
      if (!(await claimMailbox(db, m, workerId, config.leaseSeconds))) return;
    } catch (error) {
      report.failed += 1;
      deps.logger?.error({ userId: m.userId, err: String(error) }, "could not take a mailbox to sync");
      return;
    }
    report.mailboxes += 1;
    // The lease is kept alive while this worker lives, even through a slow Graph request: another server takes
    // the mailbox over only from one that died (or lost it, which the next save notices).
    const heartbeat = setInterval(
      () => void renewLease(db, m, workerId, config.leaseSeconds).catch(() => undefined),
      Math.max(1000, (config.leaseSeconds * 1000) / 3),
    );
    try {
      for (const folder of FOLDERS) await syncFolder(m, identity, folder, report);
      if (deps.calendar) await syncCalendar(m, identity, deps.calendar, report);
      // While the lease is held: no other server subscribes the same mailbox at the same moment.
      await keepSubscriptions(m, identity);
      await finishRun(db, m, workerId, { status: "ok", error: null, retryAfterSeconds: null });
    } catch (error) {
      if (error instanceof Stopped) {
        // Stopping, not failing: free the mailbox for the next start, which resumes from the saved links.
        await releaseLease(db, m, workerId).catch(() => undefined);
        return;
      }
      report.failed += 1;
      const throttled = error instanceof GraphFailure && [429, 503, 504].includes(error.status);
      const message = error instanceof Error ? error.message : String(error);
      deps.logger?.warn({ userId: m.userId, err: message }, "mailbox sync failed; the others go on");
      await finishRun(db, m, workerId, {
        status: throttled ? "backing_off" : "failing",
        error: message.slice(0, 1000),
        retryAfterSeconds: error instanceof GraphFailure ? error.retryAfterSeconds : null,
      }).catch((e: unknown) =>
        deps.logger?.error({ err: String(e) }, "could not record a mailbox's failure"),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  let leasesChecked = !deps.exclusiveStore;
  async function runOnce(): Promise<RunReport> {
    if (!leasesChecked) {
      await releaseAllLeases(db);
      leasesChecked = true;
    }
    const report: RunReport = { mailboxes: 0, failed: 0, pages: 0, logged: 0, skipped: {} };
    await dropSubscriptions().catch((error: unknown) =>
      deps.logger?.error({ err: String(error) }, "could not look for subscriptions to delete"),
    );
    await pruneReceipts(db).catch(() => undefined);
    await runMailboxes(await dueMailboxes(db), report);
    return report;
  }

  async function runMailboxes(due: DueMailbox[], report: RunReport): Promise<void> {
    let next = 0;
    // A few mailboxes at a time: each waits mostly on Graph, and one slow or failing mailbox holds up no other.
    const lanes = Array.from({ length: Math.min(config.concurrency, due.length) }, async () => {
      while (!loop.stopping && next < due.length) {
        const m = due[next++];
        if (m) await syncMailbox(m, report);
      }
    });
    await Promise.all(lanes);
  }

  /**
   * The runs change notifications ask for: the mailboxes whose wake_at is set, polled every `wakePollMs` and at
   * once when this process's endpoint received one. One pass at a time; a wake during a pass makes one more.
   */
  const woken = { pass: null as Promise<void> | null, again: false, timer: null as NodeJS.Timeout | null };
  let unlisten: (() => void) | null = null;
  function runWoken(): Promise<void> {
    if (woken.pass) {
      woken.again = true;
      return woken.pass;
    }
    woken.pass = (async () => {
      try {
        do {
          woken.again = false;
          const report: RunReport = { mailboxes: 0, failed: 0, pages: 0, logged: 0, skipped: {} };
          await runMailboxes(await dueMailboxes(db, { woken: true }), report);
          if (report.mailboxes > 0) deps.logger?.debug({ sync: report }, "mailbox sync run on notification");
        } while (woken.again && !loop.stopping);
      } catch (error) {
        deps.logger?.error({ err: String(error) }, "mailbox sync run on notification failed");
      } finally {
        woken.pass = null;
      }
    })();
    return woken.pass;
  }

  const loop = periodicRun({
    intervalMs: config.intervalSeconds * 1000,
    run: runOnce,
    done: (report) => {
      if (report.mailboxes > 0) deps.logger?.info({ sync: report }, "mailbox sync run");
    },
    failed: (error) => deps.logger?.error({ err: String(error) }, "mailbox sync run failed"),
  });
  return {
    runOnce: loop.runOnce,
    runWoken,
    start() {
      loop.start();
      if (!deps.notifications) return;
      unlisten = deps.wakeups?.listen(() => void runWoken()) ?? null;
      woken.timer = setInterval(() => void runWoken(), deps.wakePollMs ?? 1000);
    },
    async stop() {
      unlisten?.();
      unlisten = null;
      if (woken.timer) clearInterval(woken.timer);
      woken.timer = null;
      await loop.stop();
      await woken.pass;
    },
  };
}
