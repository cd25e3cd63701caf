import { z } from "zod";
import type { TenantTokens } from "../sync/client-credentials";
import { graphClients, graphFailureOf } from "../sync/graph-client";

/**
 * The named property every occasion mail's message carries, its value the occasion mail's id: how a server that
 * lost the answer to "create this draft" (a crash, a timeout) finds the draft it made instead of making another.
 * A single-value extended property (PS_PUBLIC_STRINGS) survives the move from Drafts to Sent Items.
 */
export const OCCASION_PROPERTY_ID =
  "String {00020329-0000-0000-C000-000000000046} Name RapportOccasionMailId";

export interface OutgoingMail {
  /** The occasion mail's id: the marker set on the draft. */
  marker: string;
  subject: string;
  html: string;
  to: { address: string; name: string | null };
}

export interface FoundMessage {
  id: string;
  /** false once sent: the message is the copy in Sent Items. */
  isDraft: boolean;
}

/**
 * What occasion mails need of a rep's mailbox through Microsoft Graph with application permissions:
 * Mail.ReadWrite to create (and look up) drafts, Mail.Send to send one.
 */
export interface MailDrafts {
  /** The message carrying this marker in any folder of the mailbox, or null. */
  findByMarker(tenantId: string, user: string, marker: string): Promise<FoundMessage | null>;
  createDraft(tenantId: string, user: string, mail: OutgoingMail): Promise<FoundMessage>;
  sendDraft(tenantId: string, user: string, messageId: string): Promise<void>;
}

const Message = z.object({ id: z.string().min(1), isDraft: z.boolean().nullish() });
const MessageList = z.object({ value: z.array(Message) });

/** How long one Graph request may take: a mailbox that never answers must not hold the loop (it retries later). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Through the Graph client library, as the mailbox sync reads mail: its authentication handler (the token goes
 * only to `graphUrl`'s host) and its HTTP handler. No retry handler: it would send a create again after a 504
 * that Graph may have carried out (two drafts) and sleep through a long Retry-After while every other rep's mail
 * waits. A failure goes back to the worker, which tries that mail again later (after Retry-After when Graph names
 * one), finding a draft made meanwhile by its marker before making one. Ids are immutable
 * (`Prefer: IdType="ImmutableId"`), so a draft keeps its id when sending moves it to Sent Items.
 */
export function createMailDrafts(options: { graphUrl: string; tokens: TenantTokens }): MailDrafts {
  const { clientFor } = graphClients({ graphUrl: options.graphUrl, tokens: options.tokens, retries: "none" });
  const mailbox = (user: string) => `/users/${encodeURIComponent(user)}`;
  const PREFER = 'IdType="ImmutableId"';

  return {
    async findByMarker(tenantId, user, marker) {
      try {
        // The marker is a uuid we made: nothing in it needs escaping inside the filter's quotes.
        const body: unknown = await clientFor(tenantId)
          .api(`${mailbox(user)}/messages`)
          .header("Prefer", PREFER)
          .option("signal", AbortSignal.timeout(REQUEST_TIMEOUT_MS))
          .filter(
            `singleValueExtendedProperties/Any(ep: ep/id eq '${OCCASION_PROPERTY_ID}' and ep/value eq '${marker}')`,
          )
          .select(["id", "isDraft"])
          .top(2)
          .get();
        const found = MessageList.parse(body).value[0];
        return found ? { id: found.id, isDraft: found.isDraft ?? true } : null;
      } catch (error) {
        throw graphFailureOf(error);
      }
    },
    async createDraft(tenantId, user, mail) {
      try {
        const body: unknown = await clientFor(tenantId)
          .api(`${mailbox(user)}/messages`)
          .header("Prefer", PREFER)
          .option("signal", AbortSignal.timeout(REQUEST_TIMEOUT_MS))
          .post({
            subject: mail.subject,
            body: { contentType: "HTML", content: mail.html },
            toRecipients: [
              { emailAddress: { address: mail.to.address, ...(mail.to.name ? { name: mail.to.name } : {}) } },
            ],
            singleValueExtendedProperties: [{ id: OCCASION_PROPERTY_ID, value: mail.marker }],
          });
        const created = Message.parse(body);
        return { id: created.id, isDraft: created.isDraft ?? true };
      } catch (error) {
        throw graphFailureOf(error);
      }
    },
    async sendDraft(tenantId, user, messageId) {
      try {
        await clientFor(tenantId)
          .api(`${mailbox(user)}/messages/${encodeURIComponent(messageId)}/send`)
          .header("Prefer", PREFER)
          .option("signal", AbortSignal.timeout(REQUEST_TIMEOUT_MS))
          .post(null);
      } catch (error) {
        throw graphFailureOf(error);
      }
    },
  };
}
