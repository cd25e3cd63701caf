import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB } from "../db/tables";

// The duplicate rules for records that are not stored yet (an import's rows), asked of the same SQL functions
// that generate the stored records' keys (migration 0029): one definition of "the same", so a file's row meets a
// stored record, and an earlier row, exactly as two stored records meet in the duplicates list.
//
// A key names its rule: `email:<address without plus tag>`, `phone:<E.164-ish>`, `name_at_company:<company>
// <person's name key>`, `domain:<host>`, `name:<company name without legal form>`. A file's row names its company
// by name or domain, not id: the import says which company that is (a stored one's id, or the same token for rows
// naming one new company), as it will when it writes the row.

const CHUNK = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A key without its rule (and a name's without its company): what the import shows as the value two records share. */
export const keyValue = (key: string): string => {
  const value = key.slice(key.indexOf(":") + 1);
  return key.startsWith("name_at_company:") ? value.slice(value.indexOf(" ") + 1) : value;
};

/** Keys of (row index, value) pairs through one of the rules, in chunks of one statement each. */
async function keysOf(
  db: Kysely<DB>,
  pairs: [number, string][],
  keyed: (value: RawBuilder<unknown>) => RawBuilder<unknown>,
  into: string[][],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += CHUNK) {
    const chunk = pairs.slice(i, i + CHUNK);
    const rows = await sql<{ i: number; k: string | null }>`
      select t.i, ${keyed(sql.ref("t.v"))} as k
      from unnest(${chunk.map((p) => p[0])}::int[], ${chunk.map((p) => p[1])}::text[]) as t(i, v)
    `.execute(db);
    for (const r of rows.rows) if (r.k !== null) into[r.i]?.push(r.k);
  }
}

/** A contact row as its duplicate rules read it. */
export interface ContactRowKeyed {
  emails: readonly string[];
  phones: readonly string[];
  displayName: string;
  /** The company the row will be written with: a stored company's id, or a token for a new one; null: none. */
  companyRef: string | null;
}

/**
 * Each contact row's keys: its addresses', its phones' (read in `country`, which the import gives the contact, so
 * the key is the one the stored contact will have), and its name at its company.
 */
export async function contactRowKeys(
  db: Kysely<DB>,
  rows: readonly (ContactRowKeyed | null)[],
  country: string | null,
): Promise<string[][]> {
  const keys = rows.map(() => [] as string[]);
  const emails: [number, string][] = [];
  const phones: [number, string][] = [];
  const names: [number, string][] = [];
  rows.forEach((row, i) => {
    for (const e of row?.emails ?? []) emails.push([i, e]);
    for (const p of row?.phones ?? []) phones.push([i, p]);
    if (row?.companyRef) names.push([i, row.displayName]);
  });
  await keysOf(db, emails, (v) => sql`'email:' || rapport_email_match_key(${v})`, keys);
  await keysOf(db, phones, (v) => sql`'phone:' || rapport_phone_key(${v}, ${country}::text)`, keys);
  const nameKeys = rows.map(() => [] as string[]);
  await keysOf(db, names, (v) => sql`rapport_person_name_key(${v})`, nameKeys);
  nameKeys.forEach((found, i) => {
    const name = found[0];
    const companyRef = rows[i]?.companyRef;
    if (name !== undefined && companyRef) keys[i]?.push(`name_at_company:${companyRef} ${name}`);
  });
  return keys.map((k) => [...new Set(k)]);
}

/** Each company row's keys: its domain, its website's host, and its name without a legal form. */
export async function companyRowKeys(
  db: Kysely<DB>,
  rows: readonly ({ name: string; domain: string | null; website: string | null } | null)[],
): Promise<string[][]> {
  const keys = rows.map(() => [] as string[]);
  const names: [number, string][] = [];
  const domains: [number, string][] = [];
  const websites: [number, string][] = [];
  rows.forEach((row, i) => {
    if (!row) return;
    names.push([i, row.name]);
    if (row.domain) domains.push([i, row.domain]);
    if (row.website) websites.push([i, row.website]);
  });
  await keysOf(db, names, (v) => sql`'name:' || rapport_company_name_key(${v})`, keys);
  await keysOf(db, domains, (v) => sql`'domain:' || ${v}`, keys);
  await keysOf(db, websites, (v) => sql`'domain:' || nullif(rapport_website_host(${v}), '')`, keys);
  return keys.map((k) => [...new Set(k)]);
}

