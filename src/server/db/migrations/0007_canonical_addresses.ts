import { type Kysely, sql } from "kysely";
import { canonicalDomain, normalizeEmailAddress, readEmailAddress } from "../../../shared/email-address";

// One spelling per mailbox and per domain. Outlook hands an internationalised address either as jorg@müller.example
// or as jorg@xn--mller-kva.example; stored as written, the two were two people. From here on the stored key is
// canonical (domain in lower-case ASCII, punycode; see src/shared/email-address.ts) and the form the user wrote
// is kept beside it for showing, in a column that is null where the two are the same.
//
// Rewriting the keys, two rows can become one address:
// - two contacts holding one address between them: the contact created first keeps it (it has had the address
//   longest, so the emails linked by it are most likely its); the other contact stays, without that address, with
//   its version raised and an audit event saying which address went to which contact. No contact is lost.
// - one contact holding both spellings: it keeps the first in its list.
// - two companies with one domain: the company created first keeps it, the other keeps everything but the domain
//   (an audit event says so), as the domain is unique per organisation.
// - two blocklist entries of one list: the older stays; the other said the same and goes (with an audit event).
// - internal domains: the list keeps each domain once, in its first place.
// Logged participants' addresses are rewritten too, and those nobody was linked to are linked to the contact
// that now has their address, as when a contact is given an address.
//
// Only stored values with a non-ASCII or an upper-case character can change (everything else is already
// canonical), so a store without internationalised addresses reads a few index-free filters and writes nothing.

const BATCH = 5000;
const MIGRATION = "0007_canonical_addresses";
const json = (rows: unknown[]) => JSON.stringify(rows);
const mayChange = (column: string) =>
  sql`(octet_length(${sql.ref(column)}) <> char_length(${sql.ref(column)}) or ${sql.ref(column)} <> lower(${sql.ref(column)}))`;
const time = (at: Date | string) => new Date(at).getTime();

async function inBatches<T>(items: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await write(items.slice(i, i + BATCH));
}

/** Groups by key, keeping insertion order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

interface Audit {
  org_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  details: Record<string, unknown>;
}

async function recordAudits(db: Kysely<unknown>, audits: readonly Audit[]): Promise<void> {
  await inBatches(audits, (batch) =>
    sql`
      insert into audit_events (org_id, actor_id, action, entity_type, entity_id, details)
      select v.org_id, null, v.action, v.entity_type, v.entity_id, v.details
      from jsonb_to_recordset(${json(batch)}::jsonb) as v(
        org_id uuid, action text, entity_type text, entity_id uuid, details jsonb)`.execute(db),
  );
}

interface StoredAddress {
  org_id: string;
  contact_id: string;
  address: string;
  position: number;
  created_at: Date | string;
}

/** Contact addresses to their canonical form; returns the canonical addresses written. */
async function contactEmails(db: Kysely<unknown>): Promise<string[]> {
  const stored = await sql<StoredAddress>`
    select e.org_id, e.contact_id, e.address, e.position, c.created_at
    from contact_emails e join contacts c on c.id = e.contact_id
    where ${mayChange("e.address")}`.execute(db);
  const changing = stored.rows.flatMap((row) => {
    const forms = readEmailAddress(row.address);
    return forms && forms.address !== row.address
      ? [{ ...row, canonical: forms.address, written: forms.written }]
      : [];
  });
  if (changing.length === 0) return [];

  // Rows that hold a canonical form already (written in ASCII) meet the rows rewritten to it.
  const holders: StoredAddress[] = [];
  await inBatches(
    changing.map((r) => ({ org_id: r.org_id, address: r.canonical })),
    async (batch) => {
      const found = await sql<StoredAddress>`
        select e.org_id, e.contact_id, e.address, e.position, c.created_at
        from contact_emails e join contacts c on c.id = e.contact_id
        where (e.org_id, e.address) in (
          select t.org_id, t.address from jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, address text))`.execute(
        db,
      );
      holders.push(...found.rows);
    },
  );
  const candidates = [
    ...new Map(
      holders.map((h) => [`${h.org_id} ${h.address}`, { ...h, canonical: h.address, written: null }]),
    ).values(),
    ...changing,
  ];

  const removed: { org_id: string; address: string }[] = [];
  const rewritten: { org_id: string; address: string; canonical: string; written: string }[] = [];
  const audits: Audit[] = [];
  const losers = new Set<string>();
  for (const group of groupBy(candidates, (c) => `${c.org_id} ${c.canonical}`)) {
    group.sort(
      (a, b) =>
        time(a.created_at) - time(b.created_at) ||
        a.contact_id.localeCompare(b.contact_id) ||
        a.position - b.position,
    );
    const [kept, ...others] = group as [(typeof group)[number], ...typeof group];
    if (kept.written !== null)
      rewritten.push({
        org_id: kept.org_id,
        address: kept.address,
        canonical: kept.canonical,
        written: kept.written,
      });
    for (const other of others) {
      removed.push({ org_id: other.org_id, address: other.address });
      if (other.contact_id === kept.contact_id) continue;
      losers.add(other.contact_id);
      audits.push({
        org_id: other.org_id,
        action: "contact.updated",
        entity_type: "contact",
        entity_id: other.contact_id,
        details: {
          fields: ["emails"],
          migration: MIGRATION,
          removed: other.address,
          reason: "another contact has the same address in another spelling, and kept it",
          keptBy: kept.contact_id,
        },
      });
    }
  }
  await inBatches(removed, (batch) =>
    sql`
      delete from contact_emails e using jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, address text)
      where e.org_id = t.org_id and e.address = t.address`.execute(db),
  );
  await inBatches(rewritten, (batch) =>
    sql`
      update contact_emails e set address = t.canonical, address_as_written = t.written
      from jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, address text, canonical text, written text)
      where e.org_id = t.org_id and e.address = t.address`.execute(db),
  );
  await inBatches([...losers], (batch) =>
    sql`
      update contacts set version = version + 1, updated_at = now()
      where id in (select unnest(${batch}::uuid[]))`.execute(db),
  );
  await recordAudits(db, audits);
  return rewritten.map((r) => r.canonical);
}

