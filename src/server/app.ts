import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type LogController,
} from "fastify";
import { sql } from "kysely";
import { type SignInConfig, routes } from "../shared/routes";
import { type Caller, createCallerResolver } from "./auth/caller";
import type { VerifyToken } from "./auth/verify";
import { companyRoutes } from "./companies/routes";
import { currencyRoutes } from "./currencies/routes";
import { contactRoutes } from "./contacts/routes";
import { dashboardRoutes } from "./dashboard/routes";
import { customFieldRoutes } from "./custom-fields/routes";
import type { Database } from "./db/database";
import { dealRoutes } from "./deals/routes";
import { AppError } from "./errors";
import { type AddinFiles, serveAddinFiles } from "./http/addin-files";
import { buildOpenApi } from "./http/openapi";
import { createStoreProbe } from "./http/store-probe";
import { fastifyTrustProxy } from "./http/trusted-proxies";
import { clientErrorHandler, errorHandler, frameworkErrorHandler, sendProblem } from "./http/problem";
import { type RouteOptions, addRoute } from "./http/route";
import { meetingRoutes } from "./meetings/routes";
import { interactionRoutes } from "./interactions/routes";
import { reportRoutes } from "./reports/routes";
import { DEFAULT_ERASURE_SLICE } from "./person-data/erase";
import { personDataRoutes } from "./person-data/routes";
import { listExportRoutes } from "./export/routes";
import type { Scope } from "./scope";
import { pipelineRoutes } from "./pipelines/routes";
import { tagRoutes } from "./tags/routes";
import { taskRoutes } from "./tasks/routes";
import { organizationRoutes } from "./organizations/routes";
import { peopleRoutes } from "./people/routes";
import { userRoutes } from "./users/routes";
import type { AdminConfig, MailConfig, RateLimitConfig, SyncConfig, TrustProxy } from "./config";
import { createMailer } from "./mail/smtp";
import { AfterAnswer } from "./accounts/after-answer";
import { syncRoutes } from "./sync/routes";
import { occasionRoutes } from "./occasions/routes";
import { importRoutes } from "./imports/routes";
import { invoiceRoutes } from "./invoices/routes";
import { productRoutes } from "./products/routes";
import { quoteRoutes } from "./quotes/routes";
import { templateRoutes } from "./templates/routes";
import { DEFAULT_SURVEY_LIMITS, type SurveyLimits, publicSurveyRoutes } from "./ratings/public";
import { ratingRoutes } from "./ratings/routes";
import { DEFAULT_WEB_FORM_LIMITS, type WebFormLimits, publicFormRoutes } from "./web-forms/public";
import { webFormRoutes } from "./web-forms/routes";
import { webhookRoutes } from "./webhooks/routes";
import { segmentRoutes } from "./segments/routes";
import { duplicateRoutes } from "./duplicates/routes";
import type { WebhookSettings } from "./webhooks/service";
import type { AccountIssuer } from "./accounts/account-issuer";
import { accountRoutes } from "./accounts/routes";
import {
  DEFAULT_NOTIFICATION_LIMITS,
  type NotificationLimits,
  notificationRoutes,
} from "./sync/notifications";
import type { Wakeups } from "./sync/wakeups";
import { type AccountThrottles, DEFAULT_THROTTLES, SignInThrottle, clientKey } from "./accounts/throttle";

