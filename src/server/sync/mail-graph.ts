import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { MailFolder } from "../../shared/mailboxes";
import type { TenantTokens } from "./client-credentials";

/** The fields the sync reads of a message: who, when, what about, and the headers that mark bulk mail. */
export const MESSAGE_FIELDS = [
  "internetMessageId",
  "conversationId",
  "subject",
  "bodyPreview",
  "from",
  "toRecipients",
  "ccRecipients",
  "sentDateTime",
  "receivedDateTime",
  "isDraft",
  "internetMessageHeaders",
];

export const PAGE_SIZE = 50;

/** The add-in's id in manifest.xml: Outlook keeps an add-in's custom properties in a property named for it. */
export const ADDIN_ID = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a11";
/**
 * Where Office.js custom properties live in the mailbox (PS_PUBLIC_STRINGS, "cecp-<add-in id>", a JSON object):
 * the Rapport key the add-in set on a draft it logged as it was sent comes back this way on the sent copy.
 */
export const CUSTOM_PROPERTIES_ID = `String {00020329-0000-0000-C000-000000000046} Name cecp-${ADDIN_ID}`;

const Recipient = z.object({
  emailAddress: z.object({ address: z.string().nullish(), name: z.string().nullish() }).nullish(),
});

/**
 * One entry of a delta page. A removal carries only its id; a change may carry only the fields that changed
 * (Graph sends id, isRead and the folder for a message marked read), so every field is optional here.
 */
export const GraphMessage = z.looseObject({
  id: z.string(),
  "@removed": z.object({ reason: z.string().optional() }).optional(),
  internetMessageId: z.string().nullish(),
  conversationId: z.string().nullish(),
  subject: z.string().nullish(),
  bodyPreview: z.string().nullish(),
  from: Recipient.nullish(),
  toRecipients: z.array(Recipient).nullish(),
  ccRecipients: z.array(Recipient).nullish(),
  sentDateTime: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  internetMessageHeaders: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string(), value: z.string().nullish() })).nullish(),
});
export type GraphMessage = z.infer<typeof GraphMessage>;

const DeltaResponse = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

export interface DeltaPage {
  /** Entries as Graph sent them; one that does not parse is null (counted, skipped, never fatal). */
  items: (GraphMessage | null)[];
  nextLink: string | null;
  deltaLink: string | null;
}

export type DeltaStart = { link: string } | { since: Date };

/** A Graph answer other than success, with what the sync needs to decide: wait, restart, or report. */
export class GraphFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

export interface MailGraph {
  /** One page of a folder's delta: from a stored link, or a fresh start at `since`. */
  deltaPage(tenantId: string, graphUserId: string, folder: MailFolder, start: DeltaStart): Promise<DeltaPage>;
}

/** Retry-After is honoured within a request only when it is short; a longer wait is the worker's to schedule. */
const MAX_INLINE_WAIT_SECONDS = 10;

export function retryAfterOf(headers: Headers | undefined | null): number | null {
  const value = headers?.get("Retry-After");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Microsoft Graph's mail delta through the Graph client library: its authentication handler (which sends our
 * token only to `graphUrl`'s host), its retry handler (429, 503 and 504 with Retry-After and back-off), and
 * its HTTP handler. `graphUrl` is Graph's own unless a test or a national cloud names another.
 */
export function createMailGraph(options: {
  graphUrl: string;
  tokens: TenantTokens;
  pageSize?: number;
  /** Retries of a throttled request before the worker takes over the waiting; 0 in tests that count them. */
  inlineRetries?: number;
  /** How long one page may take, its retries included. */
  pageTimeoutMs?: number;
}): MailGraph {
  const pageTimeoutMs = options.pageTimeoutMs ?? 120_000;
  const baseUrl = `${options.graphUrl.replace(/\/+$/, "")}/`;
  const version = "v1.0";
  const linkPrefix = `${baseUrl}${version}/`;
  const clients = new Map<string, Client>();
  const pageSize = options.pageSize ?? PAGE_SIZE;

  const clientFor = (tenantId: string): Client => {
    let client = clients.get(tenantId);
    if (!client) {
      const authentication = new AuthenticationHandler({ getAccessToken: () => options.tokens(tenantId) });
      const retry = new RetryHandler(
        new RetryHandlerOptions(
          2,
          options.inlineRetries ?? 3,
          (_delay, _attempt, _request, _options, response) => {
            const wait = retryAfterOf(response.headers);
            return wait === null || wait <= MAX_INLINE_WAIT_SECONDS;
          },
        ),
      );
      authentication.setNext(retry);
      retry.setNext(new HTTPMessageHandler());
      client = Client.initWithMiddleware({
        middleware: authentication,
        baseUrl,
        defaultVersion: version,
        customHosts: new Set([new URL(baseUrl).hostname]),
      });
      clients.set(tenantId, client);
    }
    return client;
  };

  return {
    async deltaPage(tenantId, graphUserId, folder, start) {
      const client = clientFor(tenantId);
      let request;
      if ("link" in start) {
        // Links Graph handed us are followed only on Graph's own host: a stored link never takes our token elsewhere.
        if (!start.link.startsWith(linkPrefix))
          throw new GraphFailure(`A stored delta link points outside ${baseUrl}`, 410, "foreignLink", null);
        request = client.api(start.link.slice(linkPrefix.length));
      } else {
        request = client
          .api(`/users/${encodeURIComponent(graphUserId)}/mailFolders/${folder}/messages/delta`)
          .select(MESSAGE_FIELDS)
          .expand(`singleValueExtendedProperties($filter=id eq '${CUSTOM_PROPERTIES_ID}')`)
          .filter(`receivedDateTime ge ${start.since.toISOString()}`);
      }
      let body: unknown;
      try {
        // A page that does not come is a failure, not a wait forever: the mailbox is retried on a later run.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new GraphFailure(
                  `Microsoft Graph did not answer within ${pageTimeoutMs / 1000} s`,
                  504,
                  "timeout",
                  null,
                ),
              ),
            pageTimeoutMs,
          );
        });
        try {
          body = await Promise.race([
            request
              .header("Prefer", `odata.maxpagesize=${pageSize}, IdType="ImmutableId"`)
              .get() as Promise<unknown>,
            late,
          ]);
        } finally {
          clearTimeout(timer);
        }
      } catch (error) {
        if (error instanceof GraphError) {
          const code = error.code && error.code !== "null" ? error.code : null;
          throw new GraphFailure(
            `Microsoft Graph answered ${error.statusCode}${code ? ` (${code})` : ""}: ${error.message}`.slice(
              0,
              1000,
            ),
            error.statusCode,
            code,
            retryAfterOf(error.headers),
          );
        }
        throw error;
      }
      const page = DeltaResponse.parse(body);
      return {
        items: page.value.map((item) => {
          const parsed = GraphMessage.safeParse(item);
          return parsed.success ? parsed.data : null;
        }),
        nextLink: page["@odata.nextLink"] ?? null,
        deltaLink: page["@odata.deltaLink"] ?? null,
      };
    },
  };
}
