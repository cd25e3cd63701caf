import { sql } from "kysely";
import type { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from "../../shared/companies";
import { deleteOwnedRecord, recordAudit } from "../audit";
import { checkCustomFields } from "../custom-fields/service";
import type { CompanyRow } from "../db/tables";
import { notFound, versionConflict } from "../errors";
import { NameCursor, byName, decodeCursor, likePattern, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { emitEvent } from "../webhooks/outbox";

export const toCompany = (row: CompanyRow): Company => ({
  id: row.id,
  name: row.name,
  domain: row.domain_as_written ?? row.domain,
  phone: row.phone,
  website: row.website,
  address: row.address,
  ownerId: row.owner_id,
  customFields: row.custom_fields,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

/** The companies the list's filters match: the list pages them, the export takes them all. */
export function matchingCompanies(scope: Scope, query: Omit<CompanyListQuery, "cursor" | "limit">) {
  let select = scope.db
    .selectFrom("companies as co")
    .selectAll("co")
    .where("co.org_id", "=", scope.caller.orgId);
  if (query.ownerId) select = select.where("co.owner_id", "=", query.ownerId);
  if (!query.q) return select;
  const pattern = likePattern(query.q);
  return select.where((eb) =>
    eb.or([
      eb("co.name", "ilike", pattern),
      eb("co.domain", "ilike", pattern),
      eb("co.domain_as_written", "ilike", pattern),
    ]),
  );
}

export const companyOrder = byName("co.name", "co.id");

/** The stored columns of a domain as the contract reads it: canonical to match on, as written to show. */
function domainColumns(domain: CompanyCreate["domain"]) {
  if (domain === undefined) return {};
  if (domain === null) return { domain: null, domain_as_written: null };
  return {
    domain: domain.domain,
    domain_as_written: domain.written === domain.domain ? null : domain.written,
  };
}

export async function listCompanies(scope: Scope, query: CompanyListQuery) {
  const after = decodeCursor(query.cursor, NameCursor);
  let select = matchingCompanies(scope, query).select(companyOrder.key.as("sort_key"));
  if (after) select = select.where(companyOrder.after(after));
  const rows = await select
    .orderBy(companyOrder.key)
    .orderBy("co.id")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toCompany, (r) => [r.sort_key, r.id]);
}

export async function getCompany(scope: Scope, id: string): Promise<Company> {
  const row = await scope.db
    .selectFrom("companies")
    .selectAll()
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("The company");
  return toCompany(row);
}

export async function createCompany(scope: Scope, input: CompanyCreate): Promise<Company> {
  return scope.db.transaction().execute(async (tx) => {
    const customFields = await checkCustomFields(tx, scope.caller.orgId, "company", input.customFields ?? {});
    const row = await tx
      .insertInto("companies")
      .values({
        org_id: scope.caller.orgId,
        name: input.name,
        ...domainColumns(input.domain ?? null),
        phone: input.phone ?? null,
        website: input.website ?? null,
        address: input.address ?? null,
        owner_id: input.ownerId === undefined ? scope.caller.userId : input.ownerId,
        custom_fields: JSON.stringify(customFields),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, scope.caller, "company.created", { type: "company", id: row.id });
    const company = toCompany(row);
    await emitEvent(tx, scope.caller.orgId, "company.created", company);
    return company;
  });
}

export async function updateCompany(
  scope: Scope,
  id: string,
  version: number,
  input: CompanyUpdate,
): Promise<Company> {
  return scope.db.transaction().execute(async (tx) => {
    const customFields =
      input.customFields === undefined
        ? undefined
        : await checkCustomFields(tx, scope.caller.orgId, "company", input.customFields);
    const row = await tx
      .updateTable("companies")
      .set({
        name: input.name,
        ...domainColumns(input.domain),
        phone: input.phone,
        website: input.website,
        address: input.address,
        owner_id: input.ownerId,
        custom_fields: customFields === undefined ? undefined : JSON.stringify(customFields),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw versionConflict(await getCompany({ ...scope, db: tx }, id));
    await recordAudit(
      tx,
      scope.caller,
      "company.updated",
      { type: "company", id },
      { fields: Object.keys(input) },
    );
    const company = toCompany(row);
    await emitEvent(tx, scope.caller.orgId, "company.updated", company);
    return company;
  });
}

export function deleteCompany(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return deleteOwnedRecord(scope.db, scope.caller, "companies", "company", id);
}
