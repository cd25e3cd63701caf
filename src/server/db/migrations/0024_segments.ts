import { type Kysely, sql } from "kysely";

// Segments for marketing (issue 19): saved filters over contacts, and what a marketing platform reads of them.
//
// Contacts get `no_marketing` (the contact wants no marketing: never a member of a segment, whatever its filter;
// the platform's unsubscribe sets it) and `country` (ISO 3166-1 alpha-2, for the country filter). Neither is
// `no_automated_mail` (0017), which is about occasion mails a rep's mailbox sends.
//
// `segments` hold the filter (jsonb, as the shared schema validated it) and `last_seq`: the segment's change
// counter. Membership is evaluated when the platform reads members or changes: under the segment row's lock
// (`select … for update`), the live members are diffed against `segment_members`, and each difference is
// appended to `segment_changes` with the next `seq`, in one transaction. So two servers or two readers at once
// evaluate one after the other, and the sequence has no gaps or repeats: a reader's cursor is the last seq seen.
//
// `segment_members` and `segment_changes` name contacts without a foreign key on purpose: a deleted contact must
// stay in the stored membership until the next evaluation writes its `left` change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts add column no_marketing boolean not null default false;
    alter table contacts add column country text check (country ~ '^[A-Z]{2}$');

    create table segments (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      description text,
      filter jsonb not null,
      created_by uuid,
      last_seq bigint not null default 0 check (last_seq >= 0),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint segments_creator_fk foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    );
    create index segments_org_name on segments (org_id, lower(name), id);

    create table segment_members (
      org_id uuid not null,
      segment_id uuid not null,
      contact_id uuid not null,
      email text,
      joined_seq bigint not null,
      primary key (segment_id, contact_id),
      constraint segment_members_segment_fk foreign key (org_id, segment_id) references segments(org_id, id) on delete cascade
    );

    create table segment_changes (
      org_id uuid not null,
      segment_id uuid not null,
      seq bigint not null check (seq > 0),
      contact_id uuid not null,
      kind text not null check (kind in ('joined', 'left')),
      email text,
      at timestamptz(3) not null default now(),
      primary key (segment_id, seq),
      constraint segment_changes_segment_fk foreign key (org_id, segment_id) references segments(org_id, id) on delete cascade
    );

    -- Counting a segment reads every contact of the organisation; a tag filter asks the array, and the
    -- last-contacted filter asks a contact's newest interaction (interaction_participants_contact answers that).
    create index contacts_tags on contacts using gin (tags);
    -- The consent filter asks whether a contact left consent on a web form.
    create index leads_contact_consent on leads (org_id, contact_id) where consent_version is not null;
  `.execute(db);
  for (const table of ["segments", "segment_members", "segment_changes"])
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
    drop index leads_contact_consent;
    drop index contacts_tags;
    drop table segment_changes;
    drop table segment_members;
    drop table segments;
    alter table contacts drop column country;
    alter table contacts drop column no_marketing;
  `.execute(db);
}
