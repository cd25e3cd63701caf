import { type Kysely, sql } from "kysely";

// Customer ratings (issue 19).
//
// `rating_keys`: each organisation's key its survey links are signed with (HMAC-SHA-256), made on first use and
// kept in the store, so every server checks a link any of them made. A key never leaves the server.
//
// `ratings`: one answer per link (`link_id`, the random id inside the signed link): a second answer through the
// same link while it is good replaces the first. The owner is the contact's when they answered, so the report
// by owner does not move when a contact changes hands later. A contact's erasure takes their answers along.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rating_keys (
      org_id uuid primary key references organizations(id) on delete cascade,
      key bytea not null check (octet_length(key) = 32),
      created_at timestamptz(3) not null default now()
    );

    create table ratings (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      link_id text not null check (link_id ~ '^[A-Za-z0-9_-]{12}$'),
      contact_id uuid not null,
      kind text not null check (kind in ('nps', 'csat')),
      score integer not null,
      comment text check (char_length(comment) <= 2000),
      language text not null check (language in ('en', 'sv', 'de', 'nb', 'hr')),
      owner_id uuid,
      sent_at timestamptz(3) not null,
      expires_at timestamptz(3) not null,
      answered_at timestamptz(3) not null,
      created_at timestamptz(3) not null default now(),
      unique (org_id, link_id),
      check ((kind = 'nps' and score between 0 and 10) or (kind = 'csat' and score between 1 and 5)),
      constraint ratings_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete cascade,
      constraint ratings_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id)
    );
    create index ratings_contact on ratings (org_id, contact_id, kind, answered_at desc);
    create index ratings_answered on ratings (org_id, answered_at);
  `.execute(db);
  for (const table of ["rating_keys", "ratings"])
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table ratings;
    drop table rating_keys;
  `.execute(db);
}
