import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { type ContactExportQuery, LIST_EXPORT_MAX_ROWS } from "../../shared/list-exports";
import { matchesContactFilters } from "../contacts/service";
import { customFieldDefinitions } from "../custom-fields/service";
import { capped, checkCap } from "../export/lists";
import { type Cell, type Column, type Table, tableOf } from "../export/table-file";
import type { DB } from "../db/tables";
import type { DocumentFile } from "../http/route";
import type { Scope } from "../scope";
import { writeVCard } from "./vcard";

interface ExportedContact {
  id: string;
  display_name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  phones: string[];
  tags: string[];
  lifecycle_stage: string;
  custom_fields: Record<string, string | number | boolean | null>;
  updated_at: Date;
  emails: string[];
  company_name: string | null;
  company_domain: string | null;
}

/** Which of the organisation's contacts a file holds: the list's filters, or a segment's members. */
export type ContactsToExport = (
  eb: ExpressionBuilder<DB & { c: DB["contacts"] }, "c">,
) => Expression<SqlBool>;

/**
 * The organisation's contacts the list would find with the same filters, by name, with company and addresses;
 * at most as many as every other list exports (held in memory while the file is written), refused past it.
 */
async function contactsToExport(scope: Scope, which: ContactsToExport): Promise<ExportedContact[]> {
  const { orgId } = scope.caller;
  const matching = scope.db
    .selectFrom("contacts as c")
    .select("c.id")
    .where("c.org_id", "=", orgId)
    .where(which);
  await checkCap(scope, matching, "contacts");
  const contacts = await scope.db
    .selectFrom("contacts as c")
    .leftJoin("companies as co", (join) =>
      join.onRef("co.id", "=", "c.company_id").onRef("co.org_id", "=", "c.org_id"),
    )
    .select([
      "c.id",
      "c.display_name",
      "c.first_name",
      "c.last_name",
      "c.title",
      "c.phones",
      "c.tags",
      "c.lifecycle_stage",
      "c.custom_fields",
      "c.updated_at",
      "co.name as company_name",
      sql<string | null>`coalesce(co.domain_as_written, co.domain)`.as("company_domain"),
    ])
    // Every contact's addresses added up once and joined: a subquery per contact was planned as a scan per
    // contact (100,000 contacts took minutes).
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("contact_emails")
          .select([
            "contact_id",
            sql<string[]>`array_agg(coalesce(address_as_written, address) order by position)`.as("addresses"),
          ])
          .where("org_id", "=", orgId)
          .groupBy("contact_id")
          .as("ce"),
      (join) => join.onRef("ce.contact_id", "=", "c.id"),
    )
    .select(sql<string[]>`coalesce(ce.addresses, '{}')`.as("emails"))
    .where("c.org_id", "=", orgId)
    .where(which)
    .orderBy(sql`lower(c.display_name)`)
    .orderBy("c.id")
    .limit(LIST_EXPORT_MAX_ROWS + 1)
    .execute();
  return capped(contacts, "contacts");
}

const joined = (values: readonly string[]) => (values.length ? values.join("; ") : null);

/**
 * Contacts as a table whose headers the import's suggested mapping reads back (addresses, phones and tags
 * joined with "; "), custom fields under their labels: an exported file imports again as it was.
 */
export function contactsTable(scope: Scope, query: ContactExportQuery): Promise<Table> {
  return contactsTableOf(scope, matchesContactFilters(query), "contacts");
}

/** The contacts `which` finds as a table named `name` (a segment's export names the file for the segment). */
export async function contactsTableOf(scope: Scope, which: ContactsToExport, name: string): Promise<Table> {
  const [contacts, definitions] = await Promise.all([
    contactsToExport(scope, which),
    customFieldDefinitions(scope.db, scope.caller.orgId, "contact"),
  ]);
  const columns: Column<Record<string, Cell>>[] = [
    { key: "displayName", header: "Name", type: "text" },
    { key: "firstName", header: "First name", type: "text" },
    { key: "lastName", header: "Last name", type: "text" },
    { key: "emails", header: "Emails", type: "text" },
    { key: "phones", header: "Phones", type: "text" },
    { key: "title", header: "Job title", type: "text" },
    { key: "company", header: "Company", type: "text" },
    { key: "companyDomain", header: "Company domain", type: "text" },
    { key: "tags", header: "Tags", type: "text" },
    { key: "lifecycleStage", header: "Lifecycle stage", type: "text" },
    ...definitions.map((d) => ({
      key: `custom:${d.key}`,
      header: d.label,
      type:
        d.type === "number"
          ? ("decimal" as const)
          : d.type === "date"
            ? ("date" as const)
            : ("text" as const),
    })),
  ];
  const rows = contacts.map((c) => {
    const row: Record<string, Cell> = {
      displayName: c.display_name,
      firstName: c.first_name,
      lastName: c.last_name,
      emails: joined(c.emails),
      phones: joined(c.phones),
      title: c.title,
      company: c.company_name,
      companyDomain: c.company_domain,
      tags: joined(c.tags),
      lifecycleStage: c.lifecycle_stage,
    };
    for (const d of definitions) {
      const value = c.custom_fields[d.key];
      row[`custom:${d.key}`] = typeof value === "boolean" ? String(value) : (value ?? null);
    }
    return row;
  });
  return tableOf(name, columns, rows);
}

export function contactsVCards(scope: Scope, query: ContactExportQuery): Promise<DocumentFile> {
  return contactsVCardsOf(scope, matchesContactFilters(query), "contacts");
}

export async function contactsVCardsOf(
  scope: Scope,
  which: ContactsToExport,
  name: string,
): Promise<DocumentFile> {
  const contacts = await contactsToExport(scope, which);
  const text = contacts
    .map((c) =>
      writeVCard({
        id: c.id,
        displayName: c.display_name,
        firstName: c.first_name,
        lastName: c.last_name,
        title: c.title,
        emails: c.emails,
        phones: c.phones,
        company: c.company_name,
        tags: c.tags,
        updatedAt: c.updated_at.toISOString(),
      }),
    )
    .join("");
  return { name, text };
}
