import { type Kysely, sql } from "kysely";
import type { Company } from "../../shared/companies";
import type { Contact } from "../../shared/contacts";
import type {
  CompanyMerge,
  CompanyMerged,
  ContactMerge,
  ContactMerged,
  MergeSide,
} from "../../shared/duplicates";
import { recordAuditForEach } from "../audit";
import { getCompany, toCompany } from "../companies/service";
import { getContact } from "../contacts/service";
import type { CompanyRow, ContactRow, DB } from "../db/tables";
import { AppError, notFound, recordMerged, versionConflict, writeToMergedRecord } from "../errors";
import type { Scope } from "../scope";
import { emitEvent } from "../webhooks/outbox";

type Tx = Kysely<DB>;
type Move = (tx: Tx, orgId: string, keptId: string, mergedId: string) => Promise<void>;

/** A reference that simply follows the record: every row naming the merged-away one names the kept one. */
const follow =
  (table: string, column: string): Move =>
  async (tx, orgId, keptId, mergedId) => {
    await sql`
      update ${sql.table(table)} set ${sql.ref(column)} = ${keptId}
      where org_id = ${orgId} and ${sql.ref(column)} = ${mergedId}
    `.execute(tx);
  };

/**
 * Dismissed pairs carry over to the kept record ("X is not M" becomes "X is not K"): a pair someone dismissed is
 * not listed again because one of its records was merged. The merged-away record's own rows go with it.
 */
const carryDismissals =
  (table: "contact_duplicate_dismissals" | "company_duplicate_dismissals"): Move =>
  async (tx, orgId, keptId, mergedId) => {
    await sql`
      insert into ${sql.table(table)} (org_id, first_id, second_id, dismissed_by, dismissed_at)
      select org_id, least(other, ${keptId}::uuid), greatest(other, ${keptId}::uuid), dismissed_by, dismissed_at
      from (
        select org_id, case when first_id = ${mergedId}::uuid then second_id else first_id end as other,
               dismissed_by, dismissed_at
        from ${sql.table(table)}
        where org_id = ${orgId} and (first_id = ${mergedId}::uuid or second_id = ${mergedId}::uuid)
      ) carried
      where other <> ${keptId}::uuid
      on conflict do nothing
    `.execute(tx);
  };

/** The merged-away record's addresses join the kept one's, after them (the kept record's primary stays first). */
const moveEmails: Move = async (tx, orgId, keptId, mergedId) => {
  await sql`
    update contact_emails set contact_id = ${keptId},
      position = position + 1 + coalesce(
        (select max(position) from contact_emails where org_id = ${orgId} and contact_id = ${keptId}), -1)
    where org_id = ${orgId} and contact_id = ${mergedId}
  `.execute(tx);
};

/** A deal both were on keeps the kept contact once. */
const moveDealContacts: Move = async (tx, orgId, keptId, mergedId) => {
  await sql`
    insert into deal_contacts (org_id, deal_id, contact_id)
    select org_id, deal_id, ${keptId} from deal_contacts where org_id = ${orgId} and contact_id = ${mergedId}
    on conflict do nothing
  `.execute(tx);
  await sql`delete from deal_contacts where org_id = ${orgId} and contact_id = ${mergedId}`.execute(tx);
};

/** An occasion both have (the same birthday mail of a year) stays the kept contact's; the other one's goes. */
const moveOccasionMails: Move = async (tx, orgId, keptId, mergedId) => {
  await sql`
    delete from occasion_mails m
    where m.org_id = ${orgId} and m.contact_id = ${mergedId}
      and exists (select 1 from occasion_mails k
                  where k.org_id = m.org_id and k.contact_id = ${keptId} and k.occasion_key = m.occasion_key)
  `.execute(tx);
  await follow("occasion_mails", "contact_id")(tx, orgId, keptId, mergedId);
};

/** An interaction linked to both companies keeps one link, the kept company's; the merged one's go with it. */
const moveInteractionLinks: Move = async (tx, orgId, keptId, mergedId) => {
  await sql`
    insert into interaction_links (org_id, interaction_id, company_id, created_by, created_at)
    select org_id, interaction_id, ${keptId}, created_by, created_at
    from interaction_links where org_id = ${orgId} and company_id = ${mergedId}
    on conflict do nothing
  `.execute(tx);
  await sql`delete from interaction_links where org_id = ${orgId} and company_id = ${mergedId}`.execute(tx);
};

