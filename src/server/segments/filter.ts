import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import type { SegmentCondition, SegmentFilter } from "../../shared/segments";
import { customFieldDefinitions } from "../custom-fields/service";
import type { DB } from "../db/tables";
import { AppError } from "../errors";

type ContactsEb = ExpressionBuilder<DB & { c: DB["contacts"] }, "c">;

const DAY_MS = 86_400_000;

const textArray = (values: readonly string[]) => sql`array[${sql.join(values)}]::text[]`;

/** `in` over values that may hold null (a contact without an owner or a company). */
function inOrNull(eb: ContactsEb, column: "c.owner_id" | "c.company_id", values: readonly (string | null)[]) {
  const ids = values.filter((v): v is string => v !== null);
  return eb.or([
    ...(ids.length ? [eb(column, "in", ids)] : []),
    ...(ids.length < values.length ? [eb(column, "is", null)] : []),
  ]);
}

/**
 * The contact was in an interaction at or after the instant. Measured against reading each contact's newest
 * interaction (one index probe per contact), this was faster on both stores (docs/benchmarks.md); over a window
 * holding most of 1,000,000 interactions both miss the count's goal: the last contact wants keeping on the
 * contact at the interaction's write.
 */
function contactedSince(eb: ContactsEb, since: Date | null) {
  let inner = eb
    .selectFrom("interaction_participants as p")
    .select(sql.lit(1).as("one"))
    .whereRef("p.contact_id", "=", "c.id")
    .whereRef("p.org_id", "=", "c.org_id");
  if (since) inner = inner.where("p.occurred_at", ">=", since);
  return eb.exists(inner);
}

/** A date's first instant in UTC (the filter's dates are calendar days, as the API writes them everywhere). */
const startOf = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** The stored value's text: a JSON number 5 is "5", true is "true", as the values are written here. */
const valueText = (value: string | number | boolean) => String(value);

function conditionSql(eb: ContactsEb, condition: SegmentCondition, now: Date): Expression<SqlBool> {
  switch (condition.field) {
    case "tags": {
      const values = textArray(condition.values);
      if (condition.match === "all") return sql<boolean>`c.tags @> ${values}`;
      if (condition.match === "any") return sql<boolean>`c.tags && ${values}`;
      return sql<boolean>`not (c.tags && ${values})`;
    }
    case "lifecycleStage":
      return eb("c.lifecycle_stage", "in", condition.values);
    case "owner":
      return inOrNull(eb, "c.owner_id", condition.values);
    case "company":
      return inOrNull(eb, "c.company_id", condition.values);
    case "country":
      return eb("c.country", "in", condition.values);
    case "customField": {
      const value = sql<string | null>`c.custom_fields ->> ${condition.key}`;
      if (condition.op === "in") return eb(value, "in", (condition.values ?? []).map(valueText));
      const set = sql<boolean>`coalesce(${value}, '') <> ''`;
      return condition.op === "isSet" ? set : eb.not(set);
    }
    case "lastContacted":
      switch (condition.op) {
        case "after":
          return contactedSince(eb, startOf(condition.date ?? ""));
        case "before":
          return eb.and([
            contactedSince(eb, null),
            eb.not(contactedSince(eb, startOf(condition.date ?? ""))),
          ]);
        case "withinDays":
          return contactedSince(eb, new Date(now.getTime() - (condition.days ?? 0) * DAY_MS));
        case "notWithinDays":
          return eb.not(contactedSince(eb, new Date(now.getTime() - (condition.days ?? 0) * DAY_MS)));
        case "never":
          return eb.not(contactedSince(eb, null));
      }
      break;
    case "consent": {
      const given = eb.exists(
        eb
          .selectFrom("leads as l")
          .select(sql.lit(1).as("one"))
          .whereRef("l.contact_id", "=", "c.id")
          .whereRef("l.org_id", "=", "c.org_id")
          .where("l.consent_version", "is not", null),
      );
      return condition.given ? given : eb.not(given);
    }
    case "rating": {
      // The contact's latest answer of the kind (index ratings_contact: one probe per contact).
      const latest = eb
        .selectFrom("ratings as r")
        .select("r.score")
        .whereRef("r.org_id", "=", "c.org_id")
        .whereRef("r.contact_id", "=", "c.id")
        .where("r.kind", "=", condition.kind)
        .orderBy("r.answered_at", "desc")
        .orderBy("r.id", "desc")
        .limit(1);
      if (condition.op === "none") return eb.not(eb.exists(latest));
      return eb(latest, condition.op === "atLeast" ? ">=" : "<=", condition.score ?? 0);
    }
  }
  // A new kind of condition must be compiled above: the compiler stops here until it is.
  const unknown: never = condition;
  throw new Error(`No SQL for the segment condition ${JSON.stringify(unknown)}`);
}

/**
 * The filter's conditions over `contacts as c`, every value a parameter. The organisation and the "no marketing"
 * flag are the caller's to add (`segmentMembers`), as the preview counts both sides of the flag.
 */
export function matchesSegmentFilter(filter: SegmentFilter, now: Date) {
  return (eb: ContactsEb) => eb.and(filter.conditions.map((condition) => conditionSql(eb, condition, now)));
}

/** Who is a member: the organisation's contacts the filter finds, less those who want no marketing. */
export function isSegmentMember(orgId: string, filter: SegmentFilter, now: Date) {
  return (eb: ContactsEb) =>
    eb.and([
      eb("c.org_id", "=", orgId),
      eb("c.no_marketing", "=", false),
      matchesSegmentFilter(filter, now)(eb),
    ]);
}

/**
 * What the schema cannot see: a custom field condition must name one of the organisation's contact fields (a
 * 400 naming the condition's key, as `path`, before anything is stored or counted).
 */
export async function checkSegmentFilter(
  db: Kysely<DB>,
  orgId: string,
  filter: SegmentFilter,
  path: string,
): Promise<void> {
  const keyed = filter.conditions
    .map((condition, index) => ({ condition, index }))
    .filter(({ condition }) => condition.field === "customField");
  if (keyed.length === 0) return;
  const known = new Set((await customFieldDefinitions(db, orgId, "contact")).map((d) => d.key));
  const errors = keyed
    .filter(({ condition }) => condition.field === "customField" && !known.has(condition.key))
    .map(({ index }) => ({
      path: `${path}.conditions.${index}.key`,
      message: "no contact custom field has this key",
    }));
  if (errors.length)
    throw new AppError(
      "invalid_request",
      400,
      `The request body is not valid: ${errors.map((e) => `${e.path.slice("body.".length)}: ${e.message}`).join("; ")}`,
      { errors },
    );
}