export interface AppDeps {
  database: Database;
  verifyToken: VerifyToken;
  logger?: FastifyServerOptions["logger"];
  /** The process's own logger (main.ts), instead of one Fastify makes from `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** How requests are logged: Fastify's two structured lines each by default (see logging.ts). */
  requestLog?: LogController;
  /** Parse every response with its contract schema (tests turn this on). */
  checkResponses?: boolean;
  /** The add-in's build, served from the same origin (production); none in development and most tests. */
  addinFiles?: AddinFiles | null;
  /** What the add-in is told about signing in; by default the local issuer only. */
  signIn?: SignInConfig;
  /** Where first admins come from (the Entra app role, the server's list); by default the role `Rapport.Admin`. */
  admins?: AdminConfig;
  /** The mailbox sync's settings, for its status API; by default not configured. */
  sync?: SyncConfig;
  /** Requests per minute per user and per client address; none by default (tests, the bench). */
  rateLimit?: RateLimitConfig;
  /** Behind a load balancer: which X-Forwarded-For entry is the client's address. */
  trustProxy?: TrustProxy;
  /**
   * What time it is, for the dashboard's "today" and its day counts and templates' `{{today}}`; tests fix it. By
   * default the system clock.
   */
  clock?: () => Date;
  /** The public web forms' rate limits (per client address, per form, per submitted address); defaults otherwise. */
  webForms?: WebFormLimits;
  /**
   * Rapport's own accounts (passwords, invitations, sessions): their token issuer, which the token verifier must
   * know too. Without it those routes are not served.
   */
  accounts?: AccountIssuer | null;
  /** The growing waits of the sign-in, reset and invitation routes; tests make them tighter. */
  accountThrottles?: AccountThrottles;
  /** The server's public address (RAPPORT_PUBLIC_URL), for the one-time links; by default the request's origin. */
  publicUrl?: string | null;
  /**
   * The mail server one-time links are mailed through (RAPPORT_SMTP_*); none by default. Mail is sent only with a
   * public address to make its links on: never on a request's Host header.
   */
  mail?: MailConfig | null;
  /** Set while the server shuts down: /readyz answers 503 so a load balancer stops sending requests. */
  readiness?: { draining: boolean };
  /** What webhook endpoints may be registered (RAPPORT_WEBHOOKS_ALLOW_PRIVATE); by default no private host. */
  webhooks?: WebhookSettings;
  /** The public survey page's rate limit (per client address); the default otherwise. */
  surveys?: SurveyLimits;
  /**
   * Graph change notifications' endpoint, served when `sync.notifications` is configured: its rate limit, and
   * the worker of this process to tell at once.
   */
  graphNotifications?: { limits?: NotificationLimits; wakeups?: Wakeups };
  /** Interactions an erasure takes per transaction (RAPPORT_ERASURE_SLICE); person-data/erase.ts's default. */
  erasureSlice?: number;
}

const SYNC_NOT_CONFIGURED: SyncConfig = {
  graph: null,
  intervalSeconds: 60,
  backfillDays: 30,
  concurrency: 4,
  leaseSeconds: 120,
};