/**
 * Every foreign key to contacts (`table.column`) and what a merge does with it. test/api/merge.test.ts reads the
 * catalog (pg_constraint) and fails when a table references contacts without an entry here: a table added later
 * is caught before its rows are lost to a merge.
 */
export const CONTACT_REFERENCES: Record<string, Move> = {
  "contact_emails.contact_id": moveEmails,
  "deal_contacts.contact_id": moveDealContacts,
  "follow_ups.contact_id": follow("follow_ups", "contact_id"),
  "interaction_participants.contact_id": follow("interaction_participants", "contact_id"),
  "leads.contact_id": follow("leads", "contact_id"),
  "occasion_mails.contact_id": moveOccasionMails,
  "ratings.contact_id": follow("ratings", "contact_id"),
  "tasks.contact_id": follow("tasks", "contact_id"),
  "contact_duplicate_dismissals.first_id": carryDismissals("contact_duplicate_dismissals"),
  // The same rows as first_id's: carried once, above.
  "contact_duplicate_dismissals.second_id": async () => {},
  // Earlier merges into the merged-away contact now point at the kept one (no chain to follow).
  "contact_merges.kept_id": follow("contact_merges", "kept_id"),
};

/** The same for companies. */
export const COMPANY_REFERENCES: Record<string, Move> = {
  "contacts.company_id": follow("contacts", "company_id"),
  "deals.company_id": follow("deals", "company_id"),
  "interaction_links.company_id": moveInteractionLinks,
  "invoices.company_id": follow("invoices", "company_id"),
  "leads.company_id": follow("leads", "company_id"),
  "company_duplicate_dismissals.first_id": carryDismissals("company_duplicate_dismissals"),
  "company_duplicate_dismissals.second_id": async () => {},
  "company_merges.kept_id": follow("company_merges", "kept_id"),
};

const sameRecord = () =>
  new AppError("invalid_request", 400, "A record cannot be merged into itself.", {
    errors: [{ path: "body.mergedId", message: "must name another record" }],
  });

/** Both rows, locked in id order (two merges of overlapping pairs take turns, never wait on each other). */
async function lockPair<T extends { id: string }>(
  tx: Tx,
  table: "contacts" | "companies",
  orgId: string,
  ids: [string, string],
): Promise<Map<string, T>> {
  const rows = await sql<T>`
    select * from ${sql.table(table)} where org_id = ${orgId} and id in (${ids[0]}, ${ids[1]})
    order by id for update
  `.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, r]));
}

const pick = <V>(side: MergeSide | undefined, kept: V, merged: V): V => (side === "merged" ? merged : kept);

/** Custom fields: both records' keys; where both have a key, the chosen side's value (the kept one's by default). */
function mergedCustomFields(
  kept: ContactRow["custom_fields"],
  merged: ContactRow["custom_fields"],
  choices: Record<string, MergeSide>,
): ContactRow["custom_fields"] {
  const result = { ...merged, ...kept };
  for (const [key, side] of Object.entries(choices))
    if (side === "merged" && key in merged) result[key] = merged[key] ?? null;
  return result;
}

/** The fields each side won, for the audit: what the merge decided, never the values themselves. */
const chosen = (fields: Record<string, MergeSide | undefined>, custom: Record<string, MergeSide>) => ({
  fromMerged: [
    ...Object.entries(fields)
      .filter(([, side]) => side === "merged")
      .map(([field]) => field),
    ...Object.entries(custom)
      .filter(([, side]) => side === "merged")
      .map(([key]) => `customFields.${key}`),
  ],
});

/**
 * A contact being erased (a row in `erasures`: slices still to run, here or after a restart) is not merged: the
 * merge would move the rows the erasure has yet to reach onto the other contact, and they would outlive it. The
 * erasure's slices hold the contact's row lock while they write that row, so under the pair's locks it is settled.
 */
async function refuseDuringErasure(tx: Tx, orgId: string, contactIds: string[]) {
  const erasing = await tx
    .selectFrom("erasures")
    .select("contact_id")
    .where("org_id", "=", orgId)
    .where("contact_id", "in", contactIds)
    .executeTakeFirst();
  if (erasing)
    throw new AppError(
      "invalid_request",
      409,
      "This contact is being erased; merge it once the erasure has finished, if it is still there.",
    );
}

