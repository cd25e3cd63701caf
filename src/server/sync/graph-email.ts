import { z } from "zod";
import { EMAIL_ADDRESS_MAX_CHARS } from "../../shared/common";
import { normalizeEmailAddress } from "../../shared/email-address";
import { isReplyHeader } from "../../shared/follow-ups";
import { LogEmail, MAILBOX_NAME_MAX_CHARS } from "../../shared/interactions";
import type { MailFolder } from "../../shared/mailboxes";
import type { AutoLoggedContent } from "../../shared/organizations";
import { type PrivacyPolicy, type SkipReason, reasonNotToLog } from "../../shared/privacy";
import { CUSTOM_PROPERTIES_ID, type GraphMessage } from "./mail-graph";

/** Why an entry of a delta page was not logged. */
export type NotLogged =
  | SkipReason
  | "removed"
  | "unreadable"
  | "draft"
  /** A change to a message seen before (Graph sends only what changed, e.g. read or moved). */
  | "changed_only"
  | "no_contact"
  /** The server refused to log it (it would refuse every time). */
  | "rejected";

export interface Candidate {
  input: z.output<typeof LogEmail>;
  /** Every address on it but the mailbox owner's: a contact among them makes it worth logging. */
  others: string[];
}

function rapportKeyOf(message: GraphMessage): string | undefined {
  const property = message.singleValueExtendedProperties?.find(
    (p) => p.id.toLowerCase() === CUSTOM_PROPERTIES_ID.toLowerCase(),
  );
  if (!property?.value) return undefined;
  try {
    const parsed: unknown = JSON.parse(property.value);
    const key = (parsed as { rapportKey?: unknown } | null)?.rapportKey;
    return z.uuid().safeParse(key).success ? (key as string) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A delta entry as the email to log, after the privacy rules, or why it is not one. What is kept of it follows
 * the organisation's choice: metadata only, the subject, or the subject and Graph's plain-text preview. Only the
 * owner's own sent mail (Sent Items) brings its Rapport key: the key is the sender's, and joins the interaction
 * their add-in logged as the mail went; a key on anything else is not the owner's to use.
 */
export function graphEmail(
  message: GraphMessage | null,
  owner: string | null,
  folder: MailFolder,
  privacy: PrivacyPolicy,
  content: AutoLoggedContent,
): Candidate | { skip: NotLogged } {
  if (message === null) return { skip: "unreadable" };
  if (message["@removed"]) return { skip: "removed" };
  if (message.isDraft) return { skip: "draft" };
  if (!message.internetMessageId || !message.from?.emailAddress) return { skip: "changed_only" };

  // A sender writes these: an address longer than the contract takes is none (never read), and a longer name is
  // kept as far as the contract takes one rather than making the whole email unreadable.
  const mailbox = (r: { emailAddress?: { address?: string | null; name?: string | null } | null }) => {
    const raw = r.emailAddress?.address;
    const address = raw && raw.length <= EMAIL_ADDRESS_MAX_CHARS ? normalizeEmailAddress(raw) : null;
    const name = r.emailAddress?.name?.trim().slice(0, MAILBOX_NAME_MAX_CHARS).trimEnd();
    return address ? { address, name: name || undefined } : null;
  };
  const from = mailbox(message.from);
  if (!from) return { skip: "unreadable" };
  const to = (message.toRecipients ?? []).map(mailbox);
  const cc = (message.ccRecipients ?? []).map(mailbox);
  // A recipient left out would be one the blocklist and the internal-only rule never saw: the email is skipped.
  const read = <T>(list: (T | null)[]): list is T[] => list.every((m) => m !== null);
  if (!read(to) || !read(cc)) return { skip: "unreadable_participant" };
  const everyone = [from, ...to, ...cc].map((m) => m.address);

  const headers = Object.fromEntries((message.internetMessageHeaders ?? []).map((h) => [h.name, h.value]));
  const reason = reasonNotToLog(everyone, headers, privacy);
  if (reason) return { skip: reason };

  const parsed = LogEmail.safeParse({
    internetMessageId: message.internetMessageId,
    rapportKey: folder === "sentitems" ? rapportKeyOf(message) : undefined,
    conversationId: message.conversationId ?? undefined,
    subject: content === "metadata" ? "" : (message.subject ?? "").slice(0, 998),
    from,
    to: to.slice(0, 500),
    cc: cc.slice(0, 500),
    sentAt: message.sentDateTime ?? message.receivedDateTime,
    bodyText: content === "excerpt" ? (message.bodyPreview ?? undefined) : undefined,
    source: "auto",
    // What makes it a reply to mail with a reminder, or an automatic answer that is none (docs/follow-ups.md).
    headers: (message.internetMessageHeaders ?? [])
      .filter((h) => isReplyHeader(h.name))
      .slice(0, 50)
      .map((h) => ({ name: h.name, value: h.value.slice(0, 32_000) })),
  });
  if (!parsed.success) return { skip: "unreadable" };
  const ownAddress = owner ? normalizeEmailAddress(owner) : null;
  return { input: parsed.data, others: [...new Set(everyone.filter((a) => a !== ownAddress))] };
}
