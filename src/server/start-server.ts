import { buildApp } from "./app";
import { loadAccountIssuer } from "./accounts/account-issuer";
import { loadLocalIssuer } from "./auth/local-issuer";
import { createTokenVerifier } from "./auth/verify";
import { DEFAULT_FRAME_ANCESTORS, findAddinBuild } from "./http/addin-files";
import { type Config, signInConfig } from "./config";
import { createLogger, requestLogFor } from "./logging";
import { type BackupChannel, openBackupChannel } from "./db/backup-channel";
import { startEmbeddedUpkeep } from "./db/embedded-upkeep";
import { resumeErasures } from "./person-data/erase";
import { openStore } from "./db/open-store";
import type { Database } from "./db/database";
import { clientCredentialTokens } from "./sync/client-credentials";
import { createCalendarGraph } from "./sync/calendar-graph";
import { createMailGraph } from "./sync/mail-graph";
import { createSyncWorker } from "./sync/worker";
import { createGraphSubscriptions } from "./sync/graph-subscriptions";
import { Wakeups } from "./sync/wakeups";
import { createFollowUpWorker } from "./follow-ups/worker";
import { createMailDrafts } from "./occasions/mail-drafts";
import { createOccasionWorker } from "./occasions/worker";
import { DEFAULT_WEBHOOK_DELIVERY, createWebhookWorker } from "./webhooks/worker";

/**
 * The server as `npm run serve` runs it: the store opened and migrated, the API (and the add-in build when there is
 * one) listening, the background workers started, SIGINT and SIGTERM stopping it in order. Its own entry is
 * main.ts; the load bench starts it beside a minimal server of its own over the same store (scripts/bench).
 */
export async function startServer(config: Config): Promise<{ database: Database; address: string }> {
  const logger = await createLogger(config);
  const { database, description, applied } = await openStore(config);
  if (applied.length) logger.info({ migrations: applied }, "store migrated");
  const upkeep = database.kind === "pglite" ? startEmbeddedUpkeep(database.db, logger) : null;

  const local = config.localIssuer ? await loadLocalIssuer(config.dataDir) : null;
  const accounts = await loadAccountIssuer(database.db);
  const verifyToken = createTokenVerifier({ local, entra: config.entra, scope: config.apiScope, accounts });
  const addinRoot = findAddinBuild(config.addinDir);
  const readiness = { draining: false };
  // The notification endpoint tells this process's sync worker at once (other servers poll the store).
  const wakeups = new Wakeups();
  const app = await buildApp({
    database,
    verifyToken,
    loggerInstance: logger,
    requestLog: requestLogFor(config),
    signIn: signInConfig(config),
    admins: config.admins,
    sync: config.sync,
    rateLimit: config.rateLimit,
    accounts,
    publicUrl: config.publicUrl,
    mail: config.mail,
    trustProxy: config.trustProxy,
    readiness,
    webhooks: { allowPrivate: config.webhooks.allowPrivate },
    graphNotifications: { wakeups },
    erasureSlice: config.erasureSlice,
    addinFiles: addinRoot
      ? { root: addinRoot, frameAncestors: config.frameAncestors ?? DEFAULT_FRAME_ANCESTORS }
      : null,
  });

  const graph = config.sync.graph;
  const tokens = graph ? clientCredentialTokens(graph) : null;
  const worker =
    graph && tokens
      ? createSyncWorker({
          database,
          graph: createMailGraph({ graphUrl: graph.graphUrl, tokens }),
          // Meetings: each mailbox's calendar through the same registration (Calendars.Read).
          calendar: createCalendarGraph({ graphUrl: graph.graphUrl, tokens }),
          config: { ...config.sync, tenantId: graph.tenantId },
          logger,
          exclusiveStore: database.kind === "pglite",
          subscriptions: createGraphSubscriptions({ graphUrl: graph.graphUrl, tokens }),
          notifications: config.sync.notifications ?? null,
          wakeups,
        })
      : null;
  // Occasion mails write through the same app registration (Mail.ReadWrite for drafts, Mail.Send to send), on
  // every server: the store decides which one delivers each mail.
  const occasions =
    graph && tokens
      ? createOccasionWorker({
          database,
          drafts: createMailDrafts({ graphUrl: graph.graphUrl, tokens }),
          config: { ...config.occasions, leaseSeconds: config.sync.leaseSeconds, tenantId: graph.tenantId },
          logger,
          exclusiveStore: database.kind === "pglite",
          publicUrl: config.publicUrl,
        })
      : null;

  // Every server fires no-reply follow-ups, with or without Graph: they share the work through the store.
  const followUps = createFollowUpWorker({ database, logger });
  // Every server delivers webhooks from the outbox: the store decides which one sends each delivery.
  const webhooks = createWebhookWorker({
    database,
    config: { ...DEFAULT_WEBHOOK_DELIVERY, ...config.webhooks },
    logger,
    exclusiveStore: database.kind === "pglite",
  });

  let backups: BackupChannel | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: unready first, then finishing requests in flight and the sync's page");
    // Unready first, so a load balancer sends the next requests elsewhere while these finish.
    readiness.draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
    await worker?.stop();
    await followUps.stop();
    await webhooks.stop();
    await occasions?.stop();
    await app.close();
    await backups?.stop();
    await upkeep?.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  const address = await app.listen({ port: config.port, host: config.host });
  // The embedded store is this process's alone: `npm run backup` asks it for a snapshot (loopback, a secret).
  if (database.snapshot) backups = await openBackupChannel(config.dataDir, database.snapshot);
  const signIn = [
    "Rapport's own accounts (npm run admin)",
    local ? "local issuer (npm run token)" : null,
    config.entra ? "Microsoft Entra ID" : null,
  ]
    .filter(Boolean)
    .join(" and ");
  console.log(`Rapport server listening on ${address} (store: ${description}; sign-in: ${signIn})`);
  console.log(
    addinRoot
      ? `Serving the add-in from ${addinRoot}: ${address}/taskpane.html, manifest at ${address}/manifest.xml`
      : `No add-in build at ${config.addinDir}: this server answers the API only (under npm start the dev server serves the add-in; npm run build makes one to serve from here)`,
  );
  followUps.start();
  webhooks.start();
  // An erasure a server stopped in the middle of (killed, the store lost) is carried on to its end.
  void resumeErasures(database, config.erasureSlice).then(
    ({ resumed, erased }) => {
      if (resumed) logger.info({ resumed, erased: erased.length }, "erasures carried on after a stop");
    },
    (error: unknown) =>
      logger.error({ err: error }, "carrying on an erasure failed; the next start tries again"),
  );
  if (worker && graph) {
    worker.start();
    occasions?.start();
    console.log(
      `Occasion mails: every ${config.occasions.intervalSeconds} s, from ${config.occasions.morningHour}:00 in each rep's time zone`,
    );
    console.log(
      `Mailbox sync: every ${config.sync.intervalSeconds} s through ${graph.graphUrl}` +
        ` (${graph.tenantId ? `tenant ${graph.tenantId}` : "each organisation's tenant"}), backfill ${config.sync.backfillDays} days`,
    );
    console.log(
      config.sync.notifications
        ? `Graph change notifications: to ${config.sync.notifications.url}, each mailbox's run at once`
        : "Graph change notifications: off (set RAPPORT_GRAPH_NOTIFICATION_URL to an address Graph can reach)",
    );
  } else {
    console.log("Mailbox sync: off (set RAPPORT_GRAPH_CLIENT_ID and a secret or certificate to turn it on)");
  }
  return { database, address };
}