/** A stored record that has one of the keys. */
export interface KeyHolder {
  id: string;
  name: string;
}

/** The stored contacts holding any of the keys, by key, through the keys' indexes. */
export async function contactsHoldingKeys(
  db: Kysely<DB>,
  orgId: string,
  keys: readonly string[],
): Promise<Map<string, KeyHolder>> {
  const holders = new Map<string, KeyHolder>();
  const emails = keys.filter((k) => k.startsWith("email:")).map(keyValue);
  const phones = keys.filter((k) => k.startsWith("phone:")).map(keyValue);
  // A name at a stored company (a new company's token is not an id: nobody stored holds it yet).
  const names = keys
    .filter((k) => k.startsWith("name_at_company:"))
    .map((k) => k.slice("name_at_company:".length))
    .map((v) => [v.slice(0, v.indexOf(" ")), v.slice(v.indexOf(" ") + 1)] as const)
    .filter(([companyRef]) => UUID.test(companyRef));
  for (let i = 0; i < emails.length; i += CHUNK) {
    const rows = await sql<{ k: string; id: string; name: string }>`
      select e.match_key as k, c.id, c.display_name as name
      from contact_emails e join contacts c on c.org_id = e.org_id and c.id = e.contact_id
      where e.org_id = ${orgId} and e.match_key in (select unnest(${emails.slice(i, i + CHUNK)}::text[]))
      order by c.created_at, c.id
    `.execute(db);
    for (const r of rows.rows) if (!holders.has(`email:${r.k}`)) holders.set(`email:${r.k}`, r);
  }
  for (let i = 0; i < phones.length; i += CHUNK) {
    const rows = await sql<{ k: string; id: string; name: string }>`
      select p.k, c.id, c.display_name as name
      from contacts c, unnest(c.phone_keys) as p(k)
      where c.org_id = ${orgId} and c.phone_keys && ${phones.slice(i, i + CHUNK)}::text[]
        and p.k in (select unnest(${phones.slice(i, i + CHUNK)}::text[]))
      order by c.created_at, c.id
    `.execute(db);
    for (const r of rows.rows) if (!holders.has(`phone:${r.k}`)) holders.set(`phone:${r.k}`, r);
  }
  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    // Through contacts_company_name_key (org, company, name key).
    const rows = await sql<{ company_id: string; name_key: string; id: string; name: string }>`
      select c.company_id, c.name_key, c.id, c.display_name as name
      from contacts c
      where c.org_id = ${orgId}
        and (c.company_id, c.name_key) in (
          select * from unnest(${chunk.map((n) => n[0])}::uuid[], ${chunk.map((n) => n[1])}::text[]))
      order by c.created_at, c.id
    `.execute(db);
    for (const r of rows.rows) {
      const key = `name_at_company:${r.company_id} ${r.name_key}`;
      if (!holders.has(key)) holders.set(key, r);
    }
  }
  return holders;
}

/** The stored companies holding any of the keys, by key. */
export async function companiesHoldingKeys(
  db: Kysely<DB>,
  orgId: string,
  keys: readonly string[],
): Promise<Map<string, KeyHolder>> {
  const holders = new Map<string, KeyHolder>();
  const names = keys.filter((k) => k.startsWith("name:")).map(keyValue);
  const domains = keys.filter((k) => k.startsWith("domain:")).map(keyValue);
  for (let i = 0; i < names.length; i += CHUNK) {
    const rows = await sql<{ k: string; id: string; name: string }>`
      select name_key as k, id, name from companies
      where org_id = ${orgId} and name_key in (select unnest(${names.slice(i, i + CHUNK)}::text[]))
      order by created_at, id
    `.execute(db);
    for (const r of rows.rows) if (!holders.has(`name:${r.k}`)) holders.set(`name:${r.k}`, r);
  }
  for (let i = 0; i < domains.length; i += CHUNK) {
    const rows = await sql<{ k: string; id: string; name: string }>`
      select d.k, co.id, co.name from companies co, unnest(co.domain_keys) as d(k)
      where co.org_id = ${orgId} and co.domain_keys && ${domains.slice(i, i + CHUNK)}::text[]
        and d.k in (select unnest(${domains.slice(i, i + CHUNK)}::text[]))
      order by (co.domain = d.k) desc, co.created_at, co.id
    `.execute(db);
    for (const r of rows.rows) if (!holders.has(`domain:${r.k}`)) holders.set(`domain:${r.k}`, r);
  }
  return holders;
}
