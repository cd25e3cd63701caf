import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type {
  CompanyDuplicate,
  CompanyDuplicateRule,
  ContactDuplicate,
  ContactDuplicateRule,
  DuplicateDismissed,
  DuplicateListQuery,
} from "../../shared/duplicates";
import { recordAudit } from "../audit";
import { toCompany } from "../companies/service";
import { selectContacts, toContact } from "../contacts/service";
import type { DB } from "../db/tables";
import { notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../http/cursor";
import type { Scope } from "../scope";

/**
 * A key more records share than this says nothing about any two of them (a switchboard's number, "Info" at a
 * company): such keys are left out, which also bounds the pairs a key makes, so the list stays linear in records.
 */
export const MAX_SHARED_KEY = 25;

const PairCursor = z.tuple([z.uuid(), z.uuid()]);

interface PairRow {
  first_id: string;
  second_id: string;
  reasons: { rule: string; value: string }[];
}

type Entity = "contact" | "company";

/**
 * The pairs, in id order, each once with every rule that pairs them. Each rule joins a key column with itself
 * through its index (one grouped pass over the organisation's keys, never a comparison of every two records);
 * the cursor is the last pair seen.
 */
async function pairs(
  db: Kysely<DB>,
  orgId: string,
  entity: Entity,
  query: DuplicateListQuery,
): Promise<{ rows: PairRow[]; more: boolean }> {
  const after = decodeCursor(query.cursor, PairCursor);
  const [afterFirst, afterSecond] = after ?? [
    "00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000000",
  ];
  const keyed =
    entity === "contact"
      ? sql`
        select contact_id as id, 'email' as rule, match_key as value, match_key as k
          from contact_emails where org_id = ${orgId}
        union all
        select c.id, 'phone', p.k, p.k from contacts c, unnest(c.phone_keys) as p(k)
          where c.org_id = ${orgId} and c.phone_keys <> '{}'
        union all
        select id, 'name_at_company', name_key, company_id::text || ' ' || name_key from contacts
          where org_id = ${orgId} and company_id is not null and name_key is not null`
      : sql`
        select co.id, 'domain' as rule, d.k as value, d.k as k from companies co, unnest(co.domain_keys) as d(k)
          where co.org_id = ${orgId} and co.domain_keys <> '{}'
        union all
        select id, 'name', name_key, name_key from companies where org_id = ${orgId} and name_key is not null`;
  const dismissals = sql.table(`${entity}_duplicate_dismissals`);
  const result = await sql<PairRow>`
    with keyed as (${keyed}),
    -- One hashed pass over the keys finds those two to MAX_SHARED_KEY records share; only their rows are joined.
    shared_keys as (
      select rule, k from keyed group by rule, k having count(*) between 2 and ${MAX_SHARED_KEY}
    ),
    shared as (select keyed.* from keyed join shared_keys using (rule, k)),
    paired as (
      select a.id as first_id, b.id as second_id, a.rule, a.value
      from shared a join shared b on b.rule = a.rule and b.k = a.k and a.id < b.id
    )
    select first_id, second_id,
           jsonb_agg(distinct jsonb_build_object('rule', rule, 'value', value)) as reasons
    from paired p
    where (first_id, second_id) > (${afterFirst}::uuid, ${afterSecond}::uuid)
      and not exists (
        select 1 from ${dismissals} d
        where d.org_id = ${orgId} and d.first_id = p.first_id and d.second_id = p.second_id
      )
    group by first_id, second_id
    order by first_id, second_id
    limit ${query.limit + 1}
  `.execute(db);
  const more = result.rows.length > query.limit;
  return { rows: more ? result.rows.slice(0, query.limit) : result.rows, more };
}

const nextCursor = (rows: PairRow[], more: boolean) => {
  const last = rows.at(-1);
  return more && last ? encodeCursor([last.first_id, last.second_id]) : null;
};

function byRule<R extends string>(order: readonly R[], reasons: { rule: string; value: string }[]) {
  return reasons
    .map((r) => ({ rule: r.rule as R, value: r.value }))
    .sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule) || a.value.localeCompare(b.value));
}

const CONTACT_RULES: readonly ContactDuplicateRule[] = ["email", "phone", "name_at_company"];
const COMPANY_RULES: readonly CompanyDuplicateRule[] = ["domain", "name"];

export async function listContactDuplicates(scope: Scope, query: DuplicateListQuery) {
  const { rows, more } = await pairs(scope.db, scope.caller.orgId, "contact", query);
  const ids = [...new Set(rows.flatMap((r) => [r.first_id, r.second_id]))];
  const contacts = new Map(
    ids.length === 0
      ? []
      : (await selectContacts(scope.db, scope.caller.orgId).where("c.id", "in", ids).execute()).map((c) => [
          c.id,
          toContact(c),
        ]),
  );
  const items: ContactDuplicate[] = [];
  for (const r of rows) {
    const first = contacts.get(r.first_id);
    const second = contacts.get(r.second_id);
    // Deleted between the two reads: the pair is gone, and the next page starts after it all the same.
    if (first && second) items.push({ first, second, reasons: byRule(CONTACT_RULES, r.reasons) });
  }
  return { items, nextCursor: nextCursor(rows, more) };
}

export async function listCompanyDuplicates(scope: Scope, query: DuplicateListQuery) {
  const { rows, more } = await pairs(scope.db, scope.caller.orgId, "company", query);
  const ids = [...new Set(rows.flatMap((r) => [r.first_id, r.second_id]))];
  const companies = new Map(
    ids.length === 0
      ? []
      : (
          await scope.db
            .selectFrom("companies")
            .selectAll()
            .where("org_id", "=", scope.caller.orgId)
            .where("id", "in", ids)
            .execute()
        ).map((c) => [c.id, toCompany(c)]),
  );
  const items: CompanyDuplicate[] = [];
  for (const r of rows) {
    const first = companies.get(r.first_id);
    const second = companies.get(r.second_id);
    if (first && second) items.push({ first, second, reasons: byRule(COMPANY_RULES, r.reasons) });
  }
  return { items, nextCursor: nextCursor(rows, more) };
}

/** Stores "not the same" for a pair (in id order, so either order is one pair); saying it twice is one. */
export async function dismissDuplicate(
  scope: Scope,
  entity: Entity,
  ids: [string, string],
): Promise<DuplicateDismissed> {
  const [first, second] = [...ids].sort() as [string, string];
  return scope.db.transaction().execute(async (tx) => {
    const table = entity === "contact" ? "contacts" : "companies";
    const found = await tx
      .selectFrom(table)
      .select("id")
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "in", [first, second])
      .execute();
    if (found.length !== 2) throw notFound(entity === "contact" ? "The contact" : "The company");
    const stored = await tx
      .insertInto(`${entity}_duplicate_dismissals`)
      .values({
        org_id: scope.caller.orgId,
        first_id: first,
        second_id: second,
        dismissed_by: scope.caller.userId,
      })
      .onConflict((oc) => oc.columns(["org_id", "first_id", "second_id"]).doNothing())
      .returning("first_id")
      .executeTakeFirst();
    // Said again: nothing changed, nothing to audit.
    if (stored)
      await recordAudit(
        tx,
        scope.caller,
        `${entity}.duplicate_dismissed`,
        { type: entity, id: first },
        {
          otherId: second,
        },
      );
    return { ids: [first, second], dismissed: true as const };
  });
}
