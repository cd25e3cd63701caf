import { sql } from "kysely";
import type { MarketingConsent } from "../../shared/contacts";
import { recordAudit } from "../audit";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { getContact } from "../contacts/service";
import { emitEvent } from "../webhooks/outbox";

/**
 * Sets or clears a contact's "no marketing" flag by an address (canonical, as every address is compared), as a
 * marketing platform's unsubscribe and its undoing ask. The change is the contact's like any edit: a new version,
 * an audit event, a webhook event; asking for the flag the contact already has writes nothing.
 */
export async function setNoMarketing(
  scope: Scope,
  address: string,
  noMarketing: boolean,
): Promise<MarketingConsent> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const found = await tx
      .selectFrom("contact_emails as e")
      .innerJoin("contacts as c", (join) =>
        join.onRef("c.id", "=", "e.contact_id").onRef("c.org_id", "=", "e.org_id"),
      )
      .select(["c.id", "c.no_marketing"])
      .where("e.org_id", "=", orgId)
      .where("e.address", "=", address)
      .forUpdate("c")
      .executeTakeFirst();
    if (!found) throw notFound("A contact with this address");
    if (found.no_marketing === noMarketing) return { contactId: found.id, noMarketing, changed: false };
    await tx
      .updateTable("contacts")
      .set({ no_marketing: noMarketing, version: sql`version + 1`, updated_at: sql`now()` })
      .where("org_id", "=", orgId)
      .where("id", "=", found.id)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      noMarketing ? "contact.unsubscribed" : "contact.resubscribed",
      { type: "contact", id: found.id },
      { fields: ["noMarketing"] },
    );
    await emitEvent(tx, orgId, "contact.updated", await getContact({ ...scope, db: tx }, found.id));
    return { contactId: found.id, noMarketing, changed: true };
  });
}
