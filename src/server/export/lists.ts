import { type SelectQueryBuilder, sql } from "kysely";
import type { z } from "zod";
import type { CustomFieldEntity } from "../../shared/custom-fields";
import {
  type CompanyExportQuery,
  type DealExportQuery,
  LIST_EXPORT_MAX_ROWS,
  type NoteExportQuery,
  type TaskExportQuery,
} from "../../shared/list-exports";
import { companyOrder, matchingCompanies } from "../companies/service";
import { dealOrder, matchingDeals } from "../deals/service";
import { AppError } from "../errors";
import { matchingNotes } from "../interactions/service";
import { type Scope, iso, isoOrNull } from "../scope";
import { matchingTasks, taskDueKey } from "../tasks/service";
import { type Cell, type Column, type ColumnType, type Table, tableOf } from "./table-file";

/*
 * The lists as files: the same filters and order as the list routes (the services' `matching…` queries), every
 * page at once, with the names a spreadsheet reader needs where the API gives ids (owner, company, contacts,
 * deal) and one column per custom field, headed with its label.
 */

type Row = Record<string, Cell>;

function tooMany(noun: string): AppError {
  return new AppError(
    "export_too_large",
    422,
    `More than ${LIST_EXPORT_MAX_ROWS.toLocaleString("en")} ${noun} match: narrow the filters to export them.`,
  );
}

/**
 * Refused before any row is read: the matching rows are counted up to one past the cap (ids only, cheap), so a
 * refusal costs a fraction of an export.
 */
