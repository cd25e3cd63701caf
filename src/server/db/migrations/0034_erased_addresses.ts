import { type Kysely, sql } from "kysely";

// What keeps an erased person out of what Rapport captures by itself (issue 17, review). The calendar capture
// reads the past 30 days of every mailbox's calendar again each day and records every attendee of a known event:
// after an erasure, the next capture put the person back on the meetings they shared with other contacts. An
// erasure's last slice now leaves a digest of each of the person's canonical addresses here, and the capture drops
// an attendee whose address has one (person-data/erased-addresses.ts).
//
// A digest, not the address: the list is kept so the erasure holds, and should say nothing more about the person.
// A plain SHA-256 of an address would not do: addresses are few and guessable (a name at a company's domain),
// and anyone reading the table could hash a list of candidates and learn who asked to be erased. The digest is
// an HMAC-SHA-256 under a key of the organisation's own (`erasure_keys`, 32 random bytes, made at its first
// erasure, never sent anywhere): without the key the digests test nothing, and two organisations' digests of one
// address differ, so no list can be joined with another's. Whoever holds the store holds the key too; the table
// is what a report, an export or a copied table shows, and there it is opaque.
//
// `segment_changes_joined_contact`: the erasure clears the joins of a person (and of the contacts merged into
// them) by contact id; without an index that read every change of the organisation's segments.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table erasure_keys (
      org_id uuid primary key references organizations(id) on delete cascade,
      key bytea not null check (octet_length(key) = 32),
      created_at timestamptz(3) not null default now()
    );

    create table erased_addresses (
      org_id uuid not null references organizations(id) on delete cascade,
      digest bytea not null check (octet_length(digest) = 32),
      erased_at timestamptz(3) not null default now(),
      primary key (org_id, digest)
    );

    create index segment_changes_joined_contact on segment_changes (org_id, contact_id)
      where kind = 'joined' and email is not null;
  `.execute(db);
  for (const table of ["erasure_keys", "erased_addresses"])
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert on ${sql.table(table)} to rapport_app;
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index segment_changes_joined_contact;
    drop table erased_addresses;
    drop table erasure_keys;
  `.execute(db);
}
