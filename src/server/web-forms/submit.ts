import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { domainOf, isFreeMailDomain, isWithinDomains } from "../../shared/email-address";
import { normalizeCompanyDomain } from "../../shared/companies";
import { customFieldDefinitions } from "../custom-fields/service";
import { lockAddresses } from "../db/address-lock";
import type { DB, WebFormRow } from "../db/tables";
import type { Language } from "../../shared/languages";
import { taskTitle } from "./page";
import type { CheckedSubmission } from "./submission";
import { MAX_TOKEN_USES, tokenExpiry } from "./token";
import { toCompany } from "../companies/service";
import { selectContacts, toContact } from "../contacts/service";
import { toTask } from "../tasks/service";
import { emitEvent } from "../webhooks/outbox";

// A submission that passed every check becomes, in one transaction behind its form's organisation's wall:
// the contact (matched by canonical address, or created), the company (matched by the address's domain, never a
// free-mail or the organisation's own, or created from the company name), the lead with its source and the
// consent version, a follow-up task for the owner due today, and an audit event.
//
// A public form proves nothing about who sent it: anyone who knows a customer's address can type it. So a form
// only ever creates records, never changes one: a known contact and a matched company are left exactly as they
// are (what the visitor sent is kept on the lead, for the rep to apply), and an address at one of the
// organisation's own domains makes no contact at all (a colleague's record is not a stranger's to make): its lead
// and task stand alone.

export interface AcceptedLead {
  leadId: string;
  contactId: string | null;
  contactCreated: boolean;
}

/** A domain and its parents: a visitor at eu.contoso.com belongs to the company at contoso.com. */
function domainCandidates(domain: string): string[] {
  const labels = domain.split(".");
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
}

/**
 * Counts one more post of a token, in the store (so every server counts together), and answers how many it has
 * had. The form's expired counts go in the same statement: a row lasts as long as its token (never the row counted
 * here, whose token has not expired: checkToken said so).
 */
export async function countTokenUse(
  db: Kysely<DB>,
  form: WebFormRow,
  token: { issuedAt: number; lifetime: number; consentVersion: number | null; id: string },
  now: Date,
): Promise<number> {
  const row = await db
    .with("expired", (db) =>
      db
        .deleteFrom("web_form_token_uses")
        .where("org_id", "=", form.org_id)
        .where("form_id", "=", form.id)
        .where("expires_at", "<", now),
    )
    .insertInto("web_form_token_uses")
    .values({ org_id: form.org_id, form_id: form.id, token_id: token.id, expires_at: tokenExpiry(token) })
    .onConflict((oc) =>
      oc.columns(["form_id", "token_id"]).doUpdateSet({ uses: sql`web_form_token_uses.uses + 1` }),
    )
    .returning("uses")
    .executeTakeFirstOrThrow();
  return row.uses;
}

const displayNameOf = (s: CheckedSubmission): string =>
  (s.contact.displayName ??
    [s.contact.firstName, s.contact.lastName]
      .filter((p) => p !== undefined)
      .join(" ")
      .trim()) ||
  s.email.written;

/**
 * Marks a token as having made its lead and takes the owner's turn, in one statement, unless another submission
 * with the token did first (answers null then): of two concurrent submissions with one token on any servers only
 * one goes on. The turn is taken outside the submission's transaction: the form's row is locked only while its
 * counter goes up, so submissions to one form take turns on any server (each gets its own position, in order)
 * without waiting for each other's whole transaction. A submission that fails afterwards leaves its turn unused.
 */
async function spendTokenForTurn(db: Kysely<DB>, form: WebFormRow, tokenId: string): Promise<number | null> {
  const turn = await db
    .with("spent", (db) =>
      db
        .updateTable("web_form_token_uses")
        .set({ uses: MAX_TOKEN_USES + 1 })
        .where("org_id", "=", form.org_id)
        .where("form_id", "=", form.id)
        .where("token_id", "=", tokenId)
        .where("uses", "<=", MAX_TOKEN_USES)
        .returning("token_id"),
    )
    .updateTable("web_forms")
    .set({ turns: sql`turns + 1` })
    .where("org_id", "=", form.org_id)
    .where("id", "=", form.id)
    .where(sql<boolean>`exists (select 1 from spent)`)
    .returning("turns")
    .executeTakeFirst();
  return turn === undefined ? null : Number(turn.turns);
}

/** What a submission's transaction reads before it writes, in one statement: the owners, the consent, the domains. */
interface SubmissionContext {
  owners: { user_id: string; language: Language | null }[];
  consent_text: string | null;
  internal_domains: string[];
  /** The event types an active webhook endpoint takes: for none, no event is written and none is looked for. */
  events_taken: string[];
}

