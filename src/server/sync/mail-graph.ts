import { z } from "zod";
import type { MailFolder } from "../../shared/mailboxes";
import type { TenantTokens } from "./client-credentials";
import { GraphFailure, graphClients, timedGraphCall } from "./graph-client";

// Where they were first written: the calendar capture and the tests import them from here.
export { GraphFailure, retryAfterOf } from "./graph-client";

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

export interface MailGraph {
  /** One page of a folder's delta: from a stored link, or a fresh start at `since`. */
  deltaPage(tenantId: string, graphUserId: string, folder: MailFolder, start: DeltaStart): Promise<DeltaPage>;
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
  const { baseUrl, clientFor } = graphClients({
    graphUrl: options.graphUrl,
    tokens: options.tokens,
    retries: options.inlineRetries ?? 3,
  });
  const linkPrefix = `${baseUrl}v1.0/`;
  const pageSize = options.pageSize ?? PAGE_SIZE;

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
      // A page that does not come is a failure, not a wait forever: the mailbox is retried on a later run.
      const prepared = request.header("Prefer", `odata.maxpagesize=${pageSize}, IdType="ImmutableId"`);
      const body = await timedGraphCall(() => prepared.get() as Promise<unknown>, pageTimeoutMs);
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
