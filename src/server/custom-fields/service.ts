import { type Kysely, sql } from "kysely";
import { IsoDate } from "../../shared/common";
import {
  CUSTOM_FIELD_TEXT_MAX_CHARS,
  type CustomFieldCreate,
  type CustomFieldDefinition,
  type CustomFieldEntity,
  type CustomFieldUpdate,
  type CustomFieldValues,
} from "../../shared/custom-fields";
import { recordAudit } from "../audit";
import type { CustomFieldDefinitionRow, DB } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";

const WHAT = "defines custom fields";

/** The table that holds each entity's records, and so its values. */
const TABLES = { contact: "contacts", company: "companies", deal: "deals" } as const;

const toDefinition = (row: CustomFieldDefinitionRow): CustomFieldDefinition => ({
  id: row.id,
  entity: row.entity,
  key: row.key,
  label: row.label,
  type: row.type,
  choices: row.choices,
  required: row.required,
  position: row.position,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  version: row.version,
});

export async function listCustomFields(
  scope: Scope,
  entity: CustomFieldEntity | undefined,
): Promise<{ items: CustomFieldDefinition[] }> {
  let query = scope.db
    .selectFrom("custom_field_definitions")
    .selectAll()
    .where("org_id", "=", scope.caller.orgId);
  if (entity) query = query.where("entity", "=", entity);
  const rows = await query.orderBy("entity").orderBy("position").orderBy("key").execute();
  return { items: rows.map(toDefinition) };
}

async function getDefinition(db: Kysely<DB>, orgId: string, id: string): Promise<CustomFieldDefinitionRow> {
  const row = await db
    .selectFrom("custom_field_definitions")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("The custom field");
  return row;
}

export async function createCustomField(
  scope: Scope,
  input: CustomFieldCreate,
): Promise<CustomFieldDefinition> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const last = await tx
      .selectFrom("custom_field_definitions")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("org_id", "=", orgId)
      .where("entity", "=", input.entity)
      .executeTakeFirst();
    const row = await tx
      .insertInto("custom_field_definitions")
      .values({
        org_id: orgId,
        entity: input.entity,
        key: input.key,
        label: input.label,
        type: input.type,
        choices: input.choices ?? [],
        required: input.required ?? false,
        position: (last?.position ?? -1) + 1,
      })
      .onConflict((oc) => oc.constraint("custom_field_definitions_key_unique").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        "custom_field_key_taken",
        409,
        `The ${input.entity}s already have a custom field "${input.key}".`,
      );
    await recordAudit(
      tx,
      scope.caller,
      "custom_field.created",
      { type: "custom_field", id: row.id },
      {
        ...input,
      },
    );
    return toDefinition(row);
  });
}

export async function updateCustomField(
  scope: Scope,
  id: string,
  version: number,
  input: CustomFieldUpdate,
): Promise<CustomFieldDefinition> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const current = await getDefinition(tx, orgId, id);
    if (input.choices !== undefined && current.type !== "choice")
      throw new AppError("invalid_request", 400, "Only a choice field has choices.", {
        errors: [{ path: "body.choices", message: "only a choice field has choices" }],
      });
    const row = await tx
      .updateTable("custom_field_definitions")
      .set({
        label: input.label,
        choices: input.choices,
        required: input.required,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw versionConflict(toDefinition(current));
    if (input.choices !== undefined) {
      // A choice taken away while records still hold it would leave values no definition allows.
      const dropped = current.choices.filter((c) => !input.choices?.includes(c));
      const held = dropped.length ? await recordsHolding(tx, orgId, current, dropped) : 0;
      if (held > 0)
        throw new AppError(
          "custom_field_in_use",
          409,
          `${held} record(s) hold a choice being taken away (${dropped.join(", ").slice(0, 200)}); change them first.`,
        );
    }
    await recordAudit(tx, scope.caller, "custom_field.updated", { type: "custom_field", id }, { ...input });
    return toDefinition(row);
  });
}

