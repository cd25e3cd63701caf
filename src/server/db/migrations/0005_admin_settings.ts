import { type Kysely, sql } from "kysely";

// Admin settings. Pipelines, organisations and custom field definitions get a version, so that two admins
// editing one of them cannot silently overwrite each other (a pipeline's version covers its stages: stage
// names, order, kinds and probabilities are edited as one settings screen).
//
// Stages and pipelines are archived, never deleted: deal_stage_changes keeps pointing at the stages a deal
// went through, so a deal's history still reads "Proposal → Won" after an admin removed "Proposal".
//
// Custom fields: the definitions live in their own table; the values stay in each record's `custom_fields`
// jsonb (contacts had it; companies and deals get it here). Keys already stored on contacts are defined as
// they are (number when every value is one, text otherwise, values that are neither made text) so that a
// record read before this migration can be written back unchanged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organizations add column version integer not null default 1;
    alter table pipelines add column version integer not null default 1;
    alter table pipelines add column archived_at timestamptz(3);
    alter table stages add column archived_at timestamptz(3);
    alter table companies add column custom_fields jsonb not null default '{}';
    alter table deals add column custom_fields jsonb not null default '{}';

    create table custom_field_definitions (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      entity text not null check (entity in ('contact', 'company', 'deal')),
      key text not null check (length(key) between 1 and 100),
      label text not null,
      type text not null check (type in ('text', 'number', 'date', 'choice')),
      choices text[] not null default '{}',
      required boolean not null default false,
      position integer not null default 0,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint custom_field_definitions_key_unique unique (org_id, entity, key)
    );

    with stored as (
      select c.org_id, f.key,
        case when bool_and(jsonb_typeof(f.value) = 'number') then 'number' else 'text' end as type
      from contacts c, jsonb_each(c.custom_fields) f
      where jsonb_typeof(f.value) <> 'null'
      group by c.org_id, f.key
    )
    insert into custom_field_definitions (org_id, entity, key, label, type, position)
    select org_id, 'contact', key, left(key, 100), type,
      (row_number() over (partition by org_id order by key))::int - 1
    from stored;

    update contacts c set custom_fields = coalesce(
      (select jsonb_object_agg(f.key,
          case when d.type = 'text' and jsonb_typeof(f.value) <> 'string' then to_jsonb(f.value #>> '{}')
          else f.value end)
        from jsonb_each(c.custom_fields) f
        join custom_field_definitions d on d.org_id = c.org_id and d.entity = 'contact' and d.key = f.key
        where jsonb_typeof(f.value) <> 'null'),
      '{}'::jsonb)
    where c.custom_fields <> '{}'::jsonb;
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  await sql`
    alter table custom_field_definitions enable row level security;
    create policy org_wall on custom_field_definitions to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on custom_field_definitions to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table custom_field_definitions;
    alter table deals drop column custom_fields;
    alter table companies drop column custom_fields;
    alter table stages drop column archived_at;
    alter table pipelines drop column archived_at;
    alter table pipelines drop column version;
    alter table organizations drop column version;
  `.execute(db);
}