async function runMoves(
  references: Record<string, Move>,
  tx: Tx,
  orgId: string,
  keptId: string,
  mergedId: string,
) {
  for (const move of Object.values(references)) await move(tx, orgId, keptId, mergedId);
}

export async function mergeContacts(
  scope: Scope,
  keptId: string,
  keptVersion: number,
  input: ContactMerge,
): Promise<ContactMerged> {
  if (keptId === input.mergedId) throw sameRecord();
  const orgId = scope.caller.orgId;
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const rows = await lockPair<ContactRow>(tx, "contacts", orgId, [keptId, input.mergedId]);
    const kept = rows.get(keptId);
    const merged = rows.get(input.mergedId);
    if (!kept) throw await missing(tx, orgId, "contact", keptId, notFound("The contact"));
    if (!merged) throw await missing(tx, orgId, "contact", input.mergedId, notFound("The contact to merge"));
    if (kept.version !== keptVersion) throw versionConflict(await getContact(txScope, keptId));
    if (merged.version !== input.mergedVersion) throw versionConflict(await getContact(txScope, merged.id));
    await refuseDuringErasure(tx, orgId, [keptId, merged.id]);
    const f = input.fields;
    const birthdayFrom = f.birthday === "merged" ? merged : kept;
    await runMoves(CONTACT_REFERENCES, tx, orgId, keptId, merged.id);
    await tx.deleteFrom("contacts").where("org_id", "=", orgId).where("id", "=", merged.id).execute();
    await tx
      .insertInto("contact_merges")
      .values({ org_id: orgId, merged_id: merged.id, kept_id: keptId, merged_by: scope.caller.userId })
      .execute();
    await tx
      .updateTable("contacts")
      .set({
        display_name: pick(f.displayName, kept.display_name, merged.display_name),
        first_name: pick(f.firstName, kept.first_name, merged.first_name),
        last_name: pick(f.lastName, kept.last_name, merged.last_name),
        title: pick(f.title, kept.title, merged.title),
        company_id: pick(f.companyId, kept.company_id, merged.company_id),
        lifecycle_stage: pick(f.lifecycleStage, kept.lifecycle_stage, merged.lifecycle_stage),
        owner_id: pick(f.ownerId, kept.owner_id, merged.owner_id),
        source: pick(f.source, kept.source, merged.source),
        language: pick(f.language, kept.language, merged.language),
        birthday_day: birthdayFrom.birthday_day,
        birthday_month: birthdayFrom.birthday_month,
        birthday_year: birthdayFrom.birthday_year,
        // An opt-out either record holds is the person's: never lost to a merge, whichever side was chosen.
        no_automated_mail: kept.no_automated_mail || merged.no_automated_mail,
        no_marketing: kept.no_marketing || merged.no_marketing,
        country: pick(f.country, kept.country, merged.country),
        phones: [...new Set([...kept.phones, ...merged.phones])],
        tags: [...new Set([...kept.tags, ...merged.tags])],
        custom_fields: JSON.stringify(
          mergedCustomFields(kept.custom_fields, merged.custom_fields, input.customFields),
        ),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", keptId)
      .execute();
    const details = { keptId, mergedId: merged.id, ...chosen(f, input.customFields) };
    await recordAuditForEach(tx, scope.caller, "contact.merged", [
      { type: "contact", id: keptId, details },
      { type: "contact", id: merged.id, details },
    ]);
    const contact: Contact = await getContact(txScope, keptId);
    const result = { kept: contact, mergedId: merged.id };
    await emitEvent(tx, orgId, "contact.merged", contact, result);
    return result;
  });
}

