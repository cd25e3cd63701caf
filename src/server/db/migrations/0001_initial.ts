import { type Kysely, sql } from "kysely";

// Every business table carries org_id, and every reference between them is a composite foreign key on
// (org_id, id): a row can never point at another organisation's row, whatever the code above forgets.
// ON DELETE SET NULL (column) needs PostgreSQL 15, which both stores have.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null unique,
      name text not null,
      internal_domains text[] not null default '{}',
      logging_policy jsonb not null default '{}',
      created_at timestamptz(3) not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      external_id text not null,
      email text,
      display_name text,
      role text not null default 'member' check (role in ('admin', 'member')),
      created_at timestamptz(3) not null default now(),
      last_seen_at timestamptz(3),
      unique (org_id, external_id),
      unique (org_id, id)
    );

    create table companies (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      name text not null,
      domain text,
      phone text,
      website text,
      address text,
      owner_id uuid,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint companies_domain_unique unique (org_id, domain),
      constraint companies_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id)
    );
    create index companies_org_name on companies (org_id, lower(name), id);

    create table contacts (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      display_name text not null,
      first_name text,
      last_name text,
      title text,
      phones text[] not null default '{}',
      company_id uuid,
      lifecycle_stage text not null default 'lead' check (lifecycle_stage in ('lead', 'prospect', 'customer', 'former')),
      tags text[] not null default '{}',
      owner_id uuid,
      source text not null default 'manual',
      custom_fields jsonb not null default '{}',
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint contacts_company_fk foreign key (org_id, company_id) references companies(org_id, id) on delete set null (company_id),
      constraint contacts_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id)
    );
    create index contacts_org_name on contacts (org_id, lower(display_name), id);
    create index contacts_company on contacts (org_id, company_id);

    -- Addresses are stored normalised (lower-case), so equality here is case-insensitive equality.
    create table contact_emails (
      org_id uuid not null,
      contact_id uuid not null,
      address text not null,
      position integer not null default 0,
      constraint contact_emails_address_unique primary key (org_id, address),
      constraint contact_emails_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete cascade
    );
    create index contact_emails_contact on contact_emails (contact_id);

    create table pipelines (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      name text not null,
      is_default boolean not null default false,
      position integer not null default 0,
      created_at timestamptz(3) not null default now(),
      unique (org_id, id)
    );
    create unique index pipelines_one_default on pipelines (org_id) where is_default;

    create table stages (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      pipeline_id uuid not null,
      name text not null,
      position integer not null,
      probability integer not null check (probability between 0 and 100),
      kind text not null check (kind in ('open', 'won', 'lost')),
      unique (org_id, id),
      constraint stages_pipeline_fk foreign key (org_id, pipeline_id) references pipelines(org_id, id) on delete cascade
    );
    create index stages_pipeline on stages (pipeline_id, position);

    create table deals (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      name text not null,
      amount numeric(15, 2),
      currency text,
      expected_close_date date,
      company_id uuid,
      owner_id uuid,
      pipeline_id uuid not null,
      stage_id uuid not null,
      closed_at timestamptz(3),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint deals_company_fk foreign key (org_id, company_id) references companies(org_id, id) on delete set null (company_id),
      constraint deals_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id),
      constraint deals_pipeline_fk foreign key (org_id, pipeline_id) references pipelines(org_id, id),
      constraint deals_stage_fk foreign key (org_id, stage_id) references stages(org_id, id)
    );
    create index deals_org_name on deals (org_id, lower(name), id);
    create index deals_stage on deals (org_id, stage_id);
    create index deals_company on deals (org_id, company_id);

    create table deal_contacts (
      org_id uuid not null,
      deal_id uuid not null,
      contact_id uuid not null,
      primary key (deal_id, contact_id),
      constraint deal_contacts_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete cascade,
      constraint deal_contacts_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete cascade
    );
    create index deal_contacts_contact on deal_contacts (contact_id);

    create table deal_stage_changes (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      deal_id uuid not null,
      from_stage_id uuid,
      to_stage_id uuid not null,
      changed_by uuid,
      changed_at timestamptz(3) not null default now(),
      source text not null default 'api',
      constraint deal_stage_changes_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete cascade,
      constraint deal_stage_changes_from_fk foreign key (org_id, from_stage_id) references stages(org_id, id),
      constraint deal_stage_changes_to_fk foreign key (org_id, to_stage_id) references stages(org_id, id),
      constraint deal_stage_changes_user_fk foreign key (org_id, changed_by) references users(org_id, id) on delete set null (changed_by)
    );
    create index deal_stage_changes_deal on deal_stage_changes (deal_id, changed_at desc);

    create table interactions (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      kind text not null check (kind in ('email', 'call', 'meeting', 'note', 'visit')),
      direction text check (direction in ('in', 'out')),
      occurred_at timestamptz(3) not null,
      subject text,
      body text,
      outcome text,
      internet_message_id text,
      conversation_id text,
      source text not null check (source in ('manual', 'auto', 'on-send', 'import')),
      deal_id uuid,
      logged_by uuid,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      -- One interaction per email per organisation, however many colleagues log it.
      constraint interactions_message_unique unique (org_id, internet_message_id),
      constraint interactions_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete set null (deal_id),
      constraint interactions_logged_by_fk foreign key (org_id, logged_by) references users(org_id, id) on delete set null (logged_by)
    );
    create index interactions_deal on interactions (org_id, deal_id, occurred_at desc);
    create index interactions_org_occurred on interactions (org_id, occurred_at desc, id desc);

    create table interaction_loggers (
      org_id uuid not null,
      interaction_id uuid not null,
      user_id uuid not null,
      logged_at timestamptz(3) not null default now(),
      primary key (interaction_id, user_id),
      constraint interaction_loggers_interaction_fk foreign key (org_id, interaction_id) references interactions(org_id, id) on delete cascade,
      constraint interaction_loggers_user_fk foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    );

    create table interaction_participants (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      interaction_id uuid not null,
      contact_id uuid,
      address text,
      name text,
      role text not null check (role in ('from', 'to', 'cc', 'with')),
      position integer not null default 0,
      occurred_at timestamptz(3) not null,
      constraint interaction_participants_interaction_fk foreign key (org_id, interaction_id) references interactions(org_id, id) on delete cascade,
      constraint interaction_participants_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete set null (contact_id)
    );
    create index interaction_participants_interaction on interaction_participants (interaction_id, position);
    create index interaction_participants_contact on interaction_participants (contact_id, occurred_at desc, interaction_id desc) where contact_id is not null;
    -- Lets a contact created later pick up the emails already logged with their address.
    create index interaction_participants_address on interaction_participants (org_id, address) where contact_id is null;

    create table tasks (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      title text not null,
      notes text,
      due_at timestamptz(3),
      done_at timestamptz(3),
      assignee_id uuid,
      contact_id uuid,
      deal_id uuid,
      created_by uuid,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint tasks_assignee_fk foreign key (org_id, assignee_id) references users(org_id, id) on delete set null (assignee_id),
      constraint tasks_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete set null (contact_id),
      constraint tasks_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete set null (deal_id),
      constraint tasks_created_by_fk foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    );
    create index tasks_contact on tasks (org_id, contact_id, created_at desc);
    create index tasks_assignee_open on tasks (org_id, assignee_id, due_at) where done_at is null;
    create index tasks_deal on tasks (org_id, deal_id);

    create table audit_events (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      actor_id uuid,
      action text not null,
      entity_type text not null,
      entity_id uuid not null,
      at timestamptz(3) not null default now(),
      details jsonb not null default '{}'
    );
    create index audit_events_org_at on audit_events (org_id, at desc);
    create index audit_events_entity on audit_events (org_id, entity_type, entity_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table audit_events, tasks, interaction_participants, interaction_loggers, interactions,
      deal_stage_changes, deal_contacts, deals, stages, pipelines, contact_emails, contacts, companies,
      users, organizations;
  `.execute(db);
}