/** Logged participants' addresses to their canonical form; returns the canonical addresses written. */
async function participantAddresses(db: Kysely<unknown>): Promise<string[]> {
  const stored = await sql<{ org_id: string; address: string }>`
    select distinct org_id, address from interaction_participants
    where address is not null and ${mayChange("address")}`.execute(db);
  const changing = stored.rows.flatMap((row) => {
    const canonical = normalizeEmailAddress(row.address);
    return canonical && canonical !== row.address ? [{ ...row, canonical }] : [];
  });
  await inBatches(changing, (batch) =>
    sql`
      update interaction_participants p set address = t.canonical
      from jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, address text, canonical text)
      where p.org_id = t.org_id and p.address = t.address`.execute(db),
  );
  return changing.map((c) => c.canonical);
}

/** Emails logged with an address nobody had in that spelling belong to the contact who has it now. */
async function linkParticipants(db: Kysely<unknown>, addresses: readonly string[]): Promise<void> {
  await inBatches([...new Set(addresses)], (batch) =>
    sql`
      update interaction_participants p set contact_id = e.contact_id
      from contact_emails e
      where p.contact_id is null and e.org_id = p.org_id and e.address = p.address
        and p.address in (select unnest(${batch}::text[]))`.execute(db),
  );
}

interface StoredCompany {
  id: string;
  org_id: string;
  domain: string;
  created_at: Date | string;
}

async function companyDomains(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<StoredCompany>`
    select id, org_id, domain, created_at from companies where domain is not null and ${mayChange("domain")}`.execute(
    db,
  );
  const changing = stored.rows.flatMap((row) => {
    const canonical = canonicalDomain(row.domain);
    return canonical && canonical !== row.domain ? [{ ...row, canonical, written: row.domain }] : [];
  });
  if (changing.length === 0) return;
  const holders: StoredCompany[] = [];
  await inBatches(
    changing.map((c) => ({ org_id: c.org_id, domain: c.canonical })),
    async (batch) => {
      const found = await sql<StoredCompany>`
        select id, org_id, domain, created_at from companies
        where (org_id, domain) in (
          select t.org_id, t.domain from jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, domain text))`.execute(
        db,
      );
      holders.push(...found.rows);
    },
  );
  const candidates = [
    ...new Map(holders.map((h) => [h.id, { ...h, canonical: h.domain, written: null }])).values(),
    ...changing,
  ];
  const cleared: string[] = [];
  const rewritten: { id: string; canonical: string; written: string }[] = [];
  const audits: Audit[] = [];
  for (const group of groupBy(candidates, (c) => `${c.org_id} ${c.canonical}`)) {
    group.sort((a, b) => time(a.created_at) - time(b.created_at) || a.id.localeCompare(b.id));
    const [kept, ...others] = group as [(typeof group)[number], ...typeof group];
    if (kept.written !== null)
      rewritten.push({ id: kept.id, canonical: kept.canonical, written: kept.written });
    for (const other of others) {
      cleared.push(other.id);
      audits.push({
        org_id: other.org_id,
        action: "company.updated",
        entity_type: "company",
        entity_id: other.id,
        details: {
          fields: ["domain"],
          migration: MIGRATION,
          removed: other.domain,
          reason: "another company has the same domain in another spelling, and kept it",
          keptBy: kept.id,
        },
      });
    }
  }
  await inBatches(cleared, (batch) =>
    sql`
      update companies set domain = null, domain_as_written = null, version = version + 1, updated_at = now()
      where id in (select unnest(${batch}::uuid[]))`.execute(db),
  );
  await inBatches(rewritten, (batch) =>
    sql`
      update companies c set domain = t.canonical, domain_as_written = t.written
      from jsonb_to_recordset(${json(batch)}::jsonb) as t(id uuid, canonical text, written text)
      where c.id = t.id`.execute(db),
  );
  await recordAudits(db, audits);
}

