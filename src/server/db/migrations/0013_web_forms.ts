import { type Kysely, sql } from "kysely";

// Web forms and the leads they bring.
//
// - web_forms: the definition (fields as jsonb: target, labels, required), the answer after a submission, the
//   allowed embedding origins, the unguessable public id visitors reach it by, and the key its pages' timestamps
//   are signed with (per form, in the store, so every server behind a load balancer checks what another signed).
//   `turns` counts submissions: a round robin takes the owner at that position, each submission raising it in a
//   statement of its own, so concurrent submissions on any server each get their own turn.
// - web_form_owners: the owner rule's colleagues, in order (one for a fixed owner); a colleague removed from the
//   organisation leaves the rotation with their row.
// - web_form_consents: each version of a form's consent text, kept for good: a lead names the version it agreed to.
// - leads: one per accepted submission, with its source (form, page, UTM parameters), the consent version and what
//   was submitted (the contact keeps what a rep typed; the lead keeps what the visitor sent).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table web_forms (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      public_id text not null unique check (public_id ~ '^[A-Za-z0-9_-]{22}$'),
      signing_key bytea not null,
      name text not null,
      title text,
      fields jsonb not null,
      consent_version integer,
      after_submit jsonb not null,
      owner_kind text not null check (owner_kind in ('user', 'roundRobin')),
      allowed_origins text[] not null default '{}',
      turns bigint not null default 0,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id)
    );
    create index web_forms_org_name on web_forms (org_id, lower(name), id);

    create table web_form_owners (
      org_id uuid not null,
      form_id uuid not null,
      user_id uuid not null,
      position integer not null,
      primary key (form_id, user_id),
      constraint web_form_owners_form_fk foreign key (org_id, form_id) references web_forms(org_id, id) on delete cascade,
      constraint web_form_owners_user_fk foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    );

    create table web_form_consents (
      org_id uuid not null,
      form_id uuid not null,
      version integer not null check (version > 0),
      text text not null,
      created_at timestamptz(3) not null default now(),
      primary key (form_id, version),
      unique (org_id, form_id, version),
      constraint web_form_consents_form_fk foreign key (org_id, form_id) references web_forms(org_id, id) on delete cascade
    );

    create table leads (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      form_id uuid,
      contact_id uuid,
      company_id uuid,
      owner_id uuid,
      task_id uuid,
      page_url text,
      utm_source text,
      utm_medium text,
      utm_campaign text,
      utm_term text,
      utm_content text,
      consent_version integer,
      -- The text itself, too: a deleted form takes its consent versions with it, the lead keeps what was agreed.
      consent_text text,
      submitted jsonb not null default '{}',
      created_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint leads_form_fk foreign key (org_id, form_id) references web_forms(org_id, id) on delete set null (form_id),
      constraint leads_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete set null (contact_id),
      constraint leads_company_fk foreign key (org_id, company_id) references companies(org_id, id) on delete set null (company_id),
      constraint leads_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id),
      constraint leads_task_fk foreign key (org_id, task_id) references tasks(org_id, id) on delete set null (task_id)
    );
    create index leads_org_created on leads (org_id, created_at desc, id desc);
    create index leads_form on leads (org_id, form_id, created_at desc);
    create index leads_contact on leads (org_id, contact_id);
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  for (const table of ["web_forms", "web_form_owners", "web_form_consents", "leads"])
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table leads, web_form_consents, web_form_owners, web_forms`.execute(db);
}
