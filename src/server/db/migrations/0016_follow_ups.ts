import { type Kysely, sql } from "kysely";

// No-reply follow-ups (issue 16): one reminder per logged outgoing email, fired once as a task on its owner's
// Today when no reply came within its working days, or settled by the reply that came. The owner's time zone
// (their working days) is the user's own setting; a task made by a reminder keeps the email it is about.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column time_zone text;
    alter table tasks add column interaction_id uuid;
    alter table tasks add constraint tasks_interaction_fk foreign key (org_id, interaction_id)
      references interactions(org_id, id) on delete set null (interaction_id);

    create table follow_ups (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      interaction_id uuid not null,
      owner_id uuid not null,
      contact_id uuid,
      deal_id uuid,
      days integer not null check (days between 1 and 30),
      time_zone text not null,
      due_at timestamptz(3) not null,
      state text not null default 'waiting' check (state in ('waiting', 'fired', 'cancelled')),
      task_id uuid,
      reply_id uuid,
      settled_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      -- One reminder per email, however often and by whichever path it is logged.
      constraint follow_ups_interaction_unique unique (org_id, interaction_id),
      constraint follow_ups_interaction_fk foreign key (org_id, interaction_id) references interactions(org_id, id) on delete cascade,
      constraint follow_ups_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete cascade,
      constraint follow_ups_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id) on delete set null (contact_id),
      constraint follow_ups_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete set null (deal_id),
      constraint follow_ups_task_fk foreign key (org_id, task_id) references tasks(org_id, id) on delete set null (task_id),
      constraint follow_ups_reply_fk foreign key (org_id, reply_id) references interactions(org_id, id) on delete set null (reply_id)
    );
    -- The firing loop's scan, across organisations: only what still waits.
    create index follow_ups_due on follow_ups (due_at) where state = 'waiting';
    -- A reply looks among its organisation's reminders that a reply still settles.
    create index follow_ups_open on follow_ups (org_id) where reply_id is null and state <> 'cancelled';
    create index interactions_conversation on interactions (org_id, conversation_id) where conversation_id is not null;

    alter table follow_ups enable row level security;
    create policy org_wall on follow_ups to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on follow_ups to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table follow_ups;
    drop index interactions_conversation;
    alter table tasks drop column interaction_id;
    alter table users drop column time_zone;
  `.execute(db);
}
