import { type Kysely, sql } from "kysely";

// Email templates with merge fields (issue 16), and what rendering them needs.
//
// A template is the organisation's (admins write it, everyone uses it) or one rep's own (`owner_id`: only they
// see it). Its text is one variant per language, each a subject and a sanitised HTML body. A template is archived,
// not deleted, while its uses count: `template_uses` ties it to the logged emails it wrote, one row per email.
//
// Contacts get the language they read (null: the rep's, then English), and users the title, phone and signature
// their templates' `{{rep.…}}` fields fill in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts add column language text check (language in ('en', 'sv', 'de', 'nb', 'hr'));
    alter table users add column title text;
    alter table users add column phone text;
    alter table users add column signature text;

    create table templates (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      scope text not null check (scope in ('organization', 'personal')),
      owner_id uuid,
      name text not null check (length(name) between 1 and 200),
      folder text,
      tags text[] not null default '{}',
      archived_at timestamptz(3),
      created_by uuid,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint templates_owner_matches_scope check ((scope = 'personal') = (owner_id is not null)),
      constraint templates_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete cascade,
      constraint templates_created_by_fk foreign key (org_id, created_by) references users(org_id, id)
        on delete set null (created_by)
    );
    create index templates_org_name on templates (org_id, lower(name), id);

    create table template_variants (
      org_id uuid not null,
      template_id uuid not null,
      language text not null check (language in ('en', 'sv', 'de', 'nb', 'hr')),
      subject text not null,
      html text not null,
      primary key (template_id, language),
      constraint template_variants_template_fk foreign key (org_id, template_id) references templates(org_id, id)
        on delete cascade
    );

    create table template_uses (
      org_id uuid not null,
      interaction_id uuid not null,
      template_id uuid not null,
      used_by uuid,
      used_at timestamptz(3) not null default now(),
      primary key (org_id, interaction_id),
      constraint template_uses_interaction_fk foreign key (org_id, interaction_id) references interactions(org_id, id)
        on delete cascade,
      constraint template_uses_template_fk foreign key (org_id, template_id) references templates(org_id, id)
        on delete cascade,
      constraint template_uses_user_fk foreign key (org_id, used_by) references users(org_id, id)
        on delete set null (used_by)
    );
    create index template_uses_template on template_uses (org_id, template_id);
    -- A template's stats look for replies by their sender's address.
    create index interaction_participants_sender on interaction_participants (org_id, address) where role = 'from';
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  for (const table of ["templates", "template_variants", "template_uses"]) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index interaction_participants_sender;
    drop table template_uses;
    drop table template_variants;
    drop table templates;
    alter table users drop column signature;
    alter table users drop column phone;
    alter table users drop column title;
    alter table contacts drop column language;
  `.execute(db);
}
