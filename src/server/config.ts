import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { normalizeEmailAddress } from "../shared/email-address";
import type { SignInConfig } from "../shared/routes";

const Flag = z
  .enum(["on", "off", "true", "false", "1", "0"])
  .transform((v) => v === "on" || v === "true" || v === "1");

const Env = z.object({
  RAPPORT_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL only: a statement running longer than this is cancelled (0: no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** JSON lines for a log collector; `pretty` (what `npm start` uses) is one readable line each. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** The Rapport API's app registration in Entra ID: tokens must be issued for this audience. */
  RAPPORT_ENTRA_CLIENT_ID: z.string().min(1).optional(),
  /** Tenant ids whose users may sign in, comma-separated; "*" admits any tenant (a multi-tenant deployment). */
  RAPPORT_ENTRA_TENANTS: z.string().min(1).transform(readTenants).optional(),
  /** The app role (its value) in the API's app registration that makes whoever holds it an admin at sign-in. */
  RAPPORT_ADMIN_APP_ROLE: z
    .string()
    .regex(/^[\x21-\x7e]{1,120}$/, "an app role's value: printable characters without spaces")
    .default("Rapport.Admin"),
  /** Users who become admins at sign-in: object ids or (members only) addresses, space- or comma-separated. */
  RAPPORT_ADMINS: z.string().optional(),
  /** Only changed for national clouds, or to point the tests at a local OpenID configuration. */
  RAPPORT_ENTRA_AUTHORITY: z.url().default("https://login.microsoftonline.com"),
  RAPPORT_API_SCOPE: z.string().min(1).default("access_as_user"),
  /**
   * The API's Application ID URI in Entra; the add-in asks for `<this>/<RAPPORT_API_SCOPE>`, and a v1.0 token
   * names it as its audience.
   */
  RAPPORT_ENTRA_APP_ID_URI: z.string().min(1).optional(),
  /** The local issuer (key pair in the data directory): on by default only when Entra is not configured. */
  RAPPORT_LOCAL_ISSUER: Flag.optional(),
  /**
   * The address people reach this server at (https://crm.example.com): the one-time links of invitations and
   * password resets are made on it. Unset, a link is made on the origin the admin's request came to.
   */
  RAPPORT_PUBLIC_URL: z
    .url()
    .regex(/^https?:\/\//, "must be an http:// or https:// address")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** The add-in's build (`npm run build`), served from the API's origin when it is there. */
  RAPPORT_ADDIN_DIR: z.string().min(1).default("./dist"),
  /** Who may frame the pane (CSP frame-ancestors), space- or comma-separated; Outlook's hosts by default. */
  RAPPORT_FRAME_ANCESTORS: z.string().min(1).optional(),
  /** Requests per minute per signed-in user, and per client address; 0 turns that limit off. */
  RAPPORT_RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).default(600),
  RAPPORT_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(1200),
  /**
   * Behind a load balancer: how many proxies stand in front (a hop count), or their addresses. Never "trust the
   * whole X-Forwarded-For": its leftmost entries are whatever the client wrote, and would escape the per-address
   * rate limit.
   */
  RAPPORT_TRUST_PROXY: z.string().default("off").transform(readTrustProxy),
  /** On SIGTERM, answer /readyz 503 this long before closing, so a load balancer stops sending first. */
  RAPPORT_DRAIN_SECONDS: z.coerce.number().min(0).max(120).default(2),
  /** Mailbox sync: the app registration that reads mail (Mail.Read application permission, admin-consented). */
  RAPPORT_GRAPH_CLIENT_ID: z.string().min(1).optional(),
  /** The tenant whose mailboxes are read; unset, each organisation's own tenant (a multi-tenant app). */
  RAPPORT_GRAPH_TENANT_ID: z.string().min(1).optional(),
  RAPPORT_GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  /** A PEM file holding the app's certificate and its private key (instead of a secret). */
  RAPPORT_GRAPH_CERTIFICATE_PATH: z.string().min(1).optional(),
  /** Only changed for national clouds, or to point the tests at a local server. */
  RAPPORT_GRAPH_AUTHORITY: z.url().default("https://login.microsoftonline.com"),
  RAPPORT_GRAPH_URL: z.url().default("https://graph.microsoft.com"),
  /**
   * Where Microsoft Graph can reach this server (https://crm.example.com): with it, each synced mailbox gets Graph
   * change notifications, posted to `<this>/graph/notifications`, and a new message is read within seconds
   * instead of at the next minute's run. Unset, the sync only runs every RAPPORT_SYNC_INTERVAL_SECONDS.
   */
  // https only: Graph refuses any other notification URL, and each notification carries its clientState secret.
  RAPPORT_GRAPH_NOTIFICATION_URL: z
    .url()
    .regex(/^https:\/\//i, "must be an https:// address (Graph posts notifications over https only)")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** How long each subscription is asked for; renewed when half of it is left. Graph allows mail at most 10080. */
  RAPPORT_GRAPH_SUBSCRIPTION_MINUTES: z.coerce.number().int().min(10).max(10_080).default(4320),
  RAPPORT_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  RAPPORT_SYNC_BACKFILL_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  RAPPORT_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a server holds a mailbox it syncs without renewing; another server takes over a crashed one's after it. */
  RAPPORT_SYNC_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /** The mail server invitations and password reset links go out through; unset, links are only shown to copy. */
  RAPPORT_SMTP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, "a host name or an IP address")
    .optional(),
  RAPPORT_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * `starttls` (the default: port 587, the connection must be upgraded to TLS), `tls` (TLS from the start, port
   * 465), or `off` (plain text, only for a relay on the same machine or network).
   */
  RAPPORT_SMTP_SECURITY: z.enum(["starttls", "tls", "off"]).default("starttls"),
  RAPPORT_SMTP_USER: z.string().min(1).optional(),
  RAPPORT_SMTP_PASSWORD: z.string().min(1).optional(),
  /** A file holding the password (a container secret), instead of RAPPORT_SMTP_PASSWORD. */
  RAPPORT_SMTP_PASSWORD_FILE: z.string().min(1).optional(),
  /** The sender's address, and the name shown with it ("Rapport" unless set). */
  RAPPORT_SMTP_FROM: z.string().optional(),
  RAPPORT_SMTP_FROM_NAME: z
    .string()
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^\x00-\x1f\x7f]{1,100}$/, "a name of up to 100 characters on one line")
    .default("Rapport"),
  /** Occasion mails: how often a server looks for what is due, and from which local hour a rep's day's are made. */
  RAPPORT_OCCASIONS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  RAPPORT_OCCASIONS_MORNING_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /**
   * Outbound webhooks may reach private, loopback, link-local and other reserved addresses (a receiver on the
   * server's own network). Off by default: an admin's URL must not reach into the server's network.
   */
  RAPPORT_WEBHOOKS_ALLOW_PRIVATE: Flag.default(false),
  /** How often each server looks for webhook deliveries due, and how long a receiver has to answer one. */
  RAPPORT_WEBHOOKS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  RAPPORT_WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  /** The wait after a failed delivery's first attempt; each further failure doubles it (at most six hours). */
  RAPPORT_WEBHOOKS_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  /** Attempts before a delivery is given up (it can still be sent again from Settings). */
  RAPPORT_WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  /**
   * Interactions an erasure takes per transaction: between two, other requests get the store (the embedded one
   * is one connection). By default person-data/erase.ts's DEFAULT_ERASURE_SLICE.
   */
  RAPPORT_ERASURE_SLICE: z.coerce.number().int().min(1).max(100_000).optional(),
});