export const BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    ...(deps.requestLog ? { logController: deps.requestLog } : {}),
    bodyLimit: BODY_LIMIT,
    trustProxy: fastifyTrustProxy(deps.trustProxy ?? false),
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const { db } = deps.database;
  const admins: AdminConfig = deps.admins ?? { appRole: "Rapport.Admin", listed: [] };
  const resolveCaller = createCallerResolver(db, admins);

  const options: RouteOptions = {
    checkResponses: deps.checkResponses ?? false,
    async authenticate(request): Promise<Caller> {
      const header = request.headers.authorization;
      const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!match?.[1])
        throw new AppError("unauthenticated", 401, "Send a bearer token: Authorization: Bearer <token>.");
      return resolveCaller(await deps.verifyToken(match[1]));
    },
  };
  const scope = (caller: Caller): Scope => ({ db: deps.database.forOrganization(caller.orgId), caller });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new AppError(
        "not_found",
        404,
        `There is no ${request.method} ${request.url.split("?")[0]} in the Rapport API.`,
      ),
    ),
  );

  // Security headers on every answer. Framing is governed by the pages' own CSP frame-ancestors (Outlook must
  // frame the pane), and Outlook's hosts load the icons cross-origin; the rest is helmet's defaults.
  await app.register(helmet, {
    contentSecurityPolicy: false,
    frameguard: false,
    crossOriginResourcePolicy: { policy: "cross-origin" },
    crossOriginOpenerPolicy: { policy: "same-origin-allow-popups" },
  });
  if (deps.rateLimit) await limitRates(app, deps.rateLimit);

  if (deps.addinFiles) await serveAddinFiles(app, deps.addinFiles);

  const signIn: SignInConfig = deps.signIn ?? { entra: null, localIssuer: true };
  // The app role is only a way to an admin where people sign in with Entra.
  const adminAppRole = signIn.entra ? admins.appRole : null;
  const signInAnswer: SignInConfig = { ...signIn, accounts: Boolean(deps.accounts) };
  addRoute(app, routes.signIn, options, async () => signInAnswer);

  const probeStore = createStoreProbe(() => sql`select 1`.execute(db));
  addRoute(app, routes.health, options, async () => {
    await probeStore();
    return { status: "ok" as const, store: deps.database.kind };
  });
  // Ready for traffic: the store answers and the server is not shutting down. /healthz stays the liveness check.
  app.get("/readyz", async (_request, reply) => {
    if (deps.readiness?.draining)
      return sendProblem(reply, new AppError("store_unavailable", 503, "This server is shutting down."));
    await probeStore();
    return { status: "ready" };
  });
  const openApi = buildOpenApi();
  app.get("/api/v1/openapi.json", async () => openApi);
  organizationRoutes(app, options, scope, adminAppRole);
  userRoutes(app, options, scope);
  peopleRoutes(app, options, scope);
  contactRoutes(app, options, scope);
  companyRoutes(app, options, scope);
  duplicateRoutes(app, options, scope);
  dealRoutes(app, options, scope);
  taskRoutes(app, options, scope);
  interactionRoutes(app, options, scope);
  meetingRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  dashboardRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  pipelineRoutes(app, options, scope);
  customFieldRoutes(app, options, scope);
  tagRoutes(app, options, scope);
  currencyRoutes(app, options, scope);
  syncRoutes(app, options, scope, deps.sync ?? SYNC_NOT_CONFIGURED);
  reportRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  personDataRoutes(app, options, scope, deps.erasureSlice ?? DEFAULT_ERASURE_SLICE);
  listExportRoutes(app, options, scope);
  importRoutes(app, options, scope);
  invoiceRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  productRoutes(app, options, scope);
  quoteRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  templateRoutes(app, options, scope, deps.clock ?? (() => new Date()), deps.publicUrl ?? null);
  ratingRoutes(app, options, scope, deps.clock ?? (() => new Date()), deps.publicUrl ?? null);
  occasionRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  webFormRoutes(app, options, scope);
  webhookRoutes(app, options, scope, deps.webhooks ?? { allowPrivate: false });
  segmentRoutes(app, options, scope, deps.clock ?? (() => new Date()));
  await publicFormRoutes(
    app,
    deps.database,
    deps.clock ?? (() => new Date()),
    deps.webForms ?? DEFAULT_WEB_FORM_LIMITS,
  );
  if (deps.sync?.graph && deps.sync.notifications)
    await notificationRoutes(
      app,
      deps.database,
      deps.graphNotifications?.limits ?? DEFAULT_NOTIFICATION_LIMITS,
      deps.graphNotifications?.wakeups ?? null,
    );
  await publicSurveyRoutes(
    app,
    deps.database,
    deps.clock ?? (() => new Date()),
    deps.surveys ?? DEFAULT_SURVEY_LIMITS,
  );
  if (deps.accounts) {
    const throttles = deps.accountThrottles ?? DEFAULT_THROTTLES;
    const mailer = deps.mail && deps.publicUrl ? createMailer(deps.mail) : null;
    const afterAnswer = new AfterAnswer(app.log);
    // What was asked before the server closes is still done (a reset link still mailed), then the store closes.
    app.addHook("onClose", async () => {
      await afterAnswer.idle();
      mailer?.close();
    });
    accountRoutes(
      app,
      options,
      scope,
      {
        db,
        issuer: deps.accounts,
        throttles: {
          signIn: new SignInThrottle(throttles),
          reset: new SignInThrottle(throttles),
          accept: new SignInThrottle(throttles),
        },
        forgetUser: (userId) => resolveCaller.forgetUser(userId),
        mail: mailer && deps.publicUrl ? { mailer, publicUrl: deps.publicUrl } : null,
        afterAnswer,
        log: app.log,
      },
      deps.publicUrl ?? null,
    );
  }
  return app;
}

/**
 * Two limits, each answering 429 with Retry-After: per client address before anything else (an IPv6 client's
 * /64, all of which it may use; so a flood of bad tokens is held back too), and per signed-in user once the token is verified (so one user behind a shared
 * address cannot starve the others). Global hooks, so they run before and after each route's authentication.
 */
async function limitRates(app: FastifyInstance, limits: RateLimitConfig): Promise<void> {
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => string | null) => {
    if (max <= 0) return null;
    const check = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (r) => key(r) ?? "" });
    return async (request: FastifyRequest, reply: FastifyReply) => {
      if (key(request) === null) return;
      const limit = await check(request);
      if (limit.isAllowed || !limit.isExceeded) return;
      reply.header("retry-after", String(limit.ttlInSeconds));
      throw new AppError("rate_limited", 429, `Too many requests; try again in ${limit.ttlInSeconds} s.`);
    };
  };
  // A load balancer's probes are never limited: an unready answer must mean unready.
  const probes = new Set(["/healthz", "/readyz"]);
  const perIp = limiter(limits.perIp, (request) =>
    probes.has(request.routeOptions.url ?? "") ? null : `ip:${clientKey(request.ip)}`,
  );
  // Public routes have no user: the address limit covers them.
  const perUser = limiter(limits.perUser, (request) =>
    request.caller ? `user:${request.caller.userId}` : null,
  );
  if (perIp) app.addHook("onRequest", perIp);
  if (perUser) app.addHook("preHandler", perUser);
}