export async function mergeCompanies(
  scope: Scope,
  keptId: string,
  keptVersion: number,
  input: CompanyMerge,
): Promise<CompanyMerged> {
  if (keptId === input.mergedId) throw sameRecord();
  const orgId = scope.caller.orgId;
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const rows = await lockPair<CompanyRow>(tx, "companies", orgId, [keptId, input.mergedId]);
    const kept = rows.get(keptId);
    const merged = rows.get(input.mergedId);
    if (!kept) throw await missing(tx, orgId, "company", keptId, notFound("The company"));
    if (!merged) throw await missing(tx, orgId, "company", input.mergedId, notFound("The company to merge"));
    if (kept.version !== keptVersion) throw versionConflict(await getCompany(txScope, keptId));
    if (merged.version !== input.mergedVersion) throw versionConflict(await getCompany(txScope, merged.id));
    const f = input.fields;
    const domainFrom = f.domain === "merged" ? merged : kept;
    await runMoves(COMPANY_REFERENCES, tx, orgId, keptId, merged.id);
    // Gone before the kept company takes its domain (unique in the organisation).
    await tx.deleteFrom("companies").where("org_id", "=", orgId).where("id", "=", merged.id).execute();
    await tx
      .insertInto("company_merges")
      .values({ org_id: orgId, merged_id: merged.id, kept_id: keptId, merged_by: scope.caller.userId })
      .execute();
    const row = await tx
      .updateTable("companies")
      .set({
        name: pick(f.name, kept.name, merged.name),
        domain: domainFrom.domain,
        domain_as_written: domainFrom.domain_as_written,
        phone: pick(f.phone, kept.phone, merged.phone),
        website: pick(f.website, kept.website, merged.website),
        address: pick(f.address, kept.address, merged.address),
        owner_id: pick(f.ownerId, kept.owner_id, merged.owner_id),
        custom_fields: JSON.stringify(
          mergedCustomFields(kept.custom_fields, merged.custom_fields, input.customFields),
        ),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", keptId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const details = { keptId, mergedId: merged.id, ...chosen(f, input.customFields) };
    await recordAuditForEach(tx, scope.caller, "company.merged", [
      { type: "company", id: keptId, details },
      { type: "company", id: merged.id, details },
    ]);
    const company: Company = toCompany(row);
    const result = { kept: company, mergedId: merged.id };
    await emitEvent(tx, orgId, "company.merged", company, result);
    return result;
  });
}

/**
 * Where a merged-away id went, or null: GET of it answers 301 to the kept record, a write to it 409 naming the kept
 * record, and a note or task the add-in's outbox made for it before the merge lands on the kept contact.
 */
export async function keptIdOf(
  db: Tx,
  orgId: string,
  entity: "contact" | "company",
  id: string,
): Promise<string | null> {
  const row = await db
    .selectFrom(entity === "contact" ? "contact_merges" : "company_merges")
    .select("kept_id")
    .where("org_id", "=", orgId)
    .where("merged_id", "=", id)
    .executeTakeFirst();
  return row?.kept_id ?? null;
}

/** A contact id as a write should store it: the kept contact's for a merged-away one. */
export async function currentContactId(db: Tx, orgId: string, id: string): Promise<string>;
export async function currentContactId(
  db: Tx,
  orgId: string,
  id: string | null | undefined,
): Promise<string | null | undefined>;
export async function currentContactId(db: Tx, orgId: string, id: string | null | undefined) {
  if (!id) return id;
  return (await keptIdOf(db, orgId, "contact", id)) ?? id;
}

/** Where a merged-away record now answers. */
const pathOf = (entity: "contact" | "company", id: string) =>
  `/api/v1/${entity === "contact" ? "contacts" : "companies"}/${id}`;

/**
 * Reads a record by an id that may have been merged away: a 404 for an id some merge took away becomes 301 to the
 * kept record (a problem naming it as well, for a client that does not follow redirects).
 */
export async function followingMerges<T>(
  scope: Scope,
  entity: "contact" | "company",
  id: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "not_found") throw error;
    const keptId = await keptIdOf(scope.db, scope.caller.orgId, entity, id);
    if (keptId === null) throw error;
    throw recordMerged(entity, keptId, pathOf(entity, keptId));
  }
}

/** A record a write did not find: 409 naming the kept record when a merge took it away, else the 404 given. */
async function missing(
  db: Tx,
  orgId: string,
  entity: "contact" | "company",
  id: string,
  error: AppError,
): Promise<AppError> {
  const keptId = await keptIdOf(db, orgId, entity, id);
  return keptId === null ? error : writeToMergedRecord(entity, keptId, pathOf(entity, keptId));
}

/**
 * Writes to a record by an id that may have been merged away: a 404 for an id some merge took away becomes 409
 * naming the kept record, and nothing is written (the write found no row). Never a redirect: a client following
 * one would apply a change made against the merged-away record to the kept one, whose version may well match.
 */
export async function refusingMerged<T>(
  scope: Scope,
  entity: "contact" | "company",
  id: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "not_found") throw error;
    throw await missing(scope.db, scope.caller.orgId, entity, id, error);
  }
}