export type GraphCredential = { kind: "secret"; secret: string } | { kind: "certificate"; path: string };

/** How the server reads mailboxes through Microsoft Graph (application permissions, client credentials). */
export interface GraphSyncConfig {
  clientId: string;
  credential: GraphCredential;
  /** null: each organisation's own tenant. */
  tenantId: string | null;
  authority: string;
  graphUrl: string;
}

/** Occasion mails (birthdays, won deals' anniversaries): written through the same Graph app as the sync. */
export interface OccasionsConfig {
  intervalSeconds: number;
  morningHour: number;
}

/** Outbound webhooks: what may be registered and how the deliveries are made (webhooks/worker.ts). */
export interface WebhooksConfig {
  allowPrivate: boolean;
  intervalSeconds: number;
  timeoutMs: number;
  backoffBaseMs: number;
  maxAttempts: number;
}

/** Graph change notifications (sync/notifications.ts): where Graph posts them, and for how long it is asked to. */
export interface NotificationsConfig {
  /** The notification endpoint's full public address (`<RAPPORT_GRAPH_NOTIFICATION_URL>/graph/notifications`). */
  url: string;
  /** The lifetime asked for each subscription, in minutes (Graph allows mail and events 10080). */
  subscriptionMinutes: number;
}

/** The path Graph posts change and lifecycle notifications to. */
export const NOTIFICATION_PATH = "/graph/notifications";