/** The lead a submission makes, or null when its token has already made one (or the form is gone). */
export async function acceptSubmission(
  db: Kysely<DB>,
  form: WebFormRow,
  submission: CheckedSubmission,
  consentVersion: number | null,
  tokenId: string,
  now: Date,
): Promise<AcceptedLead | null> {
  const orgId = form.org_id;
  const turn = await spendTokenForTurn(db, form, tokenId);
  if (turn === null) return null;
  return db.transaction().execute(async (tx) => {
    // One round trip for what three reads would fetch: a submission is mostly waiting for the store.
    const { rows } = await sql<SubmissionContext>`
      select
        (select coalesce(json_agg(json_build_object('user_id', o.user_id, 'language', u.language)
                                  order by o.position), '[]'::json)
           from web_form_owners o join users u on u.id = o.user_id and u.org_id = o.org_id
          where o.org_id = ${orgId} and o.form_id = ${form.id}) as owners,
        (select text from web_form_consents
          where org_id = ${orgId} and form_id = ${form.id} and version = ${consentVersion}) as consent_text,
        (select internal_domains from organizations where id = ${orgId}) as internal_domains,
        (select coalesce(array_agg(distinct taken), '{}') from webhook_endpoints, unnest(events) as taken
          where org_id = ${orgId} and active) as events_taken`.execute(tx);
    const context = rows[0] as SubmissionContext;
    const owners = context.owners;
    // emitEvent looks for the endpoints itself, in a statement each: a submission makes up to three events, and an
    // organisation without webhooks is told so once, in the statement above.
    const taken = new Set(context.events_taken);
    const emit: typeof emitEvent = async (...args) => {
      if (taken.has(args[2])) await emitEvent(...args);
    };
    const owner = owners.length ? owners[(turn - 1) % owners.length] : undefined;
    const ownerId = owner?.user_id ?? null;
    const consent =
      consentVersion === null || context.consent_text === null
        ? undefined
        : { version: consentVersion, text: context.consent_text };

    // The custom fields as they are now, held until the end (FOR SHARE, as every write of custom values holds
    // them): a value whose field was deleted since the page was shown is kept on the lead only.
    const wanted = [
      ...(Object.keys(submission.contactCustom).length ? ["contact" as const] : []),
      ...(Object.keys(submission.companyCustom).length ? ["company" as const] : []),
    ];
    const definitions = [];
    for (const entity of wanted) definitions.push(...(await customFieldDefinitions(tx, orgId, entity)));
    const defined = new Set(definitions.map((d) => `${d.entity}.${d.key}`));
    const onlyDefined = (entity: string, values: Record<string, string | number>) =>
      Object.fromEntries(Object.entries(values).filter(([key]) => defined.has(`${entity}.${key}`)));
    submission = {
      ...submission,
      contactCustom: onlyDefined("contact", submission.contactCustom),
      companyCustom: onlyDefined("company", submission.companyCustom),
    };

    const address = submission.email.address;
    const internal = isWithinDomains(domainOf(address), context.internal_domains);
    await lockAddresses(tx, orgId, [address]);
    const companyId = internal ? null : await companyFor(tx, orgId, submission, emit);

    const existing = internal
      ? undefined
      : await tx
          .selectFrom("contact_emails as e")
          .innerJoin("contacts as c", (join) =>
            join.onRef("c.id", "=", "e.contact_id").onRef("c.org_id", "=", "e.org_id"),
          )
          .select(["c.id", "c.display_name"])
          .where("e.org_id", "=", orgId)
          .where("e.address", "=", address)
          .executeTakeFirst();

    let contactId: string | null;
    let displayName: string;
    if (internal) {
      contactId = null;
      displayName = displayNameOf(submission).slice(0, 200);
    } else if (existing) {
      contactId = existing.id;
      displayName = existing.display_name;
    } else {
      displayName = displayNameOf(submission).slice(0, 200);
      // The contact, its address and the emails already logged with the address (which now belong to the
      // contact, as when a rep adds it) in one statement: its id is made here, so nothing waits for it.
      contactId = randomUUID();
      await tx
        .with("contact", (db) =>
          db.insertInto("contacts").values({
            id: contactId as string,
            org_id: orgId,
            display_name: displayName,
            first_name: submission.contact.firstName ?? null,
            last_name: submission.contact.lastName ?? null,
            title: submission.contact.title ?? null,
            phones: submission.contact.phone ? [submission.contact.phone] : [],
            company_id: companyId,
            lifecycle_stage: "lead",
            owner_id: ownerId,
            source: "web-form",
            custom_fields: JSON.stringify(submission.contactCustom),
          }),
        )
        .with("address", (db) =>
          db.insertInto("contact_emails").values({
            org_id: orgId,
            contact_id: contactId as string,
            address,
            address_as_written: submission.email.written === address ? null : submission.email.written,
            position: 0,
          }),
        )
        .updateTable("interaction_participants")
        .set({ contact_id: contactId })
        .where("org_id", "=", orgId)
        .where("contact_id", "is", null)
        .where("address", "=", address)
        .execute();
      const made = contactId;
      await emit(tx, orgId, "contact.created", { id: made }, async () =>
        toContact(await selectContacts(tx, orgId).where("c.id", "=", made).executeTakeFirstOrThrow()),
      );
    }

    const task = await tx
      .insertInto("tasks")
      .values({
        org_id: orgId,
        title: taskTitle(owner?.language ?? "en", displayName),
        notes: null,
        due_at: now,
        assignee_id: ownerId,
        contact_id: contactId,
        created_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await emit(tx, orgId, "task.created", toTask(task));

    // The lead and its audit event in one statement (its id made here). No signed-in actor: the visitor did it,
    // through this form.
    const lead = { id: randomUUID() };
    await tx
      .with("lead", (db) =>
        db.insertInto("leads").values({
          id: lead.id,
          org_id: orgId,
          form_id: form.id,
          contact_id: contactId,
          company_id: companyId,
          owner_id: ownerId,
          task_id: task.id,
          page_url: submission.pageUrl,
          utm_source: submission.utm.source,
          utm_medium: submission.utm.medium,
          utm_campaign: submission.utm.campaign,
          utm_term: submission.utm.term,
          utm_content: submission.utm.content,
          consent_version: consent?.version ?? null,
          consent_text: consent?.text ?? null,
          submitted: JSON.stringify(submission.submitted),
        }),
      )
      .insertInto("audit_events")
      .values({
        org_id: orgId,
        actor_id: null,
        action: "lead.created",
        entity_type: "lead",
        entity_id: lead.id,
        details: JSON.stringify({
          formId: form.id,
          contactId,
          contactCreated: contactId !== null && !existing,
          internal,
          companyId,
          ownerId,
          taskId: task.id,
          consentVersion: consent?.version ?? null,
        }),
      })
      .execute();
    return { leadId: lead.id, contactId, contactCreated: contactId !== null && !existing };
  });
}

/**
 * The company a submission from outside belongs to: the one whose domain the address is at (or a parent of it),
 * unless the address is free-mail; else one made from the company name the visitor gave (with the address's
 * domain when it says something). A matched company is left as it is.
 */
async function companyFor(
  tx: Kysely<DB>,
  orgId: string,
  s: CheckedSubmission,
  emit: typeof emitEvent,
): Promise<string | null> {
  const domain = domainOf(s.email.address);
  const meaningful = !isFreeMailDomain(domain);
  if (meaningful) {
    const candidates = domainCandidates(domain);
    const matches = await tx
      .selectFrom("companies")
      .select(["id", "domain"])
      .where("org_id", "=", orgId)
      .where("domain", "in", candidates)
      .execute();
    const match = candidates.map((d) => matches.find((m) => m.domain === d)).find((m) => m !== undefined);
    if (match) return match.id;
  }
  const name = s.company.name;
  if (!name) return null;
  if (!meaningful) {
    // No domain to go by: a company of that name without a domain is the one (a free-mail visitor naming it
    // again makes no second), never one that has a domain (which says who works there).
    const named = await tx
      .selectFrom("companies")
      .select("id")
      .where("org_id", "=", orgId)
      .where("domain", "is", null)
      .where(sql<string>`lower(name)`, "=", sql<string>`lower(${name})`)
      .orderBy("created_at")
      .executeTakeFirst();
    if (named) return named.id;
  }
  const website = s.company.website ? normalizeCompanyDomain(s.company.website) : null;
  const inserted = await tx
    .insertInto("companies")
    .values({
      org_id: orgId,
      name: name.slice(0, 200),
      domain: meaningful ? domain : null,
      domain_as_written:
        meaningful && domainOf(s.email.written) !== domain ? domainOf(s.email.written) : null,
      phone: s.company.phone ?? null,
      website: website === null ? null : (s.company.website ?? null),
      address: s.company.address ?? null,
      owner_id: null,
      custom_fields: JSON.stringify(s.companyCustom),
    })
    // Two first submissions from one new domain at once: the second finds the first's company.
    .onConflict((oc) => oc.constraint("companies_domain_unique").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    await tx
      .insertInto("audit_events")
      .values({
        org_id: orgId,
        actor_id: null,
        action: "company.created",
        entity_type: "company",
        entity_id: inserted.id,
        details: JSON.stringify({ source: "web-form" }),
      })
      .execute();
    await emit(tx, orgId, "company.created", toCompany(inserted));
    return inserted.id;
  }
  const twin = await tx
    .selectFrom("companies")
    .select("id")
    .where("org_id", "=", orgId)
    .where("domain", "=", domain)
    .executeTakeFirst();
  return twin?.id ?? null;
}