export async function checkCap<D, TB extends keyof D, O>(
  scope: Scope,
  matching: SelectQueryBuilder<D, TB, O>,
  noun: string,
): Promise<void> {
  const ids = matching
    .clearSelect()
    .select(sql.lit(1).as("one"))
    .limit(LIST_EXPORT_MAX_ROWS + 1);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from (${ids}) m`.execute(scope.db);
  if ((rows[0]?.n ?? 0) > LIST_EXPORT_MAX_ROWS) throw tooMany(noun);
}

/** Rows added between the count and the read could pass the cap: the read stops one past it, and says so. */
export function capped<T>(rows: T[], noun: string): T[] {
  if (rows.length > LIST_EXPORT_MAX_ROWS) throw tooMany(noun);
  return rows;
}

/** A colleague as a spreadsheet shows them: their name, else their address, else their id. */
async function userNames(scope: Scope): Promise<(id: string | null) => string | null> {
  const users = await scope.db
    .selectFrom("users")
    .select(["id", "display_name", "email"])
    .where("org_id", "=", scope.caller.orgId)
    .execute();
  const names = new Map(users.map((u) => [u.id, u.display_name ?? u.email ?? u.id]));
  return (id) => (id === null ? null : (names.get(id) ?? id));
}

interface CustomColumns {
  columns: Column<Row>[];
  cells(values: Record<string, string | number | boolean | null>): Row;
}

const CUSTOM_COLUMN_TYPES: Record<string, ColumnType> = { number: "decimal", date: "date" };

/** One column per custom field of the entity, in the organisation's order, headed with the field's label. */
async function customColumns(scope: Scope, entity: CustomFieldEntity): Promise<CustomColumns> {
  const definitions = await scope.db
    .selectFrom("custom_field_definitions")
    .select(["key", "label", "type"])
    .where("org_id", "=", scope.caller.orgId)
    .where("entity", "=", entity)
    .orderBy("position")
    .orderBy("key")
    .execute();
  return {
    columns: definitions.map((d) => ({
      key: `custom.${d.key}`,
      header: d.label,
      type: CUSTOM_COLUMN_TYPES[d.type] ?? "text",
    })),
    cells: (values) =>
      Object.fromEntries(
        definitions.map((d) => {
          const value = values[d.key] ?? null;
          return [`custom.${d.key}`, typeof value === "boolean" ? String(value) : value];
        }),
      ),
  };
}

const joined = (names: (string | null)[]) =>
  names.filter((n): n is string => n !== null && n !== "").join("; ") || null;

export async function companiesTable(
  scope: Scope,
  query: z.output<typeof CompanyExportQuery>,
): Promise<Table> {
  await checkCap(scope, matchingCompanies(scope, query), "companies");
  const [owner, custom, rows] = await Promise.all([
    userNames(scope),
    customColumns(scope, "company"),
    matchingCompanies(scope, query)
      .orderBy(companyOrder.key)
      .orderBy("co.id")
      .limit(LIST_EXPORT_MAX_ROWS + 1)
      .execute(),
  ]);
  const columns: Column<Row>[] = [
    { key: "id", header: "ID", type: "text" },
    { key: "name", header: "Name", type: "text" },
    { key: "domain", header: "Domain", type: "text" },
    { key: "phone", header: "Phone", type: "text" },
    { key: "website", header: "Website", type: "text" },
    { key: "address", header: "Address", type: "text" },
    { key: "owner", header: "Owner", type: "text" },
    ...custom.columns,
    { key: "createdAt", header: "Created", type: "datetime" },
    { key: "updatedAt", header: "Updated", type: "datetime" },
  ];
  return tableOf(
    "companies",
    columns,
    capped(rows, "companies").map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain_as_written ?? r.domain,
      phone: r.phone,
      website: r.website,
      address: r.address,
      owner: owner(r.owner_id),
      ...custom.cells(r.custom_fields),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    })),
  );
}

export async function dealsTable(scope: Scope, query: z.output<typeof DealExportQuery>): Promise<Table> {
  await checkCap(scope, matchingDeals(scope, query), "deals");
  const [owner, custom, rows] = await Promise.all([
    userNames(scope),
    customColumns(scope, "deal"),
    matchingDeals(scope, query)
      .innerJoin("pipelines as p", "p.id", "d.pipeline_id")
      .leftJoin("companies as co", "co.id", "d.company_id")
      .select(["p.name as pipeline_name", "co.name as company_name"])
      .select(
        sql<string[]>`array(
          select c.display_name from deal_contacts dc join contacts c on c.id = dc.contact_id
          where dc.deal_id = d.id order by lower(c.display_name), c.id)`.as("contact_names"),
      )
      .orderBy(dealOrder.key)
      .orderBy("d.id")
      .limit(LIST_EXPORT_MAX_ROWS + 1)
      .execute(),
  ]);
  const columns: Column<Row>[] = [
    { key: "id", header: "ID", type: "text" },
    { key: "name", header: "Name", type: "text" },
    { key: "amount", header: "Amount", type: "decimal" },
    { key: "currency", header: "Currency", type: "text" },
    { key: "pipeline", header: "Pipeline", type: "text" },
    { key: "stage", header: "Stage", type: "text" },
    { key: "probability", header: "Probability %", type: "integer" },
    { key: "status", header: "Status", type: "text" },
    { key: "expectedCloseDate", header: "Expected close", type: "date" },
    { key: "closedAt", header: "Closed", type: "datetime" },
    { key: "company", header: "Company", type: "text" },
    { key: "contacts", header: "Contacts", type: "text" },
    { key: "owner", header: "Owner", type: "text" },
    ...custom.columns,
    { key: "createdAt", header: "Created", type: "datetime" },
    { key: "updatedAt", header: "Updated", type: "datetime" },
  ];
  return tableOf(
    "deals",
    columns,
    capped(rows, "deals").map((r) => ({
      id: r.id,
      name: r.name,
      amount: r.amount,
      currency: r.currency,
      pipeline: r.pipeline_name,
      stage: r.stage_name,
      probability: r.stage_probability,
      status: r.stage_kind,
      expectedCloseDate: r.expected_close_date,
      closedAt: isoOrNull(r.closed_at),
      company: r.company_name,
      contacts: joined(r.contact_names),
      owner: owner(r.owner_id),
      ...custom.cells(r.custom_fields),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    })),
  );
}

export async function tasksTable(scope: Scope, query: z.output<typeof TaskExportQuery>): Promise<Table> {
  await checkCap(scope, matchingTasks(scope, query), "tasks");
  const [user, rows] = await Promise.all([
    userNames(scope),
    matchingTasks(scope, query)
      .leftJoin("contacts as c", "c.id", "t.contact_id")
      .leftJoin("deals as d", "d.id", "t.deal_id")
      .select(["c.display_name as contact_name", "d.name as deal_name"])
      .orderBy(taskDueKey)
      .orderBy("t.id")
      .limit(LIST_EXPORT_MAX_ROWS + 1)
      .execute(),
  ]);
  const columns: Column<Row>[] = [
    { key: "id", header: "ID", type: "text" },
    { key: "title", header: "Title", type: "text" },
    { key: "notes", header: "Notes", type: "text" },
    { key: "dueAt", header: "Due", type: "datetime" },
    { key: "status", header: "Status", type: "text" },
    { key: "doneAt", header: "Done", type: "datetime" },
    { key: "assignee", header: "Assignee", type: "text" },
    { key: "contact", header: "Contact", type: "text" },
    { key: "deal", header: "Deal", type: "text" },
    { key: "createdBy", header: "Created by", type: "text" },
    { key: "createdAt", header: "Created", type: "datetime" },
    { key: "updatedAt", header: "Updated", type: "datetime" },
  ];
  return tableOf(
    "tasks",
    columns,
    capped(rows, "tasks").map((r) => ({
      id: r.id,
      title: r.title,
      notes: r.notes,
      dueAt: isoOrNull(r.due_at),
      status: r.done_at === null ? "open" : "done",
      doneAt: isoOrNull(r.done_at),
      assignee: user(r.assignee_id),
      contact: r.contact_name,
      deal: r.deal_name,
      createdBy: user(r.created_by),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    })),
  );
}

export async function notesTable(scope: Scope, query: z.output<typeof NoteExportQuery>): Promise<Table> {
  await checkCap(scope, matchingNotes(scope, query), "notes");
  const rows = await matchingNotes(scope, query)
    .leftJoin("deals as d", "d.id", "i.deal_id")
    .select("d.name as deal_name")
    .select(
      sql<(string | null)[]>`array(
        select coalesce(c.display_name, p.name, p.address) from interaction_participants p
        left join contacts c on c.id = p.contact_id
        where p.interaction_id = i.id order by p.position)`.as("participant_names"),
    )
    .select(
      sql<(string | null)[]>`array(
        select coalesce(u.display_name, u.email) from interaction_loggers l join users u on u.id = l.user_id
        where l.interaction_id = i.id order by l.logged_at)`.as("logger_names"),
    )
    .orderBy("i.occurred_at", "desc")
    .orderBy("i.id", "desc")
    .limit(LIST_EXPORT_MAX_ROWS + 1)
    .execute();
  const columns: Column<Row>[] = [
    { key: "id", header: "ID", type: "text" },
    { key: "kind", header: "Kind", type: "text" },
    { key: "occurredAt", header: "When", type: "datetime" },
    { key: "direction", header: "Direction", type: "text" },
    { key: "subject", header: "Subject", type: "text" },
    { key: "body", header: "Text", type: "text" },
    { key: "outcome", header: "Outcome", type: "text" },
    { key: "contacts", header: "With", type: "text" },
    { key: "deal", header: "Deal", type: "text" },
    { key: "loggedBy", header: "Logged by", type: "text" },
    { key: "createdAt", header: "Created", type: "datetime" },
  ];
  return tableOf(
    "notes",
    columns,
    capped(rows, "notes").map((r) => ({
      id: r.id,
      kind: r.kind,
      occurredAt: iso(r.occurred_at),
      direction: r.direction,
      subject: r.subject,
      body: r.body,
      outcome: r.outcome,
      contacts: joined(r.participant_names),
      deal: r.deal_name,
      loggedBy: joined(r.logger_names),
      createdAt: iso(r.created_at),
    })),
  );
}
