import { type Kysely, sql } from "kysely";

// Automatic logging. A mailbox row exists once someone chose something for it (an admin enabled it, its owner
// opted out) or the worker first synced it; its folders keep where Graph's delta left off, so a restart, or a
// crash mid-page, resumes there. The lease lets several servers over one PostgreSQL share the work without
// two of them syncing one mailbox at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column auto_log_opened boolean not null default false;

    create table mailboxes (
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null,
      enabled boolean not null default false,
      opted_out boolean not null default false,
      status text not null default 'pending' check (status in ('pending', 'ok', 'backing_off', 'failing')),
      last_run_at timestamptz(3),
      last_success_at timestamptz(3),
      last_error text,
      failures integer not null default 0,
      retry_at timestamptz(3),
      lease_owner text,
      lease_until timestamptz(3),
      updated_at timestamptz(3) not null default now(),
      primary key (org_id, user_id),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    );

    create table mailbox_sync (
      org_id uuid not null,
      user_id uuid not null,
      folder text not null check (folder in ('inbox', 'sentitems')),
      link text,
      link_kind text check (link_kind in ('next', 'delta')),
      backfill_from timestamptz(3) not null,
      last_run_at timestamptz(3),
      last_success_at timestamptz(3),
      messages_seen integer not null default 0,
      messages_logged integer not null default 0,
      restarts integer not null default 0,
      primary key (org_id, user_id, folder),
      foreign key (org_id, user_id) references mailboxes(org_id, user_id) on delete cascade
    );

    create table blocklist_entries (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid,
      entry text not null,
      created_by uuid,
      created_at timestamptz(3) not null default now(),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    );
    create unique index blocklist_entries_unique on blocklist_entries (org_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), entry);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table blocklist_entries;
    drop table mailbox_sync;
    drop table mailboxes;
    alter table users drop column auto_log_opened;
  `.execute(db);
}