async function recordsHolding(
  tx: Kysely<DB>,
  orgId: string,
  field: CustomFieldDefinitionRow,
  values: string[],
): Promise<number> {
  const row = await tx
    .selectFrom(TABLES[field.entity])
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId)
    .where(sql<boolean>`custom_fields ->> ${field.key} = any(${values}::text[])`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Removes a field and, in the same transaction, its values from every record that had one (their versions go
 * up, as any change to them does): a value without a definition could never be written back.
 */
export async function deleteCustomField(
  scope: Scope,
  id: string,
): Promise<{ id: string; deleted: true; clearedRecords: number }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const field = await getDefinition(tx, orgId, id);
    await tx
      .deleteFrom("custom_field_definitions")
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute();
    const cleared = await tx
      .updateTable(TABLES[field.entity])
      .set({
        custom_fields: sql`custom_fields - ${field.key}::text`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where(sql<boolean>`custom_fields ? ${field.key}::text`)
      .executeTakeFirst();
    const clearedRecords = Number(cleared.numUpdatedRows);
    await recordAudit(
      tx,
      scope.caller,
      "custom_field.deleted",
      { type: "custom_field", id },
      { entity: field.entity, key: field.key, clearedRecords },
    );
    return { id, deleted: true as const, clearedRecords };
  });
}

/**
 * A record's custom field values checked against the organisation's definitions for its entity, as they will
 * be stored: an unknown key, a value of the wrong type, a choice not offered or a date that is not YYYY-MM-DD is
 * a 400 naming the field (`body.customFields.<key>`); null and "" clear a field (nothing is stored for it); a
 * required field must have a value.
 */
export async function checkCustomFields(
  db: Kysely<DB>,
  orgId: string,
  entity: CustomFieldEntity,
  values: CustomFieldValues,
): Promise<CustomFieldValues> {
  const definitions = await customFieldDefinitions(db, orgId, entity);
  const { stored, issues } = checkCustomFieldValues(definitions, entity, values, { required: true });
  const errors = issues.map((i) => ({ path: `body.customFields.${i.key}`, message: i.message }));
  if (errors.length)
    throw new AppError(
      "invalid_request",
      400,
      `The request body is not valid: ${errors
        .slice(0, 5)
        .map((e) => `${e.path.slice("body.".length)}: ${e.message}`)
        .join("; ")}`,
      { errors: errors.slice(0, 50) },
    );
  return stored;
}

/** An entity's custom field definitions, held (FOR SHARE) until the transaction ends. */
export function customFieldDefinitions(
  db: Kysely<DB>,
  orgId: string,
  entity: CustomFieldEntity,
): Promise<CustomFieldDefinitionRow[]> {
  return (
    db
      .selectFrom("custom_field_definitions")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("entity", "=", entity)
      // FOR SHARE: a field being deleted meanwhile (its values cleared) waits for this write, or this write waits
      // for it and then no longer sees the field, so no value outlives its definition.
      .forShare()
      .orderBy("position")
      .execute()
  );
}

/** What is wrong with one value; `missing` is the label of a required field without one. */
export interface CustomFieldIssue {
  key: string;
  message: string;
  missing?: string;
}

/**
 * Values checked against definitions, as they will be stored (null and "" dropped), with what is wrong by key.
 * `required`: a required field must have a value (a create, or a whole replacement; not a merge into a record).
 */
export function checkCustomFieldValues(
  definitions: readonly CustomFieldDefinitionRow[],
  entity: CustomFieldEntity,
  values: CustomFieldValues,
  options: { required: boolean },
): { stored: CustomFieldValues; issues: CustomFieldIssue[] } {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const issues: CustomFieldIssue[] = [];
  const stored: CustomFieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) {
      issues.push({ key, message: `no ${entity} custom field has the key "${key.slice(0, 100)}"` });
      continue;
    }
    if (value === null || value === "") continue;
    const problem = problemWith(definition, value);
    if (problem) issues.push({ key, message: problem });
    else stored[key] = value;
  }
  if (options.required)
    for (const definition of definitions)
      if (definition.required && stored[definition.key] === undefined)
        issues.push({
          key: definition.key,
          message: `"${definition.label}" is required`,
          missing: definition.label,
        });
  return { stored, issues };
}

function problemWith(definition: CustomFieldDefinitionRow, value: string | number | boolean): string | null {
  switch (definition.type) {
    case "text":
      // The contract bounds text in a request; an imported cell reaches here without it.
      if (typeof value !== "string") return "text expected";
      return value.length > CUSTOM_FIELD_TEXT_MAX_CHARS
        ? `at most ${CUSTOM_FIELD_TEXT_MAX_CHARS} characters`
        : null;
    case "number":
      return typeof value === "number" ? null : "a number expected";
    case "date":
      return typeof value === "string" && IsoDate.safeParse(value).success
        ? null
        : "a date expected (YYYY-MM-DD)";
    case "choice":
      return typeof value === "string" && definition.choices.includes(value)
        ? null
        : `one of: ${definition.choices.join(", ").slice(0, 200)}`;
  }
}