export interface SyncConfig {
  /** null: no credentials, so no mailbox is synced (the status API says so). */
  graph: GraphSyncConfig | null;
  /** null or absent: no public address Graph can reach, so no subscriptions: the minute's run alone. */
  notifications?: NotificationsConfig | null;
  intervalSeconds: number;
  backfillDays: number;
  concurrency: number;
  leaseSeconds: number;
}

/**
 * Where an organisation's admins come from besides its own admins' choices: the tenant's assignment of an app
 * role, or a list in the server's configuration. Both are read at each sign-in (see auth/admin-grant.ts).
 */
export interface AdminConfig {
  appRole: string;
  /** Object ids and addresses, in lower case. */
  listed: string[];
}

/** The tenant of personal Microsoft accounts: strangers to each other, never one organisation. */
export const PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

export interface EntraConfig {
  clientId: string;
  /** The Application ID URI (`api://<client id>` unless set): a token's audience is it or the client id. */
  appIdUri: string;
  /** Tenant ids in lower case; null admits every tenant. */
  tenants: string[] | null;
  authority: string;
}

/** The mail server Rapport sends its one-time links through (accounts/mail.ts). */
export interface MailConfig {
  host: string;
  port: number;
  security: "starttls" | "tls" | "off";
  auth: { user: string; pass: string } | null;
  from: { name: string; address: string };
}

export interface Config {
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  statementTimeoutMs: number;
  port: number;
  host: string;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  logFormat: z.infer<typeof Env>["LOG_FORMAT"];
  apiScope: string;
  entra: EntraConfig | null;
  admins: AdminConfig;
  localIssuer: boolean;
  publicUrl: string | null;
  addinDir: string;
  frameAncestors: string[] | null;
  sync: SyncConfig;
  occasions: OccasionsConfig;
  webhooks: WebhooksConfig;
  /** Interactions an erasure takes per transaction (person-data/erase.ts); its default when undefined. */
  erasureSlice: number | undefined;
  rateLimit: RateLimitConfig;
  trustProxy: TrustProxy;
  drainSeconds: number;
  /** null: no mail is sent; one-time links are shown to the admin to copy. */
  mail: MailConfig | null;
}

/** Requests per minute; 0 is no limit. */
export interface RateLimitConfig {
  perUser: number;
  perIp: number;
}

/**
 * Which X-Forwarded-For entry is the client: false ignores the header; a number trusts that many proxies (the
 * client is the entry that many hops from the server); a list trusts those proxies' addresses or CIDR ranges.
 */
export type TrustProxy = false | number | string[];

const MAX_PROXY_HOPS = 10;