interface StoredEntry {
  id: string;
  org_id: string;
  user_id: string | null;
  entry: string;
  created_at: Date | string;
}

function canonicalEntry(entry: string): string | null {
  if (!entry.startsWith("@")) return normalizeEmailAddress(entry);
  const domain = canonicalDomain(entry.slice(1));
  return domain === null ? null : `@${domain}`;
}

async function blocklistEntries(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<StoredEntry>`
    select id, org_id, user_id, entry, created_at from blocklist_entries where ${mayChange("entry")}`.execute(
    db,
  );
  const changing = stored.rows.flatMap((row) => {
    const canonical = canonicalEntry(row.entry);
    return canonical && canonical !== row.entry ? [{ ...row, canonical, written: row.entry }] : [];
  });
  if (changing.length === 0) return;
  const holders: StoredEntry[] = [];
  await inBatches(
    changing.map((c) => ({ org_id: c.org_id, entry: c.canonical })),
    async (batch) => {
      const found = await sql<StoredEntry>`
        select id, org_id, user_id, entry, created_at from blocklist_entries
        where (org_id, entry) in (
          select t.org_id, t.entry from jsonb_to_recordset(${json(batch)}::jsonb) as t(org_id uuid, entry text))`.execute(
        db,
      );
      holders.push(...found.rows);
    },
  );
  const candidates = [
    ...new Map(holders.map((h) => [h.id, { ...h, canonical: h.entry, written: null }])).values(),
    ...changing,
  ];
  const removed: string[] = [];
  const rewritten: { id: string; canonical: string; written: string }[] = [];
  const audits: Audit[] = [];
  for (const group of groupBy(candidates, (c) => `${c.org_id} ${c.user_id ?? ""} ${c.canonical}`)) {
    group.sort((a, b) => time(a.created_at) - time(b.created_at) || a.id.localeCompare(b.id));
    const [kept, ...others] = group as [(typeof group)[number], ...typeof group];
    if (kept.written !== null)
      rewritten.push({ id: kept.id, canonical: kept.canonical, written: kept.written });
    for (const other of others) {
      removed.push(other.id);
      audits.push({
        org_id: other.org_id,
        action: "blocklist.removed",
        entity_type: "blocklist_entry",
        entity_id: other.id,
        details: {
          entry: other.entry,
          migration: MIGRATION,
          reason: "the same entry in another spelling",
          keptBy: kept.id,
        },
      });
    }
  }
  await inBatches(removed, (batch) =>
    sql`delete from blocklist_entries where id in (select unnest(${batch}::uuid[]))`.execute(db),
  );
  await inBatches(rewritten, (batch) =>
    sql`
      update blocklist_entries b set entry = t.canonical, entry_as_written = t.written
      from jsonb_to_recordset(${json(batch)}::jsonb) as t(id uuid, canonical text, written text)
      where b.id = t.id`.execute(db),
  );
  await recordAudits(db, audits);
}

async function internalDomains(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<{ id: string; internal_domains: string[] }>`
    select id, internal_domains from organizations o
    where exists (select 1 from unnest(o.internal_domains) as d(domain) where ${mayChange("d.domain")})`.execute(
    db,
  );
  for (const org of stored.rows) {
    const seen = new Set<string>();
    const kept = org.internal_domains.flatMap((written) => {
      const domain = canonicalDomain(written) ?? written;
      if (seen.has(domain)) return [];
      seen.add(domain);
      return [{ domain, written }];
    });
    const domains = kept.map((k) => k.domain);
    const written = kept.map((k) => k.written);
    await sql`
      update organizations set internal_domains = ${domains}::text[],
        internal_domains_as_written = ${written.join("\n") === domains.join("\n") ? null : written}::text[]
      where id = ${org.id}`.execute(db);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contact_emails add column address_as_written text;
    alter table companies add column domain_as_written text;
    alter table blocklist_entries add column entry_as_written text;
    alter table organizations add column internal_domains_as_written text[];
  `.execute(db);
  const linked = await contactEmails(db);
  const logged = await participantAddresses(db);
  await linkParticipants(db, [...linked, ...logged]);
  await companyDomains(db);
  await blocklistEntries(db);
  await internalDomains(db);
}

// Back to the written forms as keys. Rows that were one address's duplicates stay gone (their audit events say
// what they were).
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update contact_emails set address = address_as_written where address_as_written is not null;
    update companies set domain = domain_as_written where domain_as_written is not null;
    update blocklist_entries set entry = entry_as_written where entry_as_written is not null;
    update organizations set internal_domains = internal_domains_as_written where internal_domains_as_written is not null;
    alter table contact_emails drop column address_as_written;
    alter table companies drop column domain_as_written;
    alter table blocklist_entries drop column entry_as_written;
    alter table organizations drop column internal_domains_as_written;
  `.execute(db);
}