function readTrustProxy(value: string, context: z.core.$RefinementCtx<string>): TrustProxy {
  const word = value.trim().toLowerCase();
  if (word === "off" || word === "false" || word === "0") return false;
  // One load balancer, as "Running several servers" describes: the address it saw is the client's.
  if (word === "on" || word === "true") return 1;
  if (/^\d+$/.test(word)) {
    const hops = Number(word);
    if (hops <= MAX_PROXY_HOPS) return hops;
  } else {
    const proxies = word.split(/[\s,]+/).filter(Boolean);
    if (proxies.length > 0 && proxies.every(isAddressOrRange)) return proxies;
  }
  context.addIssue({
    code: "custom",
    message: `must be off, a number of proxies (1 to ${MAX_PROXY_HOPS}), or the proxies' addresses or CIDR ranges, comma-separated`,
  });
  return z.NEVER;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Entra tenant id as tokens and issuers write it: a GUID in lower case. */
export const isTenantId = (value: string): boolean => TENANT_ID.test(value);

/**
 * Tenant ids, or "*" alone. Entra names a token's tenant by its id only (the `tid` claim, the issuer), so a
 * domain name here could never match: it is refused rather than left to refuse every sign-in.
 */
function readTenants(value: string, context: z.core.$RefinementCtx<string>): string[] | null {
  if (value.trim() === "*") return null;
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = entries.filter((entry) => !isTenantId(entry.toLowerCase()));
  for (const entry of wrong) {
    context.addIssue({ code: "custom", message: notATenantId(entry) });
  }
  if (entries.length === 0)
    context.addIssue({ code: "custom", message: 'tenant ids, comma-separated, or "*" for any tenant' });
  return wrong.length > 0 || entries.length === 0
    ? z.NEVER
    : [...new Set(entries.map((entry) => entry.toLowerCase()))];
}

function notATenantId(entry: string): string {
  if (entry === "*") return '"*" admits every tenant and stands alone, not in a list';
  if (["common", "organizations", "consumers"].includes(entry.toLowerCase()))
    return `"${entry}" is a sign-in authority, not a tenant: use "*" to admit any tenant`;
  const looksLikeDomain = /^[^\s@]+\.[^\s@]+$/.test(entry) && !/^[0-9a-f-]+$/i.test(entry);
  return looksLikeDomain
    ? `"${entry}" is a domain name: use the tenant id instead (a GUID, the "Directory (tenant) ID" in the Entra admin center)`
    : `"${entry}" is not a tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)`;
}

function isAddressOrRange(entry: string): boolean {
  const [address = "", prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export class ConfigError extends Error {}

/** Environment → typed config; a bad value stops the start with a message naming the variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readPasswordFile: (file: string) => string = (file) => readFileSync(file, "utf8"),
): Config {
  const parsed = Env.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.RAPPORT_ENTRA_CLIENT_ID && e.RAPPORT_ENTRA_TENANTS === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  RAPPORT_ENTRA_TENANTS: required with RAPPORT_ENTRA_CLIENT_ID (tenant ids, comma-separated, or "*")',
    );
  }
  const entra: EntraConfig | null = e.RAPPORT_ENTRA_CLIENT_ID
    ? {
        clientId: e.RAPPORT_ENTRA_CLIENT_ID,
        appIdUri: (e.RAPPORT_ENTRA_APP_ID_URI ?? `api://${e.RAPPORT_ENTRA_CLIENT_ID}`).replace(/\/+$/, ""),
        tenants: e.RAPPORT_ENTRA_TENANTS ?? null,
        authority: e.RAPPORT_ENTRA_AUTHORITY.replace(/\/+$/, ""),
      }
    : null;
  if (entra?.tenants?.includes(PERSONAL_ACCOUNTS_TENANT)) {
    throw new ConfigError(
      `Invalid configuration:\n  RAPPORT_ENTRA_TENANTS: ${PERSONAL_ACCOUNTS_TENANT} is the tenant of personal Microsoft accounts, whose users are strangers to each other and cannot share an organisation`,
    );
  }
  const localIssuer = e.RAPPORT_LOCAL_ISSUER ?? entra === null;
  if (!localIssuer && entra === null) {
    throw new ConfigError(
      "Invalid configuration:\n  RAPPORT_LOCAL_ISSUER is off and Entra is not configured (RAPPORT_ENTRA_CLIENT_ID): nobody could sign in",
    );
  }
  return {
    sync: syncConfig(e),
    mail: mailConfig(e, readPasswordFile),
    occasions: {
      intervalSeconds: e.RAPPORT_OCCASIONS_INTERVAL_SECONDS,
      morningHour: e.RAPPORT_OCCASIONS_MORNING_HOUR,
    },
    webhooks: {
      allowPrivate: e.RAPPORT_WEBHOOKS_ALLOW_PRIVATE,
      intervalSeconds: e.RAPPORT_WEBHOOKS_INTERVAL_SECONDS,
      timeoutMs: Math.round(e.RAPPORT_WEBHOOKS_TIMEOUT_SECONDS * 1000),
      backoffBaseMs: Math.round(e.RAPPORT_WEBHOOKS_RETRY_BASE_SECONDS * 1000),
      maxAttempts: e.RAPPORT_WEBHOOKS_MAX_ATTEMPTS,
    },
    erasureSlice: e.RAPPORT_ERASURE_SLICE,
    rateLimit: { perUser: e.RAPPORT_RATE_LIMIT_PER_USER, perIp: e.RAPPORT_RATE_LIMIT_PER_IP },
    trustProxy: e.RAPPORT_TRUST_PROXY,
    drainSeconds: e.RAPPORT_DRAIN_SECONDS,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    apiScope: e.RAPPORT_API_SCOPE,
    entra,
    admins: { appRole: e.RAPPORT_ADMIN_APP_ROLE, listed: adminList(e.RAPPORT_ADMINS) },
    localIssuer,
    publicUrl: e.RAPPORT_PUBLIC_URL ?? null,
    dataDir: path.resolve(e.RAPPORT_DATA_DIR),
    addinDir: path.resolve(e.RAPPORT_ADDIN_DIR),
    frameAncestors: e.RAPPORT_FRAME_ANCESTORS?.split(/[\s,]+/).filter(Boolean) ?? null,
  };
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Object ids lower-cased, addresses in their canonical form (as every address is compared). */
function adminList(value: string | undefined): string[] {
  const entries = (value ?? "").split(/[\s,;]+/).filter(Boolean);
  const read = entries.map((entry) =>
    OBJECT_ID.test(entry.toLowerCase()) ? entry.toLowerCase() : normalizeEmailAddress(entry),
  );
  const wrong = entries.filter((_, i) => read[i] === null);
  if (wrong.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n  RAPPORT_ADMINS: ${wrong.map((w) => `"${w}"`).join(", ")} is neither an object id nor an email address`,
    );
  return [...new Set(read.filter((entry): entry is string => entry !== null))];
}

function mailConfig(e: z.infer<typeof Env>, readPasswordFile: (file: string) => string): MailConfig | null {
  const invalid = (line: string) => new ConfigError(`Invalid configuration:\n  ${line}`);
  if (!e.RAPPORT_SMTP_HOST) {
    const stray = [
      e.RAPPORT_SMTP_PORT && "RAPPORT_SMTP_PORT",
      e.RAPPORT_SMTP_USER && "RAPPORT_SMTP_USER",
      e.RAPPORT_SMTP_PASSWORD && "RAPPORT_SMTP_PASSWORD",
      e.RAPPORT_SMTP_PASSWORD_FILE && "RAPPORT_SMTP_PASSWORD_FILE",
      e.RAPPORT_SMTP_FROM && "RAPPORT_SMTP_FROM",
    ].filter(Boolean);
    if (stray.length > 0) throw invalid(`RAPPORT_SMTP_HOST: required with ${stray.join(", ")} (mail)`);
    return null;
  }
  // The sender is written into every message's From header: one plain address, nothing a header could carry on.
  const from = e.RAPPORT_SMTP_FROM ? normalizeEmailAddress(e.RAPPORT_SMTP_FROM) : null;
  if (!from || /[\s<>"]/.test(e.RAPPORT_SMTP_FROM ?? ""))
    throw invalid(
      "RAPPORT_SMTP_FROM: the sender's address (noreply@crm.example.com) is required with RAPPORT_SMTP_HOST",
    );
  // A mailed link is made on the server's public address, never on whatever Host a reset request came with.
  if (!e.RAPPORT_PUBLIC_URL)
    throw invalid("RAPPORT_PUBLIC_URL: required with RAPPORT_SMTP_HOST (the address mailed links point to)");
  if (e.RAPPORT_SMTP_PASSWORD && e.RAPPORT_SMTP_PASSWORD_FILE)
    throw invalid("RAPPORT_SMTP_PASSWORD or RAPPORT_SMTP_PASSWORD_FILE: one of them, not both");
  let pass = e.RAPPORT_SMTP_PASSWORD ?? null;
  if (e.RAPPORT_SMTP_PASSWORD_FILE) {
    try {
      // A file written by an editor or `echo` ends with a line break that is no part of the password.
      pass = readPasswordFile(path.resolve(e.RAPPORT_SMTP_PASSWORD_FILE)).replace(/\r?\n$/, "");
    } catch (error) {
      throw invalid(
        `RAPPORT_SMTP_PASSWORD_FILE: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (pass === "") throw invalid("RAPPORT_SMTP_PASSWORD_FILE: the file is empty");
  }
  if ((pass === null) !== !e.RAPPORT_SMTP_USER)
    throw invalid("RAPPORT_SMTP_USER and a password: both or neither (a server that needs no sign-in)");
  return {
    host: e.RAPPORT_SMTP_HOST,
    port: e.RAPPORT_SMTP_PORT ?? (e.RAPPORT_SMTP_SECURITY === "tls" ? 465 : 587),
    security: e.RAPPORT_SMTP_SECURITY,
    auth: e.RAPPORT_SMTP_USER && pass !== null ? { user: e.RAPPORT_SMTP_USER, pass } : null,
    from: { name: e.RAPPORT_SMTP_FROM_NAME, address: from },
  };
}

function syncConfig(e: z.infer<typeof Env>): SyncConfig {
  const settings = {
    intervalSeconds: e.RAPPORT_SYNC_INTERVAL_SECONDS,
    backfillDays: e.RAPPORT_SYNC_BACKFILL_DAYS,
    concurrency: e.RAPPORT_SYNC_CONCURRENCY,
    leaseSeconds: e.RAPPORT_SYNC_LEASE_SECONDS,
  };
  const secret = e.RAPPORT_GRAPH_CLIENT_SECRET;
  const certificate = e.RAPPORT_GRAPH_CERTIFICATE_PATH;
  if (!e.RAPPORT_GRAPH_CLIENT_ID) {
    if (secret || certificate || e.RAPPORT_GRAPH_TENANT_ID || e.RAPPORT_GRAPH_NOTIFICATION_URL)
      throw new ConfigError(
        "Invalid configuration:\n  RAPPORT_GRAPH_CLIENT_ID: required with the other RAPPORT_GRAPH_* settings (mailbox sync)",
      );
    return { graph: null, ...settings };
  }
  if (Boolean(secret) === Boolean(certificate))
    throw new ConfigError(
      "Invalid configuration:\n  RAPPORT_GRAPH_CLIENT_SECRET or RAPPORT_GRAPH_CERTIFICATE_PATH: exactly one is needed with RAPPORT_GRAPH_CLIENT_ID",
    );
  return {
    graph: {
      clientId: e.RAPPORT_GRAPH_CLIENT_ID,
      credential: secret
        ? { kind: "secret", secret }
        : { kind: "certificate", path: path.resolve(certificate ?? "") },
      tenantId: e.RAPPORT_GRAPH_TENANT_ID ?? null,
      authority: e.RAPPORT_GRAPH_AUTHORITY.replace(/\/+$/, ""),
      graphUrl: e.RAPPORT_GRAPH_URL.replace(/\/+$/, ""),
    },
    notifications: e.RAPPORT_GRAPH_NOTIFICATION_URL
      ? {
          url: `${e.RAPPORT_GRAPH_NOTIFICATION_URL}${NOTIFICATION_PATH}`,
          subscriptionMinutes: e.RAPPORT_GRAPH_SUBSCRIPTION_MINUTES,
        }
      : null,
    ...settings,
  };
}

/** What the add-in is told about signing in (GET /api/v1/sign-in): never a secret, only names and switches. */
export function signInConfig(config: Config): SignInConfig {
  const { entra } = config;
  return {
    entra: entra
      ? {
          clientId: entra.clientId,
          // Sign-in for any allowed tenant: "organizations" unless the deployment admits exactly one.
          authority: `${entra.authority}/${entra.tenants?.length === 1 ? entra.tenants[0] : "organizations"}`,
          scope: `${entra.appIdUri}/${config.apiScope}`,
        }
      : null,
    localIssuer: config.localIssuer,
  };
}
